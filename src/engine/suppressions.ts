// `# warden:ignore <rule-id>[,<rule-id>] -- <reason>` above the offending line or above the resource.
export interface SuppressionComment {
  line: number;
  ruleIds: string[];
  reason: string;
}

const MARKER = 'warden:ignore';

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
}

function skipSpace(text: string, at: number): number {
  while (isSpace(text[at])) at++;
  return at;
}

/** Where a line's comment starts past its indentation (`#` or `//`), or -1. */
function commentStart(text: string): number {
  const at = skipSpace(text, 0);
  return text[at] === '#' ? at + 1 : text.startsWith('//', at) ? at + 2 : -1;
}

/**
 * The rule ids and reason of a `warden:ignore` comment line, or null. A scanner in one pass, not a regular
 * expression: the line is pull-request text, and ids like `a,a,a,…` made a backtracking pattern quadratic.
 * Ids are separated by commas (spaces around them allowed); the reason follows the first `--` that starts a word.
 */
export function parseSuppression(text: string): { ruleIds: string[]; reason: string } | null {
  const comment = commentStart(text);
  if (comment < 0) return null;
  const marker = skipSpace(text, comment);
  if (!text.startsWith(MARKER, marker)) return null;
  const ids = skipSpace(text, marker + MARKER.length);
  if (ids === marker + MARKER.length || ids >= text.length || text[ids] === '-') return null;
  let reasonAt = -1;
  for (let i = ids; i < text.length - 1; i++) {
    if (text[i] === '-' && text[i + 1] === '-' && isSpace(text[i - 1])) {
      reasonAt = i;
      break;
    }
  }
  const pieces = text.slice(ids, reasonAt < 0 ? text.length : reasonAt).split(',').map((piece) => piece.trim());
  // Words not separated by commas are not a suppression (`# warden:ignore k8s/x because …`).
  if (pieces.some((piece) => [...piece].some(isSpace))) return null;
  const ruleIds = pieces.filter(Boolean);
  if (ruleIds.length === 0) return null;
  return { ruleIds, reason: reasonAt < 0 ? '' : text.slice(reasonAt + 2).trim() };
}

export class Suppressions {
  private readonly byLine = new Map<number, SuppressionComment>();

  constructor(private readonly lines: readonly string[]) {
    lines.forEach((text, i) => {
      if (!text.includes(MARKER)) return;
      const parsed = parseSuppression(text);
      if (parsed) this.byLine.set(i + 1, { line: i + 1, ...parsed });
    });
  }

  static of(text: string): Suppressions {
    return new Suppressions(text.split('\n'));
  }

  all(): SuppressionComment[] {
    return [...this.byLine.values()];
  }

  /** The suppression for `ruleId` in the block of comment lines directly above `line`, if any. */
  above(line: number, ruleId: string): SuppressionComment | null {
    for (let l = line - 1; l >= 1 && commentStart(this.lines[l - 1] ?? '') >= 0; l--) {
      const found = this.byLine.get(l);
      if (found && found.ruleIds.includes(ruleId)) return found;
    }
    return null;
  }
}

/** What a suppression's `(until YYYY-MM-DD)` says: none given, the day it lasts through, or an expiry Warden cannot read. */
export type SuppressionExpiry = { kind: 'none' } | { kind: 'until'; date: string; expires: Date } | { kind: 'malformed'; text: string };

const UNTIL = '(until';

/**
 * The expiry at the end of a suppression's reason: `-- <reason> (until 2027-03-31)`. The suppression holds through
 * that day (UTC). `(until` anywhere else, or with anything but a real calendar date, is malformed: such a suppression
 * must not suppress (fail closed), so a typo never makes one last for ever. One pass over the reason, no pattern.
 */
export function suppressionExpiry(reason: string): SuppressionExpiry {
  const lower = reason.toLowerCase();
  const at = lower.lastIndexOf(UNTIL);
  if (at < 0) return { kind: 'none' };
  const malformed = { kind: 'malformed' as const, text: reason.slice(at).slice(0, 40) };
  if (lower.indexOf(UNTIL) !== at || !reason.endsWith(')')) return malformed;
  const date = reason.slice(at + UNTIL.length, -1).trim();
  if (!isSpace(reason[at + UNTIL.length]) || !isIsoDate(date)) return malformed;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  // The first moment after the named day, UTC.
  return { kind: 'until', date, expires: new Date(Date.UTC(year, month - 1, day + 1)) };
}

/** Whether a suppression with this reason no longer suppresses at `now`: its expiry passed, or cannot be read. */
export function suppressionLapse(reason: string, now: Date): 'expired' | 'malformed' | null {
  const expiry = suppressionExpiry(reason);
  if (expiry.kind === 'malformed') return 'malformed';
  return expiry.kind === 'until' && now.getTime() >= expiry.expires.getTime() ? 'expired' : null;
}

/** `YYYY-MM-DD` naming a day that exists (not 2027-02-30). */
function isIsoDate(text: string): boolean {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (text[i]! < '0' || text[i]! > '9') return false;
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}
