import { defineRule } from '../../src/engine/define-rule.js';
import type { Path } from '../../src/model.js';
import { block, describeSetting, hasDynamic, isTrue, isUnknown } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'azure/aks-azure-policy',
  severity: 'low',
  title: 'AKS cluster without the Azure Policy add-on',
  fixable: true,
  scope: 'resource',
  kinds: ['azurerm_kubernetes_cluster'],
  docs: {
    why:
      'Without the Azure Policy add-on (off by default) nothing in the cluster enforces the organisation\'s pod rules at ' +
      'admission: a privileged model server, a hostPath mount or an image from an unapproved registry is admitted as long ' +
      'as it passes this review, including when it is deployed by hand or by a pipeline Warden never sees.',
    fix:
      'Set `azure_policy_enabled = true` (azurerm 3 and later; `addon_profile { azure_policy { enabled = true } }` before) and ' +
      'assign the "Kubernetes cluster pod security baseline standards" initiative. Start the assignments in audit mode: with ' +
      'deny effects already assigned, enabling the add-on starts rejecting workloads that break them.',
  },
  references: {
    nist: 'NIST SP 800-53 CM-7, CM-6',
    checkov: 'CKV_AZURE_116',
    kics: '43789711-161b-4708-b5bb-9d1c626f7492',
    links: ['https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes'],
  },
  messages: {
    off: 'AKS cluster `{{name}}` runs without the Azure Policy add-on ({{state}}): no admission policy enforces pod security in the cluster.',
  },
  check(target, ctx) {
    const body = target.node;
    const profile = block(body, 'addon_profile');
    if (hasDynamic(body, 'addon_profile') || (profile && hasDynamic(profile, 'azure_policy'))) return;
    // azurerm 2.x writes the add-on in `addon_profile`; a file that uses that block gets the setting there.
    const path: Path = profile ? ['addon_profile', 0, 'azure_policy', 0, 'enabled'] : ['azure_policy_enabled'];
    const value = profile ? block(profile, 'azure_policy')?.enabled : body.azure_policy_enabled;
    if (isUnknown(value) || isTrue(value)) return;
    ctx.report({
      message: 'off',
      at: path,
      data: { name: target.resource.name, state: describeSetting(path, value, false) },
      fix: { description: 'Enable the Azure Policy add-on', applicability: 'unsafe', ops: [{ op: 'set', path, value: true }] },
    });
  },
});
