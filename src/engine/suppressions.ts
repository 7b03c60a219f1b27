// `# warden:ignore <rule-id>[,<rule-id>] -- <reason>` above the offending line or above the resource.
export interface SuppressionComment {
  line: number;
  ruleIds: string[];
  reason: string;
}

const MARKER = /^\s*(?:#|\/\/)\s*warden:ignore\s+([^\s-][^\s]*(?:\s*,\s*[^\s,]+)*)\s*(?:--\s*(.*?))?\s*$/;
const COMMENT = /^\s*(?:#|\/\/)/;

export class Suppressions {
  private readonly byLine = new Map<number, SuppressionComment>();

  constructor(private readonly lines: readonly string[]) {
    lines.forEach((text, i) => {
      if (!text.includes('warden:ignore')) return;
      const match = MARKER.exec(text);
      if (!match) return;
      const ruleIds = match[1]!.split(',').map((id) => id.trim()).filter(Boolean);
      this.byLine.set(i + 1, { line: i + 1, ruleIds, reason: (match[2] ?? '').trim() });
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
    for (let l = line - 1; l >= 1 && COMMENT.test(this.lines[l - 1] ?? ''); l--) {
      const found = this.byLine.get(l);
      if (found && found.ruleIds.includes(ruleId)) return found;
    }
    return null;
  }
}
