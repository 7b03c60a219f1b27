// One commit, two pull requests into different base branches: GitHub keeps one `Warden` check per commit, and the
// run completed last answers for both. A clean review against one base must not lift the gate of the other.
import { describe, expect, test } from 'vitest';
import { baseMark } from '../../src/github/markers.js';
import { fakeGitHubPerTest, HEAD, makeProbot, pullRequestEvent } from './helpers.js';

const github = fakeGitHubPerTest();
// Pull request #1 (into `main`) failed on HEAD; pull request #2 (into `master`, the example payloads' base) is clean.
const FAILED_ON_MAIN = { id: 7, external_id: `warden:review:delivery-0@${baseMark('main')}`, status: 'completed', conclusion: 'failure', started_at: '2026-03-01T11:59:00Z' };
// Against its own base, pull request #2 changes no manifest (the branch it merges into holds the change already).
const CLEAN = [{ path: 'README.md', head: '# models\n' }];

describe('a commit that is the head of another pull request', () => {
  test('whose run against its base failed, still open: this run fails too, naming it', async () => {
    const fake = github({ files: CLEAN, existingRuns: [FAILED_ON_MAIN], otherPulls: [{ number: 1, head: HEAD, baseRef: 'main' }] });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: 'This commit fails Warden in pull request #1' } });
    expect((fake.checkRun.output as { summary: string }).summary).toContain('check run 7');
  });

  test('from a fork (GitHub associates its commit with no pull request of the repository): found among the open ones', async () => {
    const fake = github({ files: CLEAN, existingRuns: [FAILED_ON_MAIN], otherPulls: [{ number: 1, head: HEAD, baseRef: 'main', fork: true }] });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: 'This commit fails Warden in pull request #1' } });
  });

  test('closed, moved on to another commit, or passing since: this run passes', async () => {
    for (const [i, state] of [
      { existingRuns: [FAILED_ON_MAIN], otherPulls: [{ number: 1, head: HEAD, baseRef: 'main', state: 'closed' as const }] },
      { existingRuns: [FAILED_ON_MAIN], otherPulls: [{ number: 1, head: 'ab'.repeat(20), baseRef: 'main' }] },
      { existingRuns: [FAILED_ON_MAIN, { ...FAILED_ON_MAIN, id: 8, external_id: `warden:review:delivery-9@${baseMark('main')}`, conclusion: 'success' }], otherPulls: [{ number: 1, head: HEAD, baseRef: 'main' }] },
    ].entries()) {
      const fake = github({ files: CLEAN, ...state });
      await (await makeProbot()).receive(pullRequestEvent('opened', { delivery: `delivery-${i + 1}` }));
      expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
    }
  });

  test('whose run failed only for this pull request (its own review passed): this run passes, and answers for both', async () => {
    // The other run gave up waiting for this one (still working then): its failure says nothing of its own review.
    for (const [i, title] of ['This commit is still under review in pull request #2', 'This commit fails Warden in pull request #2'].entries()) {
      const fake = github({ files: CLEAN, existingRuns: [{ ...FAILED_ON_MAIN, output: { title } }], otherPulls: [{ number: 1, head: HEAD, baseRef: 'main' }] });
      await (await makeProbot()).receive(pullRequestEvent('opened', { delivery: `delivery-${i + 1}` }));
      expect(fake.checkRun, title).toMatchObject({ conclusion: 'success' });
    }
  });

  describe('whose run against its base is still working when this one would pass', () => {
    const WORKING_ON_MAIN = { ...FAILED_ON_MAIN, status: 'in_progress', conclusion: null };
    const NO_WAIT = { otherBaseWaitsMs: [0, 0, 0] };
    const otherPulls = [{ number: 1, head: HEAD, baseRef: 'main' }];

    test('waits for it: failing in the end, this run fails too', async () => {
      const fake = github({ files: CLEAN, runsAtListing: (n) => [n < 3 ? WORKING_ON_MAIN : FAILED_ON_MAIN], otherPulls });
      await (await makeProbot(NO_WAIT)).receive(pullRequestEvent('opened'));
      expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: 'This commit fails Warden in pull request #1' } });
    });

    test('waits for it: passing in the end, this run passes', async () => {
      const fake = github({ files: CLEAN, runsAtListing: (n) => [n < 3 ? WORKING_ON_MAIN : { ...FAILED_ON_MAIN, conclusion: 'success' }], otherPulls });
      await (await makeProbot(NO_WAIT)).receive(pullRequestEvent('opened'));
      expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
    });

    test('still working after every wait: this run fails, saying so, and does not wait longer', async () => {
      const fake = github({ files: CLEAN, runsAtListing: () => [WORKING_ON_MAIN], otherPulls });
      await (await makeProbot(NO_WAIT)).receive(pullRequestEvent('opened'));
      expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: 'This commit is still under review in pull request #1' } });
      // Once before the run, once before passing, and once after each wait.
      expect(fake.runListings).toBe(2 + NO_WAIT.otherBaseWaitsMs.length);
    });

    test('created after this one: not waited for (it completes later, and answers for the commit then), so two passing runs never wait on each other', async () => {
      // This run is created in progress at once (its id, 100, is the fake's first); the other's is newer.
      const fake = github({ files: CLEAN, runsAtListing: () => [{ ...WORKING_ON_MAIN, id: 500 }], otherPulls });
      await (await makeProbot({ ...NO_WAIT, inProgressAfterMs: 0 })).receive(pullRequestEvent('opened'));
      expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
      expect(fake.runListings).toBe(2);
    });
  });
});
