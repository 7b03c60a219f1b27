// RBAC rule reading shared by the rbac-* rules.
import { isRecord } from '../../../src/engine/path.js';

export const ROLE_KINDS = ['Role', 'ClusterRole'] as const;
export const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'] as const;

export interface PolicyRule {
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The `rules` of a Role or ClusterRole (same shape from YAML and from `kubernetes_*role`). */
export function policyRules(body: Record<string, unknown>): PolicyRule[] {
  const rules = body.rules;
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((rule, index) =>
    isRecord(rule)
      ? [{ index, apiGroups: strings(rule.apiGroups), resources: strings(rule.resources), verbs: strings(rule.verbs), resourceNames: strings(rule.resourceNames) }]
      : []);
}

/** Whether the rule covers the core API group (where pods and secrets live). */
export function coversCoreGroup(rule: PolicyRule): boolean {
  return rule.apiGroups.some((g) => g === '' || g === '*' || g === 'core');
}

export function grantsVerb(rule: PolicyRule, verbs: readonly string[]): string[] {
  return rule.verbs.includes('*') ? ['*'] : rule.verbs.filter((v) => verbs.includes(v));
}
