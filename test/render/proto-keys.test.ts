// Keys named as JavaScript's prototype machinery (`__proto__`, `constructor`, `toString`) in a chart's values and
// templates: Helm's are Go maps, where such a key is a key like any other and a key not written is absent. Warden must
// render what Helm renders, and never let such a key become an object's prototype (or reach Object.prototype).
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { renderString } from '../../src/render/gotemplate/index.js';
import { helmFunctions } from '../../src/render/helm-functions.js';
import { renderChart, type ChartSource } from '../../src/render/helm.js';
import { reviewChart } from '../../src/render/chart-review.js';
import { coalesce, loadValues, mergeValues, subchartValues } from '../../src/render/values.js';
import { RULES } from '../../rules/index.js';

/** Object.prototype's own names when the file started: a test that adds one fails (and every later test would see it). */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES));

const render = (source: string, data: unknown = {}) => renderString('t.tpl', source, data, { funcs: helmFunctions }).text;

/** A chart of one Pod whose container's securityContext the template below it writes. */
function podChart(values: string, securityContext: string, extra: Record<string, string> = {}): Map<string, string> {
  return new Map([
    ['Chart.yaml', 'apiVersion: v2\nname: model\nversion: 0.1.0\n'],
    ['values.yaml', values],
    [
      'templates/pod.yaml',
      `apiVersion: v1
kind: Pod
metadata:
  name: model
  namespace: models
spec:
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: server
      image: nvcr.io/nvidia/tritonserver@sha256:4f53f6e3b4c5d0e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7
      resources:
        limits: { cpu: "1", memory: 1Gi }
        requests: { cpu: "1", memory: 1Gi }
      readinessProbe: { httpGet: { path: /ready, port: 8000 } }
      livenessProbe: { httpGet: { path: /live, port: 8000 } }
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        runAsUser: 1000
        capabilities: { drop: [ALL] }
${securityContext}
`,
    ],
    ...Object.entries(extra),
  ]);
}
// The namespace-wide rules want objects this one-Pod chart does not have: they are tested on their own.
const options = { config: DEFAULT_CONFIG, rules: RULES.filter((rule) => !['k8s/gpu-namespace-quota', 'k8s/network-policy-missing'].includes(rule.id)) };
const review = (head: Map<string, string>) => reviewChart({ dir: 'charts/model', head }, options);
const PRIVILEGED_IF_PROTO = '        privileged: {{ if .Values.__proto__ }}true{{ else }}false{{ end }}';

describe('a values key named __proto__', () => {
  it('is a key of .Values, as in Helm: the Pod it makes privileged is reported at the template line', () => {
    const result = review(podChart('__proto__:\n  privileged: true\n', PRIVILEGED_IF_PROTO));
    expect(result.notes).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ ruleId: 'k8s/privileged', resource: 'Pod/models/model' })]);
  });

  it('without it the same chart is hardened: no finding', () => {
    const result = review(podChart('other:\n  privileged: true\n', PRIVILEGED_IF_PROTO));
    expect(result.notes).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('is printed and read through by the template functions as Helm does', () => {
    const values = loadValues('values.yaml', 'replicas: 1\n__proto__:\n  privileged: true\n');
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(render('{{ .Values.__proto__.privileged }}', { Values: values })).toBe('true');
    expect(render('{{ toYaml .Values.__proto__ }}', { Values: values })).toBe('privileged: true');
    expect(render('{{ toJson .Values }}', { Values: values })).toBe('{"__proto__":{"privileged":true},"replicas":1}');
    expect(render('{{ keys .Values | sortAlpha }} {{ hasKey .Values "__proto__" }}', { Values: values })).toBe('[__proto__ replicas] true');
  });

  it('survives merging values files (-f), coalescing over the defaults and scoping to a subchart, with its origin', () => {
    const defaults = loadValues('values.yaml', 'replicas: 1\n');
    const prod = loadValues('values-prod.yaml', '__proto__:\n  privileged: true\n');
    const merged = mergeValues(defaults, prod);
    expect(merged).toEqual({ replicas: 1, ['__proto__']: { privileged: true } });
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    const coalesced = coalesce(merged, loadValues('values.yaml', '__proto__:\n  runAsNonRoot: true\n'));
    expect(coalesced['__proto__']).toEqual({ privileged: true, runAsNonRoot: true });
    expect(Object.getPrototypeOf(coalesced)).toBe(Object.prototype);
    const parent = loadValues('values.yaml', '__proto__:\n  privileged: true\n');
    expect(subchartValues(parent, '__proto__', {})).toEqual({ privileged: true, global: {} });
    expect(subchartValues(parent, 'constructor', {})).toEqual({ global: {} });
  });
});

describe('maps a template builds with a __proto__ key', () => {
  it('dict, set, merge, mergeOverwrite, deepCopy, pick and omit keep it a key, as Go maps do', () => {
    expect(render('{{ $d := dict "__proto__" (dict "privileged" true) }}{{ hasKey $d "__proto__" }} {{ toJson $d }}')).toBe('true {"__proto__":{"privileged":true}}');
    expect(render('{{ $d := dict }}{{ $_ := set $d "__proto__" "x" }}{{ hasKey $d "__proto__" }} {{ get $d "__proto__" }}')).toBe('true x');
    const sc = 'fromYaml "__proto__: {runAsNonRoot: true}"';
    expect(render(`{{ merge (dict) (${sc}) | toJson }}`)).toBe('{"__proto__":{"runAsNonRoot":true}}');
    expect(render(`{{ mergeOverwrite (dict) (${sc}) | toJson }}`)).toBe('{"__proto__":{"runAsNonRoot":true}}');
    expect(render(`{{ deepCopy (${sc}) | toYaml }}`)).toBe('__proto__:\n  runAsNonRoot: true');
    expect(render(`{{ pick (${sc}) "__proto__" | toJson }} {{ omit (${sc}) "other" | toJson }}`)).toBe('{"__proto__":{"runAsNonRoot":true}} {"__proto__":{"runAsNonRoot":true}}');
    // Merged into the object that holds it already: key by key, as mergo does.
    expect(render(`{{ $d := fromYaml "__proto__: {a: 1}" }}{{ $_ := merge $d (fromYaml "__proto__: {b: 2}") }}{{ toJson $d }}`)).toBe('{"__proto__":{"a":1,"b":2}}');
  });

  it('a merge reads only what the destination holds: a key every JavaScript object inherits is not there', () => {
    expect(render('{{ $d := dict }}{{ $_ := merge $d (dict "constructor" (dict "a" 1) "toString" "x") }}{{ toJson $d }}')).toBe('{"constructor":{"a":1},"toString":"x"}');
  });

  it('.Files.AsConfig keeps a file named __proto__', () => {
    const source: ChartSource = {
      dir: 'charts/model',
      files: new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: model\nversion: 0.1.0\n'],
        ['config/__proto__', 'token'],
        ['templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  {{- (.Files.Glob "config/*").AsConfig | nindent 2 }}\n'],
      ]),
    };
    expect(renderChart(source).templates[0]!.text).toContain('\n  __proto__: token');
  });
});

describe('keys only JavaScript objects have are absent, as in a Go map', () => {
  const Values = loadValues('values.yaml', 'replicas: 1\n');
  it.each([
    ['{{ .Values.constructor }}', ''],
    ['{{ .Values.toString | default "absent" }}', 'absent'],
    ['{{ hasKey .Values "hasOwnProperty" }}', 'false'],
    ['{{ index .Values "__proto__" }}', ''],
    ['{{ get .Values "constructor" }}', ''],
    ['{{ dig "constructor" "name" "absent" .Values }}', 'absent'],
    ['{{ if .Values.valueOf }}set{{ else }}unset{{ end }}', 'unset'],
    ['{{ len .Values }} {{ keys .Values }}', '1 [replicas]'],
  ])('%s', (template, printed) => {
    expect(render(template, { Values })).toBe(printed);
  });
});
