// A change to a path of a name Warden does not read that is deployed: a kustomization entry, a chart archive (src/unread-deployed.ts).
import { expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config.js';
import { memoryReader } from '../src/engine/repository-index.js';
import { review } from '../src/review.js';

it('an entry without a dot names a folder to kustomize; a changed file (or link) in its place is not reviewed, and said to be a path', async () => {
  const reader = memoryReader({ 'k8s/kustomization.yaml': 'resources:\n- extra\n- pod.txt\n', 'k8s/extra': 'kind: Pod\n', 'k8s/pod.txt': 'kind: Pod\n', 'k8s/notes': 'x\n' });
  const { findings } = await review({ files: [], written: ['k8s/extra', 'k8s/pod.txt', 'k8s/notes'], config: DEFAULT_CONFIG, reader });
  expect(findings.map((f) => [f.file, /deploys (this path|this file)/.exec(f.message)?.[1]])).toEqual([
    ['k8s/extra', 'this path'],
    ['k8s/pod.txt', 'this file'],
  ]);
});

it('a file of a name Warden reads that paths.include leaves out is not reviewed, with the advice to include it', async () => {
  const reader = memoryReader({ 'k8s/kustomization.yaml': 'resources:\n- deploy.json\n- pod.txt\n', 'k8s/deploy.json': '{"kind": "Pod"}\n', 'k8s/pod.txt': 'kind: Pod\n' });
  const config = { ...DEFAULT_CONFIG, paths: { ...DEFAULT_CONFIG.paths, include: ['**/*.yaml'] } };
  const { findings } = await review({ files: [], written: ['k8s/deploy.json', 'k8s/pod.txt'], config, reader });
  expect(findings.map((f) => [f.file, /\((add it to `paths.include`|name a manifest `.yaml`)\)/.exec(f.message)?.[1]])).toEqual([
    ['k8s/deploy.json', 'add it to `paths.include`'],
    ['k8s/pod.txt', 'name a manifest `.yaml`'],
  ]);
});

it('a new archive under a chart’s charts/ is not reviewed (Warden does not unpack it); one elsewhere is nothing of Warden’s', async () => {
  const reader = memoryReader({ 'charts/model/Chart.yaml': 'apiVersion: v2\nname: model\nversion: 1.0.0\n', 'charts/model/charts/redis-18.0.0.tgz': 'x', 'dist/charts/app-1.0.0.tgz': 'x' });
  const { findings } = await review({ files: [], written: ['charts/model/charts/redis-18.0.0.tgz', 'dist/charts/app-1.0.0.tgz'], config: DEFAULT_CONFIG, reader });
  expect(findings.map((f) => [f.ruleId, f.file])).toEqual([['warden/not-reviewed', 'charts/model/charts/redis-18.0.0.tgz']]);
  expect(findings[0]!.message).toContain('chart `charts/model` installs this archive as a subchart, and no dependency of its `Chart.yaml` names it. The check fails');
});

it('a new archive of a dependency is said at its Chart.yaml entry, where a bump on purpose is acknowledged', async () => {
  const chart = (ack = '') => `apiVersion: v2\nname: model\nversion: 1.0.0\ndependencies:\n- name: common\n  version: 2.0.0\n  repository: https://charts.bitnami.com/bitnami\n${ack}- name: redis\n  version: 18.1.0\n  repository: https://charts.bitnami.com/bitnami\n`;
  const files = (text: string) => ({ 'charts/model/Chart.yaml': text, 'charts/model/charts/redis-18.1.0.tgz': 'x' });
  const bumped = await review({ files: [], written: ['charts/model/charts/redis-18.1.0.tgz'], config: DEFAULT_CONFIG, reader: memoryReader(files(chart())) });
  expect(bumped.gating.map((f) => [f.ruleId, f.file, f.line])).toEqual([['warden/not-reviewed', 'charts/model/Chart.yaml', 8]]);
  expect(bumped.findings[0]!.message).toContain('dependency `redis` is the archive `charts/model/charts/redis-18.1.0.tgz`, which this change writes');
  // Acknowledged above its entry (the Chart.yaml unchanged here): suppressed, with the reason given.
  const acknowledged = await review({ files: [], written: ['charts/model/charts/redis-18.1.0.tgz'], config: DEFAULT_CONFIG, reader: memoryReader(files(chart('# warden:ignore warden/not-reviewed -- redis 18.1 reviewed in the upstream release notes\n'))) });
  expect(acknowledged.gating).toEqual([]);
  expect(acknowledged.findings.map((f) => [f.file, f.line, f.suppressed?.reason])).toEqual([['charts/model/Chart.yaml', 9, 'redis 18.1 reviewed in the upstream release notes']]);
});

it('a values file an Argo CD Application or a Flux HelmRelease installs a chart with is not reviewed when it changes alone; acknowledged at its source, it is covered', async () => {
  const application = (ack = '') =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: triton\nspec:\n${ack}  source:\n    repoURL: https://github.com/org/models\n    path: charts/triton\n    helm:\n      valueFiles:\n      - values-gpu.yaml\n      - ../../envs/prod/triton.yaml\n`;
  const release = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: gateway\nspec:\n  chart:\n    spec:\n      chart: ./charts/gateway\n      valuesFiles:\n      - envs/prod/gateway.yaml\n';
  const files = (app: string) => ({
    'apps/triton.yaml': app,
    'apps/gateway.yaml': release,
    'charts/triton/Chart.yaml': 'apiVersion: v2\nname: triton\nversion: 0.1.0\n',
    'charts/triton/values-gpu.yaml': 'gpu: 1\n',
    'envs/prod/triton.yaml': 'securityContext:\n  privileged: true\n',
    'envs/prod/gateway.yaml': 'replicas: 2\n',
    'envs/prod/other.yaml': 'a: 1\n',
  });
  const written = ['envs/prod/triton.yaml', 'envs/prod/gateway.yaml', 'envs/prod/other.yaml', 'charts/triton/values-gpu.yaml'];
  const { findings } = await review({ files: [], written, config: DEFAULT_CONFIG, reader: memoryReader(files(application())) });
  expect(findings.map((f) => [f.file, /\((.*) lists it\)/.exec(f.message)?.[1]])).toEqual([
    ['envs/prod/gateway.yaml', 'HelmRelease `gateway`'],
    ['envs/prod/triton.yaml', 'Application `triton`'],
  ]);
  // Acknowledged above the Application's source, before this change: its values files are covered.
  const acknowledged = await review({ files: [], written, config: DEFAULT_CONFIG, reader: memoryReader(files(application('  # warden:ignore warden/not-reviewed -- rendered and reviewed in the platform repository\n'))) });
  expect(acknowledged.findings.map((f) => f.file)).toEqual(['envs/prod/gateway.yaml']);
});

it('fails closed: a listing or a read that fails stops the review, naming what could not be learned, rather than pass the change', async () => {
  const files: Record<string, string> = { 'k8s/kustomization.yaml': 'resources:\n- pod.txt\n', 'k8s/pod.txt': 'kind: Pod\n', 'charts/model/charts/redis-18.0.0.tgz': 'x' };
  const failingOn = (broken: string) => ({
    paths: async () => {
      if (broken === '(listing)') throw new Error('HTTP 502');
      return Object.keys(files);
    },
    read: async (path: string) => {
      if (path === broken) throw new Error('HTTP 502');
      return files[path] ?? null;
    },
  });
  const changeOf = (written: string[], broken: string) => review({ files: [], written, config: DEFAULT_CONFIG, reader: failingOn(broken) });
  await expect(changeOf(['k8s/pod.txt'], '(listing)')).rejects.toThrow(/the repository could not be listed, to learn what deploys .*: HTTP 502/);
  await expect(changeOf(['k8s/pod.txt'], 'k8s/kustomization.yaml')).rejects.toThrow(/`k8s\/kustomization.yaml` could not be read/);
  // Whether an archive's folder holds a chart is read, not taken for "no chart" when the read fails.
  await expect(changeOf(['charts/model/charts/redis-18.0.0.tgz'], 'charts/model/Chart.yaml')).rejects.toThrow(/`charts\/model\/Chart.yaml` could not be read/);
  // Nothing fails: the same change is reviewed (the entry is not reviewed; the archive is nothing of a chart's).
  expect((await changeOf(['k8s/pod.txt', 'charts/model/charts/redis-18.0.0.tgz'], '')).findings.map((f) => f.file)).toEqual(['k8s/pod.txt']);
});

it('a listing of only part of the repository is said: what deploys the change was looked for in that part only', async () => {
  const files: Record<string, string> = { 'src/main.go': 'package main\n' };
  const reader = { ...memoryReader(files), complete: async () => false };
  const { findings, notes } = await review({ files: [], written: ['src/main.go'], config: DEFAULT_CONFIG, reader });
  expect(findings).toEqual([]);
  expect(notes.map((n) => n.message)).toEqual([expect.stringContaining("the repository's tree is too large to list whole (1 file listed)")]);
  const whole = await review({ files: [], written: ['src/main.go'], config: DEFAULT_CONFIG, reader: { ...memoryReader(files), complete: async () => true } });
  expect(whole.notes).toEqual([]);
});

it('a values file a kustomization generates a ConfigMap from, which a Flux HelmRelease reads through valuesFrom, is not reviewed when it changes alone', async () => {
  const release = (ack = '') =>
    `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: triton\nspec:\n  chart:\n    spec:\n      chart: triton\n      sourceRef:\n        kind: HelmRepository\n        name: nvidia\n${ack}  valuesFrom:\n  - kind: ConfigMap\n    name: triton-values\n`;
  const files = (text: string) => ({
    'clusters/prod/kustomization.yaml': 'resources:\n- release.yaml\nconfigMapGenerator:\n- name: triton-values\n  files:\n  - values.yaml=values/triton.yaml\n- name: unrelated\n  files:\n  - other.txt\n',
    'clusters/prod/release.yaml': text,
    'clusters/prod/values/triton.yaml': 'securityContext:\n  privileged: true\n',
    'clusters/prod/other.txt': 'x\n',
  });
  const written = ['clusters/prod/values/triton.yaml', 'clusters/prod/other.txt'];
  const { findings } = await review({ files: [], written, config: DEFAULT_CONFIG, reader: memoryReader(files(release())) });
  // What the kustomization generates from the two files is composed and reviewed too (its findings there before).
  expect(findings.filter((f) => !f.preExisting).map((f) => [f.ruleId, f.file])).toEqual([['warden/not-reviewed', 'clusters/prod/values/triton.yaml']]);
  expect(findings[0]!.message).toContain('`clusters/prod/release.yaml` installs a Helm chart with the values in this file (HelmRelease `triton` reads it through its `valuesFrom`, the ConfigMap `triton-values` a kustomization generates from it)');
  // Acknowledged above its valuesFrom, before this change: covered.
  const acknowledged = await review({ files: [], written, config: DEFAULT_CONFIG, reader: memoryReader(files(release('  # warden:ignore warden/not-reviewed -- the values are reviewed by the platform team\n'))) });
  expect(acknowledged.findings.filter((f) => !f.preExisting)).toEqual([]);
});

it('a values file an ApplicationSet names through a template (`envs/{{env}}/values.yaml`) is not reviewed when it changes: any file the template may name', async () => {
  const set = (valueFiles: string, path = 'charts/triton') =>
    `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: triton\nspec:\n  generators:\n  - clusters: {}\n  template:\n    spec:\n      source:\n        repoURL: https://github.com/org/models\n        path: ${path}\n        helm:\n          valueFiles:\n          - ${valueFiles}\n`;
  const files = (text: string) => ({ 'apps/triton.yaml': text, 'envs/prod/values.yaml': 'a: 1\n', 'envs/prod/other.yaml': 'a: 1\n', 'charts/triton/values-prod.yaml': 'a: 1\n' });
  const written = ['envs/prod/values.yaml', 'envs/prod/other.yaml'];
  const changed = async (text: string) => (await review({ files: [], written, config: DEFAULT_CONFIG, reader: memoryReader(files(text)) })).findings.map((f) => f.file);
  expect(await changed(set("'../../envs/{{name}}/values.yaml'"))).toEqual(['envs/prod/values.yaml']);
  // A templated folder, then `..`: only the file's name can be matched, in any folder.
  expect(await changed(set("'../../envs/{{name}}/values.yaml'", "'charts/{{chart}}'"))).toEqual(['envs/prod/values.yaml']);
  expect(await changed(set("'$values/envs/{{name}}/{{file}}'"))).toEqual(['envs/prod/other.yaml', 'envs/prod/values.yaml']);
  // One that names nothing changed: nothing said.
  expect(await changed(set("'values-{{name}}.yaml'"))).toEqual([]);
});

it('an Argo CD parameter override kept in git (.argocd-source.yaml, .argocd-source-<app>.yaml) is not reviewed when it changes', async () => {
  const overrides = 'helm:\n  parameters:\n  - name: securityContext.privileged\n    value: "true"\n';
  const files = { 'charts/triton/Chart.yaml': 'apiVersion: v2\nname: triton\nversion: 0.1.0\n', 'charts/triton/.argocd-source-triton.yaml': overrides, 'k8s/.argocd-source.yaml': overrides, 'k8s/argocd-source.yaml': 'a: 1\n' };
  const { findings } = await review({ files: [], written: Object.keys(files).slice(1), config: DEFAULT_CONFIG, reader: memoryReader(files) });
  expect(findings.map((f) => [f.ruleId, f.file])).toEqual([
    ['warden/not-reviewed', 'charts/triton/.argocd-source-triton.yaml'],
    ['warden/not-reviewed', 'k8s/.argocd-source.yaml'],
  ]);
  expect(findings[0]!.message).toContain('Argo CD merges this file into the source of an Application that deploys its folder');
});

it('a manifest a kustomization lists under a name the include globs do not match (`pod.YAML`: they match names as written) is not reviewed, and said', async () => {
  const files = { 'k8s/kustomization.yaml': 'resources:\n- pod.YAML\n- service.yaml\n', 'k8s/pod.YAML': 'kind: Pod\n', 'k8s/service.yaml': 'kind: Service\n' };
  const change = [{ path: 'k8s/pod.YAML', headText: 'kind: Pod\n', baseText: null, patch: null }];
  const { gating } = await review({ files: change, written: ['k8s/pod.YAML'], config: DEFAULT_CONFIG, reader: memoryReader(files) });
  expect(gating.map((f) => [f.ruleId, f.file])).toEqual([['warden/not-reviewed', 'k8s/pod.YAML']]);
  expect(gating[0]!.message).toContain('`k8s/kustomization.yaml` deploys this file, which `paths.include` leaves out: its change is not reviewed (add it to `paths.include`)');
  // One nothing lists is not Warden's, as any other file of a name it does not review.
  expect((await review({ files: change, written: ['k8s/pod.YAML'], config: DEFAULT_CONFIG, reader: memoryReader({ ...files, 'k8s/kustomization.yaml': 'resources:\n- service.yaml\n' }) })).findings).toEqual([]);
});
