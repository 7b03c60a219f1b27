// New pushes, redeliveries, re-runs and drafts: no duplicate comment, fixed threads answered and resolved.
import { describe, expect, test } from 'vitest';
import type { FakeGitHub, FakeThread } from './fake-github.js';
import { checkRunRerequestedEvent, fakeGitHubPerTest, HEAD, ON_MASTER, makeProbot, pullRequestEvent } from './helpers.js';
import { deployment, HARDENED, twoContainers } from './manifests.js';
import { baseMark } from '../../src/github/markers.js';

const HEAD2 = '1111111111111111111111111111111111111111';
const NEWER = '2222222222222222222222222222222222222222';

const github = fakeGitHubPerTest();

/** The threads GitHub would hold after a review: one per inline comment, authored by the App. */
function threadsOf(fake: FakeGitHub): FakeThread[] {
  return fake.reviews.flatMap((r) => (r.comments as { path: string; body: string }[]).map((c, i) => ({ id: `PRRT_${i + 1}`, path: c.path, body: c.body })));
}

const FIXED = 'privileged: false';
const BAD = 'privileged: true';
const base = twoContainers(FIXED, FIXED);

describe('a second push', () => {
  test('with one finding fixed and one unchanged: no duplicate comment, one thread answered and resolved', async () => {
    const first = github({ files: [{ path: 'k8s/serving.yaml', base, head: twoContainers(BAD, BAD) }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    const posted = first.reviews[0]!.comments as { path: string; line: number; body: string }[];
    expect(posted.map((c) => c.line)).toEqual([13, 19]);

    const second = github({
      headSha: HEAD2,
      files: [{ path: 'k8s/serving.yaml', base, head: twoContainers(FIXED, BAD) }],
      threads: threadsOf(first),
    });
    await probot.receive(pullRequestEvent('synchronize', { head: HEAD2, delivery: 'delivery-2' }));

    // The sidecar's finding was commented on already: no second review at all.
    expect(second.reviews).toEqual([]);
    expect(second.mutations).toEqual([
      {
        query: expect.stringContaining('reply0: addPullRequestReviewThreadReply(input: { pullRequestReviewThreadId: $t0, body: $b0 })'),
        variables: { t0: 'PRRT_1', b0: `Fixed in ${HEAD2}: Warden no longer finds this.` },
      },
    ]);
    expect(second.mutations[0]!.query).toContain('resolve0: resolveReviewThread(input: { threadId: $t0 })');
    const check = second.checkRun;
    expect(check).toMatchObject({ head_sha: HEAD2, status: 'completed', conclusion: 'failure', output: { title: '1 finding at or above high' } });
  });

  test('a finding now suppressed with a reason: its thread says so and is resolved', async () => {
    const first = github({ files: [{ path: 'k8s/triton.yaml', head: deployment('triton', HARDENED.replace('privileged: false', BAD)) }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(first.reviews).toHaveLength(1);

    const suppressed = deployment('triton', `# warden:ignore k8s/privileged -- GPU driver installer, reviewed in SEC-42\n            ${HARDENED.replace('privileged: false', BAD)}`);
    const second = github({ headSha: HEAD2, files: [{ path: 'k8s/triton.yaml', head: suppressed }], threads: threadsOf(first) });
    await probot.receive(pullRequestEvent('synchronize', { head: HEAD2, delivery: 'delivery-2' }));
    // The suppression is this pull request's own (`suppressions.in_pull_request: report`, the default): its line gets a comment.
    expect(second.reviews).toHaveLength(1);
    const [comment] = (second.reviews[0] as { comments: { path: string; line: number; body: string }[] }).comments;
    expect(comment).toMatchObject({ path: 'k8s/triton.yaml', line: 14 });
    expect(comment!.body).toContain('`k8s/privileged`');
    expect(comment!.body).toContain('Reason given: GPU driver installer, reviewed in SEC-42');
    expect(second.mutations.map((m) => m.variables)).toEqual([{ t0: 'PRRT_1', b0: `Suppressed in ${HEAD2}: GPU driver installer, reviewed in SEC-42` }]);
    expect(second.checkRun).toMatchObject({ conclusion: 'success' });
  });

  test('threads someone else started with a pasted marker are left alone', async () => {
    const first = github({ files: [{ path: 'k8s/serving.yaml', base, head: twoContainers(BAD, BAD) }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    const second = github({
      headSha: HEAD2,
      files: [{ path: 'k8s/serving.yaml', base, head: twoContainers(FIXED, FIXED) }],
      threads: threadsOf(first).map((t) => ({ ...t, viewerDidAuthor: false })),
    });
    await probot.receive(pullRequestEvent('synchronize', { head: HEAD2, delivery: 'delivery-2' }));
    expect(second.mutations).toEqual([]);
  });

  test('when the head moved on during the run: no review, the check run completes neutral as superseded', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }], currentHead: NEWER });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.reviews).toEqual([]);
    expect(fake.mutations).toEqual([]);
    expect(fake.checkRunCreates).toEqual([
      {
        name: 'Warden',
        head_sha: HEAD,
        external_id: `warden:review:delivery-1@${ON_MASTER}`,
        status: 'completed',
        conclusion: 'neutral',
        completed_at: '2026-03-01T12:00:00Z',
        output: {
          title: 'Superseded by a newer commit',
          summary: `The pull request moved on to ${NEWER} while Warden reviewed ${HEAD}; the newer commit gets its own run.`,
        },
      },
    ]);
  });
});

describe('redelivery and re-runs', () => {
  test('a redelivered webhook (same x-github-delivery) writes nothing', async () => {
    const fake = github({
      files: [{ path: 'k8s/triton.yaml', head: deployment() }],
      existingRuns: [{ id: 7, external_id: 'warden:review:delivery-1', status: 'completed', conclusion: 'failure', started_at: '2026-03-01T11:59:00Z' }],
    });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened', { delivery: 'delivery-1' }));
    expect(fake.allWrites).toEqual([]);
    expect(fake.count('GET', /\/pulls\/2\/files$/)).toBe(0);
  });

  test('reopened at a head Warden already reviewed: nothing is posted again', async () => {
    const fake = github({
      files: [{ path: 'k8s/triton.yaml', head: deployment() }],
      existingRuns: [{ id: 7, external_id: 'warden:review:delivery-1', status: 'completed', conclusion: 'failure', started_at: '2026-03-01T11:59:00Z' }],
    });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('reopened', { delivery: 'delivery-9' }));
    expect(fake.allWrites).toEqual([]);
  });

  test('a second delivery while a run is still in progress for the SHA does not start another review', async () => {
    const fake = github({
      files: [{ path: 'k8s/triton.yaml', head: deployment() }],
      existingRuns: [{ id: 7, external_id: 'warden:review:delivery-1', status: 'in_progress', conclusion: null, started_at: '2026-03-01T11:59:00Z' }],
    });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('synchronize', { delivery: 'delivery-2' }));
    expect(fake.allWrites).toEqual([]);
  });

  test('check_run.rerequested re-runs the SHA: a new check run, no duplicate comment', async () => {
    const first = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    const rerun = github({
      files: [{ path: 'k8s/triton.yaml', head: deployment() }],
      threads: threadsOf(first),
      existingRuns: [{ id: 100, external_id: 'warden:review:delivery-1', status: 'completed', conclusion: 'failure', started_at: '2026-03-01T11:59:00Z' }],
    });
    await probot.receive(checkRunRerequestedEvent());
    // The check run's payload lists no pull request (as for forks): found through the commit.
    expect(rerun.count('GET', /\/commits\/[0-9a-f]+\/pulls$/)).toBe(1);
    expect(rerun.reviews).toEqual([]);
    expect(rerun.checkRunCreates).toHaveLength(1);
    expect(rerun.checkRun).toMatchObject({ external_id: `warden:review:delivery-rerun@${ON_MASTER}`, conclusion: 'failure' });
  });
});

describe('a pull request moved to another base branch', () => {
  const movedFrom = { base: { ref: { from: 'develop' }, sha: { from: 'c'.repeat(40) } } };
  const reviewedAgainstDevelop = [{ id: 7, external_id: 'warden:review:delivery-1', status: 'completed', conclusion: 'success', started_at: '2026-03-01T11:59:00Z' }];

  test('is reviewed again on the same commit, against the new base: the earlier run does not stand in for it', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }], existingRuns: reviewedAgainstDevelop });
    const probot = await makeProbot();
    // The same commit, delivered again for another reason, is not reviewed again.
    await probot.receive(pullRequestEvent('reopened', { delivery: 'delivery-2' }));
    expect(fake.allWrites).toEqual([]);
    await probot.receive(pullRequestEvent('edited', { delivery: 'delivery-3', changes: movedFrom }));
    expect(fake.checkRun).toMatchObject({ head_sha: HEAD, external_id: `warden:review:delivery-3@${ON_MASTER}`, conclusion: 'failure' });
  });

  test('a commit reviewed against another base, pushed again after the move, is reviewed against this one', async () => {
    const earlier = (base: string) => [{ id: 7, external_id: `warden:review:delivery-1@${base}`, status: 'completed', conclusion: 'success', started_at: '2026-03-01T11:59:00Z' }];
    const against = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }], existingRuns: earlier(baseMark('scratch')) });
    await (await makeProbot()).receive(pullRequestEvent('synchronize', { delivery: 'delivery-2' }));
    expect(against.checkRun).toMatchObject({ external_id: `warden:review:delivery-2@${ON_MASTER}`, conclusion: 'failure' });
    // Reviewed against this base already: not again.
    const same = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }], existingRuns: earlier(ON_MASTER) });
    await (await makeProbot()).receive(pullRequestEvent('synchronize', { delivery: 'delivery-2' }));
    expect(same.allWrites).toEqual([]);
  });

  test('an edit of its title or body changes nothing Warden reviews: no run', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
    await (await makeProbot()).receive(pullRequestEvent('edited', { changes: { title: { from: 'WIP' } } }));
    expect(fake.allWrites).toEqual([]);
    expect(fake.requests.filter((r) => !r.path.endsWith('/access_tokens'))).toEqual([]);
  });

  test('moved again while Warden reviewed: the review of the old base does not pass in place of the new one', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment('triton', FIXED) }], currentBaseRef: 'release' });
    await (await makeProbot()).receive(pullRequestEvent('edited', { changes: movedFrom }));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: 'Superseded: the pull request moved to another base branch' } });
    expect(fake.reviews).toEqual([]);
  });
});

describe('drafts and slow runs', () => {
  test('a draft gets the check run only; ready_for_review then posts the review', async () => {
    const draft = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }], draft: true });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened', { draft: true }));
    expect(draft.reviews).toEqual([]);
    expect(draft.checkRunCreates).toEqual([expect.objectContaining({ external_id: `warden:check:delivery-1@${ON_MASTER}`, conclusion: 'failure' })]);

    const ready = github({
      files: [{ path: 'k8s/triton.yaml', head: deployment() }],
      existingRuns: [{ id: 100, external_id: 'warden:check:delivery-1', status: 'completed', conclusion: 'failure', started_at: '2026-03-01T11:59:00Z' }],
    });
    await probot.receive(pullRequestEvent('ready_for_review', { delivery: 'delivery-2' }));
    expect(ready.reviews).toHaveLength(1);
    expect(ready.checkRunCreates).toEqual([expect.objectContaining({ external_id: `warden:review:delivery-2@${ON_MASTER}` })]);
  });

  test('a run that takes longer shows in_progress first, then completes the same run', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
    const probot = await makeProbot({ inProgressAfterMs: 0 });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRunCreates).toEqual([
      { name: 'Warden', head_sha: HEAD, external_id: `warden:review:delivery-1@${ON_MASTER}`, status: 'in_progress', started_at: '2026-03-01T12:00:00Z' },
    ]);
    expect(fake.checkRunUpdates).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'failure', completed_at: '2026-03-01T12:00:00Z' })]);
    const order = fake.allWrites.map((w) => `${w.method} ${w.path.replace(/.*\/repos\/[^/]+\/[^/]+/, '')}`);
    expect(order).toEqual(['POST /check-runs', 'POST /pulls/2/reviews', 'PATCH /check-runs/100']);
  });
});
