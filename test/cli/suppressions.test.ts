// The command line applies the App's suppression policy: `warden diff` knows which lines the change adds;
// `warden scan` has no change, so every suppression is honoured; expiry applies to both.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, warden } from './helpers.js';

const pod = (securityContext: string) => `apiVersion: v1
kind: Pod
metadata:
  name: triton
  namespace: models
spec:
  containers:
  - name: server
    image: registry.example.com/triton:1.0
    securityContext:
      ${securityContext}
`;
const suppressed = (reason: string) => pod(`# warden:ignore k8s/privileged -- ${reason}\n      privileged: true`);

/** A repository whose main has an unprivileged pod and `deny`, and a branch `change` that makes it privileged. */
function repository(head: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'warden-suppress-'));
  git(repo, 'init', '-q', '-b', 'main');
  mkdirSync(join(repo, '.github'));
  writeFileSync(join(repo, '.github/warden.yml'), 'suppressions:\n  in_pull_request: deny\n');
  writeFileSync(join(repo, 'pod.yaml'), pod('privileged: false'));
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'base');
  git(repo, 'checkout', '-qb', 'change');
  writeFileSync(join(repo, 'pod.yaml'), head);
  git(repo, 'commit', '-qam', 'change');
  return repo;
}

type Json = { findings: { ruleId: string; line: number; message: string; suppressed: { reason: string; inPullRequest?: boolean } | null }[] };
const aboutSuppressions = (stdout: string) => (JSON.parse(stdout) as Json).findings.filter((f) => f.ruleId.startsWith('warden/suppression-')).map((f) => [f.ruleId, f.line, f.message]);
const privilegedOf = (stdout: string) => (JSON.parse(stdout) as Json).findings.find((f) => f.ruleId === 'k8s/privileged')!;

describe('suppressions on the command line', () => {
  it('warden diff: a suppression the change adds does not lift the gate under deny; warden scan honours it', async () => {
    const repo = repository(suppressed('GPU driver installer'));
    // `--severity critical`: only k8s/privileged (critical) can decide the exit code here.
    const diff = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json', '--severity', 'critical'], repo);
    expect(privilegedOf(diff.stdout).suppressed).toEqual({ reason: 'GPU driver installer', line: 11, inPullRequest: true });
    expect(diff.code).toBe(1);
    // The suppression line itself is a finding of its own (low, never gating even at `--severity low`).
    expect(aboutSuppressions(diff.stdout)).toEqual([['warden/suppression-in-pull-request', 11, expect.stringContaining('This change adds a suppression of `k8s/privileged` (reason `GPU driver installer`): under `suppressions.in_pull_request: deny` what it hides still gates')]]);
    const low = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json', '--severity', 'low'], repo);
    expect((JSON.parse(low.stdout) as Json).findings.filter((f) => f.ruleId.startsWith('warden/suppression-'))).toHaveLength(1);
    const text = await warden(['diff', '--base', 'main', '--head', 'change', '--severity', 'critical'], repo);
    expect(text.stdout).toContain('k8s/privileged  Pod/models/triton  (suppressed in this change, still gating: GPU driver installer)');
    const scan = await warden(['scan', 'pod.yaml', '--format', 'json', '--severity', 'critical'], repo);
    expect(privilegedOf(scan.stdout).suppressed).toEqual({ reason: 'GPU driver installer', line: 11 });
    expect(aboutSuppressions(scan.stdout)).toEqual([]);
    expect(scan.code).toBe(0);
  });

  it('an expired suppression no longer suppresses, in scan as in diff', async () => {
    const repo = repository(suppressed('GPU driver installer (until 2020-01-01)'));
    const scan = await warden(['scan', 'pod.yaml', '--format', 'json', '--severity', 'critical'], repo);
    expect(privilegedOf(scan.stdout).suppressed).toBeNull();
    expect(aboutSuppressions(scan.stdout)).toEqual([['warden/suppression-expired', 11, expect.stringContaining('This suppression of `k8s/privileged` expired at the end of 2020-01-01 (UTC): what it hid is reported again')]]);
    expect(scan.code).toBe(1);
    const text = await warden(['scan', 'pod.yaml'], repo);
    expect(text.stdout + text.stderr).toContain('expired at the end of 2020-01-01');
  });
});
