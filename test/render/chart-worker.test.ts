// A Helm chart is rendered and reviewed in the worker pool: the same review as in this thread, within the pool's
// time limit; a chart whose review does not finish fails closed for its changed files; proving its fixes is bounded.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { EMPTY_REPOSITORY } from '../../src/engine/repository.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { reviewChart } from '../../src/render/chart-review.js';
import { MAX_CHART_PROOF_RENDERS } from '../../src/render/chart-fixes.js';
import { review } from '../../src/review.js';
import { closingPools, withSharedPoolTimeLimit } from '../worker/pools.js';
import { RULES } from '../../rules/index.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'charts', 'model-server');
const ALL = RULES.map((rule) => rule.id);
const pool = closingPools();

/** The fixture chart's files by chart-relative path, the container's settings dropped from values.yaml. */
function chartFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(FIXTURE, path), readFileSync(path, 'utf8'));
    }
  };
  walk(FIXTURE);
  files.set('values.yaml', files.get('values.yaml')!.replace('  allowPrivilegeEscalation: false\n', '').replace('  readOnlyRootFilesystem: true\n', ''));
  return files;
}

/** The fixture chart with its Deployment copied 200 times: far slower to review than the short limits below. */
function heavyChart(): Map<string, string> {
  const head = chartFiles();
  const template = head.get('templates/deployment.yaml')!;
  for (let i = 0; i < 200; i++) head.set(`templates/d${i}.yaml`, template.replace('name: {{ include "model-server.fullname" . }}', `name: {{ include "model-server.fullname" . }}-${i}`));
  return head;
}

describe('a chart in the worker pool', () => {
  it('gives the same review as in this thread, fixes and their groups included', async () => {
    const input = { dir: 'charts/model-server', head: chartFiles() };
    const inThread = reviewChart(input, { config: DEFAULT_CONFIG, rules: RULES, repository: EMPTY_REPOSITORY });
    const pooled = await pool({ size: 1 }).chart(input, { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(pooled).toEqual(inThread);
    expect(inThread.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['k8s/allow-privilege-escalation', 'k8s/read-only-root-filesystem']));
    expect(inThread.findings.some((f) => f.fix?.rendered?.edit)).toBe(true);
  });

  it('over the time limit: the worker is replaced and the review says why it did not finish', async () => {
    const head = heavyChart();
    const limited = pool({ size: 1, fileTimeLimitMs: 50 });
    const result = await limited.chart({ dir: 'charts/model-server', head }, { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(result).toEqual({ failed: expect.stringMatching(/took longer than 0.05 s/) });
    expect(limited.replaced).toBe(1);
  });
});

describe('a review whose chart does not finish', () => {
  it('fails closed for the chart\'s changed files, with why', async () => {
    const files: Record<string, string> = {};
    const head = heavyChart();
    for (const [rel, text] of head) files[`charts/model-server/${rel}`] = text;
    await withSharedPoolTimeLimit(50, async () => {
      const changed = ['charts/model-server/values.yaml', 'charts/model-server/templates/d7.yaml'];
      const result = await review({ files: changed.map((path) => ({ path, headText: files[path]!, patch: undefined })), config: DEFAULT_CONFIG, reader: memoryReader(files) });
      const notReviewed = result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');
      expect(notReviewed.map((f) => f.file).sort()).toEqual([...changed].sort());
      for (const f of notReviewed) expect(f.message).toContain('Helm: the review of chart charts/model-server did not finish');
    });
  });
});

describe('proving a chart\'s fixes', () => {
  it(`renders it again at most ${MAX_CHART_PROOF_RENDERS} times: past that a fix is shown, not offered`, () => {
    // Each template prints one literal `privileged: true` line of its own: each finding's fix is an edit of its own.
    const head = new Map([
      ['Chart.yaml', 'apiVersion: v2\nname: many\nversion: 1.0.0\n'],
      ['values.yaml', 'image: nginx\n'],
    ]);
    const count = MAX_CHART_PROOF_RENDERS + 5;
    for (let i = 0; i < count; i++) {
      head.set(`templates/pod-${i}.yaml`, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n  namespace: models\nspec:\n  containers:\n  - name: c\n    image: {{ .Values.image }}\n    securityContext:\n      privileged: true\n`);
    }
    const result = reviewChart({ dir: 'chart', head }, { config: DEFAULT_CONFIG, rules: RULES.filter((r) => r.id === 'k8s/privileged'), repository: EMPTY_REPOSITORY });
    expect(result.findings).toHaveLength(count);
    const offered = result.findings.filter((f) => f.fix && f.fix.edits.length > 0);
    expect(offered).toHaveLength(MAX_CHART_PROOF_RENDERS);
    expect(result.findings.filter((f) => f.fix?.applicability === 'display')).toHaveLength(count - MAX_CHART_PROOF_RENDERS);
  });
});
