// IAM privilege escalation, unreadable policy documents, AKS accounts and node IPs, SageMaker notebooks, Vertex AI index endpoints.
import privilegeEscalation from '../../../rules/aws/iam-privilege-escalation.js';
import policyDocumentInvalid from '../../../rules/aws/policy-document-invalid.js';
import aksLocalAccounts from '../../../rules/azure/aks-local-accounts.js';
import aksNodePublicIp from '../../../rules/azure/aks-node-public-ip.js';
import notebookVpc from '../../../rules/aws/sagemaker-notebook-vpc.js';
import notebookImdsv2 from '../../../rules/aws/sagemaker-notebook-imdsv2.js';
import indexEndpointPublic from '../../../rules/gcp/vertex-index-endpoint-public.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'main.tf';

ruleTester(privilegeEscalation, {
  valid: [
    {
      name: 'PassRole of the one execution role with CreateTrainingJob; read-only IAM; a Deny',
      file,
      code: `resource "aws_iam_role_policy" "pipeline" {
  role = aws_iam_role.pipeline.id
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.sagemaker_execution.arn },
      { Effect = "Allow", Action = ["sagemaker:CreateTrainingJob", "iam:GetRole", "iam:List*"], Resource = "*" },
      { Effect = "Deny", Action = "iam:AttachRolePolicy", Resource = "*" },
    ]
  })
}
`,
    },
    {
      name: 'NotAction that leaves out IAM and Lambda; NotAction with an exception not known (it may be any action)',
      file,
      code: `resource "aws_iam_policy" "ops" {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", NotAction = ["iam:*", "lambda:*"], Resource = "*" },
      { Effect = "Allow", NotAction = var.excluded, Resource = "*" },
    ]
  })
}
`,
    },
  ],
  invalid: [
    {
      name: 'policy rewriting alone; PassRole on any role with a service that runs code (another statement)',
      file,
      code: `resource "aws_iam_policy" "ci" {
  policy = <<EOF
{
  "Statement": [
    { "Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*" },
    { "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/*" },
    { "Effect": "Allow", "Action": ["lambda:Create*"], "Resource": "*" }
  ]
}
EOF
}

resource "aws_iam_role" "serving" {
  inline_policy {
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = ["iam:Attach*"], Resource = "*" }]
    })
  }
}
`,
      errors: [
        { line: 5, message: 'allows `iam:CreatePolicyVersion`' },
        { line: 6, message: '`iam:PassRole` on any role together with `lambda:CreateFunction`' },
        { line: 16, message: 'allows `iam:AttachUserPolicy`' },
      ],
      output: null,
    },
    {
      name: 'NotAction allows every action it does not leave out: IAM left in (one finding a statement)',
      file,
      code: `resource "aws_iam_role_policy" "platform" {
  role = aws_iam_role.platform.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", NotAction = ["s3:DeleteBucket", "organizations:*"], Resource = "*" }]
  })
}

data "aws_iam_policy_document" "ml" {
  statement {
    not_actions = ["iam:*", "lambda:UpdateFunctionCode"]
    resources   = ["*"]
  }
}

resource "aws_iam_policy" "ml" {
  policy = data.aws_iam_policy_document.ml.json
}
`,
      errors: [
        { line: 4, message: 'allows `iam:CreatePolicyVersion`' },
      ],
      output: null,
    },
  ],
});

ruleTester(policyDocumentInvalid, {
  valid: [
    {
      name: 'valid JSON; jsonencode; a document from a template',
      file,
      code: `resource "aws_iam_policy" "a" {
  policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "\${aws_s3_bucket.models.arn}/*"}]}
EOF
}

resource "aws_iam_policy" "b" {
  policy = jsonencode({ Statement = [] })
}

resource "aws_iam_policy" "c" {
  policy = templatefile("policy.json", {})
}
`,
    },
  ],
  invalid: [
    {
      name: 'a trailing comma in a heredoc policy; a trust policy without Statement',
      file,
      code: `resource "aws_iam_policy" "broken" {
  policy = <<EOF
{
  "Statement": [
    { "Effect": "Allow", "Action": "s3:*", "Resource": "*" },
  ]
}
EOF
}

resource "aws_iam_role" "serving" {
  assume_role_policy = "{\\"Version\\": \\"2012-10-17\\"}"
}
`,
      errors: [
        { line: 2, message: 'The policy document in `policy` of `broken` cannot be read: it is not valid JSON' },
        { line: 12, message: 'it has no `Statement`' },
      ],
      output: null,
    },
  ],
});

ruleTester(aksLocalAccounts, {
  valid: [{ name: 'local accounts off', file, code: `resource "azurerm_kubernetes_cluster" "serving" {\n  local_account_disabled = true\n}\n` }],
  invalid: [
    {
      name: 'the default keeps local accounts',
      file,
      code: `resource "azurerm_kubernetes_cluster" "serving" {\n  name = "serving"\n}\n`,
      errors: [{ line: 1, message: "the provider's default is false" }],
      output: `resource "azurerm_kubernetes_cluster" "serving" {\n  name                   = "serving"\n  local_account_disabled = true\n}\n`,
    },
  ],
});

ruleTester(aksNodePublicIp, {
  valid: [{ name: 'no public node IPs (the default)', file, code: `resource "azurerm_kubernetes_cluster" "serving" {\n  default_node_pool {\n    name = "system"\n  }\n}\n` }],
  invalid: [
    {
      name: 'default pool (4.x name) and a GPU node pool (3.x name) with public IPs',
      file,
      code: `resource "azurerm_kubernetes_cluster" "serving" {
  default_node_pool {
    name                   = "system"
    node_public_ip_enabled = true
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  vm_size               = "Standard_NC6s_v3"
  enable_node_public_ip = true
}
`,
      errors: [
        { line: 4, message: '`node_public_ip_enabled = true`' },
        { line: 10, message: '`enable_node_public_ip = true`' },
      ],
      output: `resource "azurerm_kubernetes_cluster" "serving" {
  default_node_pool {
    name                   = "system"
    node_public_ip_enabled = false
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  vm_size               = "Standard_NC6s_v3"
  enable_node_public_ip = false
}
`,
    },
  ],
});

ruleTester(notebookVpc, {
  valid: [{ name: 'in a subnet (from a reference)', file, code: `resource "aws_sagemaker_notebook_instance" "nb" {\n  subnet_id = aws_subnet.private.id\n}\n` }],
  invalid: [
    {
      name: 'no subnet',
      file,
      code: `resource "aws_sagemaker_notebook_instance" "nb" {\n  name          = "nb"\n  instance_type = "ml.t3.medium"\n}\n`,
      errors: [{ line: 1, message: 'is not in a VPC subnet (`subnet_id` is not set)' }],
      output: null,
    },
  ],
});

ruleTester(notebookImdsv2, {
  valid: [
    {
      name: 'IMDSv2 required',
      file,
      code: `resource "aws_sagemaker_notebook_instance" "nb" {\n  instance_metadata_service_configuration {\n    minimum_instance_metadata_service_version = "2"\n  }\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'the default allows IMDSv1; the fix adds the block',
      file,
      code: `resource "aws_sagemaker_notebook_instance" "nb" {\n  name = "nb"\n}\n`,
      errors: [{ line: 1, message: 'allows IMDSv1' }],
      output: `resource "aws_sagemaker_notebook_instance" "nb" {\n  name = "nb"\n  instance_metadata_service_configuration {\n    minimum_instance_metadata_service_version = "2"\n  }\n}\n`,
    },
  ],
});

ruleTester(indexEndpointPublic, {
  valid: [{ name: 'in a VPC', file, code: `resource "google_vertex_ai_index_endpoint" "rag" {\n  network = "projects/1/global/networks/serving"\n}\n` }],
  invalid: [
    {
      name: 'public endpoint',
      file,
      code: `resource "google_vertex_ai_index_endpoint" "rag" {\n  display_name            = "rag"\n  public_endpoint_enabled = true\n}\n`,
      errors: [{ line: 3, message: 'is public' }],
      output: null,
    },
  ],
});
