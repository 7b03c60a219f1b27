import rule from '../../../rules/aws/s3-public-acl.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'private ACL resource', file: 'main.tf', code: `resource "aws_s3_bucket_acl" "models" {\n  bucket = aws_s3_bucket.models.id\n  acl    = "private"\n}\n` },
    { name: 'unknown: ACL from a variable', file: 'main.tf', code: `resource "aws_s3_bucket" "models" {\n  bucket = "acme-models"\n  acl    = var.acl\n}\n` },
  ],
  invalid: [
    {
      name: 'public-read on a v3 bucket and authenticated-read on an ACL resource',
      file: 'main.tf',
      code: `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"
  acl    = "public-read"
}

resource "aws_s3_bucket_acl" "data" {
  bucket = aws_s3_bucket.data.id
  acl    = "authenticated-read" # shared with partners
}
`,
      errors: [
        { line: 3, message: 'anyone on the internet' },
        { line: 8, message: 'every AWS account' },
      ],
      output: `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"
  acl    = "private"
}

resource "aws_s3_bucket_acl" "data" {
  bucket = aws_s3_bucket.data.id
  acl    = "private" # shared with partners
}
`,
    },
    {
      name: 'a grant to AllUsers (no fix)',
      file: 'main.tf',
      code: `resource "aws_s3_bucket_acl" "models" {
  bucket = aws_s3_bucket.models.id
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "READ"
    }
    owner {
      id = data.aws_canonical_user_id.current.id
    }
  }
}
`,
      errors: [{ line: 7, message: 'grants READ to the `AllUsers` group' }],
      output: null,
    },
  ],
});
