// The evaluator of text/template trees: executes a named template on data and returns the text
// with its provenance spans. Bounded by a Budget (steps, time, output, nesting), so a hostile
// template ends in an error, never a hang. Nothing is executed beyond these nodes and the given functions.
import { isEmptyTree, parse, type ArgNode, type CommandNode, type Node, type PipeNode, type Tree } from './parser.js';
import { originOf, spansOf, type Origin, type Span, type Val } from './trace.js';
import { formatValue, GoStruct, isMap, sortedKeys, truth, typeName } from './values.js';

export interface Limits {
  /** Nodes and function calls evaluated, over all templates of one render. */
  maxSteps: number;
  /** Characters written, over all templates of one render. */
  maxOutput: number;
  maxMillis: number;
  /** Nested template/include/tpl calls. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: Limits = { maxSteps: 5_000_000, maxOutput: 20_000_000, maxMillis: 5_000, maxDepth: 100 };

/** A run's shared allowance: every template and include of one chart draws on the same one. */
export class Budget {
  steps = 0;
  output = 0;
  private readonly deadline: number;
  constructor(readonly limits: Limits = DEFAULT_LIMITS) {
    this.deadline = Date.now() + limits.maxMillis;
  }
  step(at: Where): void {
    this.steps++;
    if (this.steps > this.limits.maxSteps) throw new LimitError(at, `more than ${this.limits.maxSteps} evaluation steps`);
    if ((this.steps & 0xfff) === 0 && Date.now() > this.deadline) throw new LimitError(at, `more than ${this.limits.maxMillis} ms`);
  }
  write(at: Where, length: number): void {
    this.output += length;
    if (this.output > this.limits.maxOutput) throw new LimitError(at, `more than ${this.limits.maxOutput} characters of output`);
  }
}

export interface Where { template: string; file: string; line: number }

/** An execution error, named as Go names it: template, file:line, what failed. */
export class TemplateExecError extends Error {
  constructor(readonly where: Where, readonly reason: string) {
    super(`template: ${where.file}:${where.line}: executing "${where.template}": ${reason}`);
    this.name = 'TemplateExecError';
  }
}
/** The budget ran out: the template is not rendered, and says why. */
export class LimitError extends TemplateExecError {
  constructor(where: Where, reason: string) {
    super(where, `render limit exceeded: ${reason}`);
    this.name = 'LimitError';
  }
}
/** A function the engine does not have (Helm or Sprig ones it lacks, or a typo). */
export class UnknownFunctionError extends TemplateExecError {
  constructor(where: Where, readonly fn: string) {
    super(where, `function "${fn}" not defined`);
    this.name = 'UnknownFunctionError';
  }
}
/** Raised by a function (`fail`, `required`, a bad argument): becomes an execution error at the call. */
export class FunctionError extends Error {}

/** A function's view of its call. */
export interface Call {
  name: string;
  /** The arguments with their provenance (the piped value last). */
  vals: Val[];
  exec: Executor;
  dot: Val;
  where: Where;
}
export type Func = (args: unknown[], call: Call) => unknown;

/** A function result that states its own provenance (include, toYaml, indent, …). */
export class Traced {
  constructor(readonly val: Val) {}
}

/** The rendered text of one template and where each part came from. */
export interface Rendered { text: string; spans: Span[] }

type Signal = 'break' | 'continue' | undefined;

class Out {
  text = '';
  spans: Span[] = [];
  constructor(private readonly budget: Budget) {}
  write(at: Where, text: string, spans: Span[]): void {
    if (text.length === 0) return;
    this.budget.write(at, text.length);
    const start = this.text.length;
    this.text += text;
    for (const s of spans) this.spans.push(start === 0 ? s : { start: s.start + start, end: s.end + start, origin: s.origin });
  }
}

/** The parsed templates of one render (a chart's files and their defines). */
export class TemplateSet {
  readonly trees = new Map<string, Tree>();
  private readonly lineStarts = new Map<string, number[]>();
  /**
   * Parses a file; its templates replace earlier ones of the same name, as Go's Parse does, except an empty one
   * (only spaces and comments), which never replaces a template already defined. Helm parses a chart's files in
   * its own order (src/render/helm.ts): the last one parsed wins.
   */
  add(name: string, source: string, file = name): void {
    for (const [defined, tree] of parse(name, source, file)) {
      if (!this.trees.has(defined) || !isEmptyTree(tree.root)) this.trees.set(defined, tree);
    }
  }
  lineOf(tree: Tree, pos: number): number {
    let starts = this.lineStarts.get(tree.source);
    if (!starts) {
      starts = [0];
      for (let i = tree.source.indexOf('\n'); i !== -1; i = tree.source.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts.set(tree.source, starts);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

interface Frame { tree: Tree; name: string; vars: { name: string; val: Val }[] }

export class Executor {
  private depth = 0;
  /** Every values key a field access read (printed or only tested), by `file:line`. */
  readonly reads = new Map<string, Origin>();
  constructor(
    readonly templates: TemplateSet,
    private readonly funcs: Record<string, Func>,
    readonly budget: Budget,
  ) {}

  /** Executes the template `name` with `dot` as data (and as `$`). */
  execute(name: string, dot: Val, at?: Where): Rendered {
    const tree = this.templates.trees.get(name);
    if (!tree) {
      const where = at ?? { template: name, file: name, line: 0 };
      throw new TemplateExecError(where, `no such template "${name}"`);
    }
    if (this.depth >= this.budget.limits.maxDepth) {
      throw new LimitError(at ?? { template: name, file: tree.file, line: 0 }, `templates nested more than ${this.budget.limits.maxDepth} deep (recursion?)`);
    }
    this.depth++;
    try {
      const out = new Out(this.budget);
      const frame: Frame = { tree, name, vars: [{ name: '$', val: dot }] };
      this.walk(frame, tree.root, dot, out);
      return { text: out.text, spans: out.spans };
    } finally {
      this.depth--;
    }
  }

  hasFunction(name: string): boolean {
    return Object.hasOwn(this.funcs, name);
  }

  private where(frame: Frame, pos: number): Where {
    return { template: frame.name, file: frame.tree.file, line: this.templates.lineOf(frame.tree, pos) };
  }
  private origin(frame: Frame, pos: number): Origin {
    const line = this.templates.lineOf(frame.tree, pos);
    return frame.tree.originAt?.(pos, line) ?? { kind: 'template', file: frame.tree.file, line };
  }

  private walk(frame: Frame, nodes: Node[], dot: Val, out: Out): Signal {
    for (const node of nodes) {
      this.budget.step(this.where(frame, node.pos));
      const signal = this.node(frame, node, dot, out);
      if (signal) return signal;
    }
    return undefined;
  }

  private node(frame: Frame, node: Node, dot: Val, out: Out): Signal {
    switch (node.kind) {
      case 'text': {
        // One span per source line, so every rendered line maps back to its template line.
        const first = this.templates.lineOf(frame.tree, node.pos);
        const spans: Span[] = [];
        let start = 0;
        let line = first;
        for (let nl = node.text.indexOf('\n'); ; nl = node.text.indexOf('\n', start)) {
          const end = nl === -1 ? node.text.length : nl + 1;
          if (end > start) spans.push({ start, end, origin: frame.tree.originAt?.(node.pos + start, line) ?? { kind: 'template', file: frame.tree.file, line } });
          if (nl === -1) break;
          start = end;
          line++;
        }
        out.write(this.where(frame, node.pos), node.text, spans);
        return undefined;
      }
      case 'action': {
        const val = this.pipe(frame, node.pipe, dot, true);
        if (node.pipe.decl.length > 0) return undefined;
        const text = printed(val.v);
        const spans = val.origin || val.spans ? spansOf(val, text.length) : [{ start: 0, end: text.length, origin: this.origin(frame, node.pos) }];
        out.write(this.where(frame, node.pos), text, spans);
        return undefined;
      }
      case 'if':
      case 'with': {
        const mark = frame.vars.length;
        try {
          const val = this.pipe(frame, node.pipe, dot, true);
          if (truth(val.v)) return this.walk(frame, node.list, node.kind === 'with' ? val : dot, out);
          return node.elseList ? this.walk(frame, node.elseList, dot, out) : undefined;
        } finally {
          frame.vars.length = mark;
        }
      }
      case 'range':
        return this.range(frame, node, dot, out);
      case 'break':
      case 'continue':
        return node.kind;
      case 'template': {
        const arg = node.pipe ? this.pipe(frame, node.pipe, dot, false) : { v: undefined };
        const rendered = this.execute(node.name, arg, this.where(frame, node.pos));
        out.write(this.where(frame, node.pos), rendered.text, rendered.spans);
        return undefined;
      }
    }
  }

  private range(frame: Frame, node: Extract<Node, { kind: 'range' }>, dot: Val, out: Out): Signal {
    const mark = frame.vars.length;
    try {
      const val = this.pipe(frame, { ...node.pipe, decl: [] }, dot, false);
      const items: [Val, Val][] = [];
      const v = val.v;
      if (Array.isArray(v)) v.forEach((x, i) => items.push([{ v: i }, { v: x, origin: originOf(v, i) }]));
      else if (isMap(v)) for (const k of sortedKeys(v)) items.push([{ v: k, origin: originOf(v, k) }, { v: v[k], origin: originOf(v, k) }]);
      else if (v instanceof GoStruct && v.entries) for (const k of sortedKeys(v.entries)) items.push([{ v: k }, { v: v.entries[k] }]);
      else if (typeof v === 'number' && Number.isInteger(v)) {
        if (v > this.budget.limits.maxSteps) throw new LimitError(this.where(frame, node.pos), `range over ${v}`);
        for (let i = 0; i < v; i++) items.push([{ v: i }, { v: i }]);
      } else if (v !== null && v !== undefined) {
        throw new TemplateExecError(this.where(frame, node.pos), `range can't iterate over ${formatValue(v)}`);
      }
      if (items.length === 0) return node.elseList ? this.walk(frame, node.elseList, dot, out) : undefined;
      const [first, second] = node.pipe.decl;
      for (const [key, elem] of items) {
        this.budget.step(this.where(frame, node.pos));
        const inner = frame.vars.length;
        if (first !== undefined && second !== undefined) frame.vars.push({ name: first, val: key }, { name: second, val: elem });
        else if (first !== undefined) frame.vars.push({ name: first, val: elem });
        const signal = this.walk(frame, node.list, elem, out);
        frame.vars.length = inner;
        if (signal === 'break') break;
      }
      return undefined;
    } finally {
      frame.vars.length = mark;
    }
  }

  private pipe(frame: Frame, pipe: PipeNode, dot: Val, declare: boolean): Val {
    let val: Val | undefined;
    for (const cmd of pipe.cmds) val = this.command(frame, cmd, dot, val);
    const result = val ?? { v: undefined };
    if (declare) {
      for (const name of pipe.decl) {
        if (pipe.assign) {
          const slot = [...frame.vars].reverse().find((x) => x.name === name);
          if (!slot) throw new TemplateExecError(this.where(frame, pipe.pos), `undefined variable: ${name}`);
          slot.val = result;
        } else {
          frame.vars.push({ name, val: result });
        }
      }
    }
    return result;
  }

  private command(frame: Frame, cmd: CommandNode, dot: Val, final: Val | undefined): Val {
    const [first, ...rest] = cmd.args;
    this.budget.step(this.where(frame, cmd.pos));
    switch (first!.kind) {
      case 'ident':
        return this.call(frame, first!.name, rest, dot, final, first!.pos);
      case 'field':
        return this.chain(frame, dot, first!.chain, rest, dot, final, first!.pos);
      case 'variable':
        return this.chain(frame, this.variable(frame, first!.name, first!.pos), first!.chain, rest, dot, final, first!.pos);
      case 'chain':
        return this.chain(frame, this.arg(frame, first!.node, dot), first!.chain, rest, dot, final, first!.pos);
      default:
        if (rest.length > 0 || final) throw new TemplateExecError(this.where(frame, first!.pos), `can't give argument to non-function ${describeArg(first!)}`);
        return this.arg(frame, first!, dot);
    }
  }

  private variable(frame: Frame, name: string, pos: number): Val {
    for (let i = frame.vars.length - 1; i >= 0; i--) if (frame.vars[i]!.name === name) return frame.vars[i]!.val;
    throw new TemplateExecError(this.where(frame, pos), `undefined variable: ${name}`);
  }

  private arg(frame: Frame, node: ArgNode, dot: Val): Val {
    switch (node.kind) {
      case 'dot': return dot;
      case 'field': return this.chain(frame, dot, node.chain, [], dot, undefined, node.pos);
      case 'variable': return this.chain(frame, this.variable(frame, node.name, node.pos), node.chain, [], dot, undefined, node.pos);
      case 'chain': return this.chain(frame, this.arg(frame, node.node, dot), node.chain, [], dot, undefined, node.pos);
      case 'ident': return this.call(frame, node.name, [], dot, undefined, node.pos);
      case 'pipe': {
        // Variables declared inside parentheses stay visible after them, as in Go.
        return this.pipe(frame, node.pipe, dot, true);
      }
      case 'string':
      case 'number':
      case 'bool':
        return { v: node.value };
      case 'nil':
        return { v: null };
    }
  }

  /** Evaluates `.A.B.C args…`: fields of maps and structs; the last may be a method taking args. */
  private chain(frame: Frame, receiver: Val, chain: string[], args: ArgNode[], dot: Val, final: Val | undefined, pos: number): Val {
    let cur = receiver;
    for (let i = 0; i < chain.length; i++) {
      const name = chain[i]!;
      const last = i === chain.length - 1;
      const v = cur.v;
      const where = this.where(frame, pos);
      if (v === null || v === undefined) throw new TemplateExecError(where, `nil pointer evaluating interface {}.${name}`);
      if (v instanceof GoStruct) {
        if (!Object.hasOwn(v.fields, name)) throw new TemplateExecError(where, `can't evaluate field ${name} in type ${v.typeName}`);
        const field = v.fields[name];
        if (typeof field === 'function') {
          const vals = last ? [...args.map((a) => this.arg(frame, a, dot)), ...(final ? [final] : [])] : [];
          cur = this.invoke(`${v.typeName}.${name}`, field as Func, vals, dot, where);
          continue;
        }
        cur = { v: field };
      } else if (isMap(v)) {
        const origin = originOf(v, name);
        if (origin?.kind === 'values') this.reads.set(`${origin.file}:${origin.line}`, origin);
        cur = { v: Object.hasOwn(v, name) ? v[name] : undefined, origin };
      } else {
        throw new TemplateExecError(where, `can't evaluate field ${name} in type ${typeName(v)}`);
      }
      if (last && (args.length > 0 || final)) throw new TemplateExecError(where, `${name} has arguments but cannot be invoked as function`);
    }
    if (chain.length === 0 && (args.length > 0 || final)) throw new TemplateExecError(this.where(frame, pos), `can't give argument to non-function`);
    return cur;
  }

  private call(frame: Frame, name: string, argNodes: ArgNode[], dot: Val, final: Val | undefined, pos: number): Val {
    const where = this.where(frame, pos);
    // `and` and `or` stop at the first argument that decides, as in Go 1.18+.
    if (name === 'and' || name === 'or') {
      const all = [...argNodes.map((n) => () => this.arg(frame, n, dot)), ...(final ? [() => final] : [])];
      if (all.length === 0) throw new TemplateExecError(where, `wrong number of args for ${name}: want at least 1 got 0`);
      let val: Val = { v: undefined };
      for (const next of all) {
        val = next();
        if (truth(val.v) === (name === 'or')) return val;
      }
      return val;
    }
    const fn = Object.hasOwn(this.funcs, name) ? this.funcs[name] : undefined;
    if (!fn) throw new UnknownFunctionError(where, name);
    const vals = [...argNodes.map((n) => this.arg(frame, n, dot)), ...(final ? [final] : [])];
    return this.invoke(name, fn, vals, dot, where);
  }

  private invoke(name: string, fn: Func, vals: Val[], dot: Val, where: Where): Val {
    this.budget.step(where);
    let result: unknown;
    try {
      result = fn(vals.map((x) => x.v), { name, vals, exec: this, dot, where });
    } catch (error) {
      if (error instanceof TemplateExecError) throw error;
      if (error instanceof FunctionError) throw new TemplateExecError(where, `error calling ${name}: ${error.message}`);
      throw new TemplateExecError(where, `error calling ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (result instanceof Traced) return result.val;
    return traceResult(result, vals);
  }

  /**
   * Runs a template defined at run time (Helm's `tpl`) within this render's budget. Helm parses tpl text into a
   * template set of its own, where the chart's definitions win over the text's, and which is gone after the call: a
   * text that defines a template the chart defines too is refused (not rendered), and the ones it adds are removed
   * when it returns.
   */
  executeText(name: string, source: string, dot: Val, at: Where, originAt?: Tree['originAt']): Rendered {
    const trees = parse(name, source, name);
    if (originAt) for (const tree of trees.values()) tree.originAt = originAt;
    for (const defined of trees.keys()) {
      if (this.templates.trees.has(defined)) throw new TemplateExecError(at, `tpl text defines template ${JSON.stringify(defined)}, which is defined already: Warden does not render which definition Helm uses`);
    }
    for (const [defined, tree] of trees) this.templates.trees.set(defined, tree);
    try {
      return this.execute(name, dot, at);
    } finally {
      for (const defined of trees.keys()) this.templates.trees.delete(defined);
    }
  }
}

/**
 * The provenance of a function's result when the function does not state it: an argument it
 * returned as is (default, coalesce, ternary, required) is that argument, origin included; a value
 * derived from exactly one traced argument (upper, b64enc, toString) takes that argument's origin.
 */
function traceResult(result: unknown, vals: Val[]): Val {
  let same: Val | undefined;
  for (let i = vals.length - 1; i >= 0; i--) {
    const val = vals[i]!;
    if (val.v !== result) continue;
    if (val.origin || val.spans) return val;
    same ??= val;
  }
  if (same) return same;
  const traced = vals.filter((x) => x.origin);
  return traced.length === 1 ? { v: result, origin: traced[0]!.origin } : { v: result };
}

/** An action's output: Helm prints a missing value as nothing (it erases Go's "<no value>"). */
function printed(v: unknown): string {
  return v === null || v === undefined ? '' : formatValue(v);
}

function describeArg(node: ArgNode): string {
  switch (node.kind) {
    case 'string': return JSON.stringify(node.value);
    case 'number': return node.text;
    case 'bool': return String(node.value);
    default: return node.kind;
  }
}

