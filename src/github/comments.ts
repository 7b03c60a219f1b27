// From findings to inline review comments GitHub accepts: every anchor on a head-side line inside a hunk, a
// suggestion only when its lines lie in one hunk and the change is proven, findings whose fixes touch the same
// lines merged into one comment with one combined suggestion (GitHub applies one suggestion per line). Grouping,
// combining and proving are src/fixes.ts, shared with the command line; only the groups within the comment cap
// and inside a hunk are combined and proven here.
import type { Config } from '../config.js';
import type { AnyRule } from '../engine/define-rule.js';
import type { RepositoryIndex } from '../engine/repository.js';
import type { ScannedFile } from '../engine/run.js';
import { candidateEdit, groupFindings, proveEdits } from '../fixes.js';
import { hunkHolding, type PatchLines } from '../diff.js';
import { severityRank, type Edit, type Finding } from '../model.js';
import { editAsDiff } from '../output/patch.js';
import { docsUrl } from '../engine/docs.js';
import { fingerprintMarker } from './markers.js';
import { render, tidy } from '../output/template.js';
import { bound, code, fenced, GITHUB_LIMITS, isPlainBlock, link, message } from '../output/inert.js';

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
}

async function buildGroup(file: ScannedFile, findings: Finding[], patch: PatchLines, input: PlanInput): Promise<Group> {
  const group: Group = { file: file.file, findings, edit: null, shown: null };
  const candidate = await candidateEdit(file.text, findings);
  const fingerprints = findings.map((f) => f.fingerprint);
  // Proven only when it could be a suggestion: its lines inside one hunk. An edit that fails its proof is not shown.
  const inHunk = candidate !== null && hunkHolding(patch, candidate.startLine, candidate.endLine) !== null;
  if (candidate && !isPlainBlock(candidate.replacement)) {
    // Invisible characters or a secret-looking value: a one-click change would commit what the reader cannot see
    // (or Warden would have to post the secret). Shown as a sanitized, masked diff instead.
    if (findings.length === 1) group.shown = candidate;
  } else if (candidate && inHunk) {
    if (await proveEdits(file.file, file.text, [candidate], fingerprints, input)) group.edit = candidate;
  } else if (findings.length === 1) {
    // The engine's own edit, shown as a diff (a display-only fix, or one reaching outside the hunks).
    group.shown = findings[0]!.fix?.edits[0] ?? null;
  }
  return group;
}

function commentableLine(patch: PatchLines, findings: readonly Finding[]): number | null {
  for (const f of findings) {
    for (let line = f.line; line <= Math.max(f.line, f.endLine); line++) if (patch.commentable.has(line)) return line;
  }
  return null;
}

const LABEL: Record<string, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

function commentBody(group: Group, kind: PlannedComment['kind'], text: string): string {
  const findings = group.findings.map((f) => ({
    severity: LABEL[f.severity] ?? f.severity,
    rule: link(code(f.ruleId), docsUrl(f.ruleId)),
    title: f.title,
    message: message(f.message),
    fix: message(f.fix?.description ?? ''),
  }));
  const unsafe = group.findings.some((f) => f.fix?.applicability === 'unsafe');
  const edit = group.edit ?? group.shown;
  const body = render('review-comment.md', {
    findings,
    merged: group.findings.length > 1,
    count: group.findings.length,
    suggestion: kind === 'suggestion' && group.edit ? fenced('suggestion', group.edit.replacement) : '',
    unsafe: kind === 'suggestion' && unsafe,
    diff: kind === 'diff' && edit ? fenced('diff', editAsDiff(text, edit)) : '',
    diffIntro: !isPlainBlock(edit?.replacement ?? '')
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
  const marker = fingerprintMarker(group.findings.map((f) => f.fingerprint)).text;
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

export async function planReview(input: PlanInput): Promise<ReviewPlan> {
  const candidates = input.findings.filter((f) => !f.suppressed && !f.preExisting && !input.alreadyCommented.has(f.fingerprint));
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
  const comments: PlannedComment[] = [];
  const overflow: Finding[] = [];
  for (const { file, patch, members } of groups) {
    if (comments.length >= cap) {
      // Beyond the cap: it goes to the summary as a comment not posted, or as one with no line to sit on.
      if (commentableLine(patch, members) !== null || members.some((f) => f.fix?.edits[0] && hunkHolding(patch, f.fix.edits[0].startLine, f.fix.edits[0].endLine))) overflow.push(...members);
      else checkRunOnly.push(...members);
      continue;
    }
    const built = await buildGroup(file, members, patch, input);
    const comment = anchor(built, patch, file.text);
    // Checked again here, so that no planning slip can make GitHub reject the whole review (422).
    if (comment && anchorIsValid(comment, input.patches)) comments.push(comment);
    else checkRunOnly.push(...members);
  }
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
