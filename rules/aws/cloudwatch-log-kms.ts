import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/cloudwatch-log-kms',
  severity: 'low',
  title: 'CloudWatch log group without a KMS key',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_cloudwatch_log_group'],
  docs: {
    why:
      'Model servers log requests, and often prompts, predictions and stack traces with payloads. Without `kms_key_id` the ' +
      'log group is encrypted with a CloudWatch-owned key: anyone with `logs:GetLogEvents` reads them, and you cannot revoke ' +
      'access by key policy.',
    fix:
      'Set `kms_key_id` to a customer-managed `aws_kms_key` whose key policy allows the `logs.<region>.amazonaws.com` service ' +
      'principal (with an `kms:EncryptionContext:aws:logs:arn` condition) to use it.',
  },
  references: {
    nist: 'NIST SP 800-53 AU-9 (Protection of Audit Information), SC-28',
    checkov: 'CKV_AWS_158',
    kics: '0afbcfe9-d341-4b92-a64c-7e6de0543879',
  },
  messages: {
    noKey: 'Log group `{{name}}` sets no `kms_key_id`: its logs (requests, predictions, errors) are not encrypted with a key you control.',
  },
  check: setting({ path: ['kms_key_id'], message: 'noKey', bad: (v) => v === '' || v === null }),
});
