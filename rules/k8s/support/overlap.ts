// Two rules that would report the same fact on the same line: the more telling one reports it (with both facts),
// the other stands back, unless config turned the telling one off, so the fact is never lost.
import type { Config } from '../../../src/config.js';

export function reportedBy(config: Config, ruleId: string): boolean {
  return config.rules[ruleId] !== 'off';
}
