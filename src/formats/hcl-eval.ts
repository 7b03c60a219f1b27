// HCL expressions evaluated as Terraform would, without running it: literals, collections, string templates,
// `var.*` and `local.*` (from a scope the caller builds), attribute and index access, conditionals, operators and the
// common functions (src/formats/hcl-functions.ts). Whatever cannot be known (a resource attribute, a data source, an unknown function, a variable with no
// value) stays unknown: the expression's own `${…}` text, as hcl2json writes it, so rules never judge it.
import { posix } from 'node:path';
import { hclGrammarLoaded, syntaxTree, type TsNode } from './hcl-tree.js';
import { isRecord } from '../common/path.js';
import { setOwn } from '../common/own-key.js';
// The marker of an unknown value (hcl2json's `${…}` text stands for it outside this module).
import { binaryOperation, callFunction, NOT_KNOWN as UNKNOWN, unaryOperation, type WrittenType } from './hcl-functions.js';

export interface Scope {
  var: Record<string, unknown>;
  local: Record<string, unknown>;
  /**
   * The iterators of `dynamic` blocks being expanded (`ingress` → { key, value }), and of the resource instance
   * evaluated (`each` → { key, value }, `count` → { index }).
   */
  iterators?: Record<string, Readonly<Record<string, unknown>>>;
  /** The names a template's `%{ for }` binds, while its body is evaluated. */
  bound?: Record<string, unknown>;
  /**
   * The module's folder (a repository path) and the files `file()` and `templatefile()` may read there, as read
   * before evaluation (src/terraform-files.ts): `path.module` is `.`, a path is of the folder. Without: unknown.
   */
  files?: { folder: string; read: (path: string) => string | undefined };
}

/** The scope of a folder that declares nothing: what `file()` reads there, if anything. */
export function emptyScope(folder: string, read?: (path: string) => string | undefined): Scope {
  return { var: {}, local: {}, ...(read ? { files: { folder, read } } : {}) };
}

/** A name that starts a reference (`var`, `local`, a resource type, an iterator): a value only once followed. */
class Root {
  constructor(readonly name: string) {}
}

type Value = unknown;

function isUnknownValue(value: Value): boolean {
  if (value === UNKNOWN) return true;
  if (typeof value === 'string') return value.includes('${') || holdsTemplateDirective(value);
  if (Array.isArray(value)) return value.some(isUnknownValue);
  if (isRecord(value)) return Object.values(value).some(isUnknownValue);
  return false;
}

/**
 * Whether template text holds a directive (`%{ if … }`, `%{ for … }`): hcl2json and Terraform JSON give such a
 * string as its template text, which is no literal. `%%{` is the escape of a literal `%{`.
 */
export function holdsTemplateDirective(text: string): boolean {
  return /(?:^|[^%])%\{/.test(text);
}

/**
 * The value Terraform gives a string of hcl2json's or Terraform JSON's that holds a template directive, where it
 * needs no variable (`%{ if true }…%{ endif }`); else the template as a whole `${…}` expression, which every reader
 * takes as unknown and evaluation (evaluateHclString, with the module's scope) may still resolve.
 */
export function directiveTemplateValue(text: string): string {
  const quoted = JSON.stringify(text);
  // Without the grammar (a thread that parsed no HCL yet) it stays unknown.
  const constant = hclGrammarLoaded() ? evaluateHclString(`\${${quoted}}`, { var: {}, local: {} }) : undefined;
  return typeof constant === 'string' && !isUnknownValue(constant) ? constant : `\${${quoted}}`;
}

/** Every string of a parsed value that holds a template directive, as directiveTemplateValue gives it (in place). */
export function withDirectivesEvaluated(value: unknown): unknown {
  if (Array.isArray(value)) value.forEach((item, i) => (value[i] = withDirectivesEvaluated(item)));
  else if (isRecord(value)) for (const [key, item] of Object.entries(value)) value[key] = withDirectivesEvaluated(item);
  else if (typeof value === 'string' && holdsTemplateDirective(value)) {
    if (!value.includes('${')) return directiveTemplateValue(value);
    // Already unknown until evaluated (a module without variables is not): evaluated now where it needs none.
    return hclGrammarLoaded() ? evaluateHclString(value, { var: {}, local: {} }) : value;
  }
  return value;
}

/** A whole expression that only names a resource's or data block's attribute: `${data.t.n.json}`, `${aws_x.y.id}`, `${aws_x.y[0].arn}`. */
const PLAIN_REFERENCE = /^\$\{\s*(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[\d+\])?(?:\.[A-Za-z_][\w-]*)*\s*\}$/;

/** Text that holds `${…}` from hcl2json: a whole expression, or a template with interpolations. */
export function evaluateHclString(text: string, scope: Scope): unknown {
  if (!text.includes('${')) return text;
  const whole = /^\$\{([\s\S]*)\}$/.exec(text);
  // `${a}-${b}` also matches the pattern above: only a single balanced interpolation is a whole expression.
  const source = whole && balanced(whole[1]!) ? whole[1]! : JSON.stringify(text).replace(/\\\$\{/g, '${');
  // `local.doc` where the local is no value but a reference (`data.aws_iam_policy_document.x.json`,
  // `aws_s3_bucket.models.id`) is that reference: what reads the resource it names sees it as written there.
  const alias = whole && /^\s*local\.([A-Za-z_][\w-]*)\s*$/.exec(whole[1]!);
  if (alias && Object.hasOwn(scope.local, alias[1]!)) {
    const named = scope.local[alias[1]!];
    if (typeof named === 'string' && PLAIN_REFERENCE.test(named)) return named;
  }
  const value = syntaxTree(`x = ${source}\n`, (root) => {
    if (root.hasError) return UNKNOWN;
    const attr = root.namedChildren.find((c) => c?.type === 'body')?.namedChildren[0];
    const expr = attr?.type === 'attribute' ? attr.namedChildren[1] : null;
    return expr ? evaluate(expr, scope) : UNKNOWN;
  }, { cache: false });
  return value === UNKNOWN || isUnknownValue(value) ? text : value;
}

/** A parsed value with every `${…}` string evaluated in `scope` (a new value; an unknown string stays as it is). */
export function resolveValue(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') return value.includes('${') ? evaluateHclString(value, scope) : value;
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, scope)]));
  return value;
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
    case 'expression':
      return chain(parts, scope);
    case 'operation':
      return parts[0] ? evaluate(parts[0], scope) : UNKNOWN;
    case 'unary_operation':
    case 'binary_operation':
      return operation(node, scope);
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
        setOwn(out, key, valNode ? evaluate(valNode, scope) : UNKNOWN);
      }
      return out;
    }
    case 'template_expr':
      return parts[0]?.type === 'quoted_template' ? template(parts[0], scope) : UNKNOWN;
    case 'variable_expr':
      return new Root(node.text);
    case 'function_call':
      return call(node, scope);
    case 'for_expr':
      return parts[0] ? forExpression(parts[0], scope) : UNKNOWN;
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

/** A primary followed by a chain of `.attr`, `[index]`; a bare root (`var`, `each`, an iterator) is no value. */
function chain(parts: readonly TsNode[], scope: Scope): Value {
  const head = parts[0];
  if (!head) return UNKNOWN;
  // A name a template's `%{ for }` binds is its value; any other bare name starts a reference.
  let value = head.type === 'variable_expr' && scope.bound && Object.hasOwn(scope.bound, head.text) ? scope.bound[head.text] : evaluate(head, scope);
  for (const step of parts.slice(1)) value = access(value, step, scope);
  return value instanceof Root ? UNKNOWN : value;
}

/**
 * `!a`, `a == b`, `a + b`, …: the grammar gives an operand as the nodes of its chain (`var`, `.env`) or a
 * parenthesised expression, either side of the operator's token.
 */
function operation(node: TsNode, scope: Scope): Value {
  const all = node.children.filter((c): c is TsNode => c !== null && c.type !== 'comment');
  const at = all.findIndex((c) => !c.isNamed && c.type !== '(' && c.type !== ')');
  if (at < 0) return UNKNOWN;
  const operand = (nodes: readonly TsNode[]) => chain(nodes.filter((c) => c.isNamed), scope);
  const right = operand(all.slice(at + 1));
  if (!known(right)) return UNKNOWN;
  if (node.type === 'unary_operation') return unaryOperation(all[at]!.type, right);
  const left = operand(all.slice(0, at));
  const written = [writtenType(all.slice(0, at)), writtenType(all.slice(at + 1))] as const;
  return known(left) ? binaryOperation(all[at]!.type, left, right, written) : UNKNOWN;
}

/** The type an operand is written as (`[…]` a tuple, `tolist(…)` a list, …), when its syntax alone says so. */
function writtenType(nodes: readonly TsNode[]): WrittenType | undefined {
  const named = nodes.filter((c) => c.isNamed && c.type !== 'comment');
  const only = named.length === 1 ? named[0]! : undefined;
  if (!only) return undefined;
  const inner = children(only)[0];
  switch (only.type) {
    case 'expression':
      return writtenType(children(only));
    case 'collection_value':
      return inner?.type === 'tuple' ? 'tuple' : inner?.type === 'object' ? 'object' : undefined;
    case 'for_expr':
      return inner?.type === 'for_tuple_expr' ? 'tuple' : inner?.type === 'for_object_expr' ? 'object' : undefined;
    case 'function_call': {
      const name = only.namedChildren[0]?.text;
      return name === 'tolist' ? 'list' : name === 'toset' ? 'set' : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * `[for v in c : e if cond]` and `{for k, v in c : key => e if cond}` over a known collection; a map's elements in
 * the order of their keys, as Terraform iterates it. Grouping (`...`) and a key made twice (an error in Terraform)
 * are unknown.
 */
function forExpression(node: TsNode, scope: Scope): Value {
  const parts = children(node);
  const intro = parts.find((c) => c.type === 'for_intro');
  if (!intro || parts.some((c) => c.type === 'ellipsis')) return UNKNOWN;
  const names = children(intro).filter((c) => c.type === 'identifier').map((c) => c.text);
  const collectionNode = children(intro).find((c) => c.type === 'expression');
  const collection = collectionNode ? evaluate(collectionNode, scope) : UNKNOWN;
  if (!known(collection) || (!Array.isArray(collection) && !isRecord(collection)) || names.length < 1 || names.length > 2) return UNKNOWN;
  const asObject = node.type === 'for_object_expr';
  const results = parts.filter((c) => c.type === 'expression');
  const filter = parts.find((c) => c.type === 'for_cond');
  const condition = filter ? children(filter).find((c) => c.type === 'expression') : undefined;
  if (results.length !== (asObject ? 2 : 1)) return UNKNOWN;
  const pairs: [unknown, unknown][] = Array.isArray(collection) ? collection.map((v, i) => [i, v]) : Object.keys(collection).sort().map((k) => [k, collection[k]]);
  const tuple: Value[] = [];
  const object: Record<string, Value> = {};
  for (const [key, value] of pairs) {
    const bound = names.length === 2 ? { [names[0]!]: key, [names[1]!]: value } : { [names[0]!]: value };
    const inner = { ...scope, bound: { ...scope.bound, ...bound } };
    if (condition) {
      const keep = evaluate(condition, inner);
      if (keep === false) continue;
      if (keep !== true) return UNKNOWN;
    }
    if (!asObject) {
      tuple.push(evaluate(results[0]!, inner));
      continue;
    }
    const made = evaluate(results[0]!, inner);
    if ((typeof made !== 'string' && typeof made !== 'number') || Object.hasOwn(object, String(made))) return UNKNOWN;
    setOwn(object, String(made), evaluate(results[1]!, inner));
  }
  return asObject ? object : tuple;
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
    // Only what the module declares, and only an object's own attributes: never what every JavaScript object inherits.
    if (root === 'var') return Object.hasOwn(scope.var, key) ? scope.var[key] : UNKNOWN;
    if (root === 'local') return Object.hasOwn(scope.local, key) ? scope.local[key] : UNKNOWN;
    // Relative to the module's own folder, where file() reads (the folder Terraform runs in is not known).
    if (root === 'path') return key === 'module' && scope.files ? '.' : UNKNOWN;
    const iterator = scope.iterators && Object.hasOwn(scope.iterators, root) ? scope.iterators[root] : undefined;
    if (iterator && Object.hasOwn(iterator, key)) return iterator[key];
    return UNKNOWN;
  }
  if (Array.isArray(value) && typeof key === 'number') return key in value ? value[key] : UNKNOWN;
  if (isRecord(value) && (typeof key === 'string' || typeof key === 'number')) return Object.hasOwn(value, String(key)) ? value[String(key)] : UNKNOWN;
  return UNKNOWN;
}

/**
 * A quoted template: literal text, interpolations and directives (`%{ if }`, `%{ for }`), all of which must be known.
 * The literal text is read from the source between the parts: tree-sitter's literal nodes leave out spaces.
 */
function template(node: TsNode, scope: Scope): Value {
  const parts = node.namedChildren.filter((c): c is TsNode => c !== null && c.type !== 'template_literal' && c.type !== 'comment');
  const start = parts[0]?.type === 'quoted_template_start' ? parts.shift()! : null;
  const end = parts.at(-1)?.type === 'quoted_template_end' ? parts.pop()! : null;
  if (!start || !end) return UNKNOWN;
  return templateBody(node, start, end, parts, scope);
}

/**
 * The text of a template between the tags `open` and `close` (its quotes, or a directive's tags), whose
 * interpolations and directives there are `parts`, in order.
 */
function templateBody(within: TsNode, open: TsNode, close: TsNode, parts: readonly TsNode[], scope: Scope): Value {
  const source = (a: number, b: number) => within.text.slice(a - within.startIndex, b - within.startIndex);
  // A strip marker (`~`) drops the spaces, tabs and newlines on its side of a tag.
  const pieces: (string | TsNode)[] = [open];
  for (const part of parts) pieces.push(source((pieces.at(-1) as TsNode).endIndex, part.startIndex), part);
  pieces.push(source((pieces.at(-1) as TsNode).endIndex, close.startIndex), close);
  let out = '';
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i]!;
    if (typeof piece === 'string') {
      let literal = piece;
      if (stripsAfter(pieces[i - 1] as TsNode)) literal = literal.replace(/^\s+/, '');
      if (stripsBefore(pieces[i + 1] as TsNode)) literal = literal.replace(/\s+$/, '');
      out += unescape(literal);
      continue;
    }
    const value = templatePart(piece, scope);
    if (value === UNKNOWN) return UNKNOWN;
    out += value;
  }
  return out;
}

/** An interpolation's or directive's text. */
function templatePart(part: TsNode, scope: Scope): string | typeof UNKNOWN {
  if (part.type === 'template_interpolation') {
    const expr = children(part).find((c) => c.type === 'expression');
    const value = expr ? evaluate(expr, scope) : UNKNOWN;
    if (value === UNKNOWN || isUnknownValue(value) || (typeof value === 'object' && value !== null)) return UNKNOWN;
    return value === null ? '' : String(value);
  }
  const directive = part.type === 'template_directive' ? children(part)[0] : undefined;
  if (directive?.type === 'template_if') return templateIf(directive, scope);
  if (directive?.type === 'template_for') return templateFor(directive, scope);
  return UNKNOWN;
}

/** `%{ if cond }…%{ else }…%{ endif }` whose condition is a known bool. */
function templateIf(node: TsNode, scope: Scope): string | typeof UNKNOWN {
  const all = children(node);
  const intro = all[0];
  const elseAt = all.findIndex((c) => c.type === 'template_else_intro');
  const endAt = all.findIndex((c) => c.type === 'template_if_end');
  if (intro?.type !== 'template_if_intro' || endAt < 0) return UNKNOWN;
  const condition = children(intro).find((c) => c.type === 'expression');
  const value = condition ? evaluate(condition, scope) : UNKNOWN;
  if (typeof value !== 'boolean') return UNKNOWN;
  const [first, last] = value ? [0, elseAt >= 0 ? elseAt : endAt] : elseAt >= 0 ? [elseAt, endAt] : [endAt, endAt];
  if (first === last) return '';
  const parts = all.slice(first + 1, last).filter((c) => c.type !== 'template_literal');
  const text = templateBody(node, all[first]!, all[last]!, parts, scope);
  return typeof text === 'string' ? text : UNKNOWN;
}

/** `%{ for x in list }…%{ endfor }` (or `for k, v in map`) over a known collection. */
function templateFor(node: TsNode, scope: Scope): string | typeof UNKNOWN {
  const all = children(node);
  const start = all[0];
  const end = all.at(-1);
  if (start?.type !== 'template_for_start' || end?.type !== 'template_for_end') return UNKNOWN;
  const names = children(start).filter((c) => c.type === 'identifier').map((c) => c.text);
  const collectionNode = children(start).find((c) => c.type === 'expression');
  const collection = collectionNode ? evaluate(collectionNode, scope) : UNKNOWN;
  if (!known(collection) || (!Array.isArray(collection) && !isRecord(collection)) || names.length < 1 || names.length > 2) return UNKNOWN;
  const pairs: [unknown, unknown][] = Array.isArray(collection) ? collection.map((v, i) => [i, v]) : Object.entries(collection);
  const parts = all.slice(1, -1).filter((c) => c.type !== 'template_literal');
  let out = '';
  for (const [key, value] of pairs) {
    const bound = names.length === 2 ? { [names[0]!]: key, [names[1]!]: value } : { [names[0]!]: value };
    const text = templateBody(node, start, end, parts, { ...scope, bound: { ...scope.bound, ...bound } });
    if (typeof text !== 'string') return UNKNOWN;
    out += text;
  }
  return out;
}

/** Whether a part ends with a strip marker (`… ~}`): the spaces after it are dropped. */
function stripsAfter(part: TsNode): boolean {
  const last = lastMarkerHolder(part);
  const kids = last.children.filter((c): c is TsNode => c !== null);
  return kids.at(-2)?.type === 'strip_marker';
}

/** Whether a part starts with a strip marker (`%{~ …`, `${~ …`): the spaces before it are dropped. */
function stripsBefore(part: TsNode): boolean {
  const first = firstMarkerHolder(part);
  const kids = first.children.filter((c): c is TsNode => c !== null);
  return kids[1]?.type === 'strip_marker';
}

/** The node whose children hold a part's opening `%{`/`${` (an interpolation, or a directive's first tag). */
function firstMarkerHolder(part: TsNode): TsNode {
  if (part.type !== 'template_directive') return part;
  const directive = children(part)[0];
  return (directive && children(directive)[0]) ?? part;
}

/** The node whose children hold a part's closing `}` (an interpolation, or a directive's last tag). */
function lastMarkerHolder(part: TsNode): TsNode {
  if (part.type !== 'template_directive') return part;
  const directive = children(part)[0];
  return (directive && children(directive).at(-1)) ?? part;
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, esc: string) =>
    esc[0] === 'u' ? String.fromCodePoint(parseInt(esc.slice(1), 16)) : (({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' } as Record<string, string>)[esc] ?? esc),
  ).replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
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
  if (name === 'file' || name === 'templatefile') return readFile(name, args, scope);
  if (name === 'coalesce') {
    for (const a of args) {
      if (!known(a)) return UNKNOWN;
      if (a !== null && a !== '') return a;
    }
    return UNKNOWN;
  }
  return args.every(known) ? callFunction(name, args) : UNKNOWN;
}

/**
 * `file(path)`: the text of a file of the module's folder read before evaluation; `templatefile(path, vars)`: that
 * text as a template over `vars`. Unknown for a path outside the repository or not read.
 */
function readFile(name: string, args: readonly Value[], scope: Scope): Value {
  const [path, vars] = args;
  if (!scope.files || typeof path !== 'string' || !known(path) || path.startsWith('/')) return UNKNOWN;
  // Only what was read before the scan is there to read (src/terraform-files.ts names paths the same way).
  const text = scope.files.read(posix.normalize(posix.join(scope.files.folder, path)));
  if (text === undefined) return UNKNOWN;
  if (name === 'file') return args.length === 1 ? text : UNKNOWN;
  if (args.length !== 2 || !isRecord(vars) || !known(vars)) return UNKNOWN;
  const value = evaluateHclString(text, { var: {}, local: {}, bound: vars });
  return typeof value === 'string' && !isUnknownValue(value) ? value : UNKNOWN;
}
