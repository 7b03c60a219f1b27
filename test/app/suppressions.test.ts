// Suppressions under the admin's control: a `warden:ignore` the pull request adds is shown (a comment on its line, a
// section of the summary) or, under `deny`, does not lift the gate; `(until …)` expiry; annotation levels by the gate.
import { describe, expect, test } from 'vitest';
import type { FakeGitHub, FakeThread } from './fake-github.js';
import { fakeGitHubPerTest, makeProbot, pullRequestEvent } from './helpers.js';
import { deployment } from './manifests.js';
import { liveMarkup } from '../output/markdown-check.js';
import privileged from '../../rules/k8s/privileged.js';

const HEAD2 = '1111111111111111111111111111111111111111';
const MARKER = /^<!-- warden:fingerprints [0-9a-f ]+ -->$/;

const github = fakeGitHubPerTest();

type Comment = { path: string; line: number; body: string };
type Annotation = { path: string; start_line: number; annotation_level: string; title: string };
const commentsOf = (fake: FakeGitHub) => fake.reviews.flatMap((r) => (r.comments ?? []) as Comment[]);
const threadsOf = (fake: FakeGitHub): FakeThread[] => commentsOf(fake).map((c, i) => ({ id: `PRRT_${i + 1}`, path: c.path, body: c.body }));
const output = (fake: FakeGitHub) => fake.checkRun.output as { title: string; summary: string; annotations?: Annotation[] };
const sectionOf = (summary: string, heading: string) => {
  const at = summary.indexOf(`### ${heading}\n`);
  return at < 0 ? null : summary.slice(at).split('\n### ')[0]!;
};

/** The base: a container that is not privileged. */
const BASE = deployment('triton', 'privileged: false');
/** The head: privileged, with a suppression on the line above (line 14; the finding is on line 15). */
const suppressed = (comment: string) => deployment('triton', `${comment}\n            privileged: true`);
const WHY = '# warden:ignore k8s/privileged -- GPU driver installer, reviewed in SEC-42';
const config = (policy: string) => `suppressions:\n  in_pull_request: ${policy}\n`;

describe('a suppression the pull request adds', () => {
  test('report (the default): honoured, commented on its line with the rule, resource, severity and reason, and listed apart', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(WHY) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
    const [comment, ...others] = commentsOf(fake);
    expect(others).toEqual([]);
    expect(comment).toMatchObject({ path: 'k8s/triton.yaml', line: 14 });
    expect(comment!.body).toContain('| [`k8s/privileged`](');
    expect(comment!.body).toContain('| `Deployment/models/triton` | critical | 15 |');
    expect(comment!.body).toContain('Reason given: GPU driver installer, reviewed in SEC-42');
    expect(comment!.body.split('\n').at(-1)).toMatch(MARKER);
    const { summary } = output(fake);
    const section = sectionOf(summary, 'Suppressed in this pull request');
    expect(section).toContain('| [`k8s/privileged`](');
    expect(section).toContain('`k8s/triton.yaml:15`');
    expect(section).toContain('| GPU driver installer, reviewed in SEC-42 |');
    expect(sectionOf(summary, 'Suppressed')).toBeNull();
  });

  test('its reason is posted as inert text in the comment', async () => {
    const reason = '@octocat approved #1 <img src=x onerror=alert(1)> ![](http://t.example/p.png) ```suggestion';
    const fake = github({ files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(`# warden:ignore k8s/privileged -- ${reason}`) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    const [comment] = commentsOf(fake);
    expect(liveMarkup(comment!.body, { html: [MARKER] })).toEqual([]);
  });

  test('deny: the check fails on it, the comment and the summary say the gate holds until it is on the default branch', async () => {
    const fake = github({ config: config('deny'), files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(WHY) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above high' } });
    const [comment] = commentsOf(fake);
    expect(comment).toMatchObject({ line: 14 });
    expect(comment!.body).toContain('This suppression does not lift the gate yet.');
    const { summary, annotations } = output(fake);
    const section = sectionOf(summary, 'Suppressed in this pull request')!;
    expect(section).toContain('`suppressions.in_pull_request: deny`');
    expect(section.split('\n').filter((l) => l.startsWith('| **gates** |'))).toHaveLength(1);
    expect(annotations).toEqual([expect.objectContaining({ start_line: 15, annotation_level: 'failure', title: '[suppressed in this pull request] k8s/privileged (critical): Privileged container' })]);
  });

  test('deny: a pull request cannot relax it by changing the config file (read from the default branch)', async () => {
    const fake = github({
      config: config('deny'),
      files: [
        { path: '.github/warden.yml', base: config('deny'), head: config('allow') },
        { path: 'k8s/triton.yaml', base: BASE, head: suppressed(WHY) },
      ],
    });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
  });

  test('deny: a finding below the gate may be suppressed', async () => {
    const fake = github({ config: `gate: critical\nrules:\n  k8s/privileged: high\n${config('deny')}`, files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(WHY) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
    expect(commentsOf(fake)[0]!.body).not.toContain('does not lift the gate');
  });

  test('deny: a suppression already on the default branch still holds for a finding the pull request adds under it', async () => {
    const base = suppressed(WHY).replace('privileged: true', 'privileged: false');
    const fake = github({ config: config('deny'), files: [{ path: 'k8s/triton.yaml', base, head: suppressed(WHY) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
    expect(fake.reviews).toEqual([]);
    const { summary } = output(fake);
    expect(sectionOf(summary, 'Suppressed in this pull request')).toBeNull();
    expect(sectionOf(summary, 'Suppressed')).toContain('| GPU driver installer, reviewed in SEC-42 |');
  });

  test('deny: the thread of the finding it hides stays open', async () => {
    const first = github({ config: config('deny'), files: [{ path: 'k8s/triton.yaml', base: BASE, head: deployment() }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(commentsOf(first).map((c) => c.line)).toEqual([14]);
    const second = github({ config: config('deny'), headSha: HEAD2, files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(WHY) }], threads: threadsOf(first) });
    await probot.receive(pullRequestEvent('synchronize', { head: HEAD2, delivery: 'delivery-2' }));
    expect(second.mutations).toEqual([]);
    expect(commentsOf(second).map((c) => c.line)).toEqual([14]);
    expect(commentsOf(second)[0]!.body).toContain('This suppression does not lift the gate yet.');
    expect(second.checkRun).toMatchObject({ conclusion: 'failure' });
  });

  test('allow: honoured, no comment, listed with the other suppressions', async () => {
    const fake = github({ config: config('allow'), files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(WHY) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
    expect(fake.reviews).toEqual([]);
    const { summary } = output(fake);
    expect(sectionOf(summary, 'Suppressed in this pull request')).toBeNull();
    expect(sectionOf(summary, 'Suppressed')).toContain('| GPU driver installer, reviewed in SEC-42 |');
  });

  test('a second push: the comment is not posted again and its thread stays open', async () => {
    const first = github({ files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(WHY) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(commentsOf(first)).toHaveLength(1);
    const second = github({ headSha: HEAD2, files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(WHY) }], threads: threadsOf(first) });
    await probot.receive(pullRequestEvent('synchronize', { head: HEAD2, delivery: 'delivery-2' }));
    expect(second.reviews).toEqual([]);
    expect(second.mutations).toEqual([]);
    expect(second.checkRun).toMatchObject({ conclusion: 'success' });
  });
});

// The tests' clock (helpers.ts NOW) is 2026-03-01T12:00:00Z.
describe('a suppression with an expiry', () => {
  test('before its date ends (UTC), it suppresses', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(`${WHY} (until 2026-03-01)`) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
    expect(sectionOf(output(fake).summary, 'Suppressions that no longer hold')).toBeNull();
  });

  test('past its date, it no longer suppresses: the finding is back and gates, and the expiry is reported', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(`${WHY} (until 2026-02-28)`) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above high' } });
    // The finding's own comment, not one about a suppression.
    expect(commentsOf(fake).map((c) => c.line)).toEqual([15]);
    const { summary } = output(fake);
    expect(sectionOf(summary, 'Findings (what fails this check first)')).toContain('| **gates** | critical | `k8s/triton.yaml:15` |');
    const lapsed = sectionOf(summary, 'Suppressions that no longer hold')!;
    expect(lapsed).toContain('| `k8s/triton.yaml:14` |');
    expect(lapsed).toContain('expired after 2026-02-28: the finding is back');
    expect(sectionOf(summary, 'Suppressed in this pull request')).toBeNull();
  });

  test('already on the default branch and expired: the finding is back, as pre-existing, and the expiry is reported', async () => {
    const old = suppressed(`${WHY} (until 2026-02-28)`);
    const fake = github({ files: [{ path: 'k8s/triton.yaml', base: old, head: old.replace('replicas: 2', 'replicas: 3') }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    // Pre-existing findings do not gate under `gate_on: new`; they are listed, no longer as suppressed.
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
    const { summary } = output(fake);
    expect(sectionOf(summary, 'Pre-existing (already at the base branch; listed, never gating)')).toContain('`k8s/triton.yaml:15`');
    expect(sectionOf(summary, 'Suppressed')).toBeNull();
    expect(sectionOf(summary, 'Suppressions that no longer hold')).toContain('expired after 2026-02-28');
  });

  test('a malformed date does not suppress (fail closed) and is reported', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', base: BASE, head: suppressed(`${WHY} (until 2026-02-30)`) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    const lapsed = sectionOf(output(fake).summary, 'Suppressions that no longer hold')!;
    expect(lapsed).toContain('expiry `(until 2026-02-30)` is not `(until YYYY-MM-DD)`: it does not suppress');
  });
});

describe('annotation levels follow the gate', () => {
  test('gate critical: failure for the critical finding that gates, warning for high and medium, notice for low', async () => {
    const fake = github({
      config: 'gate: critical\nrules:\n  test/no-privilege-escalation: low\n',
      files: [{ path: 'k8s/triton.yaml', head: deployment() }],
    });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above critical' } });
    const levels = Object.fromEntries(output(fake).annotations!.map((a) => [a.title.split(' ')[0], a.annotation_level]));
    expect(levels).toEqual({ 'k8s/privileged': 'failure', 'test/run-as-non-root': 'warning', 'test/no-privilege-escalation': 'notice' });
    // The summary marks what gates and lists it first, then the rest by severity.
    const rows = sectionOf(output(fake).summary, 'Findings (what fails this check first)')!.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Gates'));
    expect(rows.map((r) => r.split(' | ').slice(0, 2).join(' | '))).toEqual(['| **gates** | critical', '|  | high', '|  | low']);
  });
});
