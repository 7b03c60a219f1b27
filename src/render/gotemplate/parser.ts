// Parser of Go's text/template: tokens → a tree per named template (the file itself and each
// `define`/`block`). Node positions are source offsets, turned into lines for errors and provenance.
import { lex, lineAt, TemplateSyntaxError, type Token } from './lexer.js';
import type { Origin } from './trace.js';

export type ArgNode =
  | { kind: 'dot'; pos: number }
  | { kind: 'field'; pos: number; chain: string[] }
  | { kind: 'variable'; pos: number; name: string; chain: string[] }
  | { kind: 'ident'; pos: number; name: string }
  | { kind: 'string'; pos: number; value: string }
  | { kind: 'number'; pos: number; value: number; text: string }
  | { kind: 'bool'; pos: number; value: boolean }
  | { kind: 'nil'; pos: number }
  | { kind: 'pipe'; pos: number; pipe: PipeNode }
  | { kind: 'chain'; pos: number; node: ArgNode; chain: string[] };

export interface CommandNode { pos: number; args: ArgNode[] }
export interface PipeNode { pos: number; decl: string[]; assign: boolean; cmds: CommandNode[] }

export type Node =
  | { kind: 'text'; pos: number; text: string }
  | { kind: 'action'; pos: number; pipe: PipeNode }
  | { kind: 'if' | 'with'; pos: number; pipe: PipeNode; list: Node[]; elseList: Node[] | null }
  | { kind: 'range'; pos: number; pipe: PipeNode; list: Node[]; elseList: Node[] | null }
  | { kind: 'template'; pos: number; name: string; pipe: PipeNode | null }
  | { kind: 'break' | 'continue'; pos: number };

/**
 * A parsed template: its body and the source it came from (for line numbers); `originAt`: where the text at a source
 * offset (on that line of the source) was written, for a template whose text comes from elsewhere (Helm's `tpl` of a
 * values string).
 */
export interface Tree { name: string; file: string; source: string; root: Node[]; originAt?: (pos: number, line: number) => Origin | undefined }

/**
 * Parses one file: returns its own tree (named `name`) plus every template it defines. `file` is
 * where its text lives, for errors and provenance (Helm names a template `chart/templates/x.yaml`).
 */
export function parse(name: string, source: string, file = name): Map<string, Tree> {
  const tokens = lex(file, source);
  const trees = new Map<string, Tree>();
  let i = 0;
  let rangeDepth = 0;
  const fail = (pos: number, message: string): never => {
    throw new TemplateSyntaxError(file, lineAt(source, pos), message);
  };
  const peek = (): Token => tokens[i]!;
  const next = (): Token => tokens[i++]!;
  const expect = (type: Token['type'], context: string): Token => {
    const t = next();
    if (t.type !== type) fail(t.pos, `unexpected ${describe(t)} in ${context}`);
    return t;
  };

  type End = 'end' | 'else' | 'eof';
  /** Parses nodes until `{{end}}`, `{{else …}}` or the end of input; returns which one stopped it. */
  function list(): { nodes: Node[]; stop: End; stopPos: number } {
    const nodes: Node[] = [];
    for (;;) {
      const t = next();
      if (t.type === 'eof') return { nodes, stop: 'eof', stopPos: t.pos };
      if (t.type === 'text') {
        nodes.push({ kind: 'text', pos: t.pos, text: t.value });
        continue;
      }
      if (t.type !== 'open') fail(t.pos, `unexpected ${describe(t)}`);
      const first = peek();
      if (first.type === 'comment') {
        next();
        expect('close', 'comment');
        continue;
      }
      if (first.type === 'keyword') {
        next();
        switch (first.value) {
          case 'end':
            expect('close', 'end');
            return { nodes, stop: 'end', stopPos: first.pos };
          case 'else':
            return { nodes, stop: 'else', stopPos: first.pos };
          case 'if':
          case 'with':
            nodes.push(control(first.value, first.pos));
            continue;
          case 'range': {
            rangeDepth++;
            nodes.push(control('range', first.pos));
            rangeDepth--;
            continue;
          }
          case 'break':
          case 'continue':
            if (rangeDepth === 0) fail(first.pos, `{{${first.value}}} outside {{range}}`);
            expect('close', first.value);
            nodes.push({ kind: first.value, pos: first.pos });
            continue;
          case 'template': {
            const name = expect('string', 'template clause');
            const pipe = peek().type === 'close' ? null : pipeline('template clause', false);
            expect('close', 'template clause');
            nodes.push({ kind: 'template', pos: first.pos, name: name.value, pipe });
            continue;
          }
          case 'define':
          case 'block': {
            const name = expect('string', `${first.value} clause`);
            const pipe = first.value === 'block' ? pipeline('block clause', false) : null;
            expect('close', `${first.value} clause`);
            const saved = rangeDepth;
            rangeDepth = 0;
            const body = list();
            rangeDepth = saved;
            if (body.stop !== 'end') fail(first.pos, `unexpected ${body.stop === 'eof' ? 'EOF' : '{{else}}'} in ${first.value} clause`);
            define({ name: name.value, file, source, root: body.nodes }, first.pos);
            if (first.value === 'block') nodes.push({ kind: 'template', pos: first.pos, name: name.value, pipe });
            continue;
          }
        }
      }
      const pipe = pipeline('command', true);
      expect('close', 'command');
      nodes.push({ kind: 'action', pos: first.pos, pipe });
    }
  }

  function control(kind: 'if' | 'with' | 'range', pos: number): Node {
    const pipe = pipeline(kind, true);
    expect('close', kind);
    const body = list();
    let elseList: Node[] | null = null;
    if (body.stop === 'else') {
      // `{{else if …}}` and `{{else with …}}` nest a control in the else branch sharing one {{end}}.
      const chained = peek();
      if (chained.type === 'keyword' && (chained.value === 'if' || chained.value === 'with') && kind !== 'range') {
        next();
        elseList = [control(chained.value, chained.pos)];
        return { kind, pos, pipe, list: body.nodes, elseList } as Node;
      }
      expect('close', 'else');
      const rest = list();
      if (rest.stop !== 'end') fail(pos, `expected end; found ${rest.stop === 'eof' ? 'EOF' : '{{else}}'}`);
      elseList = rest.nodes;
    } else if (body.stop !== 'end') {
      fail(pos, `unexpected EOF in ${kind}`);
    }
    return { kind, pos, pipe, list: body.nodes, elseList } as Node;
  }

  function pipeline(context: string, allowDecl: boolean): PipeNode {
    const start = peek().pos;
    const decl: string[] = [];
    let assign = false;
    // `$x :=`, `$x =`, or in range `$i, $v :=`.
    if (allowDecl && peek().type === 'variable' && !peek().value.includes('.')) {
      const save = i;
      const names = [next().value];
      if (peek().type === 'comma' && context === 'range') {
        next();
        const second = expect('variable', 'range declaration');
        names.push(second.value);
      }
      const op = peek();
      if (op.type === 'declare' || op.type === 'assign') {
        next();
        decl.push(...names);
        assign = op.type === 'assign';
      } else {
        i = save;
      }
    }
    const cmds: CommandNode[] = [];
    for (;;) {
      const cmdPos = peek().pos;
      const args: ArgNode[] = [];
      while (!['pipe', 'close', 'rparen', 'eof'].includes(peek().type)) args.push(operand());
      if (args.length === 0) fail(cmdPos, `missing value for ${context}`);
      cmds.push({ pos: cmdPos, args });
      if (peek().type !== 'pipe') break;
      next();
    }
    if (decl.length > 0 && cmds.length === 0) fail(start, `missing value for ${context}`);
    return { pos: start, decl, assign, cmds };
  }

  function operand(): ArgNode {
    const t = next();
    let node: ArgNode;
    switch (t.type) {
      case 'dot': node = { kind: 'dot', pos: t.pos }; break;
      case 'field': node = { kind: 'field', pos: t.pos, chain: t.value.split('.') }; break;
      case 'variable': {
        const [name, ...chain] = t.value.split('.');
        node = { kind: 'variable', pos: t.pos, name: name!, chain };
        break;
      }
      case 'ident': node = { kind: 'ident', pos: t.pos, name: t.value }; break;
      case 'string': node = { kind: 'string', pos: t.pos, value: t.value }; break;
      case 'char': node = { kind: 'number', pos: t.pos, value: Number(t.value), text: t.value }; break;
      case 'number': node = { kind: 'number', pos: t.pos, value: parseNumber(t), text: t.value }; break;
      case 'bool': node = { kind: 'bool', pos: t.pos, value: t.value === 'true' }; break;
      case 'nil': node = { kind: 'nil', pos: t.pos }; break;
      case 'lparen': {
        const pipe = pipeline('parenthesized pipeline', true);
        const close = expect('rparen', 'parenthesized pipeline');
        node = { kind: 'pipe', pos: t.pos, pipe };
        const after = peek();
        if (after.type === 'field' && after.pos === close.pos + 1) {
          next();
          node = { kind: 'chain', pos: t.pos, node, chain: after.value.split('.') };
        }
        break;
      }
      default:
        return fail(t.pos, `unexpected ${describe(t)} in operand`);
    }
    return node;
  }

  function parseNumber(t: Token): number {
    const negative = t.value.startsWith('-');
    const digits = t.value.replace(/^[+-]/, '').replace(/_/g, '');
    const magnitude = /^0[bB]/.test(digits) ? parseInt(digits.slice(2), 2)
      : /^0[oO]/.test(digits) ? parseInt(digits.slice(2), 8)
      : /^0\d+$/.test(digits) ? parseInt(digits, 8)
      : Number(digits);
    if (!Number.isFinite(magnitude)) fail(t.pos, `bad number syntax: ${JSON.stringify(t.value)}`);
    return negative ? -magnitude : magnitude;
  }

  /**
   * Go's rule within one file: an empty definition (only spaces and comments) gives way to any other, and two
   * that are not empty are an error.
   */
  function define(tree: Tree, pos: number): void {
    const earlier = trees.get(tree.name);
    if (!earlier || isEmptyTree(earlier.root)) trees.set(tree.name, tree);
    else if (!isEmptyTree(tree.root)) fail(pos, `template: multiple definition of template ${JSON.stringify(tree.name)}`);
  }

  const body = list();
  if (body.stop !== 'eof') fail(body.stopPos, `unexpected {{${body.stop}}}`);
  // The file's own tree; a file that only defines templates still has one (empty) body.
  define({ name, file, source, root: body.nodes }, 0);
  return trees;
}

/** Go's unicode.IsSpace, which bytes.TrimSpace trims (JavaScript's \s differs: it has U+FEFF, lacks U+0085). */
const GO_SPACES = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** text/template's parse.IsEmptyTree: nothing but space (comments are dropped when parsed). */
export function isEmptyTree(nodes: Node[]): boolean {
  return nodes.every((node) => node.kind === 'text' && GO_SPACES.test(node.text));
}

function describe(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'close') return '"}}"';
  return `<${t.value}>`;
}
