// A Helm chart's objects in the repository index: what a chart deploys whatever values file installs it (and in a
// namespace it names) protects the repository's other objects like a plain manifest; any other template stays
// listed as unread, saying why (src/render/chart-index.ts).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig, type Config } from '../../src/config.js';
import { buildRepositoryIndex, INDEXED_KINDS, memoryReader } from '../../src/engine/repository-index.js';
import { chartIndexer } from '../../src/render/chart-index.js';
import { indexChartPooled } from '../../src/worker/pooled.js';
import { indexRepository } from '../../src/index-repository.js';
import { review } from '../../src/review.js';
import { githubPatch } from '../app/fake-github.js';

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: triton\n  namespace: models\nspec:\n  template:\n    spec:\n      containers:\n      - name: server\n        image: triton\n';
const policy = (namespace: string, guard?: string) =>
  `${guard ? `{{- if ${guard} }}\n` : ''}apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ .Values.name | default "default-deny-all" }}\n  namespace: ${namespace}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n${guard ? '{{- end }}\n' : ''}`;

function chart(template: string, values: Record<string, string> = { 'values.yaml': 'namespace: models\n' }): Record<string, string> {
  return {
    'charts/guard/Chart.yaml': 'apiVersion: v2\nname: guard\nversion: 0.1.0\n',
    'charts/guard/templates/_helpers.tpl': '{{- define "guard.name" -}}guard{{- end }}\n',
    'charts/guard/templates/deny.yaml': template,
    ...Object.fromEntries(Object.entries(values).map(([name, text]) => [`charts/guard/${name}`, text])),
    'apps/triton.yaml': DEPLOYMENT,
  };
}

async function reviewWith(files: Record<string, string>, config: Config = DEFAULT_CONFIG) {
  const index = await buildRepositoryIndex(memoryReader(files), config, { charts: chartIndexer(config, [...INDEXED_KINDS], indexChartPooled) });
  const result = await review({ files: [{ path: 'apps/triton.yaml', headText: DEPLOYMENT }], config, repository: index });
  return { index, open: result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').map((f) => f.resource) };
}

describe('charts in the repository index', () => {
  it('a policy the chart deploys in a namespace it names, whatever its values files: it covers that namespace', async () => {
    const literal = await reviewWith(chart(policy('models')));
    expect(literal.open).toEqual([]);
    expect(literal.index.unread).toEqual([]);
    expect(literal.index.resources.find((r) => r.kind === 'NetworkPolicy')).toMatchObject({ id: 'NetworkPolicy/models/default-deny-all', file: 'charts/guard/templates/deny.yaml', range: { startLine: 1 } });
    // From values, the same in every values file at the chart's root.
    const fromValues = await reviewWith(chart(policy('{{ .Values.namespace }}'), { 'values.yaml': 'namespace: models\n', 'values-prod.yaml': 'namespace: models\n' }));
    expect(fromValues.open).toEqual([]);
    // The command line and the App build the index this way.
    const built = await indexRepository(memoryReader(chart(policy('models'))), DEFAULT_CONFIG);
    expect(built.resources.map((r) => r.id)).toContain('NetworkPolicy/models/default-deny-all');
  });

  it('the chart\'s crds/ are never read for the index (installed as they are, and megabytes)', async () => {
    const files = { ...chart(policy('models')), 'charts/guard/crds/bundle.yaml': 'kind: CustomResourceDefinition\n' };
    const asked: string[] = [];
    const read = async (path: string) => (asked.push(path), files[path as keyof typeof files] ?? null);
    const indexed = await chartIndexer(DEFAULT_CONFIG, [...INDEXED_KINDS], indexChartPooled)('charts/guard', Object.keys(files).filter((p) => p.startsWith('charts/guard/')), read);
    expect('resources' in indexed && indexed.resources.map((r) => r.id)).toEqual(['NetworkPolicy/models/default-deny-all']);
    expect(asked.sort()).toEqual(['charts/guard/Chart.yaml', 'charts/guard/templates/_helpers.tpl', 'charts/guard/templates/deny.yaml', 'charts/guard/values.yaml']);
  });

  it('a chart indexed lately is not rendered again while its files, kinds and values files are the same', async () => {
    const files = chart(policy('models').replace('default-deny-all', 'cached-deny'));
    const renders: string[] = [];
    const counting = async (input: Parameters<typeof indexChartPooled>[0]) => (renders.push(input.root), indexChartPooled(input));
    const index = (texts: Record<string, string>) => chartIndexer(DEFAULT_CONFIG, [...INDEXED_KINDS], counting)('charts/guard', Object.keys(texts).filter((p) => p.startsWith('charts/guard/')), async (p) => texts[p] ?? null);
    const first = await index(files);
    expect(await index(files)).toEqual(first);
    expect(renders).toHaveLength(1);
    await index({ ...files, 'charts/guard/values.yaml': 'namespace: sandbox\n' });
    expect(renders).toHaveLength(2);
  });

  it('one that a values file places elsewhere, turns off or renames is not counted, and the template is named with why', async () => {
    const elsewhere = await reviewWith(chart(policy('{{ .Values.namespace }}'), { 'values.yaml': 'namespace: models\n', 'values-dev.yaml': 'namespace: sandbox\n' }));
    expect(elsewhere.open).toEqual(['Deployment/models/triton']);
    expect(elsewhere.index.unread).toEqual([{ file: 'charts/guard/templates/deny.yaml', reason: "a Helm chart's template whose objects differ between the chart's values files", kinds: ['NetworkPolicy'] }]);
    const off = await reviewWith(chart(policy('models', '.Values.enabled'), { 'values.yaml': 'enabled: true\n', 'values-prod.yaml': 'enabled: false\n' }));
    expect(off.open).toEqual(['Deployment/models/triton']);
    expect(off.index.unread.map((u) => u.reason)).toEqual(["a Helm chart's template whose objects differ between the chart's values files"]);
    // More values files than are rendered: any of the others could move it, so it is not counted.
    const many = Object.fromEntries(['values.yaml', ...Array.from({ length: 6 }, (_, i) => `values-env${i}.yaml`)].map((name) => [name, 'namespace: models\n']));
    const past = await reviewWith(chart(policy('{{ .Values.namespace }}'), many));
    expect(past.open).toEqual(['Deployment/models/triton']);
    expect(past.index.unread.map((u) => u.reason)).toEqual([expect.stringContaining('with 1 values files past the 5 rendered for the index')]);
    // A values file config names for the chart is the one it is installed with: only that render counts.
    const named = resolveConfig({ helm: { charts: { 'charts/guard': { values: ['values-prod.yaml'] } } } });
    expect((await reviewWith(chart(policy('models', '.Values.enabled'), { 'values.yaml': 'enabled: false\n', 'values-prod.yaml': 'enabled: true\n' }), named)).open).toEqual([]);
  });

  it('one in the release\'s namespace, or a template that cannot be rendered, is not counted either', async () => {
    const release = await reviewWith(chart(policy('{{ .Release.Namespace }}')));
    expect(release.open).toEqual(['Deployment/models/triton']);
    expect(release.index.unread.map((u) => u.reason)).toEqual(["a Helm chart's template whose objects land in the release's namespace, chosen at install"]);
    // Unless GitOps sources of this repository install the chart in named namespaces (values files only): there.
    const OURS = 'https://github.com/example/platform';
    const application = (destination: string, helm = '') =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: guard-${destination}\n  namespace: argocd\nspec:\n  source:\n    repoURL: ${OURS}\n    path: charts/guard\n${helm}  destination:\n    namespace: ${destination}\n`;
    const installed = async (apps: Record<string, string>, values: Record<string, string> = { 'values.yaml': 'namespace: models\n' }) => {
      const files = { ...chart(policy('{{ .Release.Namespace }}'), values), ...apps };
      const index = await buildRepositoryIndex(memoryReader(files), DEFAULT_CONFIG, { charts: chartIndexer(DEFAULT_CONFIG, [...INDEXED_KINDS], indexChartPooled, [OURS]) });
      const result = await review({ files: [{ path: 'apps/triton.yaml', headText: DEPLOYMENT }], config: DEFAULT_CONFIG, repository: { ...index, urls: [OURS] } });
      return { index, open: result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').map((f) => f.resource) };
    };
    const inModels = await installed({ 'deploy/guard.yaml': application('models') });
    expect(inModels.open).toEqual([]);
    expect(inModels.index.resources.filter((r) => r.kind === 'NetworkPolicy').map((r) => r.id)).toEqual(['NetworkPolicy/models/default-deny-all']);
    expect((await installed({ 'deploy/guard.yaml': application('staging') })).open).toEqual(['Deployment/models/triton']);
    // Rendered with the install's namespace as the release's: one the template names `default` (or another namespace
    // only in `models`) lands there, not in `models`.
    const placing = async (namespace: string) => {
      const files = { ...chart(policy(namespace)), 'deploy/guard.yaml': application('models') };
      const index = await buildRepositoryIndex(memoryReader(files), DEFAULT_CONFIG, { charts: chartIndexer(DEFAULT_CONFIG, [...INDEXED_KINDS], indexChartPooled, [OURS]) });
      const result = await review({ files: [{ path: 'apps/triton.yaml', headText: DEPLOYMENT }], config: DEFAULT_CONFIG, repository: { ...index, urls: [OURS] } });
      return { policies: index.resources.filter((r) => r.kind === 'NetworkPolicy').map((r) => r.id), open: result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').map((f) => f.resource) };
    };
    expect(await placing('default')).toEqual({ policies: ['NetworkPolicy/default/default-deny-all'], open: ['Deployment/models/triton'] });
    expect(await placing('{{ if eq .Release.Namespace "models" }}sandbox{{ else }}{{ .Release.Namespace }}{{ end }}')).toEqual({ policies: ['NetworkPolicy/sandbox/default-deny-all'], open: ['Deployment/models/triton'] });
    // Rendered as the install's release, by its name: one the template prints only for that release counts, named as deployed.
    const forRelease = async (destination: string) => {
      const files = { ...chart(policy('{{ .Release.Namespace }}', 'eq .Release.Name "guard-models"').replace('default "default-deny-all"', 'default (printf "%s-deny" .Release.Name)')), 'deploy/guard.yaml': application(destination) };
      const index = await buildRepositoryIndex(memoryReader(files), DEFAULT_CONFIG, { charts: chartIndexer(DEFAULT_CONFIG, [...INDEXED_KINDS], indexChartPooled, [OURS]) });
      const result = await review({ files: [{ path: 'apps/triton.yaml', headText: DEPLOYMENT }], config: DEFAULT_CONFIG, repository: { ...index, urls: [OURS] } });
      return { policies: index.resources.filter((r) => r.kind === 'NetworkPolicy').map((r) => r.id), open: result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').map((f) => f.resource) };
    };
    expect(await forRelease('models')).toEqual({ policies: ['NetworkPolicy/models/guard-models-deny'], open: [] });
    expect(await forRelease('staging')).toEqual({ policies: [], open: ['Deployment/models/triton'] });
    // An install whose values turn the policy off: not printed by every render, not counted anywhere.
    const guarded = { 'values.yaml': 'enabled: true\n', 'values-off.yaml': 'enabled: false\n' };
    const off = application('models', '    helm:\n      valueFiles:\n      - values-off.yaml\n');
    const files = { ...chart(policy('{{ .Release.Namespace }}', '.Values.enabled'), guarded), 'deploy/guard.yaml': off };
    const index = await buildRepositoryIndex(memoryReader(files), DEFAULT_CONFIG, { charts: chartIndexer(DEFAULT_CONFIG, [...INDEXED_KINDS], indexChartPooled, [OURS]) });
    expect(index.resources.filter((r) => r.kind === 'NetworkPolicy')).toEqual([]);
    // One printed or not as `lookup` finds something in the cluster (helm install and Flux read it): not counted.
    const looking = await reviewWith(chart(policy('models', 'not (lookup "v1" "Namespace" "" "models")')));
    expect(looking.open).toEqual(['Deployment/models/triton']);
    expect(looking.index.unread.map((u) => u.reason)).toEqual([expect.stringContaining('calls `lookup`')]);
    const broken = await reviewWith(chart(`${policy('models')}{{ genCA "x" 365 }}\n`));
    expect(broken.open).toEqual(['Deployment/models/triton']);
    expect(broken.index.unread.map((u) => u.reason)).toEqual([expect.stringContaining("a Helm chart's template that could not be rendered for the index")]);
  });
});

describe('what a change to a chart takes away from the files it does not touch', () => {
  const WORKLOAD = DEPLOYMENT;
  /** The repository after the change (`head`), reviewed with the chart files it changes and deletes, as the index is built for the App and the command line. */
  async function change(head: Record<string, string>, changed: { path: string; base: string | null }[], removed: { path: string; baseText: string }[] = []) {
    const repository = await indexRepository(memoryReader(head), DEFAULT_CONFIG);
    const files = changed.map(({ path, base }) => ({ path, headText: head[path]!, baseText: base, patch: githubPatch(base ?? '', head[path]!) }));
    const result = await review({ files, removed, config: DEFAULT_CONFIG, repository, reader: memoryReader(head) });
    return result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing');
  }
  const repo = (values: string, extra: Record<string, string> = {}): Record<string, string> => ({ ...chart(policy('{{ .Values.namespace }}'), { 'values.yaml': values, ...extra }), 'apps/triton.yaml': WORKLOAD });

  it('a values file that moves the chart\'s default-deny policy: reported on the template, naming the chart and the namespace left open', async () => {
    const found = await change(repo('namespace: sandbox\n'), [{ path: 'charts/guard/values.yaml', base: 'namespace: models\n' }]);
    expect(found.map((f) => [f.file, f.line, f.resource])).toEqual([['charts/guard/templates/deny.yaml', 1, 'NetworkPolicy/models/default-deny-all']]);
    expect(found[0]!.message).toContain('This change changes chart `charts/guard` so that not every values file installs NetworkPolicy `default-deny-all`, which made `models` default-deny');
    // A values file added for another install does the same: not every install covers `models` any more.
    const added = await change(repo('namespace: models\n', { 'values-dev.yaml': 'namespace: sandbox\n' }), [{ path: 'charts/guard/values-dev.yaml', base: null }]);
    expect(added.map((f) => f.file)).toEqual(['charts/guard/templates/deny.yaml']);
  });

  it('a chart file whose text before the change is unknown: the chart as it was is not guessed, and a note says so', async () => {
    const head = repo('namespace: sandbox\n');
    const repository = await indexRepository(memoryReader(head), DEFAULT_CONFIG);
    const files = [{ path: 'charts/guard/values.yaml', headText: head['charts/guard/values.yaml']!, baseText: null, patch: githubPatch('namespace: models\n', head['charts/guard/values.yaml']!) }];
    const result = await review({ files, config: DEFAULT_CONFIG, repository, reader: memoryReader(head) });
    expect(result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing')).toEqual([]);
    expect(result.notes).toContainEqual({ file: 'charts/guard/values.yaml', message: expect.stringContaining('not read as it was before the change') });
  });

  it('the template deleted: reported in it; a change that leaves the policy where it was: nothing', async () => {
    const head = repo('namespace: models\n');
    const template = head['charts/guard/templates/deny.yaml']!;
    delete head['charts/guard/templates/deny.yaml'];
    const deleted = await change(head, [], [{ path: 'charts/guard/templates/deny.yaml', baseText: template }]);
    expect(deleted.map((f) => f.file)).toEqual(['charts/guard/templates/deny.yaml']);
    expect(deleted[0]!.message).toContain('This change deletes `charts/guard/templates/deny.yaml`, and with it NetworkPolicy `default-deny-all`');
    expect(await change(repo('namespace: models\nreplicas: 2\n'), [{ path: 'charts/guard/values.yaml', base: 'namespace: models\n' }])).toEqual([]);
  });

  it('a policy in the release\'s namespace a GitOps source installs in `models`, deleted: reported the same', async () => {
    const OURS = 'https://github.com/example/platform';
    const head: Record<string, string> = {
      ...chart(policy('{{ .Release.Namespace }}')),
      'deploy/guard.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: guard\n  namespace: argocd\nspec:\n  source:\n    repoURL: ${OURS}\n    path: charts/guard\n  destination:\n    namespace: models\n`,
    };
    const template = head['charts/guard/templates/deny.yaml']!;
    delete head['charts/guard/templates/deny.yaml'];
    const repository = { ...(await indexRepository(memoryReader(head), DEFAULT_CONFIG, {}, [OURS])), urls: [OURS] };
    const result = await review({ files: [], removed: [{ path: 'charts/guard/templates/deny.yaml', baseText: template }], config: DEFAULT_CONFIG, repository, reader: memoryReader(head) });
    expect(result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').map((f) => [f.file, f.resource])).toEqual([['charts/guard/templates/deny.yaml', 'NetworkPolicy/models/default-deny-all']]);
  });
});

describe('what a change to how GitOps installs a chart takes away from the files it does not touch', () => {
  const OURS = 'https://github.com/example/platform';
  const application = (destination: string, helm = '') =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: guard\n  namespace: argocd\nspec:\n  source:\n    repoURL: ${OURS}\n    path: charts/guard\n${helm}  destination:\n    namespace: ${destination}\n`;
  const base = { ...chart(policy('{{ .Release.Namespace }}', '.Values.enabled'), { 'values.yaml': 'enabled: true\n' }), 'deploy/guard.yaml': application('models'), 'envs/off.yaml': 'enabled: false\n' };
  /** The repository after the change (`head`: `base` with `edits`, a null one deleted), reviewed as the App and the command line review it. */
  async function change(edits: Record<string, string | null>, from: Record<string, string> = base) {
    const head: Record<string, string> = { ...from };
    for (const [path, text] of Object.entries(edits)) if (text === null) delete head[path]; else head[path] = text;
    const repository = { ...(await indexRepository(memoryReader(head), DEFAULT_CONFIG, {}, [OURS])), urls: [OURS] };
    const files = Object.entries(edits).flatMap(([path, text]) => (text === null ? [] : [{ path, headText: text, baseText: from[path] ?? null, patch: githubPatch(from[path] ?? '', text) }]));
    const removed = Object.entries(edits).flatMap(([path, text]) => (text === null ? [{ path, baseText: from[path]! }] : []));
    const result = await review({ files, removed, config: DEFAULT_CONFIG, repository, reader: memoryReader(head) });
    return result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').map((f) => [f.file, f.resource, f.message.slice(0, f.message.indexOf(' NetworkPolicy'))]);
  }
  const lost = (how: string) => [['charts/guard/templates/deny.yaml', 'NetworkPolicy/models/default-deny-all', `This change ${how}`]];

  it('an Application moved to another namespace, deleted, or installing with values that turn the policy off', async () => {
    expect(await change({ 'deploy/guard.yaml': application('staging') })).toEqual(lost('changes how chart `charts/guard` is installed (`deploy/guard.yaml`) so that not every install deploys'));
    expect(await change({ 'deploy/guard.yaml': null })).toEqual(lost('changes how chart `charts/guard` is installed (`deploy/guard.yaml`) so that not every install deploys'));
    expect(await change({ 'deploy/guard.yaml': application('models', '    helm:\n      valueFiles:\n      - ../../envs/off.yaml\n') })).toEqual(lost('changes how chart `charts/guard` is installed (`deploy/guard.yaml`) so that not every install deploys'));
    // Values it sets itself are read only by a review: the index no longer counts the policy where it installs it.
    expect(await change({ 'deploy/guard.yaml': application('models', '    helm:\n      valuesObject:\n        enabled: false\n') })).toEqual(lost('changes how chart `charts/guard` is installed (`deploy/guard.yaml`) so that not every install deploys'));
    // Edited without changing what it installs: nothing.
    expect(await change({ 'deploy/guard.yaml': application('models').replace('name: guard', 'name: guard\n  labels:\n    team: ml') })).toEqual([]);
  });

  it('a values file outside the chart an install lists, edited to turn the policy off', async () => {
    const outside = { ...base, 'envs/prod.yaml': 'enabled: true\n', 'deploy/guard.yaml': application('models', '    helm:\n      valueFiles:\n      - ../../envs/prod.yaml\n') };
    expect(await change({ 'envs/prod.yaml': 'enabled: false\n' }, outside)).toEqual(lost('changes how chart `charts/guard` is installed (`envs/prod.yaml`) so that not every install deploys'));
    expect(await change({ 'envs/prod.yaml': 'enabled: true\nreplicas: 2\n' }, outside)).toEqual([]);
  });
});

describe('what a change to a chart grants to the files it does not touch', () => {
  const ROLE = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: operator\n  namespace: models\nrules:\n- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["create"]\n';
  const BINDING = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: triton-operator\n  namespace: {{ .Values.namespace }}\nsubjects:\n- kind: ServiceAccount\n  name: triton\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: operator\n';

  it('a binding a chart\'s template adds, to a role that escalates: reported on the template', async () => {
    const head: Record<string, string> = { ...chart(policy('models')), 'charts/guard/templates/binding.yaml': BINDING, 'rbac/role.yaml': ROLE };
    const repository = await indexRepository(memoryReader(head), DEFAULT_CONFIG);
    const files = [{ path: 'charts/guard/templates/binding.yaml', headText: BINDING, baseText: null, patch: githubPatch('', BINDING) }];
    const result = await review({ files, config: DEFAULT_CONFIG, repository, reader: memoryReader(head) });
    const granted = result.findings.filter((f) => f.ruleId === 'k8s/workload-rbac-escalation');
    expect(granted.map((f) => [f.file, f.resource])).toEqual([['charts/guard/templates/binding.yaml', 'RoleBinding/models/triton-operator']]);
    expect(granted[0]!.message).toContain('This change lets service account `triton` of `models` create or change pods');
  });
});

describe('a chart counted only where GitOps really installs it', () => {
  const OURS = 'https://github.com/example/platform';
  /** The NetworkPolicies the index counts for the chart (its policy in the release's namespace) with `others` beside it. */
  const counted = async (others: Record<string, string>, template = policy('{{ .Release.Namespace }}')) => {
    const files = { ...chart(template), ...others };
    const index = await buildRepositoryIndex(memoryReader(files), DEFAULT_CONFIG, { charts: chartIndexer(DEFAULT_CONFIG, [...INDEXED_KINDS], indexChartPooled, [OURS]) });
    return index.resources.filter((r) => r.kind === 'NetworkPolicy').map((r) => r.id);
  };
  const application = (spec: string, name = 'guard') => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
  const guard = `source:\n  repoURL: ${OURS}\n  path: charts/guard\ndestination:\n  namespace: models`;

  it('an Application\'s `source` beside a non-empty `sources`: Argo CD ignores it, so it installs nothing', async () => {
    expect(await counted({ 'deploy/guard.yaml': application(guard) })).toEqual(['NetworkPolicy/models/default-deny-all']);
    const ignored = `${guard}\nsources:\n- repoURL: ${OURS}\n  path: apps/empty`;
    expect(await counted({ 'deploy/guard.yaml': application(ignored) })).toEqual([]);
    // An empty list is no sources: the source is deployed.
    expect(await counted({ 'deploy/guard.yaml': application(`${guard}\nsources: []`) })).toEqual(['NetworkPolicy/models/default-deny-all']);
  });

  it('an Application whose Helm renders the release in another namespace than its destination, or for another Kubernetes version: not followed', async () => {
    const helm = (settings: string) => application(guard.replace('destination:', `  helm:\n${settings.replace(/^/gm, '    ')}\ndestination:`));
    expect(await counted({ 'deploy/guard.yaml': helm('namespace: models') })).toEqual(['NetworkPolicy/models/default-deny-all']);
    // Argo CD renders `.Release.Namespace` as `helm.namespace`: the policy lands in `other`, not in `models`.
    expect(await counted({ 'deploy/guard.yaml': helm('namespace: other') })).toEqual([]);
    // `.Capabilities.KubeVersion` is what `helm.kubeVersion` says, not the version Warden renders for.
    const newer = policy('{{ .Release.Namespace }}', 'semverCompare ">=1.30-0" .Capabilities.KubeVersion.Version');
    expect(await counted({ 'deploy/guard.yaml': helm('releaseName: guard') }, newer)).toEqual(['NetworkPolicy/models/default-deny-all']);
    expect(await counted({ 'deploy/guard.yaml': helm('kubeVersion: 1.29.0') }, newer)).toEqual([]);
    expect(await counted({ 'deploy/guard.yaml': helm('apiVersions:\n- networking.k8s.io/v1') })).toEqual([]);
  });

  it('a Flux HelmRelease is installed in the namespace it is deployed in: a kustomization\'s, or a Flux Kustomization\'s `targetNamespace`, over its own', async () => {
    const gitRepository = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: platform\n  namespace: flux-system\nspec:\n  url: ${OURS}\n`;
    const release = `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: guard\n  namespace: models\nspec:\n  chart:\n    spec:\n      chart: ./charts/guard\n      sourceRef:\n        kind: GitRepository\n        name: platform\n        namespace: flux-system\n`;
    const flux = { 'clusters/source.yaml': gitRepository, 'deploy/guard/release.yaml': release };
    expect(await counted(flux)).toEqual(['NetworkPolicy/models/default-deny-all']);
    const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: other\nresources:\n- release.yaml\n';
    expect(await counted({ ...flux, 'deploy/guard/kustomization.yaml': kustomization })).toEqual(['NetworkPolicy/other/default-deny-all']);
    const targeted = `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: guard\n  namespace: flux-system\nspec:\n  path: ./deploy/guard\n  targetNamespace: other\n  sourceRef:\n    kind: GitRepository\n    name: platform\n`;
    expect(await counted({ ...flux, 'clusters/guard.yaml': targeted })).toEqual(['NetworkPolicy/other/default-deny-all']);
    // Its own `targetNamespace` is where the release is installed, wherever the HelmRelease is.
    const own = release.replace('spec:\n', 'spec:\n  targetNamespace: models\n');
    expect(await counted({ ...flux, 'deploy/guard/release.yaml': own, 'clusters/guard.yaml': targeted })).toEqual(['NetworkPolicy/models/default-deny-all']);
  });

  it('an Application without Helm settings over a chart\'s folder that holds a kustomization: Argo CD builds it with Kustomize', async () => {
    const kustomized = { 'deploy/guard.yaml': application(guard), 'charts/guard/kustomization.yaml': 'resources: []\n' };
    expect(await counted(kustomized)).toEqual([]);
    // Helm settings make it a Helm source whatever the folder holds; with Kustomize's too, Argo CD renders nothing.
    const helm = application(guard.replace('destination:', '  helm:\n    valueFiles:\n    - values.yaml\ndestination:'));
    expect(await counted({ ...kustomized, 'deploy/guard.yaml': helm })).toEqual(['NetworkPolicy/models/default-deny-all']);
    const both = application(guard.replace('destination:', '  helm:\n    valueFiles:\n    - values.yaml\n  kustomize:\n    namePrefix: a-\ndestination:'));
    expect(await counted({ 'deploy/guard.yaml': both })).toEqual([]);
  });

  it('an ApplicationSet\'s generator `selector` is applied as Argo CD applies it; one Warden cannot apply exactly, not followed', async () => {
    const set = (selector: string, elements = '      - env: prod\n      - env: dev\n') => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guard
  namespace: argocd
spec:
  generators:
  - list:
      elements:
${elements}${selector ? `    selector:\n${selector.replace(/^/gm, '      ')}\n` : ''}  template:
    metadata:
      name: 'guard-{{env}}'
    spec:
      source:
        repoURL: ${OURS}
        path: charts/guard
        helm:
          valueFiles:
          - 'values-{{env}}.yaml'
      destination:
        namespace: 'models-{{env}}'
`;
    const ids = (...envs: string[]) => envs.map((env) => `NetworkPolicy/models-${env}/default-deny-all`);
    const values = { 'charts/guard/values-prod.yaml': 'tier: prod\n', 'charts/guard/values-dev.yaml': 'tier: dev\n' };
    const generated = (others: Record<string, string>) => counted({ ...values, ...others });
    expect(await generated({ 'deploy/guard.yaml': set('') })).toEqual(ids('dev', 'prod'));
    expect(await generated({ 'deploy/guard.yaml': set('matchLabels:\n  env: prod') })).toEqual(ids('prod'));
    expect(await generated({ 'deploy/guard.yaml': set('matchExpressions:\n- key: env\n  operator: NotIn\n  values: [prod]') })).toEqual(ids('dev'));
    expect(await generated({ 'deploy/guard.yaml': set('matchExpressions:\n- key: tier\n  operator: Exists') })).toEqual([]);
    expect(await generated({ 'deploy/guard.yaml': set('matchExpressions:\n- key: tier\n  operator: DoesNotExist') })).toEqual(ids('dev', 'prod'));
    // An operator Argo CD refuses, or a parameter Warden does not give as Argo CD does (a number it prints otherwise): not followed.
    expect(await generated({ 'deploy/guard.yaml': set('matchExpressions:\n- key: env\n  operator: Gt\n  values: ["1"]') })).toEqual([]);
    expect(await generated({ 'deploy/guard.yaml': set('matchLabels:\n  env: prod', '      - env: prod\n        replicas: 100000000\n') })).toEqual([]);
  });

  it('an install that may not run in this cluster (another cluster\'s destination, a suspended HelmRelease, one for a kubeConfig\'s cluster) protects nothing here', async () => {
    const at = (destination: string) => application(guard.replace('destination:\n', `destination:\n${destination.replace(/^/gm, '  ')}\n`));
    expect(await counted({ 'deploy/guard.yaml': at('server: https://kubernetes.default.svc') })).toEqual(['NetworkPolicy/models/default-deny-all']);
    expect(await counted({ 'deploy/guard.yaml': at('name: in-cluster') })).toEqual(['NetworkPolicy/models/default-deny-all']);
    expect(await counted({ 'deploy/guard.yaml': at('server: https://gpu-cluster.example.com') })).toEqual([]);
    expect(await counted({ 'deploy/guard.yaml': at('name: gpu-cluster') })).toEqual([]);
    const gitRepository = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: platform\n  namespace: flux-system\nspec:\n  url: ${OURS}\n`;
    const release = (extra: string) => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: guard\n  namespace: models\nspec:\n${extra}  chart:\n    spec:\n      chart: ./charts/guard\n      sourceRef:\n        kind: GitRepository\n        name: platform\n        namespace: flux-system\n`;
    expect(await counted({ 'clusters/source.yaml': gitRepository, 'deploy/guard.yaml': release('') })).toEqual(['NetworkPolicy/models/default-deny-all']);
    expect(await counted({ 'clusters/source.yaml': gitRepository, 'deploy/guard.yaml': release('  suspend: true\n') })).toEqual([]);
    expect(await counted({ 'clusters/source.yaml': gitRepository, 'deploy/guard.yaml': release('  kubeConfig:\n    secretRef:\n      name: gpu-cluster\n') })).toEqual([]);
  });
});
