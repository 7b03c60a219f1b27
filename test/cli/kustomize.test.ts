// `warden diff` on a git repository with a Kustomize overlay: the change is reviewed on what the overlay
// deploys, compared with the same composition at the merge base.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARDENED_DEPLOYMENT, envPatch, localChart } from '../compose/helpers.js';
import { warden } from './helpers.js';

function git(cwd: string, ...args: string[]) {
  execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}

function write(repo: string, files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
}

const patch = envPatch;

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  resource: string;
}

describe('warden diff on a Kustomize overlay', () => {
  it('reports what the changed patch makes of the composed Deployment, on the patch line; what the base already had is pre-existing', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-kustomize-'));
    git(repo, 'init', '-q', '-b', 'main');
    // The base already runs with an unpinned sidecar image: pre-existing, never gating.
    const base = HARDENED_DEPLOYMENT.replace('      volumes:\n', '      - name: metrics\n        image: prom/statsd-exporter\n        securityContext:\n          allowPrivilegeEscalation: false\n          readOnlyRootFilesystem: true\n          runAsNonRoot: true\n          capabilities:\n            drop: [ALL]\n      volumes:\n');
    write(repo, {
      'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'serving/base/deployment.yaml': base,
      'serving/overlays/prod/kustomization.yaml': 'namespace: models\nresources:\n- ../../base\npatches:\n- path: patch.yaml\n',
      'serving/overlays/prod/patch.yaml': patch(''),
    });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    write(repo, { 'serving/overlays/prod/patch.yaml': patch('        securityContext:\n          privileged: true\n') });
    git(repo, 'commit', '-qam', 'privileged triton');

    const { code, stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const out = JSON.parse(stdout) as { findings: JsonFinding[] };
    const gating = out.findings.filter((f) => f.ruleId === 'k8s/privileged');
    expect(gating.map((f) => `${f.file}:${f.line} ${f.resource}`)).toEqual(['serving/overlays/prod/patch.yaml:14 Deployment/models/triton']);
    expect(code).toBe(1);
    // No patch file reviewed as an object of its own (it would lack every protection the base gives).
    expect(out.findings.filter((f) => f.file === 'serving/overlays/prod/patch.yaml').map((f) => f.ruleId)).toEqual(['k8s/privileged']);

    // The composed Deployment changed, so the base's own findings are listed, as already there at the merge base.
    expect(out.findings.filter((f) => f.file === 'serving/base/deployment.yaml').map((f) => f.ruleId)).toContain('k8s/image-tag-pinned');
    const sarif = JSON.parse((await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'sarif'], repo)).stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; properties?: { preExisting?: boolean } }[] }[];
    };
    const results = sarif.runs[0]!.results.map((r) => ({ file: r.locations[0]!.physicalLocation.artifactLocation.uri, ruleId: r.ruleId, preExisting: r.properties?.preExisting === true }));
    expect(results.filter((r) => r.file === 'serving/base/deployment.yaml').every((r) => r.preExisting)).toBe(true);
    expect(results.filter((r) => r.ruleId === 'k8s/privileged')).toEqual([{ file: 'serving/overlays/prod/patch.yaml', ruleId: 'k8s/privileged', preExisting: false }]);

    // Nothing in the overlay changed: nothing to report, however the base looks.
    const none = JSON.parse((await warden(['diff', '--base', 'change', '--head', 'change', '--format', 'json'], repo)).stdout) as { findings: JsonFinding[] };
    expect(none.findings).toEqual([]);
  });

  it('a change that moves a git submodule an overlay deploys from is not reviewed, at a ref and in the working tree', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-submodule-'));
    git(repo, 'init', '-q', '-b', 'main');
    write(repo, { 'deploy/kustomization.yaml': 'resources:\n- ../vendor/upstream/config\n', 'README.md': 'models\n' });
    git(repo, 'add', '.');
    // A submodule is a commit in the tree (mode 160000); its repository need not be here for the superproject's diff.
    mkdirSync(join(repo, 'vendor/upstream'), { recursive: true });
    git(repo, 'update-index', '--add', '--cacheinfo', '160000,1111111111111111111111111111111111111111,vendor/upstream');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    git(repo, 'update-index', '--cacheinfo', '160000,2222222222222222222222222222222222222222,vendor/upstream');
    git(repo, 'commit', '-qm', 'bump upstream');

    const reason = '`deploy/kustomization.yaml` deploys from this git submodule (`vendor/upstream/config`)';
    const atRef = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const found = (JSON.parse(atRef.stdout) as { findings: (JsonFinding & { message: string })[] }).findings;
    expect(found.map((f) => [f.ruleId, f.file])).toEqual([['warden/not-reviewed', 'vendor/upstream']]);
    expect(found[0]!.message).toContain(reason);
    expect(atRef.code).toBe(1);
    // The working tree against main: the index holds the moved submodule.
    const inTree = await warden(['diff', '--base', 'main', '--format', 'json'], repo);
    expect((JSON.parse(inTree.stdout) as { findings: JsonFinding[] }).findings.map((f) => [f.ruleId, f.file])).toEqual([['warden/not-reviewed', 'vendor/upstream']]);
    expect(inTree.code).toBe(1);

    // A change to the kustomization itself: its entry into the submodule is not composed, and says why.
    write(repo, { 'deploy/kustomization.yaml': 'namespace: models\nresources:\n- ../vendor/upstream/config/default\n' });
    const entry = (JSON.parse((await warden(['diff', '--base', 'change', '--format', 'json'], repo)).stdout) as { findings: (JsonFinding & { message: string })[] }).findings;
    expect(entry.map((f) => [f.ruleId, f.file, f.line])).toEqual([['warden/not-reviewed', 'deploy/kustomization.yaml', 3]]);
    expect(entry[0]!.message).toContain('`vendor/upstream/config/default` is in git submodule `vendor/upstream`, another repository');
  });
});

describe('warden diff on a kustomization that inflates a chart of the repository (helmCharts)', () => {
  it('reports what the changed values file makes of the inflated Deployment, on the values line; a change to the chart\'s template alone is reviewed too', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-kustomize-helm-'));
    git(repo, 'init', '-q', '-b', 'main');
    write(repo, {
      'serving/prod/kustomization.yaml': 'namespace: models\nhelmCharts:\n- name: server\n  releaseName: prod\n  valuesFile: values-prod.yaml\n',
      'serving/prod/values-prod.yaml': 'securityContext:\n  runAsNonRoot: true\n',
      ...localChart('serving/prod/charts/server'),
    });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    write(repo, { 'serving/prod/values-prod.yaml': 'securityContext:\n  runAsNonRoot: true\n  privileged: true\n' });
    git(repo, 'commit', '-qam', 'privileged triton');

    const { code, stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const out = JSON.parse(stdout) as { findings: JsonFinding[] };
    expect(out.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    expect(out.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => `${f.file}:${f.line} ${f.resource}`)).toEqual(['serving/prod/values-prod.yaml:3 Deployment/models/prod-server']);
    expect(code).toBe(1);
    // What the chart's template already lacked is reported on its line, as there at the merge base.
    const sarif = JSON.parse((await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'sarif'], repo)).stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; properties?: { preExisting?: boolean } }[] }[];
    };
    const results = sarif.runs[0]!.results.map((r) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine} ${r.properties?.preExisting === true ? 'pre-existing' : 'new'}`);
    expect(results).toContain('k8s/probes serving/prod/charts/server/templates/deployment.yaml:11 pre-existing');
    expect(results).toContain('k8s/privileged serving/prod/values-prod.yaml:3 new');

    // The template alone changed: what the kustomization deploys from it is reviewed.
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'checkout', '-qb', 'template');
    write(repo, { 'serving/prod/charts/server/templates/deployment.yaml': readFileSync(join(repo, 'serving/prod/charts/server/templates/deployment.yaml'), 'utf8').replace('    spec:\n      containers:', '    spec:\n      hostNetwork: true\n      containers:') });
    git(repo, 'commit', '-qam', 'host network');
    const template = JSON.parse((await warden(['diff', '--base', 'main', '--head', 'template', '--format', 'json'], repo)).stdout) as { findings: JsonFinding[] };
    expect(template.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    // Once on its line, though the chart's own review renders it too; the inflated Deployment is among what is reviewed.
    expect(template.findings.filter((f) => f.ruleId === 'k8s/host-namespaces').map((f) => `${f.file}:${f.line}`)).toEqual(['serving/prod/charts/server/templates/deployment.yaml:10']);
    expect(template.findings.filter((f) => f.resource === 'Deployment/models/prod-server').map((f) => f.ruleId)).toContain('k8s/network-policy-missing');
  });
});
