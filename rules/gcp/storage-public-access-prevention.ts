import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/storage-public-access-prevention',
  severity: 'medium',
  title: 'Cloud Storage bucket without public access prevention',
  fixable: true,
  scope: 'resource',
  kinds: ['google_storage_bucket'],
  docs: {
    why:
      'Public access prevention makes Cloud Storage refuse any grant to `allUsers` or `allAuthenticatedUsers` on the bucket, ' +
      'whatever IAM or ACL change comes later. Without it (`inherited`, the default) a bucket of model weights or datasets ' +
      'is one IAM binding away from the internet, unless an organization policy enforces it.',
    fix:
      'Set `public_access_prevention = "enforced"` (or enforce the `storage.publicAccessPrevention` organization policy and ' +
      'suppress this finding with that reason). A bucket that must serve the public (a website) should hold nothing else.',
  },
  references: {
    cis: 'CIS Google Cloud Platform Foundation 5.1 (buckets not anonymously or publicly accessible)',
    nist: 'NIST SP 800-53 AC-3, AC-21',
    checkov: 'CKV_GCP_114',
  },
  messages: {
    off: 'Bucket `{{name}}` does not enforce public access prevention ({{state}}): a later grant to `allUsers` would make it public.',
  },
  check: setting({
    path: ['public_access_prevention'],
    message: 'off',
    defaultValue: 'inherited',
    bad: (value) => value !== 'enforced',
    fix: { description: 'Set public_access_prevention = "enforced"', value: 'enforced', applicability: 'unsafe' },
  }),
});
