import { defineRule } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';
import { isUnknown } from '../../src/engine/shapes.js';
import { namespaceOf, namespacesOf, nameOf, PLACING_KINDS } from './support/k8s.js';
import { visible } from '../../src/engine/visible.js';
import { memoByIdentity } from '../../src/common/memo.js';
import type { Resource } from '../../src/model.js';

export default defineRule({
  id: 'k8s/automount-service-account-token',
  severity: 'medium',
  title: 'Service account token mounted into the pod',
  fixable: true,
  scope: 'podSpec',
  lookups: ['ServiceAccount', 'Namespace', ...PLACING_KINDS],
  docs: {
    why:
      'Every pod gets a Kubernetes API token mounted by default. A model server rarely talks to the API server, but ' +
      'an attacker who gets code execution through a malicious model file or a deserialisation bug can use the ' +
      'token to read secrets, list pods or move laterally with whatever RBAC the service account has.',
    fix:
      'Set `automountServiceAccountToken: false` in the pod spec (or on its ServiceAccount, which Warden also ' +
      'accepts when it finds that ServiceAccount in the repository). A pod that does need the API can mount a ' +
      'short-lived, audience-bound token through a `projected` `serviceAccountToken` volume instead. A change that ' +
      'takes `automountServiceAccountToken: false` away from a ServiceAccount (edits it, or deletes a namespace\'s ' +
      '`default` one) is reported where it did so.',
  },
  references: {
    cis: 'CIS Kubernetes 5.1.6 (ensure service account tokens are only mounted where necessary)',
    nist: 'NIST SP 800-190 4.3.2 (unbounded administrative access)',
    checkov: 'CKV_K8S_38',
    kics: '48471392-d4d0-47c0-b135-cdec95eb3eef',
  },
  messages: {
    mounted:
      'Pod spec of `{{name}}` mounts a Kubernetes API token it most likely does not need. Set ' +
      '`automountServiceAccountToken: false` (or mount a projected token where the API is really used).',
  },
  check: (target, ctx) => {
    // A ServingRuntime's pod spec has no such field: the InferenceService that uses it carries it.
    if (target.resource.kind === 'ServingRuntime' || target.resource.kind === 'ClusterServingRuntime') return;
    const own = target.node.automountServiceAccountToken;
    if (own === false || isUnknown(own)) return;
    if (own === undefined) {
      // The pod inherits the ServiceAccount's setting.
      const account = typeof target.node.serviceAccountName === 'string' ? target.node.serviceAccountName : 'default';
      const seen = visible(ctx);
      const namespaces = seen.ofKind('Namespace');
      const kustomizations = seen.placers();
      const unmounting = unmountingByName(seen.lasting('ServiceAccount')).get(account) ?? [];
      // In every namespace the pod lands in (kustomize overlays give several), or beside it when none is known.
      const landsIn = namespacesOf(target.resource, namespaces, kustomizations);
      const inherited =
        landsIn.length === 0
          ? unmounting.some((r) => namespaceOf(r, namespaces) === null)
          : landsIn.every((ns) => unmounting.some((r) => namespacesOf(r, namespaces, kustomizations).includes(ns)));
      if (inherited) return;
    }
    ctx.report({
      message: 'mounted',
      at: 'automountServiceAccountToken',
      data: { name: target.resource.name },
      fix: {
        description: 'Set automountServiceAccountToken to false',
        applicability: 'unsafe',
        ops: [{ op: 'set', path: 'automountServiceAccountToken', value: false }],
      },
    });
  },
});

/** The ServiceAccounts that turn the token off, by name: read once per job's list, asked for every pod spec. */
const unmountingByName = memoByIdentity((accounts: readonly Resource[]) => {
  const byName = new Map<string, Resource[]>();
  for (const account of accounts) {
    const name = nameOf(account);
    if (name === null || getIn(account.body, ['automountServiceAccountToken']) !== false) continue;
    const same = byName.get(name);
    if (same) same.push(account);
    else byName.set(name, [account]);
  }
  return byName;
});
