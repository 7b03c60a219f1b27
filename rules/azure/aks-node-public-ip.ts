import { defineRule } from '../../src/engine/define-rule.js';
import type { Path } from '../../src/model.js';
import { attr, isTrue } from '../../src/engine/terraform.js';

/** azurerm 4.x spells it node_public_ip_enabled, 3.x enable_node_public_ip. */
const ATTRIBUTES = ['node_public_ip_enabled', 'enable_node_public_ip'];

export default defineRule({
  id: 'azure/aks-node-public-ip',
  severity: 'medium',
  title: 'AKS nodes with public IP addresses',
  fixable: true,
  scope: 'resource',
  kinds: ['azurerm_kubernetes_cluster', 'azurerm_kubernetes_cluster_node_pool'],
  docs: {
    why:
      'A node pool with public IPs puts every node, GPU nodes that serve models included, directly on the internet: the kubelet, ' +
      'NodePorts and any `hostNetwork` model server are one NSG mistake away from being reachable by anyone.',
    fix:
      'Set `node_public_ip_enabled = false` (azurerm 3.x: `enable_node_public_ip`) and publish models through a load balancer or ' +
      'ingress; give nodes outbound access through the cluster\'s load balancer or a NAT gateway. The node pool is recreated.',
  },
  references: {
    cis: 'CIS Azure Kubernetes Service Benchmark 5.4.3 (private nodes)',
    nist: 'NIST SP 800-53 SC-7',
    checkov: 'CKV_AZURE_143',
  },
  messages: {
    public: 'Node pool of `{{name}}` gives its nodes public IP addresses (`{{attribute}} = true`): they are reachable from the internet.',
  },
  check(target, ctx) {
    const base: Path = target.resource.terraform?.type === 'azurerm_kubernetes_cluster' ? ['default_node_pool', 0] : [];
    for (const attribute of ATTRIBUTES) {
      const path = [...base, attribute];
      if (!isTrue(attr(target.node, path))) continue;
      ctx.report({
        message: 'public',
        at: path,
        data: { name: target.resource.name, attribute },
        fix: { description: `Set ${attribute} = false`, applicability: 'unsafe', ops: [{ op: 'set', path, value: false }] },
      });
    }
  },
});
