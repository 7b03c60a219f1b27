import rule from '../../../rules/aws/ecr-immutable-tags.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'immutable', file: 'main.tf', code: `resource "aws_ecr_repository" "triton" {\n  name                 = "triton"\n  image_tag_mutability = "IMMUTABLE"\n}\n` },
    { name: 'immutable with exclusions', file: 'main.tf', code: `resource "aws_ecr_repository" "triton" {\n  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"\n}\n` },
    { name: 'unknown: a variable', file: 'main.tf', code: `resource "aws_ecr_repository" "triton" {\n  image_tag_mutability = var.mutability\n}\n` },
  ],
  invalid: [
    {
      name: 'absent: the default is MUTABLE; inserted before nested blocks',
      file: 'main.tf',
      code: `resource "aws_ecr_repository" "triton" {
  name = "triton"

  image_scanning_configuration {
    scan_on_push = true
  }
}
`,
      errors: [{ line: 1, message: 'the provider\'s default is "MUTABLE"' }],
      output: `resource "aws_ecr_repository" "triton" {
  name                 = "triton"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}
`,
    },
    {
      name: 'explicit MUTABLE',
      file: 'main.tf',
      code: `resource "aws_ecr_repository" "triton" {\n  name                 = "triton"\n  image_tag_mutability = "MUTABLE"\n}\n`,
      errors: [{ line: 3 }],
      output: `resource "aws_ecr_repository" "triton" {\n  name                 = "triton"\n  image_tag_mutability = "IMMUTABLE"\n}\n`,
    },
  ],
});
