import rule from '../../../rules/aws/iam-oidc-trust-unscoped.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'main.tf';
const EKS = 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC';
const GITHUB = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

/** A role GitHub Actions' workflows may assume when their subject is like `subject`. */
const githubDeployRole = (subject: string) => `data "aws_iam_policy_document" "deploy" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["${GITHUB}"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["${subject}"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  assume_role_policy = data.aws_iam_policy_document.deploy.json
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'IRSA naming the service account; GitHub Actions naming the repository and branch; an organisation wildcard',
      file,
      code: `resource "aws_iam_role" "serving" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "${EKS}" }
      Condition = { StringEquals = { "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:serving:triton", "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com" } }
    }]
  })
}

${githubDeployRole('repo:acme/*')}`,
    },
    {
      name: 'unknown: a subject key built from the provider\'s URL, a dynamic condition; SAML and service principals are not OIDC',
      file,
      code: `resource "aws_iam_role" "irsa" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Condition = { StringEquals = { "\${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub" = "system:serviceaccount:serving:triton" } }
    }]
  })
}

data "aws_iam_policy_document" "dyn" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["${EKS}"]
    }
    dynamic "condition" {
      for_each = var.subjects
      content {
        test     = "StringEquals"
        variable = "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub"
        values   = condition.value
      }
    }
  }
}

resource "aws_iam_role" "dyn" {
  assume_role_policy = data.aws_iam_policy_document.dyn.json
}

resource "aws_iam_role" "sso" {
  assume_role_policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRoleWithSAML", Principal = { Federated = "arn:aws:iam::123456789012:saml-provider/okta" } },
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "sagemaker.amazonaws.com" } },
    ]
  })
}
`,
    },
  ],
  invalid: [
    {
      name: 'IRSA with only an audience condition; GitHub Actions with any repository; no condition at all',
      file,
      code: `resource "aws_iam_role" "serving" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "${EKS}" }
      Condition = { StringEquals = { "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com" } }
    }]
  })
}

${githubDeployRole('repo:*')}
resource "aws_iam_role" "open" {
  assume_role_policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "sts:*", "Principal": {"Federated": "\${aws_iam_openid_connect_provider.eks.arn}"}}]}
EOF
}
`,
      errors: [
        { line: 3, message: 'The trust policy of role `serving` lets any identity of `oidc.eks.us-east-1.amazonaws.com/id/ABC` assume it' },
        { line: 28, message: '`deploy` lets any identity of `token.actions.githubusercontent.com` assume it: no condition on the token\'s subject (`:sub`) names which (statement in `data.aws_iam_policy_document.deploy`)' },
        { line: 33, message: '`open` lets any identity of its OIDC provider assume it' },
      ],
      output: null,
    },
  ],
});
