// Suppressions under the admin's control: which `warden:ignore` comments the pull request itself wrote, and which
// have expired (or name an expiry that cannot be read). Called by the pipeline (src/review.ts) on the findings of
// the head, for the App and the command line alike; nothing here knows GitHub.
import type { PatchLines } from './diff.js';
import { Suppressions, suppressionExpiry } from './engine/suppressions.js';
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
    const kind = expiry.kind === 'malformed' ? 'malformed' : expiry.kind === 'until' && now.getTime() >= expiry.expires.getTime() ? 'expired' : null;
    if (kind && expiry.kind !== 'none') {
      const detail = expiry.kind === 'until' ? expiry.date : expiry.text;
      const message =
        kind === 'expired'
          ? `the \`warden:ignore\` on line ${suppression.line} expired at the end of ${detail} (UTC): what it suppressed is reported again`
          : `the \`warden:ignore\` on line ${suppression.line} names an expiry Warden cannot read (\`${detail}\`; write \`(until YYYY-MM-DD)\`), so it suppresses nothing`;
      lapsed.push({ file: finding.file, line: suppression.line, ruleId: finding.ruleId, resource: finding.resource, severity: finding.severity, reason: suppression.reason, kind, detail, message });
      const key = `${finding.file}:${suppression.line}`;
      if (!notes.has(key)) notes.set(key, { file: finding.file, message });
      finding.suppressed = null;
      continue;
    }
    const file = byPath.get(finding.file);
    if (!file || file.patch === undefined) continue;
    const patch = patches.get(finding.file);
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
