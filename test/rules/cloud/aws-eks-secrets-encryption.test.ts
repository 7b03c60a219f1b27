import rule from '../../../rules/aws/eks-secrets-encryption.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'secrets encrypted with a KMS key',
      file: 'main.tf',
      code: `resource "aws_eks_cluster" "serving" {
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }
}
`,
    },
    { name: 'unknown: resources from a variable', file: 'main.tf', code: `resource "aws_eks_cluster" "serving" {\n  encryption_config {\n    resources = var.encrypted\n    provider {\n      key_arn = var.key\n    }\n  }\n}\n` },
  ],
  invalid: [
    { name: 'no encryption_config', file: 'main.tf', code: `resource "aws_eks_cluster" "serving" {\n  name = "serving"\n}\n`, errors: [{ line: 1, message: 'no `encryption_config`' }], output: null },
    {
      name: 'encryption_config without secrets',
      file: 'main.tf',
      code: `resource "aws_eks_cluster" "serving" {\n  encryption_config {\n    resources = []\n    provider {\n      key_arn = aws_kms_key.eks.arn\n    }\n  }\n}\n`,
      errors: [{ line: 3, message: 'does not cover `secrets`' }],
      output: null,
    },
  ],
});
