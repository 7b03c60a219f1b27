import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'azure/acr-admin-user',
  severity: 'medium',
  title: 'Container registry admin user enabled',
  fixable: true,
  scope: 'resource',
  kinds: ['azurerm_container_registry'],
  docs: {
    why:
      'The ACR admin user is one shared username and password with push and pull rights on every repository: it ends up in ' +
      'CI variables and kubeconfigs, cannot be scoped, and is not tied to a person, so whoever holds it can replace the ' +
      'inference images your clusters pull.',
    fix:
      'Set `admin_enabled = false` and pull with the AKS kubelet identity (`AcrPull` role assignment) or Azure ML\'s managed ' +
      'identity; push from CI with a service principal or workload identity that has `AcrPush` only.',
  },
  references: {
    cis: 'CIS Microsoft Azure Foundations (container registry admin account disabled)',
    nist: 'NIST SP 800-53 IA-2, AC-2',
    checkov: 'CKV_AZURE_137',
    kics: 'b897dfbf-322c-45a8-b67c-1e698beeaa51',
  },
  messages: {
    admin: 'Container registry `{{name}}` enables the shared admin user ({{state}}). Set `admin_enabled = false` and use managed identities.',
  },
  check: setting({
    path: ['admin_enabled'],
    message: 'admin',
    defaultValue: false,
    bad: (v) => v === true || v === 'true',
    fix: { description: 'Set admin_enabled = false', value: false, applicability: 'unsafe' },
  }),
});
