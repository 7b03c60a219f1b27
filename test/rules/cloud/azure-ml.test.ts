import workspacePublic from '../../../rules/azure/ml-workspace-public-network.js';
import computePublicIp from '../../../rules/azure/ml-compute-public-ip.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'aml.tf';

ruleTester(workspacePublic, {
  valid: [
    { name: 'private workspace', file, code: `resource "azurerm_machine_learning_workspace" "ws" {\n  name                          = "ws"\n  public_network_access_enabled = false\n}\n` },
    { name: 'unknown: a variable', file, code: `resource "azurerm_machine_learning_workspace" "ws" {\n  public_network_access_enabled = var.public\n}\n` },
    { name: 'legacy attribute false', file, code: `resource "azurerm_machine_learning_workspace" "ws" {\n  public_access_behind_virtual_network_enabled = false\n}\n` },
  ],
  invalid: [
    {
      name: 'absent: the default is true',
      file,
      code: `resource "azurerm_machine_learning_workspace" "ws" {
  name                    = "ws"
  location                = azurerm_resource_group.ml.location
  resource_group_name     = azurerm_resource_group.ml.name
  application_insights_id = azurerm_application_insights.ml.id
  key_vault_id            = azurerm_key_vault.ml.id
  storage_account_id      = azurerm_storage_account.ml.id

  identity {
    type = "SystemAssigned"
  }
}
`,
      errors: [{ line: 1, message: "the provider's default is true" }],
      output: `resource "azurerm_machine_learning_workspace" "ws" {
  name                          = "ws"
  location                      = azurerm_resource_group.ml.location
  resource_group_name           = azurerm_resource_group.ml.name
  application_insights_id       = azurerm_application_insights.ml.id
  key_vault_id                  = azurerm_key_vault.ml.id
  storage_account_id            = azurerm_storage_account.ml.id
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}
`,
    },
  ],
});

ruleTester(computePublicIp, {
  valid: [
    { name: 'no public IP', file, code: `resource "azurerm_machine_learning_compute_cluster" "gpu" {\n  node_public_ip_enabled = false\n  subnet_resource_id     = azurerm_subnet.ml.id\n}\n` },
    { name: 'unknown: a variable', file, code: `resource "azurerm_machine_learning_compute_instance" "dev" {\n  node_public_ip_enabled = var.public_ip\n}\n` },
  ],
  invalid: [
    {
      name: 'explicit true on an instance',
      file,
      code: `resource "azurerm_machine_learning_compute_instance" "dev" {\n  name                   = "dev"\n  node_public_ip_enabled = true\n}\n`,
      errors: [{ line: 3 }],
      output: `resource "azurerm_machine_learning_compute_instance" "dev" {\n  name                   = "dev"\n  node_public_ip_enabled = false\n}\n`,
    },
    {
      name: 'absent on a cluster: the default is true',
      file,
      code: `resource "azurerm_machine_learning_compute_cluster" "gpu" {\n  name    = "gpu"\n  vm_size = "Standard_NC6s_v3"\n}\n`,
      errors: [{ line: 1, message: "the provider's default is true" }],
      output: `resource "azurerm_machine_learning_compute_cluster" "gpu" {\n  name                   = "gpu"\n  vm_size                = "Standard_NC6s_v3"\n  node_public_ip_enabled = false\n}\n`,
    },
  ],
});
