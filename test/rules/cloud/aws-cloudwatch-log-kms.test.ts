import rule from '../../../rules/aws/cloudwatch-log-kms.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'key set', file: 'main.tf', code: `resource "aws_cloudwatch_log_group" "endpoint" {\n  name       = "/aws/sagemaker/Endpoints/llm"\n  kms_key_id = aws_kms_key.logs.arn\n}\n` },
    { name: 'unknown: a module output', file: 'main.tf', code: `resource "aws_cloudwatch_log_group" "endpoint" {\n  kms_key_id = module.kms.key_arn\n}\n` },
  ],
  invalid: [
    {
      name: 'no key',
      file: 'main.tf',
      code: `resource "aws_cloudwatch_log_group" "endpoint" {\n  name              = "/aws/sagemaker/Endpoints/llm"\n  retention_in_days = 30\n}\n`,
      errors: [{ line: 1, message: 'sets no `kms_key_id`' }],
      output: null,
    },
  ],
});
