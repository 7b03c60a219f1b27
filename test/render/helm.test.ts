// Charts rendered as `helm template` would, and every rendered line and scalar traced to its origin.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readChartDir } from '../../src/render/chart-dir.js';
import { renderChart, type ChartSource } from '../../src/render/helm.js';
import { lineOrigins, pathKey, traceDocuments } from '../../src/render/provenance.js';
import { loadValues, valuesOrigin } from '../../src/render/values.js';

const FIXTURE = 'test/fixtures/charts/model-server';
const DIR = 'charts/model-server';
const chart = (): ChartSource => readChartDir(FIXTURE, DIR);
const withFiles = (extra: Record<string, string>): ChartSource => {
  const source = chart();
  for (const [path, text] of Object.entries(extra)) source.files.set(path, text);
  return source;
};
/** The 1-based line of the first line of a fixture file that matches. */
const lineOf = (file: string, pattern: RegExp): number => readFileSync(`${FIXTURE}/${file}`, 'utf8').split('\n').findIndex((l) => pattern.test(l)) + 1;
const rendered = (source: ChartSource, file: string, valuesFiles: string[] = []) => {
  const result = renderChart(source, { valuesFiles });
  const template = result.templates.find((t) => t.file === `${DIR}/${file}`);
  if (!template) throw new Error(`${file} not rendered: ${JSON.stringify(result.problems)}`);
  return template;
};

describe('renderChart', () => {
  it('renders every template but helpers and NOTES.txt, values files merged over values.yaml in order', () => {
    const result = renderChart(chart(), { valuesFiles: ['values-prod.yaml'] });
    expect(result.problems).toEqual([]);
    expect(result.templates.map((t) => t.file).sort()).toEqual([
      `${DIR}/charts/exporter/templates/configmap.yaml`,
      `${DIR}/templates/deployment.yaml`,
      `${DIR}/templates/networkpolicy.yaml`,
      `${DIR}/templates/service.yaml`,
      `${DIR}/templates/serviceaccount.yaml`,
    ]);
    const deployment = parseYaml(rendered(chart(), 'templates/deployment.yaml', ['values-prod.yaml']).text);
    expect(deployment.metadata.name).toBe('release-name-model-server');
    expect(deployment.spec.replicas).toBe(4);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('nvcr.io/nvidia/tritonserver:24.05-py3');
    // values-prod.yaml overrides one key of resources.limits; the others stay from values.yaml.
    expect(container.resources).toEqual({ limits: { memory: '16Gi', 'nvidia.com/gpu': 1 }, requests: { cpu: '2', memory: '8Gi' } });
    expect(deployment.metadata.labels['app.kubernetes.io/version']).toBe('24.05');
    expect(deployment.spec.template.metadata.annotations['checksum/banner']).toMatch(/^[0-9a-f]{12}$/);
  });

  it('pins the image by digest from values.yaml; without digest or tag it falls back to the appVersion through default', () => {
    const pinned = parseYaml(rendered(chart(), 'templates/deployment.yaml').text);
    expect(pinned.spec.template.spec.containers[0].image).toMatch(/^nvcr\.io\/nvidia\/tritonserver@sha256:[0-9a-f]{64}$/);
    expect(pinned.spec.replicas).toBe(2);
    const source = withFiles({ 'no-digest.yaml': 'image:\n  digest: ""\n' });
    const deployment = parseYaml(rendered(source, 'templates/deployment.yaml', ['no-digest.yaml']).text);
    expect(deployment.spec.template.spec.containers[0].image).toBe('nvcr.io/nvidia/tritonserver:24.05');
  });

  it('scopes subchart values under their name, passes globals down, and honours the dependency condition', () => {
    const configmap = parseYaml(rendered(chart(), 'charts/exporter/templates/configmap.yaml').text);
    expect(configmap.data).toEqual({ port: '9400', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5', team: 'inference' });
    const overridden = withFiles({ 'values-x.yaml': 'exporter:\n  port: 9500\nglobal:\n  team: research\n' });
    const data = parseYaml(rendered(overridden, 'charts/exporter/templates/configmap.yaml', ['values-x.yaml']).text).data;
    expect(data).toEqual({ port: '9500', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5', team: 'research' });
    const disabled = withFiles({ 'off.yaml': 'exporter:\n  enabled: false\n' });
    expect(renderChart(disabled, { valuesFiles: ['off.yaml'] }).templates.map((t) => t.file)).not.toContain(`${DIR}/charts/exporter/templates/configmap.yaml`);
  });

  it('an alias renames a subchart and scopes its values under the alias, as Helm does', () => {
    const source: ChartSource = {
      dir: DIR,
      files: new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: model\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: 18.0.0\n  alias: cache\n'],
        ['values.yaml', 'cache:\n  port: 6380\nredis:\n  port: 9999\n'],
        ['charts/redis/Chart.yaml', 'apiVersion: v2\nname: redis\nversion: 18.0.0\n'],
        ['charts/redis/values.yaml', 'port: 6379\n'],
        ['charts/redis/templates/cm.yaml', 'name: {{ .Chart.Name }}\nport: {{ .Values.port }}\n'],
      ]),
    };
    expect(parseYaml(rendered(source, 'charts/redis/templates/cm.yaml').text)).toEqual({ name: 'cache', port: 6380 });
    // Listed twice under two aliases: installed twice, each with its own values.
    source.files.set('Chart.yaml', `${source.files.get('Chart.yaml')}- name: redis\n  version: 18.0.0\n  alias: queue\n`);
    source.files.set('values.yaml', 'cache:\n  port: 6380\nqueue:\n  port: 6390\n');
    const twice = renderChart(source, {}).templates.filter((t) => t.file === `${DIR}/charts/redis/templates/cm.yaml`);
    // In Helm's order: the same depth in reverse name order.
    expect(twice.map((t) => [t.name, parseYaml(t.text)])).toEqual([
      ['model/charts/queue/templates/cm.yaml', { name: 'queue', port: 6390 }],
      ['model/charts/cache/templates/cm.yaml', { name: 'cache', port: 6380 }],
    ]);
  });

  it('a null in a values file deletes the default key, as Helm coalesces', () => {
    const source = withFiles({ 'null.yaml': 'resources: null\n' });
    const deployment = parseYaml(rendered(source, 'templates/deployment.yaml', ['null.yaml']).text);
    expect(deployment.spec.template.spec.containers[0].resources).toBeUndefined();
  });

  it('a YAML merge key (`<<`) merges the anchored map, or each of a list (the first one first), under the map’s own keys, as go-yaml does', () => {
    const source = withFiles({ 'debug.yaml': 'debug: &debug\n  privileged: true\n  runAsUser: 0\nsecurityContext:\n  <<: *debug\n  runAsUser: 1000\n' });
    const container = parseYaml(rendered(source, 'templates/deployment.yaml', ['debug.yaml']).text).spec.template.spec.containers[0];
    expect(container.securityContext).toMatchObject({ privileged: true, runAsUser: 1000, readOnlyRootFilesystem: true });
    expect(container.securityContext).not.toHaveProperty(['Symbol(<<)']);
    const values = loadValues('values.yaml', 'a: &a\n  x: 1\nb: &b\n  x: 2\n  z: 2\nboth:\n  <<: [*a, *b]\nquoted:\n  "<<": *a\n');
    expect(values.both).toEqual({ x: 1, z: 2 });
    // Quoted, it is a key like any other.
    expect(values.quoted).toEqual({ '<<': { x: 1 } });
    // Each merged key keeps the origin of the line that set it.
    expect(valuesOrigin(values, ['both', 'z'])).toMatchObject({ file: 'values.yaml', line: 5 });
  });

  it('gives templates .Chart, .Release, .Capabilities, .Template, .Files, tpl, lookup and required', () => {
    const source = withFiles({
      'templates/extra.yaml': [
        'name: {{ .Chart.Name }}-{{ .Chart.Version }}-{{ .Release.Namespace }}-{{ .Release.Service }}',
        'template: {{ .Template.Name }} {{ .Template.BasePath }}',
        'kube: {{ .Capabilities.KubeVersion.Version }} {{ semverCompare ">=1.21-0" .Capabilities.KubeVersion.GitVersion }}',
        'apps: {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" }} {{ .Capabilities.APIVersions.Has "extensions/v1beta1" }}',
        'banner: {{ .Files.Get "files/banner.txt" | trim }} {{ len (.Files.Glob "files/*").AsConfig }}',
        'hidden: {{ .Files.Get "values.yaml" | len }}',
        'tpl: {{ tpl .Values.greeting . }}',
        'lookup: {{ lookup "v1" "Secret" "default" "x" | len }}',
        '',
      ].join('\n'),
      'values-t.yaml': 'greeting: "hello {{ .Release.Name }}"\n',
    });
    const text = rendered(source, 'templates/extra.yaml', ['values-t.yaml']).text;
    expect(parseYaml(text)).toEqual({
      name: 'model-server-0.3.1-default-Helm',
      template: 'model-server/templates/extra.yaml model-server/templates',
      kube: 'v1.31.0 true',
      apps: 'true true false',
      banner: `model-server ${'banner.txt: |\n  model-server'.length}`,
      hidden: 0,
      tpl: 'hello release-name',
      lookup: 0,
    });
    // .Files.Glob's files are a map of []byte: ranged over by path, counted, indexed, printed as Go prints them.
    const globbed = withFiles({
      'templates/glob.yaml': [
        'data:',
        '{{- range $path, $bytes := .Files.Glob "dash/*.json" }}',
        '  {{ base $path }}: {{ toString $bytes | quote }}',
        '{{- end }}',
        'n: {{ len (.Files.Glob "dash/*") }}',
        'bytes: "{{ index (.Files.Glob "dash/*") "dash/b.json" }}"',
        '',
      ].join('\n'),
      'dash/a.json': '{"a":1}',
      'dash/b.json': '{}',
    });
    expect(parseYaml(rendered(globbed, 'templates/glob.yaml').text)).toEqual({ data: { 'a.json': '{"a":1}', 'b.json': '{}' }, n: 2, bytes: '[123 125]' });
    const missing = withFiles({ 'templates/req.yaml': 'x: {{ required "set .Values.endpoint" .Values.endpoint }}\n' });
    const result = renderChart(missing);
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'execution', file: `${DIR}/templates/req.yaml`, line: 1, message: expect.stringContaining('set .Values.endpoint') })]);
    expect(result.templates).toHaveLength(5);
  });
});

describe('provenance', () => {
  it('maps values through toYaml | nindent back line by line', () => {
    const template = rendered(chart(), 'templates/deployment.yaml');
    const lines = template.text.split('\n');
    const origins = lineOrigins(template.text, template.spans);
    const originOfLine = (pattern: RegExp) => origins[lines.findIndex((l) => pattern.test(l))];
    for (const [rendered, key] of [
      [/^ {12}allowPrivilegeEscalation: false$/, /^ {2}allowPrivilegeEscalation:/],
      [/^ {12}capabilities:$/, /^ {2}capabilities:/],
      [/^ {12}readOnlyRootFilesystem: true$/, /^ {2}readOnlyRootFilesystem:/],
      [/^ {12}runAsUser: 1000$/, /^ {2}runAsUser:/],
      [/^ {8}runAsNonRoot: true$/, /^ {2}runAsNonRoot:/],
      [/^ {10}type: RuntimeDefault$/, /^ {4}type: RuntimeDefault/],
    ] as const) {
      expect(originOfLine(rendered), String(rendered)).toMatchObject({ kind: 'values', file: `${DIR}/values.yaml`, line: lineOf('values.yaml', key) });
    }
    expect(originOfLine(/^ {12}runAsUser/)).toMatchObject({ path: ['securityContext', 'runAsUser'] });
    // Template text stays at its template line; include'd text at the helper's line.
    expect(originOfLine(/^ {10}securityContext:$/)).toEqual({ kind: 'template', file: `${DIR}/templates/deployment.yaml`, line: lineOf('templates/deployment.yaml', /^ {10}securityContext:/) });
    expect(originOfLine(/^ {4}app.kubernetes.io\/instance/)).toEqual({ kind: 'template', file: `${DIR}/templates/_helpers.tpl`, line: lineOf('templates/_helpers.tpl', /^app.kubernetes.io\/instance/) });
  });

  it('traces each rendered scalar: values through default, quote and include; literals to their template line', () => {
    const [doc] = traceDocuments(rendered(chart(), 'templates/deployment.yaml', ['values-prod.yaml']));
    const at = (...path: (string | number)[]) => doc!.nodes.get(pathKey(path));
    const container = ['spec', 'template', 'spec', 'containers', 0];
    expect(at(...container, 'image')?.value).toMatchObject({ kind: 'values', file: `${DIR}/values-prod.yaml`, line: lineOf('values-prod.yaml', /tag:/), path: ['image', 'tag'] });
    expect(at('spec', 'replicas')?.value).toMatchObject({ kind: 'values', file: `${DIR}/values-prod.yaml`, line: lineOf('values-prod.yaml', /replicaCount/) });
    expect(at(...container, 'resources', 'limits', 'memory')?.value).toMatchObject({ file: `${DIR}/values-prod.yaml`, path: ['resources', 'limits', 'memory'] });
    expect(at(...container, 'resources', 'requests', 'cpu')?.value).toMatchObject({ file: `${DIR}/values.yaml`, path: ['resources', 'requests', 'cpu'] });
    // A map rendered from values: the whole map's origin is the values key that holds it.
    expect(at(...container, 'securityContext')?.value).toMatchObject({ kind: 'values', path: ['securityContext'] });
    expect(at(...container, 'securityContext')?.key).toMatchObject({ kind: 'template', line: lineOf('templates/deployment.yaml', /^ {10}securityContext:/) });
    expect(at('spec', 'template', 'spec', 'automountServiceAccountToken')?.value).toEqual({
      kind: 'template', file: `${DIR}/templates/deployment.yaml`, line: lineOf('templates/deployment.yaml', /automountServiceAccountToken/),
    });
    expect(at(...container, 'imagePullPolicy')?.value).toMatchObject({ kind: 'values', path: ['image', 'pullPolicy'] });
    // quote keeps the origin of what it quotes; in a subchart, values come from the subchart's values.yaml.
    const [configmap] = traceDocuments(rendered(chart(), 'charts/exporter/templates/configmap.yaml'));
    expect(configmap!.nodes.get(pathKey(['data', 'port']))?.value).toMatchObject({
      kind: 'values', file: `${DIR}/charts/exporter/values.yaml`, line: 2, path: ['port'],
    });
    expect(configmap!.nodes.get(pathKey(['data', 'team']))?.value).toMatchObject({ kind: 'values', file: `${DIR}/values.yaml`, path: ['global', 'team'] });
  });

  it('text rendered by tpl from a values string is at that values key', () => {
    const source = withFiles({ 'templates/tpl.yaml': 'greeting: {{ tpl .Values.greeting . }}\n', 'values-t.yaml': 'x: 1\ngreeting: "hello {{ .Release.Name }}"\n' });
    const [doc] = traceDocuments(rendered(source, 'templates/tpl.yaml', ['values-t.yaml']));
    expect(doc!.nodes.get(pathKey(['greeting']))?.value).toMatchObject({ kind: 'values', file: `${DIR}/values-t.yaml`, line: 2, path: ['greeting'] });
  });

  it('text rendered by tpl from a literal block of a values file is at its lines there', () => {
    const values = 'x: 1\nsidecars: |\n  - name: proxy\n\n    securityContext:\n      privileged: {{ .Values.x }}\n';
    const source = withFiles({ 'templates/tpl.yaml': 'containers:\n  {{- tpl .Values.sidecars . | nindent 2 }}\n', 'values-t.yaml': values });
    const [doc] = traceDocuments(rendered(source, 'templates/tpl.yaml', ['values-t.yaml']));
    const at = (path: (string | number)[]) => doc!.nodes.get(pathKey(path));
    // A template written in the values file.
    expect(at(['containers', 0, 'name'])?.value).toEqual({ kind: 'template', file: `${DIR}/values-t.yaml`, line: 3 });
    expect(at(['containers', 0, 'securityContext'])?.key).toEqual({ kind: 'template', file: `${DIR}/values-t.yaml`, line: 5 });
    // What an action of the text prints is where that value is.
    expect(at(['containers', 0, 'securityContext', 'privileged'])?.value).toMatchObject({ kind: 'values', line: 1, path: ['x'] });
  });

  it('text rendered by tpl from toYaml of values is at the values keys it printed', () => {
    const values = 'image: envoy\nsidecars:\n  - name: proxy\n    image: "{{ .Values.image }}"\n    securityContext:\n      privileged: true\n';
    const source = withFiles({ 'templates/tpl.yaml': 'containers:\n  {{- tpl (toYaml .Values.sidecars) . | nindent 2 }}\n', 'values-t.yaml': values });
    const [doc] = traceDocuments(rendered(source, 'templates/tpl.yaml', ['values-t.yaml']));
    const at = (path: (string | number)[]) => doc!.nodes.get(pathKey(path));
    expect(at(['containers', 0, 'securityContext', 'privileged'])?.value).toEqual({ kind: 'template', file: `${DIR}/values-t.yaml`, line: 6 });
    expect(at(['containers', 0, 'image'])?.value).toMatchObject({ kind: 'values', line: 1, path: ['image'] });
  });

  it('strings printf puts together (an image helper) keep their origins: the image is at its tag', () => {
    const helper = '{{- define "img" -}}\n{{- printf "%s/%s:%s" .registry .repository (.tag | toString) -}}\n{{- end -}}\n';
    const source = withFiles({
      'templates/_img.tpl': helper,
      'templates/img.yaml': 'image: {{ include "img" .Values.img }}\n',
      'values-t.yaml': 'img:\n  registry: nvcr.io\n  repository: nvidia/tritonserver\n  tag: 24.01-py3\n',
    });
    const template = rendered(source, 'templates/img.yaml', ['values-t.yaml']);
    expect(template.text).toBe('image: nvcr.io/nvidia/tritonserver:24.01-py3\n');
    const [doc] = traceDocuments(template);
    expect(doc!.nodes.get(pathKey(['image']))?.value).toMatchObject({ kind: 'values', file: `${DIR}/values-t.yaml`, line: 4, path: ['img', 'tag'] });
  });

  it('a default that falls back to a template literal is at the template line', () => {
    const source = withFiles({ 'templates/policy.yaml': 'policy: {{ .Values.missing | default "Always" }}\nname: {{ .Values.image.pullPolicy | default "Always" | quote }}\n' });
    const [doc] = traceDocuments(rendered(source, 'templates/policy.yaml'));
    expect(doc!.nodes.get(pathKey(['policy']))?.value).toEqual({ kind: 'template', file: `${DIR}/templates/policy.yaml`, line: 1 });
    expect(doc!.nodes.get(pathKey(['name']))?.value).toMatchObject({ kind: 'values', path: ['image', 'pullPolicy'] });
  });
});

describe('bad charts', () => {
  const bounded = <T>(run: () => T): T => {
    const start = Date.now();
    const result = run();
    expect(Date.now() - start).toBeLessThan(10_000);
    return result;
  };
  const others = (files: string[]) => expect(files).toEqual(expect.arrayContaining([`${DIR}/templates/deployment.yaml`, `${DIR}/templates/service.yaml`]));

  it('include of itself: a limit problem at that template, the rest rendered', () => {
    const source = withFiles({ 'templates/loop.yaml': '{{ define "loop" }}{{ include "loop" . }}{{ end }}\nx: {{ include "loop" . }}\n' });
    const result = bounded(() => renderChart(source));
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'limit', file: `${DIR}/templates/loop.yaml`, message: expect.stringMatching(/nested more than \d+ deep/) })]);
    others(result.templates.map((t) => t.file));
  });

  it('deep range nesting and huge ranges: a limit problem, the rest rendered', () => {
    const source = withFiles({
      'templates/nest.yaml': '{{ range until 1000 }}{{ range until 1000 }}{{ range until 1000 }}x{{ end }}{{ end }}{{ end }}\n',
      'templates/huge.yaml': '{{ range until 100000000 }}x{{ end }}\n',
    });
    const result = bounded(() => renderChart(source));
    expect(result.problems.map((p) => [p.kind, p.file])).toEqual([
      ['limit', `${DIR}/templates/nest.yaml`],
      ['limit', `${DIR}/templates/huge.yaml`],
    ]);
    others(result.templates.map((t) => t.file));
  });

  it('a 10 MB values file: a values problem, the chart rendered from values.yaml', () => {
    const big = `padding:\n${'  - "0123456789012345678901234567890123456789012345678901234567890123456789"\n'.repeat(140_000)}`;
    expect(big.length).toBeGreaterThan(10_000_000);
    const result = bounded(() => renderChart(withFiles({ 'big.yaml': big }), { valuesFiles: ['big.yaml'] }));
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'values', file: `${DIR}/big.yaml` })]);
    others(result.templates.map((t) => t.file));
  });

  it('invalid template syntax: a syntax problem at its line, the rest rendered', () => {
    const result = bounded(() => renderChart(withFiles({ 'templates/broken.yaml': 'a: 1\nb: {{ if .Values.x }\n' })));
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'syntax', file: `${DIR}/templates/broken.yaml`, line: 2 })]);
    others(result.templates.map((t) => t.file));
  });

  it('an unknown function: a problem naming it and the template, the rest rendered', () => {
    const result = renderChart(withFiles({ 'templates/cert.yaml': 'a: 1\nca: {{ genCA "x" 365 }}\n' }));
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'unknown-function', file: `${DIR}/templates/cert.yaml`, line: 2, message: expect.stringContaining('"genCA"') }),
    ]);
    others(result.templates.map((t) => t.file));
  });

  it('a chart without a valid Chart.yaml is one problem, not a crash', () => {
    const source = chart();
    source.files.set('Chart.yaml', 'name: [');
    expect(renderChart(source).problems).toEqual([expect.objectContaining({ kind: 'chart', file: `${DIR}/Chart.yaml` })]);
  });
});
