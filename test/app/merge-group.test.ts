// Merge queues (issue 15): a `merge_group.checks_requested` delivery gets a completed `Warden` check run on the
// merge group's head commit, reviewing the group's change against its base with the same gate.
import nock from 'nock';
import { afterEach, expect, test } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { BASE, fakeState, makeProbot, mergeGroupEvent, serveWithNock } from './helpers.js';
import { deployment, HARDENED } from './manifests.js';

const GROUP_HEAD = '5555555555555555555555555555555555555555';

let fake: FakeGitHub;
afterEach(() => {
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

const summaryOf = (run: Record<string, unknown>) => (run.output as { summary: string }).summary;

test('a merge group adding a privileged Deployment: a failed check run on its head, the change read from its trees, no review', async () => {
  fake = new FakeGitHub(
    fakeState({
      headSha: GROUP_HEAD,
      files: [
        // New in the group: gates.
        { path: 'k8s/new.yaml', head: deployment('new') },
        // Privileged at base already, edited elsewhere: pre-existing, does not gate.
        { path: 'k8s/old.yaml', base: deployment('old'), head: deployment('old').replace('replicas: 2', 'replicas: 3') },
        { path: 'k8s/gone.yaml', status: 'removed', base: deployment('gone') },
      ],
      unchanged: [{ path: 'k8s/same.yaml', text: deployment('same') }],
    }),
  );
  serveWithNock(fake);
  await (await makeProbot()).receive(mergeGroupEvent({ head: GROUP_HEAD }));

  // The change from the two trees; no pull request read, nothing posted but the check run.
  // The head tree is read for the change, and listed once more for the kustomizations that build the changed YAML.
  expect(fake.count('GET', new RegExp(`/git/trees/${GROUP_HEAD}$`))).toBe(2);
  expect(fake.count('GET', new RegExp(`/git/trees/${BASE}$`))).toBe(1);
  expect(fake.requests.filter((r) => r.path.includes('/pulls'))).toEqual([]);
  expect(fake.reviews).toEqual([]);
  expect(fake.allWrites.map((w) => w.method)).toEqual(['POST']);
  // Head texts of both changed files, the base texts of the edited one and of the deleted one (a merge group lists no
  // patch to undo: what a deleted file took away is reviewed from its text); the unchanged file is not read.
  expect(fake.blobsAsked).toBe(4);

  const run = fake.checkRun;
  expect(run).toMatchObject({ name: 'Warden', head_sha: GROUP_HEAD, status: 'completed', conclusion: 'failure' });
  expect((run.output as { title: string }).title).toBe('2 findings at or above high');
  const summary = summaryOf(run);
  expect(summary).toContain('This is a merge group: Warden reviewed its change against its base branch');
  expect(summary).toContain('k8s/new.yaml');
  expect(summary).toContain('### Pre-existing');
  expect(summary).toContain('2 files, 2 resources reviewed');
});

test('a merge group whose change is clean: a successful check run on its head', async () => {
  fake = new FakeGitHub(fakeState({ headSha: GROUP_HEAD, files: [{ path: 'k8s/ok.yaml', base: deployment('ok', HARDENED), head: deployment('ok', HARDENED).replace('replicas: 2', 'replicas: 4') }] }));
  serveWithNock(fake);
  await (await makeProbot()).receive(mergeGroupEvent({ head: GROUP_HEAD }));
  expect(fake.checkRun).toMatchObject({ head_sha: GROUP_HEAD, status: 'completed', conclusion: 'success' });
});

test('the same merge group delivered twice: one check run', async () => {
  fake = new FakeGitHub(fakeState({ headSha: GROUP_HEAD, files: [{ path: 'k8s/new.yaml', head: deployment('new') }] }));
  serveWithNock(fake);
  const probot = await makeProbot();
  await probot.receive(mergeGroupEvent({ head: GROUP_HEAD, delivery: 'group-1' }));
  const created = fake.checkRunCreates[0]!;
  fake.state.existingRuns = [{ id: 100, external_id: String(created.external_id), status: 'completed', conclusion: 'failure', started_at: '2026-03-01T12:00:00Z' }];
  await probot.receive(mergeGroupEvent({ head: GROUP_HEAD, delivery: 'group-1' }));
  expect(fake.checkRunCreates).toHaveLength(1);
});

test('a merge group that moves a git submodule a kustomization deploys from: its trees tell the move, and it fails closed', async () => {
  fake = new FakeGitHub(
    fakeState({
      headSha: GROUP_HEAD,
      files: [{ path: 'vendor/upstream', submodule: true, base: '1111111111111111111111111111111111111111', head: '2222222222222222222222222222222222222222' }],
      unchanged: [{ path: 'deploy/kustomization.yaml', text: 'resources:\n- ../vendor/upstream/config\n' }],
    }),
  );
  serveWithNock(fake);
  await (await makeProbot()).receive(mergeGroupEvent({ head: GROUP_HEAD }));
  expect(fake.checkRun).toMatchObject({ head_sha: GROUP_HEAD, status: 'completed', conclusion: 'failure' });
  expect(summaryOf(fake.checkRun)).toContain('deploys from this git submodule (`vendor/upstream/config`)');
});
