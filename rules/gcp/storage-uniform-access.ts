import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/storage-uniform-access',
  severity: 'medium',
  title: 'Cloud Storage bucket without uniform bucket-level access',
  fixable: true,
  scope: 'resource',
  kinds: ['google_storage_bucket'],
  docs: {
    why:
      'With fine-grained ACLs every object can carry its own grants: one upload with `publicRead`, or a copied object that ' +
      'kept its ACL, exposes a model file that the bucket\'s IAM policy says is private. Uniform bucket-level access makes ' +
      'IAM the only authority, so reviewing the bucket\'s policy is enough. The provider leaves it off by default.',
    fix:
      'Set `uniform_bucket_level_access = true`. Existing object ACLs stop applying: grant through IAM anything that relied ' +
      'on them first. After 90 days it cannot be turned off again.',
  },
  references: {
    cis: 'CIS Google Cloud Platform Foundation 5.2 (uniform bucket-level access)',
    nist: 'NIST SP 800-53 AC-3',
    checkov: 'CKV_GCP_29',
    kics: 'bb0db090-5509-4853-a827-75ced0b3caa0',
  },
  messages: {
    fineGrained: 'Bucket `{{name}}` uses per-object ACLs ({{state}}): an object can be public whatever the bucket\'s IAM says. Set `uniform_bucket_level_access = true`.',
  },
  check: setting({
    path: ['uniform_bucket_level_access'],
    message: 'fineGrained',
    defaultValue: false,
    bad: (v) => v !== true && v !== 'true',
    fix: { description: 'Set uniform_bucket_level_access = true', value: true, applicability: 'unsafe' },
  }),
});
