// Worker pools a test file starts, all closed once its tests are done (an open pool keeps the run alive).
import { afterAll } from 'vitest';
import { ScanPool, type PoolOptions } from '../../src/worker/pool.js';

/** A maker of pools for this test file: each one it makes is closed after the file's tests. */
export function closingPools(): (options?: PoolOptions) => ScanPool {
  const pools: ScanPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });
  return (options) => {
    const made = new ScanPool(options);
    pools.push(made);
    return made;
  };
}
