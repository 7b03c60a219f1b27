import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import { isUnknown } from '../../src/engine/shapes.js';
import { nameOf, SYSTEM_NAMESPACES } from './support/k8s.js';
import { visible } from '../../src/engine/visible.js';

const LABEL = 'pod-security.kubernetes.io/enforce';
const RANK: Record<string, number> = { privileged: 0, baseline: 1, restricted: 2 };

export default defineRule({
  id: 'k8s/namespace-pss-enforce',
  severity: 'medium',
  title: 'Namespace without Pod Security enforcement',
  fixable: true,
  scope: 'resource',
  lookups: ['kubernetes_labels'],
  kinds: ['Namespace'],
  docs: {
    why:
      'The `pod-security.kubernetes.io/enforce` label makes the API server reject pods that break the Pod Security ' +
      'Standards in that namespace, whoever creates them: a Helm chart, an operator creating model-server pods ' +
      'for an InferenceService, or a person with `kubectl`. Without it, the manifests Warden reviews are the only ' +
      'guard, and pods created by controllers are never reviewed at all.',
    fix:
      'Label the namespace `pod-security.kubernetes.io/enforce: restricted` (or the level set by `pss_level` in ' +
      '`.github/warden.yml`), optionally with `enforce-version`, and `warn`/`audit` labels while migrating. In ' +
      'Terraform, set it in `metadata.labels` of `kubernetes_namespace`, or with a `kubernetes_labels` resource for ' +
      'a namespace created elsewhere: Warden reads both.',
  },
  references: {
    pss: 'Pod Security Admission: namespace labels',
    cis: 'CIS Kubernetes 5.2.1 (ensure the cluster has at least one active policy control mechanism)',
    nist: 'NIST SP 800-190 4.4.3 (container runtime: insecure configuration)',
    links: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/'],
  },
  messages: {
    missing: 'Namespace `{{name}}` does not enforce Pod Security: add the label `{{label}}: {{level}}` so the API server rejects pods below that level.',
    weak: 'Namespace `{{name}}` enforces only `{{value}}` Pod Security; the policy asks for `{{level}}`. Set `{{label}}: {{level}}`.',
  },
  check: (target, ctx) => {
    const name = nameOf(target.resource);
    if (name && SYSTEM_NAMESPACES.has(name)) return;
    const level = ctx.config.pss_level;
    const strongEnough = (value: unknown) => isUnknown(value) || (typeof value === 'string' && (RANK[value] ?? -1) >= RANK[level]!);
    const value = getIn(target.node, ['metadata', 'labels', LABEL]);
    if (strongEnough(value)) return;
    // Terraform can label a namespace from a separate `kubernetes_labels` resource.
    const labelled = name !== null && visible(ctx).ofKind('kubernetes_labels').some((r) => {
      if (r.body.kind !== 'Namespace') return false;
      const meta = Array.isArray(r.body.metadata) ? r.body.metadata[0] : r.body.metadata;
      const labels = r.body.labels;
      return isRecord(meta) && meta.name === name && isRecord(labels) && strongEnough(labels[LABEL]);
    });
    if (labelled) return;
    ctx.report({
      message: value === undefined ? 'missing' : 'weak',
      at: ['metadata', 'labels', LABEL],
      data: { name: target.resource.name, label: LABEL, level, value: String(value) },
      fix: {
        description: `Label the namespace ${LABEL}: ${level}`,
        // Enforcing rejects pods that do not meet the level yet.
        applicability: 'unsafe',
        ops: [{ op: 'set', path: ['metadata', 'labels', LABEL], value: level }],
      },
    });
  },
});
