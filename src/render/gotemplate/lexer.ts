// Tokens of Go's text/template: text between actions, and the words inside `{{ … }}`.
// Trim markers (`{{- `, ` -}}`) are applied here, so the parser sees text already trimmed.

export type TokenType =
  | 'text' | 'open' | 'close' | 'comment'
  | 'keyword' | 'ident' | 'field' | 'variable' | 'dot'
  | 'string' | 'char' | 'number' | 'bool' | 'nil'
  | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'eof';

export interface Token {
  type: TokenType;
  /** The text of the token; for strings and chars, the decoded value; fields and variables keep their chain (`.A.B`, `$x.A`). */
  value: string;
  /** Offset in the source of the first character kept (for text: after trimming). */
  pos: number;
}

export class TemplateSyntaxError extends Error {
  constructor(readonly template: string, readonly line: number, message: string) {
    super(`template: ${template}:${line}: ${message}`);
    this.name = 'TemplateSyntaxError';
  }
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);
const SPACE = /[ \t\r\n]/;

export function lineAt(source: string, pos: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < pos; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** Splits a template into tokens; throws TemplateSyntaxError with the template's name and line. */
export function lex(name: string, source: string): Token[] {
  const tokens: Token[] = [];
  const fail = (pos: number, message: string): never => {
    throw new TemplateSyntaxError(name, lineAt(source, pos), message);
  };
  let pos = 0;
  let trimNextText = false;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    const textEnd = open === -1 ? source.length : open;
    const leftTrim = open !== -1 && source[open + 2] === '-' && SPACE.test(source[open + 3] ?? '');
    let start = pos;
    let end = textEnd;
    if (trimNextText) while (start < end && SPACE.test(source[start]!)) start++;
    if (leftTrim) while (end > start && SPACE.test(source[end - 1]!)) end--;
    if (end > start) tokens.push({ type: 'text', value: source.slice(start, end), pos: start });
    trimNextText = false;
    if (open === -1) break;
    pos = open + (leftTrim ? 3 : 2);
    tokens.push({ type: 'open', value: '{{', pos: open });
    // A comment must follow the delimiter directly (after the trim marker's space).
    let probe = pos;
    while (leftTrim && SPACE.test(source[probe] ?? '')) probe++;
    if (source.startsWith('/*', probe)) {
      const close = source.indexOf('*/', probe + 2);
      if (close === -1) fail(open, 'unclosed comment');
      let after = close + 2;
      let rightTrim = false;
      if (/^[ \t\r\n]+-}}/.test(source.slice(after, after + 64))) {
        while (SPACE.test(source[after]!)) after++;
        after += 1;
        rightTrim = true;
      }
      if (!source.startsWith('}}', after)) fail(close, 'comment ends before closing delimiter');
      tokens.push({ type: 'comment', value: source.slice(probe + 2, close), pos: probe });
      tokens.push({ type: 'close', value: '}}', pos: after });
      pos = after + 2;
      trimNextText = rightTrim;
      continue;
    }
    // Inside an action.
    for (;;) {
      if (pos >= source.length) fail(open, 'unclosed action');
      const c = source[pos]!;
      if (SPACE.test(c)) {
        let p = pos;
        while (SPACE.test(source[p] ?? '')) p++;
        if (source.startsWith('-}}', p)) {
          tokens.push({ type: 'close', value: '}}', pos: p });
          pos = p + 3;
          trimNextText = true;
          break;
        }
        pos = p;
        continue;
      }
      if (source.startsWith('}}', pos)) {
        tokens.push({ type: 'close', value: '}}', pos });
        pos += 2;
        break;
      }
      const single: Record<string, TokenType> = { '|': 'pipe', '(': 'lparen', ')': 'rparen', ',': 'comma', '=': 'assign' };
      if (source.startsWith(':=', pos)) {
        tokens.push({ type: 'declare', value: ':=', pos });
        pos += 2;
      } else if (single[c]) {
        tokens.push({ type: single[c]!, value: c, pos });
        pos++;
      } else if (c === '"') {
        let p = pos + 1;
        while (p < source.length && source[p] !== '"') {
          if (source[p] === '\\') p++;
          if (source[p] === '\n') fail(pos, 'unterminated quoted string');
          p++;
        }
        if (p >= source.length) fail(pos, 'unterminated quoted string');
        tokens.push({ type: 'string', value: unquote(source.slice(pos, p + 1), () => fail(pos, 'invalid syntax in quoted string')), pos });
        pos = p + 1;
      } else if (c === '`') {
        const close = source.indexOf('`', pos + 1);
        if (close === -1) fail(pos, 'unterminated raw quoted string');
        tokens.push({ type: 'string', value: source.slice(pos + 1, close), pos });
        pos = close + 1;
      } else if (c === "'") {
        const m = /^'(\\.[^']*|[^'\\])'/u.exec(source.slice(pos, pos + 16));
        if (!m) fail(pos, 'malformed character constant');
        const decoded = unquote(`"${m![1]}"`, () => fail(pos, 'malformed character constant'));
        tokens.push({ type: 'char', value: String(decoded.codePointAt(0)), pos });
        pos += m![0].length;
      } else if (c === '$') {
        const m = /^\$[\p{L}_\d]*(\.[\p{L}_][\p{L}_\d]*)*/u.exec(source.slice(pos, pos + 256))!;
        tokens.push({ type: 'variable', value: m[0], pos });
        pos += m[0].length;
      } else if (c === '.') {
        const m = /^(\.[\p{L}_][\p{L}_\d]*)+/u.exec(source.slice(pos, pos + 1024));
        if (m) {
          tokens.push({ type: 'field', value: m[0].slice(1), pos });
          pos += m[0].length;
        } else if (/\d/.test(source[pos + 1] ?? '')) {
          pos = number(pos);
        } else {
          tokens.push({ type: 'dot', value: '.', pos });
          pos++;
        }
      } else if (/[\d+-]/.test(c)) {
        pos = number(pos);
      } else if (/[\p{L}_]/u.test(c)) {
        const m = /^[\p{L}_][\p{L}_\d]*/u.exec(source.slice(pos, pos + 256))!;
        const word = m[0];
        const type: TokenType = KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'ident';
        tokens.push({ type, value: word, pos });
        pos += word.length;
      } else {
        fail(pos, `unexpected ${JSON.stringify(c)} in command`);
      }
    }
  }
  tokens.push({ type: 'eof', value: '', pos: source.length });
  return tokens;

  function number(at: number): number {
    const m = /^[+-]?(0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(\d[\d_]*)?\.?\d*([eE][+-]?\d+)?)/.exec(source.slice(at, at + 64));
    const text = m?.[0] ?? '';
    if (!/\d/.test(text)) fail(at, `bad number syntax: ${JSON.stringify(source.slice(at, at + 8))}`);
    tokens.push({ type: 'number', value: text, pos: at });
    return at + text.length;
  }
}

/** Decodes a Go interpreted string literal (escapes as in Go's strconv.Unquote). */
function unquote(literal: string, bad: () => never): string {
  try {
    // Go's escapes that JSON lacks: \a \v \' \x.. \ooo \U........
    const jsonish = literal
      .slice(1, -1)
      .replace(/\\(x[\da-fA-F]{2}|[0-7]{3}|U[\da-fA-F]{8}|a|v|'|.)/g, (all, esc: string) => {
        if (esc === 'a') return '\\u0007';
        if (esc === 'v') return '\\u000b';
        if (esc === "'") return "'";
        if (esc[0] === 'x') return `\\u00${esc.slice(1)}`;
        if (/^[0-7]{3}$/.test(esc)) return `\\u${parseInt(esc, 8).toString(16).padStart(4, '0')}`;
        if (esc[0] === 'U') {
          const cp = String.fromCodePoint(parseInt(esc.slice(1), 16));
          return JSON.stringify(cp).slice(1, -1);
        }
        return all;
      });
    return JSON.parse(`"${jsonish}"`) as string;
  } catch {
    return bad();
  }
}
