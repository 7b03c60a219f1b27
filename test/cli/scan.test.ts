import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRIVILEGED_POD, warden } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warden-scan-'));
  mkdirSync(join(dir, 'k8s'));
  mkdirSync(join(dir, 'tf'));
  mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'k8s', 'pod.yaml'), PRIVILEGED_POD);
  // Line 5 nests a mapping in a compact mapping.
  writeFileSync(join(dir, 'k8s', 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata: a: b\nother: 1\n');
  // Line 3 has an attribute with no value.
  writeFileSync(join(dir, 'tf', 'broken.tf'), 'resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl =\n}\n');
  writeFileSync(join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: chart\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'chart', 'templates', 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "chart.fullname" . }}\n');
  writeFileSync(join(dir, 'README.md'), '# not IaC\n');
  // JSON that is not Kubernetes is skipped quietly: no parse error, no note.
  writeFileSync(join(dir, 'package.json'), '{ "name": "ui", "version": "1.0.0" }\n');
  writeFileSync(join(dir, 'k8s', 'dashboard.json'), '{ "title": "GPU", "panels": [{ "type": "timeseries" }] }\n');
  writeFileSync(join(dir, 'tsconfig.json'), '{\n  // comments are not JSON\n  "compilerOptions": {}\n}\n');
});

describe('warden scan', () => {
  it('reports a parse error at the parser line for each broken file, the Helm template as not reviewed, and reviews the rest', async () => {
    const { code, stdout } = await warden(['scan', dir, '--format', 'json']);
    const out = JSON.parse(stdout);
    const parseErrors = out.findings.filter((f: { ruleId: string }) => f.ruleId === 'warden/parse-error');
    expect(parseErrors.map((f: { file: string; line: number }) => [f.file, f.line])).toEqual([
      [join(dir, 'k8s', 'broken.yaml'), 5],
      [join(dir, 'tf', 'broken.tf'), 3],
    ]);
    expect(out.errors).toEqual([]);
    const notReviewed = out.findings.filter((f: { ruleId: string }) => f.ruleId === 'warden/not-reviewed');
    expect(notReviewed.map((f: { file: string; message: string }) => [f.file, f.message])).toEqual([
      // The chart is rendered (its folder read around the scanned files): the template names what it lacks.
      [join(dir, 'chart', 'templates', 'deployment.yaml'), expect.stringMatching(/nothing in it was checked: Helm: not rendered .*line 4: .*no such template "chart\.fullname"/)],
    ]);
    const privileged = out.findings.find((f: { ruleId: string }) => f.ruleId === 'k8s/privileged');
    expect(privileged).toMatchObject({ file: join(dir, 'k8s', 'pod.yaml'), line: 11, resource: 'Pod/models/debug', severity: 'critical' });
    expect(out.stats.files).toBe(4);
    expect(code).toBe(1);
  });

  it("reads OpenTofu's `.tofu` files of a folder, with the variables of its `.tf` files", async () => {
    const tofu = mkdtempSync(join(tmpdir(), 'warden-tofu-'));
    writeFileSync(join(tofu, 'variables.tf'), 'variable "acl" {\n  default = "public-read"\n}\n');
    writeFileSync(join(tofu, 'main.tofu'), 'resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n');
    const { code, stdout } = await warden(['scan', tofu, '--format', 'json']);
    const acl = JSON.parse(stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'aws/s3-public-acl');
    expect(acl.map((f: { file: string; line: number }) => [f.file, f.line])).toEqual([[join(tofu, 'main.tofu'), 3]]);
    expect(code).toBe(1);
  });

  it('reads a Terragrunt unit: a public ACL input of its local module is found at its line in terragrunt.hcl', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-terragrunt-'));
    mkdirSync(join(repo, 'modules', 'bucket'), { recursive: true });
    mkdirSync(join(repo, 'live', 'prod', 'bucket'), { recursive: true });
    writeFileSync(join(repo, 'modules', 'bucket', 'main.tf'), 'variable "acl" {\n  default = "private"\n}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n');
    writeFileSync(join(repo, 'live', 'prod', 'bucket', 'terragrunt.hcl'), 'terraform {\n  source = "../../../modules//bucket"\n}\ninputs = {\n  acl = "public-read"\n}\n');
    const { code, stdout } = await warden(['scan', repo, '--format', 'json']);
    const acl = JSON.parse(stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'aws/s3-public-acl');
    expect(acl.map((f: { file: string; line: number }) => [f.file, f.line])).toEqual([[join(repo, 'live', 'prod', 'bucket', 'terragrunt.hcl'), 5]]);
    expect(code).toBe(1);
  });

  it('reads the root.hcl a Terragrunt unit includes, though no `paths.include` glob names it: its public ACL input is found there', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-terragrunt-'));
    mkdirSync(join(repo, 'modules', 'bucket'), { recursive: true });
    mkdirSync(join(repo, 'live', 'prod', 'bucket'), { recursive: true });
    writeFileSync(join(repo, 'modules', 'bucket', 'main.tf'), 'variable "acl" {}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n');
    writeFileSync(join(repo, 'live', 'root.hcl'), 'inputs = {\n  acl = "public-read"\n}\n');
    writeFileSync(join(repo, 'live', 'prod', 'bucket', 'terragrunt.hcl'), 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\nterraform {\n  source = "../../../modules//bucket"\n}\n');
    const { code, stdout } = await warden(['scan', repo, '--format', 'json']);
    const found = JSON.parse(stdout).findings as { ruleId: string; file: string; line: number }[];
    expect(found.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    expect(found.filter((f) => f.ruleId === 'aws/s3-public-acl').map((f) => [f.file, f.line])).toEqual([[join(repo, 'live', 'root.hcl'), 2]]);
    expect(code).toBe(1);
  });

  it('scans a folder of a git repository whose module call leads out of it: the module is read, its public ACL found at the call, whatever the names start from', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-module-'));
    execFileSync('git', ['init', '-q', repo]);
    mkdirSync(join(repo, 'modules', 'bucket'), { recursive: true });
    mkdirSync(join(repo, 'live'), { recursive: true });
    writeFileSync(join(repo, 'modules', 'bucket', 'main.tf'), 'variable "acl" {}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n');
    writeFileSync(join(repo, 'live', 'main.tf'), 'module "b" {\n  source = "../modules/bucket"\n  acl    = "public-read"\n}\n');
    const acl = async (args: string[], cwd?: string) => {
      const { code, stdout } = await warden(['scan', ...args, '--format', 'json'], cwd);
      return { code, found: (JSON.parse(stdout).findings as { ruleId: string; file: string; line: number }[]).map((f) => `${f.ruleId} ${f.file}:${f.line}`) };
    };
    expect(await acl(['live'], repo)).toEqual({ code: 1, found: ['aws/s3-public-acl live/main.tf:3'] });
    expect(await acl([join(repo, 'live')])).toEqual({ code: 1, found: [`aws/s3-public-acl ${join(repo, 'live', 'main.tf')}:3`] });
    expect(await acl(['.'], join(repo, 'live'))).toEqual({ code: 1, found: ['aws/s3-public-acl main.tf:3'] });
  });

  it('scans a Terragrunt unit from its own folder: the root.hcl it includes above is found, and its public ACL input', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-terragrunt-'));
    execFileSync('git', ['init', '-q', repo]);
    mkdirSync(join(repo, 'modules', 'bucket'), { recursive: true });
    mkdirSync(join(repo, 'live', 'prod', 'bucket'), { recursive: true });
    writeFileSync(join(repo, 'modules', 'bucket', 'main.tf'), 'variable "acl" {}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n');
    writeFileSync(join(repo, 'live', 'root.hcl'), 'inputs = {\n  acl = "public-read"\n}\n');
    writeFileSync(join(repo, 'live', 'prod', 'bucket', 'terragrunt.hcl'), 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\nterraform {\n  source = "../../../modules//bucket"\n}\n');
    const { code, stdout } = await warden(['scan', '.', '--format', 'json'], join(repo, 'live', 'prod', 'bucket'));
    const found = (JSON.parse(stdout).findings as { ruleId: string; file: string; line: number }[]).map((f) => `${f.ruleId} ${f.file}:${f.line}`);
    expect(found).toEqual(['aws/s3-public-acl ../../root.hcl:2']);
    expect(code).toBe(1);
  });

  it('prints the JSON contract of DESIGN.md', async () => {
    const { stdout } = await warden(['scan', join(dir, 'k8s', 'pod.yaml'), '--format', 'json']);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['findings', 'fixes', 'errors', 'stats']);
    expect(Object.keys(out.stats)).toEqual(['files', 'resources', 'ms']);
    const finding = out.findings.find((f: { ruleId: string }) => f.ruleId === 'k8s/privileged');
    expect(Object.keys(finding)).toEqual(['ruleId', 'severity', 'message', 'file', 'line', 'endLine', 'resource', 'fingerprint', 'fix', 'suppressed']);
    // The container's other fixes touch the same lines: one combined edit fixes them all, privileged included.
    expect(finding.fix).toEqual({ description: expect.any(String), edits: [expect.objectContaining({ file: join(dir, 'k8s', 'pod.yaml'), startLine: 11 })] });
    expect(finding.fix.edits[0].replacement).toContain('      privileged: false');
    const planned = out.fixes.find((f: { fingerprints: string[] }) => f.fingerprints.includes(finding.fingerprint));
    expect(planned).toMatchObject({ file: join(dir, 'k8s', 'pod.yaml'), applicability: expect.stringMatching(/^(safe|unsafe)$/), edits: finding.fix.edits });
    expect(Object.keys(planned)).toEqual(['file', 'fingerprints', 'description', 'applicability', 'edits']);
    expect(finding.suppressed).toBeNull();
    expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('exits 0 when nothing reaches --severity, 1 when something does, 2 on usage errors', async () => {
    const file = join(dir, 'k8s', 'pod.yaml');
    expect((await warden(['scan', file, '--format', 'json', '--severity', 'critical'])).code).toBe(1);
    const configFile = join(dir, 'off.yml');
    writeFileSync(configFile, 'rules:\n  k8s/privileged: low\n');
    const lowered = await warden(['scan', file, '--format', 'json', '--config', configFile, '--severity', 'critical']);
    expect(JSON.parse(lowered.stdout).findings.filter((f: { severity: string }) => f.severity === 'critical')).toEqual([]);
    expect(lowered.code).toBe(0);
    expect((await warden(['scan', join(dir, 'missing')])).code).toBe(2);
    expect((await warden(['scan', file, '--format', 'xml'])).code).toBe(2);
    expect((await warden(['frobnicate'])).code).toBe(2);
  });

  it('names the offending key of an invalid config and exits 2', async () => {
    const configFile = join(dir, 'bad.yml');
    writeFileSync(configFile, 'review:\n  max_coments: 5\n');
    const { code, stderr } = await warden(['scan', dir, '--config', configFile]);
    expect(code).toBe(2);
    expect(stderr).toContain('review.max_coments');
  });

  it('renders SARIF 2.1.0 with rule help, fingerprints and fixes', async () => {
    const { stdout } = await warden(['scan', join(dir, 'k8s', 'pod.yaml'), '--format', 'sarif']);
    const log = JSON.parse(stdout);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'k8s/privileged');
    const rule = run.tool.driver.rules[result.ruleIndex];
    expect(rule.id).toBe('k8s/privileged');
    expect(rule.help.markdown).toContain('Fix');
    expect(rule.properties['security-severity']).toBe('9.5');
    expect(result.partialFingerprints['wardenFingerprint/v1']).toMatch(/^[0-9a-f]{32}$/);
    const replacement = result.fixes[0].artifactChanges[0].replacements[0];
    expect(replacement.deletedRegion.startLine).toBe(11);
    expect(replacement.insertedContent.text).toContain('      privileged: false');
  });

  it('shows the suggested patch in text output', async () => {
    const { stdout } = await warden(['scan', join(dir, 'k8s', 'pod.yaml')]);
    expect(stdout).toContain('-      privileged: true');
    expect(stdout).toContain('+      privileged: false');
  });
});

describe('warden scan, cross-resource rules', () => {
  it('reads the rest of the scanned repository for a default-deny NetworkPolicy', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-repo-'));
    mkdirSync(join(repo, 'apps'));
    mkdirSync(join(repo, 'policies'));
    writeFileSync(join(repo, 'apps', 'pod.yaml'), PRIVILEGED_POD);
    const missing = JSON.parse((await warden(['scan', join(repo, 'apps'), '--format', 'json'])).stdout);
    expect(missing.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('k8s/network-policy-missing');

    writeFileSync(
      join(repo, 'policies', 'deny.yaml'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: models\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n',
    );
    // The policy lives outside the scanned folder, in the same repository.
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const covered = JSON.parse((await warden(['scan', join(repo, 'apps'), '--format', 'json'])).stdout);
    expect(covered.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('k8s/network-policy-missing');
  });
});

describe('warden for code scanning', () => {
  it('prints SARIF URIs relative to the repository root, from any working folder, with automationDetails', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-sarif-'));
    execFileSync('git', ['init', '-q', repo]);
    mkdirSync(join(repo, 'deploy', 'k8s'), { recursive: true });
    mkdirSync(join(repo, 'docs'));
    writeFileSync(join(repo, 'deploy', 'k8s', 'pod.yaml'), PRIVILEGED_POD);
    writeFileSync(join(repo, 'docs', 'README.md'), '# docs\n');
    const uris = async (args: string[], cwd: string) => {
      const log = JSON.parse((await warden([...args, '--format', 'sarif'], cwd)).stdout);
      expect(log.runs[0].automationDetails).toEqual({ id: 'warden/' });
      return log.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation);
    };
    for (const [args, cwd] of [
      [['scan', 'deploy'], repo],
      [['scan', join('..', 'deploy', 'k8s', 'pod.yaml')], join(repo, 'docs')],
      [['scan', join(repo, 'deploy')], tmpdir()],
    ] as const) {
      const locations = await uris([...args], cwd);
      expect(locations.length).toBeGreaterThan(0);
      for (const location of locations) expect(location).toEqual({ uri: 'deploy/k8s/pod.yaml', uriBaseId: '%SRCROOT%' });
    }
  });

  it('renders a Helm chart named by an absolute path from another working folder, as from its own', async () => {
    // The chart's helpers and values are read around the scanned files, in the names the scan gives them.
    const outside = mkdtempSync(join(tmpdir(), 'warden-chart-'));
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'charts', 'model-server'), join(outside, 'model-server'), { recursive: true });
    // A finding to place: the chart's container made privileged through its values.
    const values = join(outside, 'model-server', 'values.yaml');
    writeFileSync(values, readFileSync(values, 'utf8').replace('  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'warden-cwd-'));
    const fromElsewhere = JSON.parse((await warden(['scan', outside, '--format', 'json'], elsewhere)).stdout);
    const fromInside = JSON.parse((await warden(['scan', '.', '--format', 'json'], outside)).stdout);
    expect(fromElsewhere.findings.filter((f: { ruleId: string }) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    const rows = (out: { findings: { ruleId: string; file: string; line: number }[] }, base: string) => out.findings.map((f) => [f.ruleId, join(base, f.file), f.line]);
    expect(rows(fromElsewhere, '/')).toEqual(rows(fromInside, outside));
    expect(fromElsewhere.findings.length).toBeGreaterThan(0);
    expect(fromElsewhere.stats).toEqual({ ...fromInside.stats, ms: fromElsewhere.stats.ms });
  });

  it('prints its version', async () => {
    const { code, stdout } = await warden(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
