// YAML documents of kinds no rule reads (CustomResourceDefinitions above all: generated schemas of hundreds of KB
// each, most of a real repository's bytes) are recognised from their text and left unparsed, so that a repository
// costs what its manifests cost. Only a document whose kind is certain from a plain reading of its top-level lines
// is left out; anything unusual (flow style, an indented or quoted root, directives, escapes, several `kind:`
// lines, content on a `---` line) is parsed as usual.

/** What the parser may leave unparsed (rules/index.ts says what, from the rules). */
export interface UnreadDocuments {
  /** Whether documents of this kind may be left unparsed (no rule that runs applies to it or looks it up). */
  unread(kind: string): boolean;
  /** Whether a document's text may hold something a rule that reads every kind would report: then it is parsed. */
  mayMatter(documentText: string): boolean;
  /** Whether the document on these lines (1-based, first to last) is to be parsed whatever its kind. */
  keeps?(firstLine: number, lastLine: number): boolean;
}

/** A top-level line that is a plain `key:` (the only kind of top-level line a document may have to be left out). */
const PLAIN_KEY_LINE = /^[A-Za-z_][A-Za-z0-9_./-]*[ \t]*:(?:[ \t]|$)/;
/** A `---` line that starts a document and holds nothing else (a comment at most). */
const BARE_MARKER = /^---[ \t]*(?:#.*)?$/;
/** A kind written plainly, or quoted without escapes. */
const KIND_VALUE = /^(?:([A-Za-z][A-Za-z0-9]*)|"([A-Za-z][A-Za-z0-9]*)"|'([A-Za-z][A-Za-z0-9]*)')$/;

/** A document that surely holds an unread kind: its lines [first, end) of `lines`, and its text's offsets [from, to). */
interface UnreadSpan {
  first: number;
  end: number;
  from: number;
  to: number;
}

/**
 * The text's lines and the documents in it that surely hold an unread kind, in order; null when its documents'
 * bounds are not plain to read (directives, document-end markers, line breaks other than \n, content on a `---`
 * line), and then every document is parsed.
 */
function unreadSpans(text: string, unread: UnreadDocuments): { lines: string[]; spans: UnreadSpan[] } | null {
  if (!text.includes('kind')) return null;
  if (/^(?:%|\.\.\.)/m.test(text) || /[\r\u0085\u2028\u2029]/.test(text)) return null;
  const lines = text.split('\n');
  const spans: UnreadSpan[] = [];
  let first = 0;
  let offset = 0;
  let start = 0;
  const close = (end: number, to: number) => {
    if (end > first && !unread.keeps?.(first + 1, end) && isUnread(lines, first, end, text.slice(start, to), unread)) spans.push({ first, end, from: start, to });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('---')) {
      if (!BARE_MARKER.test(line)) return null; // content on the marker line: the document starts there
      close(i, offset);
      first = i + 1;
      start = offset + line.length + 1;
    }
    offset += line.length + 1;
  }
  close(lines.length, text.length);
  return { lines, spans };
}

/**
 * The text with each document that surely holds an unread kind blanked: it becomes one quoted scalar of spaces
 * (so the document still counts as one), its line breaks stay. Every other document parses exactly as
 * before, at the same offsets, lines and document index; the text is returned unchanged when nothing is left out.
 */
export function blankUnreadDocuments(text: string, unread: UnreadDocuments): string {
  const spans = unreadSpans(text, unread)?.spans ?? [];
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const { from, to } of spans) {
    out += text.slice(at, from);
    out += blankedDocument(text.slice(from, to));
    at = to;
  }
  return out + text.slice(at);
}

/** The top-level keys a document left partly unread keeps: what names it and what a build may select it by. */
const KEPT_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * The text with each document that surely holds an unread kind kept to its `apiVersion`, `kind` and `metadata`: the
 * lines below any other top-level key with nothing after its colon (a CRD's `spec`, its schema) are emptied, so it
 * reads as null. The object is still there, named and labelled, for a build that lists it (src/compose reads values
 * from this text, positions from the text as written: the lines stay where they were). Returned unchanged when no
 * document is left partly unread.
 */
export function blankUnreadBodies(text: string, unread: UnreadDocuments): string {
  const found = unreadSpans(text, unread);
  if (!found) return text;
  const { lines, spans } = found;
  let changed = false;
  for (const { first, end } of spans) {
    let emptying = false;
    for (let i = first; i < end; i++) {
      const line = lines[i]!;
      if (line === '' || line[0] === '#') continue;
      if (line[0] === ' ') {
        if (emptying) {
          lines[i] = '';
          changed = true;
        }
        continue;
      }
      // unreadSpans saw every top-level line as a plain `key:`.
      const colon = line.indexOf(':');
      emptying = !KEPT_KEYS.has(line.slice(0, colon).trim()) && line.slice(colon + 1).replace(/[ \t]+#.*$/, '').trim() === '';
    }
  }
  return changed ? lines.join('\n') : text;
}

/**
 * A document's text with every character but its line breaks made blank, as one single-quoted scalar: the lexer
 * finds a quoted scalar's end with one `indexOf` where it would walk blank lines a character at a time (a
 * 400 KB CRD bundle: 3 ms to parse blanked this way, 30 ms as spaces, 80 ms as written). The scalar is not a
 * mapping, so no resource comes of it.
 */
function blankedDocument(part: string): string {
  // Line by line: a regular expression replacing each character costs a match per character.
  const blank = part
    .split('\n')
    .map((line) => ' '.repeat(line.length))
    .join('\n');
  const first = blank.indexOf(' ');
  const last = blank.lastIndexOf(' ');
  if (first === -1) return part;
  if (first === last) return blank.slice(0, first) + '~' + blank.slice(first + 1);
  return blank.slice(0, first) + "'" + blank.slice(first + 1, last) + "'" + blank.slice(last + 1);
}

/** Whether lines [from, to) are one document whose top-level `kind:` surely names an unread kind. */
function isUnread(lines: readonly string[], from: number, to: number, documentText: string, unread: UnreadDocuments): boolean {
  let kind: string | null = null;
  let root = false;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    const c = line[0];
    if (c === undefined || c === '#') continue;
    if (c === ' ') {
      // The root must be a block mapping at column 0, seen before any indented line.
      if (!root && line.trim() !== '' && !line.trimStart().startsWith('#')) return false;
      continue;
    }
    // A tab, a quoted or complex key, flow style, an anchor, alias or tag, a continuation line: not plain enough.
    if (!PLAIN_KEY_LINE.test(line)) return false;
    root = true;
    // A list deploys its items, whatever its own kind (src/formats/listed-objects.ts).
    if (/^items[ \t]*:/.test(line)) return false;
    if (!/^kind[ \t]*:/.test(line)) continue;
    if (kind !== null) return false; // `kind:` twice: which one Kubernetes reads is not for a line scan to say
    const value = line.slice(line.indexOf(':') + 1).replace(/[ \t]+#.*$/, '').trim();
    const match = KIND_VALUE.exec(value);
    if (!match) return false;
    kind = match[1] ?? match[2] ?? match[3]!;
  }
  if (kind === null || !unread.unread(kind)) return false;
  // Template actions (a chart's templates) and escapes in double-quoted strings (which can spell any value) are
  // for the parser to read; so is whatever a rule reading every kind may report.
  if (documentText.includes('{{') || /"[^"]*\\/.test(documentText)) return false;
  return !unread.mayMatter(documentText);
}
