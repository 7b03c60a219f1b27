import rule from '../../../rules/aws/s3-versioning.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'versioning resource joined by reference',
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
    },
    { name: 'v3 inline versioning', file: 'main.tf', code: `resource "aws_s3_bucket" "models" {\n  versioning {\n    enabled = true\n  }\n}\n` },
    { name: 'unknown: status from a variable', file: 'main.tf', code: `resource "aws_s3_bucket_versioning" "models" {\n  bucket = aws_s3_bucket.models.id\n  versioning_configuration {\n    status = var.versioning\n  }\n}\n` },
  ],
  invalid: [
    {
      name: 'no versioning; suspended versioning',
      file: 'main.tf',
      code: `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Suspended"
  }
}
`,
      errors: [
        { line: 1, message: 'No versioning for bucket `models` was found' },
        { line: 8, message: '`Suspended`' },
      ],
      output: `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"
}

resource "aws_s3_bucket_versioning" "models" {
  bucket = aws_s3_bucket.models.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}
`,
    },
    {
      name: 'Terraform JSON: the versioning resource added beside the bucket',
      file: 'main.tf.json',
      code: '{ "resource": { "aws_s3_bucket": { "models": { "bucket": "acme-models" } } } }\n',
      errors: [{ line: 1, message: 'No versioning for bucket `models` was found' }],
      output:
        '{ "resource": { "aws_s3_bucket": { "models": { "bucket": "acme-models" } }, "aws_s3_bucket_versioning": {"models":{"bucket":"${aws_s3_bucket.models.id}","versioning_configuration":[{"status":"Enabled"}]}} } }\n',
    },
    {
      name: 'a bucket made with count: no fix (the companion would need the same expansion)',
      file: 'main.tf',
      code: `resource "aws_s3_bucket" "models" {\n  count  = 2\n  bucket = "acme-models-\${count.index}"\n}\n`,
      errors: [{ line: 1, message: 'No versioning for bucket `models` was found' }],
      output: null,
    },
  ],
});
