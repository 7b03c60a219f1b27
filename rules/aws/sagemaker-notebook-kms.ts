import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/sagemaker-notebook-kms',
  severity: 'medium',
  title: 'SageMaker notebook without a KMS key',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_sagemaker_notebook_instance'],
  docs: {
    why:
      'The notebook\'s storage volume holds training data, checkpoints and downloaded model weights. Without `kms_key_id` it ' +
      'is encrypted with an AWS-managed key, so your key policy does not decide who can read those snapshots and volumes.',
    fix: 'Set `kms_key_id` to a customer-managed `aws_kms_key` (rotation on). Changing the key replaces the notebook instance: copy its data first.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-28 (Protection of Information at Rest)',
    checkov: 'CKV_AWS_22',
    kics: 'f3674e0c-f6be-43fa-b71c-bf346d1aed99',
  },
  messages: {
    noKey: 'SageMaker notebook `{{name}}` sets no `kms_key_id`: its storage volume (data, checkpoints, model weights) is not encrypted with a key you control.',
  },
  check: setting({ path: ['kms_key_id'], message: 'noKey', bad: (v) => v === '' || v === null }),
});
