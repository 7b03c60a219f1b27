import { defineRule } from '../../src/engine/define-rule.js';
import { isFalse } from '../../src/engine/terraform.js';

const OLD_TLS = new Set(['TLS1_0', 'TLS1_1']);

export default defineRule({
  id: 'azure/storage-secure-transfer',
  severity: 'medium',
  title: 'Azure storage accepts HTTP or TLS older than 1.2',
  fixable: true,
  scope: 'resource',
  kinds: ['azurerm_storage_account'],
  docs: {
    why:
      'Model weights, training data and the keys or SAS tokens that reach them travel to and from the storage account: over ' +
      'plain HTTP, or over TLS 1.0/1.1 with their known weaknesses, they can be read or altered on the way.',
    fix:
      'Leave `https_traffic_only_enabled` (azurerm 3.x: `enable_https_traffic_only`) at its default, true, and ' +
      '`min_tls_version` at `TLS1_2`. Clients older than TLS 1.2 must be upgraded first.',
  },
  references: {
    cis: 'CIS Microsoft Azure Foundations 3.1 (secure transfer required), 3.15 (minimum TLS version 1.2)',
    nist: 'NIST SP 800-53 SC-8 (Transmission Confidentiality and Integrity)',
    checkov: 'CKV_AZURE_3, CKV_AZURE_44',
  },
  messages: {
    http: 'Storage account `{{name}}` accepts plain HTTP (`{{attribute}} = false`): data and tokens can be read in transit.',
    tls: 'Storage account `{{name}}` accepts `{{value}}`: require `TLS1_2`.',
  },
  check(target, ctx) {
    const body = target.node;
    const name = target.resource.name;
    for (const attribute of ['https_traffic_only_enabled', 'enable_https_traffic_only']) {
      if (!isFalse(body[attribute])) continue;
      ctx.report({
        message: 'http',
        at: [attribute],
        data: { name, attribute },
        fix: { description: `Set ${attribute} = true`, applicability: 'unsafe', ops: [{ op: 'set', path: [attribute], value: true }] },
      });
    }
    const tls = body.min_tls_version;
    if (typeof tls === 'string' && OLD_TLS.has(tls)) {
      ctx.report({
        message: 'tls',
        at: ['min_tls_version'],
        data: { name, value: tls },
        fix: { description: 'Set min_tls_version = "TLS1_2"', applicability: 'unsafe', ops: [{ op: 'set', path: ['min_tls_version'], value: 'TLS1_2' }] },
      });
    }
  },
});
