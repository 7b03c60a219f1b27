// Kustomize composition in the worker pool: the same review as in this thread, files read through the main
// thread (those waits not counted against the time limit), and a composition over the limit fails closed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { reviewComposition, type CompositionRequest } from '../../src/composed-review.js';
import { EMPTY_REPOSITORY } from '../../src/engine/repository.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { closingPools, withSharedPoolTimeLimit } from '../worker/pools.js';
import { RULES } from '../../rules/index.js';
import { HARDENED_DEPLOYMENT, envPatch } from './helpers.js';

const ALL = RULES.map((rule) => rule.id);
const pool = closingPools();

const PRIVILEGED_PATCH = envPatch('        securityContext:\n          privileged: true\n');
const LAYOUT: Record<string, string> = {
  'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'serving/base/deployment.yaml': HARDENED_DEPLOYMENT,
  'serving/overlays/prod/kustomization.yaml': 'namespace: models\nresources:\n- ../../base\npatches:\n- path: patch.yaml\n',
  'serving/overlays/prod/patch.yaml': PRIVILEGED_PATCH,
};

function request(files: Record<string, string>, changed: string[]): CompositionRequest {
  return { paths: Object.keys(files), changed: changed.map((path) => ({ path, headText: files[path]!, baseText: null, lines: null })), hasBase: false };
}

describe('composition in the worker pool', () => {
  it('gives the same review as composing in this thread, reading every file through the main thread', async () => {
    const asked: string[] = [];
    const read = async (path: string) => (asked.push(path), LAYOUT[path] ?? null);
    const options = { config: DEFAULT_CONFIG, rules: RULES, repository: EMPTY_REPOSITORY };
    const inThread = await reviewComposition(request(LAYOUT, ['serving/overlays/prod/patch.yaml']), async (path) => LAYOUT[path] ?? null, options);
    const pooled = await pool({ size: 1 }).compose(request(LAYOUT, ['serving/overlays/prod/patch.yaml']), read, { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(pooled.failed).toBeUndefined();
    expect(pooled).toEqual(inThread);
    expect(pooled.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toContain('serving/overlays/prod/patch.yaml:14 k8s/privileged');
    // The changed file came with the request; the others were asked of this thread.
    expect(asked).toContain('serving/base/deployment.yaml');
    expect(asked).not.toContain('serving/overlays/prod/patch.yaml');
  });

  it('starts as soon as a worker finishes its file, not once a large scan\'s queue has drained', async () => {
    const one = pool({ size: 1 });
    const files = Array.from({ length: 400 }, (_, i) => ({ path: `k/m${i}.yaml`, text: HARDENED_DEPLOYMENT.replace('name: triton', `name: m${i}`) }));
    const done: string[] = [];
    const scan = one.scan(files, { config: DEFAULT_CONFIG, ruleIds: ALL }).then(() => done.push('scan'));
    // Once the worker is busy with the scan, fed one file behind another.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const composed = one.compose(request(LAYOUT, ['serving/overlays/prod/patch.yaml']), async (path) => LAYOUT[path] ?? null, { config: DEFAULT_CONFIG, ruleIds: ALL }).then(() => done.push('compose'));
    await Promise.all([scan, composed]);
    expect(done).toEqual(['compose', 'scan']);
  });

  it('does not count the waits for its reads against the time limit', async () => {
    // A chain of four kustomizations: reads one after another, together far slower than the whole limit.
    const files: Record<string, string> = { 'k0/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'k0/deployment.yaml': HARDENED_DEPLOYMENT };
    for (let i = 1; i < 4; i++) files[`k${i}/kustomization.yaml`] = `resources:\n- ../k${i - 1}\n`;
    const slowly = (path: string) => new Promise<string | null>((resolve) => setTimeout(() => resolve(files[path] ?? null), 600));
    const limited = pool({ size: 1, fileTimeLimitMs: 1000 });
    const result = await limited.compose(request(files, ['k0/deployment.yaml']), slowly, { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(result.failed).toBeUndefined();
    expect(result.consumed).toEqual(['k0/deployment.yaml']);
    expect(limited.replaced).toBe(0);
  });

  it('bounds each step (the plan, each batch of roots) by the time limit, not the whole composition', { timeout: 120_000 }, async () => {
    // 1,000 roots, each its own base and a patch making its container privileged, composed at head and at base: the
    // plan and ten batches of 0.2-0.6 s each here (the first ones slower, the worker's code not yet optimised), ~3.2 s
    // in all. A limit of 1.6 s leaves each step a margin of almost three, and the whole is twice past it.
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) {
      files[`t${i}/base/kustomization.yaml`] = 'resources:\n- deployment.yaml\n';
      files[`t${i}/base/deployment.yaml`] = HARDENED_DEPLOYMENT.replace('name: triton', `name: triton-${i}`);
      files[`t${i}/overlay/kustomization.yaml`] = `namespace: n${i}\nresources:\n- ../base\npatches:\n- path: patch.yaml\n`;
      files[`t${i}/overlay/patch.yaml`] = PRIVILEGED_PATCH.replace('name: triton', `name: triton-${i}`);
    }
    const limited = pool({ size: 1, fileTimeLimitMs: 1600 });
    const changed = Object.keys(files).map((path) => ({ path, headText: files[path]!, baseText: files[path]!, lines: null }));
    const result = await limited.compose({ paths: Object.keys(files), changed, hasBase: true }, async () => null, { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(result.failed).toBeUndefined();
    expect(result.findings.filter((f) => f.ruleId === 'k8s/privileged')).toHaveLength(1000);
    expect(limited.replaced).toBe(0);
  });

  it('over the time limit: the worker is replaced and the composition says why it did not finish', async () => {
    const files: Record<string, string> = { ...LAYOUT };
    for (let i = 0; i < 10_000; i++) files[`fan/o${i}/kustomization.yaml`] = `namespace: n${i}\nresources:\n- ../../serving/base\n`;
    const limited = pool({ size: 1, fileTimeLimitMs: 50 });
    const result = await limited.compose(request(files, ['serving/base/deployment.yaml']), async (path) => files[path] ?? null, { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(result.failed).toMatch(/took longer than 0.05 s/);
    expect(result.findings).toEqual([]);
    expect(limited.replaced).toBe(1);
  });
});

describe('a review whose composition does not finish', () => {
  it('fails closed for the changed files a kustomization may own; a file outside every kustomization is still reviewed', async () => {
    const files: Record<string, string> = { ...LAYOUT, 'other/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: x\n' };
    for (let i = 0; i < 10_000; i++) files[`fan/o${i}/kustomization.yaml`] = `namespace: n${i}\nresources:\n- ../../serving/base\n`;
    // The composition's first step, reading the fan-out's 5,000 kustomizations to plan it, takes ~400 ms here; the
    // other files' tasks take a few ms. 150 ms leaves both sides a margin of almost three on a loaded machine (a reply
    // the busy main thread has not taken yet is taken before a time-out counts, src/worker/scheduler.ts expire; a
    // worker slowed by other tenants is not).
    await withSharedPoolTimeLimit(150, async () => {
      const changed = ['serving/overlays/prod/patch.yaml', 'other/configmap.yaml'];
      const result = await review({ files: changed.map((path) => ({ path, headText: files[path]!, patch: undefined })), config: DEFAULT_CONFIG, reader: memoryReader(files) });
      const notReviewed = result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');
      expect(notReviewed.map((f) => f.file)).toEqual(['serving/overlays/prod/patch.yaml']);
      expect(notReviewed[0]!.message).toContain('Kustomize composition of this change did not finish');
    });
  });
});
