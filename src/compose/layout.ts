// Which kustomizations to build for a change: every kustomization of the repository is read (they are small),
// the folders and files each one names give a graph, and the roots (kustomizations no other one includes)
// that reach a changed file are built. A base is built only inside the overlays that use it.
import { posix } from 'node:path';
import { readYamlDocuments } from '../formats/yaml-documents.js';
import { isRecord } from '../common/path.js';
import { KUSTOMIZATION_NAMES, isRemote, unseenInputPaths, type ReadText } from './kustomize.js';
import type { DocumentCache } from './sources.js';
import { generatorInputPaths } from './generators.js';

/** Kustomizations read to find the roots, at most: past this the rest are a note. */
export const MAX_LAYOUT_KUSTOMIZATIONS = 5_000;
/**
 * Roots built for one change, at most (a base shared by thousands of overlays is reported once anyway). They are
 * built and reviewed in batches (src/composed-review.ts): this bounds the time, under the pool's time limit.
 */
export const MAX_ROOTS = 1_000;

interface Node {
  file: string;
  /** Folders it builds or applies (resources, bases, components). */
  dirs: string[];
  /** Files it reads directly (manifests, patch files, transformer configs, values files). */
  files: string[];
  /** Folders whose every file it may read (a chart, a folder of transformer configs): a change below one reaches it. */
  trees: string[];
  /**
   * Files its generators read as data (env files, `files`): a change to one builds it, and is reviewed in what it
   * generates (not a file deployed under a name Warden does not read: src/unread-deployed.ts looks at `files`).
   */
  data: string[];
  /**
   * The folders of the charts its `helmCharts` inflate: a change to a file below one (a template, a helper) builds it,
   * and is reviewed in what the chart deploys, as a generator's data is.
   */
  charts: string[];
}

export interface Layout {
  /** By folder. */
  kustomizations: Map<string, Node>;
  notes: { file: string; message: string }[];
}

export function kustomizationDir(path: string): string | null {
  const name = posix.basename(path);
  if (!(KUSTOMIZATION_NAMES as readonly string[]).includes(name)) return null;
  return posix.dirname(path);
}

/** Read every kustomization among `paths` and what each names. */
export async function readLayout(paths: readonly string[], read: ReadText, changed: ReadonlySet<string> = new Set(), documents: DocumentCache = new Map()): Promise<Layout> {
  const notes: Layout['notes'] = [];
  // Past the bound, the kustomizations beside the changed files are read first: their own folder's is needed.
  const near = new Set([...changed].map((p) => posix.dirname(p)));
  let files = paths.filter((p) => kustomizationDir(p) !== null).sort((a, b) => Number(near.has(kustomizationDir(b)!)) - Number(near.has(kustomizationDir(a)!)) || a.localeCompare(b));
  if (files.length > MAX_LAYOUT_KUSTOMIZATIONS) {
    notes.push({ file: files[MAX_LAYOUT_KUSTOMIZATIONS]!, message: `${files.length} kustomizations, more than the ${MAX_LAYOUT_KUSTOMIZATIONS} read: the rest are not composed` });
    files = files.slice(0, MAX_LAYOUT_KUSTOMIZATIONS);
  }
  const kustomizations = new Map<string, Node>();
  const texts = await Promise.all(files.map(async (file) => ({ file, text: await read(file) })));
  for (const { file, text } of texts) {
    const dir = kustomizationDir(file)!;
    if (text === null || kustomizations.has(dir)) continue;
    let docs = documents.get(file);
    if (!docs) documents.set(file, (docs = readYamlDocuments(text)));
    const k = docs.values[0];
    const node: Node = { file, dirs: [], files: [], trees: [], data: [], charts: [] };
    kustomizations.set(dir, node);
    if (!isRecord(k)) continue;
    const list = (key: string) => (Array.isArray(k[key]) ? (k[key] as unknown[]) : []);
    const local = (entry: unknown): string | null => (typeof entry === 'string' && !isRemote(entry) ? normalize(posix.join(dir, entry)) : null);
    for (const entry of [...list('resources'), ...list('bases'), ...list('components')]) {
      const path = local(entry);
      if (path === null) continue;
      if (/\.(ya?ml|json)$/i.test(path)) node.files.push(path);
      else {
        node.dirs.push(path);
        // A dotted name of another kind may be a file (kustomize reads `pod.txt` as YAML), or a folder (`v1.2`).
        if (/\.[^/.]+$/.test(path)) node.files.push(path);
      }
    }
    for (const entry of list('patchesStrategicMerge')) {
      const path = typeof entry === 'string' && !entry.includes('\n') ? local(entry) : null;
      if (path !== null) node.files.push(path);
    }
    for (const entry of [...list('patches'), ...list('patchesJson6902'), ...list('replacements')]) {
      const path = isRecord(entry) ? local(entry.path) : null;
      if (path !== null) node.files.push(path);
    }
    for (const entry of generatorInputPaths(k)) {
      // An absolute path is outside the kustomization's folder as kustomize reads it (src/compose/kustomize.ts).
      const path = posix.isAbsolute(entry) ? null : local(entry);
      if (path !== null) node.data.push(path);
    }
    // What kustomize reads and Warden does not apply: a change to it alone must still build this kustomization.
    for (const { key, path: entry, folder } of unseenInputPaths(k)) {
      const path = local(entry);
      if (path === null) continue;
      if (folder !== true) node.files.push(path);
      if (folder !== false) node.trees.push(path);
      if (key === 'helmCharts' && folder === true) node.charts.push(path);
    }
  }
  return { kustomizations, notes };
}

/**
 * The layout of only the kustomizations among `paths` whose text may name one of `files`: its file name, or an escape
 * that could spell it. The others are read, not parsed (a change of a few files in a repository of thousands of
 * kustomizations, on the main thread).
 */
export async function layoutNaming(paths: readonly string[], files: Iterable<string>, read: ReadText): Promise<Layout> {
  const names = [...files].map((path) => posix.basename(path));
  const kustomizations = paths.filter((p) => kustomizationDir(p) !== null);
  const texts = await Promise.all(kustomizations.map(read));
  const naming = new Map<string, string>();
  kustomizations.forEach((path, i) => {
    const text = texts[i];
    // One that inflates a chart reads every file of the chart's folder, whatever its name.
    if (typeof text === 'string' && (text.includes('\\') || text.includes('helmCharts') || names.some((name) => text.includes(name)))) naming.set(path, text);
  });
  return readLayout([...naming.keys()], async (path) => naming.get(path) ?? null);
}

function normalize(path: string): string {
  const normalized = posix.normalize(path).replace(/\/$/, '');
  return normalized === '' ? '.' : normalized;
}

/**
 * The roots that reach any of `changed` (files), sorted; at most MAX_ROOTS, the rest `cut` (what they would have
 * read of the change is not reviewed: src/compose/index.ts).
 */
export function rootsReaching(layout: Layout, changed: ReadonlySet<string>): { roots: string[]; cut: string[] } {
  const parents = new Map<string, string[]>();
  for (const [parent, node] of layout.kustomizations) for (const dir of node.dirs) (parents.get(dir) ?? parents.set(dir, []).get(dir)!).push(parent);
  // What reaches a changed file: the kustomizations that name one, and everything above them (walked upwards,
  // each once: linear, and no recursion a long chain could exhaust).
  const reaching = new Set<string>();
  const queue: string[] = [];
  for (const [dir, node] of layout.kustomizations) {
    if (changed.has(node.file) || node.files.some((f) => changed.has(f)) || node.data.some((f) => changed.has(f)) || node.trees.some((tree) => [...changed].some((f) => f.startsWith(`${tree}/`)))) (reaching.add(dir), queue.push(dir));
  }
  while (queue.length > 0) {
    for (const parent of parents.get(queue.pop()!) ?? []) if (!reaching.has(parent)) (reaching.add(parent), queue.push(parent));
  }
  // A kustomization that includes itself through a cycle has no root above it: it counts as one.
  const cycle = cycleOf(layout);
  const isRoot = (dir: string) => (parents.get(dir) ?? []).every((parent) => cycle.get(parent) === cycle.get(dir));
  const roots = [...reaching].filter(isRoot).sort();
  return { roots: roots.slice(0, MAX_ROOTS), cut: roots.slice(MAX_ROOTS) };
}

/**
 * The cycle (strongly connected component) of each kustomization, by a number: two share one when each reaches
 * the other. A parent that `dir` itself reaches is in its cycle, so a kustomization whose every parent is, has
 * no real parent. Tarjan's algorithm, iterative (a chain of thousands must not exhaust the stack): linear.
 */
function cycleOf(layout: Layout): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycle = new Map<string, number>();
  let counter = 0;
  const children = (dir: string) => (layout.kustomizations.get(dir)?.dirs ?? []).filter((d) => layout.kustomizations.has(d));
  for (const start of layout.kustomizations.keys()) {
    if (index.has(start)) continue;
    const work: { dir: string; next: number; kids: string[] }[] = [];
    const enter = (dir: string) => {
      index.set(dir, counter);
      low.set(dir, counter++);
      stack.push(dir);
      onStack.add(dir);
      work.push({ dir, next: 0, kids: children(dir) });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.next < frame.kids.length) {
        const kid = frame.kids[frame.next++]!;
        if (!index.has(kid)) enter(kid);
        else if (onStack.has(kid)) low.set(frame.dir, Math.min(low.get(frame.dir)!, index.get(kid)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.dir, Math.min(low.get(parent.dir)!, low.get(frame.dir)!));
      if (low.get(frame.dir) === index.get(frame.dir)) {
        const id = index.get(frame.dir)!;
        for (let member = stack.pop()!; ; member = stack.pop()!) {
          onStack.delete(member);
          cycle.set(member, id);
          if (member === frame.dir) break;
        }
      }
    }
  }
  return cycle;
}
