// Kustomize in a review: the kustomizations that build the changed files are composed (src/compose) at head and
// at base, and the composed objects are reviewed. One is changed when a line of any file that built it is (its
// manifest, a patch, a kustomization entry); the baseline is the same composition with the changed files as
// they were at base. Composition and the rules run in the worker pool, as a scan does: the main thread only
// reads files for it, so the server stays responsive during a big review.
import { posix } from 'node:path';
import type { Config } from './config.js';
import type { AnyRule } from './engine/define-rule.js';
import type { RepositoryIndex, RepositoryReader } from './engine/repository.js';
import { evaluate } from './engine/run.js';
import { composeChanged, composeRoots, type Composed } from './compose/index.js';
import type { DocumentCache } from './compose/sources.js';
import type { ReadText } from './compose/kustomize.js';
import { fileKind } from './formats/index.js';
import { checkText } from './formats/text.js';
import { readYamlDocuments } from './formats/yaml.js';
import { applyEdits } from './fixes.js';
import type { Edit, EditOp, Finding, Note } from './model.js';
import { groupCandidate, groupFindings, keepRebuiltResults } from './engine/fix-groups.js';
import { renderFix } from './engine/render-fix.js';
import type { PatchLines } from './diff.js';
import { reviewCompositionPooled } from './worker/pooled.js';

/** A changed file as composition sees it: its texts, and the lines the change touches (null: all of them). */
export interface CompositionChange {
  path: string;
  headText: string;
  /** Null: the file is new (or unreadable at base). */
  baseText: string | null;
  lines: number[] | null;
  /**
   * The head lines after which the change removed lines: a fix of a composed object in this file is also rendered
   * with the keys it sets placed there (where the pull request removed them), for a suggestion inside the diff.
   */
  removals?: number[];
}

export interface CompositionRequest {
  /** Every path of the repository that the config admits. */
  paths: string[];
  changed: CompositionChange[];
  /** Whether there is a base revision to compare with (a baseline is composed). */
  hasBase: boolean;
}

/** What a composed review gives back: plain data, so that it can come from a worker. */
export interface CompositionReview {
  findings: Finding[];
  /** Fingerprints of the findings of the same composition at base. */
  existed: string[];
  /** Manifests and patch files composition took over: reviewed through the composed objects, not alone. */
  consumed: string[];
  /** Files whose content reached a composed object (or removed one on purpose). */
  reached: string[];
  notes: Note[];
  /** Why composition could not finish (a time limit, a worker that died): the files it may own fail closed. */
  failed?: string;
}

export interface CompositionOptions {
  config: Config;
  rules: readonly AnyRule[];
  repository: RepositoryIndex;
}

/**
 * Builds composed again to prove fixes, at most, in one review (a fix in a base shared by many overlays costs
 * one build per overlay): past it a fix is shown, not offered, so proving never makes a review miss its time limit.
 */
export const MAX_PROOF_BUILDS = 200;

/**
 * Text of edited files parsed again to prove fixes, at most, in one review (YAML parses at ~3 MB/s here: ~4 s): a
 * base of 1,000 objects costs its megabyte at every proof (200 of them took the composition past its time limit,
 * and every file it reads became not reviewed), so past this a fix is shown, not offered, too. A base under 60 KB
 * reaches MAX_PROOF_BUILDS first.
 */
export const MAX_PROOF_BYTES = 12 * 1024 * 1024;

/** Compose and review, in this thread: `readOther` reads the files that did not change. */
export async function reviewComposition(request: CompositionRequest, readOther: ReadText, options: CompositionOptions): Promise<CompositionReview> {
  const changed = new Map(request.changed.map((c) => [c.path, c]));
  const atHead: ReadText = (path) => (changed.has(path) ? Promise.resolve(changed.get(path)!.headText) : readOther(path));
  const atBase: ReadText = (path) => (changed.has(path) ? Promise.resolve(changed.get(path)!.baseText) : readOther(path));
  const touched = new Set(changed.keys());
  // The files' parses at head, shared with the proofs' builds (which parse only the files a fix edits).
  const documents: DocumentCache = new Map();
  const composed = await composeChanged(request.paths, touched, atHead, documents);
  const summary = { consumed: [...composed.consumed], reached: reachedFiles(composed), notes: composed.notes };
  if (composed.files.length === 0) return { findings: [], existed: [], ...summary };
  const changedOf = new Map(request.changed.map((c) => [c.path, c.lines && new Set(c.lines)]));
  const { findings } = evaluate(composed.files, changedOf, options);
  const removals = new Map(request.changed.flatMap((c) => (c.removals?.length ? [[c.path, c.removals] as const] : [])));
  await proveComposedFixes(findings, composed, atHead, options, documents, removals);
  let existed: string[] = [];
  if (request.hasBase) {
    const base = await composeChanged(request.paths, touched, atBase);
    const everything = new Map<string, ReadonlySet<number> | null>([...base.read].map((file) => [file, null]));
    existed = evaluate(base.files, everything, { ...options, renderFixes: false }).findings.map((f) => f.fingerprint);
  }
  return { findings, existed, ...summary };
}

function reachedFiles(composed: Composed): string[] {
  const reached = new Set(composed.deleting);
  for (const file of composed.files) for (const resource of file.resources) for (const c of resource.contributors ?? []) reached.add(c.file);
  return [...reached];
}

/**
 * What a composed fix offers, as planning the fixes groups them (src/engine/fix-groups.ts): a finding's own edits, or
 * for findings whose edits overlap on one object, one edit rendered from all their ops on the composed object.
 */
interface ComposedCandidate {
  findings: Finding[];
  edits: Edit[];
  ops: EditOp[];
  resource: string;
}

function composedCandidates(findings: readonly Finding[], composed: Composed): { candidates: ComposedCandidate[]; without: Finding[][] } {
  const open = findings.filter((f) => f.fix && f.fix.applicability !== 'display' && f.fix.edits.length > 0 && !f.suppressed);
  const resources = new Map(composed.files.flatMap((file) => file.resources.map((r) => [r.id, { resource: r, text: file.text }] as const)));
  const candidates: ComposedCandidate[] = [];
  const without: Finding[][] = [];
  for (const members of groupFindings(open)) {
    const only = members.length === 1 ? members[0]! : null;
    if (only) {
      candidates.push({ findings: members, edits: only.fix!.edits, ops: only.fix!.ops, resource: only.resource });
      continue;
    }
    const candidate = groupCandidate(members);
    const ops = candidate && 'ops' in candidate ? candidate.ops : [];
    const found = candidate && 'ops' in candidate ? resources.get(candidate.resource) : undefined;
    let edits: Edit[] = [];
    try {
      edits = found ? renderFix(found.resource, found.text, ops) : [];
    } catch {
      edits = [];
    }
    // Planning offers a group one edit in the file of its findings.
    if (found && edits.length === 1 && edits[0]!.file === members[0]!.file) candidates.push({ findings: members, edits, ops, resource: found.resource.id });
    else without.push(members);
  }
  return { candidates, without };
}

/**
 * A composed fix is offered only once proven on the composed output, as the rule tester proves it: its edits
 * applied in the files they name (a patch, or a base no one changed), the builds those files reach composed
 * again no longer have its findings, and its ops rendered on the new composition change nothing. As for plain
 * files (src/fixes.ts), the fixes of one file are proven together, with one build of what the file reaches; only
 * where that fails is each proven alone. A fix that fails (or is past the bound) is shown, not offered.
 *
 * A group of several findings gets its edit on its first member (`fix.rendered`, null when not proven), which
 * planning takes as the group's: its members' own edits overlap and are never offered alone.
 */
async function proveComposedFixes(
  findings: Finding[],
  composed: Composed,
  read: ReadText,
  options: CompositionOptions,
  documents: DocumentCache,
  removals: ReadonlyMap<string, readonly number[]>,
): Promise<void> {
  const budget = { builds: MAX_PROOF_BUILDS, bytes: MAX_PROOF_BYTES };
  const { candidates, without } = composedCandidates(findings, composed);
  const byFile = new Map<string, ComposedCandidate[]>();
  const alone: ComposedCandidate[] = [];
  for (const candidate of candidates) {
    const files = new Set(candidate.edits.map((e) => e.file));
    if (files.size === 1) (byFile.get(candidate.edits[0]!.file) ?? byFile.set(candidate.edits[0]!.file, []).get(candidate.edits[0]!.file)!).push(candidate);
    else alone.push(candidate);
  }
  const proven = new Set<ComposedCandidate>();
  for (const batch of byFile.values()) {
    const edits = batch.flatMap((c) => c.edits).sort((a, b) => a.startLine - b.startLine);
    const apart = edits.every((edit, i) => i === 0 || edits[i - 1]!.endLine < edit.startLine);
    if (batch.length > 1 && apart && (await provenByComposing(batch, composed, read, options, budget, documents))) for (const c of batch) proven.add(c);
    else alone.push(...batch);
  }
  for (const candidate of alone) if (await provenByComposing([candidate], composed, read, options, budget, documents)) proven.add(candidate);
  for (const candidate of candidates) {
    const [first, ...rest] = candidate.findings;
    if (rest.length > 0) first!.fix = { ...first!.fix!, rendered: { members: candidate.findings.map((f) => f.fingerprint), edit: proven.has(candidate) ? candidate.edits[0]! : null } };
    else if (!proven.has(candidate)) first!.fix = { ...first!.fix!, applicability: 'display', edits: [] };
  }
  // A group whose edit could not be rendered on the composed object has none (planning would render it on the file
  // alone, which is not what is deployed).
  for (const members of without) members[0]!.fix = { ...members[0]!.fix!, rendered: { members: members.map((f) => f.fingerprint), edit: null } };
  // Where the change removed lines in the file a proven fix edits: the same fix with the keys it sets placed there,
  // proven alone, for a suggestion inside the diff (src/github/comments.ts).
  for (const candidate of candidates) {
    const file = candidate.edits.length === 1 ? candidate.edits[0]!.file : undefined;
    const after = file === undefined ? undefined : removals.get(file);
    if (!proven.has(candidate) || !after || !candidate.ops.some((op) => op.op === 'set')) continue;
    const placed = placedCandidate(candidate, after, composed);
    if (!placed || sameEdit(placed.edits[0]!, candidate.edits[0]!)) continue;
    const first = candidate.findings[0]!;
    const edit = (await provenByComposing([placed], composed, read, options, budget, documents)) ? placed.edits[0]! : null;
    first.fix = { ...first.fix!, placed: { members: candidate.findings.map((f) => f.fingerprint), insertAfter: [...after], edit } };
  }
}

/** A candidate's ops rendered again with the keys they set placed after one of `after`, on the composed object. */
function placedCandidate(candidate: ComposedCandidate, after: readonly number[], composed: Composed): ComposedCandidate | null {
  const found = composed.files.flatMap((file) => file.resources.map((resource) => ({ resource, text: file.text }))).find((r) => r.resource.id === candidate.resource);
  if (!found) return null;
  const ops = candidate.ops.map((op) => (op.op === 'set' ? { ...op, insertAfter: after } : op));
  try {
    const edits = renderFix(found.resource, found.text, ops);
    return edits.length === 1 && edits[0]!.file === candidate.edits[0]!.file ? { ...candidate, edits, ops } : null;
  } catch {
    return null;
  }
}

function sameEdit(a: Edit, b: Edit): boolean {
  return a.file === b.file && a.startLine === b.startLine && a.endLine === b.endLine && a.replacement === b.replacement;
}

async function provenByComposing(
  candidates: readonly ComposedCandidate[],
  composed: Composed,
  read: ReadText,
  options: CompositionOptions,
  budget: { builds: number; bytes: number },
  documents: DocumentCache,
): Promise<boolean> {
  const allEdits = candidates.flatMap((c) => c.edits);
  const files = new Set(allEdits.map((e) => e.file));
  // Every build the edited files reach is composed again: a base fixed for one overlay is fixed for all of them.
  // Past the bound, nothing of the proof is done.
  const roots = composed.files.filter((f) => f.resources.some((r) => (r.contributors ?? []).some((c) => files.has(c.file)))).map((f) => posix.dirname(f.file));
  if (roots.length === 0 || roots.length > budget.builds) return false;
  const edited = new Map<string, string>();
  // Every file's parse as composed at head but the edited files', parsed here (compositions never change what they read).
  const parses: DocumentCache = new Map([...documents].filter(([file]) => !files.has(file)));
  for (const file of files) {
    const before = await read(file);
    if (before === null || before.length > budget.bytes) return false;
    budget.bytes -= before.length;
    const after = applyEdits(before, allEdits.filter((e) => e.file === file));
    // The fixed file must still be YAML that reads as it did (one parse error and the build silently loses it).
    const docs = after === before ? null : readYamlDocuments(after);
    if (!docs || docs.errors.length > 0) return false;
    edited.set(file, after);
    parses.set(file, docs);
  }
  budget.builds -= roots.length;
  const again = await composeRoots(roots, (path) => (edited.has(path) ? Promise.resolve(edited.get(path)!) : read(path)), parses);
  for (const [file, docs] of parses) if (!edited.has(file)) documents.set(file, docs);
  const everything = new Map<string, ReadonlySet<number> | null>([...again.read].map((file) => [file, null]));
  // Only the findings' own rules can report their fingerprints again.
  const members = candidates.flatMap((c) => c.findings);
  const ruleIds = new Set(members.map((f) => f.ruleId));
  const rules = options.rules.filter((rule) => ruleIds.has(rule.id));
  const remaining = new Set(
    evaluate(again.files, everything, { ...options, rules, renderFixes: false })
      .findings.filter((f) => !f.suppressed)
      .map((f) => f.fingerprint),
  );
  if (members.some((f) => remaining.has(f.fingerprint))) return false;
  const resources = new Map(again.files.flatMap((f) => f.resources.map((r) => [r.id, r] as const)));
  // Applied twice, no change: the same ops on the fixed composition render no edit.
  return candidates.every((c) => {
    const resource = resources.get(c.resource);
    return resource !== undefined && (resource.source.render?.(c.ops) ?? []).length === 0;
  });
}

/**
 * The composed review of a change: the repository listed and read through `reader` (or, without one, only the
 * changed files), in the worker pool when it can be. Returns nothing composed when no kustomization is in reach.
 */
export async function reviewComposed(
  files: readonly { path: string; headText: string; baseText?: string | null; patch?: string | null }[],
  patches: ReadonlyMap<string, PatchLines>,
  reader: RepositoryReader | undefined,
  admitted: (path: string) => boolean,
  options: CompositionOptions,
): Promise<CompositionReview & { existedSet: Set<string>; unfinished?: string[] }> {
  const none = { findings: [], existed: [], consumed: [], reached: [], notes: [], existedSet: new Set<string>() };
  // Only YAML is composed: a change without any needs no listing of the repository.
  if (!files.some((f) => fileKind(f.path) === 'yaml')) return none;
  let paths: string[];
  try {
    paths = reader ? await reader.paths() : files.map((f) => f.path);
  } catch {
    return none; // the repository cannot be listed: the changed files are still reviewed one by one
  }
  paths = [...new Set([...paths, ...files.map((f) => f.path)])].filter(admitted);
  if (!paths.some((p) => /(^|\/)kustomization\.ya?ml$/.test(p))) return none;
  const request: CompositionRequest = {
    paths,
    changed: files.map((f) => ({
      path: f.path,
      headText: f.headText,
      baseText: typeof f.baseText === 'string' ? f.baseText : null,
      lines: patches.has(f.path) ? [...patches.get(f.path)!.changed] : null,
      ...(patches.get(f.path)?.removals.length ? { removals: patches.get(f.path)!.removals.map((r) => r.after) } : {}),
    })),
    hasBase: files.some((f) => typeof f.baseText === 'string' || f.patch !== undefined),
  };
  // Each unchanged file is read once for both revisions, within the same size limits as a changed one.
  const texts = new Map<string, Promise<string | null>>();
  const readOther: ReadText = (path) => {
    let text = texts.get(path);
    if (!text) {
      text = reader ? reader.read(path).then((t) => (t !== null && 'text' in checkText(t) ? t : null)).catch(() => null) : Promise.resolve(null);
      texts.set(path, text);
    }
    return text;
  };
  const review = await reviewCompositionPooled(request, readOther, options);
  // Not finished: every changed file it may own fails closed (it is not known which it would have taken over).
  if (review.failed !== undefined) return { ...none, failed: review.failed, unfinished: composableFiles(files.map((f) => f.path), paths) };
  // A proven composed edit is known as such by the fix planner, which would otherwise re-scan one file alone.
  // A member of a group proved only the group's edit, not its own.
  keepRebuiltResults(review.findings, 'alone');
  return { ...review, existedSet: new Set(review.existed) };
}

/** The changed files a composition that did not finish may own: YAML in or below a folder with a kustomization. */
export function composableFiles(changed: readonly string[], paths: readonly string[]): string[] {
  const dirs = new Set(paths.filter((p) => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(p)).map((p) => posix.dirname(p)));
  const within = (path: string) => {
    for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
      if (dirs.has(dir)) return true;
      if (dir === '.' || dir === '/' || dir === '') return false;
    }
  };
  return changed.filter((p) => fileKind(p) === 'yaml' && within(p));
}
