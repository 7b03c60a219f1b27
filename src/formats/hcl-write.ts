// The HCL writer: declarative ops rendered as text insertions and replacements that keep the file's layout
// (the block's indentation, terraform fmt's `=` alignment), located through the syntax tree.
import type { EditOp } from '../model.js';
import type { TfSeg } from './paths.js';
import { bodyOf, collectionOf, follow, nameOf, syntaxTree, topBlock, valueNode, type TsNode } from './hcl-tree.js';

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
  // Where a dynamic block's content is missing there is nothing to write in: the blocks it makes have no text.
  if ('dynamic' in seg) throw new Error(`no content block of dynamic "${seg.dynamic}" to write in`);
  if ('block' in seg) {
    const inner = renderMissing(rest, value, indent + '  ', 0);
    return `${indent}${seg.block} {\n${inner}\n${indent}}`;
  }
  const name = 'attr' in seg ? seg.attr : 'key' in seg ? hclKey(seg.key) : String(seg.item);
  if (rest.length === 0) {
    return `${indent}${name.padEnd(Math.max(equalsColumn - indent.length - 1, name.length))} = ${renderHclValue(value, indent)}`;
  }
  const nested = rest.reduceRight<unknown>((acc, s) => ({ [('key' in s ? s.key : 'attr' in s ? s.attr : 'block' in s ? s.block : 'item' in s ? String(s.item) : s.dynamic)]: acc }), value);
  return `${indent}${name} = ${renderHclValue(nested, indent)}`;
}

export function lineStart(text: string, offset: number): number {
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

export function applyHclOp(text: string, root: TsNode, blockType: string, labels: string[], segs: TfSeg[], op: EditOp): string {
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


function replaceSpan(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}

/** Whether the rest of a node's line holds nothing but an optional comma (and a comment that ends the text), in one pass. */
function onlyCommaAndComment(rest: string): boolean {
  const blank = (c: string | undefined) => c !== undefined && c.trim() === '';
  let i = 0;
  while (blank(rest[i])) i++;
  if (rest[i] === ',') i++;
  while (blank(rest[i])) i++;
  // A comment counts only when it ends the text (as before: a comment on the node's own line stays with the line).
  return i === rest.length || ((rest[i] === '#' || rest.startsWith('//', i)) && !/[\r\n]/.test(rest.slice(i)));
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
  const alone = text.slice(start, node.startIndex).trim() === '' && onlyCommaAndComment(text.slice(node.endIndex, end));
  if (alone) return text.slice(0, start) + text.slice(end);
  return replaceSpan(text, node.startIndex, node.endIndex, '');
}

/** What a block or object holds, where it opens and closes, and the indentation of its own lines. */
function layoutOf(text: string, container: TsNode): { children: TsNode[]; opening: TsNode; closing: TsNode; outer: string; inner: string; oneLine: boolean } | null {
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
    if (!object) return null;
    children = object.namedChildren.filter((c): c is TsNode => c?.type === 'object_elem' || c?.type === 'comment');
    opening = object.namedChildren.find((c) => c?.type === 'object_start') ?? null;
    closing = object.namedChildren.find((c) => c?.type === 'object_end') ?? null;
  }
  if (!opening || !closing) return null;
  const outer = indentOf(text, container.startIndex);
  const firstChild = children.find((c) => c.type !== 'comment');
  const inner = firstChild && firstChild.startPosition.row > opening.startPosition.row ? indentOf(text, firstChild.startIndex) : outer + '  ';
  const oneLine = closing.startPosition.row === opening.startPosition.row || (firstChild !== undefined && firstChild.startPosition.row === opening.startPosition.row);
  return { children, opening, closing, outer, inner, oneLine };
}

/** Insert the missing tail of a path inside the deepest existing block or object. */
function insertMissing(text: string, container: TsNode, missing: TfSeg[], value: unknown): string {
  const layout = layoutOf(text, container);
  if (!layout) return text;
  const { children, opening, closing, outer, inner } = layout;
  const rendered = renderMissing(missing, value, inner, alignmentColumn(children));
  if (layout.oneLine) {
    // A one-line block or object: open it up.
    const existing = children.filter((c) => c.type !== 'comment').map((c) => `${inner}${c.text}`);
    const lines = [...existing, rendered].join('\n');
    return replaceSpan(text, opening.endIndex, closing.startIndex, `\n${lines}\n${outer}`);
  }
  if (missing.length === 1 && !('block' in missing[0]!) && !('dynamic' in missing[0]!)) {
    // One attribute: terraform fmt style puts attributes before nested blocks, so it goes after the
    // last attribute that precedes the first nested block (or at the end), aligned with its group.
    const firstBlock = children.findIndex((c) => c.type === 'block');
    const scope = firstBlock === -1 ? children : children.slice(0, firstBlock);
    let last = scope.length - 1;
    while (last >= 0 && scope[last]!.type === 'comment') last--;
    const anchor = last >= 0 && scope[last]!.type !== 'block' ? scope[last]! : null;
    const at = anchor ? lineEnd(text, anchor.endIndex - 1) : firstBlock === -1 ? lineStart(text, closing.startIndex) : lineEnd(text, opening.endIndex - 1);
    const seg = missing[0] as Extract<TfSeg, { attr: string } | { key: string } | { item: number }>;
    const name = 'attr' in seg ? seg.attr : 'key' in seg ? hclKey(seg.key) : String(seg.item);
    return insertAligned(text, anchor ? alignmentGroup(scope.slice(0, last + 1)) : [], at, inner, name, renderHclValue(value, inner));
  }
  const at = lineStart(text, closing.startIndex);
  return text.slice(0, at) + rendered + '\n' + text.slice(at);
}

/** A block to create, as the settings under it make it: attributes in the order set, then nested blocks. */
interface NewBlock {
  /** Each attribute's value; `appended`: a list made by appending to it (a later append adds to it). */
  attributes: Map<string, { value: unknown; appended: boolean }>;
  blocks: Map<string, NewBlock>;
}

/**
 * Several `set` or `append` ops that all create one missing block (`security_context` for four settings), written
 * at once: the text applying them one after another gives (attributes first, in order, `=` aligned as terraform fmt
 * aligns them; nested blocks after, in order), without parsing the text again for each. Null when the ops are not
 * all of that simple shape (a nested block beyond the first of its name, an object or a multi-line value, a key,
 * a path set twice or set after an append, a one-line container): then they are applied one after another.
 */
export function createBlockOnce(text: string, root: TsNode, blockType: string, labels: string[], ops: readonly { segs: TfSeg[]; op: EditOp }[]): string | null {
  const top = topBlock(root, blockType, labels);
  if (!top || ops.length < 2) return null;
  const first = follow(top, ops[0]!.segs);
  const created = ops[0]!.segs[first.depth];
  if (!created || !('block' in created) || created.index !== 0 || first.node.type !== 'block') return null;
  const depth = first.depth;
  const prefix = JSON.stringify(ops[0]!.segs.slice(0, depth + 1));
  const tree: NewBlock = { attributes: new Map(), blocks: new Map() };
  for (const { segs, op } of ops) {
    if (op.op === 'remove' || JSON.stringify(segs.slice(0, depth + 1)) !== prefix) return null;
    let node = tree;
    const tail = segs.slice(depth + 1);
    for (const seg of tail.slice(0, -1)) {
      if (!('block' in seg) || seg.index !== 0 || node.attributes.has(seg.block)) return null;
      node = node.blocks.get(seg.block) ?? node.blocks.set(seg.block, { attributes: new Map(), blocks: new Map() }).get(seg.block)!;
    }
    const last = tail.at(-1);
    if (!last || !('attr' in last) || node.blocks.has(last.attr)) return null;
    const before = node.attributes.get(last.attr);
    if (op.op === 'set') {
      if (before) return null;
      node.attributes.set(last.attr, { value: op.value, appended: false });
    } else if (!before) {
      node.attributes.set(last.attr, { value: [op.value], appended: true });
    } else {
      // Appending again adds the item unless the list holds it already, as applyHclOp does.
      if (!before.appended) return null;
      const items = before.value as unknown[];
      const rendered = renderHclValue(op.value, '');
      if (!items.some((item) => renderHclValue(item, '') === rendered)) items.push(op.value);
    }
  }
  for (const block of blocksOf(tree)) for (const { value } of block.attributes.values()) if (renderHclValue(value, '').includes('\n')) return null;
  const layout = layoutOf(text, first.node);
  if (!layout || layout.oneLine) return null;
  const at = lineStart(text, layout.closing.startIndex);
  return text.slice(0, at) + renderNewBlock(created.block, tree, layout.inner) + '\n' + text.slice(at);
}

function blocksOf(block: NewBlock): NewBlock[] {
  return [block, ...[...block.blocks.values()].flatMap(blocksOf)];
}

function renderNewBlock(name: string, block: NewBlock, indent: string): string {
  const inner = indent + '  ';
  const width = Math.max(0, ...[...block.attributes.keys()].map((k) => k.length));
  const lines = [...block.attributes].map(([key, { value }]) => `${inner}${key.padEnd(width)} = ${renderHclValue(value, inner)}`);
  for (const [nested, body] of block.blocks) lines.push(renderNewBlock(nested, body, inner));
  return `${indent}${name} {\n${lines.join('\n')}\n${indent}}`;
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

// ---- new top-level blocks ----

/**
 * A fix may add a resource beside the one it is about (an S3 bucket's public access block): an op
 * whose path is `[NEW_RESOURCE, type, name]` sets that resource's attributes, creating the block
 * after the current resource when it does not exist yet.
 */
export const NEW_RESOURCE = '$resource';

export function applyNewResource(text: string, root: TsNode, after: { blockType: string; labels: string[] }, type: string, name: string, value: Record<string, unknown>): string {
  if (topBlock(root, 'resource', [type, name]) !== null) {
    // Setting each attribute on the existing block keeps the fix idempotent.
    // Nested blocks are left as they are: only attributes are set again.
    return Object.entries(value).filter(([, v]) => !isBlockList(v)).reduce(
      (acc, [key, v]) => syntaxTree(acc, (root) => applyHclOp(acc, root, 'resource', [type, name], [{ attr: key }], { op: 'set', path: [key], value: v })),
      text,
    );
  }
  const block = topBlock(root, after.blockType, after.labels);
  if (!block) return text;
  const indent = indentOf(text, block.startIndex);
  const rendered = `\n${indent}resource ${JSON.stringify(type)} ${JSON.stringify(name)} {\n${renderBody(value, indent + '  ')}\n${indent}}\n`;
  const at = lineEnd(text, block.endIndex - 1);
  const before = text.slice(0, at);
  return (before.endsWith('\n') ? before : before + '\n') + rendered + text.slice(at);
}

/** A list of objects in a new resource's value is a list of nested blocks, as `@cdktf/hcl2json` reads them back. */
function isBlockList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
}

/** A block body: attributes first, `=` aligned as terraform fmt does, then nested blocks. */
function renderBody(value: Record<string, unknown>, indent: string): string {
  const entries = Object.entries(value);
  const attributes = entries.filter(([, v]) => !isBlockList(v));
  const width = Math.max(0, ...attributes.map(([k]) => hclKey(k).length));
  const lines = attributes.map(([k, v]) => `${indent}${hclKey(k).padEnd(width)} = ${renderHclValue(v, indent)}`);
  for (const [k, blocks] of entries.filter((e): e is [string, Record<string, unknown>[]] => isBlockList(e[1]))) {
    for (const body of blocks) lines.push(`${indent}${k} {\n${renderBody(body, indent + '  ')}\n${indent}}`);
  }
  return lines.join('\n');
}
