// A file over the time limit is not reviewed and fails the gate (it used to be a note beside a passing check).
// Its own file: the limit is read from the environment when the process's pool starts.
import { afterAll, expect, it } from 'vitest';
import { closeSharedPool } from '../../src/worker/pool.js';
import { expectHealthyReviewed, expectNotReviewed, reviewWith } from './helpers.js';

process.env.WARDEN_FILE_TIME_LIMIT_MS = '1000';
afterAll(async () => {
  delete process.env.WARDEN_FILE_TIME_LIMIT_MS;
  await closeSharedPool();
});

it('a file that takes longer than the time limit is warden/not-reviewed, and the rest is reviewed', async () => {
  // A 600 KB heredoc: under the HCL size limit, seconds to parse (hcl2json is superlinear on heredocs).
  const slow = `locals {\n  blob = <<EOT\n${`${'x'.repeat(79)}\n`.repeat(7500)}EOT\n}\n`;
  const result = await reviewWith([{ path: 'tf/slow.tf', headText: slow }]);
  expectNotReviewed(result, 'tf/slow.tf', /^it took longer than 1 s, the limit for one file\./);
  expect(result.errors).toEqual([]);
  expectHealthyReviewed(result);
}, 60_000);
