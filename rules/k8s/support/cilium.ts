// Cilium's own policies, read the way the Cilium agent reads them in its default enforcement mode: a rule that
// selects an endpoint and has an ingress (egress) section, or asks for it with `enableDefaultDeny`, puts the
// endpoint into default deny in that direction; what its sections allow is then all that passes.
import type { Resource } from '../../../src/model.js';
import { getIn, isRecord } from '../../../src/engine/path.js';
import { isEmptySelector, namespacesOf } from './k8s.js';
import type { Direction } from './network.js';

export const CILIUM_POLICY_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const;

/** The label Cilium gives every endpoint: its pod's namespace. */
const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
const ANY_CIDR = new Set(['0.0.0.0/0', '::/0']);
/** Entities that stand for every peer, or every peer outside the cluster. */
const OPEN_ENTITIES = new Set(['all', 'world']);
const SECTIONS: Record<Direction, { allow: string; deny: string; peers: string[] }> = {
  ingress: { allow: 'ingress', deny: 'ingressDeny', peers: ['fromEntities', 'fromCIDR', 'fromCIDRSet'] },
  egress: { allow: 'egress', deny: 'egressDeny', peers: ['toEntities', 'toCIDR', 'toCIDRSet'] },
};

/** A policy's rules: `spec` and every item of `specs`. */
function rulesOf(policy: Resource): Record<string, unknown>[] {
  const specs = getIn(policy.body, ['specs']);
  return [getIn(policy.body, ['spec']), ...(Array.isArray(specs) ? specs : [])].filter(isRecord);
}

/**
 * Whether an endpoint selector picks every pod of `namespace`: an empty one, or one that says nothing but which
 * namespaces (matchLabels or In/NotIn/Exists on the namespace label), `namespace` among them.
 */
function selectsWholeNamespace(selector: unknown, namespace: string): boolean {
  if (isEmptySelector(selector)) return true;
  if (!isRecord(selector)) return false;
  const labels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const keys = [...Object.keys(labels).map((k) => k.replace(/^k8s:/, ''))];
  if (keys.some((k) => k !== NAMESPACE_LABEL)) return false;
  if (Object.values(labels).some((v) => v !== namespace)) return false;
  return expressions.every((e) => {
    if (!isRecord(e) || typeof e.key !== 'string' || e.key.replace(/^k8s:/, '') !== NAMESPACE_LABEL) return false;
    const values = Array.isArray(e.values) ? e.values : [];
    if (e.operator === 'In') return values.includes(namespace);
    if (e.operator === 'NotIn') return !values.includes(namespace);
    return e.operator === 'Exists';
  });
}

function nonEmptyList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0;
}

/** Whether a rule's allow section lets every peer (or every peer outside the cluster) through. */
function reopens(rule: Record<string, unknown>, direction: Direction): boolean {
  const allows = rule[SECTIONS[direction].allow];
  if (!Array.isArray(allows)) return false;
  return allows.some((allow) => {
    if (!isRecord(allow)) return false;
    const [entities, cidrs, cidrSets] = SECTIONS[direction].peers.map((key) => allow[key]);
    if (Array.isArray(entities) && entities.some((e) => typeof e === 'string' && OPEN_ENTITIES.has(e))) return true;
    if (Array.isArray(cidrs) && cidrs.some((c) => typeof c === 'string' && ANY_CIDR.has(c.trim()))) return true;
    return Array.isArray(cidrSets) && cidrSets.some((s) => isRecord(s) && typeof s.cidr === 'string' && ANY_CIDR.has(s.cidr.trim()) && !nonEmptyList(s.except));
  });
}

/** Whether the rule turns default deny on in a direction (explicitly, or by having a section for it). */
function defaultDeny(rule: Record<string, unknown>, direction: Direction): boolean {
  const explicit = getIn(rule, ['enableDefaultDeny', direction]);
  if (typeof explicit === 'boolean') return explicit;
  return nonEmptyList(rule[SECTIONS[direction].allow]) || nonEmptyList(rule[SECTIONS[direction].deny]);
}

/** Which directions of `namespace` Cilium policies make default-deny (cluster-wide ones included). */
export function ciliumDefaultDenyCoverage(namespace: string, policies: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]): Set<Direction> {
  const covered = new Set<Direction>();
  for (const policy of policies) {
    const clusterwide = policy.kind === 'CiliumClusterwideNetworkPolicy';
    if (!clusterwide && (policy.kind !== 'CiliumNetworkPolicy' || !namespacesOf(policy, namespaces, kustomizations).includes(namespace))) continue;
    const rules = rulesOf(policy).filter((rule) => selectsWholeNamespace(rule.endpointSelector, namespace));
    for (const direction of ['ingress', 'egress'] as const) {
      // Policies add up: any rule that reopens everything undoes the default deny of that direction.
      if (rules.some((rule) => defaultDeny(rule, direction)) && !rulesOf(policy).some((rule) => reopens(rule, direction))) covered.add(direction);
    }
  }
  return covered;
}
