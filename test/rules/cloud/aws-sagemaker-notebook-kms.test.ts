import rule from '../../../rules/aws/sagemaker-notebook-kms.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'key set', file: 'main.tf', code: `resource "aws_sagemaker_notebook_instance" "nb" {\n  kms_key_id = aws_kms_key.nb.id\n}\n` },
    { name: 'unknown: a variable', file: 'main.tf', code: `resource "aws_sagemaker_notebook_instance" "nb" {\n  kms_key_id = var.key\n}\n` },
  ],
  invalid: [
    {
      name: 'no key',
      file: 'main.tf',
      code: `resource "aws_sagemaker_notebook_instance" "nb" {\n  name = "nb"\n}\n`,
      errors: [{ line: 1, message: 'sets no `kms_key_id`' }],
      output: null,
    },
  ],
});
