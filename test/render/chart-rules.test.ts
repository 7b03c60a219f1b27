// Rules on rendered charts: each finding where a person edits (values key or template line), fixes in
// values.yaml proven by rendering again, one finding per origin, and bad templates as notes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/engine/edits.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { readChartDir } from '../../src/render/chart-dir.js';
import { reviewChart, type ChartReviewInput } from '../../src/render/chart-review.js';
import { RULES } from '../../rules/index.js';
import { parseYaml } from '../../src/formats/yaml.js';

const FIXTURE = 'test/fixtures/charts/model-server';
const DIR = 'charts/model-server';
// The fixture chart asks for a GPU and ships no ResourceQuota: k8s/gpu-namespace-quota is tested on its own.
const options = { config: DEFAULT_CONFIG, rules: RULES.filter((rule) => rule.id !== 'k8s/gpu-namespace-quota') };

/** The fixture chart with some files edited: `[file, from, to]` replacements on its text. */
function chart(...edits: [string, string | RegExp, string][]): Map<string, string> {
  const files = readChartDir(FIXTURE, DIR).files;
  for (const [file, from, to] of edits) {
    const text = files.get(file) ?? '';
    const next = text.replace(from, to);
    if (next === text && from !== '') throw new Error(`fixture edit did not apply to ${file}`);
    files.set(file, from === '' ? to : next);
  }
  return files;
}
const review = (head: Map<string, string>, extra: Partial<ChartReviewInput> = {}) => reviewChart({ dir: DIR, head, ...extra }, options);
const lineIn = (files: Map<string, string>, file: string, pattern: RegExp) => (files.get(file) ?? '').split('\n').findIndex((l) => pattern.test(l)) + 1;

/** Applies a finding's fix to the chart's files and reviews again. */
function afterFix(files: Map<string, string>, finding: ReturnType<typeof review>['findings'][number]) {
  const fixed = new Map(files);
  for (const edit of finding.fix!.edits) {
    const rel = edit.file.slice(DIR.length + 1);
    fixed.set(rel, applyEdits(fixed.get(rel)!, [edit]));
  }
  return { fixed, result: review(fixed) };
}

describe('rules on Helm charts', () => {
  it('a hardened chart has no findings', () => {
    const result = review(chart());
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.resources).toBe(5);
  });

  it('privileged in values.yaml: reported at that line, with a values.yaml suggestion that clears it', () => {
    const files = chart(['values.yaml', '  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n']);
    const [finding, ...rest] = review(files).findings;
    expect(rest).toEqual([]);
    const line = lineIn(files, 'values.yaml', /^ {2}privileged: true/);
    expect(finding).toMatchObject({ ruleId: 'k8s/privileged', file: `${DIR}/values.yaml`, line, endLine: line, resource: 'Deployment/release-name-model-server' });
    expect(finding!.fix).toMatchObject({ applicability: 'safe', edits: [{ file: `${DIR}/values.yaml`, startLine: line, endLine: line, replacement: '  privileged: false' }] });
    const { result } = afterFix(files, finding!);
    expect(result.findings).toEqual([]);
  });

  it('a values key several templates read: one finding, which names the other objects it reaches', () => {
    const base = chart(['values.yaml', '  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n']);
    const deployment = base.get('templates/deployment.yaml')!;
    const copy = (suffix: string) => deployment.replace('name: {{ include "model-server.fullname" . }}', `name: {{ include "model-server.fullname" . }}-${suffix}`);
    const findings = (files: Map<string, string>) => review(files).findings.filter((f) => f.ruleId === 'k8s/privileged');
    const two = findings(new Map([...base, ['templates/z-canary.yaml', copy('canary')]]));
    expect(two.map((f) => [f.file, f.resource])).toEqual([[`${DIR}/values.yaml`, 'Deployment/release-name-model-server']]);
    expect(two[0]!.message).toMatch(/ The same value reaches 1 other object the chart renders: `Deployment\/release-name-model-server-canary`\.$/);
    const many = findings(new Map([...base, ...['a', 'b', 'c', 'd'].map((s) => [`templates/z-${s}.yaml`, copy(s)] as [string, string])]));
    expect(many[0]!.message).toContain('reaches 4 other objects the chart renders: `Deployment/release-name-model-server-a`, `Deployment/release-name-model-server-b`, `Deployment/release-name-model-server-c` and 1 more.');
    // Reached by one object only, the message is the rule's own.
    expect(findings(base)[0]!.message).not.toContain('The same value');
  });

  it('a template that renders a List: its items are reviewed, a finding at the values line, its fix into values.yaml', () => {
    // The Deployment template as the one item of a List: indented four more columns, its nindents with it.
    const files = chart(
      ['values.yaml', '  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n'],
      ['templates/deployment.yaml', /^[\s\S]*$/, ''],
    );
    const template = readChartDir(FIXTURE, DIR).files.get('templates/deployment.yaml')!;
    const item = template.replace(/^(?=.)/gm, '    ').replace(/^ {4}(?=\S)/, '  - ').replace(/nindent (\d+)/g, (_, n: string) => `nindent ${Number(n) + 4}`);
    files.set('templates/deployment.yaml', `apiVersion: v1\nkind: List\nitems:\n${item}`);
    const [finding, ...rest] = review(files).findings;
    expect(rest).toEqual([]);
    const line = lineIn(files, 'values.yaml', /^ {2}privileged: true/);
    expect(finding).toMatchObject({ ruleId: 'k8s/privileged', file: `${DIR}/values.yaml`, line, resource: 'Deployment/release-name-model-server' });
    expect(finding!.fix).toMatchObject({ applicability: 'safe', edits: [{ file: `${DIR}/values.yaml`, startLine: line, endLine: line, replacement: '  privileged: false' }] });
    expect(afterFix(files, finding!).result.findings).toEqual([]);
  });

  it('tag: latest at its values line', () => {
    const files = chart(['values.yaml', /tag: ""\n {2}digest: \S+\n/, 'tag: latest\n  digest: ""\n']);
    const findings = review(files).findings.filter((f) => f.ruleId === 'k8s/image-tag-pinned');
    expect(findings).toEqual([expect.objectContaining({ file: `${DIR}/values.yaml`, line: lineIn(files, 'values.yaml', /^ {2}tag: latest/) })]);
  });

  it('a literal hostNetwork: true at the template line, with a suggestion on that line', () => {
    const files = chart(['templates/deployment.yaml', '      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      hostNetwork: true\n']);
    const findings = review(files).findings;
    const line = lineIn(files, 'templates/deployment.yaml', /hostNetwork: true/);
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'k8s/host-namespaces', file: `${DIR}/templates/deployment.yaml`, line })]);
    expect(findings[0]!.fix!.edits).toEqual([{ file: `${DIR}/templates/deployment.yaml`, startLine: line, endLine: line, replacement: '      hostNetwork: false' }]);
    expect(afterFix(files, findings[0]!).result.findings).toEqual([]);
  });

  it('a missing seccomp profile: at the template line of the pod, with a suggestion into values.yaml where it renders that subtree', () => {
    const files = chart(['values.yaml', '  seccompProfile:\n    type: RuntimeDefault\n', '']);
    const findings = review(files).findings;
    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'k8s/seccomp-profile', file: `${DIR}/templates/deployment.yaml`, line: lineIn(files, 'templates/deployment.yaml', /^ {6}securityContext:/) }),
    ]);
    const [edit] = findings[0]!.fix!.edits;
    expect(edit).toMatchObject({ file: `${DIR}/values.yaml` });
    expect(edit!.replacement).toContain('seccompProfile:');
    expect(afterFix(files, findings[0]!).result.findings).toEqual([]);
  });

  it('a subtree the template prints only when its values key is set (`with`), empty: the fix sets that key, proven', () => {
    const files = chart(
      ['templates/deployment.yaml', /( {10})securityContext:\n {12}\{\{- toYaml \.Values\.securityContext \| nindent 12 \}\}\n/, '$1{{- with .Values.securityContext }}\n$1securityContext:\n$1  {{- toYaml . | nindent 12 }}\n$1{{- end }}\n'],
      ['values.yaml', /securityContext:\n( {2}.*\n|( {6}- ALL\n))+/, 'securityContext: {}\n'],
    );
    const findings = review(files).findings.filter((f) => f.ruleId === 'k8s/allow-privilege-escalation');
    expect(findings).toHaveLength(1);
    const [edit] = findings[0]!.fix!.edits;
    // Written into the empty key the template reads (not the pod's podSecurityContext).
    expect(edit).toMatchObject({ file: `${DIR}/values.yaml`, startLine: lineIn(files, 'values.yaml', /^securityContext: \{\}$/) });
    expect(afterFix(files, findings[0]!).result.findings.filter((f) => f.ruleId === 'k8s/allow-privilege-escalation')).toEqual([]);
  });

  it('a missing setting in a subtree the template writes literally is at the template line, display-only', () => {
    const files = chart(['templates/deployment.yaml', /securityContext:\n {8}\{\{- toYaml \.Values\.podSecurityContext \| nindent 8 \}\}/, 'securityContext:\n        runAsNonRoot: true']);
    const findings = review(files).findings;
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'k8s/seccomp-profile', file: `${DIR}/templates/deployment.yaml`, line: lineIn(files, 'templates/deployment.yaml', /^ {6}securityContext:/) })]);
    expect(findings[0]!.fix).toMatchObject({ applicability: 'display', edits: [] });
  });

  it('a fix that leaves the rendered output not YAML is not proven, though the finding is gone with it', () => {
    // A values string printed as YAML text: setting the key itself to `false` would clear the finding by breaking the template.
    const files = chart(
      ['values.yaml', /\n*$/, '\nsidecar: |\n  - name: proxy\n    image: envoyproxy/envoy@sha256:4f53f6e3b4c5d0e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7\n    securityContext:\n      privileged: true\n'],
      ['templates/deployment.yaml', /\n$/, '\n        {{- .Values.sidecar | nindent 8 }}\n'],
    );
    const [privileged] = review(files).findings.filter((f) => f.ruleId === 'k8s/privileged');
    expect(privileged!.fix).toMatchObject({ applicability: 'display', edits: [] });
  });

  it('a values string the chart prints as YAML text is not the data it renders: no fix rewrites the string', () => {
    // Setting `initContainers: false` clears the finding by printing no init containers at all.
    const files = chart(
      ['values.yaml', /\n*$/, '\ninitContainers: |\n  - name: fetch-model\n    image: busybox@sha256:4f53f6e3b4c5d0e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7\n    securityContext:\n      privileged: true\n'],
      ['templates/deployment.yaml', '      containers:\n', '      {{- with .Values.initContainers }}\n      initContainers:\n        {{- . | nindent 8 }}\n      {{- end }}\n      containers:\n'],
    );
    const [privileged] = review(files).findings.filter((f) => f.ruleId === 'k8s/privileged');
    expect(privileged).toMatchObject({ file: `${DIR}/values.yaml` });
    expect(privileged!.fix).toMatchObject({ applicability: 'display', edits: [] });
  });

  it('a container tpl renders from a literal block of values.yaml: a finding at its line in the block, fixed there', () => {
    const files = chart(
      ['values.yaml', /\n*$/, '\nsidecars: |\n  - name: proxy\n    image: "{{ .Values.image.repository }}@{{ .Values.image.digest }}"\n    securityContext:\n      privileged: true\n'],
      ['templates/deployment.yaml', /\n$/, '\n        {{- tpl .Values.sidecars . | nindent 8 }}\n'],
    );
    const [privileged] = review(files).findings.filter((f) => f.ruleId === 'k8s/privileged');
    const line = lineIn(files, 'values.yaml', /^ {6}privileged: true/);
    expect(privileged).toMatchObject({ file: `${DIR}/values.yaml`, line });
    expect(privileged!.fix).toMatchObject({ applicability: 'safe', edits: [{ file: `${DIR}/values.yaml`, startLine: line, endLine: line, replacement: '      privileged: false' }] });
    expect(afterFix(files, privileged!).result.findings.filter((f) => f.ruleId === 'k8s/privileged')).toEqual([]);
  });

  it('the same finding reached from two templates is reported once', () => {
    const second = readFileSync(`${FIXTURE}/templates/deployment.yaml`, 'utf8').replace('kind: Deployment', 'kind: StatefulSet');
    const files = chart(['values.yaml', '  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n'], ['templates/statefulset.yaml', '', second]);
    const findings = review(files).findings.filter((f) => f.ruleId === 'k8s/privileged');
    expect(findings).toHaveLength(1);
  });

  it('a missing setting in a helper reached from two templates is reported once, at the helper line', () => {
    const pod = '{{- define "pod" }}\nspec:\n  automountServiceAccountToken: false\n  containers:\n    - name: {{ .name }}\n      image: nvcr.io/nvidia/tritonserver@sha256:4f53f6e3b4c5d0e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7\n{{- end }}\n';
    const podOf = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n{{- include "pod" (dict "name" "${name}") }}\n`;
    const files = chart(['templates/_pod.tpl', '', pod], ['templates/a.yaml', '', podOf('a')], ['templates/b.yaml', '', podOf('b')]);
    const seccomp = review(files).findings.filter((f) => f.ruleId === 'k8s/seccomp-profile');
    expect(seccomp).toEqual([expect.objectContaining({ file: `${DIR}/templates/_pod.tpl`, line: 2 })]);
  });

  it('a template with an unknown function is a note; the other templates are still reviewed', () => {
    const files = chart(
      ['templates/cert.yaml', '', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ndata:\n  ca: {{ genCA "model-server" 365 }}\n'],
      ['values.yaml', '  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n'],
    );
    const result = review(files);
    expect(result.notes).toEqual([{ file: `${DIR}/templates/cert.yaml`, message: expect.stringMatching(/unknown-function.*"genCA"/) }]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['k8s/privileged']);
  });

  it('only objects whose template or values lines changed are reviewed; the base gives the baseline', () => {
    const base = chart(['values.yaml', '  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n']);
    const head = chart(['values.yaml', '  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n'], ['values.yaml', 'replicaCount: 2', 'replicaCount: 3']);
    const replicas = lineIn(head, 'values.yaml', /^replicaCount/);
    const untouched = review(head, { changed: new Map([[`${DIR}/values.yaml`, new Set([lineIn(head, 'values.yaml', /^ {2}port: 8000/) + 100])]]) });
    expect(untouched.findings).toEqual([]);
    const touched = review(head, { base, changed: new Map([[`${DIR}/values.yaml`, new Set([replicas])]]) });
    expect(touched.findings.map((f) => f.ruleId)).toEqual(['k8s/privileged']);
    expect(touched.baseFingerprints.has(touched.findings[0]!.fingerprint)).toBe(true);
    // A values line only tested by `if` (not printed) still makes its objects changed.
    const serviceAccount = review(head, { changed: new Map([[`${DIR}/values.yaml`, new Set([lineIn(head, 'values.yaml', /^ {2}create: true/)])]]) });
    expect(serviceAccount.findings.map((f) => f.ruleId)).toEqual(['k8s/privileged']);
  });

  it('rendered NetworkPolicies and ServiceAccounts feed the cross-resource rules', () => {
    const repository = { resources: [], complete: true };
    const withNamespace = (policy: string) =>
      chart(['templates/deployment.yaml', 'metadata:\n  name: {{ include "model-server.fullname" . }}\n', 'metadata:\n  name: {{ include "model-server.fullname" . }}\n  namespace: models\n'], ['templates/networkpolicy.yaml', /[\s\S]*/, policy]);
    const denyAll = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: models\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n';
    expect(reviewChart({ dir: DIR, head: withNamespace(denyAll) }, { ...options, repository }).findings).toEqual([]);
    const open = withNamespace('');
    expect(reviewChart({ dir: DIR, head: open }, { ...options, repository }).findings).toEqual([
      expect.objectContaining({ ruleId: 'k8s/network-policy-missing', file: `${DIR}/templates/deployment.yaml`, line: lineIn(open, 'templates/deployment.yaml', /namespace: models/) }),
    ]);
    // In the release's namespace (chosen at install, rendered as `default`), what covers it is not the chart's to
    // say: neither the missing policy nor the missing GPU quota is reported. Placed in `models`, both are.
    const withGpuRule = { ...options, rules: RULES, repository };
    const ids = (files: Map<string, string>) => reviewChart({ dir: DIR, head: files }, withGpuRule).findings.map((f) => f.ruleId).filter((id) => /namespace|network-policy/.test(id));
    const inRelease = chart(['templates/networkpolicy.yaml', /[\s\S]*/, '']);
    expect(ids(inRelease)).toEqual([]);
    expect(ids(open).sort()).toEqual(['k8s/gpu-namespace-quota', 'k8s/network-policy-missing']);
    // Installed by GitOps in named namespaces, the release's objects land there: judged in each, where the
    // repository's policies cover one namespace and not the other.
    const covered = { resources: parseYaml('k8s/policies.yaml', denyAll.replace('namespace: models', 'namespace: models-prod')).resources, complete: true };
    const installed = (namespaces: string[]) =>
      reviewChart({ dir: DIR, head: inRelease, releases: namespaces.map((namespace) => ({ namespace, name: 'model' })) }, { ...options, repository: covered }).findings.map((f) => [f.ruleId, f.message.match(/`(models[^`]*)`/)?.[1]]);
    expect(installed(['models-prod'])).toEqual([]);
    expect(installed(['models-prod', 'models-dev'])).toEqual([['k8s/network-policy-missing', 'models-dev']]);
    // The pod does not say; the chart's ServiceAccount turns the token off: nothing to report, until it does not.
    const podSilent = chart(['templates/deployment.yaml', '      automountServiceAccountToken: false\n', '']);
    expect(review(podSilent).findings).toEqual([]);
    const both = chart(['templates/deployment.yaml', '      automountServiceAccountToken: false\n', ''], ['templates/serviceaccount.yaml', 'automountServiceAccountToken: false\n', '']);
    expect(review(both).findings.map((f) => f.ruleId)).toEqual(['k8s/automount-service-account-token']);
  });
});
