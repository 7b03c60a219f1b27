// OpenTofu's files (`.tofu`, `.tofu.json`) are Terraform's to Warden, and a folder is judged as each tool loads it:
// OpenTofu loads `x.tofu` instead of `x.tf`, Terraform never loads a `.tofu` file.
import { describe, expect, it } from 'vitest';
import s3PublicAcl from '../../rules/aws/s3-public-acl.js';
import s3PublicAccessBlock from '../../rules/aws/s3-public-access-block.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles, type SourceFile } from '../../src/engine/run.js';
import { fileKind, isTerraformFile } from '../../src/formats/index.js';
import type { AnyRule } from '../../src/engine/define-rule.js';

async function findings(files: SourceFile[], rule: AnyRule) {
  const result = await scanFiles(files, { config: DEFAULT_CONFIG, rules: [rule] });
  return result.findings.filter((f) => f.ruleId === rule.id).map((f) => `${f.file}:${f.line}`);
}

const variable = (acl: string) => `variable "acl" {\n  default = "${acl}"\n}\n`;
const BUCKET = `resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n`;
const PUBLIC_BUCKET = `resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = "public-read"\n}\n`;

describe('OpenTofu files', () => {
  it('are Terraform HCL and JSON; test files and the lock file are not Terraform', () => {
    expect(fileKind('infra/main.tofu')).toBe('hcl');
    expect(fileKind('infra/main.tofu.json')).toBe('tfjson');
    expect(fileKind('infra/override.tofu')).toBe('hcl');
    for (const path of ['infra/main.tofutest.hcl', 'infra/main.tftest.hcl', 'infra/.terraform.lock.hcl', 'infra/tests/a.tofutest.json', 'infra/tests/a.tftest.json']) {
      expect(['hcl', 'tfjson', 'tfvars']).not.toContain(fileKind(path));
      expect(isTerraformFile(path)).toBe(false);
    }
  });

  it('are judged, in HCL and in JSON', async () => {
    const json = JSON.stringify({ resource: { aws_s3_bucket: { models: { bucket: 'models', acl: 'public-read' } } } }, null, 2);
    expect(await findings([{ path: 'infra/main.tofu', text: PUBLIC_BUCKET }, { path: 'json/main.tofu.json', text: json }], s3PublicAcl)).toEqual(['infra/main.tofu:3', 'json/main.tofu.json:6']);
  });

  it('share their module with the `.tf` files of their folder: a variable declared in one is read in the other', async () => {
    expect(await findings([{ path: 'infra/variables.tf', text: variable('public-read') }, { path: 'infra/main.tofu', text: BUCKET }], s3PublicAcl)).toEqual(['infra/main.tofu:3']);
    expect(await findings([{ path: 'infra/variables.tofu', text: variable('public-read') }, { path: 'infra/main.tf', text: BUCKET }], s3PublicAcl)).toEqual(['infra/main.tf:3']);
  });

  it('shadow the `.tf` file of the same name: each file is judged with the values of the tool that loads it', async () => {
    // OpenTofu loads variables.tofu and main.tofu; Terraform variables.tf and main.tf.
    const folder = (tf: string, tofu: string): SourceFile[] => [
      { path: 'infra/variables.tf', text: variable(tf) },
      { path: 'infra/variables.tofu', text: variable(tofu) },
      { path: 'infra/main.tf', text: BUCKET },
      { path: 'infra/main.tofu', text: BUCKET },
    ];
    expect(await findings(folder('private', 'public-read'), s3PublicAcl)).toEqual(['infra/main.tofu:3']);
    expect(await findings(folder('public-read', 'private'), s3PublicAcl)).toEqual(['infra/main.tf:3']);
  });

  it('shadow the `.tf` file of the same name: what it declares protects nothing OpenTofu creates', async () => {
    const block = `resource "aws_s3_bucket_public_access_block" "models" {\n  bucket                  = aws_s3_bucket.models.id\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n`;
    const files: SourceFile[] = [
      { path: 'infra/main.tf', text: `${PUBLIC_BUCKET}\n${block}` },
      { path: 'infra/main.tofu', text: PUBLIC_BUCKET },
    ];
    expect(await findings(files, s3PublicAccessBlock)).toEqual(['infra/main.tofu:1']);
  });
});

describe('OpenTofu files in the worker pool (one file per evaluation)', () => {
  it('are judged with the values of the tool that loads them, as in process', async () => {
    const { ScanPool } = await import('../../src/worker/pool.js');
    const files: SourceFile[] = [
      { path: 'infra/variables.tf', text: variable('private') },
      { path: 'infra/variables.tofu', text: variable('public-read') },
      { path: 'infra/main.tf', text: BUCKET },
      { path: 'infra/main.tofu', text: BUCKET },
    ];
    const pool = new ScanPool({ size: 2 });
    try {
      const pooled = await pool.scan(files, { config: DEFAULT_CONFIG, ruleIds: [s3PublicAcl.id] });
      expect(pooled.findings.filter((f) => f.ruleId === s3PublicAcl.id).map((f) => `${f.file}:${f.line}`)).toEqual(['infra/main.tofu:3']);
    } finally {
      await pool.close();
    }
  });
});
