// The suppression policy on review results: which suppressions a change wrote, and expiry against an injected clock.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfigText, type Config } from '../../src/config.js';
import { patchLines } from '../../src/diff.js';
import { isGating, review } from '../../src/review.js';
import { applySuppressionPolicy } from '../../src/suppression-policy.js';
import type { Finding } from '../../src/model.js';
import { githubPatch } from '../app/fake-github.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import privileged from '../../rules/k8s/privileged.js';

const pod = (securityContext: string) => `apiVersion: v1
kind: Pod
metadata:
  name: triton
  namespace: models
spec:
  containers:
  - name: server
    image: registry.example.com/triton:1.0
    securityContext:
      ${securityContext}
`;
const WHY = '# warden:ignore k8s/privileged -- GPU driver installer';
const suppressedPod = (reason = WHY) => pod(`${reason}\n      privileged: true`);
const config = (policy: Config['suppressions']['in_pull_request']): Config => ({ ...DEFAULT_CONFIG, suppressions: { in_pull_request: policy } });

async function reviewChange(base: string | null, head: string, options: { config?: Config; now?: Date } = {}) {
  const result = await review({
    files: [{ path: 'k8s/pod.yaml', headText: head, baseText: base, patch: githubPatch(base ?? '', head) }],
    config: options.config ?? DEFAULT_CONFIG,
    rules: [privileged],
    now: () => options.now ?? new Date('2026-03-01T12:00:00Z'),
  });
  return { result, finding: result.findings.find((f) => f.ruleId === 'k8s/privileged')! };
}

describe('a suppression the change wrote', () => {
  it('is marked when its line is added', async () => {
    const { finding } = await reviewChange(pod('privileged: false'), suppressedPod());
    expect(finding.suppressed).toEqual({ reason: 'GPU driver installer', line: 11, inPullRequest: true });
  });

  it('is not marked when it was on the base branch already, even over a finding the change adds', async () => {
    const { finding } = await reviewChange(suppressedPod().replace('privileged: true', 'privileged: false'), suppressedPod());
    expect(finding.suppressed).toEqual({ reason: 'GPU driver installer', line: 11 });
  });

  it('gates under deny when the finding is at or above the gate, and only then', async () => {
    const { finding } = await reviewChange(pod('privileged: false'), suppressedPod(), { config: config('deny') });
    expect(isGating(finding, config('deny'))).toBe(true);
    expect(isGating(finding, config('report'))).toBe(false);
    expect(isGating(finding, config('allow'))).toBe(false);
    expect(isGating(finding, { ...config('deny'), gate: 'critical', rules: {} })).toBe(true);
    expect(isGating({ ...finding, severity: 'medium' }, config('deny'))).toBe(false);
  });

  it('is marked when no suppression of the rule was in the file at base, though its line is unchanged (lines moved under it)', () => {
    const finding = { ruleId: 'k8s/privileged', file: 'a.yaml', suppressed: { reason: 'why', line: 3 } } as Finding;
    const base = '# warden:ignore k8s/other -- why\n';
    applySuppressionPolicy([finding], [{ path: 'a.yaml', patch: '', baseText: base }], new Map([['a.yaml', patchLines('')]]), new Date());
    expect(finding.suppressed).toEqual({ reason: 'why', line: 3, inPullRequest: true });
  });

  it('its line is a finding of its own: low, never gating even at `gate: low`, none under allow or when turned off', async () => {
    const about = (result: Awaited<ReturnType<typeof reviewChange>>['result']) => result.findings.filter((f) => f.ruleId === 'warden/suppression-in-pull-request');
    const low = { ...config('report'), gate: 'low' as const };
    const { result } = await reviewChange(pod('privileged: false'), suppressedPod(), { config: low });
    expect(about(result)).toEqual([expect.objectContaining({ file: 'k8s/pod.yaml', line: 11, severity: 'low', preExisting: false })]);
    expect(result.gating.map((f) => f.ruleId)).not.toContain('warden/suppression-in-pull-request');
    expect(about((await reviewChange(pod('privileged: false'), suppressedPod(), { config: config('allow') })).result)).toEqual([]);
    const off = { ...config('report'), rules: { 'warden/suppression-in-pull-request': 'off' as const } };
    expect(about((await reviewChange(pod('privileged: false'), suppressedPod(), { config: off })).result)).toEqual([]);
  });

  it('is never marked outside a change (`warden scan`: no patch)', async () => {
    const result = await review({ files: [{ path: 'k8s/pod.yaml', headText: suppressedPod() }], config: config('deny'), rules: [privileged], selected: true });
    expect(result.findings[0]!.suppressed).toEqual({ reason: 'GPU driver installer', line: 11 });
    expect(result.gating).toEqual([]);
  });
});

describe('expiry', () => {
  it('holds through the named day (UTC), and past it the finding is back and reported', async () => {
    const head = suppressedPod(`${WHY} (until 2026-03-01)`);
    const during = await reviewChange(pod('privileged: false'), head, { now: new Date('2026-03-01T23:59:59Z') });
    expect(during.finding.suppressed).not.toBeNull();
    expect(during.result.lapsedSuppressions).toEqual([]);

    const after = await reviewChange(pod('privileged: false'), head, { now: new Date('2026-03-02T00:00:00Z') });
    expect(after.finding.suppressed).toBeNull();
    expect(after.result.gating).toEqual([after.finding]);
    expect(after.result.lapsedSuppressions).toMatchObject([{ file: 'k8s/pod.yaml', line: 11, ruleId: 'k8s/privileged', kind: 'expired', detail: '2026-03-01' }]);
    expect(after.result.notes).toContainEqual({ file: 'k8s/pod.yaml', message: expect.stringContaining('expired at the end of 2026-03-01') });
  });

  it('applies outside a change too (`warden scan`)', async () => {
    const result = await review({ files: [{ path: 'k8s/pod.yaml', headText: suppressedPod(`${WHY} (until 2026-02-01)`) }], config: DEFAULT_CONFIG, rules: [privileged], selected: true, now: () => new Date('2026-03-01T00:00:00Z') });
    expect(result.findings[0]!.suppressed).toBeNull();
    expect(result.lapsedSuppressions).toHaveLength(1);
  });

  it('a malformed date does not suppress, and is reported', async () => {
    const { finding, result } = await reviewChange(pod('privileged: false'), suppressedPod(`${WHY} (until 2026-31-12)`));
    expect(finding.suppressed).toBeNull();
    expect(result.lapsedSuppressions).toMatchObject([{ kind: 'malformed', detail: '(until 2026-31-12)' }]);
    expect(result.notes).toContainEqual({ file: 'k8s/pod.yaml', message: expect.stringContaining('names an expiry Warden cannot read') });
  });
});

describe('suppressions.in_pull_request in the config', () => {
  it('defaults to report, takes allow | report | deny, and names the key when invalid', () => {
    expect(DEFAULT_CONFIG.suppressions.in_pull_request).toBe('report');
    expect(parseConfigText('suppressions:\n  in_pull_request: deny\n').suppressions).toEqual({ in_pull_request: 'deny' });
    expect(() => parseConfigText('suppressions:\n  in_pull_request: never\n')).toThrow('`suppressions.in_pull_request` must be one of: allow, report, deny');
    expect(() => parseConfigText('suppressions:\n  in_pr: deny\n')).toThrow('unknown key `suppressions.in_pr`');
  });
});

describe('a suppression in a chart template over a finding reported at its values key', () => {
  const CHART = { 'charts/model/Chart.yaml': 'apiVersion: v2\nname: model\nversion: 1.0.0\n', 'charts/model/values.yaml': 'privileged: true\n' };
  const template = (ack: string, value: string) => `${ack}apiVersion: v1\nkind: Pod\nmetadata:\n  name: triton\nspec:\n  containers:\n  - name: server\n    image: registry.example.com/triton:1.0\n    securityContext:\n      privileged: ${value}\n`;
  const reviewTemplate = async (base: string, head: string, changed: 'template' | 'values', values = 'privileged: true\n') => {
    const files = { ...CHART, 'charts/model/values.yaml': values, 'charts/model/templates/pod.yaml': head };
    const change = changed === 'template'
      ? { path: 'charts/model/templates/pod.yaml', headText: head, baseText: base, patch: githubPatch(base, head) }
      : { path: 'charts/model/values.yaml', headText: values, baseText: 'privileged: false\n', patch: githubPatch('privileged: false\n', values) };
    return review({ files: [change], config: config('deny'), rules: [privileged], reader: memoryReader(files) });
  };

  it('written by the change (the template reads the values key now): judged where it is written, and under deny the finding still gates', async () => {
    const result = await reviewTemplate(template('', 'false'), template(`${WHY}\n`, '{{ .Values.privileged }}'), 'template');
    const finding = result.findings.find((f) => f.ruleId === 'k8s/privileged')!;
    expect(finding).toMatchObject({ file: 'charts/model/values.yaml', line: 1, suppressed: { line: 1, file: 'charts/model/templates/pod.yaml', inPullRequest: true } });
    expect(result.gating).toEqual([finding]);
    expect(result.findings.filter((f) => f.ruleId === 'warden/suppression-in-pull-request').map((f) => [f.file, f.line])).toEqual([['charts/model/templates/pod.yaml', 1]]);
  });

  it('already on the default branch (the change sets the values key): it holds', async () => {
    const head = template(`${WHY}\n`, '{{ .Values.privileged }}');
    const result = await reviewTemplate(head, head, 'values');
    expect(result.findings.map((f) => [f.ruleId, f.file, f.suppressed])).toEqual([['k8s/privileged', 'charts/model/values.yaml', { reason: 'GPU driver installer', line: 1, file: 'charts/model/templates/pod.yaml' }]]);
    expect(result.gating).toEqual([]);
  });
});
