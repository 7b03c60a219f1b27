// The HCL syntax tree (tree-sitter): the grammar, trees per file text, and walking blocks, attributes and
// expressions by Terraform path. Shared by the parser (positions) and the writer (edits).
import { isNode, parseDocument } from 'yaml';
import { createRequire } from 'node:module';
import { Language, Parser, type Node as TsNode, type Tree } from 'web-tree-sitter';
import type { Range } from '../model.js';
import type { TfSeg } from './paths.js';
import { setOwn } from '../common/own-key.js';

export type { TsNode, Tree };

let parser: Parser | null = null;

/** Load the HCL grammar once; everything after is synchronous. */
export async function initHcl(): Promise<Parser> {
  if (parser) return parser;
  await Parser.init();
  const require = createRequire(import.meta.url);
  const language = await Language.load(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'));
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
  return p;
}

/** Whether initHcl() has loaded the grammar (syntax trees can be parsed synchronously). */
export function hclGrammarLoaded(): boolean {
  return parser !== null;
}

// The tree of the last file text, kept for the locate and edit calls that follow its parse (one parse per file,
// not one per finding). Deleted when another text replaces it: wasm memory is not garbage collected.
let cached: { text: string; tree: Tree } | null = null;
let using = 0;

export function syntaxTree<T>(text: string, use: (root: TsNode) => T, options: { cache?: boolean } = {}): T {
  if (!parser) throw new Error('initHcl() must run before HCL is located or edited');
  // A nested call on another text must not delete the tree its caller is walking.
  const cache = options.cache !== false && (using === 0 || cached?.text === text);
  if (cache && cached?.text === text) return withTree(cached.tree, use);
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  if (!cache) {
    try {
      return withTree(tree, use);
    } finally {
      tree.delete();
    }
  }
  cached?.tree.delete();
  cached = { text, tree };
  return withTree(tree, use);
}

/**
 * A file's own syntax tree, kept from its parse until the file is released after evaluation, so locating
 * and fixing its findings never parse it again. Trees live in wasm memory, which the garbage collector does
 * not free: release() deletes the tree, and a file dropped without release has it deleted when collected.
 */
export interface HeldTree {
  tree: Tree | null;
}
export const unreleased = new FinalizationRegistry<HeldTree>((held) => {
  held.tree?.delete();
  held.tree = null;
});

export function onTree<T>(held: HeldTree, text: string, current: string, use: (root: TsNode) => T): T {
  return held.tree && current === text ? withTree(held.tree, use) : syntaxTree(current, use);
}

export function withTree<T>(tree: Tree, use: (root: TsNode) => T): T {
  using++;
  try {
    return use(tree.rootNode);
  } finally {
    using--;
  }
}

// ---- the syntax tree ----

export const bodyOf = (block: TsNode) => block.namedChildren.find((c) => c?.type === 'body') ?? null;
export const nameOf = (node: TsNode) => node.firstNamedChild?.text ?? '';
export const labelsOf = (block: TsNode) =>
  block.namedChildren.filter((c) => c?.type === 'string_lit' || c?.type === 'identifier').slice(1).map((c) => unquote(c!.text));

function unquote(text: string): string {
  if (!text.startsWith('"')) return text;
  try {
    return JSON.parse(text) as string;
  } catch {
    // HCL escapes are nearly JSON's; a raw control character (a tab in a label) is not: keep it as written.
    return text.length > 1 && text.endsWith('"') ? text.slice(1, -1) : text.slice(1);
  }
}

// Top-level blocks of a tree by keyword and labels, built once per tree: every finding of a large file
// looks its resource up, and walking wasm-backed nodes for each would make that quadratic.
const topBlocks = new WeakMap<Tree, Map<string, TsNode>>();

/**
 * The keyword that names the file itself as a block: its top-level attributes (a Terragrunt unit's `inputs`) are
 * followed and written as a block's are.
 */
export const FILE_BODY = '';

export function topBlock(root: TsNode, keyword: string, labels: string[]): TsNode | null {
  if (keyword === FILE_BODY) return root;
  let index = topBlocks.get(root.tree);
  if (!index) {
    index = new Map();
    const body = root.namedChildren.find((c) => c?.type === 'body');
    for (const child of body?.namedChildren ?? []) {
      if (child?.type !== 'block') continue;
      const key = JSON.stringify([nameOf(child), ...labelsOf(child)]);
      if (!index.has(key)) index.set(key, child);
    }
    topBlocks.set(root.tree, index);
  }
  return index.get(JSON.stringify([keyword, ...labels])) ?? null;
}

/** `jsonencode(x)` / `yamlencode(x)` → the expression `x`, so paths reach inside encoded documents. */
function unwrapEncode(expression: TsNode): TsNode {
  const call = expression.namedChildren.length === 1 ? expression.namedChildren[0] : null;
  if (call?.type !== 'function_call' || !ENCODERS.has(nameOf(call))) return expression;
  const args = call.namedChildren.find((c) => c?.type === 'function_arguments');
  const only = args?.namedChildren.filter((c) => c?.type === 'expression') ?? [];
  return only.length === 1 ? only[0]! : expression;
}
const ENCODERS = new Set(['jsonencode', 'yamlencode']);

/** The object or tuple node inside an expression, if it is one. */
export function collectionOf(expression: TsNode, type: 'object' | 'tuple'): TsNode | null {
  const collection = unwrapEncode(expression).namedChildren.find((c) => c?.type === 'collection_value');
  return collection?.namedChildren.find((c) => c?.type === type) ?? null;
}

function elemKey(elem: TsNode): string {
  const key = elem.childForFieldName('key') ?? elem.namedChildren[0]!;
  return unquote(key.text.trim());
}

interface Located {
  node: TsNode;
  /** For a path that went past the existing tree: how many segments exist. */
  depth: number;
}

/** Follow Terraform segments from a block; stops at the deepest existing node. */
interface BodyEntry {
  type: string;
  name: string;
  node: TsNode;
}
const bodies = new WeakMap<Tree, Map<number, BodyEntry[]>>();

/**
 * A block's attributes and nested blocks with their names, read from the tree once per block: every finding
 * on a resource is located from its block, and each read of a node crosses into WebAssembly.
 */
function bodyEntries(block: TsNode): BodyEntry[] {
  let byBlock = bodies.get(block.tree);
  if (!byBlock) bodies.set(block.tree, (byBlock = new Map()));
  let entries = byBlock.get(block.id);
  if (!entries) {
    entries = (bodyOf(block)?.namedChildren ?? []).flatMap((c) => (c && (c.type === 'block' || c.type === 'attribute') ? [{ type: c.type, name: nameOf(c), node: c }] : []));
    byBlock.set(block.id, entries);
  }
  return entries;
}

/** The `content` block of the n-th `dynamic "<label>"` block among a block's entries, where the blocks it makes are written. */
function dynamicContent(entries: readonly BodyEntry[], seg: { dynamic: string; index: number }): TsNode | undefined {
  const dynamic = entries.filter((e) => e.type === 'block' && e.name === 'dynamic' && labelsOf(e.node)[0] === seg.dynamic)[seg.index]?.node;
  return dynamic ? bodyEntries(dynamic).find((e) => e.type === 'block' && e.name === 'content')?.node : undefined;
}

export function follow(start: TsNode, segs: TfSeg[]): Located {
  let node = start;
  let depth = 0;
  for (const seg of segs) {
    let next: TsNode | null | undefined = null;
    if ('block' in seg || 'attr' in seg || 'dynamic' in seg) {
      const entries = node.type === 'block' || node.type === 'config_file' ? bodyEntries(node) : [];
      if ('block' in seg) next = entries.filter((e) => e.type === 'block' && e.name === seg.block)[seg.index]?.node;
      else if ('attr' in seg) next = entries.find((e) => e.type === 'attribute' && e.name === seg.attr)?.node;
      else next = dynamicContent(entries, seg);
    } else {
      const expression = node.type === 'attribute' ? node.namedChildren[1] : node.type === 'object_elem' ? node.childForFieldName('val') : node;
      if (!expression) break;
      if ('key' in seg) {
        const object = collectionOf(expression, 'object');
        next = object?.namedChildren.find((c) => c?.type === 'object_elem' && elemKey(c) === seg.key);
      } else {
        const tuple = collectionOf(expression, 'tuple');
        next = tuple?.namedChildren.filter((c) => c?.type === 'expression')[seg.item];
      }
    }
    if (!next) break;
    node = next;
    depth++;
  }
  return { node, depth };
}

/**
 * Where a path continues inside a JSON document written as a heredoc or string (`policy = <<EOF { "Statement": [...] } EOF`):
 * the lines of the node at `rest` (object keys and list items) in that document, or null when it cannot be read.
 * JSON is YAML, so the yaml package gives the node ranges; interpolations inside JSON strings are plain text to it.
 */
export function rangeInEmbeddedJson(node: TsNode, rest: readonly TfSeg[]): Range | null {
  const value = valueNode(node);
  if (!value || rest.length === 0 || rest.some((seg) => !('key' in seg) && !('item' in seg))) return null;
  const text = value.text;
  if (!text.startsWith('<<')) return null; // a quoted string escapes its JSON: not located inside
  const start = text.search(/[{[]/);
  if (start < 0) return null;
  const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  if (end <= start) return null;
  const json = text.slice(start, end + 1);
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(json, { strict: false, uniqueKeys: false });
  } catch {
    return null;
  }
  if (doc.errors.length > 0) return null;
  const found = doc.getIn(rest.map((seg) => ('key' in seg ? seg.key : 'item' in seg ? seg.item : '')), true) as { range?: [number, number, number] } | undefined;
  if (!found || !isNode(found) || !found.range) return null;
  const lineAt = (offset: number) => value.startPosition.row + 1 + (text.slice(0, start + offset).match(/\n/g)?.length ?? 0);
  return { startLine: lineAt(found.range[0]), endLine: lineAt(Math.max(found.range[0], found.range[1] - 1)) };
}

export function rangeOfNode(node: TsNode): Range {
  const endRow = node.endPosition.column === 0 && node.endPosition.row > node.startPosition.row ? node.endPosition.row - 1 : node.endPosition.row;
  return { startLine: node.startPosition.row + 1, endLine: endRow + 1 };
}

// ---- expressions as values ----

/**
 * The value of an HCL expression that hcl2json left as a `${…}` string, as far as it is literal:
 * `jsonencode({ Statement = [...] })` becomes the object it encodes. Parts that are not literal
 * (references, calls, templates with interpolation) stay `${…}` strings, i.e. unknown. Returns
 * `undefined` when the text is not one expression. Needs initHcl() to have run (parsing does).
 */
export function hclExpressionValue(expression: string): unknown {
  if (!parser) return undefined;
  const inner = expression.startsWith('${') && expression.endsWith('}') ? expression.slice(2, -1) : expression;
  return syntaxTree(
    `x = ${inner}\n`,
    (root) => {
      if (root.hasError) return undefined;
      const attr = root.namedChildren.find((c) => c?.type === 'body')?.namedChildren[0];
      const expr = attr?.type === 'attribute' ? attr.namedChildren[1] : null;
      return expr ? expressionValue(unwrapEncode(expr)) : undefined;
    },
    { cache: false }, // keeps the file's tree cached
  );
}

function expressionValue(node: TsNode): unknown {
  const parts = node.namedChildren.filter((c): c is TsNode => c !== null && c.type !== 'comment');
  const only = parts.length === 1 ? parts[0]! : null;
  if (node.type === 'expression' && only) return expressionValue(only);
  switch (node.type) {
    case 'literal_value': {
      const lit = only ?? node;
      if (lit.type === 'numeric_lit') return Number(lit.text);
      if (lit.type === 'bool_lit') return lit.text === 'true';
      if (lit.type === 'null_lit') return null;
      if (lit.type === 'string_lit') return literalString(lit, node);
      return `\${${node.text}}`;
    }
    case 'collection_value':
      return only ? expressionValue(only) : `\${${node.text}}`;
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const elem of parts) {
        if (elem.type !== 'object_elem') continue;
        const val = elem.childForFieldName('val');
        setOwn(out, elemKey(elem), val ? expressionValue(val) : undefined);
      }
      return out;
    }
    case 'tuple':
      return parts.filter((c) => c.type === 'expression').map(expressionValue);
    case 'template_expr': {
      // A quoted or heredoc template: its text, with any interpolation kept as `${…}` (unknown).
      const template = only;
      if (template?.type === 'quoted_template') return literalString(template, node);
      if (template?.type === 'heredoc_template') {
        if (template.namedChildren.some((c) => c?.type === 'template_directive')) return `\${${node.text}}`;
        return template.namedChildren.filter((c) => c?.type === 'template_literal' || c?.type === 'template_interpolation').map((c) => c!.text).join('');
      }
      return `\${${node.text}}`;
    }
    default:
      return `\${${node.text}}`;
  }
}

/** A quoted string's value; one with a template directive (`%{ if … }`) is no literal: unknown, as `${…}`. */
function literalString(node: TsNode, expression: TsNode): string {
  return node.namedChildren.some((c) => c?.type === 'template_directive') ? `\${${expression.text}}` : stringValue(node);
}

/** A quoted string's value: escapes decoded, interpolations kept verbatim. */
function stringValue(node: TsNode): string {
  const body = node.text.replace(/^"/, '').replace(/"$/, '');
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, esc: string) => {
    if (esc[0] === 'u' || esc[0] === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' } as Record<string, string>)[esc] ?? esc;
  });
}

export function valueNode(node: TsNode): TsNode | null {
  if (node.type === 'attribute') return node.namedChildren[1] ?? null;
  if (node.type === 'object_elem') return node.childForFieldName('val');
  if (node.type === 'expression') return node;
  return null;
}

/** Parse `text` and hold its tree for `owner` until `release` (or until the owner is collected). */
export function holdTree(text: string, owner: object): { held: HeldTree; release: () => void } {
  if (!parser) throw new Error('initHcl() must run before HCL is located or edited');
  const held: HeldTree = { tree: parser.parse(text) };
  unreleased.register(owner, held, owner);
  return {
    held,
    release: () => {
      unreleased.unregister(owner);
      held.tree?.delete();
      held.tree = null;
    },
  };
}
