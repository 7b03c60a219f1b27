// Templates told apart from manifests (issue #11.4): valid YAML with `{{ … }}` in strings is a manifest.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chartTemplateTest, templateActionLine } from '../../src/formats/templates.js';
import { parseYaml } from '../../src/formats/yaml.js';

afterEach(() => vi.restoreAllMocks());

const RUNTIME = `apiVersion: serving.kserve.io/v1alpha1
kind: ClusterServingRuntime
metadata:
  name: kserve-sklearnserver
spec:
  containers:
    - name: kserve-container
      image: kserve/sklearnserver:latest
      args:
        - --model_name={{.Name}}
        - "--model_dir=/mnt/models/{{ .Name }}"
        - '--http_port={{ "8080" }}'
      command:
        - |
          {{ this is a string }}
      securityContext:
        privileged: true
`;

describe('templateActionLine', () => {
  it('finds actions outside quoted and block scalars and comments', () => {
    expect(templateActionLine('{{- if .Values.enabled }}\nkind: Pod\n{{- end }}\n')).toBe(1);
    expect(templateActionLine('metadata:\n  name: {{ include "x.fullname" . }}\n')).toBe(2);
    expect(templateActionLine('a: |\n  {{ in block }}\nb: {{ out }}\n')).toBe(3);
  });

  it('ignores them in quoted strings, block scalars and comments', () => {
    expect(templateActionLine('args: ["{{inputs.parameters.model}}"]\n')).toBeNull();
    expect(templateActionLine("a: 'it''s {{ x }}'\nb: \"q\\\" {{ y }}\"\n")).toBeNull();
    expect(templateActionLine('# {{ if }} a comment\nkind: Pod # {{ end }}\n')).toBeNull();
    expect(templateActionLine('a: >-\n  {{ x }}\n\n  {{ y }}\nb: 1\n')).toBeNull();
  });

  it('is linear: a megabyte of braces in one line', () => {
    const started = performance.now();
    expect(templateActionLine(`a: "${'{'.repeat(1_000_000)}\n`)).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('chartTemplateTest', () => {
  it('is true only under a templates/ folder beside a Chart.yaml (subcharts too)', () => {
    const isTemplate = chartTemplateTest(['charts/model/Chart.yaml', 'charts/model/charts/sub/Chart.yaml', 'Chart.yaml', 'k8s/a.yaml']);
    expect(isTemplate('charts/model/templates/deployment.yaml')).toBe(true);
    expect(isTemplate('charts/model/templates/sub/x.yaml')).toBe(true);
    expect(isTemplate('charts/model/charts/sub/templates/x.yaml')).toBe(true);
    expect(isTemplate('templates/x.yaml')).toBe(true);
    expect(isTemplate('charts/model/values.yaml')).toBe(false);
    expect(isTemplate('k8s/templates/x.yaml')).toBe(false);
    expect(chartTemplateTest(['k8s/a.yaml'])('templates/x.yaml')).toBe(false);
  });
});

describe('parseYaml on templates and manifests', () => {
  it('reviews a valid manifest whose strings hold template actions (KServe ClusterServingRuntime)', () => {
    const p = parseYaml('runtime.yaml', RUNTIME);
    expect(p.notReviewed).toBeUndefined();
    expect(p.resources.map((r) => r.id)).toEqual(['ClusterServingRuntime/kserve-sklearnserver']);
  });

  it('a comment holding `{{ if }}` does not make a manifest a template', () => {
    const p = parseYaml('d.yaml', `# {{ if .Values.enabled }}\n${RUNTIME}`);
    expect(p.resources).toHaveLength(1);
  });

  it('a Helm-style file that is not YAML is not reviewed, naming the line', () => {
    const p = parseYaml('t.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n');
    expect(p.notReviewed).toBe('template actions (`{{ … }}`) outside quoted strings (line 5): a template is not YAML until rendered');
    expect(p.errors).toEqual([]);
  });

  it('a mapping key that is a template action is not reviewed, never a resource with an empty name, and nothing goes to stderr', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const emitted = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const p = parseYaml('graph.yaml', 'apiVersion: machinelearning.seldon.io/v1\nkind: SeldonDeployment\nmetadata:\n  name: {{ graph_name }}\n');
    expect(p.resources).toEqual([]);
    expect(p.notReviewed).toMatch(/outside quoted strings \(line 4\)/);
    expect([stderr.mock.calls, warn.mock.calls, emitted.mock.calls]).toEqual([[], [], []]);
  });

  it('a syntax error without template actions is still a parse error', () => {
    const p = parseYaml('x.yaml', 'kind: Pod\nmetadata:\n  name: p\n bad: 1\n');
    expect(p.notReviewed).toBeUndefined();
    expect(p.errors).toHaveLength(1);
  });
});
