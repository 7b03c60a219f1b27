import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/sagemaker-endpoint-kms',
  severity: 'medium',
  title: 'SageMaker endpoint configuration without a KMS key',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_sagemaker_endpoint_configuration'],
  docs: {
    why:
      'SageMaker copies the model artifact onto the ML storage volume of every instance behind the endpoint. ' +
      'Without `kms_key_arn` that volume is encrypted with an AWS-owned key you cannot audit, restrict or revoke, ' +
      'so access to the model weights at rest is not governed by your key policy.',
    fix:
      'Create a customer-managed `aws_kms_key` (with rotation on) and set `kms_key_arn = aws_kms_key.<name>.arn` on the ' +
      'endpoint configuration; grant the SageMaker execution role `kms:CreateGrant`, `kms:Decrypt` and `kms:GenerateDataKey` on it. ' +
      'The key cannot be changed in place: Terraform replaces the configuration, and the endpoint rolls to it.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-28 (Protection of Information at Rest), SC-12',
    checkov: 'CKV_AWS_98',
    // AWS Config managed rule SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED
    kics: '58b35504-0287-4154-bf69-02c0573deab8',
    links: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sagemaker_endpoint_configuration#kms_key_arn'],
  },
  messages: {
    noKey: 'SageMaker endpoint configuration `{{name}}` sets no `kms_key_arn`: the model copied onto its instances\' storage volumes is encrypted with an AWS-owned key, not one you control.',
  },
  check: setting({ path: ['kms_key_arn'], message: 'noKey', bad: (v) => v === '' || v === null }),
});
