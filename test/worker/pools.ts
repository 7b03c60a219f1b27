// Worker pools a test file starts, all closed once its tests are done (an open pool keeps the run alive).
import { afterAll } from 'vitest';
import { closeSharedPool, ScanPool, type PoolOptions } from '../../src/worker/pool.js';

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

/**
 * Run `body` with the shared pool started afresh under a per-file time limit of `ms` (WARDEN_FILE_TIME_LIMIT_MS),
 * then close it and put the setting back as it was.
 */
export async function withSharedPoolTimeLimit(ms: number, body: () => Promise<void>): Promise<void> {
  const limit = process.env.WARDEN_FILE_TIME_LIMIT_MS;
  process.env.WARDEN_FILE_TIME_LIMIT_MS = String(ms);
  await closeSharedPool();
  try {
    await body();
  } finally {
    if (limit === undefined) delete process.env.WARDEN_FILE_TIME_LIMIT_MS;
    else process.env.WARDEN_FILE_TIME_LIMIT_MS = limit;
    await closeSharedPool();
  }
}
