import { defineRule } from '../../src/engine/define-rule.js';
import { isUnknown } from '../../src/engine/shapes.js';
import { visible } from '../../src/engine/visible.js';
import { landingNamespaces, PLACING_KINDS } from './support/k8s.js';
import { BINDING_KINDS, ROLE_KINDS } from './support/rbac.js';
import { accountGrants } from './support/rbac-grants.js';

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
