import rule from '../../../rules/aws/sagemaker-network-isolation.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'isolated model',
      file: 'main.tf',
      code: `resource "aws_sagemaker_model" "llm" {
  name                     = "llm"
  execution_role_arn       = aws_iam_role.sagemaker.arn
  enable_network_isolation = true
}
`,
    },
    {
      name: 'unknown: set from a variable',
      file: 'main.tf',
      code: `resource "aws_sagemaker_model" "llm" {
  name                     = "llm"
  enable_network_isolation = var.isolate
}
`,
    },
  ],
  invalid: [
    {
      name: 'absent: the provider default is false; inserted aligned',
      file: 'main.tf',
      code: `resource "aws_sagemaker_model" "llm" {
  name               = "llm"
  execution_role_arn = aws_iam_role.sagemaker.arn

  primary_container {
    image = "123.dkr.ecr.eu-west-1.amazonaws.com/llm:1"
  }
}
`,
      errors: [{ line: 1, message: "provider's default is false" }],
      output: `resource "aws_sagemaker_model" "llm" {
  name                     = "llm"
  execution_role_arn       = aws_iam_role.sagemaker.arn
  enable_network_isolation = true

  primary_container {
    image = "123.dkr.ecr.eu-west-1.amazonaws.com/llm:1"
  }
}
`,
    },
    {
      name: 'explicit false',
      file: 'main.tf',
      code: `resource "aws_sagemaker_model" "llm" {
  name                     = "llm"
  enable_network_isolation = false # TODO
}
`,
      errors: [{ line: 3, message: '`enable_network_isolation = false`' }],
      output: `resource "aws_sagemaker_model" "llm" {
  name                     = "llm"
  enable_network_isolation = true # TODO
}
`,
    },
  ],
});
