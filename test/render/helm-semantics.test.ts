// Where Go's text/template, Sprig or Helm decide what a chart deploys in ways a renderer can get wrong: each case
// renders as `helm template` does (the invalid case deploys the insecure value, the valid one does not), or, where
// Warden cannot tell what Helm renders, the template is not reviewed (fail closed).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { reviewChart } from '../../src/render/chart-review.js';
import { renderString } from '../../src/render/gotemplate/index.js';
import { helmFunctions } from '../../src/render/helm-functions.js';
import { RULES } from '../../rules/index.js';

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
const INCLUDED = deployment('            {{- include "app.securityContext" . | nindent 12 }}');
const FROM_VALUES = deployment('            {{- toYaml .Values.securityContext | nindent 12 }}');

function review(files: Record<string, string>) {
  return reviewChart({ dir: DIR, head: new Map(Object.entries({ 'Chart.yaml': CHART, ...files })) }, { config: DEFAULT_CONFIG, rules: RULES });
}
const found = (result: ReturnType<typeof review>, ruleId: string) => result.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.file}:${f.line}`);

describe('which define Helm uses: the one in the file parsed last', () => {
  it('invalid: of two files at the same depth, the first by name (Helm parses them in reverse name order)', () => {
    const result = review({
      'templates/_a-overrides.tpl': '{{- define "app.securityContext" }}privileged: true{{ end }}',
      'templates/_helpers.tpl': '{{- define "app.securityContext" }}privileged: false{{ end }}',
      'templates/deployment.yaml': INCLUDED,
    });
    expect(found(result, 'k8s/privileged')).toEqual([`${DIR}/templates/_a-overrides.tpl:1`]);
    expect(result.unrendered).toEqual([]);
  });

  it('valid: the same defines the other way round', () => {
    const result = review({
      'templates/_a-overrides.tpl': '{{- define "app.securityContext" }}privileged: false{{ end }}',
      'templates/_helpers.tpl': '{{- define "app.securityContext" }}privileged: true{{ end }}',
      'templates/deployment.yaml': INCLUDED,
    });
    expect(found(result, 'k8s/privileged')).toEqual([]);
    expect(result.unrendered).toEqual([]);
  });

  it("invalid: a parent chart's define over its subchart's (subcharts are parsed first)", () => {
    const result = review({
      'templates/_helpers.tpl': '{{- define "app.securityContext" }}privileged: true{{ end }}',
      'templates/deployment.yaml': INCLUDED,
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n',
      'charts/lib/templates/_helpers.tpl': '{{- define "app.securityContext" }}privileged: false{{ end }}',
    });
    expect(found(result, 'k8s/privileged')).toEqual([`${DIR}/templates/_helpers.tpl:1`]);
  });

  it('invalid: an empty define (spaces and comments) parsed last does not replace the one that makes it privileged', () => {
    const result = review({
      'templates/_helpers.tpl': '{{- define "app.securityContext" }}privileged: true{{ end }}',
      'templates/_a.tpl': '{{- define "app.securityContext" }}{{/* filled in by _helpers.tpl */}}{{ end }}',
      'templates/deployment.yaml': INCLUDED,
    });
    expect(found(result, 'k8s/privileged')).toEqual([`${DIR}/templates/_helpers.tpl:1`]);
  });
});

describe("the order Helm renders a chart's templates in, which share .Values", () => {
  it('invalid: a template rendered before the Deployment (reverse name order) sets privileged on the values', () => {
    const result = review({
      'values.yaml': 'securityContext:\n  allowPrivilegeEscalation: false\n',
      'templates/deployment.yaml': FROM_VALUES,
      'templates/zz-defaults.yaml': '{{- $_ := set .Values.securityContext "privileged" true }}',
    });
    // Found where the values' securityContext is: the key that `set` added has no line of its own.
    expect(found(result, 'k8s/privileged')).toEqual([`${DIR}/values.yaml:1`]);
  });

  it('valid: one rendered after the Deployment changes nothing it printed', () => {
    const result = review({
      'values.yaml': 'securityContext:\n  allowPrivilegeEscalation: false\n',
      'templates/deployment.yaml': FROM_VALUES,
      'templates/a-defaults.yaml': '{{- $_ := set .Values.securityContext "privileged" true }}',
    });
    expect(found(result, 'k8s/privileged')).toEqual([]);
  });

  it('invalid: NOTES.txt is rendered too (before a template whose name sorts below it), and what it sets counts', () => {
    const result = review({
      'values.yaml': 'securityContext:\n  allowPrivilegeEscalation: false\n',
      'templates/Deployment.yaml': FROM_VALUES,
      'templates/NOTES.txt': '{{- $_ := set .Values.securityContext "privileged" true }}Installed.',
    });
    expect(found(result, 'k8s/privileged')).toEqual([`${DIR}/values.yaml:1`]);
    expect(result.templates).toEqual([`${DIR}/templates/Deployment.yaml`]);
  });
});

describe('mergeOverwrite of user values over defaults (mergo WithOverride)', () => {
  const merged = deployment('            {{- mergeOverwrite (dict "runAsNonRoot" true "runAsUser" 1000) .Values.securityContext | toYaml | nindent 12 }}');

  it('invalid: the user sets runAsNonRoot: false, an empty value, which overwrites the default true', () => {
    const result = review({ 'values.yaml': 'securityContext:\n  runAsNonRoot: false\n', 'templates/deployment.yaml': merged });
    expect(found(result, 'k8s/run-as-non-root')).toEqual([`${DIR}/values.yaml:2`]);
  });

  it('valid: the user leaves runAsNonRoot out', () => {
    const result = review({ 'values.yaml': 'securityContext:\n  readOnlyRootFilesystem: true\n', 'templates/deployment.yaml': merged });
    expect(found(result, 'k8s/run-as-non-root')).toEqual([]);
  });
});

describe('tpl renders in a template set of its own', () => {
  const files = (banner: string) => ({
    'values.yaml': `banner: '${banner}'\n`,
    'templates/_helpers.tpl': '{{- define "app.securityContext" }}privileged: true{{ end }}',
    'templates/deployment.yaml': deployment('            {{- include "app.securityContext" . | nindent 12 }}', '{{- tpl .Values.banner . }}\n'),
  });

  it('invalid: tpl text that defines a template the chart defines too is not rendered (which one Helm uses is not known)', () => {
    const result = review(files('{{ define "app.securityContext" }}privileged: false{{ end }}'));
    expect(result.unrendered).toEqual([expect.objectContaining({ file: `${DIR}/templates/deployment.yaml`, reason: expect.stringMatching(/tpl text defines template "app.securityContext", which is defined already/) })]);
  });

  it("valid: a tpl text's own define is used in it and gone after it", () => {
    const result = review(files('{{ define "banner.text" }}hello{{ end }}{{ $_ := include "banner.text" . }}'));
    expect(result.unrendered).toEqual([]);
    expect(found(result, 'k8s/privileged')).toEqual([`${DIR}/templates/_helpers.tpl:1`]);
  });
});

describe("a values file's numbers are Go float64 (Helm decodes values through JSON), a template's literals int", () => {
  it('invalid: kindIs "float64" of a values number is true in Helm, which Warden does not tell from an int: not reviewed', () => {
    const result = review({ 'values.yaml': 'replicas: 1\n', 'templates/deployment.yaml': deployment('            privileged: {{ kindIs "float64" .Values.replicas }}') });
    expect(result.unrendered).toEqual([expect.objectContaining({ file: `${DIR}/templates/deployment.yaml`, reason: expect.stringMatching(/whether 1 is a Go int or float64/) })]);
  });

  it('invalid: has 0 of a values list [0] is false in Helm (int 0 is not float64 0): not reviewed', () => {
    const result = review({ 'values.yaml': 'blockedUids: [0]\n', 'templates/deployment.yaml': deployment('            privileged: {{ not (has 0 .Values.blockedUids) }}') });
    expect(result.unrendered).toEqual([expect.objectContaining({ file: `${DIR}/templates/deployment.yaml`, reason: expect.stringMatching(/whether 0 is a Go int or float64/) })]);
  });

  it('valid: kindIs "string", and has of a string, answer as Helm does', () => {
    const result = review({ 'values.yaml': 'replicas: 1\nmodes: [strict]\n', 'templates/deployment.yaml': deployment('            privileged: {{ and (kindIs "string" .Values.replicas) (has "strict" .Values.modes) }}') });
    expect(result.unrendered).toEqual([]);
    expect(found(result, 'k8s/privileged')).toEqual([]);
  });
});

describe("a subchart's import-values", () => {
  const lib = {
    'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n',
    'charts/lib/values.yaml': 'exports:\n  defaults:\n    securityContext:\n      privileged: true\n',
    'templates/deployment.yaml': FROM_VALUES,
  };

  it('invalid: the values it exports into the parent are not imported by Warden: the chart is not reviewed at Chart.yaml', () => {
    const result = review({ ...lib, 'Chart.yaml': `${CHART}dependencies:\n  - name: lib\n    version: 0.1.0\n    import-values:\n      - defaults\n` });
    expect(result.unrendered).toEqual([expect.objectContaining({ file: `${DIR}/Chart.yaml`, reason: expect.stringMatching(/line 7: .*lib exports \(import-values\)/) })]);
  });

  it('valid: without import-values, nothing is imported', () => {
    const result = review({ ...lib, 'Chart.yaml': `${CHART}dependencies:\n  - name: lib\n    version: 0.1.0\n` });
    expect(result.unrendered).toEqual([]);
    expect(found(result, 'k8s/privileged')).toEqual([]);
  });
});

describe('tpl, on its own', () => {
  it("a tpl text's defines are used within it, and gone after it", () => {
    const source = '{{ tpl "{{ define \\"x\\" }}1{{ end }}{{ template \\"x\\" }}" . }}{{ include "x" . }}';
    expect(() => renderString('t', source, {}, { funcs: helmFunctions })).toThrow(/no such template "x"/);
    expect(renderString('t', '{{ tpl "{{ define \\"x\\" }}1{{ end }}{{ template \\"x\\" }}" . }}', {}, { funcs: helmFunctions }).text).toBe('1');
  });
});

describe('a library chart', () => {
  it('invalid: only its partials are read, so a define in another of its files does not replace its helper', () => {
    const result = review({
      'templates/deployment.yaml': deployment('            {{- include "lib.securityContext" . | nindent 12 }}'),
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n',
      'charts/lib/templates/_helpers.tpl': '{{- define "lib.securityContext" }}privileged: true{{ end }}',
      'charts/lib/templates/Zz.yaml': '{{- define "lib.securityContext" }}privileged: false{{ end }}\nkind: ConfigMap\n',
    });
    expect(found(result, 'k8s/privileged')).toEqual([`${DIR}/charts/lib/templates/_helpers.tpl:1`]);
    expect(result.templates).toEqual([`${DIR}/templates/deployment.yaml`]);
  });
});

describe('rendered output that is not YAML', () => {
  it('is not reviewed: Helm would refuse it, unless Warden rendered it otherwise than Helm does', () => {
    // A value that breaks the indentation of what follows: the objects of the template are not known.
    const result = review({ 'values.yaml': 'extra: "a: b: c"\n', 'templates/deployment.yaml': deployment('            privileged: true\n  {{ .Values.extra }}') });
    expect(result.unrendered.map((u) => [u.file, u.reason])).toEqual([[`${DIR}/templates/deployment.yaml`, expect.stringContaining('the rendered output is not YAML')]]);
    // Rendered as YAML, the same template is reviewed.
    expect(review({ 'templates/deployment.yaml': deployment('            privileged: true') }).unrendered).toEqual([]);
  });
});

describe('values typed as Helm reads them (go-yaml)', () => {
  it('invalid: `0o0` is the number 0, false to `if`, as Go reads an integer', () => {
    const template = deployment('            runAsUser: {{ if .Values.rootless }}1000{{ else }}0{{ end }}');
    const result = review({ 'values.yaml': 'rootless: 0o0\n', 'templates/deployment.yaml': template });
    expect(found(result, 'k8s/run-as-root-user')).toEqual([`${DIR}/templates/deployment.yaml:16`]);
    expect(result.unrendered).toEqual([]);
  });
});

describe("a dependency's tags, as Helm reads them from the values' top-level `tags`", () => {
  const sub = (name: string) => ({
    [`charts/${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
    [`charts/${name}/templates/deployment.yaml`]: deployment('            privileged: true'),
  });
  const chart = `${CHART}dependencies:\n  - name: metrics\n    version: 0.1.0\n    tags: [monitoring]\n  - name: debug\n    version: 0.1.0\n    condition: debug.enabled\n    tags: [monitoring, tools]\n`;
  const privileged = (values: string) => found(review({ ...sub('metrics'), ...sub('debug'), 'Chart.yaml': chart, 'values.yaml': values }), 'k8s/privileged');

  it('valid: a tag set false with none of the chart’s true leaves the subchart out', () => {
    expect(privileged('tags:\n  monitoring: false\n')).toEqual([]);
  });

  it('invalid: one tag true is enough; no tag set, or not a boolean, leaves it in; a condition that resolves decides over tags', () => {
    expect(privileged('tags:\n  monitoring: false\n  tools: true\n')).toEqual([`${DIR}/charts/debug/templates/deployment.yaml:16`]);
    expect(privileged('tags:\n  monitoring: "false"\n')).toHaveLength(2);
    expect(privileged('{}\n')).toHaveLength(2);
    expect(privileged('tags:\n  monitoring: false\ndebug:\n  enabled: true\n')).toEqual([`${DIR}/charts/debug/templates/deployment.yaml:16`]);
  });
});

describe("a chart's .helmignore: what it names is not part of the chart Helm loads", () => {
  const values = { 'values.yaml': 'securityContext:\n  allowPrivilegeEscalation: false\n', 'templates/deployment.yaml': FROM_VALUES };
  const sets = '{{- $_ := set .Values.securityContext "privileged" true }}';

  it('invalid: without it, a backup under templates/ is a template (rendered first, it sets privileged), and .Files holds every file', () => {
    expect(found(review({ ...values, 'templates/zz-defaults.yaml.bak': sets }), 'k8s/privileged')).toEqual([`${DIR}/values.yaml:1`]);
    const files = { ...values, 'templates/zz-files.yaml': `{{- if .Files.Get "old/notes.txt" }}${sets}{{ end }}`, 'old/notes.txt': 'x' };
    expect(found(review(files), 'k8s/privileged')).toEqual([`${DIR}/values.yaml:1`]);
  });

  it('valid: a file or folder it names is neither rendered nor read through .Files; nor is a dot file under templates/', () => {
    const result = review({
      ...values,
      '.helmignore': '# Patterns to ignore\n*.bak\nold/\n',
      'templates/zz-defaults.yaml.bak': sets,
      'templates/old/zz.yaml': sets,
      'templates/.zz-scratch.yaml': sets,
      'templates/zz-files.yaml': `{{- if .Files.Get "old/notes.txt" }}${sets}{{ end }}`,
      'old/notes.txt': 'x',
    });
    expect(found(result, 'k8s/privileged')).toEqual([]);
    expect(result.templates).toEqual([`${DIR}/templates/zz-files.yaml`, `${DIR}/templates/deployment.yaml`]);
    expect(result.unrendered).toEqual([]);
  });

  it('invalid: one Helm refuses (`**`) refuses the chart: not reviewed', () => {
    const result = review({ ...values, '.helmignore': 'docs/**\n' });
    expect(result.templates).toEqual([]);
    expect(result.unrendered).toEqual([expect.objectContaining({ file: `${DIR}/.helmignore`, reason: expect.stringContaining('double-star') })]);
  });

  it('invalid: a character class or an escape, which Go matches otherwise than picomatch, leaves the chart not reviewed', () => {
    for (const rule of ['templates/[!d]*.yaml', 'templates/\\*.bak']) {
      const result = review({ ...values, '.helmignore': `${rule}\n` });
      expect(result.templates).toEqual([]);
      expect(result.unrendered).toEqual([expect.objectContaining({ file: `${DIR}/.helmignore`, reason: expect.stringContaining('character classes') })]);
    }
  });
});
