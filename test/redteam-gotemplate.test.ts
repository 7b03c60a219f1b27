// RED TEAM (fails until fixed): charts whose insecure deployed value, as `helm template` renders it, passed
// Warden's review with neither the rule's finding nor a not-reviewed entry. Each case names what Helm deploys.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config.js';
import { reviewChart } from '../src/render/chart-review.js';
import { RULES } from '../rules/index.js';

const DIR = 'charts/app';
const CHART = 'apiVersion: v2\nname: app\nversion: 0.1.0\n';

/** A Deployment whose container securityContext is what `securityContext` prints (a template snippet). */
function deployment(securityContext: string, before = ''): string {
  return `${before}apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
        - name: app
          image: registry.example.com/app@sha256:4f53f6e3b4c5d0e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7
          securityContext:
${securityContext}
`;
}

function review(files: Record<string, string>) {
  return reviewChart({ dir: DIR, head: new Map(Object.entries({ 'Chart.yaml': CHART, ...files })) }, { config: DEFAULT_CONFIG, rules: RULES });
}

/** What a review must say of a chart Helm renders with the insecure value: the rule's finding, or not reviewed. */
function expectCaught(result: ReturnType<typeof review>, ruleId: string): void {
  const caught = result.findings.some((f) => f.ruleId === ruleId) || result.unrendered.length > 0;
  expect(caught, JSON.stringify({ findings: result.findings.map((f) => f.ruleId), unrendered: result.unrendered })).toBe(true);
}

describe('RED TEAM: Go template and Helm semantics that hid an insecure deployed value', () => {
  it('define override: Helm parses same-depth files in reverse name order, so _a.tpl (parsed last) wins', () => {
    // Helm: privileged: true (templates/_a-overrides.tpl's define). Warden: templates/_helpers.tpl's.
    expectCaught(review({
      'templates/_a-overrides.tpl': '{{- define "app.securityContext" }}privileged: true{{ end }}',
      'templates/_helpers.tpl': '{{- define "app.securityContext" }}privileged: false{{ end }}',
      'templates/deployment.yaml': deployment('            {{- include "app.securityContext" . | nindent 12 }}'),
    }), 'k8s/privileged');
  });

  it("define override: a parent chart's define wins over its subchart's (subcharts are parsed first)", () => {
    // Helm: privileged: true (the parent's override of the library helper). Warden: the subchart's.
    expectCaught(review({
      'templates/_helpers.tpl': '{{- define "lib.securityContext" }}privileged: true{{ end }}',
      'templates/deployment.yaml': deployment('            {{- include "lib.securityContext" . | nindent 12 }}'),
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n',
      'charts/lib/templates/_helpers.tpl': '{{- define "lib.securityContext" }}privileged: false{{ end }}',
    }), 'k8s/privileged');
  });

  it('define override: an empty define never replaces a defined template', () => {
    // Helm: privileged: true (the empty define in _a.tpl, parsed last, is ignored). Warden: the empty one.
    expectCaught(review({
      'templates/_helpers.tpl': '{{- define "app.securityContext" }}privileged: true{{ end }}',
      'templates/_a.tpl': '{{- define "app.securityContext" }}{{/* filled in by _helpers.tpl */}}{{ end }}',
      'templates/deployment.yaml': deployment('            {{- include "app.securityContext" . | nindent 12 }}'),
    }), 'k8s/privileged');
  });

  it("execution order: Helm renders a chart's templates in reverse name order, sharing .Values", () => {
    // Helm renders zz-defaults.yaml first: its `set` makes the Deployment privileged. Warden rendered it last.
    expectCaught(review({
      'values.yaml': 'securityContext:\n  allowPrivilegeEscalation: false\n',
      'templates/deployment.yaml': deployment('            {{- toYaml .Values.securityContext | nindent 12 }}'),
      'templates/zz-defaults.yaml': '{{- $_ := set .Values.securityContext "privileged" true }}',
    }), 'k8s/privileged');
  });

  it('mergeOverwrite: an empty value of the source overwrites (mergo WithOverride)', () => {
    // Helm: runAsNonRoot: false (the user's value overwrites the default). Warden kept the default true.
    expectCaught(review({
      'values.yaml': 'securityContext:\n  runAsNonRoot: false\n',
      'templates/deployment.yaml': deployment('            {{- mergeOverwrite (dict "runAsNonRoot" true "runAsUser" 1000) .Values.securityContext | toYaml | nindent 12 }}'),
    }), 'k8s/run-as-non-root');
  });

  it('tpl: a define inside tpl text stays inside that tpl call', () => {
    // Helm: privileged: true (include reads the chart's define; tpl renders in a template set of its own).
    expectCaught(review({
      'values.yaml': 'banner: \'{{ define "app.securityContext" }}privileged: false{{ end }}\'\n',
      'templates/_helpers.tpl': '{{- define "app.securityContext" }}privileged: true{{ end }}',
      'templates/deployment.yaml': deployment('            {{- include "app.securityContext" . | nindent 12 }}', '{{- tpl .Values.banner . }}\n'),
    }), 'k8s/privileged');
  });

  it('number types: values file numbers are float64 in Helm (sigs.k8s.io/yaml decodes through JSON)', () => {
    // Helm: kindIs "float64" is true, so privileged: true. Warden read 1 as an int.
    expectCaught(review({
      'values.yaml': 'replicas: 1\n',
      'templates/deployment.yaml': deployment('            privileged: {{ kindIs "float64" .Values.replicas }}'),
    }), 'k8s/privileged');
  });

  it('number types: has compares with reflect.DeepEqual, and the int 0 is not the float64 0', () => {
    // Helm: has 0 [0.0] is false, so privileged: true. Warden found 0.
    expectCaught(review({
      'values.yaml': 'blockedUids: [0]\n',
      'templates/deployment.yaml': deployment('            privileged: {{ not (has 0 .Values.blockedUids) }}'),
    }), 'k8s/privileged');
  });

  it('import-values: a subchart exports values into its parent', () => {
    // Helm: the parent reads securityContext imported from the subchart's exports: privileged: true.
    expectCaught(review({
      'Chart.yaml': `${CHART}dependencies:\n  - name: lib\n    version: 0.1.0\n    import-values:\n      - defaults\n`,
      'templates/deployment.yaml': deployment('            {{- toYaml .Values.securityContext | nindent 12 }}'),
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n',
      'charts/lib/values.yaml': 'exports:\n  defaults:\n    securityContext:\n      privileged: true\n',
    }), 'k8s/privileged');
  });
});
