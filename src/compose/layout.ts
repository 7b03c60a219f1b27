// Which kustomizations to build for a change: every kustomization of the repository is read (they are small),
// the folders and files each one names give a graph, and the roots (kustomizations no other one includes)
// that reach a changed file are built. A base is built only inside the overlays that use it.
import { posix } from 'node:path';
import { readYamlDocuments } from '../formats/yaml.js';
import { isRecord } from '../common/path.js';
import { KUSTOMIZATION_NAMES, isRemote, type ReadText } from './kustomize.js';
import type { DocumentCache } from './sources.js';

/** Kustomizations read to find the roots, at most: past this the rest are a note. */
export const MAX_LAYOUT_KUSTOMIZATIONS = 5_000;
/** Roots built for one change, at most (a base shared by thousands of overlays is reported once anyway). */
export const MAX_ROOTS = 500;

interface Node {
  file: string;
  /** Folders it builds or applies (resources, bases, components). */
  dirs: string[];
  /** Files it reads directly (manifests, patch files). */
  files: string[];
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
  const texts = await Promise.all(files.map(async (file) => ({ file, text: await read(file).catch(() => null) })));
  for (const { file, text } of texts) {
    const dir = kustomizationDir(file)!;
    if (text === null || kustomizations.has(dir)) continue;
    let docs = documents.get(file);
    if (!docs) documents.set(file, (docs = readYamlDocuments(text)));
    const k = docs.values[0];
    const node: Node = { file, dirs: [], files: [] };
    kustomizations.set(dir, node);
    if (!isRecord(k)) continue;
    const list = (key: string) => (Array.isArray(k[key]) ? (k[key] as unknown[]) : []);
    const local = (entry: unknown): string | null => (typeof entry === 'string' && !isRemote(entry) ? normalize(posix.join(dir, entry)) : null);
    for (const entry of [...list('resources'), ...list('bases'), ...list('components')]) {
      const path = local(entry);
      if (path === null) continue;
      if (/\.(ya?ml|json)$/i.test(path)) node.files.push(path);
      else node.dirs.push(path);
    }
    for (const entry of list('patchesStrategicMerge')) {
      const path = typeof entry === 'string' && !entry.includes('\n') ? local(entry) : null;
      if (path !== null) node.files.push(path);
    }
    for (const entry of [...list('patches'), ...list('patchesJson6902')]) {
      const path = isRecord(entry) ? local(entry.path) : null;
      if (path !== null) node.files.push(path);
    }
  }
  return { kustomizations, notes };
}

function normalize(path: string): string {
  const normalized = posix.normalize(path).replace(/\/$/, '');
  return normalized === '' ? '.' : normalized;
}

/** The roots that reach any of `changed` (files), sorted; at most MAX_ROOTS, the rest a note. */
export function rootsReaching(layout: Layout, changed: ReadonlySet<string>): { roots: string[]; notes: Layout['notes'] } {
  const included = new Set<string>();
  for (const node of layout.kustomizations.values()) for (const dir of node.dirs) included.add(dir);
  const reaches = new Map<string, boolean>();
  const reach = (dir: string, stack: Set<string>): boolean => {
    const known = reaches.get(dir);
    if (known !== undefined) return known;
    const node = layout.kustomizations.get(dir);
    if (!node || stack.has(dir)) return false;
    stack.add(dir);
    const found = changed.has(node.file) || node.files.some((f) => changed.has(f)) || node.dirs.some((d) => reach(d, stack));
    stack.delete(dir);
    reaches.set(dir, found);
    return found;
  };
  // A kustomization that includes itself through a cycle has no root above it: it counts as one.
  const roots = [...layout.kustomizations.keys()].filter((dir) => !included.has(dir) || inCycleOnly(layout, dir, included)).filter((dir) => reach(dir, new Set())).sort();
  const notes: Layout['notes'] = [];
  if (roots.length > MAX_ROOTS) {
    notes.push({ file: layout.kustomizations.get(roots[MAX_ROOTS]!)!.file, message: `${roots.length} kustomizations build the changed files, more than the ${MAX_ROOTS} composed: the others (from this one on) are not` });
  }
  return { roots: roots.slice(0, MAX_ROOTS), notes };
}

/** Whether every kustomization that includes `dir` is one that `dir` itself reaches (a cycle, no real parent). */
function inCycleOnly(layout: Layout, dir: string, included: ReadonlySet<string>): boolean {
  if (!included.has(dir)) return false;
  const below = new Set<string>();
  const walk = (d: string) => {
    for (const next of layout.kustomizations.get(d)?.dirs ?? []) if (!below.has(next)) (below.add(next), walk(next));
  };
  walk(dir);
  for (const [parent, node] of layout.kustomizations) if (node.dirs.includes(dir) && !below.has(parent)) return false;
  return true;
}
