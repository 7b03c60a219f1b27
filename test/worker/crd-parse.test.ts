// A file is judged the same whatever the pool's size: Warden's own rules leave CustomResourceDefinitions unparsed in
// a worker and in this thread alike (a line inside one that does not parse is not reported by either), and rules
// made elsewhere, which may read them, have them parsed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { defineRule } from '../../src/engine/define-rule.js';
import { scanFilesPooled } from '../../src/worker/pooled.js';
import { RULES } from '../../rules/index.js';

const config = resolveConfig({});
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: triton\n  namespace: serving\nspec:\n  selector:\n    app: triton\n  ports:\n  - port: 80\n';
const BROKEN_CRD = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: models.example.com\nspec:\n  group: example.com\n  names: {kind: Model\n';
const files = [{ path: 'k8s/bundle.yaml', text: `${SERVICE}---\n${BROKEN_CRD}` }];

afterEach(() => {
  vi.unstubAllEnvs();
});

const judged = (result: Awaited<ReturnType<typeof scanFilesPooled>>) => ({ findings: result.findings.map((f) => `${f.ruleId}@${f.line}`).sort(), errors: result.files.map((f) => f.errors.length) });

describe('CustomResourceDefinitions and the pool', () => {
  it("with Warden's rules: the same findings in a worker and in this thread, the CRD left unparsed by both", async () => {
    const inPool = judged(await scanFilesPooled(files, { config, rules: RULES }));
    vi.stubEnv('WARDEN_WORKERS', '0');
    const inThread = judged(await scanFilesPooled(files, { config, rules: RULES }));
    expect(inThread).toEqual(inPool);
    expect(inThread.errors).toEqual([0]);
    expect(inThread.findings.some((f) => f.startsWith('warden/parse-error'))).toBe(false);
  });

  it('with a rule made elsewhere (it may read CRDs): parsed, and the line that does not parse reported', async () => {
    const crdNamed = defineRule({
      id: 'test/crd-named',
      severity: 'low',
      title: 'a CRD',
      fixable: false,
      scope: 'resource',
      kinds: ['CustomResourceDefinition'],
      docs: { why: 'w', fix: 'f' },
      references: {},
      messages: { here: 'a CRD' },
      check: (_target, ctx) => ctx.report({ message: 'here' }),
    });
    const result = await scanFilesPooled(files, { config, rules: [...RULES, crdNamed] });
    expect(result.files.map((f) => f.errors.length)).toEqual([1]);
    expect(result.findings.some((f) => f.ruleId === 'warden/parse-error')).toBe(true);
  });
});
