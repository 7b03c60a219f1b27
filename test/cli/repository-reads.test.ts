// What a review reads beyond the changed files (a chart's templates, a kustomization's base, a module's other files):
// a symbolic link inside the repository is read as the file it leads to, as Helm and Kustomize read it; a file there
// that Warden does not read (a link out of the repository, binary, too large) is never taken for one not there.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, warden } from './helpers.js';

type Out = { findings: { ruleId: string; file: string; line: number; message: string }[]; errors: { file: string; message: string }[] };

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: models
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.25
`;
const patch = (privileged: boolean) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: models\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          securityContext:\n            privileged: ${privileged}\n`;

function written(root: string, files: Record<string, string | Uint8Array>, links: Record<string, string> = {}): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(target, join(root, path));
  }
}

/** A repository at `main` with these files, on a new branch `change` for what a test changes. */
function repository(files: Record<string, string | Uint8Array>, links: Record<string, string> = {}): string {
  const repo = mkdtempSync(join(tmpdir(), 'warden-reads-'));
  git(repo, 'init', '-q', '-b', 'main');
  written(repo, files, links);
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'base');
  git(repo, 'checkout', '-qb', 'change');
  return repo;
}

const kustomized = {
  'serving/common/deployment.yaml': DEPLOYMENT,
  'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'serving/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n',
  'serving/prod/patch.yaml': patch(false),
};

describe('what a review reads beyond the changed files', () => {
  it('a kustomization’s base that is a link inside the repository is composed as the file it leads to, at a git ref as in the working tree', async () => {
    const repo = repository(kustomized, { 'serving/base/deployment.yaml': '../common/deployment.yaml' });
    written(repo, { 'serving/prod/patch.yaml': patch(true) });
    git(repo, 'commit', '-qam', 'privileged');
    for (const head of [['--head', 'change'], []]) {
      const out = JSON.parse((await warden(['diff', '--base', 'main', ...head, '--format', 'json'], repo)).stdout) as Out;
      expect(out.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => `${f.file}:${f.line}`)).toEqual(['serving/prod/patch.yaml:12']);
      expect(out.findings.map((f) => f.ruleId)).not.toContain('warden/not-reviewed');
    }
  });

  it('a link the change adds to a manifest it does not touch deploys that manifest anew: reviewed whole where it is written, at a git ref as in the working tree', async () => {
    // The object that gates is the file's second: a link's own one-line change touches no line of it.
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: debug\n  namespace: models\n---\n';
    const repo = repository({ 'examples/debug.yaml': configMap + DEPLOYMENT.replace('image: nginx:1.25', 'image: nginx:1.25\n          securityContext:\n            privileged: true') });
    written(repo, {}, { 'serving/debug.yaml': '../examples/debug.yaml' });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'link');
    const atRef = JSON.parse((await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo)).stdout) as Out;
    expect(atRef.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => `${f.file}:${f.line}`)).toEqual(['examples/debug.yaml:23']);
    expect(atRef.errors).toContainEqual({ file: 'examples/debug.yaml', message: expect.stringContaining('deployed anew through `serving/debug.yaml`') });
    const working = JSON.parse((await warden(['diff', '--base', 'main', '--format', 'json'], repo)).stdout) as Out;
    expect(working.findings).toEqual(atRef.findings);
  });

  it('a base that leads out of the repository is not composed, and the patch on it fails closed saying why', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'warden-outside-'));
    writeFileSync(join(outside, 'deployment.yaml'), DEPLOYMENT);
    const repo = repository(kustomized, { 'serving/base/deployment.yaml': join(outside, 'deployment.yaml') });
    written(repo, { 'serving/prod/patch.yaml': patch(true) });
    git(repo, 'commit', '-qam', 'privileged');
    const out = JSON.parse((await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo)).stdout) as Out;
    expect(out.findings.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => f.file)).toContain('serving/prod/patch.yaml');
    expect(out.errors).toContainEqual({ file: 'serving/base/deployment.yaml', message: expect.stringContaining('a symbolic link out of the repository') });
  });

  it('a chart whose unchanged template Warden does not read is not rendered: its changed values fail closed, naming the template and why', async () => {
    const chart = {
      'charts/model/Chart.yaml': 'apiVersion: v2\nname: model\nversion: 1.0.0\n',
      'charts/model/values.yaml': 'privileged: false\n',
      'charts/model/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: models\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    securityContext:\n      privileged: {{ .Values.privileged }}\n',
      // Not UTF-8: Helm would render it, Warden cannot read it.
      'charts/model/templates/config.yaml': Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]),
      // An icon only `.Files` reads: the chart renders without it.
      'charts/model/files/icon.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
    };
    const repo = repository(chart);
    written(repo, { 'charts/model/values.yaml': 'privileged: true\n' });
    git(repo, 'commit', '-qam', 'privileged');
    const out = JSON.parse((await warden(['diff', '--base', 'main', '--format', 'json'], repo)).stdout) as Out;
    const unreviewed = out.findings.filter((f) => f.ruleId === 'warden/not-reviewed');
    expect(unreviewed.map((f) => f.file)).toEqual(['charts/model/values.yaml']);
    expect(unreviewed[0]!.message).toContain('`charts/model/templates/config.yaml` is not read (not valid UTF-8');

    // With that template readable, the chart renders (the icon left out, and said) and the value is found where it is set.
    const again = repository({ ...chart, 'charts/model/templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: models\n' });
    written(again, { 'charts/model/values.yaml': 'privileged: true\n' });
    git(again, 'commit', '-qam', 'privileged');
    const rendered = JSON.parse((await warden(['diff', '--base', 'main', '--format', 'json'], again)).stdout) as Out;
    expect(rendered.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => `${f.file}:${f.line}`)).toEqual(['charts/model/values.yaml:1']);
    expect(rendered.findings.map((f) => f.ruleId)).not.toContain('warden/not-reviewed');
    expect(rendered.errors).toContainEqual({ file: 'charts/model/files/icon.png', message: expect.stringContaining('not read (binary content') });

    // Once a template reads `.Files`, the file it may read is needed too: the chart is not rendered without it.
    const reading = repository({ ...chart, 'charts/model/templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: models\nbinaryData:\n  icon: {{ .Files.Get "files/icon.png" | b64enc }}\n' });
    written(reading, { 'charts/model/values.yaml': 'privileged: true\n' });
    git(reading, 'commit', '-qam', 'privileged');
    const unrendered = JSON.parse((await warden(['diff', '--base', 'main', '--format', 'json'], reading)).stdout) as Out;
    expect(unrendered.findings.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => [f.file, f.message.includes('`charts/model/files/icon.png` is not read (binary content')])).toEqual([['charts/model/values.yaml', true]]);
  });

  it('another file of a changed Terraform module that Warden does not read is said, not taken for one not there', async () => {
    const repo = repository({
      'infra/main.tf': 'resource "aws_s3_bucket" "models" {\n  bucket = var.bucket\n}\n',
      'infra/variables.tf': Buffer.from('variable "bucket" {\n  default = "models\xff"\n}\n', 'latin1'),
    });
    written(repo, { 'infra/main.tf': 'resource "aws_s3_bucket" "models" {\n  bucket = var.bucket\n  force_destroy = true\n}\n' });
    git(repo, 'commit', '-qam', 'change');
    const out = JSON.parse((await warden(['diff', '--base', 'main', '--format', 'json'], repo)).stdout) as Out;
    expect(out.errors).toContainEqual({ file: 'infra/variables.tf', message: expect.stringMatching(/^not read \(not valid UTF-8.*what it defines/) });
  });
});
