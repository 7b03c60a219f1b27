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

/** Whether the rule has `*` in its verbs, resources or apiGroups. */
export function hasWildcard(rule: PolicyRule): boolean {
  return rule.verbs.includes('*') || rule.resources.includes('*') || rule.apiGroups.includes('*');
}

/** Whether the rule lets its subject read the values of Secrets (not restricted to named ones). */
export function readsSecrets(rule: PolicyRule): boolean {
  return (rule.resources.includes('secrets') || rule.resources.includes('*')) && coversCoreGroup(rule) && rule.resourceNames.length === 0 && grantsVerb(rule, ['get', 'list', 'watch']).length > 0;
}

/**
 * The service accounts a binding's subject reaches: one account of a namespace, every account of one (`account`
 * null), or every account of the cluster (both null). An account's token authenticates as the user
 * `system:serviceaccount:<namespace>:<name>` in the groups `system:serviceaccounts`,
 * `system:serviceaccounts:<namespace>` and `system:authenticated`: a binding may name it in any of these ways.
 */
export interface AccountHolder {
  account: string | null;
  namespace: string | null;
}

const EVERY_ACCOUNT_GROUPS = new Set(['system:serviceaccounts', 'system:authenticated']);
const NAMESPACE_GROUP = /^system:serviceaccounts:([^:]+)$/;
const ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * Whom `subject` names among service accounts (wherever the binding grants: a RoleBinding in its namespace, to
 * accounts of any). `bindingNamespaces` are a RoleBinding's own, where a subject without a namespace is.
 */
export function subjectHolders(subject: unknown, bindingNamespaces: readonly string[]): AccountHolder[] {
  if (!isRecord(subject) || typeof subject.name !== 'string') return [];
  const { name } = subject;
  if (subject.kind === 'Group') {
    if (EVERY_ACCOUNT_GROUPS.has(name)) return [{ account: null, namespace: null }];
    const group = NAMESPACE_GROUP.exec(name);
    return group ? [{ account: null, namespace: group[1]! }] : [];
  }
  if (subject.kind === 'User') {
    const user = ACCOUNT_USER.exec(name);
    return user ? [{ account: user[2]!, namespace: user[1]! }] : [];
  }
  if (subject.kind !== 'ServiceAccount') return [];
  return (typeof subject.namespace === 'string' ? [subject.namespace] : bindingNamespaces).map((namespace) => ({ account: name, namespace }));
}

/** Whether what `holder` is granted reaches every account `target` stands for. */
export function holderCovers(holder: AccountHolder, target: AccountHolder): boolean {
  if (holder.namespace === null) return true;
  if (holder.namespace !== target.namespace) return false;
  return holder.account === null || holder.account === target.account;
}
