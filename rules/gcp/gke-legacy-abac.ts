import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/gke-legacy-abac',
  severity: 'high',
  title: 'GKE legacy ABAC enabled',
  fixable: true,
  scope: 'resource',
  kinds: ['google_container_cluster'],
  docs: {
    why:
      'Legacy attribute-based access control grants broad, statically configured permissions that bypass RBAC: service ' +
      'accounts of any pod can get far more than their Roles say, including reading Secrets and changing model deployments.',
    fix: 'Set `enable_legacy_abac = false` (the default) and grant access with Kubernetes RBAC and IAM.',
  },
  references: {
    cis: 'CIS GKE Benchmark 5.8.4 (legacy authorization disabled)',
    nist: 'NIST SP 800-53 AC-3, AC-6',
    checkov: 'CKV_GCP_7',
    kics: '5baa92d2-d8ee-4c75-88a4-52d9d8bb8067',
  },
  messages: {
    abac: 'GKE cluster `{{name}}` enables legacy ABAC ({{state}}), which bypasses RBAC. Set `enable_legacy_abac = false`.',
  },
  check: setting({
    path: ['enable_legacy_abac'],
    message: 'abac',
    defaultValue: false,
    bad: (v) => v === true || v === 'true',
    fix: { description: 'Set enable_legacy_abac = false', value: false },
  }),
});
