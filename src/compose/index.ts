// Composition: the step between the formats and the rules. It turns the files of a Kustomize layout into the
// objects they deploy, as engine resources whose values know their origin. Kustomize is its first producer; a
// renderer (Helm) plugs in the same way: produce `ParsedFile`s of composed resources and the files it consumed.
import { posix } from 'node:path';
import { foldersWithSeveralKustomizations, isKustomizationFile } from '../formats/kustomization-file.js';
import type { Note, ParsedFile } from '../model.js';
import { Composer, type ReadText, type UncomposedPart } from './kustomize.js';
import { MAX_ROOTS, readLayout, rootsReaching, type Layout } from './layout.js';
import { composedResource } from './resources.js';
import type { DocumentCache } from './sources.js';
import type { ChartInflater, ChartInflation } from './helm-charts.js';
import type { UnreadDocuments } from '../formats/unread-documents.js';

export interface Composed {
  /** One per root kustomization: the resources its build deploys (the file is the kustomization). */
  files: ParsedFile[];
  /** Manifests, patch files and files generators read that the builds consumed: reviewed through the composed resources, not alone. */
  consumed: Set<string>;
  /** Patch files whose `$patch: delete` removed a whole object: the removal is what they contribute. */
  deleting: Set<string>;
  /** Every file the builds read (what a baseline must read at the base revision too). */
  read: Set<string>;
  notes: Note[];
  /** What the builds' kustomizations add that could not be composed: not reviewed (src/compose/kustomize.ts). */
  uncomposed: UncomposedPart[];
  /** Builds cut at a bound (src/compose/kustomize.ts `Composer.cuts`). */
  cuts?: { path: string | null; message: string }[];
  /** How the builds inflated `helmCharts` (src/compose/helm-charts.ts), to build them again alike. */
  charts?: ChartInflation;
}

export const NOTHING_COMPOSED: Composed = { files: [], consumed: new Set(), deleting: new Set(), read: new Set(), notes: [], uncomposed: [] };

/**
 * Build the given root folders; `charts`: how `helmCharts` are inflated (none: they are not composed); `unread`: the
 * kinds no rule reads, whose documents are read only as far as their identity (a CustomResourceDefinition's schema,
 * most of a real repository's bytes). Builds that select such an object to patch or copy from are built again,
 * reading every document whole: what they deploy is then exactly what kustomize deploys, as without `unread`.
 */
export async function composeRoots(roots: readonly string[], read: ReadText, documents: DocumentCache = new Map(), charts?: ChartInflation, unread?: UnreadDocuments): Promise<Composed> {
  const { selectedPartial, ...composed } = await composeWith(roots, read, documents, charts, unread);
  if (!selectedPartial) return composed;
  const { selectedPartial: _, ...whole } = await composeWith(roots, read, documents, charts, undefined);
  return whole;
}

async function composeWith(roots: readonly string[], read: ReadText, documents: DocumentCache, charts: ChartInflation | undefined, unread: UnreadDocuments | undefined): Promise<Composed & { selectedPartial: boolean }> {
  const composer = new Composer(read, documents, charts ?? null, unread);
  const files: ParsedFile[] = [];
  // One root after another: builds of shared bases are reused, and a cycle is always cut where it closes.
  for (const root of roots) {
    const objects = await composer.build(root);
    const found = objects && (await composer.kustomizationOf(root));
    if (!objects || !found) continue;
    const resources = objects.filter((o) => typeof o.body.apiVersion === 'string').map((o) => composedResource(o, composer.sources));
    // The text stays empty: suppression comments are read from each value's own file, not the kustomization's.
    files.push({ file: found.file, format: 'yaml', text: '', resources, errors: [], notes: [] });
  }
  return { files, consumed: composer.consumed, deleting: composer.deleting, read: composer.read, notes: composer.notes.map((n) => ({ file: n.file, message: n.message })), uncomposed: composer.uncomposed, cuts: composer.cuts, ...(charts ? { charts } : {}), selectedPartial: composer.selectedPartial };
}

/** Which roots a change's composition builds: the layout read once, for every batch of roots built after. */
export interface CompositionPlan {
  layout: Layout;
  /** The roots that reach the changed files, sorted: at most MAX_ROOTS. */
  roots: string[];
  /** The changed files the roots past MAX_ROOTS would read: not reviewed. */
  behindCut: UncomposedPart[];
}

/**
 * Read the layout and find the roots that reach the changed files: `paths` lists the repository, `read` reads it.
 * Null when the repository has no kustomization.
 */
export async function planComposition(paths: readonly string[], changed: ReadonlySet<string>, read: ReadText, documents: DocumentCache = new Map()): Promise<CompositionPlan | null> {
  const layout = await readLayout(paths, read, changed, documents);
  if (layout.kustomizations.size === 0) return null;
  const { roots, cut } = rootsReaching(layout, changed);
  // Past MAX_ROOTS, a root is not built: what it would read of the change is judged in no build of it.
  const tooMany = `${roots.length + cut.length} kustomizations build the changed files, more than the ${MAX_ROOTS} composed`;
  return { layout, roots, behindCut: changedBehindCuts(layout, cut.map((dir) => ({ path: dir, message: tooMany })), roots, changed) };
}

/**
 * Build some of a plan's roots (all of them, or one batch): what they deploy, and what of the change they could
 * not compose. The plan's own notes and cut are not repeated here.
 */
export async function composePlanned(plan: CompositionPlan, roots: readonly string[], paths: readonly string[], changed: ReadonlySet<string>, read: ReadText, documents: DocumentCache = new Map(), inflate?: ChartInflater, unread?: UnreadDocuments): Promise<Composed> {
  const composed = await composeRoots(roots, read, documents, inflate ? { paths, inflate } : undefined, unread);
  const ambiguous = ambiguousFolders(paths, changed, composed.read);
  if (ambiguous.length > 0) return { ...notComposed(ambiguous, changed, composed.read), notes: composed.notes };
  return { ...composed, uncomposed: [...composed.uncomposed, ...changedBehindCuts(plan.layout, composed.cuts ?? [], roots, changed)] };
}

/**
 * Build the kustomizations that reach the changed files: `paths` lists the repository, `read` reads it.
 * Returns nothing when no kustomization reaches them.
 */
export async function composeChanged(paths: readonly string[], changed: ReadonlySet<string>, read: ReadText, documents: DocumentCache = new Map(), inflate?: ChartInflater, unread?: UnreadDocuments): Promise<Composed & { roots: string[] }> {
  const plan = await planComposition(paths, changed, read, documents);
  if (!plan) return { ...NOTHING_COMPOSED, roots: [] };
  const composed = await composePlanned(plan, plan.roots, paths, changed, read, documents, inflate, unread);
  return { ...composed, uncomposed: withoutRepeats([...composed.uncomposed, ...plan.behindCut]), roots: plan.roots, notes: [...plan.layout.notes, ...composed.notes] };
}

/**
 * Uncomposed parts once each, as builds composed apart (batches of roots) say them: the same part once, and a changed
 * file behind several cuts once, at the first.
 */
export function withoutRepeats(parts: readonly UncomposedPart[]): UncomposedPart[] {
  const seen = new Set<string>();
  return parts.filter((part) => {
    const key = part.message.startsWith(BEHIND_CUT) ? `${part.file}\0cut` : `${part.file}\0${part.input ?? ''}\0${part.message}\0${part.lines?.startLine ?? ''}\0${part.lines?.endLine ?? ''}\0${part.missing ?? ''}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

const BEHIND_CUT = 'a build that reads this file was cut';

/**
 * The changed files a build cut at a bound would have read: everything the layout says the cut folder (or, for a
 * cut of everything after it, every root) reaches, through nested kustomizations. Each is not reviewed: it may be
 * read by the part that was cut, and is then judged neither composed nor alone. Over-approximated, never under.
 */
function changedBehindCuts(layout: Layout, cuts: readonly { path: string | null; message: string }[], roots: readonly string[], changed: ReadonlySet<string>): UncomposedPart[] {
  const out: UncomposedPart[] = [];
  const said = new Set<string>();
  for (const cut of cuts) {
    const seen = new Set<string>();
    const queue = cut.path === null ? [...roots] : [cut.path];
    const reads = new Set<string>(queue);
    const trees: string[] = [];
    while (queue.length > 0) {
      const node = layout.kustomizations.get(queue.pop()!);
      if (!node || seen.has(node.file)) continue;
      seen.add(node.file);
      reads.add(node.file);
      for (const file of [...node.files, ...node.data]) reads.add(file);
      trees.push(...node.trees);
      queue.push(...node.dirs);
    }
    for (const file of changed) {
      if (said.has(file) || !(reads.has(file) || trees.some((tree) => file.startsWith(`${tree}/`)))) continue;
      said.add(file);
      out.push({ file, message: `${BEHIND_CUT} (${cut.message}): it was not composed`, lines: null, input: 'file' });
    }
  }
  return out;
}

/**
 * The folders holding several kustomization files (`kustomization.yaml` and `Kustomization`, …) that the builds
 * entered or the change writes one of: kustomize refuses to build such a folder, so what it deploys is not known.
 */
function ambiguousFolders(paths: readonly string[], changed: ReadonlySet<string>, read: ReadonlySet<string>): string[] {
  const several = foldersWithSeveralKustomizations(paths);
  if (several.size === 0) return [];
  const reached = [...read, ...changed].filter((p) => isKustomizationFile(p) && several.has(posix.dirname(p)));
  return [...new Set(reached.map((p) => posix.dirname(p)))].sort();
}

/**
 * Nothing composed, and every changed file the builds read (or that is a kustomization of such a folder) not
 * reviewed, anywhere in it: Warden does not guess which of a folder's kustomization files counts.
 */
function notComposed(ambiguous: readonly string[], changed: ReadonlySet<string>, read: ReadonlySet<string>): Composed {
  const folders = ambiguous.map((dir) => `\`${dir}\``).join(', ');
  const message = `${ambiguous.length === 1 ? 'folder' : 'folders'} ${folders} ${ambiguous.length === 1 ? 'holds' : 'hold'} more than one kustomization file (kustomization.yaml, kustomization.yml, Kustomization): kustomize refuses to build it, so what it deploys is not known and the build was not composed`;
  const owned = [...changed].filter((p) => read.has(p) || (isKustomizationFile(p) && ambiguous.includes(posix.dirname(p)))).sort();
  return { files: [], consumed: new Set(), deleting: new Set(), read: new Set(read), notes: [], uncomposed: owned.map((file) => ({ file, message, lines: null })) };
}
