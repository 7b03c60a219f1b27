import rule from '../../../rules/aws/sagemaker-endpoint-kms.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'customer-managed key',
      file: 'main.tf',
      code: `resource "aws_sagemaker_endpoint_configuration" "llm" {
  name        = "llm"
  kms_key_arn = aws_kms_key.models.arn

  production_variants {
    variant_name  = "primary"
    model_name    = aws_sagemaker_model.llm.name
    instance_type = "ml.g5.xlarge"
  }
}
`,
    },
    { name: 'unknown: a variable', file: 'main.tf', code: `resource "aws_sagemaker_endpoint_configuration" "llm" {\n  kms_key_arn = var.kms_key_arn\n}\n` },
  ],
  invalid: [
    {
      name: 'no key',
      file: 'main.tf',
      code: `resource "aws_sagemaker_endpoint_configuration" "llm" {
  name = "llm"

  production_variants {
    variant_name = "primary"
  }
}
`,
      errors: [{ line: 1, message: 'sets no `kms_key_arn`' }],
      output: null,
    },
    {
      name: 'empty key',
      file: 'main.tf',
      code: `resource "aws_sagemaker_endpoint_configuration" "llm" {
  kms_key_arn = ""
}
`,
      errors: [{ line: 2 }],
      output: null,
    },
  ],
});
