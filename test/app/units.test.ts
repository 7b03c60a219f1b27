// Small pieces of the App: the template renderer, fences, markers, and the bounded rate-limit handlers.
import { expect, test } from 'vitest';
import { fenced, fenceFor, renderText } from '../../src/output/template.js';
import { baseMark, fingerprintMarker, parseFingerprints, parseRunExternalId, runExternalId } from '../../src/github/markers.js';
import { MAX_RATE_LIMIT_RETRIES, WardenOctokit } from '../../src/github/octokit.js';
import { resolveMutation } from '../../src/github/threads.js';

test('templates: values, sections over lists and objects, inverted sections; standalone tags take their line', () => {
  const t = '# {{title}}\n{{#rows}}\n| {{a}} | {{b}} |\n{{/rows}}\n{{^rows}}\nnone\n{{/rows}}\n{{#flag}}on {{title}}{{/flag}}.';
  expect(renderText(t, { title: 'T', rows: [{ a: 1, b: 2 }, { a: 3, b: '' }], flag: true })).toBe('# T\n| 1 | 2 |\n| 3 |  |\non T.');
  expect(renderText(t, { title: 'T', rows: [], flag: false })).toBe('# T\nnone\n.');
});

test('a fence is longer than any backtick run in its content', () => {
  expect(fenceFor('a: 1')).toBe('```');
  expect(fenceFor('x ``` y')).toBe('````');
  expect(fenced('suggestion', 'a\n`````\nb').text).toBe('``````suggestion\na\n`````\nb\n``````');
  // An empty suggestion deletes the lines: the block has no line at all.
  expect(fenced('suggestion', '').text).toBe('```suggestion\n```');
});

test('markers round-trip', () => {
  expect(parseFingerprints(`text\n${fingerprintMarker(['ab12', 'cd34'])}`)).toEqual(['ab12', 'cd34']);
  expect(parseFingerprints('no marker')).toEqual([]);
  expect(parseRunExternalId(runExternalId({ delivery: 'd-1:2', mode: 'check' }))).toEqual({ delivery: 'd-1:2', mode: 'check' });
  // The base branch it reviewed against, hashed: any name, one short alphabet.
  const base = baseMark('release/2026:a');
  expect(base).toMatch(/^[0-9a-f]{12}$/);
  expect(parseRunExternalId(runExternalId({ delivery: 'd-1@x', mode: 'review', base }))).toEqual({ delivery: 'd-1@x', mode: 'review', base });
  expect(parseRunExternalId('someone-else')).toBeNull();
});

test('one GraphQL document replies to and resolves many threads', () => {
  const doc = resolveMutation(2);
  expect(doc).toContain('mutation WardenResolve($t0: ID!, $b0: String!, $t1: ID!, $b1: String!)');
  expect(doc.match(/resolveReviewThread\(input: \{ threadId: \$t\d \}\)/g)).toHaveLength(2);
});

test("Warden's Octokit overrides Probot's throttle handlers: rate limits are retried, a bounded number of times", () => {
  // What Probot passes (its secondary handler never retries) is replaced by Warden's.
  const throttle = captureThrottle();
  const warned: string[] = [];
  const log = { warn: (m: string) => warned.push(m) };
  const request = (retryCount: number) => ({ method: 'POST', url: '/repos/o/r/pulls/1/reviews', request: { retryCount } });
  expect(throttle.onSecondaryRateLimit(1, request(0), { log })).toBe(true);
  expect(throttle.onSecondaryRateLimit(1, request(MAX_RATE_LIMIT_RETRIES), { log })).toBe(false);
  expect(throttle.onRateLimit(10_000, request(0), { log })).toBe(false);
  expect(warned).toHaveLength(3);
});

/** The throttle handlers Warden's defaults install over whatever Probot passes. */
function captureThrottle(): { onSecondaryRateLimit: Function; onRateLimit: Function } {
  let seen: { onSecondaryRateLimit: Function; onRateLimit: Function } | undefined;
  const Spy = WardenOctokit.plugin((_octokit, options) => {
    seen = (options as { throttle?: typeof seen }).throttle;
    return {};
  });
  new Spy({ auth: 'x', throttle: { enabled: false, onSecondaryRateLimit: () => false, onRateLimit: () => false } } as never);
  return seen!;
}
