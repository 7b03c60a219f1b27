// The command line unpacks a chart's dependency archives from the working tree and from a git ref.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tarGz } from '../render/tar-gz.js';
import { git, warden } from './helpers.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: redis\n  namespace: cache\nspec:\n  hostNetwork: true\n  containers:\n  - name: redis\n    image: redis:7.2.4\n    securityContext:\n      privileged: {{ .Values.privileged }}\n';
const FILES = (privileged: boolean): Record<string, string | Uint8Array> => ({
  'charts/model/Chart.yaml': 'apiVersion: v2\nname: model\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: 18.0.0\n  repository: https://charts.bitnami.com/bitnami\n',
  'charts/model/values.yaml': `replicas: 1\nredis:\n  privileged: ${privileged}\n`,
  'charts/model/charts/redis-18.0.0.tgz': tarGz({ 'redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 18.0.0\n', 'redis/values.yaml': 'privileged: false\n', 'redis/templates/pod.yaml': POD }),
});

function written(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A repository whose `main` holds the chart, checked out on a new `branch` for the change. */
function onBranch(branch: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'warden-archive-'));
  git(repo, 'init', '-q', '-b', 'main');
  written(repo, FILES(false));
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'base');
  git(repo, 'checkout', '-qb', branch);
  return repo;
}

type Out = { findings: { ruleId: string; file: string; line: number; message: string; fix: unknown }[] };

describe('a chart’s dependency archive on the command line', () => {
  it('warden scan renders it with the chart’s values: a value is found where the chart sets it, the archive’s own lines on the archive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-archive-'));
    written(dir, FILES(true));
    const out = JSON.parse((await warden(['scan', dir, '--format', 'json'])).stdout) as Out;
    const privileged = out.findings.find((f) => f.ruleId === 'k8s/privileged')!;
    expect([privileged.file, privileged.line, privileged.fix !== null]).toEqual([join(dir, 'charts/model/values.yaml'), 3, true]);
    const host = out.findings.find((f) => f.ruleId === 'k8s/host-namespaces')!;
    expect([host.file, host.line, host.fix, host.message.endsWith('(In `redis/templates/pod.yaml`, line 7, of this archive.)')]).toEqual([join(dir, 'charts/model/charts/redis-18.0.0.tgz'), 1, null, true]);
    expect(out.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
  });

  it('warden diff --head reads it from the ref: only what the change makes reachable is reported', async () => {
    const repo = onBranch('change');
    written(repo, { 'charts/model/values.yaml': FILES(true)['charts/model/values.yaml']! });
    git(repo, 'commit', '-qam', 'privileged redis');
    const { code, stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const out = JSON.parse(stdout) as Out;
    const found = (ruleId: string) => out.findings.find((f) => f.ruleId === ruleId);
    expect(found('k8s/privileged')).toMatchObject({ file: 'charts/model/values.yaml', line: 3 });
    // What the archive held already, on the object the change touched, is pre-existing (SARIF says which).
    const sarif = JSON.parse((await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'sarif'], repo)).stdout) as { runs: { results: { ruleId: string; properties: { preExisting?: boolean } }[] }[] };
    const preExisting = (ruleId: string) => sarif.runs[0]!.results.find((r) => r.ruleId === ruleId)?.properties.preExisting ?? false;
    expect([preExisting('k8s/privileged'), preExisting('k8s/host-namespaces')]).toEqual([false, true]);
    expect(out.findings.map((f) => f.ruleId)).not.toContain('warden/not-reviewed');
    expect(code).toBe(1);
  });

  it('warden diff reviews a dependency bumped with its archive against the archive at the merge base', async () => {
    const repo = onBranch('bump');
    git(repo, 'rm', '-q', 'charts/model/charts/redis-18.0.0.tgz');
    written(repo, { 'charts/model/charts/redis-18.1.0.tgz': tarGz({ 'redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 18.1.0\n', 'redis/values.yaml': 'privileged: false\n', 'redis/templates/pod.yaml': POD.replace('  hostNetwork: true\n', '  hostNetwork: true\n  hostPID: true\n') }) });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'bump redis');
    const sarif = JSON.parse((await warden(['diff', '--base', 'main', '--head', 'bump', '--format', 'sarif'], repo)).stdout) as { runs: { results: { ruleId: string; message: { text: string }; properties: { preExisting?: boolean } }[] }[] };
    const fresh = sarif.runs[0]!.results.filter((r) => !r.properties.preExisting);
    expect(fresh.map((r) => [r.ruleId, /hostPID/.test(r.message.text)])).toEqual([['k8s/host-namespaces', true]]);
  });
});
