// The one escaping layer for everything Warden posts (review comments and body, check-run title, summary and
// annotations, thread replies, the CLI's Markdown). Names, paths, values, reasons and messages come from the pull
// request: they are rendered as inert text — invisible and control characters removed, secret-looking values
// masked, each field cut to a length, then escaped for where it goes — so they can never become Markdown, HTML,
// a mention, a reference or one of Warden's hidden markers. Warden's own markup is a `Markup` value, made only here.

/** Text that is already Markdown: Warden's own markup, or content rendered inert by this module. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Warden's own markup, written in its source: never pass pull-request content here. */
export function trusted(text: string): Markup {
  return new Markup(text);
}

/** GitHub's limits on what Warden posts. */
export const GITHUB_LIMITS = {
  /** A review comment, review body or thread reply: characters. */
  comment: 65_536,
  /** A check run's `output.summary`: characters. */
  summary: 65_535,
  /** A check run's `output.title`: characters. */
  title: 255,
  /** An annotation's `message`: 64 KB, in bytes of UTF-8. */
  annotationMessageBytes: 64 * 1024,
  /** An annotation's `title`: characters. */
  annotationTitle: 255,
} as const;

/** How much of one field is shown, in characters: a name or value, a path, a message or reason. */
export const FIELD_LIMITS = { value: 200, path: 400, text: 1000 } as const;

// Bidi overrides and isolates, marks, zero-width and other invisible characters: they make text read other than it is.
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8]|\uDB40[\uDC00-\uDDEF]/g;
const LINE_BREAKS = /\r\n?|[\n\t\v\f\u0085\u2028\u2029]/g;
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** One line of plain text: line breaks and tabs become spaces, invisible characters go, other controls show as U+FFFD. */
export function sanitize(text: string): string {
  return text.replace(LONE_SURROGATES, '\uFFFD').replace(INVISIBLE, '').replace(LINE_BREAKS, ' ').replace(CONTROLS, '\uFFFD');
}

/** A block of lines (a diff, a snippet): lines kept, invisible characters and controls shown as `<U+XXXX>`. */
export function sanitizeBlock(text: string): string {
  const visible = (c: string) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;
  return text
    .replace(LONE_SURROGATES, visible)
    .replace(INVISIBLE, visible)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/g, visible);
}

/** Whether text holds nothing `sanitizeBlock` would change and nothing secret-looking: it may be posted as it is. */
export function isPlainBlock(text: string): boolean {
  return sanitizeBlock(text) === text && maskSecrets(text) === text;
}

export const MASK = '***';

// Secret-looking values. Every quantifier is bounded, so each pattern costs linear time on any text.
const SECRETS: [RegExp, string][] = [
  // Credentials in a URI: scheme://user:password@host (the whole user part).
  [/([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s@/]{1,256}@/gi, `$1${MASK}@`],
  // PEM private keys, whole or cut short.
  [/-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY-----(?:[\s\S]{0,8192}?-----END[A-Z0-9 ]{0,40} PRIVATE KEY-----|[\s\S]{0,8192})/g, `-----BEGIN PRIVATE KEY----- ${MASK}`],
  // AWS access key ids.
  [/\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g, MASK],
  // GitHub tokens.
  [/\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g, MASK],
  // Hugging Face tokens.
  [/\bhf_[A-Za-z0-9]{30,255}\b/g, MASK],
  // OpenAI (and other `sk-`) API keys.
  [/\bsk-[A-Za-z0-9_-]{20,255}/g, MASK],
  // Slack tokens, Google API keys.
  [/\bxox[abposr]-[A-Za-z0-9-]{10,255}/g, MASK],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, MASK],
  // JSON Web Tokens.
  [/\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{8,4096}/g, MASK],
];

export function maskSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/** At most `max` characters (code points), the cut marked with `…`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text.slice(0, max * 2 + 2));
  return points.length <= max ? points.join('') : points.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/**
 * Content as one line of plain text: sanitized, secrets masked, at most `max` characters. For what GitHub shows as
 * text (annotations, titles) and the first step of every other rendering. Only a bounded prefix is looked at, so a
 * huge field costs no more than a short one (with room for a secret that straddles the cut).
 */
export function plain(text: string, max: number = FIELD_LIMITS.text): string {
  return truncate(maskSecrets(sanitize(String(text).slice(0, max * 2 + 512))).trim(), max);
}

/** At most `maxBytes` bytes of UTF-8 (annotation messages), cut like `truncate`. */
export function truncateBytes(text: string, maxBytes: number): string {
  let out = truncate(text, maxBytes);
  while (Buffer.byteLength(out) > maxBytes) out = truncate(out, Math.floor(out.length * 0.9));
  return out;
}

const MENTION_OR_REFERENCE = /[@#]|\bGH-(?=\d)/gi;

/** Escape sanitized text so Markdown reads it as literal text: no markup, no HTML, no mention or reference. */
function escapeText(text: string): string {
  const escaped = text
    .replace(/[\\`*_~[\]$]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // A zero-width space after `@`, `#` and `GH-`: GitHub links mentions and references only when they are adjacent.
    .replace(MENTION_OR_REFERENCE, '$&&#8203;')
    // Bare URLs stay text (a zero-width space breaks `://` and `www.`): an autolink could also run on into a code
    // span that follows.
    .replace(/:(?=\/\/)/g, ':&#8203;')
    .replace(/www(?=\.)/gi, '$&&#8203;');
  // At the start of a line, these would open a heading, list, quote or setext underline.
  return escaped.replace(/^([-+=]|\d+(?=[.)]))/, (m) => (/^\d/.test(m) ? m + '\\' : '\\' + m));
}

/** Content as inert inline text. */
export function text(content: string, max: number = FIELD_LIMITS.text): Markup {
  return new Markup(escapeText(plain(content, max)));
}

/** A code span around sanitized text: its fence is longer than any backtick run inside. */
function codeSpan(content: string): string {
  if (content === '') return '` `';
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** Content (a name, path or value) as an inert code span. */
export function code(content: string, max: number = FIELD_LIMITS.value): Markup {
  return new Markup(codeSpan(plain(content, max)));
}

/** The code spans of a text as CommonMark reads them: each opening backtick run closed by the next run of its length. */
export function codeSpans(source: string): { open: number; contentStart: number; contentEnd: number; end: number }[] {
  const runs: { start: number; length: number }[] = [];
  for (let i = 0; i < source.length; ) {
    if (source.charCodeAt(i) !== 96) {
      i++;
      continue;
    }
    const start = i;
    while (source.charCodeAt(i) === 96) i++;
    runs.push({ start, length: i - start });
  }
  // For each length, its runs in order: finding the next run of a length is a step along that list (linear in all).
  const byLength = new Map<number, number[]>();
  runs.forEach((run, index) => {
    const list = byLength.get(run.length);
    if (list) list.push(index);
    else byLength.set(run.length, [index]);
  });
  const nextOfLength = new Map<number, number>();
  const spans = [];
  for (let i = 0; i < runs.length; ) {
    const { start, length } = runs[i]!;
    const list = byLength.get(length)!;
    let k = nextOfLength.get(length) ?? 0;
    while (k < list.length && list[k]! <= i) k++;
    nextOfLength.set(length, k);
    if (k >= list.length) {
      i++;
      continue;
    }
    const close = runs[list[k]!]!;
    spans.push({ open: start, contentStart: start + length, contentEnd: close.start, end: close.start + length });
    i = list[k]! + 1;
  }
  return spans;
}

/**
 * A finding's message as inert Markdown. Rule messages quote values in code spans (`` Container `{{name}}` … ``);
 * the message is split where Markdown would split it, then each code span is rendered with `code` and the rest
 * with `text`. Backticks inside a value can only move where the spans fall: every part is inert either way.
 * Only a bounded prefix of each part is sanitized and kept, so a huge value costs one scan of its text.
 */
export function message(content: string, max: number = FIELD_LIMITS.text): Markup {
  const source = String(content);
  let out = '';
  let shown = 0;
  const add = (raw: string, kind: 'code' | 'text', first: boolean): boolean => {
    const room = max - shown;
    if (room <= 0) return false;
    const limit = kind === 'code' ? Math.min(room, FIELD_LIMITS.value) : room;
    let part = maskSecrets(sanitize(raw.slice(0, limit * 2 + 512)));
    if (first) part = part.trimStart();
    const piece = truncate(part, limit);
    shown += piece.length;
    out += kind === 'code' ? codeSpan(piece) : first ? escapeText(piece) : escapeText(' ' + piece).slice(1);
    return kind === 'code' || piece.length === part.length;
  };
  let textFrom = 0;
  for (const span of codeSpans(source)) {
    if (span.open > textFrom && !add(source.slice(textFrom, span.open), 'text', textFrom === 0)) return new Markup(out.trimEnd());
    if (!add(source.slice(span.contentStart, span.contentEnd), 'code', false)) return new Markup(out.trimEnd());
    textFrom = span.end;
  }
  if (textFrom < source.length) add(source.slice(textFrom), 'text', textFrom === 0);
  return new Markup(out.trimEnd());
}

/** A fence longer than any backtick run in `content`, so content holding a fence cannot close the block early. */
export function fenceFor(content: string): string {
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * A fenced code block (`suggestion`, `diff`, …). A suggestion's content must be committed exactly as shown, so the
 * caller offers one only when `isPlainBlock` holds; any other block is sanitized and masked here.
 */
export function fenced(info: 'suggestion' | 'diff' | 'text', content: string): Markup {
  if (info === 'suggestion' && !isPlainBlock(content)) throw new Error('a suggestion must be posted as it would be committed: this one holds invisible characters or a secret-looking value');
  const body = info === 'suggestion' ? content : maskSecrets(sanitizeBlock(content));
  const fence = fenceFor(body);
  return new Markup(body === '' ? `${fence}${info}\n${fence}` : `${fence}${info}\n${body}\n${fence}`);
}

/** A Markdown link with a label of inert text to one of Warden's own URLs. */
export function link(label: Markup, url: string): Markup {
  if (!/^https?:\/\/[^\s()<>]+$/.test(url)) return label;
  return new Markup(`[${label.text}](${url})`);
}

/** Cut a finished body to `max` characters at a line break, saying so: a last resort that keeps fences whole. */
export function bound(body: string, max: number, note = '_…cut to fit GitHub\'s size limit._'): string {
  if (body.length <= max) return body;
  let cut = body.slice(0, Math.max(0, max - note.length - 40));
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  // Close a code block left open by the cut (Warden's blocks are fenced with backticks, closed by a bare fence).
  let open: string | null = null;
  for (const line of cut.split('\n')) {
    const fence = /^`{3,}/.exec(line)?.[0];
    if (!fence) continue;
    if (open === null) open = fence;
    else if (line === fence && fence.length >= open.length) open = null;
  }
  const closing = open ? `\n${open}` : '';
  return truncate(`${cut}${closing}\n\n${note}`, max);
}
