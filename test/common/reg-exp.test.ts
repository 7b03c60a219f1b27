// Go's regular expressions (RE2 syntax) on JavaScript's engine: one translation for Kustomize's patterns (null on
// what it cannot match exactly) and the Sprig template functions (a throw). Each expectation is Go's reading, as its
// regexp/syntax documentation gives it.
import { describe, expect, it } from 'vitest';
import { goRegExp, goRegExpOrThrow, UntranslatableGoRegExp } from '../../src/common/reg-exp.js';

const matches = (pattern: string, text: string) => goRegExp(pattern)!.test(text);

describe('goRegExp', () => {
  it('matches as Go does where the two agree', () => {
    expect(matches('^a|b$', 'ax')).toBe(true);
    expect(matches('^[]a]$', ']')).toBe(true);
    expect(matches('^a{$', 'a{')).toBe(true);
    expect(matches('^x\\-y$', 'x-y')).toBe(true);
    expect(matches('^(?P<n>a)b$', 'ab')).toBe(true);
    expect(matches('^.$', '\r')).toBe(true);
  });

  it("rewrites what the two read differently: \\s, `.`, `$`, \\A, \\z, (?m), (?s), what Go takes literally", () => {
    // Go's \s is [\t\n\f\r ]: neither \v nor a Unicode space, as JavaScript's is.
    for (const space of ['\t', '\n', '\f', '\r', ' ']) expect(matches('^\\s$', space), JSON.stringify(space)).toBe(true);
    for (const other of ['\v', '\u00a0', '\u2028']) expect(matches('^\\s$', other), JSON.stringify(other)).toBe(false);
    expect(matches('^\\S[\\s]$', '\v\t')).toBe(true);
    // `.` is not \n unless (?s); `$` is the end of the text (not before a last \n); \A and \z are its ends.
    expect(matches('^a.b$', 'a\nb')).toBe(false);
    expect(matches('(?s)^a.b$', 'a\nb')).toBe(true);
    expect(matches('^a$', 'a\n')).toBe(false);
    expect(matches('\\Aa\\z', 'a')).toBe(true);
    expect(matches('a\\z', 'a\n')).toBe(false);
    // (?m) lines end at \n only.
    expect(matches('(?m)^b$', 'a\nb\nc')).toBe(true);
    expect(matches('(?m)^b$', 'a\rb')).toBe(false);
    // A `{` that is no repeat (a leading zero) is itself; \x{…}, \a and escaped punctuation (a space too) are characters.
    expect(matches('^a{01}$', 'a{01}')).toBe(true);
    expect(matches('^\\x{1F600}\\a\\ \\#$', '\u{1F600}\x07 #')).toBe(true);
    expect(matches('^\\p{Lu}\\pN$', 'A1')).toBe(true);
  });

  it('reads a `-` after a class escape in a class as itself, as Go does (it bounds no range)', () => {
    // Go's [\s-z] is \s, `-` and `z`: not the range from a space to `z` that \s written as its characters would open.
    expect(matches('^[\\s-z]$', 'a')).toBe(false);
    expect(matches('^[\\s-z]+$', '- z')).toBe(true);
    // [\w-.] is \w, `-` and `.` in Go (JavaScript refuses a range from \w).
    expect(matches('^[\\w-.]+$', 'model-v1.2')).toBe(true);
    expect(matches('^[\\d-\\pL]+$', '1-a')).toBe(true);
  });

  it('(?i) and other flags hold to the end of their group, as Go scopes them (kustomize anchors its patterns in one)', () => {
    expect(matches('^(?:(?i)triton)$', 'TriTon')).toBe(true);
    expect(matches('^(?i:triton)$', 'TRITON')).toBe(true);
    expect(matches('^(?:(?i)triton)$', 'tritonx')).toBe(false);
    // Go folds the Kelvin sign and the long s to k and s, as JavaScript does.
    expect(matches('(?i)^ks\\w$', '\u212a\u017fK')).toBe(true);
    expect(matches('^(?:(?s).)(?-s:.)$', '\nx')).toBe(true);
    expect(matches('^(?:(?s).)(?-s:.)$', '\n\n')).toBe(false);
  });

  it('is null on what it cannot match exactly, or what Go refuses', () => {
    const different = [
      // JavaScript's i flag is for the whole pattern; its \b is case-folded; it folds \P's complement.
      'a(?i)b', '(?i)\\bx', '(?i)\\P{Lu}', '(?U)a+', '(?i)*',
      // Lookaround, POSIX classes, \Q…\E, back references and octal, \p past the shared categories.
      '(?=a)', '(?<=a)b', '[[:alpha:]]', '\\Qa\\E', '(a)\\1', '\\0', '\\p{Greek}', '\\p{C}',
      // Escapes Go refuses and JavaScript reads: \k<n>, \u0041, \cA, [\b], a non-ASCII one.
      '(?<n>a)\\k<n>', '\\u0041', '\\cA', '[\\b]', '\\é', '[\\S]',
      'a{1001}', '(a', '[a', 'a)', '\\',
    ];
    for (const pattern of different) expect(goRegExp(pattern), pattern).toBeNull();
  });

  it('refuses repeats nested past 1000 copies in all, as Go does (JavaScript compiles them)', () => {
    for (const pattern of ['(?:a{2}){501}', '(?:(?:a{10})*){101}', '(a{30}|b{40}){30}', '((?:a{2,3}){10,}){34}']) expect(goRegExp(pattern), pattern).toBeNull();
    // Up to 1000 in all, an unbounded repeat counting its least, a {0} not counting what it repeats.
    for (const pattern of ['(?:a{2}){500}', '(a{20}|b{25}){40}', '(?:a{0,}){1000}', '(?:a{1000}){0}', '(?:a{10}){1}b{1000}']) expect(goRegExp(pattern), pattern).not.toBeNull();
  });
});

describe('goRegExpOrThrow', () => {
  it('throws, saying what and where, as Go says a pattern does not parse; `global` for iterating over matches', () => {
    expect(() => goRegExpOrThrow('x(?U)a+')).toThrow(UntranslatableGoRegExp);
    expect(() => goRegExpOrThrow('x(?U)a+')).toThrow('error parsing regexp: the ungreedy flag (?U) in "x(?U)a+"');
    expect(() => goRegExpOrThrow('(a')).toThrow(/^error parsing regexp: /);
    expect(goRegExpOrThrow('\\s', { global: true }).flags).toBe('gu');
    expect(goRegExpOrThrow('\\s').flags).toBe('u');
  });
});
