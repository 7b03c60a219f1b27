// Related resources across files, module folders and the repository index.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config.js';
import { scanFiles } from '../../../src/engine/run.js';
import { parseFile } from '../../../src/formats/index.js';
import type { Resource } from '../../../src/model.js';
import pab from '../../../rules/aws/s3-public-access-block.js';
import sse from '../../../rules/aws/s3-encryption-kms.js';
import versioning from '../../../rules/aws/s3-versioning.js';
import wildcardAction from '../../../rules/aws/iam-wildcard-action.js';

const config = resolveConfig({});
const bucket = `resource "aws_s3_bucket" "models" {\n  bucket = "acme-models"\n}\n`;
const block = (ref: string) => `resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = ${ref}
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;

async function resources(path: string, text: string): Promise<Resource[]> {
  return (await parseFile(path, text))!.resources;
}

describe('related resources', () => {
  it('finds the block in another scanned file of the same module', async () => {
    const result = await scanFiles(
      [{ path: 'infra/s3.tf', text: bucket }, { path: 'infra/s3-block.tf', text: block('aws_s3_bucket.models.id') }],
      { config, rules: [pab] },
    );
    expect(result.findings).toEqual([]);
  });

  it('does not join a reference across module folders (references are module-local)', async () => {
    const result = await scanFiles(
      [{ path: 'modules/a/s3.tf', text: bucket }, { path: 'modules/b/s3.tf', text: block('aws_s3_bucket.models.id') }],
      { config, rules: [pab] },
    );
    expect(result.findings.map((f) => f.file)).toEqual(['modules/a/s3.tf']);
  });

  it('joins by the literal bucket name across folders', async () => {
    const result = await scanFiles(
      [{ path: 'modules/a/s3.tf', text: bucket }, { path: 'modules/b/s3.tf', text: block('"acme-models"') }],
      { config, rules: [pab] },
    );
    expect(result.findings).toEqual([]);
  });

  it('reads the repository index, and says where it looked when nothing is found', async () => {
    const repo = { resources: await resources('modules/store/versioning.tf', `resource "aws_s3_bucket_versioning" "models" {
  bucket = aws_s3_bucket.models.id
  versioning_configuration {
    status = "Enabled"
  }
}
`), complete: true };
    const result = await scanFiles([{ path: 'modules/store/s3.tf', text: bucket }], { config, rules: [versioning, sse], repository: repo });
    expect(result.findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([
      'aws/s3-encryption-kms: No SSE-KMS configuration for bucket `models` was found in this repository: S3 then uses S3-managed keys (SSE-S3), so `s3:GetObject` alone reads its objects.',
    ]);
  });

  it('resolves a policy document defined in another file of the module', async () => {
    const repo = { resources: await resources('iam/documents.tf', `data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["iam:*"]
    resources = ["*"]
  }
}
`), complete: true };
    const result = await scanFiles(
      [{ path: 'iam/policies.tf', text: `resource "aws_iam_policy" "ops" {\n  policy = data.aws_iam_policy_document.admin.json\n}\n` }],
      { config, rules: [wildcardAction], repository: repo },
    );
    expect(result.findings.map((f) => [f.line, f.message])).toEqual([
      [2, '`ops` allows `iam:*`: every action of the service, present and future (statement in `data.aws_iam_policy_document.admin`, iam/documents.tf). List the actions the workload needs.'],
    ]);
  });

  it('a related resource that changed alone does not hide the bucket it belongs to', async () => {
    // Only the bucket's lines changed: the block in the same file is still read.
    const text = `${bucket}\n${block('aws_s3_bucket.models.id')}`;
    const result = await scanFiles([{ path: 's3.tf', text, changed: new Set([2]) }], { config, rules: [pab] });
    expect(result.findings).toEqual([]);
  });
});
