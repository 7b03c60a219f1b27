import { defineRule } from '../../src/engine/define-rule.js';
import { block, hasDynamic } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/vertex-cmek',
  severity: 'medium',
  title: 'Vertex AI resource without a customer-managed key',
  fixable: false,
  scope: 'resource',
  kinds: [
    'google_vertex_ai_endpoint', 'google_vertex_ai_dataset', 'google_vertex_ai_featurestore',
    'google_vertex_ai_metadata_store', 'google_vertex_ai_tensorboard',
  ],
  docs: {
    why:
      'Vertex AI keeps models, datasets and feature values encrypted with Google-managed keys unless `encryption_spec` names ' +
      'a Cloud KMS key of yours. With CMEK, your key\'s IAM decides who can decrypt, access is audited in Cloud KMS, and ' +
      'disabling the key makes leaked copies unreadable.',
    fix:
      'Add `encryption_spec { kms_key_name = google_kms_crypto_key.<name>.id }` (the key in the same region) and grant the ' +
      'Vertex AI service agent `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it. The key cannot be added later: the resource is replaced.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-12, SC-28',
    links: ['https://cloud.google.com/vertex-ai/docs/general/cmek'],
  },
  messages: {
    none: '`{{name}}` ({{kind}}) has no `encryption_spec`: its data is encrypted with a Google-managed key, not one you control.',
  },
  check(target, ctx) {
    const body = target.node;
    if (block(body, 'encryption_spec') || hasDynamic(body, 'encryption_spec')) return;
    ctx.report({ message: 'none', data: { name: target.resource.name, kind: target.resource.kind } });
  },
});
