// A repository index crosses to a worker once: a job per chart, per composition or per proof names it after that,
// and the worker reuses what it built of it. A worker never takes a named index it does not hold for an empty one,
// and lets go of the one it holds once the pool has been idle a while.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Worker } from 'node:worker_threads';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../../src/engine/repository-index.js';
import type { RepositoryIndex } from '../../src/engine/repository.js';
import { ScanPool } from '../../src/worker/pool.js';
import { elided, forgetRepository, fromPlainRepository, toPlainRepository, type PlainRepository } from '../../src/worker/transfer.js';
import { RULES } from '../../rules/index.js';
import { deployment, POLICY } from './manifests.js';

const ALL = RULES.map((rule) => rule.id);
const pool = new ScanPool({ size: 1 });
afterAll(() => pool.close());

describe('the repository index, sent to a worker once', () => {
  it('is sent whole the first time and named after that; a scan sees it either way, and another index replaces it', async () => {
    const withPolicy = await buildRepositoryIndex(memoryReader({ 'k8s/policy.yaml': POLICY }), DEFAULT_CONFIG);
    const without: RepositoryIndex = { resources: [], complete: true };
    const sent = vi.spyOn(Worker.prototype, 'postMessage');
    const missing = async (repository: RepositoryIndex) => {
      const result = await pool.scan([{ path: 'k8s/app.yaml', text: deployment('triton') }], { config: DEFAULT_CONFIG, ruleIds: ALL, repository });
      return result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').length;
    };
    try {
      expect(await missing(withPolicy)).toBe(0);
      expect(await missing(withPolicy)).toBe(0);
      expect(await missing(without)).toBe(1);
      expect(await missing(withPolicy)).toBe(0);
      const repositories = sent.mock.calls.flatMap(([message]) => {
        const repository = (message as { repository?: PlainRepository }).repository;
        return repository ? [{ ref: repository.ref, whole: !repository.elided, resources: repository.resources.length }] : [];
      });
      const [a, b] = [toPlainRepository(withPolicy).ref, toPlainRepository(without).ref];
      expect(repositories).toEqual([
        { ref: a, whole: true, resources: 1 },
        { ref: a, whole: false, resources: 0 },
        { ref: b, whole: true, resources: 0 },
        { ref: a, whole: true, resources: 1 },
      ]);
    } finally {
      sent.mockRestore();
    }
  });

  it('is let go of once the pool has been idle a while, and sent whole again to the next job that needs it', async () => {
    const forgetful = new ScanPool({ size: 1, forgetRepositoryAfterMs: 20 });
    const withPolicy = await buildRepositoryIndex(memoryReader({ 'k8s/policy.yaml': POLICY }), DEFAULT_CONFIG);
    const sent = vi.spyOn(Worker.prototype, 'postMessage');
    const missing = async () => {
      const result = await forgetful.scan([{ path: 'k8s/app.yaml', text: deployment('triton') }], { config: DEFAULT_CONFIG, ruleIds: ALL, repository: withPolicy });
      return result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').length;
    };
    try {
      expect(await missing()).toBe(0);
      expect(await missing()).toBe(0); // at once: named
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await missing()).toBe(0); // after the pool was idle: sent whole again, and read as before
      const messages = sent.mock.calls.flatMap(([message]) => {
        const { type, repository } = message as { type: string; repository?: PlainRepository };
        return repository ? [repository.elided ? 'named' : 'whole'] : type === 'forget' ? ['forget'] : [];
      });
      expect(messages).toEqual(['whole', 'named', 'forget', 'whole']);
    } finally {
      sent.mockRestore();
      await forgetful.close();
    }
  });

  it('one plain copy per index, each named apart; a worker refuses an index named but never sent', () => {
    const one: RepositoryIndex = { resources: [], complete: true };
    const other: RepositoryIndex = { resources: [], complete: true };
    expect(toPlainRepository(one)).toBe(toPlainRepository(one));
    expect(toPlainRepository(one).ref).not.toBe(toPlainRepository(other).ref);
    expect(() => fromPlainRepository(elided(toPlainRepository(other)))).toThrow(/never sent/);
    const built = fromPlainRepository(toPlainRepository(other));
    expect(fromPlainRepository(elided(toPlainRepository(other)))).toBe(built);
    // Let go of (the pool idle a while): named again, it is refused as one never sent.
    forgetRepository();
    expect(() => fromPlainRepository(elided(toPlainRepository(other)))).toThrow(/never sent/);
  });
});
