// A protective resource Terraform never creates protects nothing: `count = 0`, a `for_each` over an empty
// collection, or a `count`/`for_each` Warden cannot know (protection needs certainty).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { scanFiles } from '../../src/engine/run.js';
import { review } from '../../src/review.js';
import { RULES } from '../../rules/index.js';

const BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n';
const pab = (expansion: string) => `
resource "aws_s3_bucket_public_access_block" "b" {
  ${expansion}
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;
const sse = (expansion: string) => `
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  ${expansion}
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
`;
const account = (expansion: string) => `
resource "aws_s3_account_public_access_block" "all" {
  ${expansion}
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;

async function ruleIds(files: Record<string, string>): Promise<string[]> {
  const result = await scanFiles(Object.entries(files).map(([path, text]) => ({ path, text })), { config: DEFAULT_CONFIG, rules: RULES });
  return result.findings.filter((f) => f.resource === 'aws_s3_bucket.b').map((f) => f.ruleId);
}

describe('a protective resource counts only when Terraform surely creates it', () => {
  const cases: [string, string][] = [
    ['count = 0', 'count = 0'],
    ['count off by a variable', 'count = var.on ? 1 : 0'],
    ['for_each over an empty set', 'for_each = toset([])'],
    ['an unknown count', 'count = var.unknown'],
    ['an unknown for_each', 'for_each = var.unknown_set'],
  ];
  const variables = 'variable "on" {\n  default = false\n}\nvariable "unknown" {}\nvariable "unknown_set" {}\n';
  for (const [name, expansion] of cases) {
    it(name, async () => {
      const found = await ruleIds({ 'infra/main.tf': BUCKET + pab(expansion) + sse(expansion) + variables });
      expect(found).toContain('aws/s3-public-access-block');
      expect(found).toContain('aws/s3-encryption-kms');
      const covered = await ruleIds({ 'infra/main.tf': BUCKET + account(expansion) + variables });
      expect(covered).toContain('aws/s3-public-access-block');
    });
  }

  it('a local module called with count = 0 (or an empty for_each) creates nothing of what its inputs reach', async () => {
    const module = 'variable "bucket" {}\nresource "aws_s3_bucket_public_access_block" "this" {\n  bucket                  = var.bucket\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n';
    const call = (expansion: string) => `module "guard" {\n  ${expansion}\n  source = "./modules/guard"\n  bucket = aws_s3_bucket.b.id\n}\n`;
    for (const expansion of ['count = 0', 'for_each = toset([])']) {
      expect(await ruleIds({ 'infra/main.tf': BUCKET + call(expansion), 'infra/modules/guard/main.tf': module })).toContain('aws/s3-public-access-block');
    }
    expect(await ruleIds({ 'infra/main.tf': BUCKET + call('count = 1'), 'infra/modules/guard/main.tf': module })).not.toContain('aws/s3-public-access-block');
  });

  it('a count that is surely 1 still protects', async () => {
    const found = await ruleIds({ 'infra/main.tf': BUCKET + pab('count = var.on ? 1 : 0') + sse('count = 1') + 'variable "on" {\n  default = true\n}\n' });
    expect(found).not.toContain('aws/s3-public-access-block');
    expect(found).not.toContain('aws/s3-encryption-kms');
    const viaAccount = await ruleIds({ 'infra/main.tf': BUCKET + account('for_each = toset(["x"])') });
    expect(viaAccount).not.toContain('aws/s3-public-access-block');
  });

  it('in the review, a definitions file the pull request adds turns the block off', async () => {
    const repository = { 'infra/main.tf': BUCKET + pab('count = var.on ? 1 : 0') + 'variable "on" {\n  default = true\n}\n' };
    const tfvars = 'on = false\n';
    const result = await review({
      files: [{ path: 'infra/terraform.tfvars', headText: tfvars, baseText: null, patch: '@@ -0,0 +1,1 @@\n+on = false\n' }],
      config: DEFAULT_CONFIG,
      reader: memoryReader({ ...repository, 'infra/terraform.tfvars': tfvars }),
    });
    // The bucket did not change: the finding is on the block the change took away, at its `count`.
    const found = result.findings.filter((f) => f.ruleId === 'aws/s3-public-access-block');
    expect(found.map((f) => [f.resource, f.file, f.line, f.preExisting])).toEqual([['aws_s3_bucket_public_access_block.b', 'infra/main.tf', 6, false]]);
    expect(found[0]!.message).toContain('never created');
    expect(found[0]!.message).toContain('bucket `b`');
  });
});
