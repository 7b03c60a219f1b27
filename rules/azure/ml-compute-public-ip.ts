import { defineRule } from '../../src/engine/define-rule.js';
import { isFalse, setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'azure/ml-compute-public-ip',
  severity: 'medium',
  title: 'Azure ML compute with public IP addresses',
  fixable: true,
  scope: 'resource',
  kinds: ['azurerm_machine_learning_compute_cluster', 'azurerm_machine_learning_compute_instance'],
  docs: {
    why:
      'Compute clusters and instances train and evaluate models with the workspace\'s data and credentials. With ' +
      '`node_public_ip_enabled` (the default) every node gets a public IP address and an inbound path from the internet ' +
      'through Azure ML\'s management ports.',
    fix:
      'Set `node_public_ip_enabled = false` and put the compute in a virtual network (`subnet_resource_id`); give it ' +
      'outbound access through a NAT gateway or the workspace\'s managed network. The compute is recreated.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-7',
    links: ['https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet'],
  },
  messages: {
    public: '`{{name}}` gives its nodes public IP addresses ({{state}}). Set `node_public_ip_enabled = false` and a `subnet_resource_id`.',
  },
  check: setting({
    path: ['node_public_ip_enabled'],
    message: 'public',
    defaultValue: true,
    bad: (v) => !isFalse(v),
    fix: { description: 'Set node_public_ip_enabled = false', value: false, applicability: 'unsafe' },
  }),
});
