// Literal text inside a regular expression, written once.

/** A literal text inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A Go (RE2) regular expression compiled to a JavaScript one that matches the same strings, or null when it cannot
 * be: what does not compile, and syntax whose meaning differs between the two (inline flags `(?i)`, lookaround,
 * POSIX classes `[[:alpha:]]`, `\A` `\z` `\Q…\E` `\C` `\p`, `\s` (Go's has no `\v`), octal or back references
 * `\1`). A caller fails closed on null rather than guess. Code points are matched (the `u` flag), `.` is Go's (not
 * `\n`, nothing else excluded), and what Go takes literally (a lone `{`, `}` or `]`, any escaped punctuation) is
 * written so the `u` flag takes it literally too.
 */
export function goRegExp(pattern: string): RegExp | null {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || /[0-9AzQECpPsS]/.test(next) || (inClass && next === 'b')) return null;
      out += /[A-Za-z]/.test(next) ? `\\${next}` : `\\u{${next.codePointAt(0)!.toString(16)}}`;
      i++;
    } else if (inClass) {
      if (c === '[') {
        if (pattern[i + 1] === ':') return null;
        out += '\\[';
      } else {
        if (c === ']') inClass = false;
        out += c;
      }
    } else if (c === '[') {
      inClass = true;
      out += '[';
      if (pattern[i + 1] === '^') (out += '^'), i++;
      // A `]` first in a class is a member in Go (an empty class in JavaScript).
      if (pattern[i + 1] === ']') (out += '\\]'), i++;
      if (pattern[i + 1] === '[' && pattern[i + 2] === ':') return null;
    } else if (c === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] === ':') (out += '(?:'), (i += 2);
      else if (pattern.startsWith('P<', i + 2)) (out += '(?<'), (i += 3);
      else if (pattern[i + 2] === '<' && /[A-Za-z_]/.test(pattern[i + 3] ?? '')) (out += '(?<'), (i += 2);
      else return null;
    } else if (c === '{') {
      const repeat = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!repeat) out += '\\{';
      else {
        // Go refuses a count over 1000.
        if (Number(repeat[1]) > 1000 || Number(repeat[3] || 0) > 1000) return null;
        out += repeat[0];
        i += repeat[0].length - 1;
      }
    } else if (c === '}' || c === ']') out += `\\${c}`;
    else if (c === '.') out += '[^\\n]';
    else out += c;
  }
  if (inClass) return null;
  try {
    return new RegExp(out, 'u');
  } catch {
    return null;
  }
}
