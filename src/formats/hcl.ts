// Terraform HCL: values from @cdktf/hcl2json, positions from a real HCL syntax tree (tree-sitter),
// and ops rendered as text insertions/replacements that keep the file's layout.
import { createRequire } from 'node:module';
import { Language, Parser, type Node as TsNode, type Tree } from 'web-tree-sitter';
import type { EditOp, ParsedFile, Path, Range, Resource } from '../model.js';
import { isRecord } from '../engine/path.js';
import { kubernetesKindOf, nativePaths, toCanonical, toTerraformPath, type TfSeg } from './paths.js';
import { MAX_NESTING } from '../engine/limits.js';
import { deepNestingLine } from './text.js';
import { resourceId } from './yaml.js';

let parser: Parser | null = null;

// Importing @cdktf/hcl2json starts its Go runtime (tens of MB): only a thread that parses Terraform loads it.
let hcl2json: Promise<typeof import('@cdktf/hcl2json')> | null = null;
async function hclToJson(file: string, text: string): Promise<unknown> {
  hcl2json ??= import('@cdktf/hcl2json');
  return (await hcl2json).parse(file, text);
}

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

// The tree of the last file text, kept for the locate and edit calls that follow its parse (one parse per file,
// not one per finding). Deleted when another text replaces it: wasm memory is not garbage collected.
let cached: { text: string; tree: Tree } | null = null;
let using = 0;

function syntaxTree<T>(text: string, use: (root: TsNode) => T, options: { cache?: boolean } = {}): T {
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
interface HeldTree {
  tree: Tree | null;
}
const unreleased = new FinalizationRegistry<HeldTree>((held) => {
  held.tree?.delete();
  held.tree = null;
});

function onTree<T>(held: HeldTree, text: string, current: string, use: (root: TsNode) => T): T {
  return held.tree && current === text ? withTree(held.tree, use) : syntaxTree(current, use);
}

function withTree<T>(tree: Tree, use: (root: TsNode) => T): T {
  using++;
  try {
    return use(tree.rootNode);
  } finally {
    using--;
  }
}

/** `main.tf:2,7-3,1: Invalid expression; …` → line 2. */
export function hclErrorLine(message: string): { line: number; message: string } {
  const match = /:(\d+),(\d+)-\d+(?:,\d+)?: ([^\]]*)/.exec(message);
  if (!match) return { line: 1, message: message.replace(/^parse config: /, '') };
  return { line: Number(match[1]), message: match[3]!.split(/\], |, [\w./-]+:\d+,\d+-/)[0]!.trim() };
}

// ---- the syntax tree ----

const bodyOf = (block: TsNode) => block.namedChildren.find((c) => c?.type === 'body') ?? null;
const nameOf = (node: TsNode) => node.namedChildren[0]?.text ?? '';
const labelsOf = (block: TsNode) =>
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

function topBlock(root: TsNode, keyword: string, labels: string[]): TsNode | null {
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
function collectionOf(expression: TsNode, type: 'object' | 'tuple'): TsNode | null {
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
function follow(start: TsNode, segs: TfSeg[]): Located {
  let node = start;
  let depth = 0;
  for (const seg of segs) {
    let next: TsNode | null | undefined = null;
    if ('block' in seg || 'attr' in seg) {
      const body = node.type === 'block' ? bodyOf(node) : null;
      const children = body?.namedChildren ?? [];
      if ('block' in seg) {
        next = children.filter((c) => c?.type === 'block' && nameOf(c) === seg.block)[seg.index];
      } else {
        const attr = children.find((c) => c?.type === 'attribute' && nameOf(c) === seg.attr);
        next = attr;
      }
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

function rangeOfNode(node: TsNode): Range {
  const endRow = node.endPosition.column === 0 && node.endPosition.row > node.startPosition.row ? node.endPosition.row - 1 : node.endPosition.row;
  return { startLine: node.startPosition.row + 1, endLine: endRow + 1 };
}

// ---- parsing ----

export type HclJson = Record<string, Record<string, Record<string, Record<string, unknown>[]>>>;

// hcl2json is Go compiled to wasm: deep nesting overflows the JS stack inside it (from ~3,000 levels here), and
// its runtime is broken afterwards: the next call aborts the process. Deeper text than MAX_NESTING is never handed to it.
let hclRuntimeBroken = false;

/** False once hcl2json has failed in a way that leaves its Go runtime unusable (a worker then replaces itself). */
export function hclRuntimeHealthy(): boolean {
  return !hclRuntimeBroken;
}

/** A `.tf` whose text is JSON: Terraform reads JSON syntax only from `*.tf.json` files. */
function looksLikeJson(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export async function parseHcl(file: string, text: string): Promise<ParsedFile> {
  return (await parseHclWithJson(file, text)).parsed;
}

/** parseHcl, also giving hcl2json's output (null when the file did not parse). */
export async function parseHclWithJson(file: string, text: string): Promise<{ parsed: ParsedFile; json: HclJson | null }> {
  const parsed: ParsedFile = { file, format: 'hcl', text, resources: [], errors: [], notes: [] };
  await initHcl();
  const deep = deepNestingLine(text, MAX_NESTING, '{[(', '}])');
  if (deep !== null) {
    parsed.errors.push({ line: deep, message: `brackets nest deeper than ${MAX_NESTING} levels: not parsed` });
    return { parsed, json: null };
  }
  if (hclRuntimeBroken) {
    parsed.errors.push({ line: 1, message: 'the HCL parser failed on an earlier file and cannot parse more in this process' });
    return { parsed, json: null };
  }
  let json: HclJson;
  try {
    json = (await hclToJson(file, text)) as HclJson;
  } catch (error) {
    if (error instanceof RangeError) hclRuntimeBroken = true;
    if (looksLikeJson(text)) {
      parsed.errors.push({ line: 1, message: 'this file holds JSON, not HCL: Terraform reads JSON syntax only from files named `*.tf.json`, so rename it' });
      return { parsed, json: null };
    }
    parsed.errors.push(hclErrorLine(String((error as Error).message ?? error)));
    return { parsed, json: null };
  }
  return { parsed: hclResources(file, text, json, parsed), json };
}

/**
 * The synchronous half of parseHcl: resources from hcl2json's output and the syntax tree. A worker ships the
 * JSON, and the main thread rebuilds resources from it when it needs to locate or edit (initHcl() must have run).
 */
export function hclResources(file: string, text: string, json: HclJson, parsed: ParsedFile = { file, format: 'hcl', text, resources: [], errors: [], notes: [] }): ParsedFile {
  if (!parser) throw new Error('initHcl() must run before HCL is located or edited');
  const held: HeldTree = { tree: parser.parse(text) };
  unreleased.register(parsed, held, parsed);
  parsed.release = () => {
    unreleased.unregister(parsed);
    held.tree?.delete();
    held.tree = null;
  };
  onTree(held, text, text, (root) => {
    for (const blockType of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(json[blockType] ?? {})) {
        for (const [name, bodies] of Object.entries(byName ?? {})) {
          const tfBody = Array.isArray(bodies) ? bodies[0] : bodies;
          if (!isRecord(tfBody)) continue;
          const block = topBlock(root, blockType, [type, name]);
          if (!block) continue;
          parsed.resources.push(makeResource(file, text, held, blockType, type, name, tfBody, rangeOfNode(block)));
        }
      }
    }
  });
  // hcl2json sorts keys: put resources back in file order.
  parsed.resources.sort((a, b) => a.range.startLine - b.range.startLine);
  return parsed;
}

function makeResource(
  file: string,
  text: string,
  held: HeldTree,
  blockType: 'resource' | 'data',
  type: string,
  name: string,
  tfBody: Record<string, unknown>,
  range: Range,
): Resource {
  const address = blockType === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
  const labels = [type, name];
  const k8s = kubernetesKindOf(type);
  let view: { body: Record<string, unknown>; paths: Map<string, TfSeg[]>; native: boolean };
  if (type === 'kubernetes_manifest' && isRecord(tfBody.manifest)) {
    const paths = nativePaths({ manifest: tfBody.manifest });
    const prefixed = new Map<string, TfSeg[]>();
    // The manifest object is the body: strip the leading `.manifest` from every recorded path.
    for (const [key, segs] of paths) if (key.startsWith('.manifest')) prefixed.set(key.slice('.manifest'.length), segs);
    view = { body: tfBody.manifest, paths: prefixed, native: true };
  } else if (k8s) {
    view = { ...toCanonical(tfBody, k8s.kind, k8s.apiVersion), native: false };
  } else {
    view = { body: tfBody, paths: nativePaths(tfBody), native: true };
  }
  const body = view.body;
  const meta = isRecord(body.metadata) ? body.metadata : {};
  const kind = typeof body.kind === 'string' && (k8s || type === 'kubernetes_manifest') ? body.kind : type;
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const resolve = (path: Path, valueIsObject = false) =>
    toTerraformPath(path, view.paths, { native: view.native, valueIsObject });
  return {
    id: address,
    kind,
    apiVersion: typeof body.apiVersion === 'string' ? body.apiVersion : undefined,
    name: typeof meta.name === 'string' && (k8s || type === 'kubernetes_manifest') ? meta.name : name,
    namespace,
    terraform: { block: blockType, type, name },
    file,
    format: 'hcl',
    range,
    body,
    source: {
      locate: (path) =>
        onTree(held, text, text, (root) => {
          const block = topBlock(root, blockType, labels);
          if (!block) return { ...range, exact: false };
          const segs = resolve(path);
          const { node, depth } = follow(block, segs);
          return { ...rangeOfNode(node), exact: depth === segs.length };
        }),
      apply: (current, ops) => {
        let acc = current;
        // Where this resource's block stands in `acc`: once the text has changed, later ops re-parse only the
        // block (it is valid HCL on its own), not the whole file.
        let span = null as { start: number; end: number } | null;
        for (const op of ops) {
          if (op.path[0] === NEW_RESOURCE && op.op === 'set' && isRecord(op.value)) {
            const value = op.value;
            const before = acc;
            // A new resource goes after this block: the block's span does not move.
            acc = onTree(held, text, before, (root) => applyNewResource(before, root, { blockType, labels }, String(op.path[1]), String(op.path[2]), value));
            continue;
          }
          const segs = resolve(op.path, op.op !== 'remove' && isRecord((op as { value?: unknown }).value));
          const before = acc;
          if (span) {
            const { start, end }: { start: number; end: number } = span;
            const slice = before.slice(start, end);
            const edited = syntaxTree(slice, (root) => applyHclOp(slice, root, blockType, labels, segs, op), { cache: false });
            acc = before.slice(0, start) + edited + before.slice(end);
            span = { start, end: end + edited.length - slice.length };
            continue;
          }
          acc = onTree(held, text, before, (root) => {
            const block = topBlock(root, blockType, labels);
            const after = applyHclOp(before, root, blockType, labels, segs, op);
            // Only a block that starts its line can be re-parsed alone with the same indentation.
            if (block && lineStart(before, block.startIndex) === block.startIndex) {
              span = { start: block.startIndex, end: block.endIndex + after.length - before.length };
            }
            return after;
          });
        }
        return acc;
      },
    },
  };
}

/** For callers that build resource ids for Kubernetes kinds from Terraform (reports, fingerprints). */
export function kubernetesResourceId(resource: Resource): string {
  return resourceId(resource.kind, resource.name, resource.namespace);
}

// ---- writing ----

export function renderHclValue(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value.startsWith('${') && value.endsWith('}') ? value.slice(2, -1) : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => renderHclValue(v, indent)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const inner = indent + '  ';
  const width = Math.max(...entries.map(([k]) => hclKey(k).length));
  return `{\n${entries.map(([k, v]) => `${inner}${hclKey(k).padEnd(width)} = ${renderHclValue(v, inner)}`).join('\n')}\n${indent}}`;
}

function hclKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
}

/** Render the missing tail of a path as nested blocks / object elements ending in the value. */
function renderMissing(segs: TfSeg[], value: unknown, indent: string, equalsColumn: number): string {
  const [seg, ...rest] = segs;
  if (!seg) return '';
  if ('block' in seg) {
    const inner = renderMissing(rest, value, indent + '  ', 0);
    return `${indent}${seg.block} {\n${inner}\n${indent}}`;
  }
  const name = 'attr' in seg ? seg.attr : 'key' in seg ? hclKey(seg.key) : String(seg.item);
  if (rest.length === 0) {
    return `${indent}${name.padEnd(Math.max(equalsColumn - indent.length - 1, name.length))} = ${renderHclValue(value, indent)}`;
  }
  const nested = rest.reduceRight<unknown>((acc, s) => ({ [('key' in s ? s.key : 'attr' in s ? s.attr : 'block' in s ? s.block : String(s.item))]: acc }), value);
  return `${indent}${name} = ${renderHclValue(nested, indent)}`;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

function indentOf(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** The `=` column of the run of single-line attributes just before `closing`, for terraform fmt alignment. */
function alignmentColumn(children: TsNode[]): number {
  const run: TsNode[] = [];
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i]!;
    if (child.type === 'comment') continue;
    if (child.type !== 'attribute' && child.type !== 'object_elem') break;
    run.unshift(child);
  }
  const single = run.filter((c) => c.startPosition.row === c.endPosition.row);
  if (single.length < 2) return 0;
  const columns = single.map((c) => c.text.indexOf('=') + c.startPosition.column);
  return columns.every((col) => col === columns[0]) ? columns[0]! : 0;
}

function applyHclOp(text: string, root: TsNode, blockType: string, labels: string[], segs: TfSeg[], op: EditOp): string {
  const block = topBlock(root, blockType, labels);
  if (!block) return text;
  const { node, depth } = follow(block, segs);
  const complete = depth === segs.length;
  if (op.op === 'remove') {
    if (!complete) return text;
    return removeNode(text, node);
  }
  if (op.op === 'append') {
    if (!complete) return applyHclOp(text, root, blockType, labels, segs, { op: 'set', path: op.path, value: [op.value] });
    const tuple = collectionOf(valueNode(node)!, 'tuple');
    if (!tuple) return text;
    const items = tuple.namedChildren.filter((c) => c?.type === 'expression').map((c) => c!.text);
    const rendered = renderHclValue(op.value, '');
    if (items.includes(rendered)) return text;
    return replaceSpan(text, tuple.startIndex, tuple.endIndex, `[${[...items, rendered].join(', ')}]`);
  }
  if (complete) {
    const value = valueNode(node);
    if (!value) return text;
    const indent = indentOf(text, node.startIndex);
    const rendered = renderHclValue(op.value, indent);
    return value.text === rendered ? text : replaceSpan(text, value.startIndex, value.endIndex, rendered);
  }
  return insertMissing(text, node, segs.slice(depth), op.value);
}

function valueNode(node: TsNode): TsNode | null {
  if (node.type === 'attribute') return node.namedChildren[1] ?? null;
  if (node.type === 'object_elem') return node.childForFieldName('val');
  if (node.type === 'expression') return node;
  return null;
}

function replaceSpan(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}

/** Remove an attribute, block or object element with its whole lines; a tuple item by re-rendering the tuple. */
function removeNode(text: string, node: TsNode): string {
  const parent = node.parent;
  if (node.type === 'expression' && parent?.type === 'tuple') {
    const items = parent.namedChildren.filter((c) => c?.type === 'expression' && c.id !== node.id).map((c) => c!.text);
    return replaceSpan(text, parent.startIndex, parent.endIndex, `[${items.join(', ')}]`);
  }
  const start = lineStart(text, node.startIndex);
  const end = lineEnd(text, node.endIndex - 1);
  const alone = text.slice(start, node.startIndex).trim() === '' && text.slice(node.endIndex, end).replace(/,?\s*(#.*|\/\/.*)?$/, '').trim() === '';
  if (alone) return text.slice(0, start) + text.slice(end);
  return replaceSpan(text, node.startIndex, node.endIndex, '');
}

/** Insert the missing tail of a path inside the deepest existing block or object. */
function insertMissing(text: string, container: TsNode, missing: TfSeg[], value: unknown): string {
  let children: TsNode[];
  let closing: TsNode | null;
  let opening: TsNode | null;
  if (container.type === 'block') {
    const body = bodyOf(container);
    children = (body?.namedChildren ?? []).filter((c): c is TsNode => c !== null);
    opening = container.namedChildren.find((c) => c?.type === 'block_start') ?? null;
    closing = container.namedChildren.find((c) => c?.type === 'block_end') ?? null;
  } else {
    const expression = valueNode(container);
    const object = expression ? collectionOf(expression, 'object') : null;
    if (!object) return text;
    children = object.namedChildren.filter((c): c is TsNode => c?.type === 'object_elem' || c?.type === 'comment');
    opening = object.namedChildren.find((c) => c?.type === 'object_start') ?? null;
    closing = object.namedChildren.find((c) => c?.type === 'object_end') ?? null;
  }
  if (!opening || !closing) return text;
  const outer = indentOf(text, container.startIndex);
  const firstChild = children.find((c) => c.type !== 'comment');
  const inner = firstChild && firstChild.startPosition.row > opening.startPosition.row ? indentOf(text, firstChild.startIndex) : outer + '  ';
  const rendered = renderMissing(missing, value, inner, alignmentColumn(children));
  if (closing.startPosition.row === opening.startPosition.row || (firstChild && firstChild.startPosition.row === opening.startPosition.row)) {
    // A one-line block or object: open it up.
    const existing = children.filter((c) => c.type !== 'comment').map((c) => `${inner}${c.text}`);
    const lines = [...existing, rendered].join('\n');
    return replaceSpan(text, opening.endIndex, closing.startIndex, `\n${lines}\n${outer}`);
  }
  if (missing.length === 1 && !('block' in missing[0]!)) {
    // One attribute: terraform fmt style puts attributes before nested blocks, so it goes after the
    // last attribute that precedes the first nested block (or at the end), aligned with its group.
    const firstBlock = children.findIndex((c) => c.type === 'block');
    const scope = firstBlock === -1 ? children : children.slice(0, firstBlock);
    let last = scope.length - 1;
    while (last >= 0 && scope[last]!.type === 'comment') last--;
    const anchor = last >= 0 && scope[last]!.type !== 'block' ? scope[last]! : null;
    const at = anchor ? lineEnd(text, anchor.endIndex - 1) : firstBlock === -1 ? lineStart(text, closing.startIndex) : lineEnd(text, opening.endIndex - 1);
    const seg = missing[0]!;
    const name = 'attr' in seg ? seg.attr : 'key' in seg ? hclKey(seg.key) : String(seg.item);
    return insertAligned(text, anchor ? alignmentGroup(scope.slice(0, last + 1)) : [], at, inner, name, renderHclValue(value, inner));
  }
  const at = lineStart(text, closing.startIndex);
  return text.slice(0, at) + rendered + '\n' + text.slice(at);
}

/** The attributes terraform fmt aligns with a line added after the last one: adjacent single-line ones. */
function alignmentGroup(children: TsNode[]): TsNode[] {
  const group: TsNode[] = [];
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i]!;
    if ((child.type !== 'attribute' && child.type !== 'object_elem') || child.startPosition.row !== child.endPosition.row) break;
    if (group.length > 0 && group[0]!.startPosition.row !== child.startPosition.row + 1) break;
    group.unshift(child);
  }
  return group;
}

function keyText(node: TsNode): string {
  return node.type === 'object_elem' ? (node.childForFieldName('key') ?? node.namedChildren[0]!).text.trim() : nameOf(node);
}

/**
 * Insert `name = value` at `at`. When the group's `=` signs are aligned (terraform fmt), the new line
 * is aligned with them, and when its name is longer, the group is re-aligned as fmt would.
 */
function insertAligned(text: string, group: TsNode[], at: number, indent: string, name: string, valueText: string): string {
  const eq = (node: TsNode) => node.startIndex + node.text.indexOf('=');
  const columns = group.map((n) => n.startPosition.column + n.text.indexOf('='));
  const aligned = group.length > 0 && columns.every((c) => c === columns[0]) && group.every((n) => /^\S+ +=/.test(n.text));
  if (!aligned) return text.slice(0, at) + `${indent}${name} = ${valueText}\n` + text.slice(at);
  const width = Math.max(name.length, ...group.map((n) => keyText(n).length));
  let out = text.slice(0, at) + `${indent}${name.padEnd(width)} = ${valueText}\n` + text.slice(at);
  // Re-pad from the last line up so earlier offsets stay valid.
  for (const node of [...group].reverse()) {
    const keyEnd = node.startIndex + keyText(node).length;
    out = out.slice(0, keyEnd) + ' '.repeat(width - keyText(node).length + 1) + out.slice(eq(node));
  }
  return out;
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
      if (lit.type === 'string_lit') return stringValue(lit);
      return `\${${node.text}}`;
    }
    case 'collection_value':
      return only ? expressionValue(only) : `\${${node.text}}`;
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const elem of parts) {
        if (elem.type !== 'object_elem') continue;
        const val = elem.childForFieldName('val');
        out[elemKey(elem)] = val ? expressionValue(val) : undefined;
      }
      return out;
    }
    case 'tuple':
      return parts.filter((c) => c.type === 'expression').map(expressionValue);
    case 'template_expr': {
      // A quoted or heredoc template: its text, with any interpolation kept as `${…}` (unknown).
      const template = only;
      if (template?.type === 'quoted_template') return stringValue(template);
      if (template?.type === 'heredoc_template') {
        return template.namedChildren.filter((c) => c?.type === 'template_literal' || c?.type === 'template_interpolation').map((c) => c!.text).join('');
      }
      return `\${${node.text}}`;
    }
    default:
      return `\${${node.text}}`;
  }
}

/** A quoted string's value: escapes decoded, interpolations kept verbatim. */
function stringValue(node: TsNode): string {
  const body = node.text.replace(/^"/, '').replace(/"$/, '');
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, esc: string) => {
    if (esc[0] === 'u' || esc[0] === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' } as Record<string, string>)[esc] ?? esc;
  });
}

// ---- new top-level blocks ----

/**
 * A fix may add a resource beside the one it is about (an S3 bucket's public access block): an op
 * whose path is `[NEW_RESOURCE, type, name]` sets that resource's attributes, creating the block
 * after the current resource when it does not exist yet.
 */
export const NEW_RESOURCE = '$resource';

function applyNewResource(text: string, root: TsNode, after: { blockType: string; labels: string[] }, type: string, name: string, value: Record<string, unknown>): string {
  if (topBlock(root, 'resource', [type, name]) !== null) {
    // Setting each attribute on the existing block keeps the fix idempotent.
    return Object.entries(value).reduce(
      (acc, [key, v]) => syntaxTree(acc, (root) => applyHclOp(acc, root, 'resource', [type, name], [{ attr: key }], { op: 'set', path: [key], value: v })),
      text,
    );
  }
  const block = topBlock(root, after.blockType, after.labels);
  if (!block) return text;
  const indent = indentOf(text, block.startIndex);
  const entries = Object.entries(value);
  const width = Math.max(...entries.map(([k]) => hclKey(k).length));
  const lines = entries.map(([k, v]) => `${indent}  ${hclKey(k).padEnd(width)} = ${renderHclValue(v, indent + '  ')}`);
  const rendered = `\n${indent}resource ${JSON.stringify(type)} ${JSON.stringify(name)} {\n${lines.join('\n')}\n${indent}}\n`;
  const at = lineEnd(text, block.endIndex - 1);
  const before = text.slice(0, at);
  return (before.endsWith('\n') ? before : before + '\n') + rendered + text.slice(at);
}
