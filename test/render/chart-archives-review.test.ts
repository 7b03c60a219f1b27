// A chart's dependency archive is unpacked and rendered with the chart's values (src/render/chart-archive.ts,
// src/render/charts.ts): a change to those values is reviewed through the subchart's templates.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { buildRepositoryIndex, INDEXED_KINDS, memoryReader } from '../../src/engine/repository-index.js';
import { chartIndexer } from '../../src/render/chart-index.js';
import { indexChartPooled } from '../../src/worker/pooled.js';
import { review } from '../../src/review.js';
import { RULES } from '../../rules/index.js';
import { tarGz } from './tar-gz.js';

const CHART = 'apiVersion: v2\nname: model\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: 18.0.0\n  repository: https://charts.bitnami.com/bitnami\n';
const VALUES = (privileged: boolean) => `replicas: 1\nredis:\n  privileged: ${privileged}\n`;
const POD = (extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: redis
  namespace: cache
spec:
  automountServiceAccountToken: false${extra}
  containers:
  - name: redis
    image: redis:7.2.4
    securityContext:
      privileged: {{ .Values.privileged }}
`;
const archive = (pod: string) => tarGz({ 'redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 18.0.0\n', 'redis/values.yaml': 'privileged: false\n', 'redis/templates/pod.yaml': pod });

function readerOf(files: Record<string, string>, archives: Record<string, Uint8Array>) {
  return { ...memoryReader({ ...files, ...Object.fromEntries(Object.keys(archives).map((p) => [p, '\u0000'])) }), readBytes: async (path: string) => archives[path] ?? null };
}

function changeOf(before: string, after: string) {
  return [{ path: 'charts/model/values.yaml', headText: after, baseText: before, patch: '@@ -3 +3 @@\n-  privileged: false\n+  privileged: true\n' }];
}

describe('a dependency archive under charts/', () => {
  it('is rendered with the chart’s values: a change to them that makes its pod privileged is found on the values line, with a fix there', async () => {
    const files = { 'charts/model/Chart.yaml': CHART, 'charts/model/values.yaml': VALUES(true) };
    const reader = readerOf(files, { 'charts/model/charts/redis-18.0.0.tgz': archive(POD()) });
    const result = await review({ files: changeOf(VALUES(false), VALUES(true)), config: DEFAULT_CONFIG, rules: RULES, reader });
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    const privileged = result.findings.find((f) => f.ruleId === 'k8s/privileged');
    expect(privileged && [privileged.file, privileged.line, privileged.preExisting, privileged.fix?.edits.map((e) => [e.file, e.replacement])]).toEqual(['charts/model/values.yaml', 3, false, [['charts/model/values.yaml', '  privileged: false']]]);
    // Without the archive's bytes (a reader of text only), it is a dependency not rendered, as before.
    const textOnly = await review({ files: changeOf(VALUES(false), VALUES(true)), config: DEFAULT_CONFIG, rules: RULES, reader: memoryReader(files) });
    expect(textOnly.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['warden/not-reviewed', 'charts/model/values.yaml', 2]]);
  });

  it('what its own lines hold is reported on the archive, without a fix; its templates that cannot render leave its values not reviewed where touched', async () => {
    const files = { 'charts/model/Chart.yaml': CHART, 'charts/model/values.yaml': VALUES(false) };
    const scan = await review({ files: [{ path: 'charts/model/values.yaml', headText: VALUES(false) }], config: DEFAULT_CONFIG, rules: RULES, reader: readerOf(files, { 'charts/model/charts/redis-18.0.0.tgz': archive(POD('\n  hostNetwork: true')) }) });
    const host = scan.findings.find((f) => f.ruleId === 'k8s/host-namespaces');
    expect(host && [host.file, host.line, host.fix]).toEqual(['charts/model/charts/redis-18.0.0.tgz', 1, null]);
    expect(host!.message).toMatch(/\(In `redis\/templates\/pod\.yaml`, line 8, of this archive\.\)$/);

    const broken = archive(POD().replace('{{ .Values.privileged }}', '{{ noSuchFunction .Values.privileged }}'));
    const touched = await review({ files: changeOf(VALUES(false), VALUES(true)), config: DEFAULT_CONFIG, rules: RULES, reader: readerOf({ ...files, 'charts/model/values.yaml': VALUES(true) }, { 'charts/model/charts/redis-18.0.0.tgz': broken }) });
    const unreviewed = touched.findings.filter((f) => f.ruleId === 'warden/not-reviewed');
    expect(unreviewed.map((f) => [f.file, f.line])).toEqual([['charts/model/values.yaml', 2]]);
    expect(unreviewed[0]!.message).toContain('is the archive `charts/model/charts/redis-18.0.0.tgz`, unpacked, whose templates could not all be rendered');
  });
});

describe('a dependency archive in the repository index', () => {
  it('a chart with one is rendered for the index: what it deploys in a namespace it names counts like the chart’s own objects', async () => {
    const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\n  namespace: models\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n';
    const guard = tarGz({ 'guard/Chart.yaml': 'apiVersion: v2\nname: guard\nversion: 0.1.0\n', 'guard/templates/deny.yaml': policy });
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: triton\n  namespace: models\nspec:\n  template:\n    spec:\n      containers:\n      - name: server\n        image: triton\n';
    const files = { 'charts/platform/Chart.yaml': 'apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n- name: guard\n  version: 0.1.0\n  repository: https://charts.example.com\n', 'charts/platform/templates/_helpers.tpl': '{{- define "platform.name" }}platform{{ end }}\n', 'apps/triton.yaml': deployment };
    const open = async (reader: Parameters<typeof buildRepositoryIndex>[0]) => {
      const index = await buildRepositoryIndex(reader, DEFAULT_CONFIG, { charts: chartIndexer(DEFAULT_CONFIG, [...INDEXED_KINDS], indexChartPooled) });
      const result = await review({ files: [{ path: 'apps/triton.yaml', headText: deployment }], config: DEFAULT_CONFIG, repository: index });
      return { index, open: result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').map((f) => f.resource) };
    };
    const unpacked = await open(readerOf(files, { 'charts/platform/charts/guard-0.1.0.tgz': guard }));
    expect(unpacked.open).toEqual([]);
    expect(unpacked.index.resources.find((r) => r.kind === 'NetworkPolicy')).toMatchObject({ id: 'NetworkPolicy/models/default-deny-all', file: 'charts/platform/charts/guard/templates/deny.yaml' });
    expect((await open(memoryReader(files))).open).toEqual(['Deployment/models/triton']);
  });
});

describe('a subchart default in an archive', () => {
  it('is fixed where the chart sets its subchart’s values (its dependency’s key in the chart’s values.yaml), proven by rendering again', async () => {
    const insecure = tarGz({ 'redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 18.0.0\n', 'redis/values.yaml': 'privileged: true\n', 'redis/templates/pod.yaml': POD() });
    const aliased = CHART.replace('  repository: https://charts.bitnami.com/bitnami\n', '  repository: https://charts.bitnami.com/bitnami\n  alias: cache\n');
    const files = { 'charts/model/Chart.yaml': aliased, 'charts/model/values.yaml': 'replicas: 1\n' };
    const scan = await review({ files: [{ path: 'charts/model/values.yaml', headText: files['charts/model/values.yaml'] }], config: DEFAULT_CONFIG, rules: RULES, reader: readerOf(files, { 'charts/model/charts/redis-18.0.0.tgz': insecure }) });
    const privileged = scan.findings.find((f) => f.ruleId === 'k8s/privileged')!;
    expect([privileged.file, privileged.line, privileged.message.endsWith('(In `redis/values.yaml`, line 1, of this archive.)')]).toEqual(['charts/model/charts/redis-18.0.0.tgz', 1, true]);
    expect(privileged.fix?.edits).toEqual([{ file: 'charts/model/values.yaml', startLine: 1, endLine: 1, replacement: 'replicas: 1\ncache:\n  privileged: false' }]);
  });
});

describe('a dependency archive the change writes', () => {
  const ARCHIVE = (pod: string, version = '18.1.0') => tarGz({ 'redis/Chart.yaml': `apiVersion: v2\nname: redis\nversion: ${version}\n`, 'redis/values.yaml': 'privileged: false\n', 'redis/templates/pod.yaml': pod });
  const chart = (version: string) => CHART.replace('version: 18.0.0', `version: ${version}`);
  const base = { 'charts/model/Chart.yaml': chart('18.0.0'), 'charts/model/values.yaml': VALUES(false) };
  const head = { 'charts/model/Chart.yaml': chart('18.1.0'), 'charts/model/values.yaml': VALUES(false) };
  const bump = (after: string) => ({
    files: [{ path: 'charts/model/Chart.yaml', headText: head['charts/model/Chart.yaml'], baseText: base['charts/model/Chart.yaml'], patch: '@@ -6 +6 @@\n-  version: 18.0.0\n+  version: 18.1.0\n' }],
    written: ['charts/model/Chart.yaml', 'charts/model/charts/redis-18.1.0.tgz'],
    reader: readerOf(head, { 'charts/model/charts/redis-18.1.0.tgz': ARCHIVE(after) }),
    baseReader: readerOf(base, { 'charts/model/charts/redis-18.0.0.tgz': ARCHIVE(POD('\n  hostNetwork: true'), '18.0.0') }),
  });

  it('is reviewed against the archives at base: what the new one adds is reported on it, what the old one held is pre-existing', async () => {
    const added = await review({ ...bump(POD('\n  hostNetwork: true\n  hostPID: true')), config: DEFAULT_CONFIG, rules: RULES });
    const onArchive = added.findings.filter((f) => f.file === 'charts/model/charts/redis-18.1.0.tgz');
    expect(onArchive.filter((f) => !f.preExisting).map((f) => f.ruleId)).toEqual(['k8s/host-namespaces']);
    expect(onArchive.find((f) => !f.preExisting)!.message).toMatch(/hostPID/);
    expect(added.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    // The same templates in the new archive: nothing new.
    const same = await review({ ...bump(POD('\n  hostNetwork: true')), config: DEFAULT_CONFIG, rules: RULES });
    expect(same.findings.filter((f) => !f.preExisting && !f.suppressed)).toEqual([]);
  });

  it('one no dependency lists whose templates do not all render is not reviewed, on the archive itself', async () => {
    const plain = { 'charts/model/Chart.yaml': 'apiVersion: v2\nname: model\nversion: 1.0.0\n', 'charts/model/values.yaml': 'replicas: 1\n' };
    const broken = tarGz({ 'extra/Chart.yaml': 'apiVersion: v2\nname: extra\nversion: 1.0.0\n', 'extra/templates/pod.yaml': POD().replace('{{ .Values.privileged }}', '{{ noSuchFunction 1 }}') });
    const result = await review({
      files: [],
      written: ['charts/model/charts/extra-1.0.0.tgz'],
      reader: readerOf(plain, { 'charts/model/charts/extra-1.0.0.tgz': broken }),
      baseReader: readerOf(plain, {}),
      config: DEFAULT_CONFIG,
      rules: RULES,
    });
    expect(result.gating.map((f) => [f.ruleId, f.file])).toEqual([['warden/not-reviewed', 'charts/model/charts/extra-1.0.0.tgz']]);
    expect(result.gating[0]!.message).toContain('whose templates could not all be rendered');
  });

  it('without the repository at base, it is not reviewed, at its Chart.yaml entry', async () => {
    const { baseReader: _none, ...input } = bump(POD());
    const result = await review({ ...input, config: DEFAULT_CONFIG, rules: RULES });
    expect(result.gating.map((f) => [f.ruleId, f.file, f.line])).toEqual([['warden/not-reviewed', 'charts/model/Chart.yaml', 5]]);
  });
});
