import { defineRule } from '../../src/engine/define-rule.js';
import { isFalse, isUnknown } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'azure/storage-public-blob',
  severity: 'high',
  title: 'Azure storage allows public blob access',
  fixable: true,
  scope: 'resource',
  kinds: ['azurerm_storage_account', 'azurerm_storage_container'],
  docs: {
    why:
      'Azure ML and AKS serving keep model files in blob storage. A container with access type `blob` or `container` lets ' +
      'anyone download (and with `container`, list) its blobs without credentials; an account that allows nested items to ' +
      'be public (the azurerm 3.x default) lets any container become so with one setting.',
    fix:
      'Set `allow_nested_items_to_be_public = false` on the account and `container_access_type = "private"` on containers; ' +
      'grant read access with Entra ID roles or short-lived SAS tokens.',
  },
  references: {
    cis: 'CIS Microsoft Azure Foundations 3.7 (public access level disabled for storage accounts with blob containers)',
    nist: 'NIST SP 800-53 AC-3, AC-21',
    checkov: 'CKV_AZURE_190, CKV_AZURE_34',
    kics: 'dd5230f8-a577-4bbb-b7ac-f2c2fe7d5299 (container), 17f75827-0684-48f4-8747-61129c7e4198 (account)',
  },
  messages: {
    account: 'Storage account `{{name}}` allows containers to be made public ({{state}}). Set `allow_nested_items_to_be_public = false`.',
    container: 'Storage container `{{name}}` is public (`container_access_type = "{{value}}"`): anyone can {{what}} without credentials. Set it to "private".',
  },
  check(target, ctx) {
    const body = target.node;
    const name = target.resource.name;
    if (target.resource.terraform?.type === 'azurerm_storage_container') {
      const type = body.container_access_type;
      if (type === 'blob' || type === 'container') {
        ctx.report({
          message: 'container',
          at: ['container_access_type'],
          data: { name, value: type, what: type === 'container' ? 'list and download its blobs' : 'download its blobs' },
          fix: { description: 'Set container_access_type = "private"', applicability: 'unsafe', ops: [{ op: 'set', path: ['container_access_type'], value: 'private' }] },
        });
      }
      return;
    }
    // azurerm 2.x spelled it allow_blob_public_access (default false there).
    const legacy = body.allow_blob_public_access;
    const value = body.allow_nested_items_to_be_public;
    if (value === undefined && legacy !== undefined) {
      if (legacy === true || legacy === 'true') {
        ctx.report({
          message: 'account',
          at: ['allow_blob_public_access'],
          data: { name, state: '`allow_blob_public_access = true`' },
          fix: { description: 'Set allow_blob_public_access = false', ops: [{ op: 'set', path: ['allow_blob_public_access'], value: false }] },
        });
      }
      return;
    }
    if (isFalse(value) || isUnknown(value)) return;
    ctx.report({
      message: 'account',
      at: ['allow_nested_items_to_be_public'],
      data: { name, state: value === undefined ? "`allow_nested_items_to_be_public` is not set, and the provider's default is true" : `\`allow_nested_items_to_be_public = ${String(value)}\`` },
      fix: { description: 'Set allow_nested_items_to_be_public = false', ops: [{ op: 'set', path: ['allow_nested_items_to_be_public'], value: false }] },
    });
  },
});
