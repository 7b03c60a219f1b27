import rule from '../../../rules/aws/iam-assume-role-any-principal.js';
import { ruleTester } from '../../rule-tester.js';

/** A trust policy document that lets anyone assume the role (its statement's `sid` is `Anyone`). */
const OPEN_TRUST = `data "aws_iam_policy_document" "open" {
  statement {
    sid     = "Anyone"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
`;

/** A trust policy with a statement per trusted principal of a variable (`default`: its block's body). */
const dynamicTrust = (variable: string) => `variable "trusted" {${variable}}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
  dynamic "statement" {
    for_each = var.trusted
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
}

resource "aws_iam_role" "model" {
  name               = "model"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'unknown: a dynamic statement whose for_each is a variable without a default',
      file: 'main.tf',
      code: dynamicTrust(''),
    },
    {
      name: 'SageMaker service principal',
      file: 'main.tf',
      code: `resource "aws_iam_role" "sagemaker" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "sagemaker.amazonaws.com" }
    }]
  })
}
`,
    },
    {
      name: 'any principal with an external id condition',
      file: 'main.tf',
      code: `data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.external_id]
    }
  }
}

resource "aws_iam_role" "partner" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`,
    },
    {
      name: 'unknown: principal from a variable; document not found',
      file: 'main.tf',
      code: `resource "aws_iam_role" "a" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = var.trusted } }] })
}

resource "aws_iam_role" "b" {
  assume_role_policy = data.aws_iam_policy_document.elsewhere.json
}
`,
    },
    {
      name: 'a merged document whose own statement of the same sid replaces the open one, or whose override is not read',
      file: 'main.tf',
      code: `${OPEN_TRUST}
data "aws_iam_policy_document" "narrowed" {
  source_policy_documents = [data.aws_iam_policy_document.open.json]
  statement {
    sid     = "Anyone"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "overridden" {
  source_policy_documents   = [data.aws_iam_policy_document.open.json]
  override_policy_documents = [var.override]
}

resource "aws_iam_role" "a" {
  assume_role_policy = data.aws_iam_policy_document.narrowed.json
}

resource "aws_iam_role" "b" {
  assume_role_policy = data.aws_iam_policy_document.overridden.json
}
`,
    },
  ],
  invalid: [
    {
      name: 'a dynamic statement whose for_each is known: each statement it makes is judged',
      file: 'main.tf',
      code: dynamicTrust('\n  default = ["arn:aws:iam::111122223333:root", "*"]\n'),
      errors: [{ line: 27, message: 'lets any AWS principal assume it' }],
      output: null,
    },
    {
      name: 'AWS = "*" in a data document',
      file: 'main.tf',
      code: `data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_iam_role" "model" {
  name               = "model"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`,
      errors: [{ line: 13, message: 'lets any AWS principal assume it' }],
      output: null,
    },
    {
      name: 'Principal "*" in jsonencode',
      file: 'main.tf',
      code: `resource "aws_iam_role" "model" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = "*"
    }]
  })
}
`,
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'the open statement merged in through source_policy_documents, two levels down, and through a local that names the document',
      file: 'main.tf',
      code: `${OPEN_TRUST}
data "aws_iam_policy_document" "base" {
  source_policy_documents = [data.aws_iam_policy_document.open.json]
}

data "aws_iam_policy_document" "combined" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid     = "Service"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

locals {
  trust = data.aws_iam_policy_document.open.json
}

resource "aws_iam_role" "merged" {
  assume_role_policy = data.aws_iam_policy_document.combined.json
}

resource "aws_iam_role" "aliased" {
  assume_role_policy = local.trust
}
`,
      errors: [
        { line: 33, message: 'statement in `data.aws_iam_policy_document.open`' },
        { line: 37, message: 'statement in `data.aws_iam_policy_document.open`' },
      ],
      output: null,
    },
  ],
});
