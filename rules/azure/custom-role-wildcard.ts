import { defineRule } from '../../src/engine/define-rule.js';
import { blocks, listOf } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'azure/custom-role-wildcard',
  severity: 'high',
  title: 'Azure custom role allows every action',
  fixable: false,
  scope: 'resource',
  kinds: ['azurerm_role_definition'],
  docs: {
    why:
      'A custom role whose `actions` include `*` can do everything at its scope, role assignments included: whoever holds it ' +
      'is an Owner in all but name, and can grant itself access to every ML workspace, storage account and registry under the scope.',
    fix:
      'List the operations the identity needs (for example `Microsoft.MachineLearningServices/workspaces/read`), or assign a ' +
      'built-in role such as AzureML Data Scientist or Storage Blob Data Reader instead of a custom role.',
  },
  references: {
    cis: 'CIS Microsoft Azure Foundations 1.23 (no custom subscription administrator roles)',
    nist: 'NIST SP 800-53 AC-6 (Least Privilege)',
    checkov: 'CKV_AZURE_39',
  },
  messages: {
    wildcard: 'Custom role `{{name}}` allows `*` in `actions`: every operation at its scope, role assignments included. List the operations it needs.',
  },
  check(target, ctx) {
    blocks(target.node, 'permissions').forEach((permission, p) => {
      const actions = listOf(permission.actions);
      if (!Array.isArray(actions)) return;
      const i = actions.findIndex((a) => a === '*');
      if (i >= 0) ctx.report({ message: 'wildcard', at: Array.isArray(permission.actions) ? ['permissions', p, 'actions', i] : ['permissions', p, 'actions'], data: { name: target.resource.name } });
    });
  },
});
