import { defineRule } from '../../src/engine/define-rule.js';
import type { Path } from '../../src/model.js';
import { block, hasDynamic, isFalse, isUnknown, listOf, relatedResources, searchedWhere, surelyCreated } from '../../src/engine/terraform.js';

/** `ip_rules` entries that are the whole internet. */
const ANYWHERE = new Set(['0.0.0.0/0', '0.0.0.0']);

export default defineRule({
  id: 'azure/storage-network-open',
  severity: 'medium',
  title: 'Azure storage reachable from every network',
  fixable: true,
  scope: 'resource',
  kinds: ['azurerm_storage_account', 'azurerm_storage_account_network_rules'],
  docs: {
    why:
      'A storage account\'s firewall allows every network unless its network rules say `default_action = "Deny"`; with no rules ' +
      'at all (the default) or `ip_rules = ["0.0.0.0/0"]`, the account that holds model weights and datasets answers requests ' +
      'from the whole internet, and a leaked key or SAS token is enough to read or replace them.',
    fix:
      'Set `network_rules { default_action = "Deny" }` (or an `azurerm_storage_account_network_rules`) and allow the subnets ' +
      'of AKS and Azure ML (`virtual_network_subnet_ids`) and trusted services (`bypass = ["AzureServices"]`); or set ' +
      '`public_network_access_enabled = false` and use private endpoints. Check that every client is in an allowed network first.',
  },
  references: {
    cis: 'CIS Microsoft Azure Foundations 3.8 (default network access rule set to deny)',
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    checkov: 'CKV_AZURE_35',
  },
  messages: {
    allow: 'The network rules of `{{name}}` allow every network (`default_action = "Allow"`): deny by default and allow the serving subnets.',
    anywhere: 'The network rules of `{{name}}` allow `{{cidr}}`: the whole internet.',
    none: 'Storage account `{{name}}` has no network rules {{where}} and public network access on: it accepts requests from every network.',
  },
  check(target, ctx) {
    const resource = target.resource;
    const body = target.node;
    const judge = (rules: Record<string, unknown>, base: Path) => {
      if (rules.default_action === 'Allow') {
        ctx.report({
          message: 'allow',
          at: [...base, 'default_action'],
          data: { name: resource.name },
          fix: { description: 'Set default_action = "Deny"', applicability: 'unsafe', ops: [{ op: 'set', path: [...base, 'default_action'], value: 'Deny' }] },
        });
      }
      const ips = listOf(rules.ip_rules);
      if (Array.isArray(ips)) {
        ips.forEach((ip, i) => {
          if (typeof ip === 'string' && ANYWHERE.has(ip)) ctx.report({ message: 'anywhere', at: [...base, 'ip_rules', Array.isArray(rules.ip_rules) ? i : 0], data: { name: resource.name, cidr: ip } });
        });
      }
    };
    if (resource.terraform?.type === 'azurerm_storage_account_network_rules') return judge(body, []);
    const publicAccess = body.public_network_access_enabled;
    if (isFalse(publicAccess) || isUnknown(publicAccess) || hasDynamic(body, 'network_rules')) return;
    const inline = block(body, 'network_rules');
    if (inline) return judge(inline, ['network_rules', 0]);
    // Rules written as their own resource are judged there.
    if (relatedResources(ctx, resource, ['azurerm_storage_account_network_rules'], ['storage_account_id', 'storage_account_name'], 'name').filter(surelyCreated).length > 0) return;
    ctx.report({
      message: 'none',
      at: publicAccess === undefined ? [] : ['public_network_access_enabled'],
      data: { name: resource.name, where: searchedWhere(ctx) },
      fix: {
        description: 'Set public_network_access_enabled = false (reach the account through private endpoints)',
        applicability: 'unsafe',
        ops: [{ op: 'set', path: ['public_network_access_enabled'], value: false }],
      },
    });
  },
});
