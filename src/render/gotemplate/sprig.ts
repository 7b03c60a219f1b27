// The Sprig functions charts use, with Sprig's argument order (the piped value last) and its
// conversions. String edits keep provenance spans; collections record where their items came from.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import semver from 'semver';
import { want } from './builtins.js';
import { goQuote } from './format.js';
import { FunctionError, LimitError, Traced, type Call, type Func } from './exec.js';
import { goMatches, goReplaceAll, goSplit } from './regexp.js';
import { originOf, setOrigin, sliceSpans, spansAfterInserts, spansOf, shiftSpans, type Val } from './trace.js';
import { deepCopy, deepEqual, formatValue, GoStruct, isMap, kindOf, sortedKeys, truth, typeName } from './values.js';
import { ownValue, setOwn } from '../../common/own-key.js';
import { goRegExpOrThrow } from '../../common/reg-exp.js';

type Dict = Record<string, unknown>;

/** Sprig's strval: strings as is, a []byte as its text, everything else as fmt's %v. */
export function str(v: unknown): string {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return typeof v === 'string' ? v : formatValue(v);
}
/** A string argument: nil reads as "" (Helm renders a missing value as empty). */
function s(v: unknown): string {
  return v === null || v === undefined ? '' : str(v);
}
/** cast.ToInt64: numbers truncated, numeric strings parsed, booleans 0/1, anything else 0. */
export function toInt(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^[+-]?0[xX][\da-fA-F]+$/.test(t)) return parseInt(t, 16);
    const n = Number(t);
    return t !== '' && Number.isFinite(n) && /^[+-]?\d+$/.test(t) ? n : 0;
  }
  return 0;
}
function toFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v.trim());
    return v.trim() !== '' && Number.isFinite(n) ? n : 0;
  }
  return 0;
}
function list(v: unknown, name: string): unknown[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  throw new FunctionError(`Cannot ${name} on type ${typeName(v)}`);
}
function dict(v: unknown, name: string): Dict {
  if (isMap(v)) return v;
  throw new FunctionError(`${name}: expected a dict, got ${typeName(v)}`);
}

/**
 * Go has int and float64 where Warden has one number type: a values file's numbers are float64 (Helm decodes
 * values through JSON), a template's literal `1` and what `int`, `len` or `add` return are int. Whatever tells a
 * whole number's Go type apart (kindIs "int", reflect.DeepEqual of 1 and 1.0) fails closed rather than guess.
 */
function unknownNumberType(name: string, n: number): never {
  throw new FunctionError(`${name}: Warden does not know whether ${n} is a Go int or float64 (a values file's numbers are float64, a template's literals int)`);
}
const wholeNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const NUMBER_TYPES = /^\*?(u?int(8|16|32|64)?|uintptr|float(32|64)|complex(64|128))$/;

/** Sprig's kindIs/typeIs/typeIsLike: `kind` names a Go kind or type; a whole number of unknown type fails closed. */
function isKind(name: string, kind: string, v: unknown, actual: (v: unknown) => string): boolean {
  if (wholeNumber(v) && NUMBER_TYPES.test(kind)) unknownNumberType(name, v);
  return !wholeNumber(v) && actual(v) === kind;
}

/** reflect.DeepEqual (has, without, uniq, deepEqual): two equal whole numbers may differ in Go type, so fail closed. */
function reflectEqual(a: unknown, b: unknown, name: string): boolean {
  if (wholeNumber(a) && a === b) unknownNumberType(name, a);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => reflectEqual(x, b[i], name));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && reflectEqual(a[k], b[k], name));
  }
  return deepEqual(a, b);
}

/** sprig's empty: nil, false, 0, "", empty slices and maps (text/template's falsehood). */
export function empty(v: unknown): boolean {
  return !truth(v);
}

/** Keeps each span on the characters it covered after the text is trimmed to [from, to). */
function trimmed(call: Call, text: string, from: number, to: number): Traced {
  const val = call.vals[call.vals.length - 1]!;
  return new Traced({ v: text.slice(from, to), spans: sliceSpans(spansOf(val, text.length), from, to) });
}

function indent(pad: number, text: string, val: Val, leadingNewline: boolean): Traced {
  const spaces = ' '.repeat(Math.max(0, pad));
  const inserts = [{ at: 0, length: spaces.length }];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) inserts.push({ at: i + 1, length: spaces.length });
  let spans = spansAfterInserts(spansOf(val, text.length), inserts);
  let out = spaces + text.replaceAll('\n', `\n${spaces}`);
  if (leadingNewline) {
    out = `\n${out}`;
    spans = shiftSpans(spans, 1);
  }
  return new Traced({ v: out, spans });
}

function semverOf(v: string): semver.SemVer {
  const parsed = semver.parse(v.trim().replace(/^v/, ''), { loose: true }) ?? semver.coerce(v);
  if (!parsed) throw new FunctionError(`Invalid Semantic Version`);
  return parsed;
}

/** Masterminds constraints (`>=1.2.0, <2`, `^1.2 || ~3`, `1.2.x`) checked with npm's semver. */
function semverMatches(constraint: string, version: string): boolean {
  const v = semverOf(version);
  const range = constraint
    .replace(/,/g, ' ')
    .replace(/(^|[\s|<>=~^])v(\d)/g, '$1$2')
    // Masterminds reads a partial version with a prerelease (`1.21-0`) as `1.21.0-0`; npm's semver needs it whole.
    .replace(/(^|[^\d.])(\d+)(?:\.(\d+))?(-[\w.]+)/g, (_m, pre: string, major: string, minor: string | undefined, tail: string) => `${pre}${major}.${minor ?? 0}.0${tail}`);
  if (!semver.validRange(range, { loose: true })) throw new FunctionError(`improper constraint: ${constraint}`);
  // Masterminds lets a prerelease satisfy a constraint that itself names a prerelease (">=1.16-0").
  return semver.satisfies(v, range, { loose: true, includePrerelease: /-/.test(constraint) });
}

/**
 * mergo's merge of one map into another, as Sprig's `merge` (mergo.Merge) and `mergeOverwrite` (mergo.WithOverride)
 * call it: maps merge key by key, in place. Without overwrite a key is set where dst lacks it or holds an empty value;
 * with it, every value of src is set, empty ones (false, "", [], nil) included, except that a map never replaces a
 * value dst holds that is not empty.
 */
function mergeInto(dst: Dict, src: Dict, overwrite: boolean): void {
  for (const [k, v] of Object.entries(src)) {
    const had = Object.hasOwn(dst, k);
    const cur = ownValue(dst, k);
    if (v === null || v === undefined) {
      if (overwrite) {
        setOwn(dst, k, null);
        setOrigin(dst, k, originOf(src, k));
      }
      continue;
    }
    if (isMap(v)) {
      if (isMap(cur)) mergeInto(cur, v, overwrite);
      if (had && !empty(cur)) continue;
    } else if (!overwrite && had && !empty(cur)) {
      continue;
    }
    setOwn(dst, k, v);
    setOrigin(dst, k, originOf(src, k));
  }
}


/** Lists built by a template (until, repeat, …) draw on the render budget like output does. */
function bounded(call: Call, n: number): number {
  const limit = call.exec.budget.limits.maxSteps;
  if (Math.abs(n) > limit) throw new LimitError(call.where, `would build ${n} items`);
  for (let i = 0; i < Math.min(Math.abs(n), limit); i += 256) call.exec.budget.step(call.where);
  return n;
}

function withOrigins(items: unknown[], vals: Val[]): unknown[] {
  vals.forEach((val, i) => setOrigin(items, i, val.origin));
  return items;
}

/** A pattern as Go compiles it, iterated over as Go does; one Warden cannot match exactly stops the render (fails closed). */
const sprigRegExp = (pattern: string) => goRegExpOrThrow(pattern, { global: true });

const stringFns: Record<string, Func> = {
  upper: (a) => s(a[0]).toUpperCase(),
  lower: (a) => s(a[0]).toLowerCase(),
  title: (a) => s(a[0]).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase()),
  untitle: (a) => s(a[0]).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toLowerCase()),
  swapcase: (a) => [...s(a[0])].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  trim: (a, call) => {
    const t = s(a[0]);
    const from = t.length - t.trimStart().length;
    return trimmed(call, t, from, Math.max(from, t.trimEnd().length));
  },
  trimAll: (a, call) => {
    want('trimAll', a, 2);
    const cut = s(a[0]);
    const t = s(a[1]);
    let from = 0;
    let to = t.length;
    while (from < to && cut.includes(t[from]!)) from++;
    while (to > from && cut.includes(t[to - 1]!)) to--;
    return trimmed(call, t, from, to);
  },
  trimPrefix: (a, call) => {
    want('trimPrefix', a, 2);
    const t = s(a[1]);
    return trimmed(call, t, t.startsWith(s(a[0])) ? s(a[0]).length : 0, t.length);
  },
  trimSuffix: (a, call) => {
    want('trimSuffix', a, 2);
    const t = s(a[1]);
    const suffix = s(a[0]);
    return trimmed(call, t, 0, suffix && t.endsWith(suffix) ? t.length - suffix.length : t.length);
  },
  nospace: (a) => s(a[0]).replace(/\s+/gu, ''),
  repeat: (a, call) => {
    want('repeat', a, 2);
    const n = toInt(a[0]);
    if (n < 0) throw new FunctionError('negative Repeat count');
    bounded(call, n * s(a[1]).length);
    return s(a[1]).repeat(n);
  },
  substr: (a) => {
    want('substr', a, 3);
    const [start, end] = [toInt(a[0]), toInt(a[1])];
    const t = s(a[2]);
    if (start < 0) return t.slice(0, end);
    if (end < 0 || end > t.length) return t.slice(start);
    return t.slice(start, end);
  },
  trunc: (a, call) => {
    want('trunc', a, 2);
    const n = toInt(a[0]);
    const t = s(a[1]);
    if (n < 0 && t.length + n > 0) return trimmed(call, t, t.length + n, t.length);
    if (n >= 0 && t.length > n) return trimmed(call, t, 0, n);
    return trimmed(call, t, 0, t.length);
  },
  abbrev: (a) => {
    want('abbrev', a, 2);
    const n = toInt(a[0]);
    const t = s(a[1]);
    return n < 4 || t.length <= n ? t : `${t.slice(0, n - 3)}...`;
  },
  initials: (a) => s(a[0]).split(/\s+/).filter(Boolean).map((w) => [...w][0]).join(''),
  wrapWith: (a) => {
    want('wrapWith', a, 3);
    return wrap(s(a[2]), toInt(a[0]), s(a[1]));
  },
  wrap: (a) => {
    want('wrap', a, 2);
    return wrap(s(a[1]), toInt(a[0]), '\n');
  },
  contains: (a) => (want('contains', a, 2), s(a[1]).includes(s(a[0]))),
  hasPrefix: (a) => (want('hasPrefix', a, 2), s(a[1]).startsWith(s(a[0]))),
  hasSuffix: (a) => (want('hasSuffix', a, 2), s(a[1]).endsWith(s(a[0]))),
  quote: (a, call) => {
    const parts = a.filter((x) => x !== null && x !== undefined).map((x) => goQuote(str(x)));
    const only = call.vals.filter((x) => x.v !== null && x.v !== undefined);
    // One plain string keeps its spans, moved past the opening quote.
    if (only.length === 1 && parts[0] === `"${str(only[0]!.v)}"`) {
      return new Traced({ v: parts[0], spans: shiftSpans(spansOf(only[0]!, str(only[0]!.v).length), 1) });
    }
    return parts.join(' ');
  },
  squote: (a, call) => {
    const parts = a.filter((x) => x !== null && x !== undefined).map((x) => `'${str(x)}'`);
    const only = call.vals.filter((x) => x.v !== null && x.v !== undefined);
    if (only.length === 1) return new Traced({ v: parts[0], spans: shiftSpans(spansOf(only[0]!, str(only[0]!.v).length), 1) });
    return parts.join(' ');
  },
  cat: (a) => a.filter((x) => x !== null && x !== undefined).map(str).join(' '),
  indent: (a, call) => (want('indent', a, 2), indent(toInt(a[0]), s(a[1]), call.vals[1]!, false)),
  nindent: (a, call) => (want('nindent', a, 2), indent(toInt(a[0]), s(a[1]), call.vals[1]!, true)),
  replace: (a) => (want('replace', a, 3), s(a[2]).replaceAll(s(a[0]), s(a[1]))),
  plural: (a) => (want('plural', a, 3), toInt(a[2]) === 1 ? s(a[0]) : s(a[1])),
  snakecase: (a) => words(s(a[0])).map((w) => w.toLowerCase()).join('_'),
  kebabcase: (a) => words(s(a[0])).map((w) => w.toLowerCase()).join('-'),
  camelcase: (a) => s(a[0]).split(/[_\s-]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''),
  toString: (a: unknown[]) => (want('toString', a, 1), str(a[0])),
  toStrings: (a) => list(a[0], 'toStrings').map((x) => (x === null || x === undefined ? '' : str(x))),
  join: (a) => {
    want('join', a, 2);
    const items = Array.isArray(a[1]) ? a[1] : [a[1]];
    return items.filter((x) => x !== null && x !== undefined).map(str).join(s(a[0]));
  },
  split: (a) => {
    want('split', a, 2);
    const out: Dict = {};
    s(a[1]).split(s(a[0])).forEach((part, i) => (out[`_${i}`] = part));
    return out;
  },
  splitList: (a) => (want('splitList', a, 2), s(a[1]).split(s(a[0]))),
  splitn: (a) => {
    want('splitn', a, 3);
    const n = toInt(a[1]);
    const parts = s(a[2]).split(s(a[0]));
    const kept = n > 0 && parts.length > n ? [...parts.slice(0, n - 1), parts.slice(n - 1).join(s(a[0]))] : parts;
    const out: Dict = {};
    kept.forEach((part, i) => (out[`_${i}`] = part));
    return out;
  },
  sortAlpha: (a) => list(a[0], 'sortAlpha').map((x) => str(x)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
  regexMatch: (a) => (want('regexMatch', a, 2), goMatches(sprigRegExp(s(a[0])), s(a[1]), 1).length > 0),
  regexFind: (a) => (want('regexFind', a, 2), goMatches(sprigRegExp(s(a[0])), s(a[1]), 1)[0]?.[0] ?? ''),
  regexFindAll: (a) => {
    want('regexFindAll', a, 3);
    return goMatches(sprigRegExp(s(a[0])), s(a[1]), toInt(a[2])).map((m) => m[0]);
  },
  regexReplaceAll: (a) => (want('regexReplaceAll', a, 3), goReplaceAll(sprigRegExp(s(a[0])), s(a[1]), s(a[2]), true)),
  regexReplaceAllLiteral: (a) => (want('regexReplaceAllLiteral', a, 3), goReplaceAll(sprigRegExp(s(a[0])), s(a[1]), s(a[2]), false)),
  regexSplit: (a) => (want('regexSplit', a, 3), goSplit(sprigRegExp(s(a[0])), s(a[0]), s(a[1]), toInt(a[2]))),
  regexQuoteMeta: (a) => s(a[0]).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
  b64enc: (a) => Buffer.from(s(a[0]), 'utf8').toString('base64'),
  b64dec: (a) => Buffer.from(s(a[0]), 'base64').toString('utf8'),
  b32enc: (a) => base32(Buffer.from(s(a[0]), 'utf8')),
  sha256sum: (a) => createHash('sha256').update(s(a[0])).digest('hex'),
  sha1sum: (a) => createHash('sha1').update(s(a[0])).digest('hex'),
  adler32sum: (a) => String(adler32(Buffer.from(s(a[0]), 'utf8'))),
  semverCompare: (a) => (want('semverCompare', a, 2), semverMatches(s(a[0]), s(a[1]))),
  semver: (a) => {
    const v = semverOf(s(a[0]));
    return new GoStruct('*semver.Version', {
      Major: v.major, Minor: v.minor, Patch: v.patch, Prerelease: v.prerelease.join('.'), Metadata: v.build.join('.'), Original: s(a[0]),
    });
  },
  // Random and time functions: a review needs a stable render, so they render a fixed value of the right shape.
  randAlphaNum: (a) => 'x'.repeat(Math.max(0, toInt(a[0]))),
  randAlpha: (a) => 'x'.repeat(Math.max(0, toInt(a[0]))),
  randNumeric: (a) => '0'.repeat(Math.max(0, toInt(a[0]))),
  randAscii: (a) => 'x'.repeat(Math.max(0, toInt(a[0]))),
  uuidv4: () => '00000000-0000-4000-8000-000000000000',
};

/** Go's path.Clean: `.` for nothing, no trailing slash but the root's. */
function cleanPath(p: string): string {
  if (p === '') return '.';
  const normal = posix.normalize(p);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/** Sprig's path functions: Go's `path` package, slash-separated whatever the OS. */
const pathFns: Record<string, Func> = {
  base: (a) => {
    const p = s(a[0]).replace(/\/+$/, '');
    if (p === '') return s(a[0]) === '' ? '.' : '/';
    return p.slice(p.lastIndexOf('/') + 1);
  },
  dir: (a) => {
    const p = s(a[0]);
    return cleanPath(p.slice(0, p.lastIndexOf('/') + 1));
  },
  clean: (a) => cleanPath(s(a[0])),
  ext: (a) => {
    const p = s(a[0]);
    for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
    return '';
  },
  isAbs: (a) => s(a[0]).startsWith('/'),
};

const logicFns: Record<string, Func> = {
  default: (a) => {
    want('default', a, 1, 2);
    return a.length < 2 || empty(a[1]) ? a[0] : a[1];
  },
  empty: (a) => (want('empty', a, 1), empty(a[0])),
  coalesce: (a) => a.find((x) => !empty(x)) ?? null,
  all: (a) => a.every((x) => !empty(x)),
  any: (a) => a.some((x) => !empty(x)),
  ternary: (a) => (want('ternary', a, 3), truth(a[2]) ? a[0] : a[1]),
  fail: (a) => {
    throw new FunctionError(s(a[0]));
  },
  kindOf: (a) => (wholeNumber(a[0]) ? unknownNumberType('kindOf', a[0]) : kindOf(a[0])),
  kindIs: (a) => (want('kindIs', a, 2), isKind('kindIs', s(a[0]), a[1], kindOf)),
  typeOf: (a) => (wholeNumber(a[0]) ? unknownNumberType('typeOf', a[0]) : typeName(a[0])),
  typeIs: (a) => (want('typeIs', a, 2), isKind('typeIs', s(a[0]), a[1], typeName)),
  typeIsLike: (a) => (want('typeIsLike', a, 2), isKind('typeIsLike', s(a[0]), a[1], typeName) || isKind('typeIsLike', `*${s(a[0])}`, a[1], typeName)),
  deepEqual: (a) => (want('deepEqual', a, 2), reflectEqual(a[0], a[1], 'deepEqual')),
  atoi: (a) => toInt(typeof a[0] === 'string' ? a[0] : s(a[0])),
  int: (a) => toInt(a[0]),
  int64: (a) => toInt(a[0]),
  float64: (a) => toFloat(a[0]),
  toDecimal: (a) => parseInt(s(a[0]), 8) || 0,
  add: (a) => a.reduce<number>((sum, x) => sum + toInt(x), 0),
  add1: (a) => toInt(a[0]) + 1,
  sub: (a) => (want('sub', a, 2), toInt(a[0]) - toInt(a[1])),
  mul: (a) => a.reduce<number>((p, x) => p * toInt(x), 1),
  div: (a) => {
    want('div', a, 2);
    if (toInt(a[1]) === 0) throw new FunctionError('integer divide by zero');
    return Math.trunc(toInt(a[0]) / toInt(a[1]));
  },
  mod: (a) => {
    want('mod', a, 2);
    if (toInt(a[1]) === 0) throw new FunctionError('integer divide by zero');
    return toInt(a[0]) % toInt(a[1]);
  },
  max: (a) => Math.max(...a.map(toInt)),
  min: (a) => Math.min(...a.map(toInt)),
  addf: (a) => a.reduce<number>((sum, x) => sum + toFloat(x), 0),
  subf: (a) => a.slice(1).reduce<number>((d, x) => d - toFloat(x), toFloat(a[0])),
  mulf: (a) => a.reduce<number>((p, x) => p * toFloat(x), 1),
  divf: (a) => a.slice(1).reduce<number>((d, x) => d / toFloat(x), toFloat(a[0])),
  maxf: (a) => Math.max(...a.map(toFloat)),
  minf: (a) => Math.min(...a.map(toFloat)),
  floor: (a) => Math.floor(toFloat(a[0])),
  ceil: (a) => Math.ceil(toFloat(a[0])),
  round: (a) => {
    const p = 10 ** toInt(a[1] ?? 0);
    return Math.round(toFloat(a[0]) * p) / p;
  },
  until: (a, call) => {
    const n = bounded(call, toInt(a[0]));
    const step = n < 0 ? -1 : 1;
    const out: number[] = [];
    for (let i = 0; i !== n; i += step) out.push(i);
    return out;
  },
  untilStep: (a, call) => {
    want('untilStep', a, 3);
    const [start, stop, step] = a.map(toInt) as [number, number, number];
    if (step === 0 || (step > 0 && start >= stop) || (step < 0 && start <= stop)) return [];
    bounded(call, Math.ceil((stop - start) / step));
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
    return out;
  },
  seq: (a, call) => {
    const n = a.map(toInt);
    const [start, stop, step] = n.length === 1 ? [1, n[0]!, 1] : n.length === 2 ? [n[0]!, n[1]!, n[0]! <= n[1]! ? 1 : -1] : [n[0]!, n[2]!, n[1]!];
    if (step === 0 || (step > 0 && start > stop) || (step < 0 && start < stop)) return '';
    bounded(call, Math.ceil((stop - start) / step));
    const out: number[] = [];
    for (let i = start; step > 0 ? i <= stop : i >= stop; i += step) out.push(i);
    return out.join(' ');
  },
};

const listFns: Record<string, Func> = {
  list: (a, call) => withOrigins([...a], call.vals),
  first: (a, call) => {
    const l = list(a[0], 'first');
    return new Traced({ v: l[0] ?? null, origin: originOf(l, 0) ?? call.vals[0]?.origin });
  },
  last: (a, call) => {
    const l = list(a[0], 'last');
    return new Traced({ v: l[l.length - 1] ?? null, origin: originOf(l, l.length - 1) ?? call.vals[0]?.origin });
  },
  rest: (a) => list(a[0], 'rest').slice(1),
  initial: (a) => list(a[0], 'initial').slice(0, -1),
  append: (a, call) => {
    want('append', a, 2);
    const l = list(a[0], 'append');
    const out = copyOrigins(l, [...l, a[1]]);
    setOrigin(out, l.length, call.vals[1]!.origin);
    return out;
  },
  prepend: (a) => (want('prepend', a, 2), [a[1], ...list(a[0], 'prepend')]),
  concat: (a) => a.flatMap((l) => list(l, 'concat')),
  reverse: (a) => [...list(a[0], 'reverse')].reverse(),
  uniq: (a) => list(a[0], 'uniq').filter((x, i, l) => !l.slice(0, i).some((y) => reflectEqual(x, y, 'uniq'))),
  without: (a) => list(a[0], 'without').filter((x) => !a.slice(1).some((y) => reflectEqual(x, y, 'without'))),
  has: (a) => (want('has', a, 2), list(a[1], 'has').some((x) => reflectEqual(x, a[0], 'has'))),
  compact: (a) => list(a[0], 'compact').filter((x) => !empty(x)),
  chunk: (a) => {
    want('chunk', a, 2);
    const size = toInt(a[0]);
    const l = list(a[1], 'chunk');
    if (size <= 0) throw new FunctionError('chunk size must be positive');
    const out: unknown[][] = [];
    for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
    return out;
  },
  slice: (a) => {
    const l = a[0];
    if (typeof l === 'string') return l.slice(toInt(a[1] ?? 0), a.length > 2 ? toInt(a[2]) : undefined);
    return list(l, 'slice').slice(toInt(a[1] ?? 0), a.length > 2 ? toInt(a[2]) : undefined);
  },
};

const dictFns: Record<string, Func> = {
  dict: (a, call) => {
    const out: Dict = {};
    for (let i = 0; i < a.length; i += 2) {
      const key = s(a[i]);
      setOwn(out, key, i + 1 < a.length ? a[i + 1] : '');
      setOrigin(out, key, call.vals[i + 1]?.origin);
    }
    return out;
  },
  get: (a) => {
    want('get', a, 2);
    const d = dict(a[0], 'get');
    const k = s(a[1]);
    return new Traced(Object.hasOwn(d, k) ? { v: d[k], origin: originOf(d, k) } : { v: '' });
  },
  set: (a, call) => {
    want('set', a, 3);
    const d = dict(a[0], 'set');
    setOwn(d, s(a[1]), a[2]);
    setOrigin(d, s(a[1]), call.vals[2]!.origin);
    return d;
  },
  unset: (a) => {
    want('unset', a, 2);
    const d = dict(a[0], 'unset');
    delete d[s(a[1])];
    setOrigin(d, s(a[1]), undefined);
    return d;
  },
  hasKey: (a) => (want('hasKey', a, 2), Object.hasOwn(dict(a[0], 'hasKey'), s(a[1]))),
  keys: (a) => [...new Set(a.flatMap((d) => sortedKeys(dict(d, 'keys'))))],
  values: (a) => {
    const d = dict(a[0], 'values');
    return sortedKeys(d).map((k) => d[k]);
  },
  pluck: (a) => {
    const k = s(a[0]);
    const out: unknown[] = [];
    for (const d of a.slice(1)) {
      if (isMap(d) && Object.hasOwn(d, k)) {
        setOrigin(out, out.length, originOf(d, k));
        out.push(d[k]);
      }
    }
    return out;
  },
  pick: (a) => {
    const d = dict(a[0], 'pick');
    const out: Dict = {};
    for (const k of a.slice(1).map(s)) if (Object.hasOwn(d, k)) setOwn(out, k, d[k]), setOrigin(out, k, originOf(d, k));
    return out;
  },
  omit: (a) => {
    const d = dict(a[0], 'omit');
    const drop = new Set(a.slice(1).map(s));
    const out: Dict = {};
    for (const [k, v] of Object.entries(d)) if (!drop.has(k)) setOwn(out, k, v), setOrigin(out, k, originOf(d, k));
    return out;
  },
  merge: (a) => {
    const dst = dict(a[0], 'merge');
    for (const src of a.slice(1)) if (src !== null && src !== undefined) mergeInto(dst, dict(src, 'merge'), false);
    return dst;
  },
  mergeOverwrite: (a) => {
    const dst = dict(a[0], 'mergeOverwrite');
    for (const src of a.slice(1)) if (src !== null && src !== undefined) mergeInto(dst, dict(src, 'mergeOverwrite'), true);
    return dst;
  },
  deepCopy: (a) => deepCopy(a[0]),
  dig: (a) => {
    if (a.length < 3) throw new FunctionError('dig needs at least three arguments');
    let cur: unknown = a[a.length - 1];
    let origin;
    for (const k of a.slice(0, -2).map(s)) {
      if (!isMap(cur) || !Object.hasOwn(cur, k)) return a[a.length - 2];
      origin = originOf(cur, k);
      cur = cur[k];
    }
    return new Traced({ v: cur, origin });
  },
};

function copyOrigins(from: unknown[], to: unknown[]): unknown[] {
  from.forEach((_, i) => setOrigin(to, i, originOf(from, i)));
  return to;
}

function words(t: string): string[] {
  return t.replace(/([a-z\d])([A-Z])/g, '$1 $2').split(/[\s_-]+/).filter(Boolean);
}

function wrap(t: string, width: number, newline: string): string {
  const out: string[] = [];
  for (const paragraph of t.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out.join(newline);
}

function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const c of bytes) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Sprig's `must*` variants return errors where the plain ones would panic: the same here. */
function withMust(fns: Record<string, Func>): Record<string, Func> {
  const out: Record<string, Func> = { ...fns };
  for (const name of ['first', 'last', 'rest', 'initial', 'append', 'prepend', 'reverse', 'uniq', 'without', 'has', 'compact', 'chunk', 'slice', 'merge', 'mergeOverwrite', 'deepCopy', 'regexMatch', 'regexFind', 'regexFindAll', 'regexReplaceAll', 'regexReplaceAllLiteral', 'regexSplit']) {
    const fn = fns[name];
    if (fn) out[`must${name[0]!.toUpperCase()}${name.slice(1)}`] = fn;
  }
  out.push = fns.append!;
  out.mustPush = fns.append!;
  out.trimall = fns.trimAll!;
  return out;
}

export const sprig: Record<string, Func> = withMust({ ...stringFns, ...pathFns, ...logicFns, ...listFns, ...dictFns });
