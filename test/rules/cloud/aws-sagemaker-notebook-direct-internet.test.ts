import rule from '../../../rules/aws/sagemaker-notebook-direct-internet.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'disabled, in a subnet',
      file: 'main.tf',
      code: `resource "aws_sagemaker_notebook_instance" "research" {
  name                   = "research"
  subnet_id              = aws_subnet.private.id
  direct_internet_access = "Disabled"
}
`,
    },
    { name: 'unknown: a variable', file: 'main.tf', code: `resource "aws_sagemaker_notebook_instance" "research" {\n  direct_internet_access = var.internet\n}\n` },
  ],
  invalid: [
    {
      name: 'absent: the default is Enabled',
      file: 'main.tf',
      code: `resource "aws_sagemaker_notebook_instance" "research" {
  name          = "research"
  role_arn      = aws_iam_role.notebook.arn
  instance_type = "ml.t3.medium"
}
`,
      errors: [{ line: 1, message: 'the provider\'s default is "Enabled"' }],
      output: `resource "aws_sagemaker_notebook_instance" "research" {
  name                   = "research"
  role_arn               = aws_iam_role.notebook.arn
  instance_type          = "ml.t3.medium"
  direct_internet_access = "Disabled"
}
`,
    },
    {
      name: 'explicit Enabled',
      file: 'main.tf',
      code: `resource "aws_sagemaker_notebook_instance" "research" {
  name                   = "research"
  direct_internet_access = "Enabled"
}
`,
      errors: [{ line: 3 }],
      output: `resource "aws_sagemaker_notebook_instance" "research" {
  name                   = "research"
  direct_internet_access = "Disabled"
}
`,
    },
  ],
});
