import { defineRule } from '../../src/engine/define-rule.js';
import { publicPolicyStatements } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/s3-policy-public',
  severity: 'critical',
  title: 'S3 bucket policy open to anyone',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_s3_bucket_policy', 'aws_s3_bucket'],
  docs: {
    why:
      'A bucket policy statement that allows `Principal: "*"` (or `{ AWS = "*" }`) with no condition (or one that matches everyone: a `ForAllValues:` operator, which holds when the request lacks the key, or ' +
      '`aws:PrincipalArn` like `arn:aws:iam::*`) grants its actions to ' +
      'anyone on the internet, signed in or not: model weights and datasets become downloadable, and with write actions ' +
      'replaceable. Only the public access block (`block_public_policy`, `restrict_public_buckets`) stands in the way.',
    fix:
      'Name the principals that need access (the SageMaker execution role, a CloudFront origin access control) or keep `*` ' +
      'but add a condition that narrows it: `aws:PrincipalOrgID`, `aws:SourceVpce`, `aws:SourceArn`. Deny statements are not affected.',
  },
  references: {
    cis: 'CIS AWS Foundations 2.1.4',
    nist: 'NIST SP 800-53 AC-3, AC-6',
    checkov: 'CKV_AWS_70',
    kics: '7af43613-6bb9-4a0e-8c4d-1314b799425e (any principal), 1a4bc881-9f69-4d44-8c9a-d37d08f54c50 (public policy)',
  },
  messages: {
    open: 'The policy of `{{name}}` allows anyone (`Principal: "*"`) to {{actions}} with no condition that narrows it{{source}}: name the principals or add a condition such as `aws:PrincipalOrgID`.',
  },
  check: publicPolicyStatements('open'),
});
