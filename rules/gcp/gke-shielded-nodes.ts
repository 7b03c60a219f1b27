import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/gke-shielded-nodes',
  severity: 'low',
  title: 'GKE shielded nodes disabled',
  fixable: true,
  scope: 'resource',
  kinds: ['google_container_cluster'],
  docs: {
    why:
      'Shielded GKE nodes prove their identity with a vTPM when they join the cluster, so an attacker who steals a node\'s ' +
      'bootstrap credentials cannot impersonate it and receive the Secrets and model workloads scheduled to it. ' +
      'The provider enables them by default; this flags clusters that turn them off.',
    fix: 'Set `enable_shielded_nodes = true` (or remove the attribute); nodes are recreated with the setting.',
  },
  references: {
    cis: 'CIS GKE Benchmark 5.5.5 (Shielded GKE Nodes)',
    nist: 'NIST SP 800-53 SI-7, IA-3',
    checkov: 'CKV_GCP_71',
    kics: '579a0727-9c29-4d58-8195-fc5802a8bdb4',
  },
  messages: {
    off: 'GKE cluster `{{name}}` disables shielded nodes ({{state}}). Set `enable_shielded_nodes = true`.',
  },
  check: setting({
    path: ['enable_shielded_nodes'],
    message: 'off',
    defaultValue: true,
    bad: (v) => v === false || v === 'false',
    fix: { description: 'Set enable_shielded_nodes = true', value: true, applicability: 'unsafe' },
  }),
});
