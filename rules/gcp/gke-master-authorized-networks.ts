import { defineRule } from '../../src/engine/define-rule.js';
import { block, blocks, hasDynamic, internetReach, isTrue, isUnknown, openCidrs } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/gke-master-authorized-networks',
  severity: 'medium',
  title: 'GKE control plane reachable from any network',
  fixable: false,
  scope: 'resource',
  kinds: ['google_container_cluster'],
  docs: {
    why:
      'Without master authorized networks the GKE control plane accepts connections from any IP address: stolen credentials ' +
      'for the cluster that runs your models work from anywhere, and API server vulnerabilities are reachable from the internet.',
    fix:
      'Add `master_authorized_networks_config` with `cidr_blocks` for your VPN, CI and operator ranges (or make the endpoint ' +
      'private with `private_cluster_config.enable_private_endpoint = true`). Do not list `0.0.0.0/0`.',
  },
  references: {
    cis: 'CIS GKE Benchmark 5.6.3 (control plane authorized networks)',
    nist: 'NIST SP 800-53 SC-7, AC-17',
    checkov: 'CKV_GCP_20',
  },
  messages: {
    none: 'GKE cluster `{{name}}` has no `master_authorized_networks_config`: its control plane accepts connections from any address.',
    public: 'GKE cluster `{{name}}` keeps a public control-plane endpoint (`enable_private_endpoint` is not true) and has no `master_authorized_networks_config`: it accepts connections from any address.',
    open: 'GKE cluster `{{name}}` authorizes `{{cidr}}` to reach its control plane: {{reach}}.',
  },
  check(target, ctx) {
    const body = target.node;
    if (hasDynamic(body, 'master_authorized_networks_config')) return;
    const configs = blocks(body, 'master_authorized_networks_config');
    if (configs.length === 0) {
      // A private endpoint has no public address: only the VPC reaches the control plane.
      const privateConfig = block(body, 'private_cluster_config');
      const endpoint = privateConfig?.enable_private_endpoint;
      if (hasDynamic(body, 'private_cluster_config') || isTrue(endpoint) || isUnknown(endpoint)) return;
      // With a private_cluster_config, the line that leaves the endpoint public is where the choice is made.
      if (privateConfig) return ctx.report({ message: 'public', at: ['private_cluster_config', 0, 'enable_private_endpoint'], data: { name: target.resource.name } });
      return ctx.report({ message: 'none', data: { name: target.resource.name } });
    }
    configs.forEach((config, c) =>
      blocks(config, 'cidr_blocks').forEach((entry, i) => {
        const open = openCidrs(entry.cidr_block);
        if (open.length > 0) ctx.report({ message: 'open', at: ['master_authorized_networks_config', c, 'cidr_blocks', i, 'cidr_block'], data: { name: target.resource.name, cidr: open[0]!, reach: internetReach(open) } });
      }),
    );
  },
});
