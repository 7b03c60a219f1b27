// The App on a Kustomize layout: a pull request that touches only an overlay's patch is reviewed on what the
// overlay deploys (the base read from the head tree), with the finding on the patch line.
import nock from 'nock';
import { afterEach, expect, test } from 'vitest';
import { RULES } from '../../rules/index.js';
import { HARDENED_DEPLOYMENT, envPatch } from '../compose/helpers.js';
import { FakeGitHub } from './fake-github.js';
import { applyPostedSuggestion, fakeState, makeProbot, pullRequestEvent, serveWithNock, suggestionOf } from './helpers.js';

let fake: FakeGitHub;
afterEach(() => {
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

const patch = envPatch;

const unchanged = [
  { path: 'serving/base/kustomization.yaml', text: 'resources:\n- deployment.yaml\n' },
  { path: 'serving/base/deployment.yaml', text: HARDENED_DEPLOYMENT },
  { path: 'serving/overlays/prod/kustomization.yaml', text: 'namespace: models\nresources:\n- ../../base\npatches:\n- path: patch.yaml\n' },
];
const summaryOf = (body: Record<string, unknown> | undefined) => (body?.output as { summary: string }).summary;

test('a pull request that touches only a patch: the composed Deployment is reviewed, the finding is on the patch line', async () => {
  const head = patch('        securityContext:\n          privileged: true\n');
  fake = new FakeGitHub(fakeState({ files: [{ path: 'serving/overlays/prod/patch.yaml', base: patch(''), head }], unchanged }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));

  expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above high' } });
  expect(fake.reviews).toHaveLength(1);
  const comments = fake.reviews[0]!.comments as { path: string; line: number; body: string }[];
  expect(comments.map((c) => `${c.path}:${c.line} ${/`(k8s\/[a-z-]+)`/.exec(c.body)?.[1]}`)).toEqual(['serving/overlays/prod/patch.yaml:14 k8s/privileged']);
  expect(suggestionOf(comments[0]!.body)).toEqual(['          privileged: false']);
  // The suggestion, applied to the patch, is what fixes the composed object.
  expect(applyPostedSuggestion(head, comments[0]!)).toBe(patch('        securityContext:\n          privileged: false\n'));
  // The base and the overlay's kustomization were read from the head tree; the base was not reviewed alone.
  expect(summaryOf(fake.checkRun)).not.toContain('serving/base/deployment.yaml');
});

test('a base file that is a symbolic link is composed as the file it leads to (as Kustomize reads it); one out of the repository fails closed, saying why', async () => {
  const head = patch('        securityContext:\n          privileged: true\n');
  const linked = (target: string) => [
    ...unchanged.filter((f) => f.path !== 'serving/base/deployment.yaml'),
    { path: 'serving/base/deployment.yaml', text: target, link: true },
    { path: 'serving/common/deployment.yaml', text: HARDENED_DEPLOYMENT },
  ];
  fake = new FakeGitHub(fakeState({ files: [{ path: 'serving/overlays/prod/patch.yaml', base: patch(''), head }], unchanged: linked('../common/deployment.yaml') }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
  const comments = fake.reviews[0]!.comments as { path: string; line: number; body: string }[];
  expect(comments.map((c) => `${c.path}:${c.line} ${/`(k8s\/[a-z-]+)`/.exec(c.body)?.[1]}`)).toEqual(['serving/overlays/prod/patch.yaml:14 k8s/privileged']);

  nock.cleanAll();
  fake = new FakeGitHub(fakeState({ files: [{ path: 'serving/overlays/prod/patch.yaml', base: patch(''), head }], unchanged: linked('../../../elsewhere/deployment.yaml') }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened', { delivery: 'delivery-2' }));
  expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
  expect(fake.checkRun!.output).toMatchObject({ annotations: [expect.objectContaining({ path: 'serving/overlays/prod/patch.yaml', title: expect.stringContaining('warden/not-reviewed') })] });
  expect(summaryOf(fake.checkRun)).toContain('`serving/base/deployment.yaml`: not read (a symbolic link out of the repository');
});

test('a pull request whose patch only adds an env entry gets no finding', async () => {
  const before = patch('').replace('        env:\n        - name: LOG_VERBOSE\n          value: "1"\n', '        env: []\n');
  fake = new FakeGitHub(fakeState({ files: [{ path: 'serving/overlays/prod/patch.yaml', base: before, head: patch('') }], unchanged }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
  expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
  expect(fake.reviews).toEqual([]);
});

test('a Deployment added to a base an overlay deploys: its findings on one object get one suggestion, proven on what the overlay deploys', async () => {
  // No container securityContext: three findings whose fixes all write it, on the object the overlay namespaces.
  const bare = HARDENED_DEPLOYMENT.replace(/^ {8}securityContext:\n( {10}.*\n)+/m, '');
  const overlay = { path: 'serving/overlays/prod/kustomization.yaml', text: 'namespace: models\nresources:\n- ../../base\n' };
  fake = new FakeGitHub(fakeState({ files: [{ path: 'serving/base/deployment.yaml', status: 'added', head: bare }], unchanged: [unchanged[0]!, overlay] }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));

  const comments = fake.reviews[0]!.comments as { path: string; line: number; start_line?: number; body: string }[];
  const rules = (c: { body: string }) => [...c.body.matchAll(/`(k8s\/[a-z-]+)`/g)].map((m) => m[1]);
  const withSuggestion = comments.filter((c) => suggestionOf(c.body) !== null);
  expect(withSuggestion).toHaveLength(1);
  expect(withSuggestion[0]!.path).toBe('serving/base/deployment.yaml');
  expect(rules(withSuggestion[0]!)).toEqual(expect.arrayContaining(['k8s/allow-privilege-escalation', 'k8s/read-only-root-filesystem', 'k8s/drop-all-capabilities']));
  // Applied, the base is hardened again: the overlay deploys a Deployment with no finding.
  const fixed = applyPostedSuggestion(bare, withSuggestion[0]!);
  nock.cleanAll();
  fake = new FakeGitHub(fakeState({ files: [{ path: 'serving/base/deployment.yaml', status: 'added', head: fixed }], unchanged: [unchanged[0]!, overlay] }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened', { delivery: 'delivery-2' }));
  expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
  expect(fake.reviews).toEqual([]);
});

test('a setting removed from a base an overlay deploys: the suggestion puts it back where it was, proven on what the overlay deploys', async () => {
  const head = HARDENED_DEPLOYMENT.replace('          allowPrivilegeEscalation: false\n', '');
  expect(head).not.toBe(HARDENED_DEPLOYMENT);
  const overlay = { path: 'serving/overlays/prod/kustomization.yaml', text: 'namespace: models\nresources:\n- ../../base\n' };
  fake = new FakeGitHub(fakeState({ files: [{ path: 'serving/base/deployment.yaml', base: HARDENED_DEPLOYMENT, head }], unchanged: [unchanged[0]!, overlay] }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
  const comments = fake.reviews[0]!.comments as { path: string; line: number; start_line?: number; body: string }[];
  expect(comments.map((c) => `${c.path} ${/`(k8s\/[a-z-]+)`/.exec(c.body)?.[1]}`)).toEqual(['serving/base/deployment.yaml k8s/allow-privilege-escalation']);
  // Inside the diff (a one-click suggestion), the key back on its own line: applied, the base is as it was.
  expect(suggestionOf(comments[0]!.body)).not.toBeNull();
  expect(applyPostedSuggestion(head, comments[0]!)).toBe(HARDENED_DEPLOYMENT);
});

test('a finding on a base an overlay deploys whose own line is outside the diff is commented where the change touched its object', async () => {
  // The container never set runAsNonRoot; the pod did, until this change removed it: the finding sits on the
  // container, far below the removal.
  const base = HARDENED_DEPLOYMENT.replace('          runAsNonRoot: true\n', '');
  const head = base.replace('        runAsNonRoot: true\n', '');
  expect(head).not.toBe(base);
  const overlay = { path: 'serving/overlays/prod/kustomization.yaml', text: 'namespace: models\nresources:\n- ../../base\n' };
  fake = new FakeGitHub(fakeState({ files: [{ path: 'serving/base/deployment.yaml', base, head }], unchanged: [unchanged[0]!, overlay] }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
  const comments = (fake.reviews[0]?.comments ?? []) as { path: string; line: number; body: string }[];
  const nonRoot = comments.find((c) => c.body.includes('k8s/run-as-non-root'));
  expect(nonRoot?.path).toBe('serving/base/deployment.yaml');
  // On the lines around the removal, not on the container's (outside the diff).
  const removedAt = base.split('\n').indexOf('        runAsNonRoot: true') + 1;
  expect(Math.abs(nonRoot!.line - removedAt)).toBeLessThanOrEqual(3);
});

test('a pull request that changes only an env file a generator reads: the new credential is commented inline, on its line', async () => {
  const key = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
  const generating = [{ path: 'serving/kustomization.yaml', text: 'namespace: models\nconfigMapGenerator:\n- name: settings\n  envs:\n  - app.env\n' }];
  fake = new FakeGitHub(fakeState({ files: [{ path: 'serving/app.env', base: 'LOG_LEVEL=info\n', head: `LOG_LEVEL=info\nAWS_ACCESS_KEY_ID=${key}\n` }], unchanged: generating }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
  expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
  expect(fake.reviews).toHaveLength(1);
  const comments = fake.reviews[0]!.comments as { path: string; line: number; body: string }[];
  expect(comments.map((c) => `${c.path}:${c.line} ${/`(k8s\/[a-z-]+)`/.exec(c.body)?.[1]}`)).toEqual(['serving/app.env:2 k8s/credential-literal']);
});
