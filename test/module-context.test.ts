// The module around a changed Terraform file, read from the repository (src/module-context.ts).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config.js';
import { memoryReader } from '../src/engine/repository-index.js';
import { MAX_MODULE_SIBLINGS } from '../src/module-context.js';
import { review } from '../src/review.js';

const BUCKET = 'resource "aws_s3_bucket_acl" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n';

it('reads a changed file’s variables from the other files of its module; past the bound, says which were not read', async () => {
  const change = [{ path: 'infra/acl.tf', headText: BUCKET, baseText: '', patch: '@@ -0,0 +1,4 @@\n+resource "aws_s3_bucket_acl" "models" {\n+  bucket = "models"\n+  acl    = var.acl\n+}\n' }];
  const variables = { 'infra/variables.tf': 'variable "acl" {\n  default = "public-read"\n}\n' };
  const read = await review({ files: change, config: DEFAULT_CONFIG, reader: memoryReader({ ...variables, 'infra/acl.tf': BUCKET }) });
  expect(read.findings.map((f) => f.ruleId)).toContain('aws/s3-public-acl');
  expect(read.notes).toEqual([]);
  // A module of more files than are read: the ones past the bound (here the variables, last in order) are named.
  const crowded: Record<string, string> = { ...variables, 'infra/acl.tf': BUCKET };
  for (let i = 0; i < MAX_MODULE_SIBLINGS; i++) crowded[`infra/a${String(i).padStart(3, '0')}.tf`] = `locals {\n  n${i} = ${i}\n}\n`;
  const cut = await review({ files: change, config: DEFAULT_CONFIG, reader: memoryReader(crowded) });
  expect(cut.findings.map((f) => f.ruleId)).not.toContain('aws/s3-public-acl');
  expect(cut.notes).toEqual([{ file: 'infra/variables.tf', message: expect.stringContaining(`more than ${MAX_MODULE_SIBLINGS} other Terraform files in the modules of the changed files: 1 not read`) }]);
});

describe('the callers of a changed module', () => {
  const MODULE_BEFORE = 'variable "name" {}\nvariable "acl" {\n  default = "private"\n}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = var.name\n  acl    = "private"\n}\n';
  const MODULE_AFTER = MODULE_BEFORE.replace('acl    = "private"', 'acl    = var.acl');
  const CALLER = 'module "weights" {\n  source = "../../modules/bucket"\n  name   = "model-weights"\n  acl    = "public-read"\n}\n';
  const changeTo = (headText: string) => [{ path: 'modules/bucket/main.tf', headText, baseText: MODULE_BEFORE, patch: '@@ -7 +7 @@\n-  acl    = "private"\n+  acl    = var.acl\n' }];
  const publicAcl = (findings: { ruleId: string; file: string; line: number; preExisting?: boolean }[]) => findings.filter((f) => f.ruleId === 'aws/s3-public-acl').map(({ file, line, preExisting }) => ({ file, line, preExisting }));

  it('a module that starts reading an input a caller sets to public is judged in the caller, new, though no caller line changed', async () => {
    const reader = memoryReader({ 'modules/bucket/main.tf': MODULE_AFTER, 'envs/prod/main.tf': CALLER, 'envs/dev/main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n' });
    const result = await review({ files: changeTo(MODULE_AFTER), config: DEFAULT_CONFIG, reader });
    expect(publicAcl(result.findings)).toEqual([{ file: 'envs/prod/main.tf', line: 4, preExisting: false }]);
    expect(result.gating.map((f) => f.ruleId)).toContain('aws/s3-public-acl');
  });

  it('what a caller deployed through the module before the change is pre-existing', async () => {
    const before = MODULE_AFTER;
    const head = `${MODULE_AFTER}# a comment\n`;
    const reader = memoryReader({ 'modules/bucket/main.tf': head, 'envs/prod/main.tf': CALLER });
    const files = [{ path: 'modules/bucket/main.tf', headText: head, baseText: before, patch: '@@ -8,0 +9 @@\n+# a comment\n' }];
    const result = await review({ files, config: DEFAULT_CONFIG, reader });
    expect(publicAcl(result.findings)).toEqual([{ file: 'envs/prod/main.tf', line: 4, preExisting: true }]);
    expect(result.gating.map((f) => f.ruleId)).not.toContain('aws/s3-public-acl');
  });

  it('every caller is judged, past the bound on a module’s own files, with what its folder gives its inputs', async () => {
    const repository: Record<string, string> = { 'modules/bucket/main.tf': MODULE_AFTER };
    const callers = MAX_MODULE_SIBLINGS + 20;
    for (let i = 0; i < callers; i++) repository[`envs/e${String(i).padStart(3, '0')}/main.tf`] = CALLER.replace('"model-weights"', `"w${i}"`);
    // One caller whose input is a variable its folder's definitions file sets.
    repository['envs/e000/main.tf'] = CALLER.replace('"public-read"', 'var.bucket_acl');
    repository['envs/e000/variables.tf'] = 'variable "bucket_acl" {}\n';
    repository['envs/e000/terraform.tfvars'] = 'bucket_acl = "public-read"\n';
    const result = await review({ files: changeTo(MODULE_AFTER), config: DEFAULT_CONFIG, reader: memoryReader(repository) });
    const found = publicAcl(result.findings);
    expect(found).toHaveLength(callers);
    expect(found[0]).toEqual({ file: 'envs/e000/terraform.tfvars', line: 1, preExisting: false });
    expect(result.notes).toEqual([]);
  });

  it('a caller of a caller: the root that gives a module its value through a module between them is judged', async () => {
    // envs/prod → modules/stack → modules/bucket: the public ACL is written at the root, passed on by the stack.
    const stack = 'variable "acl" {\n  default = "private"\n}\nmodule "bucket" {\n  source = "../bucket"\n  name   = "model-weights"\n  acl    = var.acl\n}\n';
    const root = 'module "stack" {\n  source = "../../modules/stack"\n  acl    = "public-read"\n}\n';
    const reader = memoryReader({ 'modules/bucket/main.tf': MODULE_AFTER, 'modules/stack/main.tf': stack, 'envs/prod/main.tf': root });
    const result = await review({ files: changeTo(MODULE_AFTER), config: DEFAULT_CONFIG, reader });
    expect(publicAcl(result.findings)).toEqual([{ file: 'envs/prod/main.tf', line: 3, preExisting: false }]);
  });

  it('a calling Terragrunt unit whose extra_arguments give variables is not reviewed there; one whose arguments give none is judged', async () => {
    const unit = (block: string) => `terraform {\n  source = "../../modules//bucket"\n  extra_arguments "vars" {\n    commands = ["plan"]\n${block}  }\n}\ninputs = {\n  name = "w"\n  acl  = "public-read"\n}\n`;
    const review_ = (text: string) => review({ files: changeTo(MODULE_AFTER), config: DEFAULT_CONFIG, reader: memoryReader({ 'modules/bucket/main.tf': MODULE_AFTER, 'live/prod/terragrunt.hcl': text }) });
    const givesVariables = await review_(unit('    required_var_files = ["prod.tfvars"]\n'));
    expect(givesVariables.findings.filter((f) => f.ruleId === 'warden/not-reviewed').map(({ file, line }) => ({ file, line }))).toEqual([{ file: 'live/prod/terragrunt.hcl', line: 3 }]);
    expect(givesVariables.gating.map((f) => f.ruleId)).toContain('warden/not-reviewed');
    const givesNone = await review_(unit('    arguments = ["-lock-timeout=20m"]\n'));
    expect(givesNone.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    expect(publicAcl(givesNone.findings)).toEqual([{ file: 'live/prod/terragrunt.hcl', line: 10, preExisting: false }]);
  });

  it('a Terragrunt unit whose source is the changed module is one of its callers', async () => {
    const unit = 'terraform {\n  source = "../../modules//bucket"\n}\ninputs = {\n  name = "w"\n  acl  = "public-read"\n}\n';
    const reader = memoryReader({ 'modules/bucket/main.tf': MODULE_AFTER, 'live/prod/terragrunt.hcl': unit });
    const result = await review({ files: changeTo(MODULE_AFTER), config: DEFAULT_CONFIG, reader });
    expect(publicAcl(result.findings)).toEqual([{ file: 'live/prod/terragrunt.hcl', line: 6, preExisting: false }]);
  });
});

it('reads the root.hcl a Terragrunt unit includes once, though the listing (the command line’s) does not hold it', async () => {
  const files: Record<string, string> = {
    'modules/bucket/main.tf': 'variable "acl" {}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n',
    'live/root.hcl': 'inputs = {\n  acl = "public-read"\n}\n',
    'live/prod/bucket/terragrunt.hcl': 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\nterraform {\n  source = "../../../modules//bucket"\n}\n',
  };
  const reads: string[] = [];
  const listing = memoryReader(files);
  const reader = { paths: async () => (await listing.paths()).filter((path) => !path.endsWith('root.hcl')), read: async (path: string) => (reads.push(path), listing.read(path)) };
  const unit = 'live/prod/bucket/terragrunt.hcl';
  const result = await review({ files: [{ path: unit, headText: files[unit]! }], config: DEFAULT_CONFIG, selected: true, reader });
  expect(result.findings.filter((f) => f.ruleId === 'aws/s3-public-acl').map((f) => [f.file, f.line])).toEqual([['live/root.hcl', 2]]);
  expect(reads.filter((path) => path === 'live/root.hcl')).toEqual(['live/root.hcl']);
});
