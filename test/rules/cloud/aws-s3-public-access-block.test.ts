import rule from '../../../rules/aws/s3-public-access-block.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'bucket with a complete block joined through a local that names the bucket',
      file: 'main.tf',
      code: `resource "aws_s3_bucket" "models" {
  bucket = "ml-models"
}

locals {
  models_bucket = aws_s3_bucket.models.id
}

resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = local.models_bucket
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
    },
    {
      name: 'bucket with a complete block joined by reference',
      file: 'main.tf',
      code: `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"
}

resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = aws_s3_bucket.models.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
    },
    {
      name: 'joined by the literal bucket name; counted bucket joined by index',
      file: 'main.tf',
      code: `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"
}

resource "aws_s3_bucket_public_access_block" "by_name" {
  bucket                  = "acme-models"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "shards" {
  count  = 2
  bucket = "acme-shard-\${count.index}"
}

resource "aws_s3_bucket_public_access_block" "shards" {
  count                   = 2
  bucket                  = aws_s3_bucket.shards[count.index].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
    },
    {
      name: 'account-wide block',
      file: 'main.tf',
      code: `resource "aws_s3_account_public_access_block" "account" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "models" {
  bucket = "acme-models"
}
`,
    },
    {
      name: 'unknown: settings from variables',
      file: 'main.tf',
      code: `resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = aws_s3_bucket.models.id
  block_public_acls       = var.strict
  block_public_policy     = var.strict
  ignore_public_acls      = var.strict
  restrict_public_buckets = var.strict
}
`,
    },
  ],
  invalid: [
    {
      name: 'no block: one is added after the bucket',
      file: 'main.tf',
      code: `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"
}

resource "aws_s3_bucket_versioning" "models" {
  bucket = aws_s3_bucket.models.id
  versioning_configuration {
    status = "Enabled"
  }
}
`,
      errors: [{ line: 1, message: 'No `aws_s3_bucket_public_access_block` for bucket `models` was found in the files reviewed' }],
      output: `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"
}

resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = aws_s3_bucket.models.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "models" {
  bucket = aws_s3_bucket.models.id
  versioning_configuration {
    status = "Enabled"
  }
}
`,
    },
    {
      name: 'incomplete block: false and absent settings set to true',
      file: 'main.tf',
      code: `resource "aws_s3_bucket_public_access_block" "models" {
  bucket              = aws_s3_bucket.models.id
  block_public_acls   = true
  block_public_policy = false
}
`,
      errors: [{ line: 4, message: '`block_public_policy`, `ignore_public_acls`, `restrict_public_buckets`' }],
      output: `resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = aws_s3_bucket.models.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
    },
  ],
});
