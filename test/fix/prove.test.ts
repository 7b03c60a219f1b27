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
import { keptLines, proveText, type Proof } from '../../src/worker/prove-task.js';
import type { Finding } from '../../src/model.js';
import { groupCandidate, groupFindings, offeredEdit, proofKey, provenBefore, renderedEdit } from '../../src/engine/fix-groups.js';
import { parseFile } from '../../src/formats/index.js';
import { renderFix } from '../../src/engine/render-fix.js';
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

  it('are made where a file is evaluated, as planning asks: planning takes them, and the group edits, for exactly what they cover', async () => {
    // A Deployment with several findings whose fixes touch one block: one group, rendered and proven in the worker.
    const text = HARDENED.replace(/ {10}allowPrivilegeEscalation: false\n/, '').replace(/ {10}readOnlyRootFilesystem: true\n/, '');
    const { findings } = await pool.scan([{ path: PATH, text, proveFixes: true }], { config: DEFAULT_CONFIG, ruleIds: RULES.map((r) => r.id), repository: EMPTY_REPOSITORY });
    // Nothing the workers worked out reaches the findings themselves.
    expect(findings.every((f) => f.fix?.rendered === undefined && f.fix?.proof === undefined)).toBe(true);
    const open = findings.filter((f) => f.fix && !f.suppressed);
    const groups = groupFindings(open);
    const group = groups.find((g) => g.length > 1)!;
    expect(group).toBeDefined();
    const rendered = renderedEdit(group);
    expect(rendered).toBeTruthy();
    // The same edit planning would render itself, in this thread.
    expect(rendered).toEqual(await renderOpsInThread(text, group));
    // The proof covers every candidate of the file: the fixed text clears them all.
    const edits = groups.map((g) => (g.length > 1 ? renderedEdit(g)! : offeredEdit(g[0]!))).filter((e): e is NonNullable<typeof e> => e !== null);
    const members = groups.filter((g) => g.length > 1 || offeredEdit(g[0]!)).flat();
    const key = proofKey(edits, members.map((f) => f.fingerprint));
    expect(provenBefore(members, key)).toBe(true);
    expect(await proveText({ path: PATH, text: applyEdits(text, edits), fingerprints: members.map((f) => f.fingerprint) }, options)).toBe(true);
    // Anything else was not proven there: planning proves it.
    expect(provenBefore(members, proofKey(edits.slice(1), members.map((f) => f.fingerprint)))).toBeUndefined();
    expect(renderedEdit(group.slice(1))).toBeUndefined();
  });

  it('parse what their edits wrote and their findings\' resources, moved along by the edits above them', () => {
    const finding = (startLine: number, endLine: number) => ({ resourceRange: { startLine, endLine } }) as Finding;
    // Lines 3-4 become five lines (+3), line 10 is replaced by one line.
    const edits = [
      { file: PATH, startLine: 3, endLine: 4, replacement: 'a\nb\nc\nd\ne' },
      { file: PATH, startLine: 10, endLine: 10, replacement: 'x' },
    ];
    const keeps = keptLines(edits, [finding(20, 25)])!;
    expect(keeps(3, 7)).toBe(true); // the first edit's lines, as written
    expect(keeps(8, 12)).toBe(false); // between the edits: lines 5-9 before, moved by 3
    expect(keeps(13, 13)).toBe(true); // the second edit, at line 10 + 3
    expect(keeps(14, 22)).toBe(false);
    expect(keeps(23, 23)).toBe(true); // the finding's resource: 20-25, moved by 3
    expect(keeps(29, 40)).toBe(false);
    // A finding without lines of its own in the file: every document is parsed.
    expect(keptLines(edits, [{} as Finding])).toBeNull();
  });
});
/** A group's edit rendered here, as planning renders one the worker did not. */
async function renderOpsInThread(text: string, group: Parameters<typeof groupCandidate>[0]) {
  const candidate = groupCandidate(group);
  if (!candidate || !('ops' in candidate)) throw new Error('not a group of one resource');
  const parsed = (await parseFile(PATH, text))!;
  return renderFix(parsed.resources.find((r) => r.id === candidate.resource)!, parsed.text, candidate.ops)[0] ?? null;
}
