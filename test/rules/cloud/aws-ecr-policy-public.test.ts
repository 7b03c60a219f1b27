import rule from '../../../rules/aws/ecr-policy-public.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'anyone in the organization',
      file: 'main.tf',
      code: `resource "aws_ecr_repository_policy" "triton" {
  repository = aws_ecr_repository.triton.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
    }]
  })
}
`,
    },
    {
      name: 'unknown: the principal is a variable',
      file: 'main.tf',
      code: `resource "aws_ecr_repository_policy" "triton" {
  repository = aws_ecr_repository.triton.name
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = var.puller }, Action = "ecr:BatchGetImage" }]
  })
}
`,
    },
  ],
  invalid: [
    {
      name: 'heredoc JSON open to *',
      file: 'main.tf',
      code: `resource "aws_ecr_repository_policy" "triton" {
  repository = aws_ecr_repository.triton.name
  policy     = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "pull", "Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage"] }
  ]
}
EOF
}
`,
      // At the statement inside the heredoc, not at `policy = <<EOF`.
      errors: [{ line: 7, message: 'every AWS account can pull' }],
      output: null,
    },
  ],
});
