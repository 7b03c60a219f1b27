// The explicit list of every rule Warden runs. Each pack keeps its own list beside its rules.
import type { AnyRule } from '../src/engine/define-rule.js';
import parseError from './warden/parse-error.js';
import suppressionWithoutReason from './warden/suppression-without-reason.js';
import { PSS_RULES } from './k8s/pss.js';

export const RULES: readonly AnyRule[] = [...PSS_RULES, parseError, suppressionWithoutReason];

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((rule) => rule.id));

export function ruleById(id: string): AnyRule | undefined {
  return RULES.find((rule) => rule.id === id);
}
