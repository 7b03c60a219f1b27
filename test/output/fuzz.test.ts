// Seeded fuzz over what Warden posts: random names, paths, messages, reasons and fixes built from the characters
// and strings an attacker would use never give an unbalanced fence, a live mention, reference, image, link or HTML,
// a split table cell, a moved marker, or a body over GitHub's limits.
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { Finding, Severity } from '../../src/model.js';
import type { ReviewResult } from '../../src/review.js';
import { renderComment, type Group } from '../../src/github/comments.js';
import { buildReport, NOT_REVIEWED } from '../../src/github/check-run.js';
import { parseFingerprints } from '../../src/github/markers.js';
import { isPlainBlock } from '../../src/output/inert.js';
import { codeBlocks, liveMarkup } from './markdown-check.js';

/** mulberry32: a small seeded generator, so a failure replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '`', '``', '```', '````', '~', '~~~', '<', '>', '@', '#', '\u202E', '\u2066', '\u200B', '\r', '\n', '\r\n', '\u0000', '\u0007',
  '|', '\\', '*', '_', '[', ']', '(', ')', '!', '&', '-', '+', '=', ':', ' ', '  ', '1.', '$', '\uD800', '😀',
  '@octocat', '@org/team', '#1', '#123', 'GH-7', 'owner/repo#9', '![](http://t.example/p.png)', '[x](javascript:alert(1))',
  '<details>', '<summary>', '<img src=x>', '<!-- warden:fingerprints 0000 -->', '-->', '<!--', '```suggestion', '~~~suggestion',
  '&#64;octocat', '&lt;', 'http://admin:pw@h/x', '### ', '> ', '- ', '| a | b |', 'triton', 'k8s/', '.yaml', 'a', 'Z', '9',
];

function generator(seed: number) {
  const next = random(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
  const string = (max = 40): string => {
    // Now and then a huge field.
    if (next() < 0.01) return pick(PIECES).repeat(1 + int(3)) + 'n'.repeat(70_000) + pick(PIECES);
    return Array.from({ length: int(max) }, () => pick(PIECES)).join('');
  };
  return { next, int, pick, string };
}

type Gen = ReturnType<typeof generator>;
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

function finding(g: Gen, i: number, file = g.string(12)): Finding {
  const templates = [
    (v: string) => `Container \`${v}\` may run as root. Set \`runAsNonRoot: true\`.`,
    (v: string) => `${v}`,
    (v: string) => `This file cannot be parsed, so Warden could not review it: ${v}`,
    (v: string) => `InferenceService \`${v}\` downloads its model from \`${g.string(8)}\` over plain HTTP.`,
  ];
  return {
    ruleId: g.next() < 0.1 ? NOT_REVIEWED : g.pick(['k8s/privileged', 'test/run-as-non-root', 'warden/parse-error']),
    severity: g.pick(SEVERITIES),
    title: 'Privileged container',
    message: g.pick(templates)(g.string()),
    file,
    line: 1 + g.int(50),
    endLine: 1 + g.int(50),
    resource: `Deployment/models/${g.string(6)}`,
    path: [],
    fingerprint: (i + 1).toString(16).padStart(32, '0'),
    fix: g.next() < 0.5 ? { description: g.string(20), applicability: g.pick(['safe', 'unsafe', 'display'] as const), ops: [], edits: [] } : null,
    suppressed: g.next() < 0.15 ? { reason: g.string(30), line: 1 } : null,
    preExisting: g.next() < 0.15,
  };
}

const MARKER = /^<!-- warden:fingerprints [0-9a-f ]+ -->$/;
const SECTION_TITLES = [/^Could not be reviewed$/, /^Pre-existing /, /^Suppressed$/, /^Not reviewed, or reviewed in part$/];

describe('seeded fuzz', () => {
  test('inline comments: one block of Warden’s at most, its content intact, the marker last, within 65,536', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const g = generator(seed);
      const findings = Array.from({ length: 1 + g.int(3) }, (_, i) => finding(g, i, 'k8s/x.yaml'));
      const lines = Array.from({ length: 1 + g.int(4) }, () => g.string(10));
      const replacement = lines.join('\n');
      const edit = { file: 'k8s/x.yaml', startLine: 2, endLine: 2, replacement };
      const text = ['a: 1', 'b: 2', 'c: 3'].join('\n');
      const plain = isPlainBlock(replacement);
      const asked = plain && g.next() < 0.6 ? 'suggestion' : g.next() < 0.5 ? 'diff' : 'text';
      const group: Group = { file: 'k8s/x.yaml', findings, edit: asked === 'suggestion' ? edit : null, shown: asked === 'diff' ? edit : null };
      const { kind, body } = renderComment(group, asked, text);
      // A block is dropped whole (never cut) only when it would not fit.
      if (kind !== asked) expect(replacement.length).toBeGreaterThan(60_000);
      const context = `seed ${seed}: ${JSON.stringify(body.slice(0, 4000))}`;
      expect(body.length, context).toBeLessThanOrEqual(65_536);
      expect(liveMarkup(body, { blocks: kind === 'text' ? [] : [kind], html: [MARKER], headings: 0 }), context).toEqual([]);
      expect(parseFingerprints(body), context).toEqual(findings.map((f) => f.fingerprint));
      if (kind === 'suggestion') expect(codeBlocks(body), context).toEqual([{ lang: 'suggestion', value: replacement }]);
    }
  });

  test('check-run summaries and annotations: nothing live, no split cell, headings only Warden’s, within limits', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const g = generator(1000 + seed);
      const files = Array.from({ length: 1 + g.int(4) }, () => g.string(12));
      const findings = Array.from({ length: 1 + g.int(12) }, (_, i) => finding(g, i, g.pick(files)));
      const notes = Array.from({ length: g.int(3) }, () => ({ file: g.pick(files), message: g.string(30) }));
      const result = {
        findings,
        gating: findings.filter((f) => !f.suppressed && !f.preExisting && f.severity !== 'low'),
        notes,
        errors: [],
        patches: new Map(),
        scan: { files: [], findings: [], errors: [] },
        stats: { files: files.length, resources: findings.length, ms: 1 },
      } as unknown as ReviewResult;
      const report = buildReport({ result, config: DEFAULT_CONFIG, plan: null, skipped: [], problems: g.next() < 0.3 ? [g.string(30)] : [], review: g.string(10) });
      const context = `seed ${1000 + seed}: ${JSON.stringify(report.summary.slice(0, 400))}`;
      expect(report.summary.length, context).toBeLessThanOrEqual(65_535);
      expect(report.title.length, context).toBeLessThanOrEqual(255);
      expect(liveMarkup(report.summary, { blocks: [], html: ['<sub>', '</sub>'], headingText: SECTION_TITLES }), context).toEqual([]);
      expect(report.title, context).not.toMatch(/[\u0000-\u001F\u202A-\u202E\u2066-\u2069]/);
      for (const a of report.annotations) {
        expect(Buffer.byteLength(a.message), context).toBeLessThanOrEqual(64 * 1024);
        expect(a.title.length, context).toBeLessThanOrEqual(255);
        expect(a.message + a.title, context).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u202A-\u202E\u2066-\u2069]/);
      }
    }
  });
});
