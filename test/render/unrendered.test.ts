// What a chart could not render is returned as data (file and reason), and the review turns each into a
// warden/not-reviewed finding with that reason: fail closed without reading note texts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { reviewChart } from '../../src/render/chart-review.js';
import { MAX_CHART_FILES, reviewCharts } from '../../src/render/charts.js';
import { review } from '../../src/review.js';
import { RULES } from '../../rules/index.js';

const options = { config: DEFAULT_CONFIG, rules: RULES };
const CHART = 'apiVersion: v2\nname: model\nversion: 1.0.0\n';
const CERT = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ndata:\n  ca: {{ genCA "model-server" 365 }}\n';
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  a: b\n';

describe('a chart that cannot be rendered whole', () => {
  it('names each template it could not render, with the reason; the others render', () => {
    const result = reviewChart({ dir: 'charts/model', head: new Map([['Chart.yaml', CHART], ['templates/cert.yaml', CERT], ['templates/config.yaml', CONFIG_MAP]]) }, options);
    expect(result.unrendered).toEqual([{ file: 'charts/model/templates/cert.yaml', reason: expect.stringMatching(/^Helm: not rendered \(unknown-function\), line 6: .*genCA/) }]);
    expect(result.templates).toEqual(['charts/model/templates/config.yaml']);
  });

  it('names the Chart.yaml of a chart too large to render', async () => {
    const files: Record<string, string> = { 'charts/big/Chart.yaml': CHART };
    for (let i = 0; i <= MAX_CHART_FILES; i++) files[`charts/big/files/f${i}.txt`] = '';
    const result = await reviewCharts([{ path: 'charts/big/values.yaml', headText: 'a: 1\n' }], new Map(), memoryReader(files), options);
    expect(result.unrendered).toEqual([{ file: 'charts/big/Chart.yaml', reason: `Helm: chart of ${MAX_CHART_FILES + 2} files (over ${MAX_CHART_FILES}): not rendered` }]);
  });

  it('a chart file, its metadata or its listing that cannot be read stops the review, never renders the chart without it', async () => {
    const files: Record<string, string> = { 'charts/model/Chart.yaml': CHART, 'charts/model/values.yaml': 'a: 1\n', 'charts/model/templates/config.yaml': CONFIG_MAP };
    const change = [{ path: 'charts/model/templates/config.yaml', headText: CONFIG_MAP }];
    const failingOn = (broken: string) => ({
      paths: async () => (broken === '(listing)' ? Promise.reject(new Error('HTTP 502')) : Object.keys(files)),
      read: async (path: string) => (path === broken ? Promise.reject(new Error(`HTTP 502 on ${path}`)) : (files[path] ?? null)),
    });
    await expect(reviewCharts(change, new Map(), failingOn('charts/model/values.yaml'), options)).rejects.toThrow('HTTP 502 on charts/model/values.yaml');
    await expect(reviewCharts(change, new Map(), failingOn('charts/model/Chart.yaml'), options)).rejects.toThrow('HTTP 502 on charts/model/Chart.yaml');
    await expect(reviewCharts(change, new Map(), failingOn('(listing)'), options)).rejects.toThrow('HTTP 502');
    expect((await reviewCharts(change, new Map(), failingOn(''), options)).unrendered).toEqual([]);
  });

  it('makes the review fail closed on the template, with the reason', async () => {
    const files = { 'charts/model/Chart.yaml': CHART, 'charts/model/templates/cert.yaml': CERT };
    const result = await review({ files: [{ path: 'charts/model/templates/cert.yaml', headText: CERT }], config: DEFAULT_CONFIG, rules: RULES, reader: memoryReader(files) });
    const notReviewed = result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');
    expect(notReviewed.map((f) => [f.file, f.message])).toEqual([['charts/model/templates/cert.yaml', expect.stringContaining('Helm: not rendered (unknown-function), line 6')]]);
  });
});

describe('a dependency Chart.yaml lists that is not under charts/', () => {
  const chart = (extra = '') =>
    `apiVersion: v2\nname: model\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: 18.0.0\n  repository: https://charts.bitnami.com/bitnami\n${extra}- name: common\n  version: 0.1.0\n  repository: file://../common\n  condition: common.enabled\n`;
  const VALUES = 'replicas: 1\nredis:\n  master:\n    podSecurityContext:\n      enabled: true\ncommon:\n  enabled: false\n';
  const files = (chartText: string, values: string) => new Map([['Chart.yaml', chartText], ['values.yaml', values], ['templates/config.yaml', CONFIG_MAP]]);
  const partsOf = (result: ReturnType<typeof reviewChart>) => result.unrendered.map((u) => [u.file, u.line, u.reason.split(' (')[0]]);

  it('is not reviewed where the change touches its entry or the values the chart gives it; a disabled one is nothing', () => {
    const bumped = chart().replace('18.0.0', '18.1.0');
    const entry = reviewChart({ dir: 'charts/model', head: files(bumped, VALUES), changed: new Map([['charts/model/Chart.yaml', new Set([6])]]) }, options);
    expect(partsOf(entry)).toEqual([['charts/model/Chart.yaml', 5, 'Helm: dependency `redis`']]);
    const values = VALUES.replace('enabled: true', 'enabled: false');
    const valued = reviewChart({ dir: 'charts/model', head: files(chart(), values), changed: new Map([['charts/model/values.yaml', new Set([5])]]) }, options);
    expect(partsOf(valued)).toEqual([['charts/model/values.yaml', 2, 'the values under `redis` are for a dependency not rendered: Helm: dependency `redis`']]);
    // A change elsewhere in the chart: a note, not a finding. `common` is off (its condition), so nothing at all.
    const elsewhere = reviewChart({ dir: 'charts/model', head: files(chart(), VALUES), changed: new Map([['charts/model/values.yaml', new Set([1])]]) }, options);
    expect(elsewhere.unrendered).toEqual([]);
    expect(elsewhere.notes.map((n) => n.message)).toEqual([expect.stringContaining('dependency `redis` (`https://charts.bitnami.com/bitnami`) is not under `charts/`')]);
  });

  it('an archive under charts/ is not unpacked: the dependency it is is treated as one not fetched; one no dependency names fails the chart closed', () => {
    const archived = new Map([...files(chart(), VALUES), ['charts/redis-18.0.0.tgz', 'binary'], ['charts/extra-1.0.0.tgz', 'binary']]);
    const result = reviewChart({ dir: 'charts/model', head: archived }, options);
    expect(result.unrendered.map((u) => [u.file, u.line, u.reason])).toEqual([
      ['charts/model/charts/extra-1.0.0.tgz', undefined, expect.stringContaining('subchart archive not unpacked')],
      ['charts/model/Chart.yaml', 5, expect.stringContaining('dependency `redis` (`https://charts.bitnami.com/bitnami`) is the archive `charts/model/charts/redis-18.0.0.tgz`, which was not unpacked')],
      ['charts/model/values.yaml', 2, expect.stringContaining('the values under `redis` are for a dependency not rendered')],
    ]);
    // A new archive in its place, nothing else changed: not reviewed at its entry.
    const swapped = reviewChart({ dir: 'charts/model', head: archived, changed: new Map([['charts/model/charts/redis-18.0.0.tgz', null]]) }, options);
    expect(swapped.unrendered.map((u) => [u.file, u.line])).toEqual([
      ['charts/model/charts/extra-1.0.0.tgz', undefined],
      ['charts/model/Chart.yaml', 5],
    ]);
  });

  it('unpacked under charts/, it is rendered with the chart and nothing is said', () => {
    const unpacked = new Map([...files(chart(), VALUES), ['charts/redis/Chart.yaml', 'apiVersion: v2\nname: redis\nversion: 18.0.0\n']]);
    const result = reviewChart({ dir: 'charts/model', head: unpacked }, options);
    expect(result.unrendered).toEqual([]);
    expect(result.notes).toEqual([]);
  });

  it('fails the review closed where the change touches it, acknowledgeable above its line', async () => {
    const before = chart();
    const after = chart().replace('18.0.0', '18.1.0');
    const reader = memoryReader({ 'charts/model/Chart.yaml': after, 'charts/model/values.yaml': VALUES, 'charts/model/templates/config.yaml': CONFIG_MAP });
    const patch = '@@ -6 +6 @@\n-  version: 18.0.0\n+  version: 18.1.0\n';
    const result = await review({ files: [{ path: 'charts/model/Chart.yaml', headText: after, baseText: before, patch }], config: DEFAULT_CONFIG, rules: RULES, reader });
    expect(result.gating.map((f) => [f.ruleId, f.file, f.line])).toEqual([['warden/not-reviewed', 'charts/model/Chart.yaml', 5]]);
    const acknowledged = after.replace('- name: redis', '# warden:ignore warden/not-reviewed -- redis is reviewed where it is built\n- name: redis');
    const ack = await review({ files: [{ path: 'charts/model/Chart.yaml', headText: acknowledged, baseText: before, patch: '@@ -5,2 +5,3 @@\n+# warden:ignore warden/not-reviewed -- redis is reviewed where it is built\n - name: redis\n-  version: 18.0.0\n+  version: 18.1.0\n' }], config: DEFAULT_CONFIG, rules: RULES, reader: memoryReader({ 'charts/model/Chart.yaml': acknowledged, 'charts/model/values.yaml': VALUES, 'charts/model/templates/config.yaml': CONFIG_MAP }) });
    expect(ack.findings.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => f.suppressed?.reason)).toEqual(['redis is reviewed where it is built']);
  });
});
