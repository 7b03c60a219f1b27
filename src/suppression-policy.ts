// Suppressions under the admin's control: which `warden:ignore` comments the pull request itself wrote, and which
// have expired (or name an expiry that cannot be read). Called by the pipeline (src/review.ts) on the findings of
// the head, for the App and the command line alike; nothing here knows GitHub.
import type { Config } from './config.js';
import type { PatchLines } from './diff.js';
import { metaFinding, metaSeverity, SUPPRESSION_EXPIRED, SUPPRESSION_IN_PULL_REQUEST } from './engine/meta-findings.js';
import { Suppressions, suppressionExpiry, suppressionLapse } from './engine/suppressions.js';
import type { Finding, Note, Severity } from './model.js';

/** A suppression that no longer suppresses: past its `(until …)` date, or with an expiry that cannot be read. */
export interface LapsedSuppression {
  file: string;
  /** The suppression comment's line. */
  line: number;
  ruleId: string;
  resource: string;
  severity: Severity;
  reason: string;
  /** `expired`: the date has passed (UTC); `malformed`: the expiry is not `(until YYYY-MM-DD)`. */
  kind: 'expired' | 'malformed';
  /** The date it lasted through, or the text that could not be read. */
  detail: string;
  /** The note that reports it (in `notes` as well). */
  message: string;
}

export interface SuppressionSource {
  path: string;
  /** Absent: the file is not part of a change (`warden scan`), so nothing in it was added by one. */
  patch?: string | null;
  baseText?: string | null;
}

/**
 * Apply expiry and mark what the change added, in place: a lapsed suppression's finding is no longer suppressed
 * (it is back, and may gate); a suppression the change wrote gets `inPullRequest`. A suppression is the change's
 * own when its line is among the patch's added lines, or when the file at base held no suppression of that rule
 * (lines moved under it). Returns the lapsed suppressions, one per finding, and a note per suppression line.
 */
export function applySuppressionPolicy(
  findings: readonly Finding[],
  files: readonly SuppressionSource[],
  patches: ReadonlyMap<string, PatchLines>,
  now: Date,
): { lapsed: LapsedSuppression[]; notes: Note[] } {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const atBase = new Map<string, Suppressions | null>();
  const baseSuppressions = (file: SuppressionSource): Suppressions | null => {
    if (!atBase.has(file.path)) atBase.set(file.path, typeof file.baseText === 'string' ? Suppressions.of(file.baseText) : null);
    return atBase.get(file.path)!;
  };
  const lapsed: LapsedSuppression[] = [];
  const notes = new Map<string, Note>();
  for (const finding of findings) {
    const suppression = finding.suppressed;
    if (!suppression) continue;
    const expiry = suppressionExpiry(suppression.reason);
    const kind = suppressionLapse(suppression.reason, now);
    if (kind && expiry.kind !== 'none') {
      const detail = expiry.kind === 'until' ? expiry.date : expiry.text;
      const message =
        kind === 'expired'
          ? `the \`warden:ignore\` on line ${suppression.line} expired at the end of ${detail} (UTC): what it suppressed is reported again`
          : `the \`warden:ignore\` on line ${suppression.line} names an expiry Warden cannot read (\`${detail}\`; write \`(until YYYY-MM-DD)\`), so it suppresses nothing`;
      lapsed.push({ file: suppression.file ?? finding.file, line: suppression.line, ruleId: finding.ruleId, resource: finding.resource, severity: finding.severity, reason: suppression.reason, kind, detail, message });
      const key = `${suppression.file ?? finding.file}:${suppression.line}`;
      if (!notes.has(key)) notes.set(key, { file: suppression.file ?? finding.file, message });
      finding.suppressed = null;
      continue;
    }
    // The comment may sit in another file than the finding (a chart template's, over a values key's finding).
    const writtenIn = suppression.file ?? finding.file;
    const file = byPath.get(writtenIn);
    if (!file || file.patch === undefined) continue;
    const patch = patches.get(writtenIn);
    const added = patch?.added.has(suppression.line) === true || writtenSinceBase(finding.ruleId, baseSuppressions(file));
    if (added) finding.suppressed = { ...suppression, inPullRequest: true };
  }
  return { lapsed, notes: [...notes.values()] };
}

/** Whether the file at base held no suppression of the rule (an added file holds none). */
function writtenSinceBase(ruleId: string, base: Suppressions | null): boolean {
  if (base === null) return true;
  return !base.all().some((s) => s.ruleIds.includes(ruleId));
}

/**
 * The suppression lines the policy speaks of, as findings of their own (one per line): `warden/suppression-expired`
 * for one that lapsed (what it hid is back), `warden/suppression-in-pull-request` for one the change wrote (none
 * under `allow`, where it is honoured like any other). Both low, and neither ever gates: what the suppression hides
 * gates or not by the policy.
 */
export function suppressionFindings(findings: readonly Finding[], lapsed: readonly LapsedSuppression[], config: Pick<Config, 'rules' | 'suppressions'>): Finding[] {
  const byLine = <T extends { file: string; line: number }>(items: readonly T[]) => {
    const lines = new Map<string, T[]>();
    for (const item of items) lines.set(`${item.file}\n${item.line}`, [...(lines.get(`${item.file}\n${item.line}`) ?? []), item]);
    return [...lines.values()];
  };
  const ruleList = (ids: readonly string[]) => [...new Set(ids)].map((id) => `\`${id}\``).join(', ');
  const out: Finding[] = [];
  const expired = metaSeverity(config, SUPPRESSION_EXPIRED, 'low');
  if (expired) {
    for (const group of byLine(lapsed)) {
      const { file, line, kind, detail } = group[0]!;
      const message =
        kind === 'expired'
          ? `This suppression of ${ruleList(group.map((l) => l.ruleId))} expired at the end of ${detail} (UTC): what it hid is reported again. Fix it, or renew the suppression with a reason and a new date.`
          : `This suppression of ${ruleList(group.map((l) => l.ruleId))} names an expiry Warden cannot read (\`${detail}\`), so it suppresses nothing. Write \`(until YYYY-MM-DD)\`.`;
      out.push({ ...metaFinding(SUPPRESSION_EXPIRED, expired, file, line, message, 'Suppression expired'), preExisting: false });
    }
  }
  const added = metaSeverity(config, SUPPRESSION_IN_PULL_REQUEST, 'low');
  const policy = config.suppressions.in_pull_request;
  if (added && policy !== 'allow') {
    const written = findings.flatMap((f) => (f.suppressed?.inPullRequest ? [{ file: f.suppressed.file ?? f.file, line: f.suppressed.line, ruleId: f.ruleId, reason: f.suppressed.reason }] : []));
    for (const group of byLine(written)) {
      const { file, line, reason } = group[0]!;
      const why = reason ? `reason \`${reason}\`` : 'no reason given';
      const effect =
        policy === 'deny'
          ? 'under `suppressions.in_pull_request: deny` what it hides still gates until the suppression is on the default branch'
          : 'it holds, and is listed so that reviewers see what it hides';
      out.push({ ...metaFinding(SUPPRESSION_IN_PULL_REQUEST, added, file, line, `This change adds a suppression of ${ruleList(group.map((w) => w.ruleId))} (${why}): ${effect}.`, 'Suppression added by this change'), preExisting: false });
    }
  }
  return out;
}

