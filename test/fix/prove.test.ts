// Fix proofs (src/worker/prove-task.ts): in the worker pool and in this thread alike, a file with an edit applied is
// proven only when it parses and the findings the edit must clear are gone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { EMPTY_REPOSITORY } from '../../src/engine/repository.js';
import { scanFiles } from '../../src/engine/run.js';
import { applyEdits } from '../../src/fixes.js';
import { ScanPool } from '../../src/worker/pool.js';
import { proveText, type Proof } from '../../src/worker/prove-task.js';
import { RULES } from '../../rules/index.js';

const HARDENED = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'hardened', 'deployment.yaml'), 'utf8');
const PRIVILEGED = HARDENED.replace('          allowPrivilegeEscalation: false\n', '          allowPrivilegeEscalation: false\n          privileged: true\n');
const PATH = 'deploy/serving.yaml';
const options = { config: DEFAULT_CONFIG, rules: RULES, repository: EMPTY_REPOSITORY };
const pool = new ScanPool({ size: 2 });
afterAll(() => pool.close());

async function privilegedFix() {
  const { findings } = await scanFiles([{ path: PATH, text: PRIVILEGED }], options);
  const finding = findings.find((f) => f.ruleId === 'k8s/privileged');
  expect(finding?.fix?.edits).toHaveLength(1);
  return { fingerprint: finding!.fingerprint, fixed: applyEdits(PRIVILEGED, finding!.fix!.edits) };
}

describe('fix proofs', () => {
  it('prove the applied fix, and refuse the unfixed file and one that no longer parses, in the pool as in this thread', async () => {
    const { fingerprint, fixed } = await privilegedFix();
    expect(PRIVILEGED).not.toBe(HARDENED);
    const proofs: Proof[] = [
      { path: PATH, text: fixed, fingerprints: [fingerprint] },
      { path: PATH, text: PRIVILEGED, fingerprints: [fingerprint] },
      { path: PATH, text: `${fixed}\n  broken: [unclosed\n`, fingerprints: [fingerprint] },
      // Only the finding's own rule runs: the same verdicts.
      { path: PATH, text: fixed, fingerprints: [fingerprint], ruleIds: ['k8s/privileged'] },
      { path: PATH, text: PRIVILEGED, fingerprints: [fingerprint], ruleIds: ['k8s/privileged'] },
    ];
    const expected = [true, false, false, true, false];
    expect(await pool.prove(proofs, { config: DEFAULT_CONFIG, ruleIds: RULES.map((r) => r.id), repository: EMPTY_REPOSITORY })).toEqual(expected);
    expect(await Promise.all(proofs.map((proof) => proveText(proof, options)))).toEqual(expected);
  });

  it('renders many groups of one file from one parse, each as rendering it alone would', async () => {
    const { findings } = await scanFiles([{ path: PATH, text: PRIVILEGED }], options);
    const withOps = findings.filter((f) => f.fix && f.fix.ops.length > 0);
    expect(withOps.length).toBeGreaterThan(0);
    const renders = withOps.map((f) => ({ path: PATH, text: PRIVILEGED, resource: f.resource, ops: f.fix!.ops }));
    const together = await pool.renderAll([...renders, { path: PATH, text: PRIVILEGED, resource: 'no such resource', ops: withOps[0]!.fix!.ops }]);
    const alone = await Promise.all(renders.map((r) => pool.render(r.path, r.text, r.resource, r.ops)));
    expect(together).toEqual([...alone, null]);
    expect(together.slice(0, -1).every((edit) => edit !== null)).toBe(true);
  });
});
