// Terraform's operators and common functions on known values, as Terraform computes them. Where Terraform would
// convert between types in a way the value alone does not tell (a string compared with a number, a list with a
// tuple), or would fail, the result is NOT_KNOWN: a rule never judges a value Terraform might not make.
import { parseAllDocuments } from 'yaml';
import { isRecord } from '../common/path.js';
import { assignOwn } from '../common/own-key.js';

/** What an operator or function gives when Terraform's result is not known from the values. */
export const NOT_KNOWN = Symbol('not known');
type Result = unknown;

const isPrimitive = (v: unknown): v is string | number | boolean | null => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A number, or a string Terraform converts to one (`"8080"`); else null. */
function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

/**
 * What an operand's syntax says of its type, where its value alone does not (Warden's values carry no type): a tuple
 * (`[…]`, `[for …]`), an object (`{…}`, `{for …}`), a list (`tolist(…)`), a set (`toset(…)`).
 */
export type WrittenType = 'tuple' | 'object' | 'list' | 'set';

/**
 * `==`: true where both values have the same type and the same value, false otherwise (Terraform's rule). Primitives
 * of one type (or null) compare by value; a string against a number is not known, as its value alone does not say
 * the type Terraform gave it (`"1"` of a `number` variable is 1). Null against anything else, a collection against a
 * primitive, a sequence against a mapping are false. Two collections compare only as far as their types are certain:
 * a tuple (`[]`, as written) is no list or set (`tolist([]) == []` is false), nor is a tuple of another length or an
 * object of other attributes equal to anything it is compared with; two written empty tuples (or objects) are equal.
 * The rest is not known: `var.list == []` is true only where the variable has no type and its default is `[]`.
 */
function equal(a: unknown, b: unknown, written: readonly [WrittenType?, WrittenType?] = []): Result {
  if (isPrimitive(a) && isPrimitive(b)) {
    if (a === null || b === null) return a === b;
    return typeof a === typeof b ? a === b : NOT_KNOWN;
  }
  if (a === null || b === null || isPrimitive(a) || isPrimitive(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const [x, y] = written;
  if (x !== undefined && y !== undefined && x !== y) return false;
  const structural = (type?: WrittenType) => type === 'tuple' || type === 'object';
  const shape = (v: unknown) => (Array.isArray(v) ? [v.length] : Object.keys(v as object).sort());
  if ((structural(x) || structural(y)) && JSON.stringify(shape(a)) !== JSON.stringify(shape(b))) return false;
  // Two empty tuples (or objects) as written are of one type, and of one value.
  const empty = Array.isArray(a) ? a.length === 0 : Object.keys(a as object).length === 0;
  return structural(x) && x === y && empty ? true : NOT_KNOWN;
}

function arithmetic(op: string, a: unknown, b: unknown): Result {
  const [x, y] = [asNumber(a), asNumber(b)];
  if (x === null || y === null) return NOT_KNOWN;
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? NOT_KNOWN : x / y;
    case '%':
      // Terraform fails on a zero divisor; a negative operand's remainder is left to it.
      return y === 0 || x < 0 || y < 0 ? NOT_KNOWN : x % y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return NOT_KNOWN;
  }
}

/**
 * A binary operator of HCL (`==`, `&&`, `+`, `<`, …) on known operands. Terraform evaluates both sides of `&&`/`||`.
 * `written`: what each operand's syntax says of its type (`==` and `!=` compare types).
 */
export function binaryOperation(op: string, a: unknown, b: unknown, written?: readonly [WrittenType?, WrittenType?]): Result {
  switch (op) {
    case '==':
      return equal(a, b, written);
    case '!=': {
      const same = equal(a, b, written);
      return same === NOT_KNOWN ? NOT_KNOWN : !same;
    }
    case '&&':
      return typeof a === 'boolean' && typeof b === 'boolean' ? a && b : NOT_KNOWN;
    case '||':
      return typeof a === 'boolean' && typeof b === 'boolean' ? a || b : NOT_KNOWN;
    default:
      return arithmetic(op, a, b);
  }
}

/** `!x` and `-x` on a known operand. */
export function unaryOperation(op: string, a: unknown): Result {
  if (op === '!') return typeof a === 'boolean' ? !a : NOT_KNOWN;
  const x = asNumber(a);
  return op === '-' && x !== null ? -x : NOT_KNOWN;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** A list element as Terraform converts it to a string (join, …): null and collections do not convert. */
const asString = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);
/** A list of primitives all of one type: what `contains` and `distinct` compare without a conversion. */
const oneTypePrimitives = (v: unknown): v is (string | number | boolean)[] => Array.isArray(v) && v.every((x) => isPrimitive(x) && x !== null) && new Set(v.map((x) => typeof x)).size <= 1;

function jsonDecoded(text: string): Result {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_KNOWN;
  }
}

/**
 * `yamldecode`: one YAML 1.2 document (Terraform refuses a stream of several). Anything the `yaml` package warns
 * of (a tag it does not know, a duplicate key) is taken as what Terraform might read otherwise: not known.
 */
function yamlDecoded(text: string): Result {
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(documents) || documents.length !== 1) return NOT_KNOWN;
  const [document] = documents;
  if (document!.errors.length > 0 || document!.warnings.length > 0) return NOT_KNOWN;
  try {
    return document!.toJS({ maxAliasCount: 100 }) as unknown;
  } catch {
    return NOT_KNOWN;
  }
}

/** A function of Terraform's on known arguments; any other function, or arguments Terraform would refuse, NOT_KNOWN. */
export function callFunction(name: string, args: readonly unknown[]): Result {
  const [a, b, c] = args;
  switch (name) {
    case 'jsonencode':
      return args.length === 1 ? JSON.stringify(a) : NOT_KNOWN;
    case 'jsondecode':
      return args.length === 1 && typeof a === 'string' ? jsonDecoded(a) : NOT_KNOWN;
    case 'yamldecode':
      return args.length === 1 && typeof a === 'string' ? yamlDecoded(a) : NOT_KNOWN;
    case 'merge':
      return args.every((x) => x === null || isRecord(x)) ? assignOwn({}, ...args.filter(isRecord)) : NOT_KNOWN;
    case 'concat':
      return args.every(Array.isArray) ? (args as unknown[][]).flat(1) : NOT_KNOWN;
    case 'lookup':
      if (!isRecord(a) || typeof b !== 'string') return NOT_KNOWN;
      return Object.hasOwn(a, b) ? a[b] : args.length === 3 ? c : NOT_KNOWN;
    case 'format':
      return typeof a === 'string' ? sprintf(a, args.slice(1)) : NOT_KNOWN;
    case 'tolist':
      return Array.isArray(a) ? a : NOT_KNOWN;
    case 'toset':
      return Array.isArray(a) ? setOfStrings(a) : NOT_KNOWN;
    case 'tostring':
      return typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean' ? String(a) : NOT_KNOWN;
    case 'tonumber':
      return a === null ? null : (asNumber(a) ?? NOT_KNOWN);
    case 'tobool':
      return a === null || typeof a === 'boolean' ? a : a === 'true' ? true : a === 'false' ? false : NOT_KNOWN;
    case 'lower':
      return typeof a === 'string' ? a.toLowerCase() : NOT_KNOWN;
    case 'upper':
      return typeof a === 'string' ? a.toUpperCase() : NOT_KNOWN;
    case 'trimspace':
      return typeof a === 'string' ? a.trim() : NOT_KNOWN;
    case 'startswith':
      return typeof a === 'string' && typeof b === 'string' ? a.startsWith(b) : NOT_KNOWN;
    case 'endswith':
      return typeof a === 'string' && typeof b === 'string' ? a.endsWith(b) : NOT_KNOWN;
    case 'length':
      // Terraform counts a string's characters as a reader sees them (grapheme clusters), a map's keys.
      if (typeof a === 'string') return [...graphemes.segment(a)].length;
      return Array.isArray(a) ? a.length : isRecord(a) ? Object.keys(a).length : NOT_KNOWN;
    case 'contains':
      return oneTypePrimitives(a) && isPrimitive(b) && b !== null && (a.length === 0 || typeof a[0] === typeof b) ? a.includes(b) : NOT_KNOWN;
    case 'element': {
      // The index wraps around the list; a negative one or an empty list fails.
      const i = asNumber(b);
      return Array.isArray(a) && a.length > 0 && i !== null && Number.isInteger(i) && i >= 0 ? a[i % a.length] : NOT_KNOWN;
    }
    case 'one':
      return Array.isArray(a) && a.length <= 1 ? (a[0] ?? null) : NOT_KNOWN;
    case 'keys':
      return isRecord(a) ? Object.keys(a).sort() : NOT_KNOWN;
    case 'values':
      return isRecord(a) ? Object.keys(a).sort().map((k) => a[k]) : NOT_KNOWN;
    case 'join': {
      if (typeof a !== 'string' || !args.slice(1).every(Array.isArray)) return NOT_KNOWN;
      const items = (args.slice(1) as unknown[][]).flat(1).map(asString);
      return items.every((s) => s !== null) ? items.join(a) : NOT_KNOWN;
    }
    case 'split':
      // An empty separator splits into characters as Go counts them: left to Terraform.
      return typeof a === 'string' && a !== '' && typeof b === 'string' ? b.split(a) : NOT_KNOWN;
    case 'replace':
      // A `/…/` substring is a regular expression in Go's syntax: left to Terraform.
      return typeof a === 'string' && typeof b === 'string' && typeof c === 'string' && !/^\/.*\/$/s.test(b) ? a.split(b).join(c) : NOT_KNOWN;
    case 'compact':
      return Array.isArray(a) && a.every((s) => s === null || typeof s === 'string') ? a.filter((s) => s !== null && s !== '') : NOT_KNOWN;
    case 'distinct':
      return oneTypePrimitives(a) ? [...new Set(a)] : NOT_KNOWN;
    case 'flatten':
      return Array.isArray(a) ? a.flat(Infinity) : NOT_KNOWN;
    case 'coalescelist':
      return args.length > 0 && args.every(Array.isArray) ? ((args as unknown[][]).find((list) => list.length > 0) ?? NOT_KNOWN) : NOT_KNOWN;
    case 'min':
    case 'max': {
      const numbers = args.map(asNumber);
      if (numbers.length === 0 || numbers.some((n) => n === null)) return NOT_KNOWN;
      return name === 'min' ? Math.min(...(numbers as number[])) : Math.max(...(numbers as number[]));
    }
    default:
      return NOT_KNOWN;
  }
}

/**
 * `toset` of a list whose elements are, or convert to, strings: the distinct strings in lexical order, as Terraform
 * orders a set of strings (numbers and bools among strings convert to strings, as one type is the set's). A set of
 * numbers, of bools or of collections is in an order Terraform leaves undefined: not known.
 */
function setOfStrings(items: readonly unknown[]): Result {
  if (items.length > 0 && !items.some((item) => typeof item === 'string')) return NOT_KNOWN;
  // A number converts as Terraform writes it: JavaScript writes a large or tiny one otherwise (`1e+21`).
  const strings = items.map((item) => (typeof item === 'number' && /e/i.test(String(item)) ? null : asString(item)));
  if (strings.some((item) => item === null)) return NOT_KNOWN;
  return [...new Set(strings as string[])].sort(byBytes);
}

/** Strings in the order of their UTF-8 bytes, as Go compares them (not UTF-16's, which differs past U+FFFF). */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Terraform's `format` for the verbs people use in names and ARNs: %s %d %v %q %%. */
function sprintf(spec: string, args: readonly unknown[]): Result {
  let i = 0;
  let failed = false;
  const out = spec.replace(/%([%sdvq])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) {
      failed = true;
      return '';
    }
    const a = args[i++];
    if (verb === 'q') return JSON.stringify(String(a));
    if (verb === 'd' && typeof a !== 'number') failed = true;
    return typeof a === 'object' ? JSON.stringify(a) : String(a);
  });
  return failed ? NOT_KNOWN : out;
}
