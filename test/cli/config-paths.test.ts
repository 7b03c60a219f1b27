// The config's path globs are repository paths (as the App matches them), however the command line names the files.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, PRIVILEGED_POD, warden } from './helpers.js';

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'warden-config-paths-'));
  mkdirSync(join(repo, '.github'));
  mkdirSync(join(repo, 'k8s', 'vendor'), { recursive: true });
  mkdirSync(join(repo, 'deploy', 'base'), { recursive: true });
  mkdirSync(join(repo, 'deploy', 'prod'), { recursive: true });
  writeFileSync(join(repo, '.github', 'warden.yml'), 'paths:\n  include: ["k8s/**/*.yaml", "deploy/**/*.yaml"]\n  exclude: ["k8s/vendor/**"]\n');
  writeFileSync(join(repo, 'k8s', 'vendor', 'pod.yaml'), PRIVILEGED_POD);
  writeFileSync(join(repo, 'k8s', 'pod.yaml'), PRIVILEGED_POD);
  // An overlay that makes its base's Pod privileged.
  writeFileSync(join(repo, 'deploy', 'base', 'kustomization.yaml'), 'resources: [pod.yaml]\n');
  writeFileSync(join(repo, 'deploy', 'base', 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.0\n');
  writeFileSync(
    join(repo, 'deploy', 'prod', 'kustomization.yaml'),
    'resources: [../base]\npatches:\n- target: {kind: Pod}\n  patch: |\n    - op: add\n      path: /spec/containers/0/securityContext\n      value: {privileged: true}\n',
  );
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'x');
});

const privilegedIn = (stdout: string) =>
  (JSON.parse(stdout).findings as { ruleId: string; file: string }[]).filter((f) => f.ruleId === 'k8s/privileged').map((f) => f.file);

describe('the config path globs on the command line', () => {
  it('leave out what `paths.exclude` names whichever folder is scanned, from whichever folder, but not a file named', async () => {
    expect(privilegedIn((await warden(['scan', '.', '--format', 'json'], repo)).stdout)).toEqual(['deploy/prod/kustomization.yaml', 'k8s/pod.yaml']);
    expect(privilegedIn((await warden(['scan', 'k8s/', '--format', 'json'], repo)).stdout)).toEqual(['k8s/pod.yaml']);
    const config = join(repo, '.github', 'warden.yml');
    expect(privilegedIn((await warden(['scan', join(repo, 'k8s'), '--config', config, '--format', 'json'])).stdout)).toEqual([join(repo, 'k8s', 'pod.yaml')]);
    // From a subfolder: the repository's config is found at its top, and its globs still match repository paths.
    expect(privilegedIn((await warden(['scan', '.', '--format', 'json'], join(repo, 'k8s'))).stdout)).toEqual(['pod.yaml']);
    // A file named explicitly is reviewed whatever they say.
    expect(privilegedIn((await warden(['scan', 'vendor/pod.yaml', '--format', 'json'], join(repo, 'k8s'))).stdout)).toEqual(['vendor/pod.yaml']);
  });

  it('take in what `paths.include` names from inside it: an overlay scanned from its folder composes its base', async () => {
    const { stdout } = await warden(['scan', '.', '--config', '../../.github/warden.yml', '--format', 'json'], join(repo, 'deploy', 'prod'));
    expect(privilegedIn(stdout)).toEqual(['kustomization.yaml']);
  });

  it('leave out of `warden fix` what `paths.exclude` names, run from a subfolder', async () => {
    const { stdout } = await warden(['fix', '.', '--dry-run'], join(repo, 'k8s'));
    expect(stdout).toContain('+++ b/k8s/pod.yaml');
    expect(stdout).not.toContain('vendor');
    expect(readFileSync(join(repo, 'k8s', 'vendor', 'pod.yaml'), 'utf8')).toBe(PRIVILEGED_POD);
  });
});

it('`warden diff` run from a subfolder reads the repository\'s config', async () => {
  const changed = mkdtempSync(join(tmpdir(), 'warden-config-diff-'));
  mkdirSync(join(changed, '.github'));
  mkdirSync(join(changed, 'k8s', 'vendor'), { recursive: true });
  writeFileSync(join(changed, '.github', 'warden.yml'), 'paths:\n  exclude: ["k8s/vendor/**"]\n');
  git(changed, 'init', '-q');
  git(changed, 'add', '-A');
  git(changed, 'commit', '-qm', 'x');
  writeFileSync(join(changed, 'k8s', 'vendor', 'pod.yaml'), PRIVILEGED_POD);
  writeFileSync(join(changed, 'k8s', 'pod.yaml'), PRIVILEGED_POD);
  git(changed, 'add', '-A');
  const { stdout } = await warden(['diff', '--base', 'HEAD', '--format', 'json'], join(changed, 'k8s'));
  expect(privilegedIn(stdout)).toEqual(['k8s/pod.yaml']);
});

describe('the chart folders of `helm.charts` on the command line', () => {
  let charts: string;
  beforeAll(() => {
    charts = mkdtempSync(join(tmpdir(), 'warden-config-charts-'));
    mkdirSync(join(charts, '.github'));
    mkdirSync(join(charts, 'charts', 'model', 'templates'), { recursive: true });
    mkdirSync(join(charts, 'envs'));
    writeFileSync(join(charts, '.github', 'warden.yml'), 'helm:\n  charts:\n    charts/model: { values: [../../envs/prod.yaml] }\n');
    writeFileSync(join(charts, 'charts', 'model', 'Chart.yaml'), 'apiVersion: v2\nname: model\nversion: 1.0.0\n');
    writeFileSync(join(charts, 'charts', 'model', 'values.yaml'), 'privileged: false\n');
    writeFileSync(join(charts, 'charts', 'model', 'templates', 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.0\n    securityContext:\n      privileged: {{ .Values.privileged }}\n');
    // Only the config names this values file: it is rendered only when the chart is known by its folder.
    writeFileSync(join(charts, 'envs', 'prod.yaml'), 'privileged: true\n');
    git(charts, 'init', '-q');
    git(charts, 'add', '-A');
    git(charts, 'commit', '-qm', 'x');
  });

  it('render the chart with its configured values files whichever way it is named', async () => {
    expect(privilegedIn((await warden(['scan', 'charts/model', '--format', 'json'], charts)).stdout)).toEqual(['envs/prod.yaml']);
    expect(privilegedIn((await warden(['scan', '.', '--format', 'json'], join(charts, 'charts', 'model'))).stdout)).toEqual(['../../envs/prod.yaml']);
    const config = join(charts, '.github', 'warden.yml');
    expect(privilegedIn((await warden(['scan', join(charts, 'charts', 'model'), '--config', config, '--format', 'json'])).stdout)).toEqual([join(charts, 'envs', 'prod.yaml')]);
  });

  it('render it so in `warden fix` too', async () => {
    const { stdout } = await warden(['fix', '.'], join(charts, 'charts', 'model'));
    expect(stdout).toContain('../../envs/prod.yaml:1 k8s/privileged');
  });
});

describe('the `terraform.var_files` on the command line', () => {
  let infra: string;
  beforeAll(() => {
    infra = mkdtempSync(join(tmpdir(), 'warden-config-var-files-'));
    mkdirSync(join(infra, '.github'));
    mkdirSync(join(infra, 'infra'));
    writeFileSync(join(infra, '.github', 'warden.yml'), 'terraform:\n  var_files: ["infra/prod.tfvars"]\n');
    writeFileSync(join(infra, 'infra', 'main.tf'), 'variable "acl" {\n  default = "private"\n}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n');
    // Terraform reads it only as the config names it (-var-file).
    writeFileSync(join(infra, 'infra', 'prod.tfvars'), 'acl = "public-read"\n');
    git(infra, 'init', '-q');
    git(infra, 'add', '-A');
    git(infra, 'commit', '-qm', 'x');
  });

  const publicAcl = (stdout: string) => (JSON.parse(stdout).findings as { ruleId: string; file: string }[]).filter((f) => f.ruleId === 'aws/s3-public-acl').map((f) => f.file);

  it('read the definitions files it names whichever way the module is named', async () => {
    expect(publicAcl((await warden(['scan', 'infra', '--format', 'json'], infra)).stdout)).toEqual(['infra/prod.tfvars']);
    expect(publicAcl((await warden(['scan', '.', '--format', 'json'], join(infra, 'infra'))).stdout)).toEqual(['prod.tfvars']);
    const config = join(infra, '.github', 'warden.yml');
    expect(publicAcl((await warden(['scan', join(infra, 'infra'), '--config', config, '--format', 'json'])).stdout)).toEqual([join(infra, 'infra', 'prod.tfvars')]);
  });

  it('read them for a file of the module scanned alone, as Terraform reads them for its module, from any folder', async () => {
    expect(publicAcl((await warden(['scan', 'infra/main.tf', '--format', 'json'], infra)).stdout)).toEqual(['infra/prod.tfvars']);
    expect(publicAcl((await warden(['scan', 'main.tf', '--format', 'json'], join(infra, 'infra'))).stdout)).toEqual(['prod.tfvars']);
  });
});
