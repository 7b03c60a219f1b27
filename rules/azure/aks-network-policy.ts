import { defineRule } from '../../src/engine/define-rule.js';
import { block, hasDynamic, isUnknown } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'azure/aks-network-policy',
  severity: 'medium',
  title: 'AKS cluster without a network policy engine',
  fixable: false,
  scope: 'resource',
  kinds: ['azurerm_kubernetes_cluster'],
  docs: {
    why:
      'NetworkPolicies are only enforced when the cluster runs a policy engine. Without `network_profile.network_policy` ' +
      'every pod can reach every model server, its admin and metrics ports, and the instance metadata endpoint, whatever ' +
      'default-deny policies the manifests declare.',
    fix:
      'Set `network_profile { network_plugin = "azure", network_policy = "cilium" }` (or `"azure"` / `"calico"`). Changing ' +
      'the engine on an existing cluster may need a node-pool rollout.',
  },
  references: {
    cis: 'CIS AKS Benchmark 5.4.4 (network policy enabled)',
    nist: 'NIST SP 800-190 4.4.2, SP 800-53 SC-7',
    checkov: 'CKV_AZURE_7',
    kics: 'f5342045-b935-402d-adf1-8dbbd09c0eef',
  },
  messages: {
    none: 'AKS cluster `{{name}}` has no network policy engine ({{state}}): NetworkPolicies in it have no effect.',
  },
  check(target, ctx) {
    const body = target.node;
    if (hasDynamic(body, 'network_profile')) return;
    const profile = block(body, 'network_profile');
    const policy = profile?.network_policy;
    if (isUnknown(policy) || (typeof policy === 'string' && policy !== '' && policy !== 'none')) return;
    ctx.report({
      message: 'none',
      at: profile ? ['network_profile', 0] : [],
      data: { name: target.resource.name, state: profile ? '`network_profile.network_policy` is not set' : 'no `network_profile`' },
    });
  },
});
