import rule from '../../../rules/aws/sagemaker-model-vpc.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'model in private subnets',
      file: 'main.tf',
      code: `resource "aws_sagemaker_model" "llm" {
  name = "llm"
  vpc_config {
    subnets            = ["subnet-0a1b", "subnet-2c3d"]
    security_group_ids = [aws_security_group.model.id]
  }
}
`,
    },
    {
      name: 'unknown: a dynamic vpc_config',
      file: 'main.tf',
      code: `resource "aws_sagemaker_model" "llm" {
  dynamic "vpc_config" {
    for_each = var.vpc == null ? [] : [var.vpc]
    content {
      subnets            = vpc_config.value.subnets
      security_group_ids = vpc_config.value.security_groups
    }
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'no vpc_config',
      file: 'main.tf',
      code: `resource "aws_sagemaker_model" "llm" {
  name                     = "llm"
  enable_network_isolation = true
}
`,
      errors: [{ line: 1, message: 'has no `vpc_config`' }],
      output: null,
    },
  ],
});
