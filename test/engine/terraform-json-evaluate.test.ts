// Terraform JSON (`*.tf.json`) is evaluated as HCL is: its `${…}` templates in its module's scope, its variables and
// locals part of that scope for the module's HCL files too, and a change to one of its defaults reviews what reads it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { scanFiles } from '../../src/engine/run.js';
import { review } from '../../src/review.js';
import { RULES } from '../../rules/index.js';

const JSON_MODULE = `{
  "variable": {
    "acl": { "default": "public-read" },
    "prefix": { "default": "ml" }
  },
  "locals": {
    "bucket": "\${var.prefix}-models"
  },
  "resource": {
    "aws_s3_bucket_acl": {
      "models": {
        "bucket": "\${local.bucket}",
        "acl": "\${var.acl}"
      }
    }
  }
}
`;

const HCL_READER = 'resource "aws_s3_bucket_acl" "weights" {\n  bucket = "weights"\n  acl    = var.acl\n}\n';

const publicAcl = (findings: readonly { ruleId: string; file: string; line: number }[]) => findings.filter((f) => f.ruleId === 'aws/s3-public-acl').map((f) => `${f.file}:${f.line}`);

describe('Terraform JSON evaluated', () => {
  it('a template reading a variable or local is its value: the ACL a default gives is judged, in JSON and in the HCL beside it', async () => {
    const { findings, files } = await scanFiles(
      [
        { path: 'infra/main.tf.json', text: JSON_MODULE },
        { path: 'infra/weights.tf', text: HCL_READER },
      ],
      { config: DEFAULT_CONFIG, rules: RULES },
    );
    expect(publicAcl(findings)).toEqual(['infra/main.tf.json:13', 'infra/weights.tf:3']);
    const bucket = files.find((f) => f.file === 'infra/main.tf.json');
    expect(bucket).toBeDefined();
    // Computed from an expression: its fix would overwrite the expression, so it is shown, not offered.
    const json = findings.find((f) => f.file === 'infra/main.tf.json' && f.ruleId === 'aws/s3-public-acl')!;
    expect(json.fix?.applicability ?? 'display').toBe('display');
  });

  it('a variable an HCL file declares is read by Terraform JSON; an escaped `$${…}` stays literal text', async () => {
    const json = `{
  "resource": {
    "aws_s3_bucket_acl": {
      "a": { "bucket": "a", "acl": "\${var.acl}" },
      "b": { "bucket": "$\${var.acl}", "acl": "private" }
    }
  }
}
`;
    const { findings } = await scanFiles(
      [
        { path: 'infra/main.tf.json', text: json },
        { path: 'infra/variables.tf', text: 'variable "acl" {\n  default = "public-read-write"\n}\n' },
      ],
      { config: DEFAULT_CONFIG, rules: RULES },
    );
    expect(publicAcl(findings)).toEqual(['infra/main.tf.json:4']);
  });

  it('a change to a Terraform JSON default reviews what reads it, in JSON or in HCL, reported at the default, its fix shown', async () => {
    const patch = '@@ -3,1 +3,1 @@\n-    "acl": { "default": "private" },\n+    "acl": { "default": "public-read" },\n';
    const change = (head: string) => ({ path: 'infra/main.tf.json', headText: head, baseText: head.replace('"acl": { "default": "public-read" }', '"acl": { "default": "private" }'), patch });
    // Read in the same file: its finding is where the person edited, the default's line.
    const inJson = await review({ files: [change(JSON_MODULE)], config: DEFAULT_CONFIG, reader: memoryReader({ 'infra/main.tf.json': JSON_MODULE }) });
    const found = inJson.findings.filter((f) => f.ruleId === 'aws/s3-public-acl');
    expect(found.map((f) => `${f.file}:${f.line} ${f.resource} ${f.preExisting}`)).toEqual(['infra/main.tf.json:3 aws_s3_bucket_acl.models false']);
    // Not written in HCL: shown, not offered.
    expect(found[0]!.fix?.edits ?? []).toEqual([]);
    // Read only by an unchanged HCL file of the module: that file is read and its resource judged anew.
    const declaring = JSON_MODULE.replace(/,\n  "resource": \{[\s\S]*\n  \}\n\}\n$/, '\n}\n');
    expect(declaring).not.toContain('resource');
    const inHcl = await review({ files: [change(declaring)], config: DEFAULT_CONFIG, reader: memoryReader({ 'infra/main.tf.json': declaring, 'infra/weights.tf': HCL_READER }) });
    expect(inHcl.findings.filter((f) => f.ruleId === 'aws/s3-public-acl').map((f) => `${f.file}:${f.line} ${f.resource} ${f.preExisting}`)).toEqual(['infra/main.tf.json:3 aws_s3_bucket_acl.weights false']);
  });

  it('a module of Terraform JSON that a caller gives an input: what the call creates is judged with it', async () => {
    const module = '{\n  "variable": { "acl": { "default": "private" } },\n  "resource": {\n    "aws_s3_bucket_acl": { "b": { "bucket": "b", "acl": "${var.acl}" } }\n  }\n}\n';
    const { findings } = await scanFiles(
      [
        { path: 'live/main.tf', text: 'module "store" {\n  source = "../modules/store"\n  acl    = "public-read"\n}\n' },
        { path: 'modules/store/main.tf.json', text: module },
      ],
      { config: DEFAULT_CONFIG, rules: RULES },
    );
    // The module's own default is private; the call's input is where the person made it public.
    expect(publicAcl(findings)).toEqual(['live/main.tf:3']);
  });

  it('variables written as an array of objects are declared too, and a change to one reviews what reads it', async () => {
    const head = '{\n  "variable": [\n    { "acl": { "default": "public-read" } }\n  ],\n  "resource": { "aws_s3_bucket_acl": { "b": { "bucket": "b", "acl": "${var.acl}" } } }\n}\n';
    const base = head.replace('public-read', 'private');
    const patch = '@@ -3,1 +3,1 @@\n-    { "acl": { "default": "private" } }\n+    { "acl": { "default": "public-read" } }\n';
    const result = await review({ files: [{ path: 'infra/main.tf.json', headText: head, baseText: base, patch }], config: DEFAULT_CONFIG, reader: memoryReader({ 'infra/main.tf.json': head }) });
    const found = result.findings.filter((f) => f.ruleId === 'aws/s3-public-acl');
    expect(found.map((f) => `${f.file}:${f.line} ${f.preExisting}`)).toEqual(['infra/main.tf.json:3 false']);
  });
});
