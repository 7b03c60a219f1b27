// Hostile and malformed input: each case gets a clear note or a warden/parse-error, the rest of the change is
// still reviewed, and nothing crashes. The review runs in the worker pool, as in the App and the CLI.
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { applyEdits } from '../../src/engine/edits.js';
import { MAX_FILE_BYTES } from '../../src/engine/limits.js';
import { review } from '../../src/review.js';
import { closeSharedPool } from '../../src/worker/pool.js';
import { HEALTHY, HEALTHY_TF, expectHealthyReviewed, expectNotReviewed, notReviewedOf, notesOf, parseErrorsOf, reviewWith } from './helpers.js';

afterAll(() => closeSharedPool());

describe('hostile YAML', () => {
  it('an alias bomb ("billion laughs") is a parse error, not a blow-up', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const result = await reviewWith([{ path: 'bomb.yaml', headText: `${levels.join('\n')}\n` }]);
    const [error] = parseErrorsOf(result, 'bomb.yaml');
    expect(error?.message).toMatch(/alias/i);
    expectHealthyReviewed(result);
  });

  it('deep nesting (flow and block) is not reviewed, and fails the gate', async () => {
    const flow = `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const block = `${Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`;
    const result = await reviewWith([
      { path: 'deep-flow.yaml', headText: flow },
      { path: 'deep-block.yaml', headText: block },
    ]);
    expectNotReviewed(result, 'deep-flow.yaml', /nests deeper than 200 levels \(line 1\)/);
    expectNotReviewed(result, 'deep-block.yaml', /indented deeper than 400 columns \(line 402\)/);
    expectHealthyReviewed(result);
  });

  it('tab indentation is a parse error at its line', async () => {
    const result = await reviewWith([{ path: 'tabs.yaml', headText: 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n' }]);
    const [error] = parseErrorsOf(result, 'tabs.yaml');
    expect(error?.line).toBe(4);
    expectHealthyReviewed(result);
  });

  it('tabs inside values are fine', async () => {
    const result = await reviewWith([{ path: 'tab-value.yaml', headText: HEALTHY.replace('name: healthy', 'name: "tab\\there"').replace('  namespace: serving', '  namespace: serving\t# trailing tab') }]);
    expect(parseErrorsOf(result, 'tab-value.yaml')).toEqual([]);
    expect(result.findings.some((f) => f.file === 'tab-value.yaml' && f.ruleId === 'k8s/privileged')).toBe(true);
  });

  it('custom tags are read untagged, with a note, and the resource is still reviewed', async () => {
    const text = HEALTHY.replace('name: healthy', 'name: !Ref healthy').replace('image: registry.example/triton:1.0', 'image: !!python/object/apply:os.system ["id"]');
    const result = await reviewWith([{ path: 'tags.yaml', headText: text }]);
    expect(notesOf(result, 'tags.yaml').join('\n')).toMatch(/unknown YAML tag `!Ref`/);
    expect(result.findings.some((f) => f.file === 'tags.yaml' && f.ruleId === 'k8s/privileged')).toBe(true);
  });

  it('a document whose kind is what every JavaScript object inherits (`constructor`) is a kind like any other: the file is reviewed', async () => {
    const odd = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: odd\nspec:\n  template: {}\n---\n`;
    const text = `${odd('v1', 'constructor')}${odd('argoproj.io/v1alpha1', 'toString')}${HEALTHY}`;
    const result = await reviewWith([{ path: 'odd.yaml', headText: text }]);
    expect(notReviewedOf(result, 'odd.yaml')).toBeNull();
    expect(result.findings).toContainEqual(expect.objectContaining({ ruleId: 'k8s/privileged', file: 'odd.yaml', line: 25 }));
    expectHealthyReviewed(result);
  });

  it('an unterminated string is a parse error', async () => {
    const result = await reviewWith([{ path: 'open.yaml', headText: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x\nspec: {}\n' }]);
    expect(parseErrorsOf(result, 'open.yaml')).toHaveLength(1);
    expectHealthyReviewed(result);
  });

  it('a file of 60,000 small documents (over the size limit) is not reviewed', async () => {
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n---\n';
    const text = doc.repeat(Math.ceil((MAX_FILE_BYTES + 1) / doc.length));
    const result = await reviewWith([{ path: 'many.yaml', headText: text }]);
    expectNotReviewed(result, 'many.yaml', /too large to review/);
    expect(notesOf(result, 'many.yaml')).toEqual([]);
    expectHealthyReviewed(result);
  });
});

describe('hostile Terraform', () => {
  it('deep nesting is not reviewed, and the HCL parser keeps working afterwards', async () => {
    const tuples = `locals {\n  a = ${'['.repeat(5000)}${']'.repeat(5000)}\n}\n`;
    const blocks = `resource "aws_s3_bucket" "b" {\n${'x {\n'.repeat(3000)}${'}\n'.repeat(3000)}}\n`;
    const result = await reviewWith([
      { path: 'deep-tuple.tf', headText: tuples },
      { path: 'deep-blocks.tf', headText: blocks },
    ]);
    expectNotReviewed(result, 'deep-tuple.tf', /nests deeper than 200 levels \(line 2\)/);
    expectNotReviewed(result, 'deep-blocks.tf', /nests deeper than 200 levels \(line 201\)/);
    expectHealthyReviewed(result);
    // Go's wasm runtime dies on a stack overflow; the guard keeps it from ever seeing one.
    expectHealthyReviewed(await reviewWith([]));
  });

  it('an unterminated string and an unterminated heredoc are parse errors', async () => {
    const result = await reviewWith([
      { path: 'open-string.tf', headText: 'resource "aws_s3_bucket" "b" {\n  bucket = "x\n}\n' },
      { path: 'open-heredoc.tf', headText: 'resource "aws_s3_bucket" "b" {\n  policy = <<EOF\n{}\n}\n' },
    ]);
    expect(parseErrorsOf(result, 'open-string.tf')).toHaveLength(1);
    expect(parseErrorsOf(result, 'open-heredoc.tf')).toHaveLength(1);
    expectHealthyReviewed(result);
  });

  it('a .tf that holds JSON says to name it .tf.json', async () => {
    const json = JSON.stringify({ resource: { aws_s3_bucket: { b: { bucket: 'x' } } } }, null, 2);
    const result = await reviewWith([{ path: 'main.tf', headText: json }]);
    const [error] = parseErrorsOf(result, 'main.tf');
    expect(error?.message).toMatch(/holds JSON, not HCL/);
    expect(error?.message).toContain('.tf.json');
    expectHealthyReviewed(result);
  });

  it('tabs for indentation are fine, and a fix inserted into a tab-indented block is indented with tabs', async () => {
    const text = HEALTHY_TF.replace(/^ {2}/gm, '\t').replace('\troot_access   = "Enabled"\n', '');
    const result = await reviewWith([{ path: 'tabs.tf', headText: `${text}` }]);
    expect(parseErrorsOf(result, 'tabs.tf')).toEqual([]);
    const finding = result.findings.find((f) => f.file === 'tabs.tf' && f.ruleId === 'aws/sagemaker-notebook-root-access');
    expect(finding?.fix?.edits[0]?.replacement).toMatch(/\n\troot_access/);
  });
});

describe('hostile bytes and text', () => {
  it('binary content is not reviewed, not a parse error', async () => {
    const result = await reviewWith([{ path: 'model.yaml', headText: 'apiVersion: v1\0\0\u0001\u0002kind: Pod\n' }]);
    expectNotReviewed(result, 'model.yaml', /^binary content\./);
    expect(parseErrorsOf(result, 'model.yaml')).toEqual([]);
    expectHealthyReviewed(result);
  });

  it('a 10 MB file is not reviewed, with the limit named', async () => {
    const big = `# ${'x'.repeat(10 * 1024 * 1024)}\n`;
    const result = await reviewWith([{ path: 'huge.tf', headText: big }]);
    expectNotReviewed(result, 'huge.tf', /too large to review \(10\.0 MiB; the limit is 4\.0 MiB\)/);
    expectHealthyReviewed(result);
  });

  it('an empty file gets a note', async () => {
    const result = await reviewWith([
      { path: 'empty.yaml', headText: '' },
      { path: 'empty.tf', headText: '\n\n' },
    ]);
    expect(notesOf(result, 'empty.yaml')).toEqual(['empty file: nothing to review']);
    expect(notesOf(result, 'empty.tf')).toEqual(['empty file: nothing to review']);
    expectHealthyReviewed(result);
  });

  it('a BOM shifts nothing: same findings, same lines, same fixes', async () => {
    const plain = await review({ files: [{ path: 'a.yaml', headText: HEALTHY }, { path: 'a.tf', headText: HEALTHY_TF }], config: DEFAULT_CONFIG });
    const bom = await review({ files: [{ path: 'a.yaml', headText: `\uFEFF${HEALTHY}` }, { path: 'a.tf', headText: `\uFEFF${HEALTHY_TF}` }], config: DEFAULT_CONFIG });
    expect(bom.findings.length).toBeGreaterThan(1);
    expect(bom.findings).toEqual(plain.findings);
  });

  it('CRLF line endings: same lines, and fixes keep CRLF', async () => {
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    const lf = await review({ files: [{ path: 'a.yaml', headText: HEALTHY }, { path: 'a.tf', headText: HEALTHY_TF }], config: DEFAULT_CONFIG });
    const result = await review({ files: [{ path: 'a.yaml', headText: crlf(HEALTHY) }, { path: 'a.tf', headText: crlf(HEALTHY_TF) }], config: DEFAULT_CONFIG });
    expect(result.findings.map((f) => [f.ruleId, f.line, f.endLine])).toEqual(lf.findings.map((f) => [f.ruleId, f.line, f.endLine]));
    const withEdits = result.findings.filter((f) => f.fix && f.fix.edits.length > 0);
    expect(withEdits.length).toBeGreaterThan(0);
    for (const finding of withEdits) {
      const text = crlf(finding.file === 'a.yaml' ? HEALTHY : HEALTHY_TF);
      const fixed = applyEdits(text, finding.fix!.edits);
      expect(fixed, `${finding.ruleId}: no bare LF after the fix`).not.toMatch(/(^|[^\r])\n/);
      const again = await review({ files: [{ path: finding.file, headText: fixed }], config: DEFAULT_CONFIG });
      expect(again.findings.map((f) => f.fingerprint), `${finding.ruleId}: the fix clears it`).not.toContain(finding.fingerprint);
    }
  });
});
