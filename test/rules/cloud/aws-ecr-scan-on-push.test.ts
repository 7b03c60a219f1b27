import rule from '../../../rules/aws/ecr-scan-on-push.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'scan on push', file: 'main.tf', code: `resource "aws_ecr_repository" "r" {\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}\n` },
    { name: 'unknown: a variable', file: 'main.tf', code: `resource "aws_ecr_repository" "r" {\n  image_scanning_configuration {\n    scan_on_push = var.scan\n  }\n}\n` },
    {
      name: 'registry-wide enhanced scanning',
      file: 'main.tf',
      code: `resource "aws_ecr_registry_scanning_configuration" "all" {\n  scan_type = "ENHANCED"\n}\n\nresource "aws_ecr_repository" "r" {\n  name = "r"\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'absent: the block is created',
      file: 'main.tf',
      code: `resource "aws_ecr_repository" "r" {
  name                 = "r"
  image_tag_mutability = "IMMUTABLE"
}
`,
      errors: [{ line: 1, message: 'does not scan images on push' }],
      output: `resource "aws_ecr_repository" "r" {
  name                 = "r"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
}
`,
    },
    {
      name: 'false inside the block',
      file: 'main.tf',
      code: `resource "aws_ecr_repository" "r" {\n  image_scanning_configuration {\n    scan_on_push = false\n  }\n}\n`,
      errors: [{ line: 3 }],
      output: `resource "aws_ecr_repository" "r" {\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}\n`,
    },
    {
      name: 'empty block: the attribute is inserted',
      file: 'main.tf',
      code: `resource "aws_ecr_repository" "r" {\n  image_scanning_configuration {}\n}\n`,
      errors: [{ line: 2 }],
      output: `resource "aws_ecr_repository" "r" {\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}\n`,
    },
  ],
});
