// Go's iteration over a regexp's matches (FindAll, ReplaceAll, Split) on JavaScript's engine: an empty match right
// after a match is skipped, and `$1x` names group "1x". The pattern itself is translated by src/common/reg-exp.ts.

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
