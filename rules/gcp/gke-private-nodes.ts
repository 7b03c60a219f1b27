import { defineRule } from '../../src/engine/define-rule.js';
import { block, blocks, hasDynamic, instances, isTrue, isUnknown, relatedResources } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/gke-private-nodes',
  severity: 'high',
  title: 'GKE cluster with public nodes',
  fixable: false,
  scope: 'resource',
  kinds: ['google_container_cluster'],
  docs: {
    why:
      'Without private nodes every GKE node, and so every GPU node that serves a model, gets a public IP address: its ' +
      'kubelet, node ports and any `hostNetwork` model server are one firewall mistake away from the internet.',
    fix:
      'Add `private_cluster_config { enable_private_nodes = true, master_ipv4_cidr_block = "172.16.0.0/28" }` (or set ' +
      '`network_config { enable_private_nodes = true }` on every node pool) and give the nodes egress through Cloud NAT. ' +
      'Changing it replaces the cluster on older GKE versions.',
  },
  references: {
    cis: 'CIS GKE Benchmark 5.6.5 (private nodes)',
    nist: 'NIST SP 800-53 SC-7',
    checkov: 'CKV_GCP_25',
    kics: '6ccb85d7-0420-4907-9380-50313f80946b',
  },
  messages: {
    public: 'GKE cluster `{{name}}` does not use private nodes ({{state}}): its nodes get public IP addresses.',
  },
  check(target, ctx) {
    const body = target.node;
    if (hasDynamic(body, 'private_cluster_config')) return;
    const config = block(body, 'private_cluster_config');
    const value = config?.enable_private_nodes;
    if (isTrue(value) || isUnknown(value)) return;
    // Private nodes can also be set per node pool (network_config.enable_private_nodes).
    // A pool Terraform surely does not create (`count = 0`) gives the cluster no nodes, public or private.
    const pools = relatedResources(ctx, target.resource, ['google_container_node_pool'], ['cluster'], 'name').filter((p) => instances(p) !== 'none');
    if (pools.length > 0 && body.remove_default_node_pool === true &&
      pools.every((p) => blocks(p.body, 'network_config').some((n) => isTrue(n.enable_private_nodes) || isUnknown(n.enable_private_nodes)))) return;
    ctx.report({
      message: 'public',
      at: config ? ['private_cluster_config', 0, 'enable_private_nodes'] : [],
      data: { name: target.resource.name, state: config ? `\`enable_private_nodes = ${String(value ?? false)}\`` : 'no `private_cluster_config`' },
    });
  },
});
