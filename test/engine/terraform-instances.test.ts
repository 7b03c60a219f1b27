// A protective resource Terraform never creates protects nothing: `count = 0`, a `for_each` over an empty
// collection, or a `count`/`for_each` Warden cannot know (protection needs certainty).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { scanFiles } from '../../src/engine/run.js';
import { review } from '../../src/review.js';
import { RULES } from '../../rules/index.js';

const BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n';
/** A complete public access block for bucket `b`, naming it by its literal name (as a module's block may). */
const literal = 'resource "aws_s3_bucket_public_access_block" "p" {\n  bucket                  = "b"\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n';
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

  describe('a protection in a local module whose calls create none of it', () => {
    // Named by the bucket's literal name, it reads nothing of its caller: judged only where it is written.
    const call = (name: string, source: string, expansion: string) => `module "${name}" {\n  source = "${source}"\n  ${expansion}\n}\n`;
    const env = (value: string) => `variable "env" {\n  default = "${value}"\n}\n`;
    // Each case: a call that creates none of the module, and one like it that creates it.
    const cases: [string, string, string][] = [
      ['count = 0', 'count = 0', 'count = 1'],
      ['an empty for_each map', 'for_each = {}', 'for_each = { a = 1 }'],
      ['an empty for_each set', 'for_each = toset([])', 'for_each = toset(["a"])'],
      ['a count a condition turns to 0', 'count = var.env == "prod" ? 1 : 0', 'count = var.env == "staging" ? 1 : 0'],
      ['an unknown count', 'count = var.unknown', ''],
    ];
    for (const [name, none, some] of cases) {
      it(name, async () => {
        const files = (expansion: string) => ({ 'infra/main.tf': BUCKET + call('guard', './guard', expansion) + env('staging') + 'variable "unknown" {}\n', 'infra/guard/main.tf': literal });
        expect(await ruleIds(files(none))).toContain('aws/s3-public-access-block');
        expect(await ruleIds(files(some))).not.toContain('aws/s3-public-access-block');
      });
    }

    it('nor an account-wide block there', async () => {
      const files = (expansion: string) => ({ 'infra/main.tf': BUCKET + call('guard', './guard', expansion), 'infra/guard/main.tf': account('') });
      expect(await ruleIds(files('count = 0'))).toContain('aws/s3-public-access-block');
      expect(await ruleIds(files('count = 1'))).not.toContain('aws/s3-public-access-block');
    });

    it('nor a module a call of it calls, however it calls that one', async () => {
      const files = { 'infra/main.tf': BUCKET + call('outer', './outer', 'count = 0'), 'infra/outer/main.tf': call('inner', '../inner', 'count = 1'), 'infra/inner/main.tf': literal };
      expect(await ruleIds(files)).toContain('aws/s3-public-access-block');
      const created = { ...files, 'infra/main.tf': BUCKET + call('outer', './outer', 'count = 1') };
      expect(await ruleIds(created)).not.toContain('aws/s3-public-access-block');
      // Another call that creates it: protected.
      const another = { ...files, 'infra/other.tf': call('again', './inner', '') };
      expect(await ruleIds(another)).not.toContain('aws/s3-public-access-block');
    });

    it('the block says which call leaves it uncreated', async () => {
      const result = await scanFiles(
        [
          { path: 'infra/main.tf', text: BUCKET + call('guard', './guard', 'count = 0') },
          { path: 'infra/guard/main.tf', text: literal },
        ],
        { config: DEFAULT_CONFIG, rules: RULES },
      );
      const notCreated = result.findings.filter((f) => f.resource === 'aws_s3_bucket_public_access_block.p');
      expect(notCreated.map((f) => [f.ruleId, f.file, f.line])).toEqual([['aws/s3-public-access-block', 'infra/guard/main.tf', 1]]);
      expect(notCreated[0]!.message).toContain('never created (the module call `guard` in `infra/main.tf` that would create its module makes no instance of it)');
    });

    it('what a module between passes on to a call of its own that creates none', async () => {
      const module = 'variable "bucket" {}\nresource "aws_s3_bucket_public_access_block" "this" {\n  bucket                  = var.bucket\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n';
      const between = (expansion: string) => `variable "bucket" {}\nmodule "inner" {\n  source = "../inner"\n  ${expansion}\n  bucket = var.bucket\n}\n`;
      const files = (expansion: string) => ({
        'infra/main.tf': BUCKET + 'module "outer" {\n  source = "./outer"\n  bucket = aws_s3_bucket.b.id\n}\n',
        'infra/outer/main.tf': between(expansion),
        'infra/inner/main.tf': module,
      });
      expect(await ruleIds(files('count = 0'))).toContain('aws/s3-public-access-block');
      expect(await ruleIds(files('count = 1'))).not.toContain('aws/s3-public-access-block');
    });

    it('what the call builds with its inputs, where the module gives the block a count of its own', async () => {
      const module = 'variable "bucket" {}\nresource "aws_s3_bucket_public_access_block" "this" {\n  count                   = 1\n  bucket                  = var.bucket\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n';
      const passing = (expansion: string) => `module "guard" {\n  ${expansion}\n  source = "./modules/guard"\n  bucket = aws_s3_bucket.b.id\n}\n`;
      expect(await ruleIds({ 'infra/main.tf': BUCKET + passing('count = 0'), 'infra/modules/guard/main.tf': module })).toContain('aws/s3-public-access-block');
      expect(await ruleIds({ 'infra/main.tf': BUCKET + passing('count = 1'), 'infra/modules/guard/main.tf': module })).not.toContain('aws/s3-public-access-block');
    });

    it('in the review, a change that sets the call\'s count to 0 takes the protection away', async () => {
      const before = BUCKET + call('guard', './guard', '');
      const after = BUCKET + call('guard', './guard', 'count = 0');
      const repository = { 'infra/main.tf': after, 'infra/guard/main.tf': literal };
      const result = await review({
        files: [{ path: 'infra/main.tf', headText: after, baseText: before, patch: '@@ -5,2 +5,2 @@\n   source = "./guard"\n-  \n+  count = 0\n' }],
        config: DEFAULT_CONFIG,
        reader: memoryReader(repository),
      });
      // The bucket did not change: the finding is on the block the change left uncreated.
      const found = result.findings.filter((f) => f.ruleId === 'aws/s3-public-access-block');
      expect(found.map((f) => [f.resource, f.file, f.line, f.preExisting])).toEqual([['aws_s3_bucket_public_access_block.p', 'infra/guard/main.tf', 1, false]]);
      expect(found[0]!.message).toContain('the module call `guard` in `infra/main.tf`');
    });
  });

  it('in the review, a variable\'s default that the call\'s count reads, changed alone, takes the protection away', async () => {
    const variable = (value: string) => `variable "guarded" {\n  default = ${value}\n}\n`;
    const main = BUCKET + 'module "guard" {\n  source = "./guard"\n  count  = var.guarded ? 1 : 0\n}\n';
    const changed = async (value: string) => {
      const repository = { 'infra/main.tf': main, 'infra/variables.tf': variable(value), 'infra/guard/main.tf': literal };
      const result = await review({
        files: [{ path: 'infra/variables.tf', headText: variable(value), baseText: variable('true'), patch: `@@ -2,1 +2,1 @@\n-  default = true\n+  default = ${value}\n` }],
        config: DEFAULT_CONFIG,
        reader: memoryReader(repository),
      });
      return result.findings.filter((f) => f.ruleId === 'aws/s3-public-access-block').map((f) => [f.resource, f.file, f.preExisting]);
    };
    expect(await changed('false')).toEqual([['aws_s3_bucket_public_access_block.p', 'infra/guard/main.tf', false]]);
    expect(await changed('!false')).toEqual([]);
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
