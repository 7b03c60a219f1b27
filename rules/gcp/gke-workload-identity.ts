import { defineRule } from '../../src/engine/define-rule.js';
import { block, hasDynamic, isTrue } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/gke-workload-identity',
  severity: 'medium',
  title: 'GKE cluster without Workload Identity',
  fixable: false,
  scope: 'resource',
  kinds: ['google_container_cluster'],
  docs: {
    why:
      'Without Workload Identity, pods that call Google APIs (to read model artifacts from Cloud Storage, call Vertex AI) use ' +
      'the node\'s service account, shared by every pod on the node, or a service-account key mounted as a Secret: one ' +
      'compromised container gets the permissions of all.',
    fix:
      'Add `workload_identity_config { workload_pool = "${var.project}.svc.id.goog" }`, set `workload_metadata_config { mode = ' +
      '"GKE_METADATA" }` on node pools, and bind each Kubernetes service account to its own Google service account.',
  },
  references: {
    cis: 'CIS GKE Benchmark 5.2.2 (Workload Identity)',
    nist: 'NIST SP 800-53 IA-2, AC-6',
  },
  messages: {
    none: 'GKE cluster `{{name}}` has no `workload_identity_config`: pods use the node\'s service account or mounted keys.',
  },
  check(target, ctx) {
    const body = target.node;
    if (isTrue(body.enable_autopilot)) return; // always on in Autopilot
    if (block(body, 'workload_identity_config') || hasDynamic(body, 'workload_identity_config')) return;
    ctx.report({ message: 'none', data: { name: target.resource.name } });
  },
});
