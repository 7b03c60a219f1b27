import { defineRule } from '../../src/engine/define-rule.js';
import { isFalse, isUnknown, setting } from '../../src/engine/terraform.js';

const check = setting<'public'>({
  path: ['public_network_access_enabled'],
  message: 'public',
  defaultValue: true,
  bad: (v) => !isFalse(v),
  fix: { description: 'Set public_network_access_enabled = false', value: false, applicability: 'unsafe' },
});

export default defineRule({
  id: 'azure/ml-workspace-public-network',
  severity: 'high',
  title: 'Azure ML workspace reachable from public networks',
  fixable: true,
  scope: 'resource',
  kinds: ['azurerm_machine_learning_workspace'],
  docs: {
    why:
      'The Azure Machine Learning workspace holds registered models, datasets, the connected storage account and key vault, ' +
      'and deploys online endpoints. With public network access (the provider\'s default) its APIs and studio are reachable ' +
      'from any network, so a stolen Entra ID token is usable from anywhere.',
    fix:
      'Set `public_network_access_enabled = false` and reach the workspace through private endpoints ' +
      '(`azurerm_private_endpoint` with subresource `amlworkspace`) and a managed network (`managed_network { isolation_mode = ' +
      '"AllowOnlyApprovedOutbound" }`). Users and CI then need a route into the virtual network.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-7, AC-17',
    checkov: 'CKV_AZURE_144',
    links: ['https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link'],
  },
  messages: {
    public: 'Azure ML workspace `{{name}}` accepts traffic from public networks ({{state}}). Set `public_network_access_enabled = false` and use private endpoints.',
  },
  check(target, ctx) {
    // Older providers: public_access_behind_virtual_network_enabled = false meant the same as disabled.
    const legacy = target.node.public_access_behind_virtual_network_enabled;
    if (target.node.public_network_access_enabled === undefined && (isFalse(legacy) || isUnknown(legacy))) return;
    check(target, ctx);
  },
});
