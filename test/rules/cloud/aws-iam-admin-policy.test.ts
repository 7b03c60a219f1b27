import rule from '../../../rules/aws/iam-admin-policy.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'a scoped managed policy',
      file: 'main.tf',
      code: `resource "aws_iam_role_policy_attachment" "read" {
  role       = aws_iam_role.model.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}

resource "aws_iam_policy" "scoped" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::models/*" }] })
}

resource "aws_iam_role_policy_attachment" "scoped" {
  role       = aws_iam_role.model.name
  policy_arn = aws_iam_policy.scoped.arn
}
`,
    },
    {
      name: 'unknown: the policy ARN is a variable',
      file: 'main.tf',
      code: `resource "aws_iam_role_policy_attachment" "x" {\n  role       = aws_iam_role.model.name\n  policy_arn = var.policy_arn\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'AdministratorAccess, a custom */* policy, an inline */* policy',
      file: 'main.tf',
      code: `resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.model.name
  policy_arn = "arn:\${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_policy" "everything" {
  policy = <<EOT
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
EOT
}

resource "aws_iam_group_policy_attachment" "ops" {
  group      = aws_iam_group.ops.name
  policy_arn = aws_iam_policy.everything.arn
}

resource "aws_iam_user_policy" "ci" {
  user   = "ci"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["*"], Resource = ["*"] }] })
}
`,
      errors: [
        { line: 3, message: 'attaches `AdministratorAccess`' },
        { line: 14, message: 'attaches `aws_iam_policy.everything`' },
        { line: 19, message: 'inline policy' },
      ],
      output: null,
    },
  ],
});
