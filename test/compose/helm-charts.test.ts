// Kustomize `helmCharts` whose chart is in the repository: inflated as `kustomize build --enable-helm` inflates it,
// its objects composed with the kustomization's (its namespace, patches and images apply), each finding where a
// person edits (the values key, the template line, the kustomization's inline values); what Warden cannot follow
// exactly is not composed, with why.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { rootsReaching, readLayout } from '../../src/compose/layout.js';
import { composeChanged } from '../../src/compose/index.js';
import { inflateChart } from '../../src/render/kustomize-charts.js';
import { compose, composedFindings, localChart, memoryRead } from './helpers.js';

const CHART = localChart('app/charts/server');

const KUSTOMIZATION = `namespace: models
helmCharts:
- name: server
  releaseName: prod
  namespace: serving
  valuesInline:
    image: nvcr.io/nvidia/tritonserver:24.06-py3
  additionalValuesFiles:
  - values-prod.yaml
`;

const LAYOUT: Record<string, string> = {
  ...CHART,
  'app/kustomization.yaml': KUSTOMIZATION,
  'app/values-prod.yaml': 'securityContext:\n  privileged: true\n',
};

const objects = (composed: Awaited<ReturnType<typeof compose>>) => composed.files.flatMap((f) => f.resources);

describe('a local chart that helmCharts inflates', () => {
  it('is rendered with its release name and namespace and its values, and the kustomization transforms what it renders', async () => {
    const composed = await compose(LAYOUT);
    expect(composed.uncomposed).toEqual([]);
    const [deployment] = objects(composed);
    expect(deployment).toMatchObject({ id: 'Deployment/models/prod-server', file: 'app/charts/server/templates/deployment.yaml' });
    // `.Release.Namespace` is the entry's namespace; the object's is the kustomization's, which sets every object's.
    expect(deployment!.body).toMatchObject({ metadata: { namespace: 'models', annotations: { 'installed-in': 'serving' } } });
    // The inline values over the chart's values.yaml (`override`), the additional values file over both.
    const container = (deployment!.body as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }).spec.template.spec.containers[0]!;
    expect(container).toMatchObject({ image: 'nvcr.io/nvidia/tritonserver:24.06-py3', securityContext: { privileged: true } });
    // Every file it reads is read: a change to any builds it again.
    expect([...composed.read]).toEqual(expect.arrayContaining(['app/values-prod.yaml', 'app/charts/server/templates/deployment.yaml', 'app/charts/server/Chart.yaml']));
  });

  it('reports a finding where a person edits: the values file key, the inline value in the kustomization, the template line', async () => {
    const { findings } = await composedFindings(LAYOUT);
    const at = (ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.file}:${f.line}`);
    expect(at('k8s/privileged')).toEqual(['app/values-prod.yaml:2']);
    expect(at('k8s/image-digest')).toEqual(['app/kustomization.yaml:7']);
    // A setting the template does not print at all: at the template line that writes the object it belongs in.
    expect(at('k8s/probes')).toEqual(['app/charts/server/templates/deployment.yaml:11']);
  });

  it('its objects are the overlay\'s resources: a patch and an images entry of the kustomization apply to them', async () => {
    const kustomization = `${KUSTOMIZATION}patches:
- target:
    kind: Deployment
    name: prod-server
  patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/securityContext/privileged
      value: false
images:
- name: nvcr.io/nvidia/tritonserver
  digest: sha256:${'a'.repeat(64)}
`;
    const { findings, composed } = await composedFindings({ ...LAYOUT, 'app/kustomization.yaml': kustomization });
    expect(findings.filter((f) => f.ruleId === 'k8s/privileged' || f.ruleId === 'k8s/image-digest')).toEqual([]);
    const container = (objects(composed)[0]!.body as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }).spec.template.spec.containers[0]!;
    expect(container.image).toBe(`nvcr.io/nvidia/tritonserver@sha256:${'a'.repeat(64)}`);
  });

  it('reads the values as kustomize merges them: `merge` keeps the file\'s over the inline ones, `replace` drops the file', async () => {
    const image = async (extra: string, files: Record<string, string> = {}) => {
      const kustomization = `helmCharts:\n- name: server\n  releaseName: prod\n  valuesFile: values-prod.yaml\n  valuesInline:\n    image: inline:1\n${extra}`;
      const composed = await compose({ ...CHART, 'app/kustomization.yaml': kustomization, 'app/values-prod.yaml': 'image: file:1\n', ...files });
      expect(composed.uncomposed).toEqual([]);
      return (objects(composed)[0]!.body as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec.containers[0]!.image;
    };
    expect(await image('')).toBe('inline:1');
    expect(await image('  valuesMerge: merge\n')).toBe('file:1');
    expect(await image('  valuesMerge: replace\n', { 'app/values-prod.yaml': 'nothing: here\n' })).toBe('inline:1');
  });

  it('looks for a chart with a repo and a version in that version\'s folder, and prints its CRDs only with includeCRDs', async () => {
    const versioned = Object.fromEntries(Object.entries(CHART).map(([path, text]) => [path.replace('charts/server/', 'charts/server-1.0.0/server/'), text]));
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: models.serving.example.com\n';
    const files = (include: string) => ({
      ...versioned,
      'app/charts/server-1.0.0/server/crds/models.yaml': crd,
      'app/kustomization.yaml': `helmCharts:\n- name: server\n  repo: https://charts.example.com\n  version: 1.0.0\n  releaseName: prod\n${include}`,
    });
    const without = await compose(files(''));
    expect(without.uncomposed).toEqual([]);
    expect(objects(without).map((r) => r.id)).toEqual(['Deployment/prod-server']);
    const withCrds = await compose(files('  includeCRDs: true\n'));
    expect(objects(withCrds).map((r) => [r.id, r.file])).toEqual([
      ['CustomResourceDefinition/models.serving.example.com', 'app/charts/server-1.0.0/server/crds/models.yaml'],
      ['Deployment/prod-server', 'app/charts/server-1.0.0/server/templates/deployment.yaml'],
    ]);
  });

  it('a change to the chart\'s template alone, or to its values file, builds the kustomization', async () => {
    const layout = await readLayout(Object.keys(LAYOUT), memoryRead(LAYOUT));
    expect(rootsReaching(layout, new Set(['app/charts/server/templates/deployment.yaml'])).roots).toEqual(['app']);
    expect(rootsReaching(layout, new Set(['app/values-prod.yaml'])).roots).toEqual(['app']);
    const versioned = await readLayout(['app/kustomization.yaml'], memoryRead({ 'app/kustomization.yaml': 'helmCharts:\n- name: server\n  repo: https://charts.example.com\n  version: 2.0.0\n' }));
    expect(rootsReaching(versioned, new Set(['app/charts/server-2.0.0/server/templates/x.yaml'])).roots).toEqual(['app']);
  });
});

describe('a helmCharts entry Warden cannot follow exactly is not composed, with why', () => {
  const refused = async (kustomization: string, files: Record<string, string> = {}) => {
    const composed = await compose({ ...LAYOUT, 'app/kustomization.yaml': kustomization, ...files });
    expect(objects(composed)).toEqual([]);
    return composed.uncomposed.filter((part) => part.input === undefined).map((part) => [part.lines?.startLine, part.message]);
  };
  const entry = (more: string) => `helmCharts:\n- name: server\n  releaseName: prod\n${more}`;

  it('a chart that is not in the repository: kustomize pulls it', async () => {
    expect(await refused('helmCharts:\n- name: minecraft\n  repo: https://itzg.github.io/minecraft-server-charts\n  releaseName: mc\n')).toEqual([
      [3, '`helmCharts` chart `minecraft` is not inflated: no chart is at `app/charts/minecraft`, so kustomize pulls it from `https://itzg.github.io/minecraft-server-charts` (Warden fetches nothing); the objects it deploys were not composed'],
    ]);
  });

  it('a version other than the chart\'s, no release name, a field the renderer does not honour, a template that does not render', async () => {
    expect(await refused(entry('  version: 2.0.0\n'))).toEqual([[4, expect.stringContaining('its `version` 2.0.0 is not the version `app/charts/server` holds (1.0.0)')]]);
    expect(await refused('helmCharts:\n- name: server\n')).toEqual([[2, expect.stringContaining('it names no `releaseName`: kustomize then runs `helm template --generate-name`')]]);
    expect(await refused(entry('  apiVersions:\n  - monitoring.coreos.com/v1\n'))).toEqual([[4, expect.stringContaining('its `apiVersions` sets the API versions')]]);
    expect(await refused(entry('  kubeVersion: "1.29"\n'))).toEqual([[4, expect.stringContaining('its `kubeVersion` sets `.Capabilities.KubeVersion`')]]);
    const broken = { 'app/charts/server/templates/broken.yaml': 'kind: {{ .Values.kind \n' };
    expect(await refused(entry(''), broken)).toEqual([[2, expect.stringMatching(/^`helmCharts` chart `server` is not inflated: Helm: not rendered \(syntax\), app\/charts\/server\/templates\/broken\.yaml line 1: /)]]);
  });

  it('inline values kustomize merges otherwise than Helm reads values files, and values files outside its folder', async () => {
    const lists = { 'app/values-prod.yaml': 'env:\n- name: A\n  value: "1"\n' };
    expect(await refused(entry('  valuesFile: values-prod.yaml\n  valuesInline:\n    env:\n    - name: B\n'), lists)).toEqual([
      [5, expect.stringContaining('kustomize merges its `valuesInline` into `app/values-prod.yaml` otherwise than Helm reads two values files (lists on both sides at `env`)')],
    ]);
    expect(await refused(entry('  valuesFile: ../values.yaml\n'), { 'values.yaml': 'a: 1\n' })).toEqual([[4, expect.stringContaining('is outside the kustomization\'s folder: kustomize refuses it by default')]]);
  });

  it('a file of the chart Warden does not read (binary, too large), where a template reads `.Files` or Helm parses it', async () => {
    // Listed in the repository, not read: as a binary file or one past the size limit is.
    const unread = async (files: Record<string, string>, path: string) => {
      const composed = await composeChanged([...Object.keys(files), path], new Set(Object.keys(files)), memoryRead(files), new Map(), inflateChart);
      return composed.uncomposed.filter((part) => part.input === undefined).map((part) => part.message);
    };
    const reading = { ...LAYOUT, 'app/charts/server/templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\ndata:\n  model: {{ .Files.Get "files/model.bin" | quote }}\n' };
    expect(await unread(reading, 'app/charts/server/files/model.bin')).toEqual([expect.stringContaining('`app/charts/server/files/model.bin` of its chart is not read, and what the chart renders depends on it')]);
    expect(await unread(LAYOUT, 'app/charts/server/templates/big.yaml')).toEqual([expect.stringContaining('`app/charts/server/templates/big.yaml` of its chart is not read')]);
    // An icon nothing reads: the chart renders as it would.
    expect(await unread(LAYOUT, 'app/charts/server/icon.png')).toEqual([]);
  });

  it('what a refused entry reads is not reviewed where the change touches it', async () => {
    const composed = await compose({ ...LAYOUT, 'app/kustomization.yaml': entry('  version: 2.0.0\n  valuesFile: values-prod.yaml\n') }, ['app/values-prod.yaml']);
    const why = 'read by `helmCharts` of app/kustomization.yaml, whose chart `server` is not inflated: its `version` 2.0.0 is not the version';
    expect(composed.uncomposed.filter((part) => part.input !== undefined).map((part) => [part.file, part.input, part.message])).toEqual([
      ['app/values-prod.yaml', 'file', expect.stringContaining(`\`app/values-prod.yaml\` is ${why}`)],
      ['app/charts/server', 'folder', expect.stringContaining(`the files below \`app/charts/server\` are ${why}`)],
    ]);
  });
});

describe('a review of a kustomization that inflates a local chart', () => {
  async function reviewChange(files: Record<string, string>, changed: string[]) {
    return review({ files: changed.map((path) => ({ path, headText: files[path]!, patch: undefined })), config: DEFAULT_CONFIG, reader: memoryReader(files), planFixes: true });
  }

  it('offers a fix in the values file, proven by inflating again; one on a template line is shown, not offered', async () => {
    const result = await reviewChange(LAYOUT, ['app/values-prod.yaml']);
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    const privileged = result.findings.find((f) => f.ruleId === 'k8s/privileged');
    expect(privileged).toMatchObject({ file: 'app/values-prod.yaml', line: 2 });
    expect(privileged!.fix?.applicability).not.toBe('display');
    expect(privileged!.fix!.edits.map((e) => e.file)).toEqual(['app/values-prod.yaml']);
    const limits = result.findings.find((f) => f.ruleId === 'k8s/resource-limits');
    expect(limits).toMatchObject({ file: 'app/charts/server/templates/deployment.yaml' });
    expect(limits!.fix).toMatchObject({ applicability: 'display', edits: [] });
  });

  it('a change to a template of the chart alone is reviewed in what the kustomization deploys', async () => {
    const result = await reviewChange(LAYOUT, ['app/charts/server/templates/deployment.yaml']);
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    // The privileged value the overlay's values file gives: only the kustomization's render has it.
    expect(result.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => `${f.file}:${f.line}`)).toEqual(['app/values-prod.yaml:2']);
  });
});
