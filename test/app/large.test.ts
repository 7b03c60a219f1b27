// A 250-file pull request: files paginated, annotations sent 50 at a time, inline comments capped.
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

test('a 250-file pull request: 3 pages of files, 250 annotations in 5 requests of 50, 25 comments in one review', async () => {
  const files = Array.from({ length: 250 }, (_, i) => ({ path: `k8s/model-${String(i).padStart(3, '0')}.yaml`, head: deployment(`model-${i}`) }));
  fake = new FakeGitHub(fakeState({ files }));
  serveWithNock(fake);
  const probot = await makeProbot({ rules: [privileged] });
  await probot.receive(pullRequestEvent('opened'));

  // Requests grow with files / page size, not with findings.
  const pages = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/pulls/2/files'));
  expect(pages).toHaveLength(3);
  expect(fake.count('GET', /\/git\/blobs\//)).toBe(250);
  // One listing of the repository: which kustomizations (none here) build the changed YAML files.
  expect(fake.count('GET', /\/git\/trees\//)).toBe(1);

  expect(fake.reviews).toHaveLength(1);
  const comments = fake.reviews[0]!.comments as { path: string }[];
  expect(comments).toHaveLength(25);
  expect(comments.map((c) => c.path)).toEqual(files.slice(0, 25).map((f) => f.path));
  expect(fake.reviews[0]!.body).toContain('225 more findings are in the check run only (at most 25 comments per review).');

  // Created in progress before the review (the run claims the pull request), then completed with the first
  // batch of annotations; later batches only add annotations: the conclusion is set once.
  expect(fake.checkRunCreates).toEqual([expect.objectContaining({ status: 'in_progress' })]);
  const batches = fake.checkRunUpdates.map((b) => (b.output as { annotations?: unknown[] }).annotations?.length ?? 0);
  expect(batches).toEqual([50, 50, 50, 50, 50]);
  expect(fake.checkRun).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '250 findings at or above high' } });
  for (const update of fake.checkRunUpdates.slice(1)) expect(Object.keys(update).sort()).toEqual(['output']);
  const summary = (fake.checkRun.output as { summary: string }).summary;
  expect(summary.length).toBeLessThanOrEqual(65535);
  // The table keeps as many rows as GitHub's 65,535 characters allow and counts the rest.
  const rows = summary.match(/^\| \d+ \| critical \|/gm)!.length;
  const omitted = Number(/_…and (\d+) more findings/.exec(summary)?.[1] ?? 0);
  expect(rows).toBeGreaterThan(150);
  expect(rows + omitted).toBe(250);
  expect(summary).toContain('250 files, 250 resources reviewed');
});
