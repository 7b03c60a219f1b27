import rule from '../../../rules/aws/iam-wildcard-resource.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'reads scoped to one prefix; describe and metric actions on *',
      file: 'main.tf',
      code: `resource "aws_iam_policy" "serving" {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = "\${aws_s3_bucket.models.arn}/llm/*" },
      { Effect = "Allow", Action = ["ec2:DescribeSubnets", "cloudwatch:PutMetricData", "ecr:GetAuthorizationToken"], Resource = "*" },
    ]
  })
}
`,
    },
    {
      name: 'unknown: resources from a variable',
      file: 'main.tf',
      code: `resource "aws_iam_policy" "serving" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["s3:PutObject"], Resource = var.arns }] })
}
`,
    },
  ],
  invalid: [
    {
      name: 'data reads and writes on *',
      file: 'main.tf',
      code: `data "aws_iam_policy_document" "serving" {
  statement {
    actions   = ["s3:Get*", "s3:ListBucket", "kms:Decrypt"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "serving" {
  policy = data.aws_iam_policy_document.serving.json
}

resource "aws_iam_user_policy" "uploader" {
  user   = aws_iam_user.ci.name
  policy = <<-JSON
    {"Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}
  JSON
}
`,
      errors: [
        { line: 9, message: '`s3:Get*`, `kms:Decrypt`' },
        { line: 15, message: '`s3:PutObject`' }, // the statement's line inside the heredoc
      ],
      output: null,
    },
    {
      name: 'NotResource in an Allow: every resource but those listed',
      file: 'main.tf',
      code: `resource "aws_iam_role_policy" "serving" {
  role = aws_iam_role.serving.id
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], NotResource = ["arn:aws:s3:::audit/*"] },
      { Effect = "Deny", Action = ["s3:PutObject"], NotResource = ["arn:aws:s3:::weights/*"] },
    ]
  })
}
`,
      errors: [{ line: 5, message: '`serving` allows `s3:GetObject` on every resource but `arn:aws:s3:::audit/*` (`NotResource`)' }],
      output: null,
    },
  ],
});
