// The escaping layer: pull-request content in, inert Markdown out; the template renderer escapes by default.
import { describe, expect, test } from 'vitest';
import { code, fenced, isPlainBlock, maskSecrets, message, plain, sanitize, text, truncate, trusted, bound } from '../../src/output/inert.js';
import { checkTemplate, renderText } from '../../src/output/template.js';
import { fingerprintMarker, hasReviewMarker, parseFingerprints, reviewMarker } from '../../src/github/markers.js';
import { liveMarkup } from './markdown-check.js';

describe('text', () => {
  test('markup, HTML, mentions and references become literal text', () => {
    expect(text('GPU installer @octocat #12 <img src=x> `code` *b* _i_ ~s~ [l](u) GH-3 AT&T $x$ \\').text).toBe(
      'GPU installer @&#8203;octocat #&#8203;12 &lt;img src=x&gt; \\`code\\` \\*b\\* \\_i\\_ \\~s\\~ \\[l\\](u) GH-&#8203;3 AT&amp;T \\$x\\$ \\\\',
    );
  });

  test('what would open a block at the start of a line is escaped there', () => {
    expect(text('- item').text).toBe('\\- item');
    expect(text('+ item').text).toBe('\\+ item');
    expect(text('12. item').text).toBe('12\\. item');
    expect(text('# heading').text).toBe('#&#8203; heading');
    expect(text('> quote').text).toBe('&gt; quote');
    expect(text('```suggestion').text).toBe('\\`\\`\\`suggestion');
  });

  test('line breaks, bidi overrides, zero-width and control characters never pass', () => {
    expect(text('a\r\nb\nc\u2028d\te').text).toBe('a b c d e');
    expect(text('abc\u202Edef\u2066g\u200Bh\uFEFFi').text).toBe('abcdefghi');
    expect(text('nul\u0000bell\u0007del\u007F').text).toBe('nul\uFFFDbell\uFFFDdel\uFFFD');
    expect(sanitize('\uD800x')).toBe('\uFFFDx');
  });

  test('each field is cut to its limit', () => {
    expect(text('x'.repeat(5000)).text).toBe('x'.repeat(999) + '…');
    expect(text('abcdef', 4).text).toBe('abc…');
    // Code points, not halves of a surrogate pair.
    expect(truncate('😀😀😀', 2)).toBe('😀…');
  });
});

describe('code', () => {
  test('the fence is longer than any backtick run inside; padded where content touches it', () => {
    expect(code('triton').text).toBe('`triton`');
    expect(code('a`b``c').text).toBe('```a`b``c```');
    expect(code('`x`').text).toBe('`` `x` ``');
    expect(code('').text).toBe('` `');
  });

  test('a newline in a path cannot end the heading or the line it sits on', () => {
    expect(code('k8s/a\n### fake\n@octocat.yaml').text).toBe('`k8s/a ### fake @octocat.yaml`');
  });
});

describe('message', () => {
  test('a rule message keeps its code spans; a value breaking out of its span stays inert', () => {
    expect(message('Container `triton` may run as root. Set `runAsNonRoot: true`.').text).toBe('Container `triton` may run as root. Set `runAsNonRoot: true`.');
    const name = 'x` @octocat #1 ![](http://t.example/p.png) <details>\n```suggestion\nprivileged: true\n``` <!-- warden:fingerprints deadbeef -->';
    const rendered = message(`Container \`${name}\` may run as root.`).text;
    expect(rendered).toBe(
      'Container `x` @&#8203;octocat #&#8203;1 !\\[\\](http:&#8203;//t.example/p.png) &lt;details&gt; `suggestion privileged: true ` &lt;!-- warden:fingerprints deadbeef --&gt;\\` may run as root.',
    );
    expect(liveMarkup(rendered)).toEqual([]);
  });

  test('a huge value is cut inside its code span, which stays closed', () => {
    const rendered = message(`Container \`${'n'.repeat(70_000)}\` may run as root.`).text;
    expect(rendered).toBe('Container `' + 'n'.repeat(199) + '…` may run as root.');
  });
});

describe('secrets', () => {
  test('URI credentials and tokens are masked', () => {
    const gh = 'ghp_' + 'a'.repeat(36);
    const hf = 'hf_' + 'b'.repeat(34);
    const openai = 'sk-proj-' + 'c'.repeat(40);
    expect(maskSecrets(`http://admin:hunter2@models.internal/bert key AKIAIOSFODNN7EXAMPLE ${gh} ${hf} ${openai}.`)).toBe('http://***@models.internal/bert key *** *** *** ***.');
    expect(maskSecrets('https://x-access-token:ghs_abc@github.com/o/r.git')).toBe('https://***@github.com/o/r.git');
    expect(plain('key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEow\n  -----END RSA PRIVATE KEY-----\nnext: 1')).toBe('key: |   -----BEGIN PRIVATE KEY----- *** next: 1');
    // A block cut short (a parse-error snippet) is masked to its end.
    expect(plain('-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAA')).toBe('-----BEGIN PRIVATE KEY----- ***');
  });

  test('hidden characters cannot split a token past the mask', () => {
    expect(text('AKIA\u200BIOSFODNN7EXAMPLE').text).toBe('\\*\\*\\*');
  });

  test('masking stays linear on long hostile text', () => {
    const hostile = 'a'.repeat(200_000) + 'http://' + 'b:'.repeat(50_000);
    // Backtick runs of every length from 1 to 1,000 (half a million characters), none closed.
    const runs = Array.from({ length: 1000 }, (_, i) => '`'.repeat(i + 1) + 'x').join('');
    const started = Date.now();
    maskSecrets(hostile);
    message(hostile);
    expect(message(runs).text.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a block holding a secret or an invisible character is not plain: it cannot be a suggestion', () => {
    expect(isPlainBlock('  privileged: false')).toBe(true);
    expect(isPlainBlock('  image: evil\u202E')).toBe(false);
    expect(isPlainBlock('  storageUri: http://admin:pw@host/m')).toBe(false);
    expect(() => fenced('suggestion', 'a\u202Eb')).toThrow(/invisible/);
    expect(fenced('diff', '-a\u202Eb\n+token AKIAIOSFODNN7EXAMPLE').text).toBe('```diff\n-a<U+202E>b\n+token ***\n```');
  });
});

describe('templates escape by default', () => {
  test('a string is inert text; Markup goes in as it is', () => {
    expect(renderText('**{{a}}** {{b}}', { a: '<b>@x</b>', b: trusted('<sub>ok</sub>') })).toBe('**&lt;b&gt;@&#8203;x&lt;/b&gt;** <sub>ok</sub>');
  });

  test('on a table row, a pipe in any value stays in its cell', () => {
    const t = '| A | B |\n|---|---|\n{{#rows}}\n| {{a}} | {{b}}{{#c}} _({{c}})_{{/c}} |\n{{/rows}}';
    const out = renderText(t, { rows: [{ a: 'x|y', b: code('p|q'), c: 'r|s' }] });
    expect(out).toBe('| A | B |\n|---|---|\n| x\\|y | `p\\|q` _(r\\|s)_ |\n');
    expect(renderText('{{a}}', { a: 'x|y' })).toBe('x|y');
  });

  test('a template quoting a value in a code span or a comment is refused', () => {
    expect(() => checkTemplate('### `{{path}}`')).toThrow(/code span/);
    expect(() => checkTemplate('<!-- warden {{id}} -->')).toThrow(/comment/);
    expect(() => checkTemplate('### {{path}} and `code`')).not.toThrow();
  });

  test('every template in templates/ passes the check', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../templates/', import.meta.url);
    const names = readdirSync(dir);
    expect(names.length).toBeGreaterThan(4);
    for (const name of names) expect(() => checkTemplate(readFileSync(new URL(name, dir), 'utf8'), name)).not.toThrow();
  });
});

describe('bound', () => {
  test('a body over the limit is cut at a line, a code block left open is closed, and the cut is said', () => {
    const body = 'intro\n\n```diff\n' + '+x\n'.repeat(100) + '```\n';
    const out = bound(body, 120);
    expect(out.length).toBeLessThanOrEqual(120);
    expect(out.endsWith("```\n\n_…cut to fit GitHub's size limit._")).toBe(true);
    expect(liveMarkup(out, { blocks: ['diff'] })).toEqual([]);
  });
});

describe('markers', () => {
  test('read only from the last line of the body, where Warden writes them', () => {
    const marker = fingerprintMarker(['ab12', 'cd34']).text;
    expect(parseFingerprints(`text\n\n${marker}`)).toEqual(['ab12', 'cd34']);
    expect(parseFingerprints(`text\r\n\r\n${marker}\r\n`)).toEqual(['ab12', 'cd34']);
    // Anywhere else (a quoted name, a code span), or with anything after it on its line: not a marker.
    expect(parseFingerprints(`Container \`<!-- warden:fingerprints 0000 -->\`\n\n${marker}`)).toEqual(['ab12', 'cd34']);
    expect(parseFingerprints(`<!-- warden:fingerprints 0000 -->\n\ntext`)).toEqual([]);
    expect(parseFingerprints(`x ${marker}`)).toEqual([]);
    expect(() => fingerprintMarker(['--> @octocat'])).toThrow();
  });

  test('a review marker counts only at the end of the review body', () => {
    const marker = reviewMarker('abc', 'd-1');
    expect(hasReviewMarker(`Warden reviewed…\n${marker}`, marker)).toBe(true);
    expect(hasReviewMarker(`${marker}\nquoted by someone`, marker)).toBe(false);
    expect(hasReviewMarker(null, marker)).toBe(false);
  });
});
