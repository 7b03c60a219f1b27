// Fixes as one answer for the App and the command line. Findings whose offered edits overlap (transitively)
// form one group with one combined edit, rendered by the format's own writer from all their ops; groups of one
// file never overlap, so they can all be applied together. An edit is offered only once it is proven: applied,
// the file parses, and the rules no longer report any finding of its group.
import type { Config } from './config.js';
import type { AnyRule } from './engine/define-rule.js';
import type { RepositoryIndex } from './engine/repository.js';
import type { Applicability, Edit, EditOp, Finding } from './model.js';
import { editedFile, isProvenByRebuild, placedEdit, groupCandidate, groupFindings, offeredEdit, overlaps, proofKey, provenBefore, renderedEdit, worstFirst } from './engine/fix-groups.js';
import { proveTextsPooled, renderAllPooled, renderOpsPooled } from './worker/pooled.js';
import { applyEdits } from './common/edits.js';

export interface FixContext {
  config: Config;
  rules: readonly AnyRule[];
  repository?: RepositoryIndex;
}

export interface FixGroup {
  file: string;
  /** Worst first, then by line and rule. */
  findings: Finding[];
  /** The group's proven edit; null when it has none (no fix, display only, not combinable, or not proven). */
  edit: Edit | null;
  /** `unsafe` when any member's fix may change how the workload runs. */
  applicability: Exclude<Applicability, 'display'> | null;
}

export { applyEdits } from './common/edits.js';

/**
 * The group's candidate edit: its finding's own, or one combined edit from all the ops of one resource's findings.
 * With `insertAfter`, the ops are rendered again with the keys they create placed after one of those lines when
 * the format can (model.ts EditOp): where a pull request removed lines.
 */
export async function candidateEdit(text: string, findings: readonly Finding[], insertAfter?: readonly number[]): Promise<Edit | null> {
  const candidate = candidateOf(text, findings, insertAfter);
  return candidate && 'ops' in candidate ? renderOpsPooled(candidate.path, candidate.text, candidate.resource, candidate.ops) : (candidate?.edit ?? null);
}

/** What candidateEdit needs: the offered edit itself, or the ops to render (null: the group has no candidate). */
function candidateOf(text: string, findings: readonly Finding[], insertAfter?: readonly number[]): { edit: Edit | null } | { path: string; text: string; resource: string; ops: EditOp[] } | null {
  // The worker that evaluated the file (or the composition, or the chart's render) rendered this very group: its
  // members may be on several objects (a chart's Deployments printed from one values key). With `insertAfter`, the
  // composition's edit with the keys placed where the change removed lines, if it rendered one.
  const rendered = insertAfter ? placedEdit(findings, insertAfter) : findings.length === 1 ? undefined : renderedEdit(findings);
  if (rendered !== undefined) return { edit: rendered };
  const candidate = groupCandidate(findings, insertAfter);
  if (!candidate || 'edit' in candidate) return candidate;
  // Rendered here only on the findings' own file: an edit in another (a values file) is rendered where it was proven.
  return offeredEdit(findings[0]!)?.file === findings[0]!.file ? { path: findings[0]!.file, text, ...candidate } : null;
}

/** candidateEdit of many groups at once: the renders in one batch in the worker pool (one that fails has none). */
async function candidateEdits(groups: readonly { text: string; findings: readonly Finding[] }[]): Promise<(Edit | null)[]> {
  const candidates = groups.map(({ text, findings }) => candidateOf(text, findings));
  const renders = candidates.flatMap((c, index) => (c && 'ops' in c ? [{ index, ...c }] : []));
  const rendered = await renderAllPooled(renders);
  const edits = candidates.map((c) => (c && 'edit' in c ? c.edit : null));
  renders.forEach(({ index }, i) => (edits[index] = rendered[i]!));
  return edits;
}

/**
 * Whether the file, with these edits applied, parses and no longer has any of `fingerprints` (suppressed findings
 * count as gone). The same rules and config run on it, in the worker pool like the review.
 */
export async function proveEdits(file: string, text: string, edits: readonly Edit[], fingerprints: readonly string[], context: FixContext): Promise<boolean> {
  return (await proveAll([{ file, text, edits, fingerprints }], context))[0]!;
}

/** A file's edits to prove together, and the fingerprints they must clear. */
interface EditProof {
  file: string;
  text: string;
  edits: readonly Edit[];
  fingerprints: readonly string[];
  /** The rules of those findings: only they run (a fingerprint names its rule). Absent: every rule. */
  ruleIds?: readonly string[];
}

/** proveEdits for many at once: one batch in the worker pool, so both workers prove and the context crosses once. */
async function proveAll(proofs: readonly EditProof[], context: FixContext): Promise<boolean[]> {
  const proven: (boolean | null)[] = proofs.map(({ text, edits }) => {
    if (edits.length > 0 && edits.every((edit) => isProvenByRebuild(edit))) return true;
    return applyEdits(text, edits) === text ? false : null;
  });
  const pending = proofs.flatMap((proof, i) => (proven[i] === null ? [{ index: i, path: proof.file, text: applyEdits(proof.text, proof.edits), fingerprints: proof.fingerprints, ruleIds: proof.ruleIds }] : []));
  const answers = await proveTextsPooled(pending, { config: context.config, rules: context.rules, repository: context.repository });
  pending.forEach((p, i) => (proven[p.index] = answers[i]!));
  return proven.map((p) => p === true);
}

function rulesOf(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.ruleId))];
}

/** The candidate of a group in a file not among the texts: only an edit proven by building again. */
function rebuiltCandidate(findings: readonly Finding[]): Edit | null {
  const edit = findings.length === 1 ? offeredEdit(findings[0]!) : renderedEdit(findings);
  return edit && isProvenByRebuild(edit) ? edit : null;
}

function applicabilityOf(findings: readonly Finding[]): FixGroup['applicability'] {
  return findings.some((f) => f.fix?.applicability === 'unsafe') ? 'unsafe' : 'safe';
}

/**
 * Every group of these findings with its proven edit. Every file's candidates are proven together with one re-scan
 * of the file; only where that fails is each proven alone, so the common case costs one scan per file with fixes.
 * All files are planned at once: the candidates rendered and the proofs run concurrently in the worker pool.
 */
export async function planFixes(findings: readonly Finding[], texts: ReadonlyMap<string, string>, context: FixContext): Promise<FixGroup[]> {
  const byFile = new Map<string, Finding[][]>();
  for (const members of groupFindings(findings)) {
    const file = editedFile(members);
    (byFile.get(file) ?? byFile.set(file, []).get(file)!).push(members);
  }
  const rendering = [...byFile].flatMap(([file, groups]) => {
    const text = texts.get(file);
    return text === undefined ? [] : groups.map((findings) => ({ text, findings }));
  });
  const rendered = await candidateEdits(rendering);
  const firstCandidates = new Map(rendering.map(({ findings }, i) => [findings, rendered[i]!]));
  const files = await Promise.all(
    [...byFile].map(async ([file, groups]) => {
      const text = texts.get(file);
      // A file not among the texts (a base no one changed, a chart's values) has only the edits proven by building again.
      const entries =
        text === undefined
          ? groups.map((members) => ({ findings: members, candidate: rebuiltCandidate(members) }))
          : await combinedCandidates(text, groups.map((findings) => ({ findings, candidate: firstCandidates.get(findings) ?? null })));
      const withEdit = entries.filter((e): e is { findings: Finding[]; candidate: Edit } => e.candidate !== null);
      const proven = new Set(withEdit.filter((e) => isProvenByRebuild(e.candidate)).map((e) => e.candidate));
      return { file, text, entries, withEdit, proven };
    }),
  );
  const unproven = files.filter((f): f is typeof f & { text: string } => f.text !== undefined && f.withEdit.some((e) => !f.proven.has(e.candidate)));
  const asked = unproven.map(({ file, text, withEdit }) => {
    const findings = withEdit.flatMap((e) => e.findings);
    const edits = withEdit.map((e) => e.candidate);
    const fingerprints = findings.map((f) => f.fingerprint);
    // The worker that evaluated the file may have proved exactly this already (src/worker/prove-task.ts).
    return { proof: { file, text, edits, fingerprints, ruleIds: rulesOf(findings) }, before: provenBefore(findings, proofKey(edits, fingerprints)) };
  });
  const toProve = asked.filter((a) => a.before === undefined);
  const provenNow = await proveAll(toProve.map((a) => a.proof), context);
  const answers = new Map(toProve.map((a, i) => [a, provenNow[i]!]));
  const together = asked.map((a) => a.before ?? answers.get(a)!);
  const alone: { file: (typeof unproven)[number]; entry: { findings: Finding[]; candidate: Edit } }[] = [];
  unproven.forEach((file, i) => {
    for (const entry of file.withEdit) {
      if (file.proven.has(entry.candidate)) continue;
      if (together[i]) file.proven.add(entry.candidate);
      else alone.push({ file, entry });
    }
  });
  const aloneProven = await proveAll(
    alone.map(({ file, entry }) => ({ file: file.file, text: file.text, edits: [entry.candidate], fingerprints: entry.findings.map((f) => f.fingerprint), ruleIds: rulesOf(entry.findings) })),
    context,
  );
  alone.forEach(({ file, entry }, i) => aloneProven[i] && file.proven.add(entry.candidate));
  const planned: FixGroup[] = files.flatMap(({ file, entries, proven }) =>
    entries.map((entry) => {
      const edit = entry.candidate && proven.has(entry.candidate) ? entry.candidate : null;
      return { file, findings: entry.findings, edit, applicability: edit ? applicabilityOf(entry.findings) : null };
    }),
  );
  return planned.sort((a, b) => a.file.localeCompare(b.file) || a.findings[0]!.line - b.findings[0]!.line);
}

/**
 * One file's groups with their candidate edits (`first`: each group's own, rendered in one batch with every other
 * file's), none overlapping: a combined edit may reach past its members' own edits (the writer re-renders the
 * block), so groups whose candidates overlap are merged and rendered again until none do. Each round merges at
 * least two groups, so it ends.
 */
async function combinedCandidates(text: string, first: { findings: Finding[]; candidate: Edit | null }[]): Promise<{ findings: Finding[]; candidate: Edit | null }[]> {
  let entries = first;
  for (;;) {
    const clash = entries.flatMap((a, i) => entries.slice(i + 1).filter((b) => a.candidate && b.candidate && overlaps(a.candidate, b.candidate)).map((b) => [a, b] as const))[0];
    if (!clash) return entries;
    const findings = [...clash[0].findings, ...clash[1].findings].sort(worstFirst);
    const merged = { findings, candidate: await candidateEdit(text, findings).catch(() => null) };
    entries = [...entries.filter((e) => e !== clash[0] && e !== clash[1]), merged];
  }
}
