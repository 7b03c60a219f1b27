import { defineRule } from '../../src/engine/define-rule.js';
import type { Path } from '../../src/model.js';
import { block, hasDynamic, isTrue, isUnknown } from '../../src/engine/terraform.js';

/** `123-compute@developer.gserviceaccount.com` or the literal `default`. */
const isDefault = (sa: unknown) => sa === 'default' || (typeof sa === 'string' && !isUnknown(sa) && /-compute@developer\.gserviceaccount\.com$/.test(sa));

export default defineRule({
  id: 'gcp/gke-default-service-account',
  severity: 'medium',
  title: 'GKE nodes run as the Compute Engine default service account',
  fixable: false,
  scope: 'resource',
  kinds: ['google_container_cluster', 'google_container_node_pool'],
  docs: {
    why:
      'A node\'s service account is reachable from every pod on the node through the metadata server (unless Workload ' +
      'Identity hides it). The Compute Engine default service account has the project-wide Editor role by default: a ' +
      'compromised model server can then read every bucket of the project and change its infrastructure.',
    fix:
      'Create a dedicated `google_service_account` for the nodes with only `roles/logging.logWriter`, ' +
      '`roles/monitoring.metricWriter`, `roles/monitoring.viewer` and `roles/artifactregistry.reader`, and set it in ' +
      '`node_config { service_account = ... }` of every node pool (and in `cluster_autoscaling.auto_provisioning_defaults`).',
  },
  references: {
    cis: 'CIS GKE Benchmark 5.2.1 (not the Compute Engine default service account)',
    nist: 'NIST SP 800-53 AC-6',
    kics: '1c8eef02-17b1-4a3e-b01d-dcc3292d2c38',
  },
  messages: {
    unset: '`{{name}}` sets no `node_config.service_account`: its nodes run as the Compute Engine default service account (Editor on the project by default).',
    explicit: '`{{name}}` runs its nodes as `{{account}}`, the Compute Engine default service account (Editor on the project by default).',
  },
  check(target, ctx) {
    const body = target.node;
    const name = target.resource.name;
    if (target.resource.terraform?.type === 'google_container_cluster') {
      // The default pool only matters while it exists; Autopilot is configured elsewhere.
      if (isTrue(body.remove_default_node_pool) || isUnknown(body.remove_default_node_pool) || isTrue(body.enable_autopilot)) return;
    }
    if (hasDynamic(body, 'node_config')) return;
    const config = block(body, 'node_config');
    const sa = config?.service_account;
    const at: Path = config ? ['node_config', 0, 'service_account'] : [];
    if (sa === undefined) {
      return ctx.report({ message: 'unset', at, data: { name } });
    }
    if (isDefault(sa)) ctx.report({ message: 'explicit', at, data: { name, account: String(sa) } });
  },
});
