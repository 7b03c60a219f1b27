import rule from '../../../rules/aws/sagemaker-notebook-root-access.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'disabled', file: 'main.tf', code: `resource "aws_sagemaker_notebook_instance" "nb" {\n  name        = "nb"\n  root_access = "Disabled"\n}\n` },
    { name: 'unknown: a local', file: 'main.tf', code: `resource "aws_sagemaker_notebook_instance" "nb" {\n  root_access = local.root\n}\n` },
  ],
  invalid: [
    {
      name: 'absent (default Enabled): inserted after the last attribute, a multi-line one, unaligned',
      file: 'main.tf',
      code: `resource "aws_sagemaker_notebook_instance" "nb" {
  name = "nb"

  tags = {
    team = "ml"
  }
}
`,
      errors: [{ line: 1, message: 'gives its users root' }],
      output: `resource "aws_sagemaker_notebook_instance" "nb" {
  name = "nb"

  tags = {
    team = "ml"
  }
  root_access = "Disabled"
}
`,
    },
  ],
});
