import rule from '../../../rules/azure/aks-azure-policy.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'aks.tf';
const cluster = (inner: string) => `resource "azurerm_kubernetes_cluster" "serving" {\n  name = "serving"\n${inner}}\n`;

ruleTester(rule, {
  valid: [
    { name: 'azurerm 3: azure_policy_enabled = true', file, code: cluster('  azure_policy_enabled = true\n') },
    { name: 'azurerm 2: addon_profile with the add-on enabled', file, code: cluster('  addon_profile {\n    azure_policy {\n      enabled = true\n    }\n  }\n') },
    { name: 'unknown: from a variable', file, code: cluster('  azure_policy_enabled = var.policy\n') },
    { name: 'unknown: add-on written dynamically', file, code: cluster('  addon_profile {\n    dynamic "azure_policy" {\n      for_each = var.addons\n      content {\n        enabled = true\n      }\n    }\n  }\n') },
  ],
  invalid: [
    {
      name: 'absent: the provider default is off (the fix adds the attribute)',
      file,
      code: cluster(''),
      errors: [{ line: 1, message: '`azure_policy_enabled` is not set, and the provider\'s default is false' }],
      // The writer aligns the equals signs as `terraform fmt` does.
      output: `resource "azurerm_kubernetes_cluster" "serving" {\n  name                 = "serving"\n  azure_policy_enabled = true\n}\n`,
    },
    {
      name: 'explicitly off',
      file,
      code: cluster('  azure_policy_enabled = false\n'),
      errors: [{ line: 3, message: '`azure_policy_enabled = false`' }],
      output: cluster('  azure_policy_enabled = true\n'),
    },
    {
      name: 'azurerm 2: add-on disabled in addon_profile',
      file,
      code: cluster('  addon_profile {\n    azure_policy {\n      enabled = false\n    }\n  }\n'),
      errors: [{ line: 5, message: 'without the Azure Policy add-on' }],
      output: cluster('  addon_profile {\n    azure_policy {\n      enabled = true\n    }\n  }\n'),
    },
    {
      name: 'azurerm 2: an addon_profile without the add-on: reported at the block, fixed there',
      file,
      code: cluster('  addon_profile {\n  }\n'),
      errors: [{ line: 3 }],
      output: cluster('  addon_profile {\n    azure_policy {\n      enabled = true\n    }\n  }\n'),
    },
  ],
});
