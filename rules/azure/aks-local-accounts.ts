import { defineRule } from '../../src/engine/define-rule.js';
import { isTrue, setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'azure/aks-local-accounts',
  severity: 'medium',
  title: 'AKS cluster with local accounts enabled',
  fixable: true,
  scope: 'resource',
  kinds: ['azurerm_kubernetes_cluster'],
  docs: {
    why:
      'With local accounts on (the provider\'s default), `az aks get-credentials --admin` hands out a static cluster-admin ' +
      'certificate that bypasses Entra ID, Conditional Access and Azure RBAC, and cannot be revoked short of rotating the ' +
      'cluster certificates: whoever copies it controls every model deployment in the cluster.',
    fix:
      'Set `local_account_disabled = true` together with Entra ID integration (`azure_active_directory_role_based_access_control`) ' +
      'so that people and pipelines sign in with their own identities. Check that CI does not use the admin kubeconfig first.',
  },
  references: {
    cis: 'CIS Azure Kubernetes Service Benchmark (use Entra ID for authentication)',
    nist: 'NIST SP 800-53 IA-2, AC-2',
    checkov: 'CKV_AZURE_141',
  },
  messages: {
    local: 'AKS cluster `{{name}}` keeps local accounts ({{state}}): the admin kubeconfig bypasses Entra ID. Set `local_account_disabled = true`.',
  },
  check: setting({
    path: ['local_account_disabled'],
    message: 'local',
    defaultValue: false,
    bad: (v) => !isTrue(v),
    fix: { description: 'Set local_account_disabled = true', value: true, applicability: 'unsafe' },
  }),
});
