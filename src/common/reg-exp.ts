// Literal text inside a regular expression, and Go's regular expressions (RE2 syntax) on JavaScript's engine, each
// written once: Kustomize's patterns and the Helm/Sprig template functions read Go's syntax alike.

/** A literal text inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Go's \s: [\t\n\f\r ] (JavaScript's \s has \v and Unicode spaces too). */
const GO_SPACE = '\\t\\n\\f\\r ';

/**
 * The Unicode general categories both name and read alike. Go's `C` leaves out unassigned code points (JavaScript's
 * has them); its other names (scripts, `Any`, `ASCII`, long aliases) depend on its version or are spelled otherwise
 * in JavaScript.
 */
const SHARED_CATEGORY = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfos])$/;

/** A Go regular expression Warden cannot match exactly as Go does; the message begins as Go's parse errors do. */
export class UntranslatableGoRegExp extends Error {}

/**
 * A Go regular expression compiled to a JavaScript one that matches the same strings, or null when it cannot be
 * (goRegExpOrThrow says which): a caller fails closed on null rather than guess.
 */
export function goRegExp(pattern: string): RegExp | null {
  try {
    return goRegExpOrThrow(pattern);
  } catch (error) {
    if (error instanceof UntranslatableGoRegExp) return null;
    throw error;
  }
}

/**
 * A Go regular expression compiled to a JavaScript one (`global` for Go's iteration over matches) that matches the
 * same strings, rewritten where the two read the same text differently: `.` (not `\n` unless (?s)), `\s` `\S`,
 * `^` `$` under (?m) (lines end at `\n` only), `\A` `\z`, flag groups (`(?i)`, `(?s:…)`, `(?-m)`, each holding to the
 * end of its group), what Go takes literally (any escaped ASCII punctuation, a `{` that is no repeat, a lone `}` or
 * `]`, a `]` first in a class). Throws UntranslatableGoRegExp on what does not compile, and on what it cannot write
 * exactly: (?U), (?i) on only part of the pattern (JavaScript's flag is for all of it) or with `\b` `\B` (ASCII in Go,
 * case-folded in JavaScript) or `\P` (folded then negated in Go, the other way in JavaScript), lookaround, POSIX
 * classes, `\Q…\E` `\C`, octal and back references, `\p` past the shared categories, a repeat over 1000 (or repeats
 * nested past 1000 copies in all), `\S` in a class. Case folding and categories are by each side's Unicode tables, which may differ on characters Unicode
 * added lately.
 */
export function goRegExpOrThrow(pattern: string, options: { global?: boolean } = {}): RegExp {
  const refuse: (what: string) => never = (what) => {
    throw new UntranslatableGoRegExp(`error parsing regexp: ${what} in ${JSON.stringify(pattern)}: Warden does not match it as Go does`);
  };
  // `s` and `m` are written into the translation, so they may change anywhere; `i` is JavaScript's flag, kept when
  // every character and class matched is under the same (?i).
  let flags = { i: false, m: false, s: false };
  const outerFlags: (typeof flags)[] = [];
  const foldedAt = new Set<boolean>();
  let wordBoundary = false;
  let negatedProperty = false;
  let out = '';
  let inClass = false;
  // Go refuses repeats nested past 1000 copies in all ((?:a{2}){501}): the most copies a repeat makes of what the
  // group holds so far, of the atom just read, and of each enclosing group's content so far.
  let copies = 1;
  let lastAtom = 1;
  const outerCopies: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    let atom = 1;
    if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) refuse('a trailing backslash');
      else if (next === 's') out += inClass ? GO_SPACE : `[${GO_SPACE}]`;
      else if (next === 'S') out += inClass ? refuse('\\S inside a class') : `[^${GO_SPACE}]`;
      else if (next === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (next === 'z' && !inClass) out += '(?![\\s\\S])';
      else if ((next === 'b' || next === 'B') && !inClass) (wordBoundary = true), (out += `\\${next}`);
      else if ('dDwWfnrtv'.includes(next)) foldedAt.add(flags.i), (out += `\\${next}`);
      else if (next === 'a') out += '\\x07';
      else if (next === 'x') {
        const hex = /^(?:[0-9A-Fa-f]{2}|\{([0-9A-Fa-f]+)\})/.exec(pattern.slice(i + 1));
        if (!hex || (hex[1] !== undefined && parseInt(hex[1], 16) > 0x10ffff)) refuse('a \\x escape that is not one');
        foldedAt.add(flags.i);
        out += hex[1] === undefined ? `\\x${hex[0]}` : `\\u{${hex[1]}}`;
        i += hex[0].length;
      } else if (next === 'p' || next === 'P') {
        const name = /^(?:\{([^}]*)\}|([A-Za-z]))/.exec(pattern.slice(i + 1));
        const category = name?.[1] ?? name?.[2];
        if (!name || !SHARED_CATEGORY.test(category ?? '')) refuse(`the class \\${next}${name?.[0] ?? ''}`);
        foldedAt.add(flags.i);
        if (next === 'P') negatedProperty = true;
        out += `\\${next}{${category}}`;
        i += name[0].length;
      }
      // Go takes any escaped ASCII punctuation as itself; JavaScript's unicode mode only some: written as its code.
      else if (next < '\x80' && !/[0-9A-Za-z]/.test(next)) foldedAt.add(flags.i), (out += `\\x${next.charCodeAt(0).toString(16).padStart(2, '0')}`);
      else refuse(`the escape \\${next}`);
      // A `-` after a class escape bounds no range in Go: it is itself (written as its code, not to bound one here).
      if (inClass && 'sdDwWpP'.includes(next) && pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']') (out += '\\x2d'), i++;
    } else if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') refuse('a POSIX class');
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
    } else if (c === '[') {
      inClass = true;
      foldedAt.add(flags.i);
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      // A `]` first in a class (after an optional `^`) is a member in Go, an empty class in JavaScript.
      if (pattern[i + 1] === ']') (out += '\\]'), i++;
    } else if (c === '.') {
      out += flags.s ? '[\\s\\S]' : '[^\\n]';
    } else if (c === '^' && flags.m) {
      // Go's (?m) lines end at \n only (JavaScript's also at \r, U+2028 and U+2029).
      out += '(?<![^\\n])';
    } else if (c === '$' && flags.m) {
      out += '(?![^\\n])';
    } else if (c === '(') {
      outerFlags.push(flags);
      outerCopies.push(copies);
      copies = 1;
      const rest = pattern.slice(i);
      // (?flags) or (?flags:…): flags to set, then after `-` flags to clear (not none, nor an empty clear).
      const flagGroup = /^\(\?([imsU]*)(?:-([imsU]+))?([:)])/.exec(rest);
      if (rest[1] !== '?') out += '(';
      else if (rest.startsWith('(?:')) (out += '(?:'), (i += 2);
      // Go's (?P<name>…) is JavaScript's (?<name>…).
      else if (/^\(\?P?<(?![=!])/.test(rest)) {
        out += '(?<';
        i += rest.startsWith('(?P<') ? 3 : 2;
      } else if (flagGroup && (flagGroup[1] || flagGroup[2])) {
        const [whole, set, clear = '', end] = flagGroup;
        if (set!.includes('U')) refuse('the ungreedy flag (?U)');
        flags = { ...flags };
        for (const flag of set!) flags[flag as 'i' | 'm' | 's'] = true;
        for (const flag of clear) if (flag !== 'U') flags[flag as 'i' | 'm' | 's'] = false;
        i += whole.length - 1;
        if (end === ':') out += '(?:';
        else {
          // (?flags) opens no group: its flags hold to the end of the one around it; and nothing repeats it.
          outerFlags.pop();
          copies = outerCopies.pop()!;
          if (/^[*+?{]/.test(pattern.slice(i + 1))) refuse('a repeated flag group');
        }
      } else refuse(`the group ${JSON.stringify(rest.slice(0, 4))}`);
    } else if (c === ')') {
      flags = outerFlags.pop() ?? refuse('an unopened )');
      atom = copies;
      copies = Math.max(outerCopies.pop()!, copies);
      out += c;
    } else if (c === '{') {
      // Go repeats by {n}, {n,} and {n,m} with no leading zeros and at most 1000; any other `{` is itself.
      const repeat = /^\{(0|[1-9]\d*)(,(0|[1-9]\d*)?)?\}/.exec(pattern.slice(i));
      if (!repeat) foldedAt.add(flags.i), (out += '\\{');
      else {
        if (Number(repeat[1]) > 1000 || Number(repeat[3] ?? 0) > 1000) refuse('a repeat count over 1000');
        // Counted as Go counts: by the most (the least when unbounded); {0} repeats nothing, {0,} adds no copies.
        const most = repeat[2] === undefined ? Number(repeat[1]) : repeat[3] === undefined ? -1 : Number(repeat[3]);
        atom = most === 0 ? 1 : Math.max(most < 0 ? Number(repeat[1]) : most, 1) * lastAtom;
        if (atom > 1000) refuse('repeats nested past 1000 copies');
        copies = Math.max(copies, atom);
        out += repeat[0];
        i += repeat[0].length - 1;
      }
    } else if (c === '}' || c === ']') {
      foldedAt.add(flags.i);
      out += `\\${c}`;
    } else {
      if (!'|*+?^$'.includes(c)) foldedAt.add(flags.i);
      // A repeat by * + ? (or its lazy ?) counts no copies: it makes as many of what it repeats as that held.
      if ('*+?'.includes(c)) atom = lastAtom;
      out += c;
    }
    lastAtom = atom;
  }
  const ignoreCase = foldedAt.has(true);
  if (ignoreCase && foldedAt.has(false)) refuse('(?i) on only part of it');
  if (ignoreCase && wordBoundary) refuse('\\b or \\B with (?i)');
  if (ignoreCase && negatedProperty) refuse('\\P with (?i)');
  try {
    return new RegExp(out, `u${ignoreCase ? 'i' : ''}${options.global ? 'g' : ''}`);
  } catch (error) {
    throw new UntranslatableGoRegExp(`error parsing regexp: ${(error as Error).message}`);
  }
}
