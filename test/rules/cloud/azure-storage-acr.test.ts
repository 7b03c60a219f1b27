import storagePublicBlob from '../../../rules/azure/storage-public-blob.js';
import acrAdmin from '../../../rules/azure/acr-admin-user.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'storage.tf';

ruleTester(storagePublicBlob, {
  valid: [
    {
      name: 'private account and container',
      file,
      code: `resource "azurerm_storage_account" "models" {
  name                            = "acmemodels"
  allow_nested_items_to_be_public = false
}

resource "azurerm_storage_container" "models" {
  name                  = "models"
  container_access_type = "private"
}
`,
    },
    { name: 'unknown: from variables', file, code: `resource "azurerm_storage_account" "models" {\n  allow_nested_items_to_be_public = var.public\n}\n\nresource "azurerm_storage_container" "models" {\n  container_access_type = var.access\n}\n` },
  ],
  invalid: [
    {
      name: 'account default and a public container',
      file,
      code: `resource "azurerm_storage_account" "models" {
  name                     = "acmemodels"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

resource "azurerm_storage_container" "models" {
  name                  = "models"
  container_access_type = "blob"
}
`,
      errors: [
        { line: 1, message: "the provider's default is true" },
        { line: 9, message: 'anyone can download its blobs' },
      ],
      output: `resource "azurerm_storage_account" "models" {
  name                            = "acmemodels"
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  allow_nested_items_to_be_public = false
}

resource "azurerm_storage_container" "models" {
  name                  = "models"
  container_access_type = "private"
}
`,
    },
  ],
});

ruleTester(acrAdmin, {
  valid: [
    { name: 'absent: the default is false', file, code: `resource "azurerm_container_registry" "acr" {\n  name = "acr"\n  sku  = "Premium"\n}\n` },
    { name: 'unknown: a variable', file, code: `resource "azurerm_container_registry" "acr" {\n  admin_enabled = var.admin\n}\n` },
  ],
  invalid: [
    {
      name: 'admin enabled',
      file,
      code: `resource "azurerm_container_registry" "acr" {\n  name          = "acr"\n  admin_enabled = true\n}\n`,
      errors: [{ line: 3, message: 'enables the shared admin user' }],
      output: `resource "azurerm_container_registry" "acr" {\n  name          = "acr"\n  admin_enabled = false\n}\n`,
    },
  ],
});
