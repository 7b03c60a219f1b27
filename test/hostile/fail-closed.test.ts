// Fail closed: a changed file Warden could not review is a warden/not-reviewed finding that fails the gate (issue
// #10), never a note beside a passing check. Each reproduction of the issue is a case here.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import { review } from '../../src/review.js';
import { closeSharedPool } from '../../src/worker/pool.js';
import { RULE_IDS } from '../../rules/index.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { HEALTHY, HEALTHY_PATH, expectHealthyReviewed, expectNotReviewed, notReviewedOf, notesOf, reviewWith } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'warden-fail-closed-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeSharedPool();
});

/** A public-read S3 ACL: aws/s3-public-acl fires on it when the file is reviewed. */
const PUBLIC_ACL = 'resource "aws_s3_bucket_acl" "models" {\n  bucket = "models"\n  acl    = "public-read"\n}\n';

/** `count` small ConfigMaps, about `bytes` long in all. */
function manyDocuments(bytes: number): string {
  const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n---\n';
  return doc.repeat(Math.floor(bytes / doc.length));
}

describe('files Warden cannot review fail the gate', () => {
  it('a privileged pod with 4.3 MiB of comments appended', async () => {
    const text = `${HEALTHY}${'# padding padding padding padding padding padding padding padding padding\n'.repeat(Math.ceil((4.3 * 1024 * 1024) / 74))}`;
    const result = await reviewWith([{ path: 'k8s/padded.yaml', headText: text }]);
    expectNotReviewed(result, 'k8s/padded.yaml', /^too large to review \(4\.3 MiB; the limit is 4\.0 MiB\)\./);
    expect(notesOf(result, 'k8s/padded.yaml')).toEqual([]);
    expectHealthyReviewed(result);
  });

  it('a 3.8 MB heredoc in `locals` beside a public-read S3 ACL, without minutes of parsing', async () => {
    const heredoc = `${'x'.repeat(79)}\n`.repeat(Math.floor(3.8e6 / 80));
    const started = performance.now();
    const result = await reviewWith([{ path: 'tf/acl.tf', headText: `locals {\n  blob = <<EOT\n${heredoc}EOT\n}\n\n${PUBLIC_ACL}` }]);
    expectNotReviewed(result, 'tf/acl.tf', /too large to review as HCL \(3\.6 MiB; the limit for Terraform HCL is 1\.0 MiB\)/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expectHealthyReviewed(result);
  });

  it('two 3.9 MB files of many YAML documents are not reviewed, at once', async () => {
    const text = manyDocuments(3.9e6);
    const started = performance.now();
    const result = await reviewWith([
      { path: 'k8s/many-a.yaml', headText: text },
      { path: 'k8s/many-b.yaml', headText: text },
    ]);
    expectNotReviewed(result, 'k8s/many-a.yaml', /more than 5000 YAML documents/);
    expectNotReviewed(result, 'k8s/many-b.yaml', /more than 5000 YAML documents/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expectHealthyReviewed(result);
  });

  it('a 100 KB `# warden:ignore a,a,a,…` comment: the file is reviewed, fast', async () => {
    const comment = `# warden:ignore ${Array(50_000).fill('a').join(',')} x\n`;
    const started = performance.now();
    const result = await reviewWith([{ path: 'k8s/ignore.yaml', headText: `${comment}${HEALTHY}` }]);
    expect(notReviewedOf(result, 'k8s/ignore.yaml')).toBeNull();
    expect(result.gating.filter((f) => f.file === 'k8s/ignore.yaml').map((f) => f.ruleId)).toContain('k8s/privileged');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('a file the caller could not read (a truncated or failed read) is not reviewed', async () => {
    const result = await reviewWith([{ path: 'k8s/cut.yaml', headText: null, unreadable: 'the blob read was cut short (120 of 4096 bytes)' }]);
    expectNotReviewed(result, 'k8s/cut.yaml', /^the blob read was cut short \(120 of 4096 bytes\)\./);
  });

  it('gates whatever the gate severity, cannot be suppressed, and is never pre-existing', async () => {
    const text = `# warden:ignore warden/not-reviewed -- trust me\n${'['.repeat(300)}${']'.repeat(300)}\n`;
    const result = await review({ files: [{ path: 'deep.yaml', headText: text, baseText: text, patch: '@@ -1 +1 @@\n-a\n+b\n' }], config: { ...DEFAULT_CONFIG, gate: 'critical' } });
    const [finding] = result.findings;
    expect(finding).toMatchObject({ ruleId: 'warden/not-reviewed', severity: 'critical', suppressed: null, preExisting: false, line: 1 });
    expect(result.gating).toEqual([finding]);
  });

  it('`unreviewable: warn` lists it below the gate, never gating', async () => {
    const config = resolveConfig({ unreviewable: 'warn', gate: 'medium' }, RULE_IDS);
    const result = await review({ files: [{ path: 'bin.yaml', headText: 'a\0b' }, { path: HEALTHY_PATH, headText: HEALTHY }], config });
    expect(result.findings[0]).toMatchObject({ ruleId: 'warden/not-reviewed', severity: 'low', file: 'bin.yaml' });
    expect(notReviewedOf(result, 'bin.yaml')).toMatch(/^binary content\. Listed only \(`unreviewable: warn`\)\.$/);
    expect(result.gating.map((f) => f.ruleId)).not.toContain('warden/not-reviewed');
    expect(result.gating.map((f) => f.ruleId)).toContain('k8s/privileged');
  });

  it('config: `unreviewable` takes fail or warn, and the rule cannot be turned off under `rules`', () => {
    expect(resolveConfig({}, RULE_IDS).unreviewable).toBe('fail');
    expect(() => resolveConfig({ unreviewable: 'ignore' }, RULE_IDS)).toThrow(/`unreviewable` must be one of: fail, warn/);
    expect(() => resolveConfig({ rules: { 'warden/not-reviewed': 'off' } }, RULE_IDS)).toThrow(ConfigError);
    expect(() => resolveConfig({ rules: { 'warden/not-reviewed': 'low' } }, RULE_IDS)).toThrow(/set with `unreviewable: fail \| warn`/);
  });
});

/** A privileged, hostPID Deployment. */
const PRIVILEGED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: model
  namespace: serving
spec:
  selector:
    matchLabels: { app: model }
  template:
    metadata:
      labels: { app: model }
    spec:
      hostPID: true
      containers:
        - name: server
          image: registry.example/triton:1.0
          args:
            - --model_name={{.Name}}
            - "--model_dir=/mnt/{{ .Name }}"
          securityContext:
            privileged: true
`;

describe('templates told apart from manifests', () => {
  it('a `# {{ if }}` comment above a privileged hostPID Deployment: reviewed, and it fails on k8s/privileged', async () => {
    const result = await reviewWith([{ path: 'k8s/model.yaml', headText: `# {{ if .Values.enabled }} …\n${PRIVILEGED_DEPLOYMENT}` }]);
    expect(notReviewedOf(result, 'k8s/model.yaml')).toBeNull();
    const gating = result.gating.filter((f) => f.file === 'k8s/model.yaml').map((f) => f.ruleId);
    expect(gating).toEqual(expect.arrayContaining(['k8s/privileged', 'k8s/host-namespaces']));
  });

  it('a Helm chart\'s template that cannot be rendered (a helper the chart lacks) is not reviewed, its Chart.yaml changed or in the repository', async () => {
    const template = PRIVILEGED_DEPLOYMENT.replace('name: model', 'name: {{ include "model.fullname" . }}');
    const changed = await review({
      files: [
        { path: 'charts/model/Chart.yaml', headText: 'apiVersion: v2\nname: model\nversion: 1.0.0\n' },
        { path: 'charts/model/templates/deployment.yaml', headText: template },
      ],
      config: DEFAULT_CONFIG,
    });
    expectNotReviewed(changed, 'charts/model/templates/deployment.yaml', /not rendered/);
    const inRepository = await review({
      files: [{ path: 'charts/model/templates/deployment.yaml', headText: template }],
      config: DEFAULT_CONFIG,
      reader: memoryReader({ 'charts/model/Chart.yaml': 'apiVersion: v2\n', 'charts/model/templates/deployment.yaml': template }),
    });
    // Here the chart itself (its Chart.yaml names no chart) cannot be rendered: the gate fails on it.
    expect(inRepository.gating.filter((f) => f.ruleId === 'warden/not-reviewed' && f.file.startsWith('charts/model/')).length).toBeGreaterThan(0);
    expect(inRepository.findings.filter((f) => f.ruleId === 'k8s/privileged')).toEqual([]);
  });

  it('a template outside a chart that is not valid YAML is not reviewed either', async () => {
    const result = await reviewWith([{ path: 'k8s/jinja.yaml', headText: `{% raw %}\n${PRIVILEGED_DEPLOYMENT.replace('hostPID: true', '{{- if .hostPID }}\n      hostPID: true\n{{- end }}')}` }]);
    expectNotReviewed(result, 'k8s/jinja.yaml', /^template actions \(`\{\{ … \}\}`\) outside quoted strings \(line 14\)/);
    expectHealthyReviewed(result);
  });
});

describe('a Terraform JSON file nested 8,000 objects deep', () => {
  const depth = 8000;
  const nested = `{"resource":{"aws_s3_bucket_acl":{"b":{"bucket":"b","acl":"public-read","tags":${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}}}}}`;

  it('is not reviewed, and the rest is', async () => {
    const result = await reviewWith([{ path: 'tf/deep.tf.json', headText: nested }]);
    expectNotReviewed(result, 'tf/deep.tf.json', /nests deeper than 200 levels \(line 1\)/);
    expectHealthyReviewed(result);
  });

  it('leaves the command-line process alive: it exits 1 with the finding (it aborted with SIGABRT)', async () => {
    const file = join(dir, 'deep.tf.json');
    writeFileSync(file, nested);
    const script = `const { main } = await import(${JSON.stringify(new URL('../../src/cli.ts', import.meta.url).href)}); process.exitCode = await main(['scan', ${JSON.stringify(file)}, '--format', 'json']);`;
    const child = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { maxBuffer: 16 * 1024 * 1024 }).then(
      (done) => ({ code: 0, stdout: done.stdout }),
      (failed: { code?: number; signal?: string; stdout?: string }) => ({ code: failed.code ?? failed.signal, stdout: failed.stdout ?? '' }),
    );
    expect(child.code).toBe(1);
    const out = JSON.parse(child.stdout) as { findings: { ruleId: string }[] };
    expect(out.findings.map((f) => f.ruleId)).toEqual(['warden/not-reviewed']);
  }, 60_000);
});
