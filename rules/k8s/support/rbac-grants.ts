// What service accounts may escalate to through the bindings and roles of a review: `k8s/workload-rbac-escalation`
// asks it for every pod spec, src/gained-privileges.ts for every account a changed binding reaches. The bindings
// are read once per job's lists (whom each reaches, what its role grants), so a review of W workloads against B
// bindings costs W lookups and B readings, not W × B.
import { getIn, isRecord } from '../../../src/engine/path.js';
import { ownValue } from '../../../src/common/own-key.js';
import { memoByIdentity } from '../../../src/common/memo.js';
import type { Resource } from '../../../src/model.js';
import { nameOf, namespacesOf } from './k8s.js';
import { policyRules, subjectHolders, type AccountHolder } from './rbac.js';
import { BUILT_IN_CLUSTER_ROLES, escalationsOf } from './rbac-escalation.js';

export interface Grant {
  binding: Resource;
  role: string;
  what: string;
}

/**
 * What `holder` (a service account, or every account of a namespace or of the cluster) may escalate to, through each
 * binding whose subjects reach it and the role that binding refers to, in the bindings' order.
 */
export function accountGrants(holder: AccountHolder, bindings: readonly Resource[], roles: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]): Grant[] {
  return grantIndex(bindings, roles, namespaces, kustomizations).grantsTo(holder);
}

const grantIndex = memoByIdentity((bindings: readonly Resource[], roles: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]) => new GrantIndex(bindings, roles, namespaces, kustomizations));

class GrantIndex {
  /** Bindings (by position) with a subject that reaches every account of the cluster. */
  private readonly everyAccount: number[] = [];
  /** By namespace, then by account (null: every account of the namespace): the bindings whose subjects reach it. */
  private readonly inNamespace = new Map<string, Map<string | null, number[]>>();
  /** Roles by kind and name, in order. */
  private readonly rolesByName = new Map<string, Resource[]>();
  /** Each binding's own namespaces (a RoleBinding's) and, once asked, what its role lets its holders escalate to. */
  private readonly own: (readonly string[])[] = [];
  private readonly what = new Map<number, string | null>();

  constructor(
    private readonly bindings: readonly Resource[],
    roles: readonly Resource[],
    private readonly namespaces: readonly Resource[],
    private readonly kustomizations: readonly Resource[],
  ) {
    for (const role of roles) {
      const name = nameOf(role);
      if (name === null) continue;
      const key = `${role.kind}\0${name}`;
      const same = this.rolesByName.get(key);
      if (same) same.push(role);
      else this.rolesByName.set(key, [role]);
    }
    bindings.forEach((binding, at) => {
      // A RoleBinding grants in its own namespaces, to accounts of any namespace its subjects name.
      const own = binding.kind === 'RoleBinding' ? namespacesOf(binding, namespaces, kustomizations) : [];
      this.own.push(own);
      const subjects = getIn(binding.body, ['subjects']);
      for (const holder of Array.isArray(subjects) ? subjects.flatMap((s) => subjectHolders(s, own)) : []) {
        if (holder.namespace === null) {
          this.everyAccount.push(at);
          continue;
        }
        let accounts = this.inNamespace.get(holder.namespace);
        if (!accounts) this.inNamespace.set(holder.namespace, (accounts = new Map()));
        const reached = accounts.get(holder.account);
        if (reached) reached.push(at);
        else accounts.set(holder.account, [at]);
      }
    });
  }

  grantsTo(holder: AccountHolder): Grant[] {
    // A binding's holder covers `holder` when it is every account, or every account of its namespace, or the same account.
    const accounts = holder.namespace === null ? undefined : this.inNamespace.get(holder.namespace);
    const reaching = new Set([...this.everyAccount, ...(accounts?.get(null) ?? []), ...(holder.account === null ? [] : (accounts?.get(holder.account) ?? []))]);
    const grants: Grant[] = [];
    for (const at of [...reaching].sort((a, b) => a - b)) {
      const what = this.escalation(at);
      const binding = this.bindings[at]!;
      if (what) grants.push({ binding, role: String(getIn(binding.body, ['roleRef', 'name'])), what });
    }
    return grants;
  }

  /** What the role a binding refers to lets its holder escalate to; null when it grants none of it or is unknown. */
  private escalation(at: number): string | null {
    let what = this.what.get(at);
    if (what === undefined) this.what.set(at, (what = this.roleEscalation(this.bindings[at]!, this.own[at]!)));
    return what;
  }

  private roleEscalation(binding: Resource, own: readonly string[]): string | null {
    const ref = getIn(binding.body, ['roleRef']);
    if (!isRecord(ref) || typeof ref.name !== 'string') return null;
    const builtIn = ref.kind === 'ClusterRole' ? ownValue(BUILT_IN_CLUSTER_ROLES, ref.name) : undefined;
    if (builtIn) return builtIn;
    // A Role is the one of the binding's namespace.
    const named = (typeof ref.kind === 'string' && this.rolesByName.get(`${ref.kind}\0${ref.name}`)) || [];
    const role = named.find((r) => r.kind === 'ClusterRole' || namespacesOf(r, this.namespaces, this.kustomizations).some((n) => own.includes(n)));
    if (!role) return null;
    const what = policyRules(role.body).flatMap((rule) => escalationsOf(rule, { wildcards: true, shell: true }));
    return what.length > 0 ? [...new Set(what)].join('; ') : null;
  }
}
