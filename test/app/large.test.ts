// Large pull requests: files paginated, blobs read in batches, three writes, annotations capped at 50 (gating
// first), inline comments capped.
import nock from 'nock';
import { afterEach, expect, test } from 'vitest';
import privileged from '../../rules/k8s/privileged.js';
import { FakeGitHub } from './fake-github.js';
import { fakeState, makeProbot, pullRequestEvent, serveWithNock } from './helpers.js';
import { deployment } from './manifests.js';

let fake: FakeGitHub;
afterEach(() => {
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

test('a 250-file pull request: 3 pages of files, 3 blob queries, 3 writes (50 annotations with the completion), 25 comments in one review', async () => {
  const files = Array.from({ length: 250 }, (_, i) => ({ path: `k8s/model-${String(i).padStart(3, '0')}.yaml`, head: deployment(`model-${i}`) }));
  fake = new FakeGitHub(fakeState({ files }));
  serveWithNock(fake);
  const probot = await makeProbot({ rules: [privileged] });
  await probot.receive(pullRequestEvent('opened'));

  // Requests grow with files / 100, not with files or findings.
  const pages = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/pulls/2/files'));
  expect(pages).toHaveLength(3);
  expect(fake.blobQueries).toHaveLength(3);
  expect(fake.blobsAsked).toBe(250);
  expect(fake.count('GET', /\/git\/blobs\//)).toBe(0);
  // One listing of the repository: which kustomizations (none here) build the changed YAML files.
  expect(fake.count('GET', /\/git\/trees\//)).toBe(1);

  expect(fake.reviews).toHaveLength(1);
  const comments = fake.reviews[0]!.comments as { path: string }[];
  expect(comments).toHaveLength(25);
  expect(comments.map((c) => c.path)).toEqual(files.slice(0, 25).map((f) => f.path));
  expect(fake.reviews[0]!.body).toContain('225 more findings are in the check run only (at most 25 comments per review).');

  // Three writes: the run created in progress (it claims the pull request), the review, the completion.
  expect(fake.allWrites.filter((w) => !w.path.endsWith('/graphql')).map((w) => `${w.method} ${w.path.replace(/\d+$/, 'N')}`)).toEqual([
    'POST /repos/Codertocat/Hello-World/check-runs',
    'POST /repos/Codertocat/Hello-World/pulls/2/reviews',
    'PATCH /repos/Codertocat/Hello-World/check-runs/N',
  ]);
  expect(fake.checkRunCreates).toEqual([expect.objectContaining({ status: 'in_progress' })]);
  expect(fake.checkRunUpdates.map((b) => (b.output as { annotations?: unknown[] }).annotations?.length)).toEqual([50]);
  expect(fake.checkRun).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '250 findings at or above high' } });
  const summary = (fake.checkRun.output as { summary: string }).summary;
  expect(summary.length).toBeLessThanOrEqual(65535);
  // The table keeps as many rows as GitHub's 65,535 characters allow and counts the rest.
  const rows = summary.match(/^\| \*\*gates\*\* \| critical \|/gm)!.length;
  const omitted = Number(/_…and (\d+) more findings/.exec(summary)?.[1] ?? 0);
  expect(rows).toBeGreaterThan(150);
  expect(rows + omitted).toBe(250);
  expect(summary).toContain('250 files, 250 resources reviewed');
});

test('annotations: at most 50, those that gate first, whatever their place in the pull request', async () => {
  // 40 files with a medium finding (not gating at `gate: high`) sort before 20 with critical and high ones.
  const files = [
    ...Array.from({ length: 40 }, (_, i) => ({ path: `a/low-${String(i).padStart(2, '0')}.yaml`, head: deployment(`low-${i}`, 'privileged: false\n            runAsNonRoot: true') })),
    ...Array.from({ length: 20 }, (_, i) => ({ path: `z/bad-${String(i).padStart(2, '0')}.yaml`, head: deployment(`bad-${i}`) })),
  ];
  fake = new FakeGitHub(fakeState({ files }));
  serveWithNock(fake);
  await (await makeProbot()).receive(pullRequestEvent('opened'));
  const annotations = (fake.checkRun.output as { annotations: { path: string; annotation_level: string; title: string }[] }).annotations;
  expect(annotations).toHaveLength(50);
  // All 40 gating findings (20 critical, 20 high), then the most severe of the rest.
  expect(annotations.slice(0, 40).every((a) => a.annotation_level === 'failure' && a.path.startsWith('z/'))).toBe(true);
  expect(annotations.filter((a) => a.title.startsWith('k8s/privileged (critical)'))).toHaveLength(20);
  expect(annotations.slice(40).every((a) => a.annotation_level === 'warning')).toBe(true);
  // The summary still lists every finding, those left out of the annotations too.
  const summary = (fake.checkRun.output as { summary: string }).summary;
  expect(summary).toContain('60 files, 60 resources reviewed');
  for (const f of files) expect(summary).toContain(f.path);
});
