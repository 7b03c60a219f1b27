// `warden scan <chart>` and `warden diff` on a Helm chart: the rendered objects reviewed, reported at the
// values and template lines, only new findings gating.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warden } from '../cli/helpers.js';

const FIXTURE = join(process.cwd(), 'test/fixtures/charts/model-server');

function git(cwd: string, ...args: string[]) {
  execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}
function edit(path: string, from: string, to: string) {
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`fixture edit did not apply to ${path}`);
  writeFileSync(path, text.replace(from, to));
}
const lineOf = (path: string, pattern: RegExp) => readFileSync(path, 'utf8').split('\n').findIndex((l) => pattern.test(l)) + 1;

/**
 * A folder holding the fixture chart at charts/model-server (a git repository with `git`) and a config that turns
 * off the namespace-wide rules (the fixture asks for a GPU with no ResourceQuota and has no default-deny policy:
 * those rules are tested on their own) and renders the chart with its values.yaml alone (its values-prod.yaml,
 * an image tag without a digest, is rendered over it by default, tested on its own).
 */
function chartRepo(prefix: string, options: { git?: boolean } = {}): string {
  const repo = mkdtempSync(join(tmpdir(), prefix));
  if (options.git) git(repo, 'init', '-q', '-b', 'main');
  cpSync(FIXTURE, join(repo, 'charts/model-server'), { recursive: true });
  mkdirSync(join(repo, '.github'));
  writeFileSync(join(repo, '.github/warden.yml'), `${CONFIG}helm:\n  charts:\n    charts/model-server:\n      values: []\n`);
  return repo;
}
const CONFIG = 'rules:\n  k8s/gpu-namespace-quota: off\n  k8s/network-policy-missing: off\n';

describe('warden on Helm charts', () => {
  it('scan: a chart\'s default-deny policy, named through its helpers, protects the namespace it names in the repository\'s index', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-chart-index-'));
    git(repo, 'init', '-q', '-b', 'main');
    const files: Record<string, string> = {
      'charts/guard/Chart.yaml': 'apiVersion: v2\nname: guard\nversion: 0.1.0\n',
      'charts/guard/values.yaml': 'namespace: models\n',
      // A helper the config's path globs do not list: the chart is still read whole for the index.
      'charts/guard/templates/_helpers.tpl': '{{- define "guard.name" -}}default-deny-all{{- end }}\n',
      'charts/guard/templates/deny.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ include "guard.name" . }}\n  namespace: {{ .Values.namespace }}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n',
      'k8s/triton.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: triton\n  namespace: models\nspec:\n  template:\n    spec:\n      containers:\n      - name: server\n        image: triton\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(repo, path, '..'), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
    const ruleIds = async () => (JSON.parse((await warden(['scan', 'k8s', '--format', 'json'], repo)).stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    expect(await ruleIds()).not.toContain('k8s/network-policy-missing');
    writeFileSync(join(repo, 'charts/guard/values.yaml'), 'namespace: sandbox\n');
    expect(await ruleIds()).toContain('k8s/network-policy-missing');
  });

  it('scan <chart>: findings at the values line and at the template line; the values files config names are rendered', async () => {
    const repo = chartRepo('warden-chart-');
    const hardened = await warden(['scan', 'charts/model-server', '--format', 'json'], repo);
    expect(JSON.parse(hardened.stdout).findings).toEqual([]);
    expect(hardened.code).toBe(0);

    edit(join(repo, 'charts/model-server/values.yaml'), '  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n');
    edit(join(repo, 'charts/model-server/templates/deployment.yaml'), '      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      hostNetwork: true\n');
    const { code, stdout } = await warden(['scan', 'charts/model-server', '--format', 'json'], repo);
    const out = JSON.parse(stdout);
    expect(out.findings.map((f: { ruleId: string; file: string; line: number }) => [f.ruleId, f.file, f.line])).toEqual([
      ['k8s/host-namespaces', 'charts/model-server/templates/deployment.yaml', lineOf(join(repo, 'charts/model-server/templates/deployment.yaml'), /hostNetwork/)],
      ['k8s/privileged', 'charts/model-server/values.yaml', lineOf(join(repo, 'charts/model-server/values.yaml'), /privileged/)],
    ]);
    expect(out.findings[1].fix.edits[0]).toMatchObject({ file: 'charts/model-server/values.yaml', replacement: '  privileged: false' });
    expect(code).toBe(1);

    // With config naming values-prod.yaml, its tag (no digest) is what is rendered and reported.
    writeFileSync(join(repo, 'warden.yml'), 'rules:\n  k8s/gpu-namespace-quota: off\n  k8s/network-policy-missing: off\nhelm:\n  charts:\n    charts/model-server:\n      values: [values-prod.yaml]\n');
    const prod = JSON.parse((await warden(['scan', 'charts/model-server', '--config', 'warden.yml', '--format', 'json'], repo)).stdout);
    expect(prod.findings.filter((f: { ruleId: string }) => f.ruleId === 'k8s/image-digest')).toEqual([
      expect.objectContaining({ file: 'charts/model-server/values-prod.yaml', line: lineOf(join(repo, 'charts/model-server/values-prod.yaml'), /tag:/) }),
    ]);
  });

  it('scan <chart>: each other values file at its root is rendered over values.yaml, as `helm install -f` would, unless config names them', async () => {
    const repo = chartRepo('warden-chart-values-');
    writeFileSync(join(repo, '.github/warden.yml'), CONFIG);
    const values = join(repo, 'charts/model-server/values-prod.yaml');
    const out = JSON.parse((await warden(['scan', 'charts/model-server', '--format', 'json'], repo)).stdout);
    // values.yaml alone is hardened; values-prod.yaml's tag without a digest is found where it is written.
    expect(out.findings.map((f: { ruleId: string; file: string; line: number }) => [f.ruleId, f.file, f.line])).toEqual([['k8s/image-digest', 'charts/model-server/values-prod.yaml', lineOf(values, /tag:/)]]);
  });

  it('scan <chart>: a values file past the rendered ones is not reviewed, and says how to have it reviewed', async () => {
    const repo = chartRepo('warden-chart-many-values-');
    writeFileSync(join(repo, '.github/warden.yml'), CONFIG);
    for (const env of ['a', 'b', 'c', 'd', 'e', 'f']) writeFileSync(join(repo, `charts/model-server/values-${env}.yaml`), 'replicaCount: 1\n');
    const out = JSON.parse((await warden(['scan', 'charts/model-server', '--format', 'json'], repo)).stdout);
    // In name order values-a … values-e are rendered; values-f and values-prod.yaml are past the five.
    expect(out.findings.filter((f: { ruleId: string }) => f.ruleId === 'warden/not-reviewed').map((f: { file: string; message: string }) => [f.file, f.message])).toEqual([
      ['charts/model-server/values-f.yaml', expect.stringContaining('past the first 5 values files of the chart')],
      ['charts/model-server/values-prod.yaml', expect.stringContaining('past the first 5 values files of the chart')],
    ]);
  });

  it('diff: a change to values.yaml alone is reviewed; what was already wrong at base does not gate', async () => {
    const repo = chartRepo('warden-chart-diff-', { git: true });
    edit(join(repo, 'charts/model-server/templates/deployment.yaml'), '      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      hostNetwork: true\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    edit(join(repo, 'charts/model-server/values.yaml'), 'replicaCount: 2', 'replicaCount: 3');
    git(repo, 'commit', '-qam', 'three replicas');
    // The Deployment read the changed line, so it is reviewed; its hostNetwork was already there at base: listed, not gating.
    const benign = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    expect(JSON.parse(benign.stdout).findings.map((f: { ruleId: string; file: string }) => [f.ruleId, f.file])).toEqual([
      ['k8s/host-namespaces', 'charts/model-server/templates/deployment.yaml'],
    ]);
    expect(benign.code).toBe(0);

    edit(join(repo, 'charts/model-server/values.yaml'), '  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n');
    git(repo, 'commit', '-qam', 'privileged');
    const { code, stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const findings = JSON.parse(stdout).findings as { ruleId: string; file: string; line: number }[];
    expect(findings.map((f) => [f.ruleId, f.file])).toEqual([
      ['k8s/host-namespaces', 'charts/model-server/templates/deployment.yaml'],
      ['k8s/privileged', 'charts/model-server/values.yaml'],
    ]);
    expect(code).toBe(1);
  });

  it('diff: a values file config names outside the chart (an environment folder) is rendered, and a change to it alone reviewed there', async () => {
    const repo = chartRepo('warden-chart-env-', { git: true });
    mkdirSync(join(repo, 'envs/prod'), { recursive: true });
    writeFileSync(join(repo, 'envs/prod/values.yaml'), 'replicaCount: 4\n');
    writeFileSync(join(repo, '.github/warden.yml'), `${CONFIG}helm:\n  charts:\n    charts/model-server:\n      values: [../../envs/prod/values.yaml]\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    writeFileSync(join(repo, 'envs/prod/values.yaml'), 'replicaCount: 4\nsecurityContext:\n  privileged: true\n');
    git(repo, 'commit', '-qam', 'privileged in prod');
    const { code, stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const findings = JSON.parse(stdout).findings as { ruleId: string; file: string; line: number; fix: { edits: { file: string; replacement: string }[] } | null }[];
    expect(findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['k8s/privileged', 'envs/prod/values.yaml', 3]]);
    expect(findings[0]!.fix?.edits).toEqual([expect.objectContaining({ file: 'envs/prod/values.yaml', replacement: '  privileged: false' })]);
    expect(code).toBe(1);
  });

  it('fix <chart>: settings missing at the template line are written into values.yaml, several as one edit, and the chart is clean', async () => {
    const repo = chartRepo('warden-chart-fix-');
    // The container's securityContext keeps only runAsUser: three findings on the template line that prints it.
    const values = join(repo, 'charts/model-server/values.yaml');
    edit(values, '  allowPrivilegeEscalation: false\n  capabilities:\n    drop:\n      - ALL\n  readOnlyRootFilesystem: true\n', '');
    const scanned = JSON.parse((await warden(['scan', 'charts/model-server', '--format', 'json'], repo)).stdout);
    const template = 'charts/model-server/templates/deployment.yaml';
    expect(scanned.findings.map((f: { ruleId: string; file: string }) => [f.ruleId, f.file])).toEqual([
      ['k8s/allow-privilege-escalation', template],
      ['k8s/drop-all-capabilities', template],
      ['k8s/read-only-root-filesystem', template],
    ]);
    // One group, one edit, in the values file.
    expect(scanned.fixes).toHaveLength(1);
    expect(scanned.fixes[0]).toMatchObject({ file: 'charts/model-server/values.yaml', edits: [{ file: 'charts/model-server/values.yaml' }] });
    for (const finding of scanned.findings) expect(finding.fix.edits).toEqual(scanned.fixes[0].edits);

    const fixed = await warden(['fix', '--unsafe', 'charts/model-server'], repo);
    expect(fixed.code).toBe(0);
    expect(readFileSync(join(repo, 'charts/model-server/templates/deployment.yaml'), 'utf8')).toBe(readFileSync(join(FIXTURE, 'templates/deployment.yaml'), 'utf8'));
    const again = await warden(['scan', 'charts/model-server', '--format', 'json'], repo);
    expect(JSON.parse(again.stdout).findings).toEqual([]);
  });

  it('fix <chart>: objects of several templates printed from one values key share one edit, proven once', async () => {
    const repo = chartRepo('warden-chart-shared-');
    const template = readFileSync(join(FIXTURE, 'templates/deployment.yaml'), 'utf8');
    for (let i = 1; i <= 4; i++) writeFileSync(join(repo, `charts/model-server/templates/deployment-${i}.yaml`), template.replace('name: {{ include "model-server.fullname" . }}', `name: {{ include "model-server.fullname" . }}-${i}`));
    edit(join(repo, 'charts/model-server/values.yaml'), '  readOnlyRootFilesystem: true\n', '');
    const scanned = JSON.parse((await warden(['scan', 'charts/model-server', '--format', 'json'], repo)).stdout);
    // Five Deployments, one finding each at its template line, one fix for all of them in values.yaml.
    expect(scanned.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(Array(5).fill('k8s/read-only-root-filesystem'));
    expect(new Set(scanned.findings.map((f: { resource: string }) => f.resource)).size).toBe(5);
    expect(scanned.fixes).toHaveLength(1);
    expect(scanned.fixes[0]).toMatchObject({ file: 'charts/model-server/values.yaml', edits: [{ file: 'charts/model-server/values.yaml' }] });
    expect(scanned.fixes[0].fingerprints).toHaveLength(5);
    await warden(['fix', '--unsafe', 'charts/model-server'], repo);
    expect(JSON.parse((await warden(['scan', 'charts/model-server', '--format', 'json'], repo)).stdout).findings).toEqual([]);
  });

  it('fix <chart templates>: a proven fix in values.yaml, not among the files named, is left and says where it is', async () => {
    const repo = chartRepo('warden-chart-named-');
    const values = join(repo, 'charts/model-server/values.yaml');
    edit(values, '  readOnlyRootFilesystem: true\n', '');
    const before = readFileSync(values, 'utf8');
    const { stdout } = await warden(['fix', '--unsafe', 'charts/model-server/templates'], repo);
    expect(stdout).toContain('Nothing to fix automatically.');
    expect(stdout).toContain('k8s/read-only-root-filesystem (medium)');
    expect(stdout).toContain('[its fix is in charts/model-server/values.yaml, which is not among the files fixed]');
    expect(readFileSync(values, 'utf8')).toBe(before);
  });

  it('scan . inside a chart of a git repository: findings and notes name files alike, from the working folder', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-chart-inside-'));
    git(repo, 'init', '-q', '-b', 'main');
    cpSync(FIXTURE, join(repo, 'charts/model-server'), { recursive: true });
    const out = JSON.parse((await warden(['scan', '.', '--format', 'json'], join(repo, 'charts/model-server'))).stdout);
    const named = [...out.findings.map((f: { file: string }) => f.file), ...out.errors.map((e: { file: string }) => e.file)];
    expect(named.length).toBeGreaterThan(0);
    // The index's notes on templates (relative to the repository root before) are relative to this folder too.
    expect(out.errors.some((e: { file: string; message: string }) => e.file === 'templates/networkpolicy.yaml' && e.message.includes('not read for the rules'))).toBe(true);
    for (const file of named) expect(file.startsWith('charts/'), file).toBe(false);
  });
});
