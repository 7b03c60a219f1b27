import { defineRule } from '../../src/engine/define-rule.js';
import { block, hasDynamic, internetReach, isTrue, isUnknown, listOf, openCidrs } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'azure/aks-private-cluster',
  severity: 'high',
  title: 'AKS API server open to the internet',
  fixable: false,
  scope: 'resource',
  kinds: ['azurerm_kubernetes_cluster'],
  docs: {
    why:
      'The API server of a serving cluster controls every model deployment, Secret and GPU node pool. An AKS cluster that ' +
      'is not private and has no authorized IP ranges accepts API connections from any address: leaked credentials and API ' +
      'server vulnerabilities are exploitable from the internet.',
    fix:
      'Set `private_cluster_enabled = true` (the cluster is recreated) or restrict the public endpoint with ' +
      '`api_server_access_profile { authorized_ip_ranges = ["<office>/32", "<ci>/32"] }`.',
  },
  references: {
    cis: 'CIS AKS Benchmark 5.4.1 / 5.4.2 (restrict control plane access, private endpoint)',
    nist: 'NIST SP 800-53 SC-7, AC-17',
    checkov: 'CKV_AZURE_6, CKV_AZURE_115',
    kics: '599318f2-6653-4569-9e21-041d06c63a89',
  },
  messages: {
    public: 'AKS cluster `{{name}}` is not private and {{ranges}}: its API server accepts connections from {{reach}}.',
  },
  check(target, ctx) {
    const body = target.node;
    if (isTrue(body.private_cluster_enabled) || isUnknown(body.private_cluster_enabled)) return;
    if (hasDynamic(body, 'api_server_access_profile')) return;
    const ranges = listOf(block(body, 'api_server_access_profile')?.authorized_ip_ranges ?? body.api_server_authorized_ip_ranges);
    if (ranges === 'unknown' || (Array.isArray(ranges) && ranges.some(isUnknown))) return;
    const open = Array.isArray(ranges) ? openCidrs(ranges) : [];
    if (Array.isArray(ranges) && ranges.length > 0 && open.length === 0) return;
    ctx.report({
      message: 'public',
      at: body.private_cluster_enabled !== undefined ? ['private_cluster_enabled'] : [],
      data: { name: target.resource.name, ranges: open.length > 0 ? `authorizes \`${open[0]}\`` : 'has no authorized IP ranges', reach: open.length > 0 ? internetReach(open) : 'any address' },
    });
  },
});
