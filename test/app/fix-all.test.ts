// Fix all: the check-run action and the one commit a click makes, against the fake GitHub with the Git Data API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, describe, expect, test } from 'vitest';
import { buildRepositoryIndex } from '../../src/engine/repository-index.js';
import { parseFile } from '../../src/formats/index.js';
import { RULES } from '../../rules/index.js';
import { FakeGitData, requestedActionEvent, type GitDataState } from './fake-git-data.js';
import { fakeState, HEAD, makeProbot, pullRequestEvent, serveWithNock } from './helpers.js';
import { SERVING } from '../fix/manifests.js';

const ON = 'fix_all: true\n';
const FIX_ALL = [{ label: 'Fix all', description: 'Commit every proven safe fix to the PR', identifier: 'fix_all' }];

let fake: FakeGitData;
function github(state: Partial<GitDataState>): FakeGitData {
  fake = new FakeGitData({ ...fakeState({ files: [{ path: 'k8s/serving.yaml', head: SERVING }], config: ON }), ...state });
  serveWithNock(fake);
  return fake;
}

function probot() {
  return makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => buildRepositoryIndex(reader, config) });
}

afterEach(() => {
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

const gitWrites = () => fake.requests.filter((r) => r.method !== 'GET' && r.path.includes('/git/'));
/** The `Warden Fix all` run as it was completed. */
const fixAllRun = () => fake.fixAllChecks.filter((b) => b.status === 'completed').at(-1) as { conclusion: string; output: { title: string; summary: string } } | undefined;

describe('the Fix all action', () => {
  test('is offered on a run with fixable new findings when fix_all is on', async () => {
    github({});
    await (await probot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun.actions).toEqual(FIX_ALL);
  });

  test('is not offered when fix_all is off (the default)', async () => {
    github({ config: null });
    await (await probot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).not.toHaveProperty('actions');
  });

  test('is not offered when nothing can be fixed', async () => {
    github({ files: [{ path: 'k8s/config.yaml', head: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: models\ndata:\n  a: b\n' }] });
    await (await probot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).not.toHaveProperty('actions');
  });
});

describe('a click on Fix all', () => {
  test('makes one commit on the head with the proven safe fixes and the companion; the next review has none of them', async () => {
    github({});
    const app = await probot();
    await app.receive(requestedActionEvent());
    expect(fake.commits).toHaveLength(1);
    const commit = fake.commits[0]!;
    expect(commit.parents).toEqual([HEAD]);
    expect(fake.refUpdates).toEqual([{ method: 'PATCH', path: '/repos/Codertocat/Hello-World/git/refs/heads/changes', body: { sha: commit.sha, force: false } }]);
    expect(fake.branch).toBe(commit.sha);
    const changed = fake.trees.get(commit.tree)!.entries.map((e) => e.path).sort();
    expect(changed).toEqual(['k8s/network-policies-models.yaml', 'k8s/serving.yaml']);
    const files = fake.filesOf(commit);
    for (const path of changed) expect((await parseFile(path, files.get(path)!))!.errors, path).toEqual([]);
    expect(files.get('k8s/serving.yaml')).toContain('privileged: false');
    expect(commit.message).toMatch(/^Warden: fix \d+ rules in 2 files\n\n/);
    expect(commit.message).toContain('k8s/privileged');
    expect(commit.message).toContain('new k8s/network-policies-models.yaml');

    const run = fixAllRun()!;
    expect(run.conclusion).toBe('success');
    expect(run.output.title).toBe(`Committed 2 fixes in ${commit.sha.slice(0, 7)}`);
    expect(run.output.summary).not.toContain(run.output.title); // GitHub shows the title above the summary
    expect(run.output.summary).toContain('### Left for you');
    expect(run.output.summary).toContain('k8s/read-only-root-filesystem (medium)');
    expect(run.output.summary).toContain('may change how the workload runs');
    expect(run.output.summary).toContain('readOnlyRootFilesystem: true');

    // The synchronize review of the new commit: none of the fixed findings is left.
    const next = new FakeGitData({
      ...fakeState({ headSha: commit.sha, config: ON }),
      files: changed.map((path) => ({ path, head: files.get(path)! })),
    });
    nock.cleanAll();
    fake = next;
    serveWithNock(next);
    await app.receive(pullRequestEvent('synchronize', { head: commit.sha }));
    const annotations = (next.checkRun.output as { annotations?: { title: string; path: string }[] }).annotations ?? [];
    const rules = annotations.map((a) => a.title.split(' ')[0]);
    for (const fixed of ['k8s/privileged', 'k8s/allow-privilege-escalation', 'k8s/network-policy-missing']) expect(rules).not.toContain(fixed);
    expect(annotations.filter((a) => a.path === 'k8s/network-policies-models.yaml')).toEqual([]);
    expect(rules).toContain('k8s/read-only-root-filesystem');
  });

  test('a second click on the same run does nothing', async () => {
    github({});
    const app = await probot();
    await app.receive(requestedActionEvent());
    const requests = fake.requests.length;
    await app.receive(requestedActionEvent({ delivery: 'delivery-fix-all-2' }));
    expect(fake.commits).toHaveLength(1);
    expect(fake.requests.slice(requests).filter((r) => r.method !== 'GET' && !r.path.endsWith('/access_tokens'))).toEqual([]);
  });

  test('for a head that is no longer the pull request\'s: a clear message, no commit', async () => {
    github({ currentHead: 'b'.repeat(40) });
    await (await probot()).receive(requestedActionEvent());
    expect(gitWrites()).toEqual([]);
    expect(fixAllRun()).toMatchObject({ conclusion: 'neutral', output: { title: 'The pull request moved on' } });
    // The reason is rendered inert: `#2` is no live reference (an escaped zero-width space follows its `#`).
    expect(fixAllRun()!.output.summary).toContain(`head of #&#8203;2 is now ${'b'.repeat(40)}`);
  });

  test('when the branch moves while Warden works: the ref update is refused, nothing is pushed', async () => {
    github({ movesTo: 'c'.repeat(40) });
    await (await probot()).receive(requestedActionEvent());
    expect(fake.refUpdates).toHaveLength(1);
    expect(fake.branch).toBe('c'.repeat(40));
    expect(fixAllRun()).toMatchObject({ conclusion: 'neutral', output: { title: 'The branch moved' } });
  });

  test('on a fork\'s pull request: says it never pushes to forks, no commit', async () => {
    github({ fork: true });
    await (await probot()).receive(requestedActionEvent({ pulls: [] }));
    expect(gitWrites()).toEqual([]);
    expect(fixAllRun()).toMatchObject({ conclusion: 'neutral', output: { title: 'Fix all does not push to forks' } });
    expect(fixAllRun()!.output.summary).toContain("never pushes to a fork's branch");
  });

  test('without contents: write: names the permission, no commit', async () => {
    github({ contents: 'read' });
    await (await probot()).receive(requestedActionEvent());
    expect(fake.commits).toEqual([]);
    expect(fake.refUpdates).toEqual([]);
    expect(fixAllRun()).toMatchObject({ conclusion: 'neutral', output: { title: 'Warden may not write to this repository' } });
    expect(fixAllRun()!.output.summary).toContain('Contents: Read and write');
  });

  test('with fix_all off: says how to turn it on, no commit', async () => {
    github({ config: null });
    await (await probot()).receive(requestedActionEvent());
    expect(gitWrites()).toEqual([]);
    expect(fixAllRun()).toMatchObject({ conclusion: 'neutral', output: { title: 'Fix all is off' } });
  });

  test('leaves a proven fix in a file the pull request does not change (a chart\'s values.yaml) to a person, and says so', async () => {
    const chart = 'test/fixtures/charts/model-server';
    const read = (rel: string) => readFileSync(join(chart, rel), 'utf8');
    // values.yaml (unchanged by the pull request) sets no seccomp profile; the pull request adds a template that prints it.
    const values = read('values.yaml').replace('  seccompProfile:\n    type: RuntimeDefault\n', '');
    const worker = read('templates/deployment.yaml').replace('name: {{ include "model-server.fullname" . }}', 'name: {{ include "model-server.fullname" . }}-worker');
    github({
      files: [{ path: 'charts/model-server/templates/worker.yaml', status: 'added', head: worker }],
      unchanged: [
        { path: 'charts/model-server/Chart.yaml', text: read('Chart.yaml') },
        { path: 'charts/model-server/templates/_helpers.tpl', text: read('templates/_helpers.tpl') },
        { path: 'charts/model-server/values.yaml', text: values },
      ],
      config: `${ON}rules:\n  k8s/gpu-namespace-quota: off\n  k8s/network-policy-missing: off\n`,
    });
    await (await probot()).receive(requestedActionEvent());
    expect(fake.commits).toEqual([]);
    const run = fixAllRun()!;
    expect(run.output.summary).toContain('k8s/seccomp-profile');
    expect(run.output.summary).toContain('its fix is in `charts/model-server/values.yaml`, which this pull request does not change');
    expect(run.output.summary).toContain('seccompProfile:');
  });
});

