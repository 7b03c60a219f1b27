// A chart's local dependency (`repository: file://../common`) not under its charts/ is rendered with it, as
// `helm dependency build` would copy it in: with the chart's values for it, each finding where its value is set.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { reviewCharts } from '../../src/render/charts.js';
import { localDependencyFiles } from '../../src/render/local-dependencies.js';
import { patchLines } from '../../src/diff.js';
import { RULES } from '../../rules/index.js';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-worker
spec:
  automountServiceAccountToken: false
  containers:
  - name: worker
    image: busybox:1.36@sha256:0000000000000000000000000000000000000000000000000000000000000000
    securityContext:
      privileged: {{ .Values.privileged }}
`;

const REPOSITORY = {
  'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: common\n  version: 0.1.0\n  repository: file://../common\n',
  'charts/app/values.yaml': 'common:\n  privileged: true\n',
  'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\n',
  'charts/common/values.yaml': 'privileged: false\n',
  'charts/common/templates/pod.yaml': POD,
};

describe('a local chart dependency', () => {
  it('is read from its folder, and from the folders of its own local dependencies, once', async () => {
    const reader = memoryReader({ ...REPOSITORY, 'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\ndependencies:\n- name: app\n  repository: file://../app\n- name: lib\n  repository: file://../../libs/lib\n', 'libs/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n' });
    const own = (await reader.paths()).filter((p) => p.startsWith('charts/app/'));
    const list = async (dir: string) => (await reader.paths()).filter((p) => p.startsWith(`${dir}/`));
    expect((await localDependencyFiles('charts/app', own, (p) => reader.read(p), list)).sort()).toEqual(['charts/common/Chart.yaml', 'charts/common/templates/pod.yaml', 'charts/common/values.yaml', 'libs/lib/Chart.yaml']);
  });

  it('is rendered with the values the chart gives it: the finding is on the chart’s values line that sets it', async () => {
    const before = 'common:\n  privileged: false\n';
    const after = REPOSITORY['charts/app/values.yaml'];
    const patch = '@@ -2 +2 @@\n-  privileged: false\n+  privileged: true\n';
    const result = await reviewCharts([{ path: 'charts/app/values.yaml', headText: after, baseText: before, patch }], new Map([['charts/app/values.yaml', patchLines(patch)]]), memoryReader(REPOSITORY), { config: DEFAULT_CONFIG, rules: RULES });
    expect(result.unrendered).toEqual([]);
    const privileged = result.findings.filter((f) => f.ruleId === 'k8s/privileged');
    expect(privileged.map((f) => [f.file, f.line])).toEqual([['charts/app/values.yaml', 2]]);
    // New with the change (the base set it false), and fixed where it is set.
    expect(result.baseFingerprints.has(privileged[0]!.fingerprint)).toBe(false);
    expect(privileged[0]!.fix?.edits.map((e) => [e.file, e.replacement])).toEqual([['charts/app/values.yaml', '  privileged: false']]);
  });

  it('a change in the dependency’s own folder renders the charts that depend on it too, with their values', async () => {
    const before = POD.replace('{{ .Values.privileged }}', 'false');
    const patch = '@@ -11 +11 @@\n-      privileged: false\n+      privileged: {{ .Values.privileged }}\n';
    const path = 'charts/common/templates/pod.yaml';
    const result = await reviewCharts([{ path, headText: POD, baseText: before, patch }], new Map([[path, patchLines(patch)]]), memoryReader(REPOSITORY), { config: DEFAULT_CONFIG, rules: RULES });
    // Alone, with its own values, it is not privileged; as the app's dependency, the app's values make it so.
    expect(result.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => [f.file, f.line])).toEqual([['charts/app/values.yaml', 2]]);
  });

  it('one whose folder holds no chart is a dependency not rendered, and said so', async () => {
    const { 'charts/common/Chart.yaml': _gone, ...withoutIt } = REPOSITORY;
    const result = await reviewCharts([{ path: 'charts/app/values.yaml', headText: REPOSITORY['charts/app/values.yaml'] }], new Map(), memoryReader(withoutIt), { config: DEFAULT_CONFIG, rules: RULES });
    expect(result.unrendered.map((u) => [u.file, u.line, u.reason])).toEqual([
      ['charts/app/Chart.yaml', 5, expect.stringContaining('dependency `common` (`file://../common`) is not under `charts/`, and its folder holds no chart Warden could read')],
      ['charts/app/values.yaml', 1, expect.stringContaining('the values under `common` are for a dependency not rendered')],
    ]);
  });
});

