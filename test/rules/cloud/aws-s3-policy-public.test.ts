import rule from '../../../rules/aws/s3-policy-public.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'a role principal; a Deny to *; an Allow to * with a VPC endpoint condition',
      file: 'main.tf',
      code: `resource "aws_s3_bucket_policy" "models" {
  bucket = aws_s3_bucket.models.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = aws_iam_role.sagemaker.arn }, Action = "s3:GetObject", Resource = "\${aws_s3_bucket.models.arn}/*" },
      { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "\${aws_s3_bucket.models.arn}/*", Condition = { Bool = { "aws:SecureTransport" = "false" } } },
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "\${aws_s3_bucket.models.arn}/*", Condition = { StringEquals = { "aws:SourceVpce" = var.vpce } } },
    ]
  })
}
`,
    },
    { name: 'unknown: policy from a template', file: 'main.tf', code: `resource "aws_s3_bucket_policy" "models" {\n  bucket = aws_s3_bucket.models.id\n  policy = templatefile("policy.json.tpl", { bucket = aws_s3_bucket.models.arn })\n}\n` },
  ],
  invalid: [
    {
      name: 'Principal * with no condition, jsonencode and data document',
      file: 'main.tf',
      code: `resource "aws_s3_bucket_policy" "models" {
  bucket = aws_s3_bucket.models.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicRead"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["s3:GetObject"]
      Resource  = "\${aws_s3_bucket.models.arn}/*"
    }]
  })
}

data "aws_iam_policy_document" "public" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["arn:aws:s3:::datasets/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "datasets" {
  bucket = "datasets"
  policy = data.aws_iam_policy_document.public.json
}
`,
      errors: [
        { line: 5, message: 'to `s3:GetObject` with no condition' },
        { line: 28, message: '`s3:GetObject`, `s3:PutObject`' },
      ],
      output: null,
    },
  ],
});
