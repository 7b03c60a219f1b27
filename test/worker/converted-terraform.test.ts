// A worker that cannot keep a Terraform file parsed until its evaluation keeps what hcl2json made of it instead, and
// parses it again from that: the same findings, without converting the file twice.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { parseFile } from '../../src/formats/index.js';
import { ConvertedTerraform } from '../../src/worker/converted-terraform.js';
import { RULES } from '../../rules/index.js';
import { closingPools } from './pools.js';

const pool = closingPools();

const bucket = (name: string) => `variable "acl" {\n  default = "private"\n}\n\nresource "aws_s3_bucket" "${name}" {\n  bucket = "${name}-models"\n}\n\nresource "aws_s3_bucket_acl" "${name}" {\n  bucket = aws_s3_bucket.${name}.id\n  acl    = var.acl\n}\n`;

describe('what hcl2json made of a Terraform file, kept for its evaluation', () => {
  it('is handed back only for the file, text and job it was made of, and let go when dropped', () => {
    const converted = new ConvertedTerraform(1024);
    const job = converted.of('j1');
    job.keep('main.tf', 'a = 1\n', '{"a":1}');
    expect(job.get('main.tf', 'a = 1\n')).toBe('{"a":1}');
    expect(job.get('main.tf', 'a = 2\n')).toBeUndefined();
    expect(job.get('other.tf', 'a = 1\n')).toBeUndefined();
    expect(converted.of('j2').get('main.tf', 'a = 1\n')).toBeUndefined();
    // Kept again for another text, the file holds only the newer value.
    job.keep('main.tf', 'a = 2\n', '{"a":2}');
    expect(job.get('main.tf', 'a = 1\n')).toBeUndefined();
    expect(converted.held).toBe('{"a":2}'.length);
    job.keep('other.tf', 'b = 1\n', '{"b":1}');
    converted.drop('j1', 'main.tf');
    expect(job.get('main.tf', 'a = 2\n')).toBeUndefined();
    expect(job.get('other.tf', 'b = 1\n')).toBe('{"b":1}');
    converted.drop('j1');
    expect(job.get('other.tf', 'b = 1\n')).toBeUndefined();
    expect(converted.held).toBe(0);
  });

  it('keeps nothing past its limit', () => {
    const converted = new ConvertedTerraform(10);
    const job = converted.of('j');
    job.keep('a.tf', 'a', '{"a":12345}');
    expect(job.get('a.tf', 'a')).toBeUndefined();
    expect(converted.held).toBe(0);
    job.keep('b.tf', 'b', '{"b":1}');
    expect(job.get('b.tf', 'b')).toBe('{"b":1}');
  });

  it('is what a parse given it reads, in place of converting the text again', async () => {
    const converted = new ConvertedTerraform(1024 * 1024);
    const first = await parseFile('main.tf', bucket('models'), { hclConversions: converted.of('j') });
    expect(converted.held).toBeGreaterThan(0);
    const again = await parseFile('main.tf', bucket('models'), { hclConversions: converted.of('j') });
    expect(again!.resources.map((r) => [r.id, r.body])).toEqual(first!.resources.map((r) => [r.id, r.body]));
    // A value kept for this text is what the parse reads: hcl2json is not asked again (without positions, the
    // resources are built from the value alone, not matched with the syntax tree).
    const forged = new ConvertedTerraform(1024 * 1024);
    forged.of('j').keep('main.tf', bucket('models'), JSON.stringify({ resource: { aws_s3_bucket: { weights: [{ bucket: 'weights-models' }] } } }));
    const read = await parseFile('main.tf', bucket('models'), { positions: false, hclConversions: forged.of('j') });
    expect(read!.resources.map((r) => r.id)).toEqual(['aws_s3_bucket.weights']);
    const converting = await parseFile('main.tf', bucket('models'), { positions: false, hclConversions: new ConvertedTerraform(1024 * 1024).of('j') });
    expect(converting!.resources.map((r) => r.id)).toEqual(['aws_s3_bucket.models', 'aws_s3_bucket_acl.models']);
  });

  it('gives the same findings and fingerprints when no parse is kept for the evaluation', async () => {
    const files = Array.from({ length: 40 }, (_, i) => ({ path: `stack-${i % 4}/bucket-${i}.tf`, text: bucket(`b${i}`).replace('"private"', i % 3 ? '"public-read"' : '"private"') }));
    const inProcess = await scanFiles(files, { config: DEFAULT_CONFIG, rules: RULES });
    expect(inProcess.findings.length).toBeGreaterThan(40);
    const options = { config: DEFAULT_CONFIG, ruleIds: RULES.map((rule) => rule.id) };
    // No text is kept parsed: every evaluation parses its file again.
    const workers = pool({ size: 2, terraformWorkers: 2, cacheTextBytes: 0 });
    const pooled = await workers.scan(files, options);
    expect(pooled.errors).toEqual([]);
    expect(pooled.findings).toEqual(inProcess.findings);
    expect(await workers.fingerprints(files, options)).toEqual(new Set(inProcess.findings.map((f) => f.fingerprint)));
  }, 60_000);
});
