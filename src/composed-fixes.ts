// Fixes of composed objects (src/composed-review.ts): what each finding or group of findings offers, rendered on
// the composed object, and proven by composing again what the edited files reach, as the rule tester proves a fix.
import { unreadFor } from '../rules/index.js';
import { posix } from 'node:path';
import type { CompositionOptions } from './composed-review.js';
import { composeRoots, type Composed } from './compose/index.js';
import type { DocumentCache } from './compose/sources.js';
import type { ReadText } from './compose/kustomize.js';
import { evaluate } from './engine/run.js';
import { groupCandidate, groupFindings } from './engine/fix-groups.js';
import { renderFix } from './engine/render-fix.js';
import { readYamlDocuments } from './formats/yaml-documents.js';
import { applyEdits } from './common/edits.js';
import type { Edit, EditOp, Finding, Resource } from './model.js';

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

/**
 * Where a batch's fixes are proven: its builds, how files are read, the review's options, the parses the builds share
 * with the proofs, and what is left of the review's bounds (shared by the batches of one composition).
 */
export interface ProofSite {
  composed: Composed;
  read: ReadText;
  options: CompositionOptions;
  documents: DocumentCache;
  budget: ProofBudget;
}

/** What proofs may still compose and parse in one review. */
export interface ProofBudget {
  builds: number;
  bytes: number;
}

export function proofBudget(): ProofBudget {
  return { builds: MAX_PROOF_BUILDS, bytes: MAX_PROOF_BYTES };
}

/**
 * What a composed fix offers, as planning the fixes groups them (src/engine/fix-groups.ts): a finding's own edits, or
 * for findings whose edits overlap on one object, one edit rendered from all their ops on the composed object.
 */
interface ComposedCandidate {
  findings: Finding[];
  edits: Edit[];
  ops: EditOp[];
  /**
   * The composed object the ops are rendered on, by its build and id (`objectKey`: builds of several roots may
   * deploy objects of one id); null for a fix an earlier batch rendered (proven again only).
   */
  resource: string | null;
}

/**
 * A fix a batch of builds proved (src/composed-review.ts): the builds of later batches that read a file it edits are
 * composed with it too (`proveAgain`), as one proof over every build would compose them. `placed`: the variant whose
 * keys are placed where the change removed lines (`fix.placed`), not the fix itself.
 */
export interface ProvenFix {
  findings: readonly Finding[];
  edits: readonly Edit[];
  ops: readonly EditOp[];
  placed: boolean;
}

/** The composed objects by `objectKey`, to render ops on. */
type ComposedObjects = ReadonlyMap<string, { resource: Resource; text: string }>;

/** A composed object's key: its build (the root's folder, as a finding's `build`) and its id. */
function objectKey(build: string | undefined, id: string): string {
  return `${build ?? ''}\0${id}`;
}

function composedObjects(composed: Composed): ComposedObjects {
  return new Map(composed.files.flatMap((file) => file.resources.map((resource) => [objectKey(posix.dirname(file.file), resource.id), { resource, text: file.text }] as const)));
}

/** Ops rendered on a composed object as one edit in `file` (planning offers a group one edit), else null. */
function renderedIn(objects: ComposedObjects, key: string, ops: readonly EditOp[], file: string): Edit[] | null {
  const found = objects.get(key);
  if (!found) return null;
  try {
    const edits = renderFix(found.resource, found.text, ops);
    return edits.length === 1 && edits[0]!.file === file ? edits : null;
  } catch {
    return null;
  }
}

function composedCandidates(findings: readonly Finding[], objects: ComposedObjects, buildOf: ReadonlyMap<string, string | undefined>): { candidates: ComposedCandidate[]; without: Finding[][] } {
  const open = findings.filter((f) => f.fix && f.fix.applicability !== 'display' && f.fix.edits.length > 0 && !f.suppressed);
  const candidates: ComposedCandidate[] = [];
  const without: Finding[][] = [];
  for (const members of groupFindings(open)) {
    const only = members.length === 1 ? members[0]! : null;
    if (only) {
      candidates.push({ findings: members, edits: only.fix!.edits, ops: only.fix!.ops, resource: objectKey(buildOf.get(only.fingerprint), only.resource) });
      continue;
    }
    const candidate = groupCandidate(members);
    const ops = candidate && 'ops' in candidate ? candidate.ops : null;
    // Rendered on the object the first member was found on, in its own build.
    const resource = objectKey(buildOf.get(members[0]!.fingerprint), members[0]!.resource);
    const edits = ops && renderedIn(objects, resource, ops, members[0]!.file);
    if (ops && edits) candidates.push({ findings: members, edits, ops, resource });
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
export async function proveComposedFixes(
  findings: Finding[],
  site: ProofSite,
  removals: ReadonlyMap<string, readonly number[]>,
  /** The build each finding was first found in (by fingerprint): its fix is rendered on the object there. */
  buildOf: ReadonlyMap<string, string | undefined>,
): Promise<ProvenFix[]> {
  const objects = composedObjects(site.composed);
  const { candidates, without } = composedCandidates(findings, objects, buildOf);
  const proven = await provenTogether(candidates, site);
  const kept: ProvenFix[] = candidates.filter((c) => proven.has(c)).map((c) => ({ ...c, placed: false }));
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
    const placed = placedCandidate(candidate, after, objects);
    if (!placed || sameEdit(placed.edits[0]!, candidate.edits[0]!)) continue;
    const first = candidate.findings[0]!;
    const edit = (await provenByComposing([placed], site)) ? placed.edits[0]! : null;
    first.fix = { ...first.fix!, placed: { members: candidate.findings.map((f) => f.fingerprint), insertAfter: [...after], edit } };
    if (edit) kept.push({ ...placed, placed: true });
  }
  return kept;
}

/**
 * Fixes an earlier batch proved, proven again on this batch's builds that read a file they edit (a base several
 * batches build): the ones that do not hold here. As one proof over every build would: none of their findings'
 * fingerprints is left in these builds (the ops are rendered again only on the object the first batch rendered them
 * on, which is not among these builds).
 */
export async function proveAgain(fixes: readonly ProvenFix[], site: ProofSite): Promise<Set<ProvenFix>> {
  const candidates = new Map<ComposedCandidate, ProvenFix>();
  for (const fix of fixes) {
    if (fix.edits.some((edit) => site.composed.read.has(edit.file))) candidates.set({ findings: [...fix.findings], edits: [...fix.edits], ops: [...fix.ops], resource: null }, fix);
  }
  const proven = await provenTogether([...candidates.keys()], site);
  return new Set([...candidates].filter(([candidate]) => !proven.has(candidate)).map(([, fix]) => fix));
}

/**
 * The candidates proven: those of one file together, with one build of what the file reaches; each alone where
 * that fails (or where a candidate edits several files).
 */
async function provenTogether(candidates: readonly ComposedCandidate[], site: ProofSite): Promise<Set<ComposedCandidate>> {
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
    if (batch.length > 1 && apart && (await provenByComposing(batch, site))) for (const c of batch) proven.add(c);
    else alone.push(...batch);
  }
  for (const candidate of alone) if (await provenByComposing([candidate], site)) proven.add(candidate);
  return proven;
}

/** A candidate's ops rendered again with the keys they set placed after one of `after`, on the composed object. */
function placedCandidate(candidate: ComposedCandidate, after: readonly number[], objects: ComposedObjects): ComposedCandidate | null {
  if (candidate.resource === null) return null;
  const ops = candidate.ops.map((op) => (op.op === 'set' ? { ...op, insertAfter: after } : op));
  const edits = renderedIn(objects, candidate.resource, ops, candidate.edits[0]!.file);
  return edits ? { ...candidate, edits, ops } : null;
}

function sameEdit(a: Edit, b: Edit): boolean {
  return a.file === b.file && a.startLine === b.startLine && a.endLine === b.endLine && a.replacement === b.replacement;
}

async function provenByComposing(candidates: readonly ComposedCandidate[], { composed, read, options, budget, documents }: ProofSite): Promise<boolean> {
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
  const again = await composeRoots(roots, (path) => (edited.has(path) ? Promise.resolve(edited.get(path)!) : read(path)), parses, composed.charts, unreadFor(options.rules));
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
  const resources = new Map(again.files.flatMap((f) => f.resources.map((r) => [objectKey(posix.dirname(f.file), r.id), r] as const)));
  // Applied twice, no change: the same ops on the fixed composition render no edit.
  return candidates.every((c) => {
    if (c.resource === null) return true;
    const resource = resources.get(c.resource);
    return resource !== undefined && (resource.source.render?.(c.ops) ?? []).length === 0;
  });
}
