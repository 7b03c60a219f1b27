import { defineRule } from '../../src/engine/define-rule.js';
import { block, isFalse } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'azure/aks-rbac',
  severity: 'high',
  title: 'AKS cluster with Kubernetes RBAC disabled',
  fixable: false,
  scope: 'resource',
  kinds: ['azurerm_kubernetes_cluster'],
  docs: {
    why:
      'Without Kubernetes RBAC every authenticated identity can do anything in the cluster: read every Secret, exec into ' +
      'model servers, replace their images. RBAC is on by default; turning it off cannot be undone without recreating the cluster.',
    fix:
      'Remove `role_based_access_control_enabled = false` (the default is true), recreate the cluster, and grant access with ' +
      'Roles, or with Entra ID integration (`azure_active_directory_role_based_access_control { azure_rbac_enabled = true }`).',
  },
  references: {
    cis: 'CIS AKS Benchmark 5.5.x (RBAC and identity)',
    nist: 'NIST SP 800-53 AC-3, AC-6',
    checkov: 'CKV_AZURE_5',
    kics: '86f92117-eed8-4614-9c6c-b26da20ff37f',
  },
  messages: {
    off: 'AKS cluster `{{name}}` disables Kubernetes RBAC: every authenticated identity can do anything in it.',
  },
  check(target, ctx) {
    const body = target.node;
    if (isFalse(body.role_based_access_control_enabled)) {
      return ctx.report({ message: 'off', at: ['role_based_access_control_enabled'], data: { name: target.resource.name } });
    }
    // azurerm 2.x: role_based_access_control { enabled = false }
    const legacy = block(body, 'role_based_access_control');
    if (legacy && isFalse(legacy.enabled)) ctx.report({ message: 'off', at: ['role_based_access_control', 0, 'enabled'], data: { name: target.resource.name } });
  },
});
