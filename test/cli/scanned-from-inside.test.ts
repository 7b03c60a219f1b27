// A file scanned from inside its chart or Kustomize layout is reviewed as the part of it it is, as from the
// repository's root: the review reads repository paths, the output names the files as the user did.
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, warden } from './helpers.js';

type Out = { findings: { ruleId: string; file: string }[] };
/** The files of a scan's findings of `ruleId` and of warden/not-reviewed (with why), the only ones that differ here. */
const privilegedAndNotReviewed = (stdout: string) =>
  (JSON.parse(stdout) as Out).findings.filter((f) => f.ruleId === 'k8s/privileged' || f.ruleId === 'warden/not-reviewed').map((f) => `${f.ruleId} ${f.file}`);

/** A chart whose values make its Pod privileged: rendered, the finding is on `values.yaml`; unrendered, not reviewed. */
function writeChart(dir: string): void {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'values.yaml'), 'privileged: true\n');
  writeFileSync(join(dir, 'templates', '_helpers.tpl'), '{{- define "app.name" -}}app{{- end -}}\n');
  writeFileSync(
    join(dir, 'templates', 'deployment.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ include "app.name" . }}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.0\n    securityContext:\n      privileged: {{ .Values.privileged }}\n',
  );
}

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'warden-from-inside-'));
  writeChart(join(repo, 'charts', 'app'));
  mkdirSync(join(repo, 'deploy', 'base'), { recursive: true });
  mkdirSync(join(repo, 'deploy', 'prod'), { recursive: true });
  writeFileSync(join(repo, 'deploy', 'base', 'kustomization.yaml'), 'resources: [pod.yaml]\n');
  writeFileSync(join(repo, 'deploy', 'base', 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.0\n');
  // The overlay's patch makes the base's Pod privileged.
  writeFileSync(join(repo, 'deploy', 'prod', 'kustomization.yaml'), 'resources: [../base]\npatches:\n- path: privileged.yaml\n');
  writeFileSync(join(repo, 'deploy', 'prod', 'privileged.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    securityContext:\n      privileged: true\n');
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'x');
});

describe('warden scan from inside a Helm chart', () => {
  it('renders a template scanned from its templates folder with its chart, as from the root', async () => {
    expect(privilegedAndNotReviewed((await warden(['scan', 'charts/app/templates/deployment.yaml', '--format', 'json'], repo)).stdout)).toEqual(['k8s/privileged charts/app/values.yaml']);
    const templates = join(repo, 'charts', 'app', 'templates');
    expect(privilegedAndNotReviewed((await warden(['scan', 'deployment.yaml', '--format', 'json'], templates)).stdout)).toEqual(['k8s/privileged ../values.yaml']);
    expect(privilegedAndNotReviewed((await warden(['scan', '.', '--format', 'json'], templates)).stdout)).toEqual(['k8s/privileged ../values.yaml']);
    expect(privilegedAndNotReviewed((await warden(['scan', 'templates/deployment.yaml', '--format', 'json'], join(repo, 'charts', 'app'))).stdout)).toEqual(['k8s/privileged values.yaml']);
    // Each output names the files as given; SARIF's URIs stay the repository's.
    const { stdout: text } = await warden(['scan', 'deployment.yaml'], templates);
    expect(text).toContain('deployment.yaml:9  HIGH  k8s/run-as-non-root');
    expect(text).toContain('../values.yaml:1  CRITICAL  k8s/privileged');
    const sarif = JSON.parse((await warden(['scan', 'deployment.yaml', '--format', 'sarif'], templates)).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(new Set(sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(new Set(['charts/app/templates/deployment.yaml', 'charts/app/values.yaml']));
  });

  it('has `warden fix` name them as given too', async () => {
    const { stdout } = await warden(['fix', 'deployment.yaml'], join(repo, 'charts', 'app', 'templates'));
    expect(stdout).toContain('  ../values.yaml:1 k8s/privileged (critical)');
    expect(stdout).toContain('[its fix is in ../values.yaml, which is not among the files fixed]');
  });

  it('renders it reached through a link to the repository, which git names by its real path', async () => {
    const link = join(mkdtempSync(join(tmpdir(), 'warden-from-inside-link-')), 'repo');
    symlinkSync(repo, link);
    expect(privilegedAndNotReviewed((await warden(['scan', join(link, 'charts', 'app'), '--format', 'json'])).stdout)).toEqual([`k8s/privileged ${join(link, 'charts', 'app', 'values.yaml')}`]);
  });

  it('renders it outside git too, from the chart above the folder scanned', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'warden-from-inside-no-git-'));
    cpSync(join(repo, 'charts'), join(outside, 'charts'), { recursive: true });
    const { stdout } = await warden(['scan', 'deployment.yaml', '--format', 'json'], join(outside, 'charts', 'app', 'templates'));
    expect(privilegedAndNotReviewed(stdout)).toEqual(['k8s/privileged ../values.yaml']);
  });
});

describe('warden scan from inside a Kustomize layout', () => {
  it('composes a base scanned from its folder in the overlays that use it, as from the root', async () => {
    expect(privilegedAndNotReviewed((await warden(['scan', 'deploy/base/pod.yaml', '--format', 'json'], repo)).stdout)).toEqual(['k8s/privileged deploy/prod/privileged.yaml']);
    expect(privilegedAndNotReviewed((await warden(['scan', 'pod.yaml', '--format', 'json'], join(repo, 'deploy', 'base'))).stdout)).toEqual(['k8s/privileged ../prod/privileged.yaml']);
    // An overlay's patch scanned from the overlay's folder is composed with its base.
    expect(privilegedAndNotReviewed((await warden(['scan', 'privileged.yaml', '--format', 'json'], join(repo, 'deploy', 'prod'))).stdout)).toEqual(['k8s/privileged privileged.yaml']);
  });
});
