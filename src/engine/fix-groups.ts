// Which findings' fixes must be offered together, and the one edit of such a group. Findings whose offered edits
// overlap (transitively) form one group; a group of one resource's findings gets one edit rendered from all their
// ops. Pure: the worker that evaluated a file renders its groups' edits while it still holds the parse, and
// src/fixes.ts plans and proves them for the App and the command line.
import { hash } from 'node:crypto';
import { severityRank, type Edit, type EditOp, type Finding, type ParsedFile } from '../model.js';
import { renderFix } from './render-fix.js';

/**
 * The one edit a finding's fix offers: in its own file, or in the one file that holds its value (a chart's values
 * file for a finding on the template line of the object that lacks a setting).
 */
export function offeredEdit(finding: Finding): Edit | null {
  const fix = finding.fix;
  if (!fix || fix.applicability === 'display' || fix.edits.length !== 1) return null;
  return fix.edits[0]!;
}

/** The file a group's fix edits: its members' offered edits', else its first member's own. */
export function editedFile(findings: readonly Finding[]): string {
  return offeredEdit(findings[0]!)?.file ?? findings[0]!.file;
}

export function overlaps(a: Edit, b: Edit): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}

export function worstFirst(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.line - b.line || a.ruleId.localeCompare(b.ruleId);
}

/**
 * Partition findings, by the file their edits edit: those whose offered edits overlap (transitively) share a group. A group's edits
 * cover one run of lines (they overlap, one after another), and two groups' runs never meet, so the groups an edit
 * touches are found by binary search among runs kept in order: a file of 1,000 objects and 18,000 findings groups
 * in milliseconds (comparing each edit with every group took seconds). Groups come in the order of their last
 * member, members in the order they joined, then worst first.
 */
export function groupFindings(findings: readonly Finding[]): Finding[][] {
  interface Group {
    findings: Finding[];
    start: number;
    end: number;
    /** The index of its last member, which orders the groups. */
    last: number;
    merged: boolean;
  }
  const byFile = new Map<string, { groups: Group[]; runs: Group[] }>();
  findings.forEach((finding, index) => {
    const edit = offeredEdit(finding);
    const edited = edit?.file ?? finding.file;
    const file = byFile.get(edited) ?? byFile.set(edited, { groups: [], runs: [] }).get(edited)!;
    if (!edit) {
      file.groups.push({ findings: [finding], start: 0, end: -1, last: index, merged: false });
      return;
    }
    const { runs } = file;
    // The first run that ends at or after the edit's start, and those after it that start by the edit's end.
    let low = 0;
    let high = runs.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (runs[mid]!.end < edit.startLine) low = mid + 1;
      else high = mid;
    }
    let to = low;
    while (to < runs.length && runs[to]!.start <= edit.endLine) to++;
    const touching = runs.slice(low, to).sort((a, b) => a.last - b.last);
    for (const group of touching) group.merged = true;
    const group: Group = {
      findings: [...touching.flatMap((g) => g.findings), finding],
      start: Math.min(edit.startLine, ...touching.map((g) => g.start)),
      end: Math.max(edit.endLine, ...touching.map((g) => g.end)),
      last: index,
      merged: false,
    };
    runs.splice(low, to - low, group);
    file.groups.push(group);
  });
  return [...byFile.values()].flatMap(({ groups }) => groups.filter((g) => !g.merged).map((g) => g.findings.sort(worstFirst)));
}

/**
 * What a group's edit is made of: the offered edit itself (a group of one), the ops to render (every member offers
 * an edit on one resource), or null (no candidate). With `insertAfter`, the keys the ops create are placed after
 * one of those lines when the format can (model.ts EditOp).
 */
export function groupCandidate(findings: readonly Finding[], insertAfter?: readonly number[]): { edit: Edit | null } | { resource: string; ops: EditOp[] } | null {
  if (findings.length === 1 && !insertAfter) return { edit: offeredEdit(findings[0]!) };
  const resource = findings[0]!.resource;
  if (!findings.every((f) => f.resource === resource && offeredEdit(f))) return null;
  const ops: EditOp[] = findings.flatMap((f) => f.fix!.ops).map((op) => (insertAfter && op.op === 'set' ? { ...op, insertAfter } : op));
  return { resource, ops };
}

/** A group's edit as the worker that evaluated the file rendered it, carried on the group's first member. */
export interface RenderedGroup {
  /** The group's members' fingerprints. */
  members: string[];
  edit: Edit | null;
}

/**
 * Render the edit of every group of several findings among one file's open findings, with the file's parse still
 * held (src/engine/run.ts calls this before releasing it): planning the fixes then renders nothing again unless
 * its groups differ (findings added or dropped after the scan).
 */
export function renderGroups(file: ParsedFile, findings: readonly Finding[]): void {
  const open = findings.filter((f) => !f.suppressed && f.fix);
  if (open.length < 2) return;
  const byId = new Map(file.resources.map((r) => [r.id, r]));
  for (const members of groupFindings(open)) {
    if (members.length < 2) continue;
    const candidate = groupCandidate(members);
    if (!candidate || !('ops' in candidate)) continue;
    const resource = byId.get(candidate.resource);
    if (!resource) continue;
    let edit: Edit | null = null;
    try {
      edit = renderFix(resource, file.text, candidate.ops)[0] ?? null;
    } catch {
      edit = null;
    }
    members[0]!.fix!.rendered = { members: members.map((f) => f.fingerprint), edit };
  }
}

/**
 * One file's groups with their candidate edits, as planning the fixes first finds them: each group's own edit
 * (a group of one) or the edit rendered for it; null when two candidates overlap (planning merges those and
 * renders again).
 */
export function fileCandidates(findings: readonly Finding[]): { findings: Finding[]; edit: Edit }[] | null {
  const open = findings.filter((f) => !f.suppressed && f.fix);
  const out: { findings: Finding[]; edit: Edit }[] = [];
  for (const members of groupFindings(open)) {
    const candidate = groupCandidate(members);
    const edit = !candidate ? null : 'edit' in candidate ? candidate.edit : (members.find((f) => f.fix?.rendered)?.fix?.rendered?.edit ?? null);
    if (edit) out.push({ findings: members, edit });
  }
  const sorted = out.map((c) => c.edit).sort((a, b) => a.startLine - b.startLine);
  for (let i = 1; i < sorted.length; i++) if (overlaps(sorted[i - 1]!, sorted[i]!)) return null;
  return out;
}

/** What a proof of a file's edits proves: those edits applied together clear those findings. */
export function proofKey(edits: readonly Edit[], fingerprints: readonly string[]): string {
  const parts = [...fingerprints].sort();
  for (const edit of [...edits].sort((a, b) => a.startLine - b.startLine)) parts.push(`${edit.startLine},${edit.endLine}`, edit.replacement);
  return hash('sha1', parts.join('\0'));
}

// Edits of composed objects (src/composed-review.ts) and rendered charts (src/render/chart-review.ts) are proven by
// building what is deployed again, which a re-scan of one file cannot do (a patch alone is not the object it
// patches, a values file is no object at all): known by identity, planning counts them as proven.
const provenByRebuild = new WeakSet<Edit>();

export function isProvenByRebuild(edit: Edit): boolean {
  return provenByRebuild.has(edit);
}

/**
 * Take what a composition or a chart's render proved off its findings: each finding's own edit (unless it belongs
 * to a group, which proved only the group's edit) and each group's edit, marked proven; the groups' edits kept for
 * renderedEdit.
 */
export function keepRebuiltResults(findings: readonly Finding[], ownProven: 'each' | 'alone'): void {
  const grouped = new Set(ownProven === 'alone' ? findings.flatMap((f) => f.fix?.rendered?.members ?? []) : []);
  for (const finding of findings) {
    if (!grouped.has(finding.fingerprint)) for (const edit of finding.fix?.edits ?? []) provenByRebuild.add(edit);
    if (finding.fix?.rendered?.edit) provenByRebuild.add(finding.fix.rendered.edit);
    if (finding.fix?.placed) {
      if (finding.fix.placed.edit) provenByRebuild.add(finding.fix.placed.edit);
      placedGroups.set(finding, finding.fix.placed);
      delete finding.fix.placed;
    }
    keepWorkerResults(finding);
  }
}

// Edits a composition rendered with the keys placed where the change removed lines, by their group's first member.
const placedGroups = new WeakMap<Finding, { members: string[]; insertAfter: number[]; edit: Edit | null }>();

/**
 * The edit a composition rendered for exactly this group with its keys placed after one of `insertAfter`
 * (undefined: none was, render it here).
 */
export function placedEdit(findings: readonly Finding[], insertAfter: readonly number[]): Edit | null | undefined {
  const wanted = new Set(insertAfter);
  return groupEdit(findings, placedGroups, (placed) => placed.insertAfter.some((line) => wanted.has(line)));
}

/**
 * The edit kept for exactly this group (on one of its members, naming them all) that `fits`; undefined when none is.
 * The same members, in the same order but for ties of worstFirst, which render equally well.
 */
function groupEdit<G extends RenderedGroup>(findings: readonly Finding[], kept: WeakMap<Finding, G>, fits: (group: G) => boolean = () => true): Edit | null | undefined {
  for (const finding of findings) {
    const group = kept.get(finding);
    if (!group || group.members.length !== findings.length || !fits(group)) continue;
    const members = new Set(group.members);
    if (findings.every((f) => members.has(f.fingerprint))) return group.edit;
  }
  return undefined;
}

// What workers worked out for planning (src/worker/pool.ts takes it off the findings as they arrive, so it never
// reaches an output): rendered groups by their first member, proofs of a file's edits by its first finding.
const renderedGroups = new WeakMap<Finding, RenderedGroup>();
const fileProofs = new WeakMap<Finding, { key: string; proven: boolean }>();

/** Move what a worker worked out off a finding, to be found by renderedEdit and provenBefore. */
export function keepWorkerResults(finding: Finding): void {
  const fix = finding.fix;
  if (fix?.rendered) renderedGroups.set(finding, fix.rendered);
  if (fix?.proof) fileProofs.set(finding, fix.proof);
  delete fix?.rendered;
  delete fix?.proof;
}

/** The edit rendered for exactly this group, if the worker rendered one (undefined: render it). */
export function renderedEdit(findings: readonly Finding[]): Edit | null | undefined {
  return groupEdit(findings, renderedGroups);
}

/** Whether the worker that evaluated the file proved exactly this (undefined: it did not). */
export function provenBefore(findings: readonly Finding[], key: string): boolean | undefined {
  for (const finding of findings) {
    const proof = fileProofs.get(finding);
    if (proof?.key === key) return proof.proven;
  }
  return undefined;
}
