// No pattern on pull-request text without a linear bound: inputs that made backtracking patterns slow.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { wildcardMatch, sensitiveAction } from '../../src/engine/terraform/iam.js';
import { scanFiles } from '../../src/engine/run.js';
import { RULES } from '../../rules/index.js';

describe('wildcardMatch', () => {
  it.each([
    ['get*', 'getobject', true],
    ['*object', 'getobject', true],
    ['g*t*j*', 'getobject', true],
    ['get', 'getobject', false],
    ['*', '', true],
    ['a*b', 'ab', true],
    ['a*b', 'ba', false],
  ])('%s ~ %s: %s', (pattern, text, expected) => {
    expect(wildcardMatch(pattern, text)).toBe(expected);
  });

  it('an IAM action of many stars is judged at once (a regular expression backtracked exponentially)', () => {
    const started = performance.now();
    expect(sensitiveAction(`s3:${'*a'.repeat(40)}*z`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('fixes on lines padded with blanks', () => {
  it('a YAML value followed by 100,000 spaces and an HCL attribute followed by as many: rendered at once', async () => {
    const pad = ' '.repeat(100_000);
    const yaml = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: m\nspec:\n  containers:\n    - name: a\n      image: a:1\n      securityContext: {}${pad}\n`;
    const hcl = `resource "aws_sagemaker_notebook_instance" "nb" {\n  name          = "nb"\n  role_arn      = "r"\n  instance_type = "ml.t3.medium"\n  root_access   = "Enabled"${pad}\n}\n`;
    const started = performance.now();
    const result = await scanFiles([{ path: 'p.yaml', text: yaml }, { path: 'nb.tf', text: hcl }], { config: DEFAULT_CONFIG, rules: RULES });
    const rendered = (file: string) => result.findings.filter((f) => f.file === file && (f.fix?.edits.length ?? 0) > 0).length;
    expect([rendered('p.yaml') > 0, rendered('nb.tf') > 0]).toEqual([true, true]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
