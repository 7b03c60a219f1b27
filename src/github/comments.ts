// From findings to inline review comments GitHub accepts: every anchor on a head-side line inside a hunk, a
// suggestion only when its lines lie in one hunk and the change is proven, findings whose fixes touch the same
// lines merged into one comment with one combined suggestion (GitHub applies one suggestion per line). A finding
// whose own lines are outside the diff sits where the change touched its resource: for a removal, on the hunk
// that removed the setting, with its fix put back where the removed lines were. Findings anchored on the same
// place share one comment (one thread per place). Grouping, combining and proving are src/fixes.ts, shared with
// the command line; only the groups within the comment cap and inside a hunk are combined and proven here.
import type { Config } from '../config.js';
import type { AnyRule } from '../engine/define-rule.js';
import type { RepositoryIndex } from '../engine/repository.js';
import type { ScannedFile } from '../engine/run.js';
import { candidateEdit, proveEdits } from '../fixes.js';
import { groupFindings } from '../engine/fix-groups.js';
import { hunkHolding, type PatchLines, type Removal } from '../diff.js';
import { severityRank, type Edit, type Finding, type Range } from '../model.js';
import { editAsDiff } from '../output/patch.js';
import { docsUrl } from '../engine/docs.js';
import { fingerprintMarker } from './markers.js';
import { render, tidy } from '../output/template.js';
import { bound, code, fenced, GITHUB_LIMITS, isPlainBlock, link, Markup, message, trusted } from '../output/inert.js';

export interface PlannedComment {
  path: string;
  /** Last (or only) line the comment spans, head side. */
  line: number;
  /** First line of a multi-line comment. */
  startLine?: number;
  body: string;
  kind: 'suggestion' | 'diff' | 'text';
  findings: Finding[];
  fingerprints: string[];
}

export interface ReviewPlan {
  comments: PlannedComment[];
  /** Findings that would have been commented but for the comment cap (listed in the check run). */
  overflow: Finding[];
  /** New findings with no line GitHub lets a comment sit on (listed in the check run). */
  checkRunOnly: Finding[];
}

export interface PlanInput {
  findings: readonly Finding[];
  patches: ReadonlyMap<string, PatchLines>;
  /** The files the head scan read (their text and whether they parsed cleanly). */
  files: readonly ScannedFile[];
  config: Config;
  rules: readonly AnyRule[];
  repository?: RepositoryIndex;
  /** Fingerprints already carried by a comment on this pull request: not posted again. */
  alreadyCommented: ReadonlySet<string>;
}

/** A review comment as `POST /pulls/{n}/reviews` takes it. */
export interface GitHubReviewComment {
  path: string;
  body: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
}

/** Findings that share one comment, with the edit it offers or shows. */
export interface Group {
  file: string;
  findings: Finding[];
  /** The edit offered for the whole group (proven), if any. */
  edit: Edit | null;
  /** An edit to show as a diff when it cannot be a suggestion. */
  shown: Edit | null;
  /** Fingerprints of the findings the edit (or the shown one) fixes; absent: all of them. */
  carried?: ReadonlySet<string>;
}

/** The key a finding's path ends in (`runAsNonRoot` of `…securityContext.runAsNonRoot`), if any. */
function keyOf(finding: Finding): string | null {
  const last = [...finding.path].reverse().find((seg) => typeof seg === 'string');
  return typeof last === 'string' ? last : null;
}

/** Whether removed lines held the key a finding is about (`runAsNonRoot:`, `- runAsNonRoot:`). */
function removedKeyOf(removal: Removal, findings: readonly Finding[]): boolean {
  const keys = findings.map(keyOf).filter((k): k is string => k !== null);
  return removal.lines.some((line) => keys.some((key) => line.trimStart().replace(/^- /, '').startsWith(`${key}:`)));
}

/** The lines of the group's resource in its file, when known. */
function resourceRangeOf(findings: readonly Finding[]): Range | null {
  return findings.find((f) => f.resourceRange)?.resourceRange ?? null;
}

/**
 * The removals inside the group's resource, those that took away a setting it reports first, then by distance from
 * the finding: where its fix goes back and its comment sits.
 */
function removalsIn(patch: PatchLines, findings: readonly Finding[]): Removal[] {
  const range = resourceRangeOf(findings);
  if (!range) return [];
  const line = findings[0]!.line;
  const inside = patch.removals.filter((r) => r.after >= range.startLine - 1 && r.after <= range.endLine);
  const rank = (r: Removal) => (removedKeyOf(r, findings) ? 0 : 1);
  return inside.sort((a, b) => rank(a) - rank(b) || Math.abs(a.after - line) - Math.abs(b.after - line));
}

/**
 * Where the change touched the group's resource, for a group whose own lines are outside the diff: the commentable
 * line of the resource at the removal that caused it (else at any removal, else the changed line nearest to the
 * finding), in the same hunk. Null when the diff does not touch the resource.
 */
function changeAnchor(patch: PatchLines, findings: readonly Finding[]): number | null {
  const range = resourceRangeOf(findings);
  if (!range) return null;
  const within = (line: number) => line >= range.startLine && line <= range.endLine;
  const places: number[] = removalsIn(patch, findings).flatMap((r) => [r.after, r.after + 1].filter(within));
  const line = findings[0]!.line;
  const changed = [...patch.changed].filter(within).sort((a, b) => Math.abs(a - line) - Math.abs(b - line) || a - b);
  for (const place of [...places, ...changed]) {
    if (patch.commentable.has(place)) return place;
    // A removal at the end of a hunk: the nearest commentable line of the resource in that hunk.
    const hunk = patch.hunks.find((h) => h.start <= place + 1 && place - 1 <= h.end);
    if (!hunk) continue;
    const near = [...patch.commentable].filter((l) => l >= hunk.start && l <= hunk.end && within(l)).sort((a, b) => Math.abs(a - place) - Math.abs(b - place))[0];
    if (near !== undefined) return near;
  }
  return null;
}

/**
 * The group's candidate edit: with the keys it creates put back where the change removed lines of its resource, when
 * that lies inside a hunk; else as the engine wrote it.
 */
async function candidate(text: string, findings: Finding[], patch: PatchLines): Promise<Edit | null> {
  // A composed object has no range of its own in this file: every removal of the file may be where its keys were.
  const removals = resourceRangeOf(findings) ? removalsIn(patch, findings) : patch.removals;
  const placed = removals.length > 0 ? await candidateEdit(text, findings, removals.map((r) => r.after)).catch(() => null) : null;
  if (placed && hunkHolding(patch, placed.startLine, placed.endLine)) return placed;
  return (await candidateEdit(text, findings)) ?? placed;
}

async function buildGroup(file: ScannedFile, findings: Finding[], patch: PatchLines, input: PlanInput): Promise<Group> {
  const group: Group = { file: file.file, findings, edit: null, shown: null };
  const fingerprints = findings.map((f) => f.fingerprint);
  const edit = await candidate(file.text, findings, patch);
  // Proven only when it could be a suggestion: its lines inside one hunk. An edit that fails its proof is not shown.
  const inHunk = edit !== null && edit.file === file.file && hunkHolding(patch, edit.startLine, edit.endLine) !== null;
  if (edit && edit.file !== file.file) {
    // Its edit is in another file (a chart's values file, proven by rendering again): a suggestion here cannot make
    // it, so the comment shows the lines it writes there (Fix all and `warden fix` apply it).
    if (isPlainBlock(edit.replacement)) group.shown = edit;
  } else if (edit && !isPlainBlock(edit.replacement)) {
    // Invisible characters or a secret-looking value: a one-click change would commit what the reader cannot see
    // (or Warden would have to post the secret). Shown as a sanitized, masked diff instead.
    if (findings.length === 1) group.shown = edit;
  } else if (edit && inHunk) {
    if (await proveEdits(file.file, file.text, [edit], fingerprints, input)) group.edit = edit;
  } else if (findings.length === 1) {
    // The engine's own edit, shown as a diff of this file (a display-only fix, or one reaching outside the hunks).
    const own = findings[0]!.fix?.edits[0];
    group.shown = own && own.file === file.file ? own : null;
  }
  return group;
}

/** A line for a comment without a suggestion: the findings' own, else where the change touched their resource. */
function commentableLine(patch: PatchLines, findings: readonly Finding[]): number | null {
  for (const f of findings) {
    for (let line = f.line; line <= Math.max(f.line, f.endLine); line++) if (patch.commentable.has(line)) return line;
  }
  return changeAnchor(patch, findings);
}

/** Fingerprints a comment's marker carries beyond its own findings' (about 33 characters each). */
const MAX_ALSO_MARKED = 200;

const LABEL: Record<string, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

function commentBody(group: Group, kind: PlannedComment['kind'], text: string): string {
  const edit = group.edit ?? group.shown;
  // An edit of another file than the comment's (a chart's values file) is shown as the lines it writes there.
  const elsewhere = edit !== null && edit.file !== group.file;
  // What the block below fixes: every finding its group had; the others say their own fix.
  const carried = (f: Finding) => kind !== 'text' && edit !== null && (group.carried?.has(f.fingerprint) ?? true);
  const findings = group.findings.map((f) => ({
    severity: LABEL[f.severity] ?? f.severity,
    rule: link(code(f.ruleId), docsUrl(f.ruleId)),
    title: f.title,
    message: message(f.message),
    fix: carried(f) ? '' : message(f.fix?.description ?? ''),
  }));
  const fixed = group.findings.filter(carried);
  const unsafe = fixed.some((f) => f.fix?.applicability === 'unsafe');
  const body = render('review-comment.md', {
    findings,
    merged: fixed.length > 1 && fixed.length === group.findings.length,
    count: group.findings.length,
    // Several groups share the comment: name the findings its block fixes.
    partial: fixed.length < group.findings.length,
    some: new Markup(fixed.map((f) => code(f.ruleId).text).join(', ')),
    suggestion: kind === 'suggestion' && group.edit ? fenced('suggestion', group.edit.replacement) : '',
    unsafe: kind === 'suggestion' && unsafe,
    diff: kind === 'diff' && edit ? (elsewhere ? fenced('text', edit.replacement) : fenced('diff', editAsDiff(text, edit))) : '',
    diffIntro: elsewhere
      ? trusted(`The fix is in ${code(edit.file).text}, which a suggestion on these lines cannot change: ${edit.startLine === edit.endLine ? `line ${edit.startLine} there becomes` : `lines ${edit.startLine}–${edit.endLine} there become`}:`)
      : !isPlainBlock(edit?.replacement ?? '')
      ? 'This fix holds invisible characters or a secret-looking value, so it is shown here (made visible, masked) rather than offered as a one-click change:'
      : group.findings.some((f) => f.fix?.applicability === 'display')
        ? 'This fix needs your judgement, so it is shown here rather than offered as a one-click change:'
        : 'The fix reaches outside the lines this pull request changed, so it cannot be a one-click suggestion:',
  });
  return tidy(body);
}

/**
 * The body of a comment of `kind`, or of a plain one (`kind` text) when its block would take it over GitHub's
 * limit: a cut through a suggestion could offer half a change, so a block is dropped whole, never cut. Warden's
 * marker is the last line, where it is read back (src/github/markers.ts).
 */
export function renderComment(group: Group, kind: PlannedComment['kind'], text: string): { kind: PlannedComment['kind']; body: string } {
  // Its findings' fingerprints, then those they state too (a namespace's other workloads), a bounded number of them.
  const own = group.findings.map((f) => f.fingerprint);
  const marker = fingerprintMarker([...own, ...group.findings.flatMap((f) => f.also ?? []).slice(0, MAX_ALSO_MARKED)]).text;
  const room = GITHUB_LIMITS.comment - marker.length - 2;
  let body = commentBody(group, kind, text);
  if (kind !== 'text' && body.length > room) {
    kind = 'text';
    body = commentBody(group, kind, text);
  }
  return { kind, body: `${bound(body, room)}\n\n${marker}` };
}

/** The comment for a group, or null when no line of it may carry a comment. */
function anchor(group: Group, patch: PatchLines | undefined, text: string): PlannedComment | null {
  if (!patch) return null;
  const base = { path: group.file, findings: group.findings, fingerprints: group.findings.map((f) => f.fingerprint) };
  const edit = group.edit;
  if (edit && hunkHolding(patch, edit.startLine, edit.endLine)) {
    return {
      ...base,
      line: edit.endLine,
      ...(edit.startLine < edit.endLine ? { startLine: edit.startLine } : {}),
      ...renderComment(group, 'suggestion', text),
    };
  }
  const line = commentableLine(patch, group.findings);
  if (line === null) return null;
  return { ...base, line, ...renderComment(group, edit || group.shown ? 'diff' : 'text', text) };
}

/** Whether GitHub will accept this anchor: on commentable lines, a multi-line span inside one hunk. */
export function anchorIsValid(comment: Pick<PlannedComment, 'path' | 'line' | 'startLine'>, patches: ReadonlyMap<string, PatchLines>): boolean {
  const patch = patches.get(comment.path);
  if (!patch || !patch.commentable.has(comment.line)) return false;
  if (comment.startLine === undefined) return true;
  return comment.startLine < comment.line && hunkHolding(patch, comment.startLine, comment.line) !== null;
}

function worstFirst(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.line - b.line || a.ruleId.localeCompare(b.ruleId);
}

/** The lines a comment covers: a suggestion's span, else its one line. */
function spanOf(comment: Pick<PlannedComment, 'line' | 'startLine'>): { start: number; end: number } {
  return { start: comment.startLine ?? comment.line, end: comment.line };
}

/**
 * Whether a comment at `line` (no suggestion) or with a suggestion may join `into`: the same place, or a line
 * inside the other's suggestion. Two suggestions never share one comment (GitHub applies one per line).
 */
function samePlace(into: PlannedComment, comment: Pick<PlannedComment, 'path' | 'line' | 'startLine' | 'kind'>): boolean {
  if (into.path !== comment.path || (into.kind === 'suggestion' && comment.kind === 'suggestion')) return false;
  const a = spanOf(into);
  const b = spanOf(comment);
  if (into.kind === 'suggestion') return a.start <= b.start && b.end <= a.end;
  if (comment.kind === 'suggestion') return b.start <= a.start && a.end <= b.end;
  return a.start === b.start && a.end === b.end;
}

/** One group from groups anchored on one place: every finding, worst first, and the one block any of them had. */
function joined(groups: readonly Group[]): Group {
  const findings = groups.flatMap((g) => g.findings).sort(worstFirst);
  const withEdit = groups.find((g) => g.edit !== null);
  const shownBy = withEdit ? null : groups.filter((g) => g.shown !== null);
  const owner = withEdit ?? (shownBy?.length === 1 ? shownBy[0]! : null);
  return {
    file: groups[0]!.file,
    findings,
    edit: withEdit?.edit ?? null,
    shown: owner && !withEdit ? owner.shown : null,
    carried: new Set(owner ? owner.findings.filter((f) => owner.carried?.has(f.fingerprint) ?? true).map((f) => f.fingerprint) : []),
  };
}

interface Place {
  comment: PlannedComment;
  groups: Group[];
  text: string;
}

export async function planReview(input: PlanInput): Promise<ReviewPlan> {
  // A finding that states others too (a namespace's workloads) is not posted again when a comment stated any of them.
  const commented = (f: Finding) => [f.fingerprint, ...(f.also ?? [])].some((fp) => input.alreadyCommented.has(fp));
  const candidates = input.findings.filter((f) => !f.suppressed && !f.preExisting && !commented(f));
  const scannedByFile = new Map(input.files.map((f) => [f.file, f]));
  const byFile = new Map<string, Finding[]>();
  for (const f of candidates) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);

  const checkRunOnly: Finding[] = [];
  const groups: { file: ScannedFile; patch: PatchLines; members: Finding[]; worst: number }[] = [];
  for (const [path, findings] of byFile) {
    const patch = input.patches.get(path);
    const file = scannedByFile.get(path);
    if (!patch || !file) {
      checkRunOnly.push(...findings);
      continue;
    }
    for (const members of groupFindings(findings)) {
      groups.push({ file, patch, members, worst: severityRank(members[0]!.severity) });
    }
  }
  // The worst groups first; only those within the cap are built (rendered, proven), so a pull request with
  // thousands of findings costs 25 comments' work, not thousands.
  groups.sort((a, b) => b.worst - a.worst || a.file.file.localeCompare(b.file.file) || a.members[0]!.line - b.members[0]!.line);
  const cap = input.config.review.max_comments;
  const places: Place[] = [];
  const overflow: Finding[] = [];
  // One thread per place: a group anchored where a comment already sits joins it.
  const join = (place: Place, group: Group) => {
    place.groups.push(group);
    const all = joined(place.groups);
    const kind: PlannedComment['kind'] = all.edit ? 'suggestion' : all.shown ? 'diff' : 'text';
    const { line, startLine } = all.edit ? { line: all.edit.endLine, startLine: all.edit.startLine < all.edit.endLine ? all.edit.startLine : undefined } : { line: place.comment.line, startLine: undefined };
    place.comment = {
      path: all.file,
      line,
      ...(startLine !== undefined ? { startLine } : {}),
      findings: all.findings,
      fingerprints: all.findings.map((f) => f.fingerprint),
      ...renderComment(all, kind, place.text),
    };
  };
  for (const { file, patch, members } of groups) {
    if (places.length >= cap) {
      // Beyond the cap: its findings join a comment already at their place (as text), or go to the summary as a
      // comment not posted, or as one with no line to sit on.
      const line = commentableLine(patch, members);
      const at = line === null ? undefined : places.find((p) => samePlace(p.comment, { path: file.file, line, kind: 'text' }));
      if (at) join(at, { file: file.file, findings: members, edit: null, shown: null, carried: new Set() });
      else if (line !== null || members.some((f) => f.fix?.edits[0] && hunkHolding(patch, f.fix.edits[0].startLine, f.fix.edits[0].endLine))) overflow.push(...members);
      else checkRunOnly.push(...members);
      continue;
    }
    const built = await buildGroup(file, members, patch, input);
    const comment = anchor(built, patch, file.text);
    // Checked again here, so that no planning slip can make GitHub reject the whole review (422).
    if (!comment || !anchorIsValid(comment, input.patches)) {
      checkRunOnly.push(...members);
      continue;
    }
    const at = places.find((p) => samePlace(p.comment, comment));
    if (at) join(at, built);
    else places.push({ comment, groups: [built], text: file.text });
  }
  const comments = places.map((p) => p.comment);
  // Present comments in file order, as a reader walks the diff.
  comments.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return { comments, overflow, checkRunOnly };
}

export function toGitHubComment(comment: PlannedComment): GitHubReviewComment {
  return {
    path: comment.path,
    body: comment.body,
    ...(comment.startLine !== undefined ? { start_line: comment.startLine, start_side: 'RIGHT' as const } : {}),
    line: comment.line,
    side: 'RIGHT',
  };
}
