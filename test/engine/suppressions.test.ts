// Suppression comments are read by a scanner in one pass (pull-request text never meets a backtracking pattern).
import { describe, expect, it } from 'vitest';
import { parseSuppression, suppressionExpiry, Suppressions } from '../../src/engine/suppressions.js';

describe('parseSuppression', () => {
  it.each([
    ['# warden:ignore k8s/host-ports -- node-local exporter', ['k8s/host-ports'], 'node-local exporter'],
    ['  #warden:ignore k8s/a,k8s/b', ['k8s/a', 'k8s/b'], ''],
    ['// warden:ignore k8s/a , k8s/b  --   why  ', ['k8s/a', 'k8s/b'], 'why'],
    ['# warden:ignore k8s/a, -- why', ['k8s/a'], 'why'],
    ['# warden:ignore k8s/a,,k8s/b --', ['k8s/a', 'k8s/b'], ''],
    ['# warden:ignore k8s/a -- a -- b', ['k8s/a'], 'a -- b'],
    ['# warden:ignore k8s/a\r', ['k8s/a'], ''],
  ])('%j', (line, ruleIds, reason) => {
    expect(parseSuppression(line)).toEqual({ ruleIds, reason });
  });

  it.each([
    'warden:ignore k8s/a',
    'key: 1 # warden:ignore k8s/a',
    '# warden:ignorek8s/a',
    '# warden:ignore',
    '# warden:ignore   ',
    '# warden:ignore -- reason only',
    '# warden:ignore k8s/a because it is fine',
  ])('%j is not a suppression', (line) => {
    expect(parseSuppression(line)).toBeNull();
  });

  it('reads a 100 KB list of ids in linear time (a backtracking pattern took seconds)', () => {
    const line = `# warden:ignore ${Array(50_000).fill('a').join(',')} x`;
    const started = performance.now();
    expect(parseSuppression(line)).toBeNull();
    expect(parseSuppression(`${line.slice(0, -2)} -- ok`)?.ruleIds).toHaveLength(50_000);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('finds the suppression in the comment block above a line', () => {
    const s = Suppressions.of('# warden:ignore k8s/a -- why\n// other comment\nkey: 1\n');
    expect(s.above(3, 'k8s/a')).toEqual({ line: 1, ruleIds: ['k8s/a'], reason: 'why' });
    expect(s.above(3, 'k8s/b')).toBeNull();
  });
});

describe('suppressionExpiry', () => {
  it('is none without `(until`', () => {
    expect(suppressionExpiry('node-local exporter, reviewed in SEC-123')).toEqual({ kind: 'none' });
    expect(suppressionExpiry('')).toEqual({ kind: 'none' });
  });

  it.each([
    ['why (until 2027-03-31)', '2027-03-31', '2027-04-01T00:00:00.000Z'],
    ['why (Until  2028-02-29 )', '2028-02-29', '2028-03-01T00:00:00.000Z'],
    ['(until 2026-12-31)', '2026-12-31', '2027-01-01T00:00:00.000Z'],
  ])('%j holds through its day (UTC)', (reason, date, expires) => {
    expect(suppressionExpiry(reason)).toEqual({ kind: 'until', date, expires: new Date(expires) });
  });

  it.each([
    'why (until 2027-02-30)',
    'why (until 2027-02-29)',
    'why (until 2027-13-01)',
    'why (until 2027-3-31)',
    'why (until 31/03/2027)',
    'why (until next week)',
    'why (until 2027-03-31',
    'why (until 2027-03-31) and more',
    'why (until 2027-03-31) (until 2028-03-31)',
    'why (until2027-03-31)',
    'why (until 0099-01-01)',
  ])('%j is malformed: it must not suppress', (reason) => {
    expect(suppressionExpiry(reason).kind).toBe('malformed');
  });

  it('reads a hostile reason in linear time', () => {
    const reason = '(until '.repeat(50_000) + '2027-03-31)';
    const started = performance.now();
    expect(suppressionExpiry(reason).kind).toBe('malformed');
    expect(suppressionExpiry('x'.repeat(500_000) + ' (until 2027-03-31)').kind).toBe('until');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
