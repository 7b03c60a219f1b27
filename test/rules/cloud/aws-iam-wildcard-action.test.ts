import rule from '../../../rules/aws/iam-wildcard-action.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'a trust policy that allows sts:AssumeRole only',
      file: 'main.tf',
      code: `resource "aws_iam_role" "serving" {
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
`,
    },
    {
      name: 'unknown: trust policy actions from a variable',
      file: 'main.tf',
      code: `resource "aws_iam_role" "serving" {
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = var.trust_actions }]
  })
}
`,
    },
    {
      name: 'listed actions on one prefix (jsonencode)',
      file: 'main.tf',
      code: `resource "aws_iam_policy" "reader" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "\${aws_s3_bucket.models.arn}/llm/*"
    }]
  })
}
`,
    },
    {
      name: 'a Deny with s3:* is fine',
      file: 'main.tf',
      code: `resource "aws_iam_role_policy" "guard" {
  role   = aws_iam_role.model.id
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "s3:*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }] })
}
`,
    },
    {
      name: 'unknown: actions from a variable, policy from file()',
      file: 'main.tf',
      code: `resource "aws_iam_policy" "a" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }] })
}

resource "aws_iam_policy" "b" {
  policy = file("\${path.module}/policy.json")
}
`,
    },
  ],
  invalid: [
    {
      name: 'NotAction in an Allow: every action of every service but those listed (jsonencode, a data block)',
      file: 'main.tf',
      code: `resource "aws_iam_role_policy" "platform" {
  role   = aws_iam_role.platform.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", NotAction = ["iam:*", "organizations:*"], Resource = "*" }]
  })
}

data "aws_iam_policy_document" "ml" {
  statement {
    not_actions = ["s3:DeleteBucket"]
    resources   = ["arn:aws:s3:::weights/*"]
  }
  statement {
    effect      = "Deny"
    not_actions = ["s3:GetObject"]
    resources   = ["*"]
  }
}

resource "aws_iam_policy" "ml" {
  policy = data.aws_iam_policy_document.ml.json
}
`,
      errors: [
        { line: 4, message: '`platform` allows every action but `iam:*`, `organizations:*` (`NotAction`): every other action of every service' },
        { line: 21, message: '`ml` allows every action but `s3:DeleteBucket` (`NotAction`) (statement in `data.aws_iam_policy_document.ml`)' },
      ],
      output: null,
    },
    {
      name: 'a trust policy that allows every action to its principal: reported at the statement',
      file: 'main.tf',
      code: `resource "aws_iam_role" "serving" {
  name = "serving"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "sagemaker.amazonaws.com" }
        Action    = "*"
      }
    ]
  })
}
`,
      errors: [{ line: 6, endLine: 10, message: 'The trust policy of `serving` allows `*`' }],
      output: null,
    },
    {
      name: 'heredoc with several statements: reported at the offending statement, not at `policy = <<EOF`',
      file: 'main.tf',
      code: `resource "aws_iam_role_policy" "serving" {
  role   = aws_iam_role.serving.id
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject"],
      "Resource": "arn:aws:s3:::models/*"
    },
    {
      "Effect": "Allow",
      "Action": "sagemaker:*",
      "Resource": "*"
    }
  ]
}
EOF
}
`,
      errors: [{ line: 12, endLine: 16, message: '`sagemaker:*`' }],
      output: null,
    },
    {
      name: 'jsonencode with s3:* (reported at the statement)',
      file: 'main.tf',
      code: `resource "aws_iam_policy" "model" {
  name = "model"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "arn:aws:s3:::models/*"
      },
      {
        Effect   = "Allow"
        Action   = "s3:*"
        Resource = "arn:aws:s3:::models"
      },
    ]
  })
}
`,
      errors: [{ line: 11, message: '`s3:*`' }],
      output: null,
    },
    {
      name: 'data aws_iam_policy_document referenced by a role policy, and an inline_policy of a role',
      file: 'main.tf',
      code: `data "aws_iam_policy_document" "all" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "model" {
  role   = aws_iam_role.model.id
  policy = data.aws_iam_policy_document.all.json
}

resource "aws_iam_role" "model" {
  name               = "model"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "ecr"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "ecr:*", Resource = "*" }] })
  }
}
`,
      errors: [
        { line: 10, message: 'statement in `data.aws_iam_policy_document.all`' },
        { line: 18, message: '`ecr:*`' },
      ],
      output: null,
    },
  ],
});
