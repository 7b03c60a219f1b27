// Public model-image registries, storage in transit, and S3 access logging.
import acrPublic from '../../../rules/azure/acr-public.js';
import artifactRegistryPublic from '../../../rules/gcp/artifact-registry-public.js';
import storageSecureTransfer from '../../../rules/azure/storage-secure-transfer.js';
import storagePublicAccessPrevention from '../../../rules/gcp/storage-public-access-prevention.js';
import s3SecureTransport from '../../../rules/aws/s3-secure-transport.js';
import s3AccessLogging from '../../../rules/aws/s3-access-logging.js';
import storageNetworkOpen from '../../../rules/azure/storage-network-open.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'main.tf';

ruleTester(acrPublic, {
  valid: [
    { name: 'premium registry behind a private endpoint', file, code: `resource "azurerm_container_registry" "models" {\n  sku                           = "Premium"\n  public_network_access_enabled = false\n}\n` },
    { name: 'unknown: public access from a variable', file, code: `resource "azurerm_container_registry" "models" {\n  public_network_access_enabled = var.public\n}\n` },
  ],
  invalid: [
    {
      name: 'premium: anonymous pull and the public default; both fixed',
      file,
      code: `resource "azurerm_container_registry" "models" {
  name                   = "acmemodels"
  sku                    = "Premium"
  anonymous_pull_enabled = true
}
`,
      errors: [
        { line: 1, message: "`public_network_access_enabled` is not set, and the provider's default is true" },
        { line: 4, message: 'allows anonymous pulls' },
      ],
      output: `resource "azurerm_container_registry" "models" {
  name                          = "acmemodels"
  sku                           = "Premium"
  anonymous_pull_enabled        = false
  public_network_access_enabled = false
}
`,
    },
    {
      name: 'standard SKU: the public network finding is shown without a fix (only Premium can turn it off)',
      file,
      code: `resource "azurerm_container_registry" "models" {\n  sku = "Standard"\n}\n`,
      errors: [{ line: 1, message: 'reachable from the internet' }],
      output: null,
    },
  ],
});

ruleTester(artifactRegistryPublic, {
  valid: [
    { name: 'reader granted to the GKE node service account', file, code: `resource "google_artifact_registry_repository_iam_member" "pull" {\n  role   = "roles/artifactregistry.reader"\n  member = "serviceAccount:\${google_service_account.nodes.email}"\n}\n` },
  ],
  invalid: [
    {
      name: 'allUsers as a member and allAuthenticatedUsers in a binding',
      file,
      code: `resource "google_artifact_registry_repository_iam_member" "public" {
  repository = google_artifact_registry_repository.models.name
  role       = "roles/artifactregistry.reader"
  member     = "allUsers"
}

resource "google_artifact_registry_repository_iam_binding" "readers" {
  role    = "roles/artifactregistry.reader"
  members = ["group:ml@example.com", "allAuthenticatedUsers"]
}
`,
      errors: [
        { line: 4, message: 'to `allUsers`: anyone on the internet' },
        { line: 9, message: 'every Google account' },
      ],
      output: null,
    },
  ],
});

ruleTester(storageSecureTransfer, {
  valid: [{ name: 'provider defaults: HTTPS only, TLS 1.2', file, code: `resource "azurerm_storage_account" "models" {\n  name = "acmemodels"\n}\n` }],
  invalid: [
    {
      name: 'HTTP allowed (4.x and 3.x names) and TLS 1.0',
      file,
      code: `resource "azurerm_storage_account" "models" {
  name                       = "acmemodels"
  https_traffic_only_enabled = false
  min_tls_version            = "TLS1_0"
}

resource "azurerm_storage_account" "legacy" {
  enable_https_traffic_only = false
}
`,
      errors: [
        { line: 3, message: 'accepts plain HTTP' },
        { line: 4, message: 'accepts `TLS1_0`' },
        { line: 8, message: '`enable_https_traffic_only = false`' },
      ],
      output: `resource "azurerm_storage_account" "models" {
  name                       = "acmemodels"
  https_traffic_only_enabled = true
  min_tls_version            = "TLS1_2"
}

resource "azurerm_storage_account" "legacy" {
  enable_https_traffic_only = true
}
`,
    },
  ],
});

ruleTester(storagePublicAccessPrevention, {
  valid: [{ name: 'enforced', file, code: `resource "google_storage_bucket" "models" {\n  name                     = "models"\n  public_access_prevention = "enforced"\n}\n` }],
  invalid: [
    {
      name: 'the default (inherited)',
      file,
      code: `resource "google_storage_bucket" "models" {\n  name     = "models"\n  location = "EU"\n}\n`,
      errors: [{ line: 1, message: 'the provider\'s default is "inherited"' }],
      output: `resource "google_storage_bucket" "models" {\n  name                     = "models"\n  location                 = "EU"\n  public_access_prevention = "enforced"\n}\n`,
    },
  ],
});

ruleTester(s3SecureTransport, {
  valid: [
    {
      name: 'a bucket policy (data document) that denies aws:SecureTransport = false',
      file,
      code: `resource "aws_s3_bucket" "models" {
  bucket = "models"
}

data "aws_iam_policy_document" "tls" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["\${aws_s3_bucket.models.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "models" {
  bucket = aws_s3_bucket.models.id
  policy = data.aws_iam_policy_document.tls.json
}
`,
    },
    {
      name: 'unknown: the policy comes from a variable',
      file,
      code: `resource "aws_s3_bucket" "models" {\n  bucket = "models"\n}\n\nresource "aws_s3_bucket_policy" "models" {\n  bucket = aws_s3_bucket.models.id\n  policy = var.policy\n}\n`,
    },
    {
      name: 'registry module with attach_deny_insecure_transport_policy',
      file,
      code: `module "models" {\n  source                                = "terraform-aws-modules/s3-bucket/aws"\n  attach_deny_insecure_transport_policy = true\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'a bucket policy that only allows a role',
      file,
      code: `resource "aws_s3_bucket" "models" {
  bucket = "models"
}

resource "aws_s3_bucket_policy" "models" {
  bucket = aws_s3_bucket.models.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_role.serving.arn }, Action = "s3:GetObject", Resource = "*" }]
  })
}
`,
      errors: [{ line: 1, message: 'denies plain HTTP' }],
      output: null,
    },
  ],
});

/** Bucket `models` logged to bucket `logs` by a logging resource (`expansion`: its `count`, written first). */
const loggedToLogs = (expansion: string) => `resource "aws_s3_bucket" "models" {
  bucket = "models"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_s3_bucket_logging" "models" {
${expansion}  bucket        = aws_s3_bucket.models.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "models/"
}
`;

ruleTester(s3AccessLogging, {
  valid: [
    {
      name: 'logged to a log bucket, which is itself not flagged',
      file,
      code: loggedToLogs(''),
    },
    { name: 'inline logging (provider v3)', file, code: `resource "aws_s3_bucket" "models" {\n  logging {\n    target_bucket = "logs"\n  }\n}\n` },
  ],
  invalid: [
    {
      name: 'a bucket with no logging',
      file,
      code: `resource "aws_s3_bucket" "models" {\n  bucket = "models"\n}\n`,
      errors: [{ line: 1, message: 'No access logging for bucket `models`' }],
      output: null,
    },
    {
      name: 'logging Terraform does not create (count = 0) logs neither bucket, and makes neither a log bucket',
      file,
      code: loggedToLogs('  count         = 0\n'),
      errors: [
        { line: 1, message: 'No access logging for bucket `models`' },
        { line: 5, message: 'No access logging for bucket `logs`' },
      ],
      output: null,
    },
  ],
});

ruleTester(storageNetworkOpen, {
  valid: [
    {
      name: 'deny by default with the serving subnet; rules as their own resource; public access off',
      file,
      code: `resource "azurerm_storage_account" "models" {
  name = "acmemodels"
  network_rules {
    default_action             = "Deny"
    virtual_network_subnet_ids = [azurerm_subnet.aks.id]
  }
}

resource "azurerm_storage_account" "data" {
  name = "acmedata"
}

resource "azurerm_storage_account_network_rules" "data" {
  storage_account_id = azurerm_storage_account.data.id
  default_action     = "Deny"
}

resource "azurerm_storage_account" "private" {
  public_network_access_enabled = false
}
`,
    },
  ],
  invalid: [
    {
      name: 'no rules and public access on; allow by default; 0.0.0.0/0 in ip_rules',
      file,
      code: `resource "azurerm_storage_account" "models" {
  name                          = "acmemodels"
  public_network_access_enabled = true
}

resource "azurerm_storage_account" "data" {
  network_rules {
    default_action = "Allow"
    ip_rules       = ["0.0.0.0/0"]
  }
}
`,
      errors: [
        { line: 3, message: 'has no network rules' },
        { line: 8, message: 'allow every network' },
        { line: 9, message: 'allow `0.0.0.0/0`' },
      ],
      output: `resource "azurerm_storage_account" "models" {
  name                          = "acmemodels"
  public_network_access_enabled = false
}

resource "azurerm_storage_account" "data" {
  network_rules {
    default_action = "Deny"
    ip_rules       = ["0.0.0.0/0"]
  }
}
`,
    },
    {
      name: 'rules as their own resource that Terraform does not create (count = 0) protect nothing',
      file,
      code: `resource "azurerm_storage_account" "data" {
  name = "acmedata"
}

resource "azurerm_storage_account_network_rules" "data" {
  count              = 0
  storage_account_id = azurerm_storage_account.data.id
  default_action     = "Deny"
}
`,
      errors: [{ line: 1, message: 'has no network rules' }],
      output: `resource "azurerm_storage_account" "data" {
  name                          = "acmedata"
  public_network_access_enabled = false
}

resource "azurerm_storage_account_network_rules" "data" {
  count              = 0
  storage_account_id = azurerm_storage_account.data.id
  default_action     = "Deny"
}
`,
    },
  ],
});
