import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import { ownValue } from '../../src/common/own-key.js';
import { isUnknown } from '../../src/engine/shapes.js';
import { visible } from '../../src/engine/visible.js';
import type { Resource } from '../../src/model.js';
import { landingNamespaces, nameOf, namespacesOf, PLACING_KINDS } from './support/k8s.js';
import { BINDING_KINDS, holderCovers, policyRules, ROLE_KINDS, subjectHolders, type AccountHolder } from './support/rbac.js';
import { BUILT_IN_CLUSTER_ROLES, escalationsOf } from './support/rbac-escalation.js';

export interface Grant {
  binding: Resource;
  role: string;
  what: string;
}

/**
 * What `holder` (a service account, or every account of a namespace or of the cluster) may escalate to, through each
 * binding whose subjects reach it and the role that binding refers to.
 */
export function accountGrants(holder: AccountHolder, bindings: readonly Resource[], roles: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]): Grant[] {
  const grants: Grant[] = [];
  for (const binding of bindings) {
    // A RoleBinding grants in its own namespaces, to accounts of any namespace its subjects name.
    const own = binding.kind === 'RoleBinding' ? namespacesOf(binding, namespaces, kustomizations) : [];
    const subjects = getIn(binding.body, ['subjects']);
    if (!Array.isArray(subjects) || !subjects.some((s) => subjectHolders(s, own).some((h) => holderCovers(h, holder)))) continue;
    const what = roleEscalation(binding, own, roles, namespaces, kustomizations);
    if (what) grants.push({ binding, role: String(getIn(binding.body, ['roleRef', 'name'])), what });
  }
  return grants;
}

/** What the role a binding refers to lets its holder escalate to; null when it grants none of it or is unknown. */
function roleEscalation(binding: Resource, own: readonly string[], roles: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]): string | null {
  const ref = getIn(binding.body, ['roleRef']);
  if (!isRecord(ref) || typeof ref.name !== 'string') return null;
  const builtIn = ref.kind === 'ClusterRole' ? ownValue(BUILT_IN_CLUSTER_ROLES, ref.name) : undefined;
  if (builtIn) return builtIn;
  // A Role is the one of the binding's namespace.
  const role = roles.find((r) => r.kind === ref.kind && nameOf(r) === ref.name && (r.kind === 'ClusterRole' || namespacesOf(r, namespaces, kustomizations).some((n) => own.includes(n))));
  if (!role) return null;
  const what = policyRules(role.body).flatMap((rule) => escalationsOf(rule, { wildcards: true, shell: true }));
  return what.length > 0 ? [...new Set(what)].join('; ') : null;
}

export default defineRule({
  id: 'k8s/workload-rbac-escalation',
  severity: 'high',
  title: 'Workload whose service account can gain more privileges',
  fixable: false,
  scope: 'podSpec',
  lookups: [...BINDING_KINDS, ...ROLE_KINDS, 'Namespace', ...PLACING_KINDS],
  docs: {
    why:
      'A model server runs code it did not write: pickled model files, custom pre- and post-processing, a ' +
      'deserialisation bug in the runtime. Whoever gets code execution in the pod gets its service account token. ' +
      'When a RoleBinding or ClusterRoleBinding gives that account a role that can create pods or workloads, exec ' +
      'into pods, use `nodes/proxy`, `bind`, `escalate` or `impersonate`, mint tokens, or anything through a ' +
      'wildcard (or the built-in `cluster-admin`, `admin`, `edit`), one malicious model becomes the namespace or ' +
      'the cluster. Warden follows the bindings and roles it finds in the change and in the repository, whether they ' +
      'name the account itself, the user its token authenticates as (`system:serviceaccount:<namespace>:<name>`) or a ' +
      'group every account is in (`system:serviceaccounts`, `system:serviceaccounts:<namespace>`, `system:authenticated`).',
    fix:
      'Give the model server a service account of its own that is bound to no such role (usually to no role at all), ' +
      'and set `automountServiceAccountToken: false`. Deploying belongs to the CI or GitOps identity, not to the ' +
      'workload it deploys. A change that grants an account such a power (a new binding, a role edited to escalate) ' +
      'is reported on what granted it, as the pods that run as the account may be in files it does not touch.',
  },
  references: {
    cis: 'CIS Kubernetes 5.1.5 (ensure that default service accounts are not actively used), 5.1.8 (limit use of the Bind, Impersonate and Escalate permissions)',
    nist: 'NIST SP 800-190 4.3.2 (unbounded administrative access)',
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks'],
  },
  messages: {
    bound:
      'Pod spec of `{{name}}` runs as service account `{{account}}`, which {{binding}} lets {{what}} (role `{{role}}`): ' +
      'code execution in this pod inherits that. Give it a service account bound to no such role.',
  },
  check: (target, ctx) => {
    const resource = target.resource;
    // A ServingRuntime's pod spec names no service account: the InferenceService that uses it does.
    if (resource.kind === 'ServingRuntime' || resource.kind === 'ClusterServingRuntime') return;
    const named = target.node.serviceAccountName ?? target.node.serviceAccount;
    if (named !== undefined && (typeof named !== 'string' || isUnknown(named) || named.includes('${'))) return;
    const account = named ?? 'default';
    const seen = visible(ctx);
    const namespaces = seen.ofKind('Namespace');
    const kustomizations = seen.placers();
    const roles = seen.ofKind(...ROLE_KINDS);
    const bindings = seen.ofKind(...BINDING_KINDS);
    const grants = landingNamespaces(resource, namespaces, kustomizations)
      .sort()
      .flatMap((namespace) => accountGrants({ account, namespace }, bindings, roles, namespaces, kustomizations));
    const grant = grants[0];
    if (!grant) return;
    ctx.report({
      message: 'bound',
      at: named === undefined ? [] : target.node.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount',
      data: {
        name: resource.name,
        account,
        binding: `${grant.binding.kind} \`${grant.binding.name}\`${grant.binding.file === resource.file ? '' : ` (${grant.binding.file})`}`,
        what: grant.what,
        role: grant.role,
      },
    });
  },
});
