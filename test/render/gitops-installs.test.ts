// A chart of this repository that an Argo CD Application installs with values files of this repository is rendered
// with them, as Argo CD renders it: a change to one is reviewed where it is written, not failed closed. A source that
// sets values another way, or names a file Warden cannot place, is not followed (src/render/gitops-installs.ts).
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_CONFIG, resolveConfig, type Config } from '../../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../../src/engine/repository-index.js';
import { UnreadableFile } from '../../src/engine/repository.js';
import { gitOpsChartInstalls } from '../../src/render/gitops-installs.js';
import { fluxReleaseName } from '../../src/common/argo.js';
import { inlineValuesText } from '../../src/render/inline-values.js';
import { MAX_VALUES_RENDERS } from '../../src/render/values-renders.js';
import { review } from '../../src/review.js';
import { LOOKED_UP_KINDS } from '../../rules/index.js';
import { githubPatch } from '../app/fake-github.js';

const OURS = 'https://github.com/example/platform';
const isThisRepository = (url: string) => url.replace(/\.git$/, '') === OURS;

const application = (name: string, helm: string, { path = 'charts/model', repoURL = `${OURS}.git`, extra = '' } = {}) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  source:
    repoURL: ${repoURL}
    path: ${path}
    helm:
${helm.replace(/^/gm, '      ')}
${extra}  destination:
    namespace: models
`;
/** An Application whose `source` is the first of its `sources`, `more` after it (Argo CD reads `source` only without them). */
const withSources = (text: string, ...more: Record<string, unknown>[]) => {
  const { spec: { source, ...spec }, ...rest } = parse(text) as { spec: Record<string, unknown> };
  return stringify({ ...rest, spec: { ...spec, sources: [source, ...more] } });
};
/** An Application as the repository index gives it. */
const object = (text: string, file = 'apps/model.yaml') => {
  const body = parse(text) as { kind: string; apiVersion: string; metadata: { name: string } };
  return { kind: body.kind, apiVersion: body.apiVersion, name: body.metadata.name, file, body };
};

/**
 * An ApplicationSet installing the chart at `charts/model` once per element of its list generator (`elements`, as
 * written), with the values file of its `env` and any other Helm settings (`helm`).
 */
const applicationSet = ({ elements, goTemplate = false, generator = '', helm = '' }: { elements: string; goTemplate?: boolean; generator?: string; helm?: string }) => {
  const param = (name: string) => (goTemplate ? `{{ .${name} }}` : `{{${name}}}`);
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: model
spec:
${goTemplate ? '  goTemplate: true\n' : ''}  generators:
  - list:
      elements:
${elements}${generator}  template:
    metadata:
      name: 'model-${param('env')}'
    spec:
      source:
        repoURL: ${OURS}
        path: charts/model
        helm:
          valueFiles:
          - '../../envs/${param('env')}/model.yaml'
${helm ? `${helm.replace(/^/gm, '          ')}\n` : ''}      destination:
        namespace: 'models-${param('env')}'
`;
};

describe('gitOpsChartInstalls', () => {
  it('a Helm source of a folder of this repository with values files: from the folder, or `$ref/` from the root of a ref source of it', () => {
    const installs = gitOpsChartInstalls(
      [
        object(application('prod', 'valueFiles:\n- values-gpu.yaml\n- ../../envs/prod/model.yaml')),
        object(withSources(application('staging', 'releaseName: model\nvalueFiles:\n- $config/envs/staging/model.yaml'), { repoURL: OURS, ref: 'config' })),
        // The same files twice: one install.
        object(application('prod', 'valueFiles:\n- values-gpu.yaml\n- ../../envs/prod/model.yaml'), 'apps/again.yaml'),
        // By another Application, another (Argo CD's overrides in the chart's folder may be for one of them).
        object(application('prod-again', 'valueFiles:\n- values-gpu.yaml\n- ../../envs/prod/model.yaml')),
        // values.yaml alone, by an Application: listed for the overrides that may be in the chart's folder for it;
        // so is a folder source without Helm settings (the folder may hold a chart), but not one of other settings.
        object(application('bare', 'releaseName: model')),
        object(application('folder', 'x: 1').replace(/ {4}helm:\n.*\n/, '')),
        object(application('directory', 'x: 1').replace(/ {4}helm:\n.*\n/, '    directory:\n      recurse: true\n')),
      ],
      { isThisRepository, root: '.' },
    );
    expect([...installs]).toEqual([
      [
        'charts/model',
        [
          { values: ['values-gpu.yaml', '../../envs/prod/model.yaml'], by: 'Application `prod` in `apps/model.yaml`', argo: 'prod', releases: [{ namespace: 'models', name: 'prod' }] },
          { values: ['../../envs/staging/model.yaml'], by: 'Application `staging` in `apps/model.yaml`', argo: 'staging', releases: [{ namespace: 'models', name: 'model' }] },
          { values: ['values-gpu.yaml', '../../envs/prod/model.yaml'], by: 'Application `prod-again` in `apps/model.yaml`', argo: 'prod-again', releases: [{ namespace: 'models', name: 'prod-again' }] },
          { values: [], by: 'Application `bare` in `apps/model.yaml`', argo: 'bare', releases: [{ namespace: 'models', name: 'model' }] },
          // Its type detected by Argo CD: a chart's only if the folder holds no kustomization.
          { values: [], by: 'Application `folder` in `apps/model.yaml`', argo: 'folder', releases: [{ namespace: 'models', name: 'folder' }], detected: true },
        ],
      ],
    ]);
    // The chart named as the reviewed files name the repository's root.
    expect([...gitOpsChartInstalls([object(application('prod', 'valueFiles:\n- ../../envs/prod/model.yaml'))], { isThisRepository, root: 'platform' }).keys()]).toEqual(['platform/charts/model']);
  });

  it('not followed: values set as file parameters, as parameters Warden does not read, or twice, a file it cannot place, a chart of elsewhere, another repository', () => {
    const notFollowed = [
      application('a', 'valueFiles:\n- values.yaml\nvalues: |\n  privileged: true\nvaluesObject:\n  privileged: true'),
      application('b', 'valueFiles:\n- values.yaml\nvalues: 3'),
      application('c', 'valueFiles:\n- values.yaml\nfileParameters:\n- name: privileged\n  path: privileged.txt'),
      application('c2', 'valueFiles:\n- values.yaml\nparameters:\n- name: containers[0].privileged\n  value: "true"'),
      application('c3', 'valueFiles:\n- values.yaml\nparameters:\n- name: containers[0].privileged\n  value: "2"\nvaluesObject:\n  privileged: true'),
      application('d', 'valueFiles:\n- https://example.com/values.yaml'),
      application('e', 'valueFiles:\n- ../../../outside.yaml'),
      application('f', 'valueFiles:\n- $other/envs/prod.yaml'),
      application('g', "valueFiles:\n- '{{cluster}}.yaml'"),
      application('h', 'valueFiles:\n- values.yaml', { repoURL: 'https://github.com/someone-else/platform' }),
      application('i', 'valueFiles:\n- values.yaml', { path: '../elsewhere' }),
      // Rendered by Argo CD for another release namespace than the destination's, or another cluster's version.
      application('j', 'valueFiles:\n- values.yaml\nnamespace: other'),
      application('k', 'valueFiles:\n- values.yaml\nkubeVersion: 1.29.0'),
      application('l', 'valueFiles:\n- values.yaml\napiVersions:\n- monitoring.coreos.com/v1'),
      // A release name Helm refuses: Argo CD renders nothing.
      application('m', 'valueFiles:\n- values.yaml\nreleaseName: Model_1'),
    ];
    expect([...gitOpsChartInstalls(notFollowed.map((text) => object(text)), { isThisRepository, root: '.' })]).toEqual([]);
  });
});

const CHART = {
  'charts/model/Chart.yaml': 'apiVersion: v2\nname: model\nversion: 0.1.0\n',
  'charts/model/values.yaml': 'privileged: false\n',
  'charts/model/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: model
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
        - name: model
          image: registry.example.com/model@sha256:${'a'.repeat(64)}
          securityContext:
            privileged: {{ .Values.privileged }}
`,
};

/**
 * A change to some files of a repository holding CHART and `others`, reviewed with the repository's index; a path
 * of `unreadable` is one Warden does not read.
 */
async function change(others: Record<string, string>, edits: Record<string, string>, unreadable?: string, config: Config = DEFAULT_CONFIG) {
  const head: Record<string, string> = { ...CHART, ...others, ...edits };
  const reader = { ...memoryReader(head), read: async (path: string) => (path === unreadable ? Promise.reject(new UnreadableFile(path, 'too large to review')) : (head[path] ?? null)) };
  const repository = { ...(await buildRepositoryIndex(memoryReader(head), DEFAULT_CONFIG, { kinds: LOOKED_UP_KINDS })), urls: [OURS] };
  const files = Object.entries(edits).map(([path, text]) => {
    const baseText = others[path] ?? null;
    return { path, headText: text, baseText, patch: githubPatch(baseText ?? '', text) };
  });
  return review({ files, written: Object.keys(edits), config, reader, repository });
}
/** CHART with its Deployment named for the release (`<release>-model`), and its privilege set as `privileged` says. */
const named = (privileged = '{{ .Values.privileged }}') => ({
  'charts/model/templates/deployment.yaml': CHART['charts/model/templates/deployment.yaml'].replace('  name: model\n', '  name: {{ .Release.Name }}-model\n').replace('{{ .Values.privileged }}', privileged),
});
/** Its privileged findings: where, on which object, and whether pre-existing. */
const privilegedAs = (result: Awaited<ReturnType<typeof change>>) => result.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => [f.file, f.line, f.resource, f.preExisting]);
const found = (result: Awaited<ReturnType<typeof change>>) => result.findings.filter((f) => !f.preExisting).map((f) => [f.ruleId, f.file, f.line]);

describe('a values file an Application installs this repository’s chart with', () => {
  const app = application('prod', 'valueFiles:\n- ../../envs/prod/model.yaml');

  it('is reviewed with the chart where it is written, its fix offered there; not failed closed', async () => {
    const result = await change({ 'apps/model.yaml': app, 'envs/prod/model.yaml': 'privileged: false\n' }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(found(result)).toEqual([['k8s/privileged', 'envs/prod/model.yaml', 1]]);
    expect(result.findings.find((f) => f.ruleId === 'k8s/privileged')!.fix?.edits).toEqual([expect.objectContaining({ file: 'envs/prod/model.yaml', startLine: 1, replacement: 'privileged: false' })]);
    // Set well, it passes.
    const safe = await change({ 'apps/model.yaml': app, 'envs/prod/model.yaml': 'privileged: true\n' }, { 'envs/prod/model.yaml': 'privileged: false\n' });
    expect(safe.gating).toEqual([]);
  });

  it('its release’s objects land in the destination’s namespace, judged by what covers it there', async () => {
    // (There before the change too: pre-existing, listed all the same.)
    const policies = (ruleId: string) => (result: Awaited<ReturnType<typeof change>>) => result.findings.filter((f) => f.ruleId === ruleId).map((f) => [f.ruleId, f.file, f.line]);
    const denyAll = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: models\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n';
    const edit = { 'envs/prod/model.yaml': 'privileged: false # reviewed\n' };
    const open = await change({ 'apps/model.yaml': app, 'envs/prod/model.yaml': 'privileged: false\n' }, edit);
    expect(policies('k8s/network-policy-missing')(open)).toEqual([['k8s/network-policy-missing', 'charts/model/templates/deployment.yaml', 3]]);
    expect(open.findings.find((f) => f.ruleId === 'k8s/network-policy-missing')!.message).toContain('`models`');
    expect(policies('k8s/network-policy-missing')(await change({ 'apps/model.yaml': app, 'envs/prod/model.yaml': 'privileged: false\n', 'k8s/deny.yaml': denyAll }, edit))).toEqual([]);
    // Rendered for the install with its namespace as the release's: an object the template places in `default` by
    // name (or only in some namespaces) lands there, whatever covers `models`.
    const placing = (namespace: string) => ({ ...CHART, 'charts/model/templates/deployment.yaml': CHART['charts/model/templates/deployment.yaml'].replace('  name: model\n', `  name: model\n  namespace: ${namespace}\n`) });
    const at = async (namespace: string) => policies('k8s/network-policy-missing')(await change({ ...placing(namespace), 'apps/model.yaml': app, 'envs/prod/model.yaml': 'privileged: false\n', 'k8s/deny.yaml': denyAll }, edit));
    expect(await at('default')).toEqual([['k8s/network-policy-missing', 'charts/model/templates/deployment.yaml', 5]]);
    expect(await at('{{ if eq .Release.Namespace "models" }}default{{ else }}{{ .Release.Namespace }}{{ end }}')).toEqual([['k8s/network-policy-missing', 'charts/model/templates/deployment.yaml', 5]]);
    expect(await at('{{ .Release.Namespace }}')).toEqual([]);
    // Whatever the rule: what the template prints for the install's namespace is what is deployed (there before the
    // change too; its fix shown, not offered: fixes are proven on the render as \`helm template\` makes it).
    const branching = { ...CHART, 'charts/model/templates/deployment.yaml': CHART['charts/model/templates/deployment.yaml'].replace('{{ .Values.privileged }}', '{{ or .Values.privileged (eq .Release.Namespace "models") }}') };
    const result = await change({ ...branching, 'apps/model.yaml': app, 'envs/prod/model.yaml': 'privileged: false\n' }, edit);
    expect(result.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => [f.file, f.line, f.preExisting])).toEqual([['charts/model/templates/deployment.yaml', 13, true]]);
    expect(result.findings.find((f) => f.ruleId === 'k8s/privileged')!.fix).toMatchObject({ applicability: 'display', edits: [] });
  });

  describe('with Argo CD’s parameter overrides kept in the chart’s folder for it', () => {
    const OVERRIDE = 'charts/model/.argocd-source-prod.yaml';
    const parameters = (value: string) => `helm:\n  parameters:\n  - name: image.tag\n    value: v2\n    forceString: true\n  - name: privileged\n    value: "${value}"\n`;
    const others = { 'apps/model.yaml': app, 'envs/prod/model.yaml': 'privileged: false\n' };

    it('setting only parameters: rendered with them over its values files, as Argo CD merges them', async () => {
      // What they set wins over the file.
      expect(found(await change({ ...others, [OVERRIDE]: parameters('false') }, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([]);
      // The generic one, then the Application's: its list replaces the other's whole.
      const both = { ...others, 'charts/model/.argocd-source.yaml': parameters('false'), [OVERRIDE]: 'helm:\n  parameters:\n  - name: image.tag\n    value: v3\n' };
      expect(found(await change(both, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([['k8s/privileged', 'envs/prod/model.yaml', 1]]);
      // The generic one, for each Application installing the chart.
      const shared = { ...others, 'apps/staging.yaml': application('staging', 'valueFiles:\n- ../../envs/prod/model.yaml'), 'charts/model/.argocd-source.yaml': parameters('false') };
      expect(found(await change(shared, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([]);
      // Over values the Application sets itself, which stay under them.
      const ownValues = (values: string) => application('prod', `valueFiles:\n- ../../envs/prod/model.yaml\nvaluesObject:\n  ${values}`);
      expect(found(await change({ ...others, 'apps/model.yaml': ownValues('replicas: 2'), [OVERRIDE]: parameters('false') }, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([]);
      const kept = ownValues('privileged: true');
      expect(found(await change({ ...others, 'apps/model.yaml': kept, [OVERRIDE]: 'helm:\n  parameters:\n  - name: image.tag\n    value: v3\n' }, { 'envs/prod/model.yaml': 'replicas: 2\n' }))).toEqual([]);
      // Installed anew: what it sets itself is reviewed, where it sets it.
      const anew = await change({ 'envs/prod/model.yaml': 'privileged: false\n', [OVERRIDE]: 'helm:\n  parameters:\n  - name: image.tag\n    value: v3\n' }, { 'apps/model.yaml': kept });
      expect(found(anew).filter(([rule]) => rule === 'k8s/privileged' || rule === 'warden/not-reviewed')).toEqual([['k8s/privileged', 'apps/model.yaml', kept.split('\n').findIndex((l) => l.includes('privileged: true')) + 1]]);
      // Argo CD reads no `.yml` one.
      expect(found(await change({ ...others, 'charts/model/.argocd-source-prod.yml': parameters('false') }, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([['k8s/privileged', 'envs/prod/model.yaml', 1]]);
      // Another Application's overrides are not this one's.
      const staging = { ...others, 'charts/model/.argocd-source-staging.yaml': parameters('false') };
      expect(found(await change(staging, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([['k8s/privileged', 'envs/prod/model.yaml', 1]]);
    });

    it('a change to the Application’s override is reviewed with the chart, reported on the line of the parameter’s value, a fix not offered', async () => {
      const result = await change({ ...others, [OVERRIDE]: parameters('false') }, { [OVERRIDE]: parameters('true') });
      expect(found(result)).toEqual([['k8s/privileged', OVERRIDE, 7]]);
      expect(result.findings.find((f) => f.ruleId === 'k8s/privileged')!.fix).toBeNull();
      // Only the image bumped (what an image updater writes back): nothing new.
      const bumped = await change({ ...others, [OVERRIDE]: parameters('true') }, { [OVERRIDE]: parameters('true').replace('v2', 'v3') });
      expect(found(bumped)).toEqual([]);
      expect(bumped.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => f.preExisting)).toEqual([true]);
      // By an Application without Helm settings (the chart with its values.yaml) too.
      const plain = application('prod', 'x: 1').replace(/ {4}helm:\n.*\n/, '');
      expect(found(await change({ ...others, 'apps/model.yaml': plain, [OVERRIDE]: parameters('false') }, { [OVERRIDE]: parameters('true') }))).toEqual([['k8s/privileged', OVERRIDE, 7]]);
      // The generic one may be read by Applications Warden does not know: its change is still not reviewed.
      const generic = await change({ ...others, 'charts/model/.argocd-source.yaml': parameters('false') }, { 'charts/model/.argocd-source.yaml': parameters('false').replace('v2', 'v3') });
      expect(found(generic)).toEqual([['warden/not-reviewed', 'charts/model/.argocd-source.yaml', 1]]);
    });

    it('setting anything else: not rendered as it installs it, fails closed', async () => {
      const unfollowed: Record<string, string>[] = [
        { [OVERRIDE]: 'helm:\n  valuesObject:\n    privileged: false\n' },
        { [OVERRIDE]: 'helm:\n  parameters:\n  - name: containers[0].privileged\n    value: "false"\n' },
        { [OVERRIDE]: 'kustomize:\n  images:\n  - model:v2\n' },
      ];
      for (const overrides of unfollowed) {
        const result = await change({ ...others, ...overrides }, { 'envs/prod/model.yaml': 'privileged: true\n' });
        expect(found(result), JSON.stringify(overrides)).toEqual([['warden/not-reviewed', 'envs/prod/model.yaml', 1]]);
        expect(result.findings[0]!.message).toContain('with `charts/model/.argocd-source-prod.yaml`');
      }
      // Another Application installing the chart with the same files, without overrides, does not stand for this one.
      const twice = { ...others, 'apps/plain.yaml': application('plain', 'valueFiles:\n- ../../envs/prod/model.yaml'), [OVERRIDE]: 'helm:\n  valuesObject:\n    privileged: false\n' };
      expect(found(await change(twice, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([
        ['warden/not-reviewed', 'envs/prod/model.yaml', 1],
        ['k8s/privileged', 'envs/prod/model.yaml', 1],
      ]);
      // Installed anew: said at the source.
      const anew = await change({ 'envs/prod/model.yaml': 'privileged: false\n', [OVERRIDE]: 'helm:\n  valuesObject:\n    privileged: false\n' }, { 'apps/model.yaml': app });
      expect(found(anew)).toEqual([['warden/not-reviewed', 'apps/model.yaml', 7]]);
    });

    it('installed anew by an Application the change adds: rendered with them, what they set reported where they set it', async () => {
      const anew = await change({ 'envs/prod/model.yaml': 'privileged: false\n', [OVERRIDE]: parameters('true') }, { 'apps/model.yaml': app });
      expect(found(anew).filter(([rule]) => rule === 'k8s/privileged' || rule === 'warden/not-reviewed')).toEqual([['k8s/privileged', OVERRIDE, 7]]);
      expect(anew.findings.find((f) => f.ruleId === 'k8s/privileged')!.fix).toBeNull();
      const safe = await change({ 'envs/prod/model.yaml': 'privileged: true\n', [OVERRIDE]: parameters('false') }, { 'apps/model.yaml': app });
      expect(found(safe).filter(([rule]) => rule === 'k8s/privileged' || rule === 'warden/not-reviewed')).toEqual([]);
    });
  });

  it('a finding one install lost its protection from is new, though another install deployed the same value before', async () => {
    // The chart runs privileged unless told otherwise: dev installs it as it is, prod with values that harden it.
    const chart = { ...CHART, 'charts/model/values.yaml': 'privileged: true\n' };
    const apps = { 'apps/model.yaml': app, 'apps/dev.yaml': application('dev', 'releaseName: model').replace('namespace: models', 'namespace: dev') };
    const alone = await change({ ...chart, 'apps/model.yaml': app, 'envs/prod/model.yaml': 'privileged: false\n' }, { 'envs/prod/model.yaml': 'replicas: 2\n' });
    expect(alone.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => [f.file, f.line, f.preExisting])).toEqual([['charts/model/values.yaml', 1, false]]);
    const result = await change({ ...chart, ...apps, 'envs/prod/model.yaml': 'privileged: false\n' }, { 'envs/prod/model.yaml': 'replicas: 2\n' });
    expect(result.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => [f.file, f.line, f.preExisting])).toEqual([['charts/model/values.yaml', 1, false]]);
    expect(result.gating.some((f) => f.ruleId === 'k8s/privileged')).toBe(true);
  });

  it('shared by two charts: rendered with each', async () => {
    const other = {
      'charts/gateway/Chart.yaml': 'apiVersion: v2\nname: gateway\nversion: 0.1.0\n',
      // It reads another key of the same file: what it deploys is seen only when it is rendered with it.
      'charts/gateway/templates/pod.yaml': CHART['charts/model/templates/deployment.yaml'].replace('name: model', 'name: gateway').replace('.Values.privileged', '.Values.gatewayPrivileged'),
    };
    const apps = { 'apps/model.yaml': app, 'apps/gateway.yaml': application('gateway', 'valueFiles:\n- ../../envs/prod/model.yaml', { path: 'charts/gateway' }) };
    const values = 'privileged: true\ngatewayPrivileged: true\n';
    const result = await change({ ...other, ...apps, 'envs/prod/model.yaml': 'privileged: false\ngatewayPrivileged: false\n' }, { 'envs/prod/model.yaml': values });
    // Each named as its install deploys it, in the destination's namespace.
    expect(result.findings.filter((f) => !f.preExisting).map((f) => [f.ruleId, f.file, f.line, f.resource])).toEqual([
      ['k8s/privileged', 'envs/prod/model.yaml', 1, 'Deployment/models/model'],
      ['k8s/privileged', 'envs/prod/model.yaml', 2, 'Deployment/models/gateway'],
    ]);
  });

  it('still fails closed where the Application sets values another way, or where the folder holds no chart', async () => {
    const inline = application('prod', 'valueFiles:\n- ../../envs/prod/model.yaml\nparameters:\n- name: containers[0].image\n  value: ml');
    const withInline = await change({ 'apps/model.yaml': inline, 'envs/prod/model.yaml': 'privileged: false\n' }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(found(withInline)).toEqual([['warden/not-reviewed', 'envs/prod/model.yaml', 1]]);
    // Said why, and what would have it reviewed.
    expect(withInline.findings[0]!.message).toContain('the source sets values itself too (`parameters`), which Warden renders with the chart only as one `values` text, one `valuesObject`, or plain `parameters` (no list index; no backslash, comma or leading `{` in a value), not `fileParameters`: move them into a values file');
    // A values file named by a variable of Argo CD's build environment, put in before it is read: the Application's
    // name and destination are put in as Argo CD puts them; one Warden does not know fails closed.
    const named = (file: string, metadata = '') => application('prod', `valueFiles:\n- ../../envs/${file}`).replace('  namespace: argocd\n', metadata);
    const byVariable = (file: string, changed: string, metadata?: string) => change({ 'apps/model.yaml': named(file, metadata), [changed]: 'privileged: false\n' }, { [changed]: 'privileged: true\n' });
    expect(found(await byVariable('$ARGOCD_APP_NAME.yaml', 'envs/prod.yaml'))).toEqual([['k8s/privileged', 'envs/prod.yaml', 1]]);
    expect(found(await byVariable('${ARGOCD_APP_NAMESPACE}/model.yaml', 'envs/models/model.yaml'))).toEqual([['k8s/privileged', 'envs/models/model.yaml', 1]]);
    const revision = await byVariable('$ARGOCD_APP_REVISION/model.yaml', 'envs/abc/model.yaml');
    expect(found(revision)).toEqual([['warden/not-reviewed', 'envs/abc/model.yaml', 1]]);
    expect(revision.findings[0]!.message).toContain("names a variable of Argo CD's build environment");
    // An Application outside Argo CD's namespace is named with its namespace too: not known.
    expect(found(await byVariable('$ARGOCD_APP_NAME.yaml', 'envs/prod.yaml', '  namespace: team-a\n'))).toEqual([['warden/not-reviewed', 'envs/prod.yaml', 1]]);
    // Rendered by Argo CD for another release namespace, or another cluster's Kubernetes version: not as Warden renders it.
    const elsewhere = application('prod', 'valueFiles:\n- ../../envs/prod/model.yaml\nnamespace: other');
    const otherNamespace = await change({ 'apps/model.yaml': elsewhere, 'envs/prod/model.yaml': 'privileged: false\n' }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(found(otherNamespace)).toEqual([['warden/not-reviewed', 'envs/prod/model.yaml', 1]]);
    expect(otherNamespace.findings[0]!.message).toContain('Argo CD renders the chart with `helm.namespace`');
    // A release name Helm refuses: Argo CD renders nothing, so it is not what the file deploys.
    const misnamed = application('prod', 'releaseName: Model_1\nvalueFiles:\n- ../../envs/prod/model.yaml');
    const refused = await change({ 'apps/model.yaml': misnamed, 'envs/prod/model.yaml': 'privileged: false\n' }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(found(refused)).toEqual([['warden/not-reviewed', 'envs/prod/model.yaml', 1]]);
    expect(refused.findings[0]!.message).toContain('`helm.releaseName` is not a name Helm takes for a release');
    const noChart = application('prod', 'valueFiles:\n- ../../envs/prod/model.yaml', { path: 'charts/none' });
    const nowhere = await change({ 'apps/model.yaml': noChart, 'charts/none/README.md': 'x\n', 'envs/prod/model.yaml': 'privileged: false\n' }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(found(nowhere)).toEqual([['warden/not-reviewed', 'envs/prod/model.yaml', 1]]);
  });

  it(`of more than ${MAX_VALUES_RENDERS} installs of one chart, those of the files the change touches are rendered first; past ${MAX_VALUES_RENDERS} of them, one fails closed`, async () => {
    const count = MAX_VALUES_RENDERS + 2;
    const apps = Object.fromEntries(Array.from({ length: count }, (_, i) => [`apps/env-${i}.yaml`, application(`env-${i}`, `valueFiles:\n- ../../envs/env-${i}.yaml`)]));
    const envs = Object.fromEntries(Array.from({ length: count }, (_, i) => [`envs/env-${i}.yaml`, 'privileged: false\n']));
    const last = `envs/env-${count - 1}.yaml`;
    expect(found(await change({ ...apps, ...envs }, { [last]: 'privileged: true\n' }))).toEqual([['k8s/privileged', last, 1]]);
    // Every one touched: the first ones rendered, the one past them not reviewed (listed first).
    const all = await change({ ...apps, ...envs }, Object.fromEntries(Object.keys(envs).slice(0, MAX_VALUES_RENDERS + 1).map((path) => [path, 'privileged: true\n'])));
    expect(found(all)).toEqual([
      ['warden/not-reviewed', `envs/env-${MAX_VALUES_RENDERS}.yaml`, 1],
      ...Array.from({ length: MAX_VALUES_RENDERS }, (_, i) => ['k8s/privileged', `envs/env-${i}.yaml`, 1]),
    ]);
  });
});

describe('an Application that installs this repository’s chart anew', () => {
  const prod = application('prod', 'valueFiles:\n- ../../envs/prod/model.yaml');
  const envs = { 'envs/prod/model.yaml': 'privileged: false\n', 'envs/debug/model.yaml': 'privileged: true\n' };
  const sources = (result: Awaited<ReturnType<typeof change>>) => result.notes.filter((n) => n.message.includes('installed')).map((n) => n.message);
  // What the values set, apart from what the chart's template lacks whatever they are (seccomp, probes, …).
  const VALUES_RULES = new Set(['k8s/privileged', 'k8s/host-namespaces', 'warden/not-reviewed']);
  const valuesFound = (result: Awaited<ReturnType<typeof change>>) => found(result).filter(([rule]) => VALUES_RULES.has(rule as string));
  /** Whether the finding of that rule is pre-existing; undefined when there is none. */
  const preExisting = (result: Awaited<ReturnType<typeof change>>, ruleId: string) => result.findings.find((f) => f.ruleId === ruleId)?.preExisting;

  it('added: the chart rendered with its values is reviewed whole, every finding new, with a note saying why', async () => {
    const debug = application('debug', 'valueFiles:\n- ../../envs/debug/model.yaml');
    const added = await change(envs, { 'apps/debug.yaml': debug });
    expect(valuesFound(added)).toEqual([['k8s/privileged', 'envs/debug/model.yaml', 1]]);
    // The template's own findings too: deployed anew, they are new.
    expect(preExisting(added, 'k8s/seccomp-profile')).toBe(false);
    expect(sources(added)).toEqual(['line 7: the Helm chart `charts/model` installed anew by Application `debug` in `apps/debug.yaml`, with `envs/debug/model.yaml`: its render reviewed whole, every finding new']);
    // Its values set well: not what they set.
    expect(valuesFound(await change(envs, { 'apps/prod.yaml': prod }))).toEqual([]);
  });

  it('only what it installs is reviewed: the chart’s other renders (a values file at its root) are not this change’s', async () => {
    const staging = { ...envs, 'charts/model/values-staging.yaml': 'privileged: true\n' };
    const added = await change(staging, { 'apps/prod.yaml': prod });
    expect(added.findings.filter((f) => f.file === 'charts/model/values-staging.yaml')).toEqual([]);
  });

  it('a folder source without Helm settings whose folder holds a chart: rendered with values.yaml alone', async () => {
    const plain = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: plain\nspec:\n  source:\n    repoURL: ${OURS}\n    path: charts/model\n  destination:\n    namespace: models\n`;
    const privilegedByDefault = { 'charts/model/values.yaml': 'privileged: true\n' };
    expect(valuesFound(await change(privilegedByDefault, { 'apps/plain.yaml': plain }))).toEqual([['k8s/privileged', 'charts/model/values.yaml', 1]]);
  });

  it('pointed at other values: what its render had before is pre-existing, what the new values bring is new', async () => {
    const before = { ...envs, 'charts/model/values.yaml': 'privileged: false\nhostNetwork: true\n', 'apps/prod.yaml': prod };
    const template = CHART['charts/model/templates/deployment.yaml'].replace('      containers:', '      hostNetwork: {{ .Values.hostNetwork }}\n      containers:');
    const result = await change({ ...before, 'charts/model/templates/deployment.yaml': template }, { 'apps/prod.yaml': prod.replace('envs/prod', 'envs/debug') });
    expect(valuesFound(result)).toEqual([['k8s/privileged', 'envs/debug/model.yaml', 1]]);
    expect(preExisting(result, 'k8s/host-namespaces')).toBe(true);
    expect(preExisting(result, 'k8s/seccomp-profile')).toBe(true);
    expect(sources(result)[0]).toContain('installed with other values by Application `prod`');
  });

  it('edited without changing what it installs (its revision): nothing to review anew, nothing failed closed', async () => {
    const result = await change({ ...envs, 'apps/prod.yaml': prod }, { 'apps/prod.yaml': prod.replace('    path: charts/model\n', '    path: charts/model\n    targetRevision: v2\n') });
    expect(result.findings.filter((f) => !f.preExisting)).toEqual([]);
    expect(sources(result)).toEqual([]);
  });

  it('not reviewed at the source: values set as file parameters, a folder without a chart, a chart of another repository', async () => {
    const inline = application('inline', 'valueFiles:\n- ../../envs/prod/model.yaml\nfileParameters:\n- name: privileged\n  path: privileged.txt');
    expect(found(await change(envs, { 'apps/inline.yaml': inline }))).toEqual([['warden/not-reviewed', 'apps/inline.yaml', 7]]);
    const empty = application('empty', 'valueFiles:\n- ../../envs/prod/model.yaml', { path: 'charts/none' });
    const nowhere = await change({ ...envs, 'charts/none/README.md': 'x\n' }, { 'apps/empty.yaml': empty });
    expect(found(nowhere)).toEqual([['warden/not-reviewed', 'apps/empty.yaml', 7]]);
    expect(nowhere.findings[0]!.message).toContain('a Helm chart at `charts/none`, which holds no `Chart.yaml` Warden reads');
    // A chart it cannot render (a values file it does not read): said at the source too.
    const unrendered = await change(envs, { 'apps/prod.yaml': prod }, 'charts/model/values.yaml');
    expect(found(unrendered)).toEqual([['warden/not-reviewed', 'apps/prod.yaml', 7]]);
    expect(unrendered.findings[0]!.message).toContain('`charts/model/values.yaml` is not read (too large to review)');
    // A chart the config's paths leave out: what it deploys is unseen.
    const excluded = await change(envs, { 'apps/prod.yaml': prod }, undefined, resolveConfig({ paths: { exclude: ['charts/**'] } }));
    expect(found(excluded)).toEqual([['warden/not-reviewed', 'apps/prod.yaml', 7]]);
    expect(excluded.findings[0]!.message).toContain("`charts/model/Chart.yaml`, which the config's paths leave out");
    const theirs = application('theirs', 'valueFiles:\n- values.yaml', { repoURL: 'https://github.com/someone-else/platform' });
    const elsewhere = await change(envs, { 'apps/theirs.yaml': theirs });
    expect(found(elsewhere)).toEqual([['warden/not-reviewed', 'apps/theirs.yaml', 7]]);
    expect(elsewhere.findings[0]!.message).toContain('the Helm chart at `charts/model` of `https://github.com/someone-else/platform`, which Argo CD renders');
  });
});

describe('an ApplicationSet whose list generator fills its Helm source', () => {
  const set = (elements: string[], { goTemplate = false, generator = '' } = {}) => applicationSet({ elements: elements.map((env) => `      - env: ${env}\n`).join(''), goTemplate, generator });
  const envs = { 'envs/prod/model.yaml': 'privileged: false\n', 'envs/staging/model.yaml': 'privileged: false\n', 'envs/debug/model.yaml': 'privileged: true\n' };

  it('with a `templatePatch`, which may change any source of any Application it makes, nothing is followed: not reviewed where it is', async () => {
    const patched = set(['prod']).replace('  template:\n', "  templatePatch: |\n    spec:\n      source:\n        helm:\n          valuesObject:\n            privileged: true\n  template:\n");
    expect([...gitOpsChartInstalls([object(patched)], { isThisRepository, root: '.' })]).toEqual([]);
    const added = await change(envs, { 'apps/model.yaml': patched });
    // The last line that starts so: the template's `source:`, not the patch's.
    const line = (needle: string) => patched.split('\n').findLastIndex((l) => l.startsWith(needle)) + 1;
    expect(found(added).filter(([rule]) => rule === 'warden/not-reviewed' || rule === 'k8s/privileged')).toEqual([
      ['warden/not-reviewed', 'apps/model.yaml', line('  templatePatch:')],
      ['warden/not-reviewed', 'apps/model.yaml', line('      source:')],
    ]);
  });

  it('installs the chart once per element, as Argo CD fills the template (Go templates too); another generator, not at all', () => {
    const installs = (text: string) => [...gitOpsChartInstalls([object(text)], { isThisRepository, root: '.' })].map(([chart, list]) => [chart, list.map((i) => i.values)]);
    const expected = [['charts/model', [['../../envs/prod/model.yaml'], ['../../envs/staging/model.yaml']]]];
    expect(installs(set(['prod', 'staging']))).toEqual(expected);
    expect(installs(set(['prod', 'staging'], { goTemplate: true }))).toEqual(expected);
    expect(installs(set(['prod'], { generator: '  - clusters: {}\n' }))).toEqual([]);
    // A matrix of two such generators: every pair; one of another generator, or a parameter both name, not at all.
    const matrix = (second: string) =>
      set(['x']).replace(/ {2}- list:\n {6}elements:\n {6}- env: x\n/, `  - matrix:\n      generators:\n      - list:\n          elements: [{env: prod}, {env: staging}]\n      - ${second}\n`).replace("'../../envs/{{env}}/model.yaml'", "'../../envs/{{env}}/{{tier}}.yaml'");
    expect(installs(matrix('list:\n          elements: [{tier: gpu}, {tier: cpu}]'))).toEqual([['charts/model', [['../../envs/prod/gpu.yaml'], ['../../envs/prod/cpu.yaml'], ['../../envs/staging/gpu.yaml'], ['../../envs/staging/cpu.yaml']]]]);
    expect(installs(matrix('clusters: {}'))).toEqual([]);
    expect(installs(matrix('list:\n          elements: [{env: debug, tier: gpu}]'))).toEqual([]);
  });

  it('a git directory generator of this repository makes one install per folder it selects, from the repository’s listing', async () => {
    const charts = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: charts
spec:
  generators:
  - git:
      repoURL: ${OURS}
      revision: HEAD
      directories:
      - path: charts/*
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      source:
        repoURL: ${OURS}
        path: '{{path}}'
        helm:
          valueFiles:
          - '../../envs/prod/{{path.basename}}.yaml'
`;
    const result = await change({ ...envs, 'envs/prod/model.yaml': 'privileged: false\n', 'apps/charts.yaml': charts }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(found(result)).toEqual([['k8s/privileged', 'envs/prod/model.yaml', 1]]);
  });

  it('a change to a values file of one element is reviewed with the chart; an element the change adds installs it anew', async () => {
    const result = await change({ ...envs, 'apps/model.yaml': set(['prod', 'staging']) }, { 'envs/staging/model.yaml': 'privileged: true\n' });
    expect(found(result)).toEqual([['k8s/privileged', 'envs/staging/model.yaml', 1]]);
    const added = await change({ ...envs, 'apps/model.yaml': set(['prod', 'staging']) }, { 'apps/model.yaml': set(['prod', 'staging', 'debug']) });
    expect(found(added).filter(([rule]) => rule === 'k8s/privileged' || rule === 'warden/not-reviewed')).toEqual([['k8s/privileged', 'envs/debug/model.yaml', 1]]);
    // Only the element it adds: the others install what they did.
    expect(added.notes.filter((n) => n.message.includes('installed anew')).map((n) => n.message)).toEqual([
      'line 16: the Helm chart `charts/model` installed anew by ApplicationSet `model` in `apps/model.yaml`, with `envs/debug/model.yaml`: its render reviewed whole, every finding new',
    ]);
  });

  it('Argo CD’s parameter overrides in the chart’s folder for an Application it makes (its name filled in) are followed for that one', async () => {
    const override = (value: string) => `helm:\n  parameters:\n  - name: privileged\n    value: "${value}"\n`;
    const installed = { ...envs, 'apps/model.yaml': set(['prod', 'staging']), 'charts/model/.argocd-source-model-prod.yaml': override('false') };
    // prod's override wins over its file; staging has none.
    expect(found(await change(installed, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([]);
    expect(found(await change(installed, { 'envs/staging/model.yaml': 'privileged: true\n' }))).toEqual([['k8s/privileged', 'envs/staging/model.yaml', 1]]);
    // A change to it is reviewed with the chart.
    expect(found(await change(installed, { 'charts/model/.argocd-source-model-prod.yaml': override('true') }))).toEqual([['k8s/privileged', 'charts/model/.argocd-source-model-prod.yaml', 4]]);
  });
});

it('past the charts one change may install anew, none is rendered: each fails closed at its source', async () => {
  const { MAX_DEPLOYED_CHARTS } = await import('../../src/gitops-deployed.js');
  const elements = Array.from({ length: MAX_DEPLOYED_CHARTS + 1 }, (_, i) => `      - env: env-${i}\n`).join('');
  const set = `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: model\nspec:\n  generators:\n  - list:\n      elements:\n${elements}  template:\n    spec:\n      source:\n        repoURL: ${OURS}\n        path: charts/model\n        helm:\n          valueFiles:\n          - '../../envs/{{env}}.yaml'\n`;
  const result = await change({}, { 'apps/model.yaml': set });
  const line = set.split('\n').indexOf('      source:') + 1;
  expect(found(result)).toEqual([['warden/not-reviewed', 'apps/model.yaml', line]]);
  expect(result.findings[0]!.message).toContain(`one of ${MAX_DEPLOYED_CHARTS + 1} charts this change installs anew`);
  // Applications that install the same (their names aside) are one install.
  const same = Array.from({ length: MAX_DEPLOYED_CHARTS + 1 }, (_, i) => `      - env: env-${i}\n        tier: gpu\n`).join('');
  const named = set.replace(elements, same).replace("'../../envs/{{env}}.yaml'", "'../../envs/{{tier}}.yaml'").replace('  template:\n', "  template:\n    metadata:\n      name: 'model-{{env}}'\n");
  const once = await change({ 'envs/gpu.yaml': 'privileged: false\n' }, { 'apps/model.yaml': named });
  expect(found(once).filter(([rule]) => rule === 'warden/not-reviewed')).toEqual([]);
  expect(once.notes.filter((n) => n.message.includes('installed anew'))).toHaveLength(1);
});

it('`ignoreMissingValueFiles`: a listed file that is not there is left out of the render, as Argo CD leaves it out', async () => {
  const app = (name: string, ignore: boolean) => application(name, `valueFiles:\n- ../../envs/common.yaml\n- ../../envs/${name}.yaml${ignore ? '\nignoreMissingValueFiles: true' : ''}`);
  const others = { 'envs/common.yaml': 'privileged: false\n' };
  // Without an override file of its own: rendered with the common file alone.
  const optional = await change(others, { 'apps/gpu.yaml': app('gpu', true), 'envs/common.yaml': 'privileged: true\n' });
  expect(found(optional).filter(([rule]) => rule === 'k8s/privileged' || rule === 'warden/not-reviewed')).toEqual([['k8s/privileged', 'envs/common.yaml', 1]]);
  // Not ignored: Argo CD would fail to render it, and Warden does not pass what it cannot render.
  const required = await change(others, { 'apps/gpu.yaml': app('gpu', false) });
  expect(found(required).filter(([rule]) => rule === 'warden/not-reviewed').length).toBeGreaterThan(0);
});

describe('values an Application sets itself, over its values files', () => {
  const app = (helm: string) => application('inline', `valueFiles:\n- ../../envs/prod/model.yaml\n${helm}`);
  const envs = { 'envs/prod/model.yaml': 'privileged: false\n' };
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('read as a values file where they are written: each value on its own line, without the indentation of its place', () => {
    const where = { kind: 'Application', name: 'inline', path: ['spec', 'source', 'helm', 'valuesObject'], form: 'block' as const };
    const asText = { ...where, path: ['spec', 'source', 'helm', 'values'], form: 'text' as const };
    const text = app('valuesObject:\n  replicas: 2\n  securityContext:\n    privileged: true');
    const values = inlineValuesText(text, where)!;
    expect(values.split('\n')[lineOf(text, 'privileged') - 1]).toBe('  privileged: true');
    expect(parse(values)).toEqual({ replicas: 2, securityContext: { privileged: true } });
    const literal = app('values: |\n  replicas: 2\n  privileged: true');
    expect(inlineValuesText(literal, asText)!.split('\n')[lineOf(literal, 'privileged') - 1]).toBe('privileged: true');
    // Not a block of their own lines: not read.
    expect(inlineValuesText(app('valuesObject: {privileged: true}'), where)).toBeNull();
    expect(inlineValuesText(app('values: >\n  privileged: true'), asText)).toBeNull();
    expect(inlineValuesText(app('values: "privileged: true"'), asText)).toBeNull();
  });

  it('a new Application: what they set is reported on their line, a fix not offered (it would lose their indentation)', async () => {
    const text = app('valuesObject:\n  privileged: true');
    const added = await change(envs, { 'apps/inline.yaml': text });
    expect(found(added).filter(([rule]) => rule === 'k8s/privileged' || rule === 'warden/not-reviewed')).toEqual([['k8s/privileged', 'apps/inline.yaml', lineOf(text, 'privileged')]]);
    expect(added.findings.find((f) => f.ruleId === 'k8s/privileged')!.fix).toBeNull();
    // Over its values files, as Argo CD merges them: set well there, a file's value does not count.
    const overridden = await change({ 'envs/prod/model.yaml': 'privileged: true\n' }, { 'apps/inline.yaml': app('valuesObject:\n  privileged: false') });
    expect(found(overridden).filter(([rule]) => rule === 'k8s/privileged')).toEqual([]);
  });

  it('a change to a values file of such an Application is rendered with them; written so they cannot be read, it fails closed', async () => {
    const changed = await change({ ...envs, 'apps/inline.yaml': app('valuesObject:\n  replicas: 2') }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(found(changed)).toEqual([['k8s/privileged', 'envs/prod/model.yaml', 1]]);
    const flow = await change({ ...envs, 'apps/inline.yaml': app('valuesObject: {replicas: 2}') }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(found(flow)).toEqual([['warden/not-reviewed', 'envs/prod/model.yaml', 1]]);
    const added = await change(envs, { 'apps/inline.yaml': app('valuesObject: {privileged: true}') });
    expect(found(added)).toEqual([['warden/not-reviewed', 'apps/inline.yaml', 7]]);
  });
});

describe('Helm parameters an Application sets, over its values files', () => {
  const app = (parameters: string) => application('params', `valueFiles:\n- ../../envs/prod/model.yaml\nparameters:\n${parameters}`);
  const envs = { 'envs/prod/model.yaml': 'privileged: false\n' };
  /** The line of the `value` of the parameter named so. */
  const valueOf = (text: string, name: string) => text.split('\n').findIndex((l) => l.includes(`- name: ${name}`)) + 2;
  const privileged = (result: Awaited<ReturnType<typeof change>>) => found(result).filter(([rule]) => rule === 'k8s/privileged' || rule === 'warden/not-reviewed');
  const where = { kind: 'Application', name: 'params', path: ['spec', 'source', 'helm', 'parameters'], form: 'parameters' as const };

  it('read as the values they set, each on the line of its parameter’s value', () => {
    const text = app('- name: replicas\n  value: "2"\n- name: securityContext.privileged\n  value: "True"\n- name: image.tag\n  value: "0123"\n  forceString: true\n- name: image.pullPolicy\n  value: Always\n- name: podAnnotations.prometheus\\.io/scrape\n  value: "true"');
    const values = inlineValuesText(text, where)!;
    expect(parse(values)).toEqual({ replicas: 2, securityContext: { privileged: true }, image: { tag: '0123', pullPolicy: 'Always' }, podAnnotations: { 'prometheus.io/scrape': true } });
    expect(values.split('\n')[valueOf(text, 'podAnnotations.prometheus\\.io/scrape') - 1]).toContain('"podAnnotations":{"prometheus.io/scrape":true}');
    const lines = values.split('\n');
    expect(lines[valueOf(text, 'replicas') - 1]).toContain('"replicas":2');
    expect(lines[valueOf(text, 'securityContext.privileged') - 1]).toContain('"privileged":true');
    expect(lines[valueOf(text, 'image.tag') - 1]).toContain('"image":{"tag":"0123"');
    expect(lines[valueOf(text, 'image.pullPolicy') - 1]).toContain('"pullPolicy":"Always"');
    // A key's parameters apart, another's between them: all on the line of the first parameter.
    const apart = app('- name: image.tag\n  value: v2\n- name: privileged\n  value: "true"\n- name: image.pullPolicy\n  value: Always');
    const together = inlineValuesText(apart, where)!;
    expect(together.split('\n').findIndex((l) => l !== '') + 1).toBe(valueOf(apart, 'image.tag') - 1);
    expect(parse(together)).toEqual({ image: { tag: 'v2', pullPolicy: 'Always' }, privileged: true });
  });

  it('a new Application: what they set is reported on the line of the parameter’s value, a fix not offered', async () => {
    const text = app('- name: replicas\n  value: "2"\n- name: privileged\n  value: "true"');
    const added = await change(envs, { 'apps/params.yaml': text });
    expect(privileged(added)).toEqual([['k8s/privileged', 'apps/params.yaml', valueOf(text, 'privileged')]]);
    expect(added.findings.find((f) => f.ruleId === 'k8s/privileged')!.fix).toBeNull();
    // Over its values files, as Helm sets them: set well there, a file's value does not count.
    expect(privileged(await change({ 'envs/prod/model.yaml': 'privileged: true\n' }, { 'apps/params.yaml': app('- name: privileged\n  value: "false"') }))).toEqual([]);
  });

  it('over a `valuesObject` or `values` text it sets too: each read where it is written, the parameters last', async () => {
    const both = (object: string, parameter: string) => application('params', `valueFiles:\n- ../../envs/prod/model.yaml\nvaluesObject:\n  ${object}\nparameters:\n- name: privileged\n  value: "${parameter}"`);
    const added = both('replicas: 2', 'true');
    expect(privileged(await change(envs, { 'apps/params.yaml': added }))).toEqual([['k8s/privileged', 'apps/params.yaml', valueOf(added, 'privileged')]]);
    const object = both('privileged: true', 'false');
    expect(privileged(await change(envs, { 'apps/params.yaml': object }))).toEqual([]);
    const reversed = both('privileged: true', 'true').replace('privileged: true\nparameters', 'privileged: false\nparameters');
    expect(privileged(await change(envs, { 'apps/params.yaml': reversed }))).toEqual([['k8s/privileged', 'apps/params.yaml', valueOf(reversed, 'privileged')]]);
    // A change to a values file: rendered with both over it.
    expect(privileged(await change({ ...envs, 'apps/params.yaml': both('replicas: 2', 'false') }, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([]);
    expect(privileged(await change({ ...envs, 'apps/params.yaml': both('replicas: 2', 'false').replace('name: privileged', 'name: replicas') }, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([['k8s/privileged', 'envs/prod/model.yaml', 1]]);
  });

  it('a change to a values file of such an Application is rendered with them; parameters Warden does not read fail closed', async () => {
    const changed = await change({ ...envs, 'apps/params.yaml': app('- name: replicas\n  value: "2"') }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(privileged(changed)).toEqual([['k8s/privileged', 'envs/prod/model.yaml', 1]]);
    // What the parameter sets wins over the file.
    const overridden = await change({ ...envs, 'apps/params.yaml': app('- name: privileged\n  value: "false"') }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(privileged(overridden)).toEqual([]);
    // A build variable put in as Argo CD puts it: here a `true` typed as Helm types it.
    const variable = application('privileged', 'valueFiles:\n- ../../envs/prod/model.yaml\nparameters:\n- name: privileged\n  value: "${ARGOCD_APP_NAME}"');
    expect(privileged(await change({ 'envs/prod/model.yaml': 'privileged: false\n' }, { 'apps/params.yaml': variable.replace('name: privileged\n  namespace', 'name: "true"\n  namespace') }))).toEqual([['k8s/privileged', 'apps/params.yaml', valueOf(variable, 'privileged')]]);
    const listed = await change({ ...envs, 'apps/params.yaml': app('- name: args\n  value: "{a,b}"') }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(privileged(listed)).toEqual([['warden/not-reviewed', 'envs/prod/model.yaml', 1]]);
    const added = await change(envs, { 'apps/params.yaml': app('- name: privileged\n  value: "true"\n- name: privileged\n  value: "false"') });
    expect(privileged(added)).toEqual([['warden/not-reviewed', 'apps/params.yaml', 7]]);
  });
});

describe('values an ApplicationSet’s template sets itself, filled in for each Application its list generator makes', () => {
  const set = (helm: string, debug = '"true"') => applicationSet({ elements: `      - env: prod\n        privileged: "false"\n      - env: debug\n        privileged: ${debug}\n`, helm });
  const envs = { 'envs/prod/model.yaml': 'privileged: false\n', 'envs/debug/model.yaml': 'privileged: false\n' };
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const privileged = (result: Awaited<ReturnType<typeof change>>) => found(result).filter(([rule]) => rule === 'k8s/privileged' || rule === 'warden/not-reviewed');
  const forms = {
    valuesObject: ["valuesObject:\n  privileged: '{{privileged}}'", "privileged: '{{privileged}}'"],
    values: ['values: |\n  privileged: {{privileged}}', 'privileged: {{privileged}}'],
    parameters: ["parameters:\n- name: privileged\n  value: '{{privileged}}'", "value: '{{privileged}}'"],
  };

  for (const [form, [helm, needle]] of Object.entries(forms)) {
    it(`as \`${form}\`: a new set is rendered once per Application, what one sets reported on the template’s line`, async () => {
      const text = set(helm!);
      const added = await change(envs, { 'apps/model.yaml': text });
      expect(privileged(added)).toEqual([['k8s/privileged', 'apps/model.yaml', lineOf(text, needle!)]]);
      expect(added.findings.find((f) => f.ruleId === 'k8s/privileged')!.fix).toBeNull();
      // Set well for every Application: nothing.
      expect(privileged(await change(envs, { 'apps/model.yaml': set(helm!, '"false"') }))).toEqual([]);
    });

    it(`as \`${form}\`: a change to an Application’s values file is rendered with its own, over the file`, async () => {
      const installed = { ...envs, 'apps/model.yaml': set(helm!, '"false"') };
      // Each Application's values win over its file, as Argo CD merges them.
      expect(privileged(await change(installed, { 'envs/prod/model.yaml': 'privileged: true\n' }))).toEqual([]);
      const text = set(helm!);
      expect(privileged(await change({ ...envs, 'apps/model.yaml': text }, { 'envs/debug/model.yaml': 'replicas: 2\n' }))).toEqual([]);
      const withoutOwn = set(helm!.replace('privileged', 'replicas'), '"2"');
      expect(privileged(await change({ ...envs, 'apps/model.yaml': withoutOwn }, { 'envs/debug/model.yaml': 'privileged: true\n' }))).toEqual([['k8s/privileged', 'envs/debug/model.yaml', 1]]);
    });
  }

  it('a value that does not read back as it is filled in (a quote in a quoted scalar) is not followed: fails closed', async () => {
    const broken = set(forms.valuesObject[0]!, `"it's"`);
    expect(privileged(await change(envs, { 'apps/model.yaml': broken }))).toEqual([['warden/not-reviewed', 'apps/model.yaml', 17]]);
    expect(privileged(await change({ ...envs, 'apps/model.yaml': broken }, { 'envs/debug/model.yaml': 'privileged: true\n' }))).toEqual([['warden/not-reviewed', 'envs/debug/model.yaml', 1]]);
  });
});

it('a source the change adds that Warden does not follow (an Application inside a List) is not reviewed at the source: nothing it deploys passes unseen', async () => {
  const listed = parse(application('listed', 'valuesObject:\n  privileged: true')) as Record<string, unknown>;
  const list = stringify({ apiVersion: 'v1', kind: 'List', items: [listed] });
  const result = await change({ 'envs/prod/model.yaml': 'privileged: false\n' }, { 'apps/list.yaml': list });
  expect(found(result).filter(([rule]) => rule === 'warden/not-reviewed').map(([, file]) => file)).toEqual(['apps/list.yaml']);
  expect(result.findings.find((f) => f.ruleId === 'warden/not-reviewed')!.message).toContain('which this change installs anew or with other values');
});

describe('a Flux HelmRelease of a chart of this repository (a folder of a GitRepository of it)', () => {
  const gitRepository = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: platform\n  namespace: flux-system\nspec:\n  url: ${OURS}\n`;
  const release = ({ valuesFiles = [] as string[], values = '', extra = '', source = 'platform' } = {}) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: model
  namespace: flux-system
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/model
      sourceRef:
        kind: GitRepository
        name: ${source}
${valuesFiles.length > 0 ? `      valuesFiles:\n${valuesFiles.map((f) => `        - ${f}\n`).join('')}` : ''}${values ? `  values:\n${values.replace(/^/gm, '    ')}\n` : ''}${extra}`;
  const others = { 'clusters/source.yaml': gitRepository, 'envs/prod/model.yaml': 'privileged: false\n' };
  const privileged = (result: Awaited<ReturnType<typeof change>>) => found(result).filter(([rule]) => rule === 'k8s/privileged' || rule === 'warden/not-reviewed');

  it('a change to a values file it lists is reviewed with the chart', async () => {
    const result = await change({ ...others, 'apps/model.yaml': release({ valuesFiles: ['envs/prod/model.yaml'] }) }, { 'envs/prod/model.yaml': 'privileged: true\n' });
    expect(privileged(result)).toEqual([['k8s/privileged', 'envs/prod/model.yaml', 1]]);
  });

  it('its values files are read in place of the chart’s values.yaml, as Flux packages the chart with them', async () => {
    const unsafeDefaults = { ...others, 'charts/model/values.yaml': 'privileged: true\n', 'envs/prod/model.yaml': 'replicas: 2\n' };
    expect(privileged(await change(unsafeDefaults, { 'apps/model.yaml': release({ valuesFiles: ['envs/prod/model.yaml'] }) }))).toEqual([]);
    // Listed among them, values.yaml is read where it is listed; without values files, it is the chart's values.
    expect(privileged(await change(unsafeDefaults, { 'apps/model.yaml': release({ valuesFiles: ['charts/model/values.yaml', 'envs/prod/model.yaml'] }) }))).toEqual([['k8s/privileged', 'charts/model/values.yaml', 1]]);
    expect(privileged(await change(unsafeDefaults, { 'apps/model.yaml': release() }))).toEqual([['k8s/privileged', 'charts/model/values.yaml', 1]]);
  });

  it('what `spec.values` sets is reported on its line of the HelmRelease; over the values files', async () => {
    const text = release({ valuesFiles: ['envs/prod/model.yaml'], values: 'replicas: 2\nprivileged: true' });
    expect(privileged(await change(others, { 'apps/model.yaml': text }))).toEqual([['k8s/privileged', 'apps/model.yaml', text.split('\n').indexOf('    privileged: true') + 1]]);
  });

  it('its release: its `releaseName`, else `[<targetNamespace>-]<name>`; its objects named as deployed', async () => {
    const deployed = async (extra: string) => privilegedAs(await change({ ...named(), ...others, 'apps/model.yaml': release({ valuesFiles: ['envs/prod/model.yaml'], extra }) }, { 'envs/prod/model.yaml': 'privileged: true\n' }));
    expect(await deployed('')).toEqual([['envs/prod/model.yaml', 1, 'Deployment/flux-system/model-model', false]]);
    expect(await deployed('  targetNamespace: models\n')).toEqual([['envs/prod/model.yaml', 1, 'Deployment/models/models-model-model', false]]);
    expect(await deployed('  targetNamespace: models\n  releaseName: serving\n')).toEqual([['envs/prod/model.yaml', 1, 'Deployment/models/serving-model', false]]);
  });

  it('a release name longer than Helm takes shortened as Flux shortens it: its first 40 characters, and 12 of its SHA-256', () => {
    expect(fluxReleaseName('large-language-model-serving-gateway', { targetNamespace: 'inference-production-eu-west' })).toBe('inference-production-eu-west-large-langu-4887eaaf60a5');
    // 53 characters are taken as they are.
    expect(fluxReleaseName('a'.repeat(46), { targetNamespace: 'models' })).toBe(`models-${'a'.repeat(46)}`);
    // One Helm refuses is none.
    expect(fluxReleaseName('model', { releaseName: 'Model_1' })).toBeNull();
  });

  it('not followed: a GitRepository not found, values from ConfigMaps or Secrets, or with post-build variables', async () => {
    const unknown = await change(others, { 'apps/model.yaml': release({ source: 'elsewhere' }) });
    expect(privileged(unknown)).toEqual([['warden/not-reviewed', 'apps/model.yaml', 6]]);
    expect(unknown.findings[0]!.message).toContain('a Helm chart Flux fetches and renders with the values written here');
    const valuesFrom = await change(others, { 'apps/model.yaml': release({ extra: '  valuesFrom:\n    - kind: ConfigMap\n      name: model-values\n' }) });
    expect(privileged(valuesFrom)).toEqual([['warden/not-reviewed', 'apps/model.yaml', 6]]);
    // Kustomize patches over the render can change anything it deploys.
    const postRendered = await change(others, { 'apps/model.yaml': release({ extra: '  postRenderers:\n    - kustomize:\n        patches: []\n' }) });
    expect(privileged(postRendered)).toEqual([['warden/not-reviewed', 'apps/model.yaml', 6]]);
    // Values with Flux's post-build variables, deployed with them put in; `$${…}` is written out as it reads.
    const variables = await change(others, { 'apps/model.yaml': release({ values: 'privileged: ${PRIVILEGED}' }) });
    expect(privileged(variables)).toEqual([['warden/not-reviewed', 'apps/model.yaml', 6]]);
    expect(privileged(await change(others, { 'apps/model.yaml': release({ values: 'annotation: $${NOT_A_VARIABLE}' }) }))).toEqual([]);
  });
});

describe('the release a GitOps source installs this repository’s chart as, by its name', () => {
  const privileged = privilegedAs;
  const edit = { 'envs/prod/model.yaml': 'privileged: true\n' };

  it('by an Argo CD Application: its `helm.releaseName`, else its own name; its objects named as deployed', async () => {
    const byName = await change({ ...named(), 'apps/model.yaml': application('prod', 'valueFiles:\n- ../../envs/prod/model.yaml'), 'envs/prod/model.yaml': 'privileged: false\n' }, edit);
    expect(privileged(byName)).toEqual([['envs/prod/model.yaml', 1, 'Deployment/models/prod-model', false]]);
    const released = await change({ ...named(), 'apps/model.yaml': application('prod', 'releaseName: serving\nvalueFiles:\n- ../../envs/prod/model.yaml'), 'envs/prod/model.yaml': 'privileged: false\n' }, edit);
    expect(privileged(released)).toEqual([['envs/prod/model.yaml', 1, 'Deployment/models/serving-model', false]]);
    // Installed anew by an Application the change adds: the same.
    const added = await change({ ...named(), 'envs/prod/model.yaml': 'privileged: true\n' }, { 'apps/model.yaml': application('prod', 'releaseName: serving\nvalueFiles:\n- ../../envs/prod/model.yaml') });
    expect(privileged(added)).toEqual([['envs/prod/model.yaml', 1, 'Deployment/models/serving-model', false]]);
  });

  it('a template that branches on `.Release.Name` is judged as the install renders it; there before, it stays pre-existing', async () => {
    // Privileged only for the release `prod`: as `helm template` renders it (`release-name`), nothing to report.
    const branching = named('{{ or .Values.privileged (eq .Release.Name "prod") }}');
    const reviewed = { 'envs/prod/model.yaml': 'privileged: false # reviewed\n' };
    const result = await change({ ...branching, 'apps/model.yaml': application('prod', 'valueFiles:\n- ../../envs/prod/model.yaml'), 'envs/prod/model.yaml': 'privileged: false\n' }, reviewed);
    expect(privileged(result)).toEqual([['charts/model/templates/deployment.yaml', 13, 'Deployment/models/prod-model', true]]);
    // Another release of the same chart is not privileged.
    const other = await change({ ...branching, 'apps/model.yaml': application('staging', 'valueFiles:\n- ../../envs/prod/model.yaml'), 'envs/prod/model.yaml': 'privileged: false\n' }, reviewed);
    expect(privileged(other)).toEqual([]);
    // A values key removed lets the release's branch through: the object the release renders otherwise is changed.
    const guarded = named('{{ if .Values.safe }}false{{ else }}{{ eq .Release.Name "prod" }}{{ end }}');
    const unguarded = await change({ ...guarded, 'apps/model.yaml': application('prod', 'valueFiles:\n- ../../envs/prod/model.yaml'), 'envs/prod/model.yaml': 'safe: true\nreplicas: 2\n' }, { 'envs/prod/model.yaml': 'replicas: 2\n' });
    expect(privileged(unguarded)).toEqual([['charts/model/templates/deployment.yaml', 13, 'Deployment/models/prod-model', false]]);
  });

  it('a finding of the chart’s own render and of an install’s render is one, named as deployed', async () => {
    const result = await change({ 'apps/model.yaml': application('prod', 'valueFiles:\n- ../../envs/prod/model.yaml'), 'envs/prod/model.yaml': 'replicas: 2\n' }, named('true'));
    expect(privileged(result)).toEqual([['charts/model/templates/deployment.yaml', 13, 'Deployment/models/prod-model', false]]);
  });
});
