import privateCluster from '../../../rules/azure/aks-private-cluster.js';
import networkPolicy from '../../../rules/azure/aks-network-policy.js';
import rbac from '../../../rules/azure/aks-rbac.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'aks.tf';
const hardened = `resource "azurerm_kubernetes_cluster" "serving" {
  name                              = "serving"
  private_cluster_enabled           = true
  role_based_access_control_enabled = true

  network_profile {
    network_plugin = "azure"
    network_policy = "cilium"
  }
}
`;
const unknowns = `resource "azurerm_kubernetes_cluster" "serving" {
  private_cluster_enabled           = var.private
  role_based_access_control_enabled = var.rbac

  network_profile {
    network_plugin = "azure"
    network_policy = var.policy
  }
}
`;
const bare = `resource "azurerm_kubernetes_cluster" "serving" {
  name = "serving"
}
`;
const valid = [
  { name: 'hardened cluster', file, code: hardened },
  { name: 'unknown: settings from variables', file, code: unknowns },
];

ruleTester(privateCluster, {
  valid: [
    ...valid,
    { name: 'public with authorized ranges', file, code: `resource "azurerm_kubernetes_cluster" "c" {\n  api_server_access_profile {\n    authorized_ip_ranges = ["203.0.113.0/24"]\n  }\n}\n` },
  ],
  invalid: [
    { name: 'not private, no ranges', file, code: bare, errors: [{ line: 1, message: 'has no authorized IP ranges' }], output: null },
    {
      name: 'private false with 0.0.0.0/0',
      file,
      code: `resource "azurerm_kubernetes_cluster" "c" {\n  private_cluster_enabled = false\n  api_server_access_profile {\n    authorized_ip_ranges = ["0.0.0.0/0"]\n  }\n}\n`,
      errors: [{ line: 2, message: 'authorizes `0.0.0.0/0`' }],
      output: null,
    },
  ],
});

ruleTester(networkPolicy, {
  valid,
  invalid: [
    { name: 'no network_profile', file, code: bare, errors: [{ line: 1, message: 'no `network_profile`' }], output: null },
    { name: 'profile without a policy', file, code: `resource "azurerm_kubernetes_cluster" "c" {\n  network_profile {\n    network_plugin = "kubenet"\n  }\n}\n`, errors: [{ line: 2 }], output: null },
  ],
});

ruleTester(rbac, {
  valid: [...valid, { name: 'absent: the default is true', file, code: bare }],
  invalid: [
    { name: 'disabled', file, code: `resource "azurerm_kubernetes_cluster" "c" {\n  role_based_access_control_enabled = false\n}\n`, errors: [{ line: 2 }], output: null },
    { name: 'azurerm 2.x block disabled', file, code: `resource "azurerm_kubernetes_cluster" "c" {\n  role_based_access_control {\n    enabled = false\n  }\n}\n`, errors: [{ line: 3 }], output: null },
  ],
});
