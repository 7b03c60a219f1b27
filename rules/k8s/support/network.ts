// NetworkPolicy semantics: which rules and peers let everything through, and when a namespace is
// default-deny (every pod selected, both directions restricted, no rule that reopens everything).
import type { Path, Resource } from '../../../src/model.js';
import { getIn, isRecord } from '../../../src/engine/path.js';
import { isEmptySelector, namespacesOf } from './k8s.js';
import { ciliumDefaultDenyCoverage } from './cilium.js';
import { memoByIdentity } from '../../../src/common/memo.js';

export type Direction = 'ingress' | 'egress';
const PEERS: Record<Direction, 'from' | 'to'> = { ingress: 'from', egress: 'to' };
const ANY_CIDR = new Set(['0.0.0.0/0', '::/0']);

export interface AllowAll {
  /** Path relative to the policy body. */
  path: Path;
  direction: Direction;
  why: string;
}

function peerAllowsAll(peer: unknown): string | null {
  if (!isRecord(peer) || Object.keys(peer).length === 0) return 'an empty peer matches every source and destination';
  const cidr = getIn(peer, ['ipBlock', 'cidr']);
  if (typeof cidr === 'string' && ANY_CIDR.has(cidr.trim())) return `\`${cidr}\` is every address`;
  if ('namespaceSelector' in peer && isEmptySelector(peer.namespaceSelector) && isEmptySelector(peer.podSelector) && !('ipBlock' in peer)) {
    return 'an empty `namespaceSelector` with no `podSelector` is every pod of every namespace';
  }
  return null;
}

function isEmptyList(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/** Every rule or peer of a NetworkPolicy body that allows all sources or destinations. */
export function allowAllRules(body: Record<string, unknown>): AllowAll[] {
  const out: AllowAll[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = getIn(body, ['spec', direction]);
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule, r) => {
      const peersKey = PEERS[direction];
      const peers = isRecord(rule) ? rule[peersKey] : undefined;
      if (!isRecord(rule) || (isEmptyList(peers) && isEmptyList(rule.ports))) {
        out.push({ path: ['spec', direction, r], direction, why: `an empty ${direction} rule allows all ${direction === 'ingress' ? 'sources' : 'destinations'} on every port` });
        return;
      }
      if (!Array.isArray(peers)) return;
      peers.forEach((peer, p) => {
        const why = peerAllowsAll(peer);
        if (why) out.push({ path: ['spec', direction, r, peersKey, p], direction, why });
      });
    });
  }
  return out;
}

/** The directions a policy restricts, with the API server's defaulting of `policyTypes`. */
export function policyTypes(body: Record<string, unknown>): Set<Direction> {
  const declared = getIn(body, ['spec', 'policyTypes']);
  if (Array.isArray(declared)) {
    return new Set(declared.filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase()).filter((t): t is Direction => t === 'ingress' || t === 'egress'));
  }
  const types = new Set<Direction>(['ingress']);
  if (getIn(body, ['spec', 'egress']) !== undefined) types.add('egress');
  return types;
}

/**
 * Which directions of a namespace are default-deny, judged from `policies`: NetworkPolicies and Cilium's policies
 * (Namespaces resolve Terraform references).
 */
export function defaultDenyCoverage(namespace: string, policies: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[] = NO_PLACERS): ReadonlySet<Direction> {
  // Asked for each workload of a job with the same lists (src/engine/visible.ts): each policy's namespaces are found
  // once, and each namespace is judged once, from its own policies.
  const { landing, judged } = coverages(policies, namespaces, kustomizations);
  let covered = judged.get(namespace);
  if (!covered) judged.set(namespace, (covered = coverageOf(namespace, landing(namespace), namespaces, kustomizations)));
  return covered;
}
const NO_PLACERS: readonly Resource[] = [];
const coverages = memoByIdentity((policies: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]) => ({
  landing: policiesLanding(policies, namespaces, kustomizations),
  judged: new Map<string, ReadonlySet<Direction>>(),
}));

/** The policies that may make a namespace default-deny: those that land in it, and Cilium's cluster-wide ones. */
function policiesLanding(policies: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]): (namespace: string) => readonly Resource[] {
  const everywhere = policies.filter((p) => p.kind === 'CiliumClusterwideNetworkPolicy');
  const byNamespace = new Map<string, Resource[]>();
  for (const policy of policies) {
    if (policy.kind !== 'NetworkPolicy' && policy.kind !== 'CiliumNetworkPolicy') continue;
    for (const namespace of new Set(namespacesOf(policy, namespaces, kustomizations))) {
      const landed = byNamespace.get(namespace);
      if (landed) landed.push(policy);
      else byNamespace.set(namespace, [policy]);
    }
  }
  return (namespace) => [...(byNamespace.get(namespace) ?? []), ...everywhere];
}

/** The directions `policies` (those that land in `namespace`, policiesLanding) make default-deny. */
function coverageOf(namespace: string, policies: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]): ReadonlySet<Direction> {
  const covered = new Set<Direction>();
  for (const policy of policies) {
    if (policy.kind !== 'NetworkPolicy') continue;
    const spec = getIn(policy.body, ['spec']);
    if (!isRecord(spec) || !isEmptySelector(spec.podSelector)) continue;
    const reopened = new Set(allowAllRules(policy.body).map((a) => a.direction));
    for (const direction of policyTypes(policy.body)) if (!reopened.has(direction)) covered.add(direction);
  }
  for (const direction of ciliumDefaultDenyCoverage(namespace, policies, namespaces, kustomizations)) covered.add(direction);
  return covered;
}
