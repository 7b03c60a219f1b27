// Terragrunt units (src/formats/terragrunt.ts): what `terragrunt.hcl` deploys with its inputs, reviewed as a change.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { MAX_INCLUDING_UNITS } from '../../src/module-context.js';

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

  it("ranks its inputs as Terraform ranks `TF_VAR_` variables: below the definitions files of the folder Terraform runs in (the module's, and the unit's copied in)", async () => {
    const unit = (acl: string) => `terraform {\n  source = "../../../modules//bucket"\n}\ninputs = {\n  acl = "${acl}"\n}\n`;
    // The module folder's own terraform.tfvars wins over the unit's public input: nothing public is deployed.
    const overridden = await reviewUnit(unit('public-read'), { 'modules/bucket/terraform.tfvars': 'acl = "private"\n' });
    expect(found(overridden.findings, 'aws/s3-public-acl')).toEqual([]);
    // And the reverse: its public value wins over the unit's private input, found where it is written (fix shown only).
    const fromModule = await reviewUnit(unit('private'), { 'modules/bucket/terraform.tfvars': 'bucket_name = "models"\nacl = "public-read"\n' });
    expect(found(fromModule.findings, 'aws/s3-public-acl')).toEqual([{ file: 'modules/bucket/terraform.tfvars', line: 2 }]);
    expect(fromModule.findings.find((f) => f.ruleId === 'aws/s3-public-acl')!.fix).toMatchObject({ applicability: 'display', edits: [] });
    // The unit's folder is copied into the module's: its *.auto.tfvars is read there too, after terraform.tfvars.
    const fromUnitFolder = await reviewUnit(unit('private'), { 'modules/bucket/terraform.tfvars': 'acl = "private"\n', 'live/prod/bucket/public.auto.tfvars': 'acl = "public-read"\n' });
    expect(found(fromUnitFolder.findings, 'aws/s3-public-acl')).toEqual([{ file: 'live/prod/bucket/public.auto.tfvars', line: 1 }]);
    // A definitions file Terraform reads only when named (`-var-file`) does not count.
    const named = await reviewUnit(unit('public-read'), { 'modules/bucket/prod.tfvars': 'acl = "private"\n' });
    expect(found(named.findings, 'aws/s3-public-acl')).toEqual([{ file: UNIT, line: 5 }]);
  });

  it("is judged again when a definitions file of its folder changes alone (what the unit deploys changes with it)", async () => {
    const unit = 'terraform {\n  source = "../../../modules//bucket"\n}\ninputs = {\n  acl = "private"\n}\n';
    const varFile = 'live/prod/bucket/terraform.tfvars';
    const files = [{ path: varFile, headText: 'acl = "public-read"\n', baseText: 'acl = "private"\n', patch: '@@ -1 +1 @@\n-acl = "private"\n+acl = "public-read"\n' }];
    const result = await review({ files, config: DEFAULT_CONFIG, reader: memoryReader({ 'modules/bucket/main.tf': MODULE, [UNIT]: unit, [varFile]: files[0]!.headText }) });
    expect(found(result.findings, 'aws/s3-public-acl')).toEqual([{ file: varFile, line: 1 }]);
    expect(result.findings.find((f) => f.ruleId === 'aws/s3-public-acl')!.preExisting).toBe(false);
    // One of the module's folder: the module is judged with it, as the root module Terraform runs there.
    const moduleVarFile = 'modules/bucket/terraform.tfvars';
    const inModule = await review({ files: [{ ...files[0]!, path: moduleVarFile }], config: DEFAULT_CONFIG, reader: memoryReader({ 'modules/bucket/main.tf': MODULE, [UNIT]: unit, [moduleVarFile]: files[0]!.headText }) });
    expect(found(inModule.findings, 'aws/s3-public-acl')).toEqual([{ file: moduleVarFile, line: 1 }]);
  });

  it('whose `extra_arguments` give Terraform variables (var files, `-var`, `TF_VAR_`): not reviewed, from the block and the inputs', async () => {
    const withArguments = (block: string) => `terraform {\n  source = "../../../modules//bucket"\n  extra_arguments "vars" {\n    commands = ["apply", "plan"]\n${block}  }\n}\ninputs = {\n  acl = "public-read"\n}\n`;
    for (const block of ['    required_var_files = ["${get_terragrunt_dir()}/prod.tfvars"]\n', '    optional_var_files = ["prod.tfvars"]\n', '    arguments = ["-var-file=prod.tfvars"]\n', '    env_vars = {\n      TF_VAR_acl = "private"\n    }\n']) {
      const text = withArguments(block);
      const result = await reviewUnit(text);
      expect(found(result.findings, 'warden/not-reviewed'), block).toEqual([{ file: UNIT, line: 3 }, { file: UNIT, line: text.split('\n').indexOf('inputs = {') + 1 }]);
      expect(found(result.findings, 'aws/s3-public-acl'), block).toEqual([]);
    }
    // Other arguments give no variable: judged.
    const lockTimeout = await reviewUnit(withArguments('    arguments = ["-lock-timeout=20m"]\n'));
    expect(found(lockTimeout.findings, 'aws/s3-public-acl')).toEqual([{ file: UNIT, line: 9 }]);
    expect(found(lockTimeout.findings, 'warden/not-reviewed')).toEqual([]);
  });

  it('mixing a bare `include` with labelled ones (which hcl2json refuses): not reviewed, saying why and what to do, no parser message', async () => {
    const mixed = 'include {\n  path = find_in_parent_folders("root.hcl")\n}\ninclude "env" {\n  path = "../env.hcl"\n}\nterraform {\n  source = "../../../modules//bucket"\n}\ninputs = {\n  acl = "public-read"\n}\n';
    for (const text of [mixed, mixed.replace(/^(include \{[^}]*\}\n)(include "env" \{[^}]*\}\n)/, '$2$1')]) {
      const result = await reviewUnit(text, { 'live/root.hcl': 'inputs = {}\n', 'live/prod/env.hcl': 'inputs = {}\n' });
      const notReviewed = result.findings.filter((f) => f.ruleId === 'warden/not-reviewed' || f.ruleId === 'warden/parse-error');
      expect(notReviewed.map((f) => `${f.ruleId} ${f.file}`)).toEqual([`warden/not-reviewed ${UNIT}`]);
      const bareLine = text.split('\n').indexOf('include {') + 1;
      expect(notReviewed[0]!.message).toContain(`its bare \`include\` block (line ${bareLine}) sits beside labelled ones (\`include "env"\`): Terragrunt reads that`);
      expect(notReviewed[0]!.message).toContain('Give the bare block a label');
      expect(notReviewed[0]!.message).not.toMatch(/convert|HCL detected/);
    }
  });

  it('naming no module (`terraform { source }`): its includes the change touches are not reviewed, as its inputs are (Terragrunt passes them as variables Warden does not follow)', async () => {
    const result = await reviewUnit('include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n', { 'live/root.hcl': 'inputs = {\n  acl = "public-read"\n}\n' });
    expect(found(result.findings, 'warden/not-reviewed')).toEqual([{ file: UNIT, line: 1 }]);
    expect(result.findings[0]!.message).toContain('Terragrunt passes the inputs of the configuration this block includes as `TF_VAR_` variables');
  });

  it('a `generate` block the change touches is not reviewed', async () => {
    const result = await reviewUnit('terraform {\n  source = "../../../modules//bucket"\n}\ngenerate "bucket" {\n  path     = "extra.tf"\n  contents = "resource \\"aws_s3_bucket_acl\\" \\"x\\" {}"\n}\n');
    expect(found(result.findings, 'warden/not-reviewed')).toEqual([{ file: UNIT, line: 4 }]);
  });
});

describe('a change to a configuration units include (`root.hcl`), alone', () => {
  const ROOT = 'live/root.hcl';
  const include = 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\nterraform {\n  source = "../../../modules//bucket"\n}\n';
  /** The change from `base` to `head` of root.hcl, listed as the App lists a path of a name Warden does not read: its patch only. */
  async function reviewRoot(base: string, head: string, repository: Record<string, string> = { [UNIT]: include }) {
    const lines = (text: string) => text.replace(/\n$/, '').split('\n');
    const patch = `@@ -1,${lines(base).length} +1,${lines(head).length} @@\n${[...lines(base).map((l) => `-${l}`), ...lines(head).map((l) => `+${l}`)].join('\n')}\n`;
    const reader = memoryReader({ 'modules/bucket/main.tf': MODULE, ...repository, [ROOT]: head });
    return review({ files: [], written: [ROOT, 'packer/image.pkr.hcl'], writtenPatches: new Map([[ROOT, patch]]), config: DEFAULT_CONFIG, reader });
  }
  const PRIVATE = 'inputs = {\n  acl = "private"\n}\n';
  const PUBLIC = 'inputs = {\n  acl = "public-read"\n}\n';

  it('is judged in the units that include it: an input it sets that opens a bucket is new, at its line there; a configuration no unit includes is nothing of Warden’s', async () => {
    const result = await reviewRoot(PRIVATE, PUBLIC, { [UNIT]: include, 'live/dev/bucket/terragrunt.hcl': include, 'packer/image.pkr.hcl': 'source "x" "y" {}\n' });
    // Two units deploy it: one finding, where the value is written.
    expect(result.gating.map(({ ruleId, file, line, preExisting }) => ({ ruleId, file, line, preExisting }))).toEqual([{ ruleId: 'aws/s3-public-acl', file: ROOT, line: 2, preExisting: false }]);
    // A unit's own input wins: nothing opens the bucket.
    const overridden = await reviewRoot(PRIVATE, PUBLIC, { [UNIT]: `${include}inputs = {\n  acl = "private"\n}\n` });
    expect(overridden.findings).toEqual([]);
  });

  it('what was there at base is pre-existing, though the line that sets it is not the one the change writes', async () => {
    const result = await reviewRoot('locals {\n  acl = "public-read"\n}\ninputs = {\n  acl = local.acl\n}\n', 'locals {\n  acl = "public-read"\n  team = "ml"\n}\ninputs = {\n  acl = local.acl\n}\n');
    expect(found(result.findings, 'aws/s3-public-acl')).toEqual([{ file: ROOT, line: 6 }]);
    expect(result.findings.find((f) => f.ruleId === 'aws/s3-public-acl')!.preExisting).toBe(true);
    expect(result.gating).toEqual([]);
    // A local the change opens is new, found at the input that reads it.
    const opened = await reviewRoot('locals {\n  acl = "private"\n}\ninputs = {\n  acl = local.acl\n}\n', 'locals {\n  acl = "public-read"\n}\ninputs = {\n  acl = local.acl\n}\n');
    expect(opened.gating.map(({ ruleId, file, line }) => ({ ruleId, file, line }))).toEqual([{ ruleId: 'aws/s3-public-acl', file: ROOT, line: 5 }]);
  });

  it('with a `generate` or `terraform` block (Terragrunt merges them into each unit), or included by a unit Warden does not follow: not reviewed, saying why', async () => {
    const notReviewed = (result: Awaited<ReturnType<typeof reviewRoot>>) => result.findings.map((f) => `${f.ruleId} ${f.file} ${f.ruleId === 'warden/not-reviewed' ? /what a change to it deploys|what it deploys with it is not known: (.{0,60})/.exec(f.message)?.[0] : ''}`);
    const generate = await reviewRoot(PRIVATE, `generate "provider" {\n  path     = "provider.tf"\n  contents = "provider \\"aws\\" {}"\n}\n${PUBLIC}`);
    expect(notReviewed(generate)).toEqual([`warden/not-reviewed ${ROOT} what a change to it deploys`]);
    expect(generate.findings[0]!.message).toContain('it has a `generate` block');
    const terraform = await reviewRoot(PRIVATE, `terraform {\n  extra_arguments "vars" {\n    commands = ["apply"]\n  }\n}\n${PUBLIC}`);
    expect(terraform.findings[0]!.message).toContain('it has a `terraform` block');
    expect(terraform.findings.map((f) => f.ruleId)).toEqual(['warden/not-reviewed']);
    const units = {
      remote: include.replace('../../../modules//bucket', 'git::https://example.com/modules.git//bucket?ref=v1'),
      deep: include.replace('")\n', '")\n  merge_strategy = "deep"\n'),
      'no source': 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n',
      'extra arguments': include.replace('//bucket"\n', '//bucket"\n  extra_arguments "vars" {\n    commands           = ["apply"]\n    required_var_files = ["prod.tfvars"]\n  }\n'),
    };
    for (const [what, unit] of Object.entries(units)) {
      const result = await reviewRoot(PRIVATE, PUBLIC, { [UNIT]: unit });
      expect(result.findings.map((f) => `${f.ruleId} ${f.file}`), what).toEqual([`warden/not-reviewed ${ROOT}`]);
      expect(result.findings[0]!.message, what).toContain(`the Terragrunt unit \`${UNIT}\` includes this configuration, and what it deploys with it is not known`);
    }
  });

  it(`included by more units than it is judged in (${MAX_INCLUDING_UNITS}): not reviewed, saying so`, async () => {
    const units = Object.fromEntries(Array.from({ length: MAX_INCLUDING_UNITS + 1 }, (_, i) => [`live/u${i}/bucket/terragrunt.hcl`, include]));
    const result = await reviewRoot(PRIVATE, PUBLIC, units);
    expect(result.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual([`warden/not-reviewed ${ROOT}`]);
    expect(result.findings[0]!.message).toContain(`${MAX_INCLUDING_UNITS + 1} Terragrunt units include this configuration, and Warden judges a change to one in at most ${MAX_INCLUDING_UNITS} of them`);
  });
});
