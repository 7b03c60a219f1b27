import { defineRule } from '../../src/engine/define-rule.js';
import { describeSetting, isFalse, isTrue, isUnknown } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'azure/acr-public',
  severity: 'high',
  title: 'Container registry open to the internet or to anonymous pulls',
  fixable: true,
  scope: 'resource',
  kinds: ['azurerm_container_registry'],
  docs: {
    why:
      'Model-serving images carry the model server, often the weights, and sometimes credentials baked into layers. With ' +
      '`anonymous_pull_enabled = true` anyone can pull them without signing in; with public network access on (the provider\'s ' +
      'default) the registry answers from the whole internet, so one leaked token is enough.',
    fix:
      'Set `anonymous_pull_enabled = false`, and on a Premium registry `public_network_access_enabled = false` with a private ' +
      'endpoint in the AKS or Azure ML virtual network (Basic and Standard registries cannot turn public access off: restrict ' +
      'them with `network_rule_set` where the SKU allows, or move to Premium).',
  },
  references: {
    cis: 'CIS Microsoft Azure Foundations (container registries not publicly accessible)',
    nist: 'NIST SP 800-53 AC-3, SC-7',
    checkov: 'CKV_AZURE_139',
  },
  messages: {
    anonymous: 'Container registry `{{name}}` allows anonymous pulls (`anonymous_pull_enabled = true`): anyone can download its model images.',
    network: 'Container registry `{{name}}` is reachable from the internet ({{state}}): disable public network access and use a private endpoint.',
  },
  check(target, ctx) {
    const body = target.node;
    const name = target.resource.name;
    if (isTrue(body.anonymous_pull_enabled)) {
      ctx.report({
        message: 'anonymous',
        at: ['anonymous_pull_enabled'],
        data: { name },
        fix: { description: 'Set anonymous_pull_enabled = false', applicability: 'unsafe', ops: [{ op: 'set', path: ['anonymous_pull_enabled'], value: false }] },
      });
    }
    const value = body.public_network_access_enabled;
    if (isFalse(value) || isUnknown(value)) return;
    // Only a Premium registry can turn public access off: elsewhere the fix is shown, not offered.
    const premium = typeof body.sku === 'string' && body.sku.toLowerCase() === 'premium';
    ctx.report({
      message: 'network',
      at: ['public_network_access_enabled'],
      data: { name, state: describeSetting(['public_network_access_enabled'], value, true) },
      fix: {
        description: 'Set public_network_access_enabled = false (reach the registry through a private endpoint)',
        applicability: premium ? 'unsafe' : 'display',
        ops: [{ op: 'set', path: ['public_network_access_enabled'], value: false }],
      },
    });
  },
});
