// Terraform's override files: each block is merged into the module's block of the same address, what it writes
// replacing the original's. Warden judges the original as merged, and reports what an override wrote where it wrote it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { isOverrideFile } from '../../src/formats/terraform-overrides.js';
import { RULES } from '../../rules/index.js';
import { review } from '../../src/review.js';
import { githubPatch } from '../app/fake-github.js';
import { memoryReader } from '../../src/engine/repository-index.js';

const MAIN = `resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = "ml-models"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "kubernetes_deployment_v1" "triton" {
  metadata {
    name      = "triton"
    namespace = "serving"
  }
  spec {
    template {
      metadata {}
      spec {
        automount_service_account_token = false
        container {
          name  = "triton"
          image = "nvcr.io/nvidia/tritonserver@sha256:${'0'.repeat(64)}"
        }
      }
    }
  }
}
`;

const scan = (override: string, path = 'infra/main_override.tf') =>
  scanFiles(
    [
      { path: 'infra/main.tf', text: MAIN },
      { path, text: override },
    ],
    { config: DEFAULT_CONFIG, rules: RULES, repository: { resources: [], complete: true } },
  );
const inOverride = (findings: { file: string; ruleId: string; line: number }[]) => findings.filter((f) => f.file.startsWith('infra/main_override.tf')).map((f) => `${f.ruleId}:${f.line}`);

describe('Terraform override files', () => {
  it('are the files Terraform calls so', () => {
    expect(['override.tf', 'infra/override.tf', 'infra/main_override.tf', 'infra/override.tf.json', 'infra/main_override.tf.json'].map(isOverrideFile)).toEqual([true, true, true, true, true]);
    expect(['infra/overrides.tf', 'infra/override.tfvars', 'infra/override_main.tf', 'infra/main_override.tf.bak'].map(isOverrideFile)).toEqual([false, false, false, false]);
  });

  it('a block that repeats one setting merges into the original: nothing to report, nothing left unseen', async () => {
    const override = 'resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_acls = true\n}\n';
    const { findings, parsed } = await scan(override);
    expect(findings.filter((f) => f.ruleId === 'aws/s3-public-access-block')).toEqual([]);
    expect(parsed.find((p) => p.file === 'infra/main_override.tf')!.unseen).toBeUndefined();
  });

  it('an override that loosens what the original sets well is reported at what it writes; one that tightens it clears the original', async () => {
    const loosened = await scan('resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_policy = false\n}\n');
    const finding = loosened.findings.find((f) => f.ruleId === 'aws/s3-public-access-block')!;
    expect([finding.file, finding.line]).toEqual(['infra/main_override.tf', 2]);
    // Its fix would be written in the original, which the override overwrites: shown, not offered.
    expect(finding.fix?.edits).toEqual([]);
    const weak = MAIN.replace('block_public_policy     = true', 'block_public_policy     = false');
    const tightened = await scanFiles(
      [
        { path: 'infra/main.tf', text: weak },
        { path: 'infra/main_override.tf', text: 'resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_policy = true\n}\n' },
      ],
      { config: DEFAULT_CONFIG, rules: RULES, repository: { resources: [], complete: true } },
    );
    expect(tightened.findings.filter((f) => f.ruleId === 'aws/s3-public-access-block')).toEqual([]);
  });

  it('a pull request changing only the override reads the module\'s other files and reviews the merged block there', async () => {
    const before = 'resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_policy = true\n}\n';
    const after = 'resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_policy = false\n}\n';
    const reader = memoryReader({ 'infra/main.tf': MAIN, 'infra/main_override.tf': after });
    const changed = await review({ files: [{ path: 'infra/main_override.tf', headText: after, baseText: before, patch: githubPatch(before, after) }], config: DEFAULT_CONFIG, reader });
    expect(changed.findings.map((f) => [f.ruleId, f.file, f.line, f.preExisting])).toEqual([['aws/s3-public-access-block', 'infra/main_override.tf', 2, false]]);
    expect(changed.gating).toHaveLength(1);
    // The original changed instead, the override as it was: merged the same, reported where the override writes it.
    const edited = MAIN.replace('ignore_public_acls      = true', 'ignore_public_acls      = false');
    const reader2 = memoryReader({ 'infra/main.tf': edited, 'infra/main_override.tf': after });
    const original = await review({ files: [{ path: 'infra/main.tf', headText: edited, baseText: MAIN, patch: githubPatch(MAIN, edited) }], config: DEFAULT_CONFIG, reader: reader2 });
    const merged = original.findings.filter((f) => f.ruleId === 'aws/s3-public-access-block');
    expect(merged.map((f) => [f.file, f.line])).toEqual([['infra/main_override.tf', 2]]);
    expect(merged[0]!.message).toContain('`block_public_policy`, `ignore_public_acls`');
  });

  it('Terraform JSON is merged the same in a pull request: an override of it, or an original in it', async () => {
    const json = (value: boolean) => JSON.stringify({ resource: { aws_s3_bucket_public_access_block: { models: { block_public_policy: value } } } }, null, 2);
    const reader = memoryReader({ 'infra/main.tf': MAIN, 'infra/main_override.tf.json': json(false) });
    const overridden = await review({ files: [{ path: 'infra/main_override.tf.json', headText: json(false), baseText: json(true), patch: githubPatch(json(true), json(false)) }], config: DEFAULT_CONFIG, reader });
    expect(overridden.findings.map((f) => [f.ruleId, f.file, f.preExisting])).toEqual([['aws/s3-public-access-block', 'infra/main_override.tf.json', false]]);
    // The original in Terraform JSON, its override in HCL: the change to the original reviews the merged block.
    const original = JSON.stringify({ resource: { aws_s3_bucket_public_access_block: { models: { bucket: 'ml-models', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } } } }, null, 2);
    const edited = original.replace('"ignore_public_acls": true', '"ignore_public_acls": false');
    const override = 'resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_policy = false\n}\n';
    const reader2 = memoryReader({ 'infra/main.tf.json': edited, 'infra/main_override.tf': override });
    const merged = await review({ files: [{ path: 'infra/main.tf.json', headText: edited, baseText: original, patch: githubPatch(original, edited) }], config: DEFAULT_CONFIG, reader: reader2 });
    const found = merged.findings.filter((f) => f.ruleId === 'aws/s3-public-access-block');
    expect(found.map((f) => f.file)).toEqual(['infra/main_override.tf']);
    expect(found[0]!.message).toContain('`block_public_policy`, `ignore_public_acls`');
  });

  it('a change to an override whose module was not read whole is not reviewed: the block it overrides may be one not read', async () => {
    const before = 'resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_policy = true\n}\n';
    const after = before.replace('true', 'false');
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`infra/a${String(i).padStart(3, '0')}.tf`, `locals {\n  n${i} = ${i}\n}\n`]));
    const reader = memoryReader({ ...many, 'infra/main.tf': MAIN, 'infra/main_override.tf': after });
    const result = await review({ files: [{ path: 'infra/main_override.tf', headText: after, baseText: before, patch: githubPatch(before, after) }], config: DEFAULT_CONFIG, reader });
    // What it writes is judged all the same; what the merge deploys is a part not reviewed, gating.
    expect(result.findings.map((f) => [f.ruleId, f.file])).toEqual([['warden/not-reviewed', 'infra/main_override.tf'], ['aws/s3-public-access-block', 'infra/main_override.tf']]);
    expect(result.gating.map((f) => f.ruleId)).toContain('warden/not-reviewed');
    expect(result.findings[0]!.message).toContain('2 of its other Terraform files (`infra/a100.tf`, …) were not read, so what the merge deploys is not known');
  });

  it('what a block writes is judged where it is written', async () => {
    const { findings } = await scan('resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_policy = false\n}\n');
    expect(inOverride(findings)).toEqual(['aws/s3-public-access-block:2']);
  });

  it('in Terraform JSON the same', async () => {
    const json = (setting: string) => JSON.stringify({ resource: { aws_s3_bucket_public_access_block: { models: { [setting]: setting !== 'block_public_policy' } } } }, null, 2);
    expect(inOverride((await scan(json('block_public_acls'), 'infra/main_override.tf.json')).findings)).toEqual([]);
    expect(inOverride((await scan(json('block_public_policy'), 'infra/main_override.tf.json')).findings)).toEqual(['aws/s3-public-access-block:5']);
  });

  it('a kubernetes_* block: a `spec` it writes replaces the original\'s whole, and is judged; the `metadata` it leaves is not', async () => {
    const spec = 'resource "kubernetes_deployment_v1" "triton" {\n  spec {\n    template {\n      metadata {}\n      spec {\n        container {\n          name  = "triton"\n          image = "nvcr.io/nvidia/tritonserver:24.01-py3"\n          security_context {\n            privileged = true\n          }\n        }\n      }\n    }\n  }\n}\n';
    const rules = new Set(inOverride((await scan(spec)).findings).map((f) => f.split(':')[0]));
    expect(rules.has('k8s/privileged')).toBe(true);
    // The namespace is the original's `metadata`: not missing.
    expect(rules.has('k8s/default-namespace')).toBe(false);
  });
});

describe('override files give variables and locals after the module\'s other files', () => {
  const scanModule = (files: Record<string, string>) =>
    scanFiles(
      Object.entries(files).map(([path, text]) => ({ path, text })),
      { config: DEFAULT_CONFIG, rules: RULES, repository: { resources: [], complete: true } },
    );
  const acls = (findings: { ruleId: string; file: string }[]) => findings.filter((f) => f.ruleId === 'aws/s3-public-acl').map((f) => f.file);

  it('a variable default in `a_override.tf` replaces the one in `variables.tf`, whatever the names\' order', async () => {
    const { findings } = await scanModule({
      'infra/a_override.tf': 'variable "acl" {\n  default = "public-read"\n}\n',
      'infra/main.tf': 'resource "aws_s3_bucket_acl" "b" {\n  bucket = "x"\n  acl    = var.acl\n}\n',
      'infra/variables.tf': 'variable "acl" {\n  default = "private"\n}\n',
    });
    expect(acls(findings)).toEqual(['infra/main.tf']);
  });

  it('a local in `a_override.tf` replaces the one in `z.tf`; among overrides the last name wins', async () => {
    const main = 'resource "aws_s3_bucket_acl" "b" {\n  bucket = "x"\n  acl    = local.acl\n}\n';
    const overridden = await scanModule({
      'infra/a_override.tf': 'locals {\n  acl = "public-read"\n}\n',
      'infra/main.tf': main,
      'infra/z.tf': 'locals {\n  acl = "private"\n}\n',
    });
    expect(acls(overridden.findings)).toEqual(['infra/main.tf']);
    const lastOverride = await scanModule({
      'infra/a_override.tf': 'locals {\n  acl = "public-read"\n}\n',
      'infra/b_override.tf': 'locals {\n  acl = "private"\n}\n',
      'infra/main.tf': main,
      'infra/z.tf': 'locals {\n  acl = "public-read"\n}\n',
    });
    expect(acls(lastOverride.findings)).toEqual([]);
  });
});

describe('override files and dynamic blocks', () => {
  const ORIGINAL = [
    'locals {',
    '  cidrs = ["0.0.0.0/0"]',
    '}',
    'resource "aws_security_group" "s" {',
    '  name = "s"',
    '  dynamic "ingress" {',
    '    for_each = local.cidrs',
    '    content {',
    '      from_port   = 22',
    '      to_port     = 22',
    '      protocol    = "tcp"',
    '      cidr_blocks = [ingress.value]',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  const scanWith = (override: string) =>
    scanFiles(
      [
        { path: 'infra/main.tf', text: ORIGINAL },
        { path: 'infra/main_override.tf', text: override },
      ],
      { config: DEFAULT_CONFIG, rules: RULES, repository: { resources: [], complete: true } },
    );
  const open = (findings: { ruleId: string }[]) => findings.filter((f) => f.ruleId === 'aws/security-group-open-ingress');

  it('an override\'s dynamic block of another type keeps the original\'s dynamic blocks', async () => {
    const egress = 'resource "aws_security_group" "s" {\n  dynamic "egress" {\n    for_each = ["10.0.0.0/8"]\n    content {\n      from_port   = 0\n      to_port     = 0\n      protocol    = "-1"\n      cidr_blocks = [egress.value]\n    }\n  }\n}\n';
    expect(open((await scanWith(egress)).findings)).not.toEqual([]);
  });

  it('an override\'s plain block of a type replaces the original\'s dynamic blocks of that type', async () => {
    const ingress = 'resource "aws_security_group" "s" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n';
    expect(open((await scanWith(ingress)).findings)).toEqual([]);
  });
});
