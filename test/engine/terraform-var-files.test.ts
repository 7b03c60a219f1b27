// Variable definitions files: `terraform.tfvars`, `*.auto.tfvars` (HCL or JSON) and the files named in the config,
// read for the module in their folder with Terraform's precedence; a finding on a value one of them gave is reported
// (and fixed) at its assignment, and a change to that line makes the resources that use it changed.
import { describe, expect, it } from 'vitest';
import s3PublicAcl from '../../rules/aws/s3-public-acl.js';
import { resolveConfig } from '../../src/config.js';
import { applyEdits } from '../../src/engine/edits.js';
import { scanFiles, type SourceFile } from '../../src/engine/run.js';
import type { Finding } from '../../src/model.js';
import { variableKey } from '../../src/engine/data-reads.js';
import { namesAssignedIn } from '../../src/formats/hcl-vars.js';

const variables = { path: 'infra/variables.tf', text: `variable "acl" {\n  type    = string\n  default = "private"\n}\n` };
const main = { path: 'infra/main.tf', text: `resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n` };

async function scan(files: SourceFile[], config: Record<string, unknown> = {}): Promise<Finding[]> {
  const result = await scanFiles(files, { config: resolveConfig(config), rules: [s3PublicAcl] });
  return result.findings.filter((f) => f.ruleId === s3PublicAcl.id);
}
const where = (found: Finding[]) => found.map((f) => `${f.file}:${f.line}`);

describe('variable definitions files', () => {
  it('terraform.tfvars overrides the default: reported at its assignment, with the fix there', async () => {
    const tfvars = { path: 'infra/terraform.tfvars', text: `# production\nregion = "eu-west-1"\nacl    = "public-read"\n` };
    const found = await scan([variables, main, tfvars]);
    expect(where(found)).toEqual(['infra/terraform.tfvars:3']);
    expect(found[0]!.message).toContain('`public-read`');
    expect(found[0]!.fix?.applicability).not.toBe('display');
    expect(found[0]!.fix?.edits).toEqual([{ file: 'infra/terraform.tfvars', startLine: 3, endLine: 3, replacement: 'acl    = "private"' }]);
    // The edit clears the finding when the module is reviewed again.
    const fixed = { ...tfvars, text: applyEdits(tfvars.text, found[0]!.fix!.edits) };
    expect(await scan([variables, main, fixed])).toEqual([]);
  });

  it('a safe value in terraform.tfvars overrides an unsafe default', async () => {
    const unsafeDefault = { ...variables, text: `variable "acl" {\n  default = "public-read-write"\n}\n` };
    expect(await scan([unsafeDefault, main, { path: 'infra/terraform.tfvars', text: `acl = "private"\n` }])).toEqual([]);
    expect(where(await scan([unsafeDefault, main]))).toEqual(['infra/main.tf:3']);
  });

  it('precedence: terraform.tfvars < terraform.tfvars.json < *.auto.tfvars in lexical order < config var files in order', async () => {
    const files: SourceFile[] = [
      variables,
      main,
      { path: 'infra/terraform.tfvars', text: `acl = "public-read"\n` },
      { path: 'infra/terraform.tfvars.json', text: `{\n  "acl": "authenticated-read"\n}\n` },
      { path: 'infra/b.auto.tfvars', text: `acl = "public-read-write"\n` },
      { path: 'infra/a.auto.tfvars.json', text: `{ "acl": "private" }\n` },
    ];
    // b.auto.tfvars comes after a.auto.tfvars.json.
    expect(where(await scan(files))).toEqual(['infra/b.auto.tfvars:1']);
    const named = [...files, { path: 'infra/env/prod.tfvars', text: `acl = "private"\n` }, { path: 'infra/env/dev.tfvars', text: `acl = "authenticated-read"\n` }];
    // A var file applies to the module in its own folder: infra/env is not infra.
    expect(where(await scan(named, { terraform: { var_files: ['infra/env/*.tfvars'] } }))).toEqual(['infra/b.auto.tfvars:1']);
    const sameFolder = [...files, { path: 'infra/prod.tfvars', text: `acl = "authenticated-read"\n` }, { path: 'infra/last.tfvars', text: `acl = "private"\n` }];
    // Not named: an ordinary .tfvars is read only with -var-file.
    expect(where(await scan(sameFolder))).toEqual(['infra/b.auto.tfvars:1']);
    expect(where(await scan(sameFolder, { terraform: { var_files: ['infra/prod.tfvars'] } }))).toEqual(['infra/prod.tfvars:1']);
    expect(await scan(sameFolder, { terraform: { var_files: ['infra/prod.tfvars', 'infra/last.tfvars'] } })).toEqual([]);
  });

  it('.tfvars.json: reported at the key, fixed on its line', async () => {
    const json = { path: 'infra/terraform.tfvars.json', text: `{\n  "region": "eu-west-1",\n  "acl": "public-read",\n  "tags": {}\n}\n` };
    const found = await scan([variables, main, json]);
    expect(where(found)).toEqual(['infra/terraform.tfvars.json:3']);
    expect(found[0]!.fix?.edits).toEqual([{ file: 'infra/terraform.tfvars.json', startLine: 3, endLine: 3, replacement: '  "acl": "private",' }]);
  });

  it('a folder another calls as a module has its defaults there: its own terraform.tfvars is read only for a root module', async () => {
    const unsafeDefault = { path: 'infra/modules/store/variables.tf', text: `variable "acl" {\n  default = "public-read"\n}\n` };
    const inModule = { ...main, path: 'infra/modules/store/main.tf' };
    const exampleValues = { path: 'infra/modules/store/terraform.tfvars', text: `acl = "private"\n` };
    const caller = { path: 'infra/main.tf', text: `module "store" {\n  source = "./modules/store"\n}\n` };
    expect(where(await scan([caller, unsafeDefault, inModule, exampleValues]))).toEqual(['infra/modules/store/main.tf:3']);
    // Applied as a root module of its own, its definitions file gives the value.
    expect(await scan([unsafeDefault, inModule, exampleValues])).toEqual([]);
  });

  it('another folder\'s tfvars is not this module\'s', async () => {
    expect(await scan([variables, main, { path: 'other/terraform.tfvars', text: `acl = "public-read"\n` }])).toEqual([]);
  });

  it('unknown stays unknown: no default and no assignment, or an assignment to null, gives no finding', async () => {
    const noDefault = { ...variables, text: `variable "acl" {\n  type = string\n}\n` };
    expect(await scan([noDefault, main, { path: 'infra/terraform.tfvars', text: `region = "eu-west-1"\n` }])).toEqual([]);
    expect(await scan([noDefault, main, { path: 'infra/terraform.tfvars', text: `acl = null\n` }])).toEqual([]);
  });

  it('one finding per assignment, however many resources use it; a suppression above the assignment holds', async () => {
    const two = { ...main, text: `${main.text}\nresource "aws_s3_bucket" "logs" {\n  acl = var.acl\n}\n` };
    const tfvars = { path: 'infra/terraform.tfvars', text: `acl = "public-read"\n` };
    expect(where(await scan([variables, two, tfvars]))).toEqual(['infra/terraform.tfvars:1']);
    const suppressed = { ...tfvars, text: `# warden:ignore aws/s3-public-acl -- static website bucket, reviewed in SEC-7\nacl = "public-read"\n` };
    const found = await scan([variables, two, suppressed]);
    expect(found.map((f) => f.suppressed?.reason)).toEqual(['static website bucket, reviewed in SEC-7']);
  });

  it('a changed assignment makes the resources that use it changed; an untouched one does not', async () => {
    const tfvars = { path: 'infra/terraform.tfvars', text: `region = "eu-west-1"\nacl    = "public-read"\n` };
    const unchanged = new Set<number>();
    const context = [
      { ...variables, changed: unchanged },
      { ...main, changed: unchanged },
    ];
    expect(where(await scan([...context, { ...tfvars, changed: new Set([2]) }]))).toEqual(['infra/terraform.tfvars:2']);
    expect(await scan([...context, { ...tfvars, changed: new Set([1]) }])).toEqual([]);
  });

  it('a changed assignment changes the resources that read it through a local or inside an expression too, reported on them', async () => {
    const tfvars = { path: 'infra/terraform.tfvars', text: `region = "eu-west-1"\nacl    = "public-read"\n` };
    const unchanged = new Set<number>();
    const viaLocal = { path: 'infra/main.tf', text: `locals {\n  chosen = var.acl\n  bucket_acl = local.chosen\n}\nresource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = local.bucket_acl\n}\n` };
    const context = [
      { ...variables, changed: unchanged },
      { ...viaLocal, changed: unchanged },
    ];
    expect(where(await scan([...context, { ...tfvars, changed: new Set([2]) }]))).toEqual(['infra/main.tf:7']);
    expect(await scan([...context, { ...tfvars, changed: new Set([1]) }])).toEqual([]);
    // A definitions file Terraform does not read (not automatic, not named in the config) changes nothing.
    expect(await scan([...context, { path: 'infra/prod.tfvars', text: tfvars.text, changed: new Set([2]) }])).toEqual([]);
  });

  it('variables a deleted definitions file assigned (given as touched) change the resources that read them', async () => {
    const unchanged = new Set<number>();
    const unsafeDefault = { ...variables, text: `variable "acl" {\n  default = "public-read"\n}\n`, changed: unchanged };
    const files = [unsafeDefault, { ...main, changed: unchanged }];
    const touched = async (touchedData: string[]) =>
      (await scanFiles(files, { config: resolveConfig({}), rules: [s3PublicAcl], touchedData })).findings.filter((f) => f.ruleId === s3PublicAcl.id);
    expect(where(await touched([variableKey('infra', 'acl')]))).toEqual(['infra/main.tf:3']);
    expect(await touched([variableKey('infra', 'region')])).toEqual([]);
    expect(await touched([variableKey('other', 'acl')])).toEqual([]);
  });

  it('the names a definitions file assigns, read without a parser: never fewer than it assigns', () => {
    expect(namesAssignedIn('terraform.tfvars', `# prod\nregion = "eu-west-1"\ntags = {\n  team = "ml"\n}\nreplicas=3\n`).sort()).toEqual(['region', 'replicas', 'tags', 'team']);
    expect(namesAssignedIn('prod.auto.tfvars.json', `{ "acl": "private", "tags": { "team": "ml" } }`)).toEqual(['acl', 'tags']);
    expect(namesAssignedIn('broken.tfvars.json', `{ "acl": "private", `)).toEqual(['acl']);
  });

  it('through modules: a registry module input and a local module input from a variable are reported at the assignment', async () => {
    const tfvars = { path: 'infra/terraform.tfvars', text: `acl = "public-read"\n` };
    const registry = { path: 'infra/main.tf', text: `module "models" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n  bucket = "models"\n  acl    = var.acl\n}\n` };
    const viaRegistry = await scan([variables, registry, tfvars]);
    expect(viaRegistry.map((f) => `${f.file}:${f.line}:${f.resource}`)).toEqual(['infra/terraform.tfvars:1:module.models.aws_s3_bucket.this']);
    expect(viaRegistry[0]!.fix?.edits).toEqual([{ file: 'infra/terraform.tfvars', startLine: 1, endLine: 1, replacement: 'acl = "private"' }]);

    const local = { path: 'infra/main.tf', text: `module "models" {\n  source = "./modules/bucket"\n  acl    = var.acl\n}\n` };
    const module = { path: 'infra/modules/bucket/main.tf', text: `variable "acl" {\n  default = "private"\n}\n\nresource "aws_s3_bucket" "this" {\n  acl = var.acl\n}\n` };
    expect(where(await scan([variables, local, module, tfvars]))).toEqual(['infra/terraform.tfvars:1']);
  });

  it('a syntax error in a tfvars file is a parse error at its line', async () => {
    const result = await scanFiles([variables, main, { path: 'infra/terraform.tfvars', text: `acl = "public-read"\nbroken = \n` }], {
      config: resolveConfig({}),
      rules: [s3PublicAcl],
    });
    expect(result.findings.filter((f) => f.ruleId === 'warden/parse-error').map((f) => `${f.file}:${f.line}`)).toEqual(['infra/terraform.tfvars:2']);
  });
});

describe('in the worker pool (one file per evaluation)', () => {
  it('a definitions file parsed apart from the module gives the same findings and changed resources as in process', async () => {
    const { ScanPool } = await import('../../src/worker/pool.js');
    const config = resolveConfig({});
    const tfvars = { path: 'infra/terraform.tfvars', text: `region = "eu-west-1"\nacl    = "public-read"\n` };
    const unchanged = new Set<number>();
    const pool = new ScanPool({ size: 2 });
    try {
      const viaLocal = { ...main, text: `locals {\n  bucket_acl = var.acl\n}\n${main.text.replace('var.acl', 'local.bucket_acl')}` };
      for (const [reader, at] of [[main, 'infra/terraform.tfvars:2'], [viaLocal, 'infra/main.tf:6']] as const) {
        for (const changed of [new Set([2]), new Set([1])]) {
          const files: SourceFile[] = [{ ...variables, changed: unchanged }, { ...reader, changed: unchanged }, { ...tfvars, changed }];
          const pooled = await pool.scan(files, { config, ruleIds: [s3PublicAcl.id] });
          const inProcess = await scanFiles(files, { config, rules: [s3PublicAcl] });
          expect(pooled.findings).toEqual(inProcess.findings);
          expect(where(pooled.findings)).toEqual(changed.has(2) ? [at] : []);
        }
      }
    } finally {
      await pool.close();
    }
  });
});
