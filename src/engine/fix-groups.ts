// Which findings' fixes must be offered together, and the one edit of such a group. Findings whose offered edits
// overlap (transitively) form one group; a group of one resource's findings gets one edit rendered from all their
// ops. Pure: the worker that evaluated a file renders its groups' edits while it still holds the parse, and
// src/fixes.ts plans and proves them for the App and the command line.
import { severityRank, type Edit, type EditOp, type Finding, type ParsedFile } from '../model.js';
import { renderFix } from './render-fix.js';

/** The one edit a finding's fix offers, if it offers one in its own file. */
export function offeredEdit(finding: Finding): Edit | null {
  const fix = finding.fix;
  if (!fix || fix.applicability === 'display' || fix.edits.length !== 1) return null;
  const edit = fix.edits[0]!;
  return edit.file === finding.file ? edit : null;
}

export function overlaps(a: Edit, b: Edit): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}

export function worstFirst(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.line - b.line || a.ruleId.localeCompare(b.ruleId);
}

/** Partition findings, file by file: those whose offered edits overlap (transitively) share a group. */
export function groupFindings(findings: readonly Finding[]): Finding[][] {
  const byFile = new Map<string, { findings: Finding[]; edits: Edit[] }[]>();
  for (const finding of findings) {
    const groups = byFile.get(finding.file) ?? byFile.set(finding.file, []).get(finding.file)!;
    const edit = offeredEdit(finding);
    if (!edit) {
      groups.push({ findings: [finding], edits: [] });
      continue;
    }
    const touching = groups.filter((g) => g.edits.some((e) => overlaps(e, edit)));
    for (const g of touching) groups.splice(groups.indexOf(g), 1);
    groups.push({ findings: [...touching.flatMap((g) => g.findings), finding], edits: [...touching.flatMap((g) => g.edits), edit] });
  }
  return [...byFile.values()].flatMap((groups) => groups.map((g) => g.findings.sort(worstFirst)));
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

// Rendered groups as the main thread keeps them once findings arrive (src/worker/pool.ts takes them off the
// findings, so they never reach an output): by the first member.
const renderedGroups = new WeakMap<Finding, RenderedGroup>();

/** Move a finding's rendered group off it, to be found by renderedEdit. */
export function keepRenderedGroup(finding: Finding): void {
  const rendered = finding.fix?.rendered;
  if (!rendered) return;
  delete finding.fix!.rendered;
  renderedGroups.set(finding, rendered);
}

/** The edit rendered for exactly this group, if the worker rendered one (undefined: render it). */
export function renderedEdit(findings: readonly Finding[]): Edit | null | undefined {
  for (const finding of findings) {
    const rendered = renderedGroups.get(finding);
    if (!rendered || rendered.members.length !== findings.length) continue;
    // The same members (in the same order but for ties of worstFirst, which render equally well).
    const members = new Set(rendered.members);
    if (findings.every((f) => members.has(f.fingerprint))) return rendered.edit;
  }
  return undefined;
}
