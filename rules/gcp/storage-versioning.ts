import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/storage-versioning',
  severity: 'low',
  title: 'Cloud Storage bucket without versioning',
  fixable: true,
  scope: 'resource',
  kinds: ['google_storage_bucket'],
  docs: {
    why:
      'Without object versioning (off by default), an overwritten or deleted model artifact is gone: a bad upload, a ' +
      'compromised pipeline or a wrong `gsutil rm` replaces the weights an endpoint loads, with no earlier generation to ' +
      'roll back to or to compare against.',
    fix:
      'Add `versioning { enabled = true }` and a `lifecycle_rule` that deletes noncurrent versions after a retention period ' +
      '(`num_newer_versions` or `days_since_noncurrent_time`), so old generations do not accumulate.',
  },
  references: {
    nist: 'NIST SP 800-53 CP-9, SI-7',
    checkov: 'CKV_GCP_78',
    kics: 'e7e961ac-d17e-4413-84bc-8a1fbe242944',
    links: ['https://cloud.google.com/storage/docs/object-versioning'],
  },
  messages: {
    off: 'Bucket `{{name}}` keeps no earlier versions ({{state}}): an overwritten or deleted model artifact cannot be recovered.',
  },
  check: setting({
    path: ['versioning', 0, 'enabled'],
    message: 'off',
    defaultValue: false,
    bad: (v) => v !== true && v !== 'true',
    fix: { description: 'Enable object versioning', value: true },
  }),
});
