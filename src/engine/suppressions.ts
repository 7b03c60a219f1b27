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
