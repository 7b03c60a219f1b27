// HCL expressions evaluated as Terraform would, without running it: literals, collections, string templates,
// `var.*` and `local.*` (from a scope the caller builds), attribute and index access, conditionals, and the common
// functions. Whatever cannot be known (a resource attribute, a data source, an unknown function, a variable with no
// value) stays unknown: the expression's own `${…}` text, as hcl2json writes it, so rules never judge it.
import { syntaxTree, type TsNode } from './hcl-tree.js';
import { isRecord } from '../common/path.js';

export interface Scope {
  var: Record<string, unknown>;
  local: Record<string, unknown>;
  /** The iterators of `dynamic` blocks being expanded: `ingress` → { key, value }. */
  iterators?: Record<string, { key: unknown; value: unknown }>;
}

/** On a block made from a `dynamic` block: which one (its label, and its place among the dynamic blocks of that label). */
export const FROM_DYNAMIC = Symbol('from dynamic block');
export interface DynamicOrigin {
  label: string;
  index: number;
}

/** A name that starts a reference (`var`, `local`, a resource type, an iterator): a value only once followed. */
class Root {
  constructor(readonly name: string) {}
}

/** The marker of an unknown value: hcl2json's `${…}` text. */
const UNKNOWN = Symbol('unknown');
type Value = unknown;

function isUnknownValue(value: Value): boolean {
  if (value === UNKNOWN) return true;
  if (typeof value === 'string') return value.includes('${');
  if (Array.isArray(value)) return value.some(isUnknownValue);
  if (isRecord(value)) return Object.values(value).some(isUnknownValue);
  return false;
}

/** Text that holds `${…}` from hcl2json: a whole expression, or a template with interpolations. */
export function evaluateHclString(text: string, scope: Scope): unknown {
  if (!text.includes('${')) return text;
  const whole = /^\$\{([\s\S]*)\}$/.exec(text);
  // `${a}-${b}` also matches the pattern above: only a single balanced interpolation is a whole expression.
  const source = whole && balanced(whole[1]!) ? whole[1]! : JSON.stringify(text).replace(/\\\$\{/g, '${');
  const value = syntaxTree(`x = ${source}\n`, (root) => {
    if (root.hasError) return UNKNOWN;
    const attr = root.namedChildren.find((c) => c?.type === 'body')?.namedChildren[0];
    const expr = attr?.type === 'attribute' ? attr.namedChildren[1] : null;
    return expr ? evaluate(expr, scope) : UNKNOWN;
  }, { cache: false });
  return value === UNKNOWN || isUnknownValue(value) ? text : value;
}

/** Whether `${…}` pairs in an expression's text are balanced (so `${a}-${b}` is not read as `a}-${b`). */
function balanced(inner: string): boolean {
  let depth = 0;
  for (const ch of inner) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

const children = (node: TsNode) => node.namedChildren.filter((c): c is TsNode => c !== null && c.type !== 'comment');

function evaluate(node: TsNode, scope: Scope): Value {
  const parts = children(node);
  switch (node.type) {
    case 'expression': {
      // A primary followed by a chain of `.attr`, `[index]`; a bare root (`var`, `each`, an iterator) is no value.
      let value = evaluate(parts[0]!, scope);
      for (const step of parts.slice(1)) value = access(value, step, scope);
      return value instanceof Root ? UNKNOWN : value;
    }
    case 'literal_value': {
      const lit = parts[0] ?? node;
      if (lit.type === 'numeric_lit') return Number(lit.text);
      if (lit.type === 'bool_lit') return lit.text === 'true';
      if (lit.type === 'null_lit') return null;
      if (lit.type === 'string_lit') return template(lit, scope);
      return UNKNOWN;
    }
    case 'collection_value':
      return parts[0] ? evaluate(parts[0], scope) : UNKNOWN;
    case 'tuple':
      return parts.filter((c) => c.type === 'expression').map((c) => evaluate(c, scope));
    case 'object': {
      const out: Record<string, Value> = {};
      for (const elem of parts) {
        if (elem.type !== 'object_elem') continue;
        const keyNode = elem.childForFieldName('key');
        const valNode = elem.childForFieldName('val');
        const key = keyNode ? objectKey(keyNode, scope) : UNKNOWN;
        if (typeof key !== 'string') return UNKNOWN;
        out[key] = valNode ? evaluate(valNode, scope) : UNKNOWN;
      }
      return out;
    }
    case 'template_expr':
      return parts[0]?.type === 'quoted_template' ? template(parts[0], scope) : UNKNOWN;
    case 'variable_expr':
      return new Root(node.text);
    case 'function_call':
      return call(node, scope);
    case 'conditional': {
      const [test, yes, no] = parts.map((p) => p);
      const cond = evaluate(test!, scope);
      if (cond === true) return evaluate(yes!, scope);
      if (cond === false) return evaluate(no!, scope);
      return UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

/** An object key: a bare name is the name itself, anything else is evaluated. */
function objectKey(node: TsNode, scope: Scope): Value {
  const only = children(node);
  if (only.length === 1 && only[0]!.type === 'variable_expr') return only[0]!.text;
  return evaluate(node, scope);
}

/** `var.x`, `local.y` and the rest of the chain. A root other than var/local (a resource, data, each) is unknown. */
function access(value: Value, step: TsNode, scope: Scope): Value {
  if (value === UNKNOWN) return UNKNOWN;
  let key: Value;
  if (step.type === 'get_attr') key = children(step)[0]?.text;
  else if (step.type === 'index') {
    const inner = children(children(step)[0] ?? step).find((c) => c.type === 'expression') ?? children(step)[0];
    key = inner ? evaluate(inner, scope) : UNKNOWN;
  } else return UNKNOWN;
  if (value instanceof Root) {
    const root = value.name;
    if (typeof key !== 'string') return UNKNOWN;
    if (root === 'var') return key in scope.var ? scope.var[key] : UNKNOWN;
    if (root === 'local') return key in scope.local ? scope.local[key] : UNKNOWN;
    const iterator = typeof root === 'string' ? scope.iterators?.[root] : undefined;
    if (iterator && (key === 'key' || key === 'value')) return iterator[key];
    return UNKNOWN;
  }
  if (Array.isArray(value) && typeof key === 'number') return key in value ? value[key] : UNKNOWN;
  if (isRecord(value) && (typeof key === 'string' || typeof key === 'number')) return String(key) in value ? value[String(key)] : UNKNOWN;
  return UNKNOWN;
}

/** A quoted template: literal text and interpolations, all of which must be known. */
function template(node: TsNode, scope: Scope): Value {
  let out = '';
  for (const part of children(node)) {
    if (part.type === 'template_literal') out += unescape(part.text);
    else if (part.type === 'template_interpolation') {
      const expr = children(part).find((c) => c.type === 'expression');
      const value = expr ? evaluate(expr, scope) : UNKNOWN;
      if (value === UNKNOWN || isUnknownValue(value) || (typeof value === 'object' && value !== null)) return UNKNOWN;
      out += value === null ? '' : String(value);
    } else if (part.type !== 'quoted_template_start' && part.type !== 'quoted_template_end') return UNKNOWN; // directives
  }
  return out;
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, esc: string) =>
    esc[0] === 'u' ? String.fromCodePoint(parseInt(esc.slice(1), 16)) : (({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' } as Record<string, string>)[esc] ?? esc),
  ).replace(/\$\$\{/g, '${');
}

const known = (v: Value) => v !== UNKNOWN && !isUnknownValue(v);

/** The common functions, on known arguments; any unknown argument makes the result unknown (except `try`, `coalesce`). */
function call(node: TsNode, scope: Scope): Value {
  const name = children(node)[0]?.text ?? '';
  const argsNode = children(node).find((c) => c.type === 'function_arguments');
  const argNodes = argsNode ? children(argsNode).filter((c) => c.type === 'expression') : [];
  if (argsNode && children(argsNode).some((c) => c.type === 'expand_ellipsis' || c.text === '...')) return UNKNOWN;
  // try(): the first argument that evaluates without error; an unknown one makes the result unknown.
  if (name === 'try') {
    for (const arg of argNodes) {
      const v = evaluate(arg, scope);
      if (v === UNKNOWN) return UNKNOWN;
      return v;
    }
    return UNKNOWN;
  }
  const args = argNodes.map((a) => evaluate(a, scope));
  if (name === 'coalesce') {
    for (const a of args) {
      if (!known(a)) return UNKNOWN;
      if (a !== null && a !== '') return a;
    }
    return UNKNOWN;
  }
  if (!args.every(known)) return UNKNOWN;
  switch (name) {
    case 'jsonencode':
      return args.length === 1 ? JSON.stringify(args[0]) : UNKNOWN;
    case 'merge':
      return args.every((a) => a === null || isRecord(a)) ? Object.assign({}, ...args.filter(isRecord)) : UNKNOWN;
    case 'concat':
      return args.every(Array.isArray) ? (args as unknown[][]).flat(1) : UNKNOWN;
    case 'lookup': {
      const [map, key, fallback] = args;
      if (!isRecord(map) || typeof key !== 'string') return UNKNOWN;
      return key in map ? map[key] : args.length === 3 ? fallback : UNKNOWN;
    }
    case 'format':
      return typeof args[0] === 'string' ? sprintf(args[0], args.slice(1)) : UNKNOWN;
    case 'tolist':
    case 'toset':
      return Array.isArray(args[0]) ? (name === 'toset' ? [...new Set(args[0] as unknown[])] : args[0]) : UNKNOWN;
    case 'tostring':
      return typeof args[0] === 'string' || typeof args[0] === 'number' || typeof args[0] === 'boolean' ? String(args[0]) : UNKNOWN;
    case 'lower':
      return typeof args[0] === 'string' ? args[0].toLowerCase() : UNKNOWN;
    case 'upper':
      return typeof args[0] === 'string' ? args[0].toUpperCase() : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/** Terraform's `format` for the verbs people use in names and ARNs: %s %d %v %q %%. */
function sprintf(spec: string, args: unknown[]): Value {
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
  return failed ? UNKNOWN : out;
}
