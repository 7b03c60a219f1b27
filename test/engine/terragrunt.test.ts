// Terragrunt units (src/formats/terragrunt.ts): what `terragrunt.hcl` deploys with its inputs, reviewed as a change.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';

const MODULE = 'variable "acl" {\n  default = "private"\n}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n';
const UNIT = 'live/prod/bucket/terragrunt.hcl';

/** A change that writes the whole unit (every line added), reviewed with the repository around it. */
async function reviewUnit(text: string, repository: Record<string, string> = {}) {
  const lines = text.replace(/\n$/, '').split('\n');
  const files = [{ path: UNIT, headText: text, baseText: '', patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n` }];
  return review({ files, config: DEFAULT_CONFIG, reader: memoryReader({ 'modules/bucket/main.tf': MODULE, ...repository, [UNIT]: text }) });
}
const found = (findings: { ruleId: string; file: string; line: number }[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map(({ file, line }) => ({ file, line }));

describe('a Terragrunt unit', () => {
  it('with a local source: a public ACL input is found at its line in terragrunt.hcl, with a fix there', async () => {
    const unit = 'terraform {\n  source = "../../../modules//bucket"\n}\n\ninputs = {\n  acl = "public-read"\n}\n';
    const result = await reviewUnit(unit);
    expect(found(result.findings, 'aws/s3-public-acl')).toEqual([{ file: UNIT, line: 6 }]);
    const fix = result.findings.find((f) => f.ruleId === 'aws/s3-public-acl')!.fix;
    expect(fix?.edits).toEqual([{ file: UNIT, startLine: 6, endLine: 6, replacement: '  acl = "private"' }]);
    expect(found(result.findings, 'warden/not-reviewed')).toEqual([]);
  });

  it('a literal local of the unit is known; a dependency output is not judged', async () => {
    const local = await reviewUnit('locals {\n  acl = "public-read"\n}\nterraform {\n  source = "../../../modules//bucket"\n}\ninputs = {\n  acl = local.acl\n}\n');
    expect(found(local.findings, 'aws/s3-public-acl')).toEqual([{ file: UNIT, line: 8 }]);
    const output = await reviewUnit('dependency "acl" {\n  config_path = "../acl"\n}\nterraform {\n  source = "../../../modules//bucket"\n}\ninputs = {\n  acl = dependency.acl.outputs.acl\n}\n');
    expect(found(output.findings, 'aws/s3-public-acl')).toEqual([]);
  });

  it('with a remote source Warden does not know: its inputs are not reviewed where the change touches them', async () => {
    const result = await reviewUnit('terraform {\n  source = "git::https://example.com/modules.git//bucket?ref=v1.0.0"\n}\ninputs = {\n  acl = "public-read"\n}\n');
    expect(found(result.findings, 'warden/not-reviewed')).toEqual([{ file: UNIT, line: 1 }, { file: UNIT, line: 4 }]);
  });

  it('with a registry module of the table (`tfr:///`): judged as a module block of it is', async () => {
    const result = await reviewUnit('terraform {\n  source = "tfr:///terraform-aws-modules/s3-bucket/aws?version=4.1.0"\n}\ninputs = {\n  bucket = "models"\n  acl    = "public-read"\n}\n');
    expect(found(result.findings, 'aws/s3-public-acl')).toEqual([{ file: UNIT, line: 6 }]);
    expect(found(result.findings, 'warden/not-reviewed')).toEqual([]);
  });

  it('merges the inputs of the configuration it includes under its own (its own win)', async () => {
    const root = { 'live/root.hcl': 'inputs = {\n  acl = "public-read"\n}\n' };
    const include = 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\nterraform {\n  source = "../../../modules//bucket"\n}\n';
    const fromParent = await reviewUnit(include, root);
    expect(found(fromParent.findings, 'aws/s3-public-acl')).toEqual([{ file: 'live/root.hcl', line: 2 }]);
    const own = await reviewUnit(`${include}inputs = {\n  acl = "private"\n}\n`, root);
    expect(found(own.findings, 'aws/s3-public-acl')).toEqual([]);
    // Merged deeply, or not found: not reviewed from the include.
    const deep = await reviewUnit(include.replace('")\n', '")\n  merge_strategy = "deep"\n'), root);
    expect(found(deep.findings, 'warden/not-reviewed').map((f) => f.line)).toContain(1);
    const missing = await reviewUnit(include);
    expect(found(missing.findings, 'warden/not-reviewed')).toEqual([{ file: UNIT, line: 1 }]);
  });

  it('a `generate` block the change touches is not reviewed', async () => {
    const result = await reviewUnit('terraform {\n  source = "../../../modules//bucket"\n}\ngenerate "bucket" {\n  path     = "extra.tf"\n  contents = "resource \\"aws_s3_bucket_acl\\" \\"x\\" {}"\n}\n');
    expect(found(result.findings, 'warden/not-reviewed')).toEqual([{ file: UNIT, line: 4 }]);
  });
});
