import rule from '../../../rules/aws/eks-public-endpoint.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'private endpoint only',
      file: 'main.tf',
      code: `resource "aws_eks_cluster" "serving" {
  name = "serving"
  vpc_config {
    subnet_ids              = var.subnets
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}
`,
    },
    {
      name: 'public but restricted to known ranges',
      file: 'main.tf',
      code: `resource "aws_eks_cluster" "serving" {
  vpc_config {
    subnet_ids          = var.subnets
    public_access_cidrs = ["203.0.113.0/24"]
  }
}
`,
    },
    {
      name: 'unknown: public access and ranges from variables',
      file: 'main.tf',
      code: `resource "aws_eks_cluster" "serving" {
  vpc_config {
    subnet_ids             = var.subnets
    endpoint_public_access = var.public
  }
}
`,
    },
    {
      name: 'unknown: ranges from a variable',
      file: 'main.tf',
      code: `resource "aws_eks_cluster" "serving" {\n  vpc_config {\n    public_access_cidrs = var.cidrs\n  }\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'public_access_cidrs = [] restricts nothing (EKS applies 0.0.0.0/0)',
      file: 'main.tf',
      code: `resource "aws_eks_cluster" "serving" {
  vpc_config {
    endpoint_public_access = true
    public_access_cidrs    = []
  }
}
`,
      errors: [{ line: 4, message: 'the default for an empty list' }],
      output: `resource "aws_eks_cluster" "serving" {
  vpc_config {
    endpoint_public_access  = false
    public_access_cidrs     = []
    endpoint_private_access = true
  }
}
`,
    },
    {
      name: 'defaults: public from 0.0.0.0/0; both attributes inserted aligned',
      file: 'main.tf',
      code: `resource "aws_eks_cluster" "serving" {
  name     = "serving"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids = var.subnets
  }
}
`,
      errors: [{ line: 5, message: "the provider's default is true" }],
      output: `resource "aws_eks_cluster" "serving" {
  name     = "serving"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = var.subnets
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}
`,
    },
    {
      name: 'explicit true with 0.0.0.0/0',
      file: 'main.tf',
      code: `resource "aws_eks_cluster" "serving" {
  vpc_config {
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = ["0.0.0.0/0"]
  }
}
`,
      errors: [{ line: 5, message: '`0.0.0.0/0`' }],
      output: `resource "aws_eks_cluster" "serving" {
  vpc_config {
    endpoint_private_access = true
    endpoint_public_access  = false
    public_access_cidrs     = ["0.0.0.0/0"]
  }
}
`,
    },
  ],
});
