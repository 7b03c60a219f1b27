// text/template's predefined functions (`and`/`or` short-circuit in the evaluator).
import { sprintf } from './format.js';
import { FunctionError, Traced, type Func } from './exec.js';
import { originOf, shiftSpans, spansOf, type Span, type Val } from './trace.js';
import { formatValue, GoStruct, isMap, kindOf, truth, typeName } from './values.js';

export function want(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new FunctionError(`wrong number of args for ${name}: want ${wanted} got ${args.length}`);
  }
}

type Basic = 'number' | 'string' | 'bool' | 'nil';
function basic(v: unknown): Basic | undefined {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return undefined;
}

function equal(a: unknown, b: unknown): boolean {
  const ka = basic(a);
  const kb = basic(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (!ka || !kb) throw new FunctionError('incompatible types for comparison');
  // Go refuses to compare a string with a number; a boolean with anything else is simply unequal here.
  if ((ka === 'string') !== (kb === 'string')) throw new FunctionError('incompatible types for comparison');
  return a === b;
}

function less(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  throw new FunctionError(kindOf(a) === kindOf(b) ? `invalid type for comparison` : 'incompatible types for comparison');
}

/** fmt.Sprint: a space between operands when neither side is a string. */
function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

function indexOne(item: unknown, key: unknown): { value: unknown; container: unknown; key: string | number } {
  if (item === null || item === undefined) throw new FunctionError('index of untyped nil');
  if (Array.isArray(item) || typeof item === 'string') {
    if (typeof key !== 'number' || !Number.isInteger(key)) throw new FunctionError(`cannot index slice/array with type ${typeName(key)}`);
    const length = typeof item === 'string' ? Buffer.byteLength(item) : item.length;
    if (key < 0 || key >= length) throw new FunctionError(`index out of range: ${key}`);
    return { value: typeof item === 'string' ? Buffer.from(item)[key] : item[key], container: item, key };
  }
  const map = item instanceof GoStruct ? item.entries : item;
  if (isMap(map)) {
    if (key === null || key === undefined) throw new FunctionError('value is nil; should be of type string');
    const k = String(key);
    return { value: Object.hasOwn(map, k) ? map[k] : undefined, container: map, key: k };
  }
  throw new FunctionError(`can't index item of type ${typeName(item)}`);
}

/**
 * printf of strings by plain `%s` or `%v` (an image helper's `printf "%s/%s:%s" .registry .repository .tag`): the
 * text keeps where each string came from, as a template's `{{ .registry }}/{{ .repository }}` would. Else undefined.
 */
function printfStrings(format: string, vals: Val[]): Traced | undefined {
  let text = '';
  const spans: Span[] = [];
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') {
      text += format[i];
      continue;
    }
    const verb = format[++i];
    if (verb === '%') {
      text += '%';
      continue;
    }
    const val = vals[next++];
    if ((verb !== 's' && verb !== 'v') || typeof val?.v !== 'string') return undefined;
    spans.push(...shiftSpans(spansOf(val, val.v.length), text.length));
    text += val.v;
  }
  return next === vals.length && spans.length > 0 ? new Traced({ v: text, spans }) : undefined;
}

export const builtins: Record<string, Func> = {
  not: (args) => {
    want('not', args, 1);
    return !truth(args[0]);
  },
  eq: (args) => {
    want('eq', args, 2, Infinity);
    return args.slice(1).some((b) => equal(args[0], b));
  },
  ne: (args) => {
    want('ne', args, 2);
    return !equal(args[0], args[1]);
  },
  lt: (args) => (want('lt', args, 2), less(args[0], args[1])),
  le: (args) => (want('le', args, 2), less(args[0], args[1]) || equal(args[0], args[1])),
  gt: (args) => (want('gt', args, 2), less(args[1], args[0])),
  ge: (args) => (want('ge', args, 2), less(args[1], args[0]) || equal(args[0], args[1])),
  len: (args) => {
    want('len', args, 1);
    const v = args[0];
    if (v === null || v === undefined) throw new FunctionError('len of nil pointer');
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (Array.isArray(v) || v instanceof Uint8Array) return v.length;
    if (isMap(v)) return Object.keys(v).length;
    if (v instanceof GoStruct && v.entries) return Object.keys(v.entries).length;
    throw new FunctionError(`len of type ${typeName(v)}`);
  },
  index: (args, call) => {
    want('index', args, 1, Infinity);
    let cur: unknown = args[0];
    let origin = call.vals[0]?.origin;
    for (const key of args.slice(1)) {
      const hit = indexOne(cur, key);
      cur = hit.value;
      origin = originOf(hit.container, hit.key);
    }
    return new Traced({ v: cur, origin: args.length > 1 ? origin : call.vals[0]?.origin });
  },
  slice: (args) => {
    want('slice', args, 1, 4);
    const [item, ...idx] = args;
    if (item === null || item === undefined) throw new FunctionError('slice of untyped nil');
    if (!Array.isArray(item) && typeof item !== 'string') throw new FunctionError(`can't slice item of type ${typeName(item)}`);
    if (typeof item === 'string' && idx.length > 2) throw new FunctionError('cannot 3-index slice a string');
    const length = item.length;
    const [from = 0, to = length] = idx.map((i) => {
      if (typeof i !== 'number' || !Number.isInteger(i)) throw new FunctionError(`cannot index slice/array with type ${typeName(i)}`);
      return i;
    });
    if (from < 0 || to > length || from > to) throw new FunctionError(`index out of range: ${from}:${to}`);
    return item.slice(from, to);
  },
  print: (args) => sprint(args),
  println: (args) => `${args.map(formatValue).join(' ')}\n`,
  printf: (args, call) => {
    want('printf', args, 1, Infinity);
    const [format, ...rest] = args;
    if (typeof format !== 'string') throw new FunctionError(`wrong type for value; expected string; got ${typeName(format)}`);
    return printfStrings(format, call.vals.slice(1)) ?? sprintf(format, rest);
  },
  html: (args) =>
    sprint(args).replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!),
  js: (args) =>
    sprint(args).replace(/[\\'"<>&=\n\r\t]/g, (c) =>
      ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!),
  urlquery: (args) => encodeURIComponent(sprint(args)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
};
