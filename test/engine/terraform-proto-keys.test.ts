// Terraform names that JavaScript reads as its prototype machinery (`__proto__`, `constructor`, `toString`): to Terraform
// an object key, a variable, a local, a block label like any other, and an attribute not written is absent. Warden
// evaluates what Terraform evaluates, so `lookup` falls back and `merge` copies as Terraform's do.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import s3PublicAcl from '../../rules/aws/s3-public-acl.js';
import s3Versioning from '../../rules/aws/s3-versioning.js';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { scanFiles, type SourceFile } from '../../src/engine/run.js';
import { evaluateHclString } from '../../src/formats/hcl-eval.js';
import { hclExpressionValue, initHcl } from '../../src/formats/hcl.js';
import { toCanonical } from '../../src/formats/paths.js';
import type { AnyRule } from '../../src/engine/define-rule.js';

/** Object.prototype's own names when the file started: a test that adds one fails (and every later test would see it). */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES));

async function scan(files: SourceFile[], rule: AnyRule = s3PublicAcl) {
  const result = await scanFiles(files, { config: resolveConfig({}), rules: [rule] });
  return { ...result, found: result.findings.filter((f) => f.ruleId === rule.id).map((f) => `${f.file}:${f.line}`) };
}
/** A module whose bucket's ACL is `expression`; a variable makes the module's expressions evaluated. */
const bucket = (expression: string, declarations = 'variable "region" {\n  default = "eu-west-1"\n}\n') => [
  { path: 'infra/variables.tf', text: declarations },
  { path: 'infra/main.tf', text: `resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = ${expression}\n}\n` },
];

describe('lookup and merge read only what an object holds', () => {
  it.each([
    ['lookup({ "__proto__" = { acl = "private" } }, "acl", "public-read")'],
    ['lookup({}, "toString", "public-read")'],
    ['lookup({ other = "private" }, "constructor", "public-read")'],
  ])('the default of %s is the ACL: reported', async (expression) => {
    expect((await scan(bucket(expression))).found).toEqual(['infra/main.tf:3']);
  });

  it('merge copies a `__proto__` key as a key: its fields are not the merged object’s', async () => {
    const locals = 'locals {\n  base = { "__proto__" = { acl = "private" } }\n}\n';
    expect((await scan(bucket('lookup(merge(local.base), "acl", "public-read")', locals))).found).toEqual(['infra/main.tf:3']);
    expect((await scan(bucket('merge(local.base)["__proto__"].acl', locals))).found).toEqual([]);
  });

  it('valid: a key the object holds is its value', async () => {
    expect((await scan(bucket('lookup({ acl = "private" }, "acl", "public-read")'))).found).toEqual([]);
    expect((await scan(bucket('lookup({ "__proto__" = "private" }, "__proto__", "public-read")'))).found).toEqual([]);
  });
});

describe('a variable or local named __proto__', () => {
  it('its default, or its local value, is the value Terraform reads: reported', async () => {
    expect((await scan(bucket('var.__proto__', 'variable "__proto__" {\n  default = "public-read"\n}\n'))).found).toEqual(['infra/main.tf:3']);
    expect((await scan(bucket('local.__proto__', 'locals {\n  __proto__ = "public-read"\n}\n'))).found).toEqual(['infra/main.tf:3']);
  });

  it('assigned in terraform.tfvars: reported at the assignment', async () => {
    const files = [...bucket('var.__proto__', 'variable "__proto__" {}\n'), { path: 'infra/terraform.tfvars', text: '__proto__ = "public-read"\n' }];
    expect((await scan(files)).found).toEqual(['infra/terraform.tfvars:1']);
  });
});

describe('a change to a variable named __proto__, reviewed as the App reviews it (in the worker pool)', () => {
  const MAIN = 'resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = var.__proto__\n}\n';
  async function reviewEdit(repository: Record<string, string>, path: string, line: number, after: string) {
    const base = repository[path]!;
    const lines = base.split('\n');
    const before = lines[line - 1]!;
    lines[line - 1] = after;
    const change = { path, headText: lines.join('\n'), baseText: base, patch: `@@ -${line},1 +${line},1 @@\n-${before}\n+${after}\n` };
    const result = await review({ files: [change], config: DEFAULT_CONFIG, reader: memoryReader({ ...repository, [path]: change.headText }) });
    return result.findings.filter((f) => f.ruleId === 'aws/s3-public-acl').map((f) => ({ file: f.file, line: f.line, preExisting: f.preExisting, edits: f.fix?.edits }));
  }

  it('its default made public-read: reported at the default, the resource reviewed though its lines did not change', async () => {
    const variables = 'variable "__proto__" {\n  default = "private"\n}\n';
    expect(await reviewEdit({ 'infra/main.tf': MAIN, 'infra/variables.tf': variables }, 'infra/variables.tf', 2, '  default = "public-read"')).toEqual([
      { file: 'infra/variables.tf', line: 2, preExisting: false, edits: [{ file: 'infra/variables.tf', startLine: 2, endLine: 2, replacement: '  default = "private"' }] },
    ]);
  });

  it('its terraform.tfvars assignment made public-read: reported there, with the fix there', async () => {
    const tfvars = '# production\n__proto__ = "private"\n';
    expect(await reviewEdit({ 'infra/main.tf': MAIN, 'infra/variables.tf': 'variable "__proto__" {}\n', 'infra/terraform.tfvars': tfvars }, 'infra/terraform.tfvars', 2, '__proto__ = "public-read"')).toEqual([
      { file: 'infra/terraform.tfvars', line: 2, preExisting: false, edits: [{ file: 'infra/terraform.tfvars', startLine: 2, endLine: 2, replacement: '__proto__ = "private"' }] },
    ]);
  });
});

describe('a local module’s variable named constructor that its caller does not pass', () => {
  it('has the module’s default in the module’s instance, not what every JavaScript object inherits', async () => {
    const files = [
      { path: 'infra/main.tf', text: 'module "models" {\n  source = "./modules/bucket"\n  name   = "models"\n}\n' },
      { path: 'infra/modules/bucket/main.tf', text: 'variable "constructor" {\n  default = "public-read"\n}\nvariable "name" {}\nresource "aws_s3_bucket" "this" {\n  bucket = var.name\n  acl    = var.constructor\n}\n' },
    ];
    const result = await scan(files);
    const instance = result.parsed.find((f) => f.file === 'infra/main.tf')!.resources.find((r) => r.id === 'module.models.aws_s3_bucket.this')!;
    expect(instance.body.acl).toBe('public-read');
  });
});

describe('names only JavaScript objects have', () => {
  beforeAll(async () => {
    await initHcl();
  });
  const scope = { var: { tags: { team: 'ml' } }, local: {}, iterators: {} };

  it('are unknown: no variable, local, iterator or attribute of that name is declared', () => {
    for (const text of ['${var.constructor}', '${local.toString}', '${var.tags.constructor}', '${var.tags["hasOwnProperty"]}', '${{ a = 1 }.__proto__}', '${constructor.value}']) {
      expect(evaluateHclString(text, scope)).toBe(text);
    }
  });

  it('an object constructor keeps a `__proto__` key as its own', () => {
    const made = evaluateHclString('${{ "__proto__" = { acl = "private" }, b = 1 }}', scope) as Record<string, unknown>;
    expect(Object.keys(made)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
    const encoded = hclExpressionValue('${jsonencode({ "__proto__" = { Effect = "Allow" } })}') as Record<string, unknown>;
    expect(Object.hasOwn(encoded, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(encoded)).toBe(Object.prototype);
  });
});

describe('blocks and attributes named __proto__ stay keys of the resource', () => {
  const bodyOf = (result: Awaited<ReturnType<typeof scan>>) => result.parsed.find((f) => f.file === 'infra/main.tf')!.resources[0]!.body;

  it('a `dynamic "__proto__"` block: the blocks it makes are the body’s `__proto__` key', async () => {
    const files = bucket('"private"').map((f) => (f.path === 'infra/main.tf' ? { ...f, text: f.text.replace('}\n', '  dynamic "__proto__" {\n    for_each = ["x"]\n    content {\n      enabled = true\n    }\n  }\n}\n') } : f));
    const body = bodyOf(await scan(files));
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(body['__proto__']).toEqual([{ enabled: true }]);
  });

  it('an override’s `__proto__` argument is the body’s key: what it holds is no versioning block of the bucket', async () => {
    const override = { path: 'infra/override.tf', text: 'resource "aws_s3_bucket" "models" {\n  __proto__ = { versioning = [{ enabled = true }] }\n}\n' };
    const result = await scan([...bucket('"private"'), override], s3Versioning);
    expect(Object.getPrototypeOf(bodyOf(result))).toBe(Object.prototype);
    expect(Object.hasOwn(bodyOf(result), '__proto__')).toBe(true);
    expect(result.found).toEqual(['infra/main.tf:1']);
  });

  it('a Terraform JSON override’s `dynamic` blocks labelled `constructor` and `__proto__` are read, not a parse error', async () => {
    const dynamic = [{ constructor: [{ for_each: ['x'], content: [{ enabled: true }] }] }, JSON.parse('{"__proto__": [{"for_each": ["y"], "content": [{}]}]}') as unknown];
    const text = JSON.stringify({ resource: { aws_s3_bucket: { models: { dynamic } } } });
    const result = await scan([{ path: 'infra/main_override.tf.json', text }]);
    expect(result.errors).toEqual([]);
    const body = result.parsed[0]!.resources[0]!.body as { dynamic: Record<string, unknown> };
    expect(Object.keys(body.dynamic)).toEqual(['constructor', '__proto__']);
    expect(Object.getPrototypeOf(body.dynamic)).toBe(Object.prototype);
  });

  it('a `kubernetes_*` map attribute keeps a `__proto__` key in the manifest view', () => {
    // As hcl2json gives it (JSON.parse makes `__proto__` an own key; an object literal would not).
    const { body } = toCanonical(JSON.parse('{"metadata":[{"name":"p","labels":{"__proto__":"x","app":"model"}}]}') as Record<string, unknown>, 'Pod', 'v1');
    const labels = (body.metadata as { labels: Record<string, unknown> }).labels;
    expect(Object.keys(labels)).toEqual(['__proto__', 'app']);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });
});
