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

  it('makes the review fail closed on the template, with the reason', async () => {
    const files = { 'charts/model/Chart.yaml': CHART, 'charts/model/templates/cert.yaml': CERT };
    const result = await review({ files: [{ path: 'charts/model/templates/cert.yaml', headText: CERT }], config: DEFAULT_CONFIG, rules: RULES, reader: memoryReader(files) });
    const notReviewed = result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');
    expect(notReviewed.map((f) => [f.file, f.message])).toEqual([['charts/model/templates/cert.yaml', expect.stringContaining('Helm: not rendered (unknown-function), line 6')]]);
  });
});
