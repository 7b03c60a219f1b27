// An inline comment on each `warden:ignore` the pull request adds, naming what it hides and why, so a suppression
// never lifts a finding quietly. Appended to the review's plan (src/github/run.ts); not counted against
// `review.max_comments`, since the policy promises every such suppression is shown.
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { PatchLines } from '../diff.js';
import { docsUrl } from '../engine/docs.js';
import { severityRank, type Finding } from '../model.js';
import { bound, code, GITHUB_LIMITS, link, text, trusted } from '../output/inert.js';
import { render, tidy } from '../output/template.js';
import type { PlannedComment } from './comments.js';
import { fingerprintMarker } from './markers.js';

/**
 * The key a suppression comment's marker carries for a finding it names: not the finding's own fingerprint, so the
 * comment is never taken for the finding's thread (answered as fixed or suppressed), yet recognised on the next push.
 */
export function suppressionKey(finding: Pick<Finding, 'fingerprint'>): string {
  return createHash('sha256').update(`warden:suppression\0${finding.fingerprint}`).digest('hex').slice(0, 40);
}

/** The keys of every suppression comment this result would (or did) post: their threads stay open. */
export function suppressionKeys(findings: readonly Finding[]): Set<string> {
  return new Set(findings.filter((f) => f.suppressed?.inPullRequest).map(suppressionKey));
}

/**
 * One comment per suppression line the pull request added, on that line, listing the findings it hides (worst
 * first) and its reason. None under `allow`; none for a line outside the diff's hunks (the check run lists it), nor
 * for findings an earlier run already commented on.
 */
export function planSuppressionComments(
  findings: readonly Finding[],
  patches: ReadonlyMap<string, PatchLines>,
  config: Config,
  alreadyCommented: ReadonlySet<string>,
): PlannedComment[] {
  const policy = config.suppressions.in_pull_request;
  if (policy === 'allow') return [];
  const byLine = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.suppressed?.inPullRequest || alreadyCommented.has(suppressionKey(f))) continue;
    const file = f.suppressed.file ?? f.file;
    if (!patches.get(file)?.commentable.has(f.suppressed.line)) continue;
    const key = `${file}\n${f.suppressed.line}`;
    byLine.set(key, [...(byLine.get(key) ?? []), f]);
  }
  return [...byLine.values()].map((hidden) => {
    hidden.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    const first = hidden[0]!;
    const gating = policy === 'deny' && hidden.some((f) => severityRank(f.severity) >= severityRank(config.gate));
    const keys = hidden.map(suppressionKey);
    const body = render('suppression-comment.md', {
      // A finding reported in another file than the comment (a values key under a template's comment) names it.
      findings: hidden.map((f) => ({ rule: link(code(f.ruleId), docsUrl(f.ruleId)), resource: code(f.resource), severity: f.severity, line: f.file === (f.suppressed!.file ?? f.file) ? f.line : `${f.file}:${f.line}` })),
      reason: first.suppressed!.reason ? text(first.suppressed!.reason) : trusted('_no reason given_'),
      deny: policy === 'deny',
      gating,
      gate: config.gate,
    });
    // The marker is the last line, where a later run reads it back (src/github/markers.ts).
    const marker = fingerprintMarker(keys).text;
    const room = GITHUB_LIMITS.comment - marker.length - 2;
    return { path: first.suppressed!.file ?? first.file, line: first.suppressed!.line, body: `${bound(tidy(body).trim(), room)}\n\n${marker}`, kind: 'text' as const, findings: hidden, fingerprints: keys };
  });
}
