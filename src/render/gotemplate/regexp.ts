// Go's regexp (RE2 syntax) on JavaScript's engine: the pattern is rewritten where the two read the same text
// differently (`.`, `\s`, `^`/`$` with (?m), `\A`, `\z`), and Go's iteration over matches is kept (an empty match
// right after a match is skipped; `$1x` names group "1x"). What cannot be rewritten exactly fails closed.
import { FunctionError } from './exec.js';

/** Go's \s: [\t\n\f\r ] (JavaScript's \s has \v and Unicode spaces too). */
const GO_SPACE = '\\t\\n\\f\\r ';

function unsupported(pattern: string, what: string): never {
  throw new FunctionError(`error parsing regexp: ${what} in ${JSON.stringify(pattern)}: Warden does not match it as Go does`);
}

/** A Go regexp as a JavaScript RegExp (global, unicode) that matches the same text. */
export function goRegExp(pattern: string): RegExp {
  let source = pattern;
  let dotAll = false;
  let multiline = false;
  let ignoreCase = false;
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const flag of inline[1]!) {
      if (flag === 'U') unsupported(pattern, 'the ungreedy flag (?U)');
      if (flag === 's') dotAll = true;
      if (flag === 'm') multiline = true;
      if (flag === 'i') ignoreCase = true;
    }
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      i++;
      if (next === undefined) unsupported(pattern, 'a trailing backslash');
      if (next === 's') out += inClass ? GO_SPACE : `[${GO_SPACE}]`;
      else if (next === 'S') out += inClass ? unsupported(pattern, '\\S inside a class') : `[^${GO_SPACE}]`;
      else if (next === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (next === 'z' && !inClass) out += '(?![\\s\\S])';
      // Go lets any punctuation be escaped to itself; JavaScript's unicode mode only some: written as its code.
      else if (/[!-/:-@[-`{-~]/.test(next)) out += `\\x${next.charCodeAt(0).toString(16).padStart(2, '0')}`;
      else out += `\\${next}`;
    } else if (inClass) {
      if (c === '[' && source[i + 1] === ':') unsupported(pattern, 'a POSIX class');
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // A `]` first in a class (after an optional `^`) is a literal in Go.
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (c === '.') {
      out += dotAll ? '[\\s\\S]' : '[^\\n]';
    } else if (c === '^' && multiline) {
      // Go's (?m) lines end at \n only (JavaScript's also at \r, U+2028 and U+2029).
      out += '(?<![^\\n])';
    } else if (c === '$' && multiline) {
      out += '(?![^\\n])';
    } else if (c === '(' && source[i + 1] === '?') {
      // Go's (?P<name>…) is JavaScript's (?<name>…); flags inside the pattern are not read the same.
      if (source.startsWith('(?P<', i)) {
        out += '(?<';
        i += 3;
      } else if (source.startsWith('(?:', i)) {
        out += '(?:';
        i += 2;
      } else if (source.startsWith('(?<', i) && !/^\(\?<[=!]/.test(source.slice(i))) {
        out += '(?<';
        i += 2;
      } else {
        unsupported(pattern, `the group ${JSON.stringify(source.slice(i, i + 4))}`);
      }
    } else {
      out += c;
    }
  }
  try {
    return new RegExp(out, `gu${ignoreCase ? 'i' : ''}`);
  } catch (error) {
    throw new FunctionError(`error parsing regexp: ${(error as Error).message}`);
  }
}

/** Go's iteration over the matches of `re` in `text` (FindAll…): at most `n` (n < 0: all); an empty match right after a match is not one. */
export function goMatches(re: RegExp, text: string, n = -1): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      if (m.index === prevEnd) accept = false;
      pos += Math.max(1, String.fromCodePoint(text.codePointAt(pos) ?? 0).length);
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Go's Regexp.ReplaceAllString(text, repl) (`expand`: $1, ${name}, $$ as Go's Expand reads them) or ReplaceAllLiteralString. */
export function goReplaceAll(re: RegExp, text: string, repl: string, expand: boolean): string {
  let out = '';
  let lastEnd = 0;
  let searchPos = 0;
  while (searchPos <= text.length) {
    re.lastIndex = searchPos;
    const m = re.exec(text);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    out += text.slice(lastEnd, start);
    // No replacement for an empty match right after a match (Go's rule against double replacement).
    if (end > lastEnd || start === 0) out += expand ? goExpand(repl, m) : repl;
    lastEnd = end;
    const width = Math.max(1, String.fromCodePoint(text.codePointAt(searchPos) ?? 0).length);
    searchPos = searchPos + width > end ? searchPos + width : end;
  }
  return out + text.slice(lastEnd);
}

/** Go's Regexp.Expand: `$name` takes the longest run of letters, digits and `_`; a group that is not there is empty. */
function goExpand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(?:\$|\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))?/gu, (all, braced?: string, bare?: string) => {
    if (all === '$$') return '$';
    const name = braced ?? bare;
    if (name === undefined) return all;
    if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
    return m.groups?.[name] ?? '';
  });
}

/** Go's Regexp.Split(text, n). */
export function goSplit(re: RegExp, pattern: string, text: string, n: number): string[] {
  if (n === 0) return [];
  if (pattern.length > 0 && text.length === 0) return [''];
  const parts: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of goMatches(re, text, n)) {
    if (n > 0 && parts.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) parts.push(text.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== text.length) parts.push(text.slice(beg));
  return parts;
}
