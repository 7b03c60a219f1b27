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
    {
      name: 'a condition that narrows: aws:PrincipalArn in one account; ForAnyValue on the principal tags',
      file: 'main.tf',
      code: `resource "aws_s3_bucket_policy" "models" {
  bucket = aws_s3_bucket.models.id
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*", Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::123456789012:role/*" } } },
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*", Condition = { "ForAnyValue:StringEquals" = { "aws:PrincipalTag/team" = ["ml"] } } },
    ]
  })
}
`,
    },
    { name: 'unknown: policy from a template', file: 'main.tf', code: `resource "aws_s3_bucket_policy" "models" {\n  bucket = aws_s3_bucket.models.id\n  policy = templatefile("policy.json.tpl", { bucket = aws_s3_bucket.models.arn })\n}\n` },
  ],
  invalid: [
    {
      name: 'conditions that narrow nothing: aws:PrincipalArn like arn:aws:iam::*, a ForAllValues: operator (JSON and data document)',
      file: 'main.tf',
      code: `resource "aws_s3_bucket_policy" "models" {
  bucket = aws_s3_bucket.models.id
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*", Condition = { StringLike = { "aws:PrincipalArn" = "arn:aws:iam::*" } } },
      { Effect = "Allow", Principal = "*", Action = "s3:PutObject", Resource = "*", Condition = { "ForAllValues:StringEquals" = { "aws:TagKeys" = ["team"] } } },
    ]
  })
}

data "aws_iam_policy_document" "open" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::datasets/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::*:role/*"]
    }
  }
}

resource "aws_s3_bucket_policy" "datasets" {
  bucket = "datasets"
  policy = data.aws_iam_policy_document.open.json
}
`,
      errors: [
        { line: 5, message: 'to `s3:GetObject` with no condition that narrows it' },
        { line: 6, message: 'to `s3:PutObject`' },
        { line: 29, message: '`s3:GetObject`' },
      ],
      output: null,
    },
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
