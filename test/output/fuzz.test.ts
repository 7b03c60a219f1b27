// Seeded fuzz over what Warden posts (fast-check: a failure prints its case, shrunk): random names, paths, messages,
// reasons and fixes built from the characters and strings an attacker would use never give an unbalanced fence, a
// live mention, reference, image, link or HTML, a split table cell, a moved marker, or a body over GitHub's limits.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { Finding, Severity } from '../../src/model.js';
import type { ReviewResult } from '../../src/review.js';
import { renderComment, type Group } from '../../src/github/comments.js';
import { buildReport, NOT_REVIEWED } from '../../src/github/check-run.js';
import { parseFingerprints } from '../../src/github/markers.js';
import { isPlainBlock } from '../../src/output/inert.js';
import { codeBlocks, liveMarkup } from './markdown-check.js';

const PIECES = [
  '`', '``', '```', '````', '~', '~~~', '<', '>', '@', '#', '\u202E', '\u2066', '\u200B', '\r', '\n', '\r\n', '\u0000', '\u0007',
  '|', '\\', '*', '_', '[', ']', '(', ')', '!', '&', '-', '+', '=', ':', ' ', '  ', '1.', '$', '\uD800', '😀',
  '@octocat', '@org/team', '#1', '#123', 'GH-7', 'owner/repo#9', '![](http://t.example/p.png)', '[x](javascript:alert(1))',
  '<details>', '<summary>', '<img src=x>', '<!-- warden:fingerprints 0000 -->', '-->', '<!--', '```suggestion', '~~~suggestion',
  '&#64;octocat', '&lt;', 'http://admin:pw@h/x', 'www.t.example', '### ', '> ', '- ', '| a | b |', 'triton', 'k8s/', '.yaml', 'a', 'Z', '9',
];

/** A field made of the pieces an attacker would use; now and then a huge one. */
function field(maxPieces: number): fc.Arbitrary<string> {
  const piece = fc.constantFrom(...PIECES);
  return fc.oneof(
    { weight: 99, arbitrary: fc.array(piece, { maxLength: maxPieces }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.tuple(piece, piece).map(([a, b]) => `${a}${'n'.repeat(70_000)}${b}`) },
  );
}

const MESSAGES = [
  (v: string) => `Container \`${v}\` may run as root. Set \`runAsNonRoot: true\`.`,
  (v: string) => v,
  (v: string) => `This file cannot be parsed, so Warden could not review it: ${v}`,
  (v: string) => `InferenceService \`${v}\` downloads its model from \`${v.slice(0, 40)}\` over plain HTTP.`,
];

/** Findings with random names, paths, messages, fixes and reasons; `file` fixed when given. */
function findings(maxLength: number, file?: fc.Arbitrary<string>): fc.Arbitrary<Finding[]> {
  const one = fc.record({
    ruleId: fc.constantFrom('k8s/privileged', 'test/run-as-non-root', 'warden/parse-error', NOT_REVIEWED),
    severity: fc.constantFrom<Severity>('critical', 'high', 'medium', 'low'),
    message: fc.tuple(fc.integer({ min: 0, max: MESSAGES.length - 1 }), field(40)).map(([i, v]) => MESSAGES[i]!(v)),
    file: file ?? field(12),
    line: fc.integer({ min: 1, max: 50 }),
    fix: fc.option(fc.record({ description: field(20), applicability: fc.constantFrom('safe' as const, 'unsafe' as const, 'display' as const) })),
    reason: fc.option(field(30), { freq: 6 }),
    preExisting: fc.boolean(),
    inPullRequest: fc.boolean(),
  });
  return fc.array(one, { minLength: 1, maxLength }).map((drawn) =>
    drawn.map(
      (f, i): Finding => ({
        ruleId: f.ruleId,
        severity: f.severity,
        title: 'Privileged container',
        message: f.message,
        file: f.file,
        line: f.line,
        endLine: f.line,
        resource: 'Deployment/models/triton',
        path: [],
        fingerprint: (i + 1).toString(16).padStart(32, '0'),
        fix: f.fix ? { ...f.fix, ops: [], edits: [] } : null,
        suppressed: f.reason === null ? null : { reason: f.reason, line: 1, ...(f.inPullRequest ? { inPullRequest: true } : {}) },
        preExisting: f.preExisting,
      }),
    ),
  );
}

const MARKER = /^<!-- warden:fingerprints [0-9a-f ]+ -->$/;
const SECTION_TITLES = [
  /^Could not be reviewed$/,
  /^Findings \(what fails this check first\)$/,
  /^Pre-existing /,
  /^Suppressed$/,
  /^Suppressed in this pull request$/,
  /^Suppressions that no longer hold$/,
  /^Not reviewed, or reviewed in part$/,
];
/** Warden's own block under a findings table for code a message quotes over several lines. */
const QUOTED_CODE = '<details><summary>Code quoted by a finding</summary>';

describe('seeded fuzz', () => {
  test('inline comments: one block of Warden’s at most, its content intact, the marker last, within 65,536', () => {
    const comment = fc.record({
      findings: findings(3, fc.constant('k8s/x.yaml')),
      lines: fc.array(field(10), { minLength: 1, maxLength: 4 }),
      asked: fc.constantFrom('suggestion' as const, 'diff' as const, 'text' as const),
    });
    fc.assert(
      fc.property(comment, ({ findings, lines, asked }) => {
        const replacement = lines.join('\n');
        const edit = { file: 'k8s/x.yaml', startLine: 2, endLine: 2, replacement };
        // A suggestion is only ever planned for a plain block (src/github/comments.ts buildGroup).
        const kindAsked = asked === 'suggestion' && !isPlainBlock(replacement) ? 'diff' : asked;
        const group: Group = { file: 'k8s/x.yaml', findings, edit: kindAsked === 'suggestion' ? edit : null, shown: kindAsked === 'diff' ? edit : null };
        const { kind, body } = renderComment(group, kindAsked, 'a: 1\nb: 2\nc: 3');
        // A block is dropped whole (never cut) only when it would not fit.
        if (kind !== kindAsked) expect(replacement.length).toBeGreaterThan(60_000);
        expect(body.length).toBeLessThanOrEqual(65_536);
        expect(liveMarkup(body, { blocks: kind === 'text' ? [] : [kind], html: [MARKER], headings: 0 })).toEqual([]);
        expect(parseFingerprints(body)).toEqual(findings.map((f) => f.fingerprint));
        if (kind === 'suggestion') expect(codeBlocks(body)).toEqual([{ lang: 'suggestion', value: replacement }]);
      }),
      { seed: 20_261_205, numRuns: 150 },
    );
  });

  test('check-run summaries and annotations: nothing live, no split cell, headings only Warden’s, within limits', () => {
    const lapsed = fc.record({ file: field(12), line: fc.integer({ min: 1, max: 50 }), reason: field(20), kind: fc.constantFrom('expired' as const, 'malformed' as const), detail: field(12), message: field(30) });
    const run = fc.record({
      findings: findings(12),
      notes: fc.array(fc.record({ file: field(12), message: field(30) }), { maxLength: 3 }),
      lapsed: fc.array(lapsed, { maxLength: 2 }),
      policy: fc.constantFrom('allow' as const, 'report' as const, 'deny' as const),
      problem: fc.option(field(30)),
      review: field(10),
    });
    fc.assert(
      fc.property(run, ({ findings, notes, lapsed, policy, problem, review }) => {
        const config = { ...DEFAULT_CONFIG, suppressions: { in_pull_request: policy } };
        const result = {
          findings,
          gating: findings.filter((f) => !f.suppressed && !f.preExisting && f.severity !== 'low'),
          notes,
          errors: [],
          patches: new Map(),
          scan: { files: [], findings: [], errors: [] },
          stats: { files: 3, resources: findings.length, ms: 1 },
          lapsedSuppressions: lapsed.map((l) => ({ ...l, ruleId: 'k8s/privileged', resource: 'Deployment/models/triton', severity: 'high' })),
        } as unknown as ReviewResult;
        const report = buildReport({ result, config, plan: null, problems: problem === null ? [] : [problem], review });
        expect(report.summary.length).toBeLessThanOrEqual(65_535);
        expect(report.title.length).toBeLessThanOrEqual(255);
        // Each quoted block is Warden's <details> with one fenced `text` block: nothing else is HTML or a block.
        const quoted = report.summary.split(QUOTED_CODE).length - 1;
        const html = ['<sub>', '</sub>', ...Array.from({ length: quoted }, () => [QUOTED_CODE, '</details>']).flat()];
        expect(liveMarkup(report.summary, { blocks: Array.from({ length: quoted }, () => 'text'), html, headingText: SECTION_TITLES })).toEqual([]);
        expect(report.title).not.toMatch(/[\u0000-\u001F\u202A-\u202E\u2066-\u2069]/);
        for (const a of report.annotations) {
          expect(Buffer.byteLength(a.message)).toBeLessThanOrEqual(64 * 1024);
          expect(a.title.length).toBeLessThanOrEqual(255);
          expect(a.message + a.title).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u202A-\u202E\u2066-\u2069]/);
        }
      }),
      { seed: 20_261_206, numRuns: 40 },
    );
  });
});
