// Writing fixes into YAML: ops on a document's paths → minimal text edits, the rest of the text as it was
// (comments, order, quoting), each op placed where a person would write it.
import { isMap, isPair, isScalar, isSeq, stringify, type LineCounter, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { EditOp, Path, Splice as TextSplice } from '../model.js';
import { applySplices, droppedItems, lineBreaksBefore, pathsApart } from '../common/edits.js';
import { isRecord } from '../common/path.js';
import { endLineOf, lineOf, parseDocs, walk, type ParsedDocs } from './yaml-documents.js';

function indentAt(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return offset - lineStart;
}

function lineStartOffset(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the end of the line holding the last content character before `end`. */
function afterContentLine(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1] ?? '')) e--;
  const nl = text.indexOf('\n', e);
  return nl === -1 ? text.length : nl + 1;
}

// Fixes write the same few values again and again (`runAsNonRoot: true` in every container): remember their
// YAML text rather than build a yaml Document for each (bounded, so it cannot grow with the input).
const rendered = new Map<string, string>();
function stringifyOnce(value: unknown, options: Parameters<typeof stringify>[2]): string {
  const key = JSON.stringify([value, options]);
  let text = rendered.get(key);
  if (text === undefined) {
    text = stringify(value, options as never);
    if (rendered.size >= 1000) rendered.clear();
    rendered.set(key, text);
  }
  return text;
}

function renderBlock(value: unknown, indent: number): string {
  const out = stringifyOnce(value, { indent: 2, indentSeq: false, lineWidth: 0, version: '1.1' });
  const pad = ' '.repeat(indent);
  return out
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

function renderScalar(value: unknown): string {
  return stringifyOnce(value, { lineWidth: 0, version: '1.1' }).replace(/\n$/, '');
}

function nest(path: Path, value: unknown): unknown {
  return path.reduceRight<unknown>((acc, seg) => ({ [String(seg)]: acc }), value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A flow collection (`{a: 1}`, `[x, y]`) rendered the way people write them by hand. */
function renderFlow(value: unknown): string {
  return stringify(value, { lineWidth: 0, version: '1.1', collectionStyle: 'flow', flowCollectionPadding: false }).replace(/\n$/, '');
}

/**
 * Rewrite a flow collection by re-rendering just that node, from its plain value: a scratch Document in
 * YAML 1.1 would turn the Maps that `setIn` creates into `!!omap`.
 */
function rewriteNode(node: YamlNode, mutate: (value: unknown) => unknown): Splice {
  const [start, end] = node.range!;
  const value = mutate(structuredClone(node.toJSON()));
  return splice(start, end, renderFlow(value));
}

/** Set `path` inside a plain value, creating plain objects on the way. */
function setPlain(target: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [seg, ...rest] = path;
  const container = (target !== null && typeof target === 'object' ? target : {}) as Record<string | number, unknown>;
  container[seg!] = setPlain(container[seg!], rest, value);
  return container;
}

function deletePlain(target: unknown, key: string | number): unknown {
  if (Array.isArray(target) && typeof key === 'number') target.splice(key, 1);
  else if (target !== null && typeof target === 'object') delete (target as Record<string | number, unknown>)[key];
  return target;
}

/** One op's change to the text: the characters [from, to) replaced by `insert`. */
interface Splice extends TextSplice {
  /** The block collection an insertion adds an entry to. */
  into?: YamlNode;
}

/**
 * What one op does to the text as parsed: a splice, null when it changes nothing, or `compound` when it takes
 * several steps, each needing a fresh parse (a block list trimmed item by item, a collection removed then set).
 */
type Planned = Splice | null | { compound: () => string };

function splice(from: number, to: number, insert: string): Splice {
  return { from, to, insert };
}

/** One op as the splice it makes of the text as parsed; null when it makes none or takes several steps. */
export function yamlSplice(text: string, docIndex: number, op: EditOp, parsed: ParsedDocs): TextSplice | null {
  const planned = planOne(text, docIndex, op, parsed);
  return planned === null || 'compound' in planned ? null : { from: planned.from, to: planned.to, insert: planned.insert };
}

function applyOne(text: string, docIndex: number, op: EditOp, parsed: ParsedDocs | null = null): string {
  const planned = planOne(text, docIndex, op, parsed);
  if (planned === null) return text;
  if ('compound' in planned) return planned.compound();
  return text.slice(0, planned.from) + planned.insert + text.slice(planned.to);
}

function planOne(text: string, docIndex: number, op: EditOp, parsed: ParsedDocs | null = null): Planned {
  const { docs, lines } = parsed ?? parseDocs(text);
  const doc = docs[docIndex];
  if (!doc) return null;
  const root = doc.contents as YamlNode | null;
  const { node, pair, depth } = walk(root, op.path);
  const complete = depth === op.path.length;

  if (op.op === 'remove') {
    if (!complete) return null;
    const parentPath = op.path.slice(0, -1);
    const parent = walk(root, parentPath).node;
    if (!parent || !(isMap(parent) || isSeq(parent))) return null;
    if (parent.flow) {
      return rewriteNode(parent, (value) => deletePlain(value, op.path[op.path.length - 1]!));
    }
    const startNode = (pair?.key as YamlNode | undefined) ?? node;
    if (!startNode?.range) return null;
    const from = lineStartOffset(text, startNode.range[0]);
    const to = afterContentLine(text, (node?.range ?? startNode.range)[1]);
    const sharesDashLine = isMap(parent) && text.slice(from, startNode.range[0]).includes('-');
    if (sharesDashLine && (parent.items as unknown[]).length > 1) {
      // `- key: v` opens a sequence item: keep the dash, pull the next key onto its line.
      const index = (parent as YAMLMap).items.indexOf(pair as Pair);
      const next = (parent as YAMLMap).items[index + 1]?.key as YamlNode | undefined;
      if (next?.range) return splice(startNode.range[0], next.range[0], '');
    }
    if ((parent.items as unknown[]).length === 1) {
      // Removing the only entry would leave an empty key: remove the key holding the collection.
      const parentOp: EditOp = { op: 'remove', path: parentPath };
      if (parentPath.length > 0 && typeof parentPath[parentPath.length - 1] === 'string') {
        return planOne(text, docIndex, parentOp, parsed);
      }
    }
    return splice(from, to, '');
  }

  if (op.op === 'append') {
    if (!complete || !isSeq(node)) {
      if (complete && node !== null && !isSeq(node)) return null;
      return planOne(text, docIndex, { op: 'set', path: op.path, value: [op.value] }, parsed);
    }
    const seq = node as YAMLSeq;
    if (seq.items.some((item) => sameValue((item as YamlNode).toJSON?.() ?? item, op.value))) return null;
    if (seq.flow || seq.items.length === 0) {
      return rewriteNode(seq, (value) => [...(value as unknown[]), op.value]);
    }
    const last = seq.items[seq.items.length - 1] as YamlNode;
    const dash = text.lastIndexOf('-', last.range![0]);
    const indent = indentAt(text, dash);
    const at = afterContentLine(text, last.range![1]);
    return { ...splice(at, at, renderBlock([op.value], indent) + '\n'), into: seq };
  }

  // set
  if (complete && node && isScalar(node)) {
    if (sameValue(node.toJSON(), op.value)) return null;
    if (op.value !== null && typeof op.value === 'object') {
      return replaceWithBlock(text, pair, node, op.value);
    }
    return splice(node.range![0], valueEnd(text, node), renderScalar(op.value));
  }
  if (complete && node) {
    if (sameValue(node.toJSON(), op.value)) return null;
    // A block list set to some of its own items: remove the others, so the kept items keep their comments.
    const dropped = isSeq(node) && !node.flow && Array.isArray(op.value) ? droppedItems(node.toJSON() as unknown[], op.value) : null;
    if (dropped) return { compound: () => dropped.reverse().reduce((acc, i) => applyOne(acc, docIndex, { op: 'remove', path: [...op.path, i] }), text) };
    return replaceCollection(text, docIndex, op, node);
  }
  const rest = op.path.slice(depth);
  if (typeof rest[0] === 'number') return null; // cannot create sequence items by index
  const value = nest(rest, op.value);
  if (pair && (node === null || (isScalar(node) && node.value === null))) {
    // `key:` with an empty value (or `~`, `null`): write the block under the key.
    return replaceWithBlock(text, pair, node, value);
  }
  if (isMap(node)) {
    const map = node as YAMLMap;
    if (map.flow) {
      return rewriteNode(map, (value) => setPlain(value, rest, op.value));
    }
    const first = map.items[0];
    const firstKey = first?.key as YamlNode | undefined;
    if (!firstKey?.range) return null;
    const indent = indentAt(text, firstKey.range[0]);
    const at = (op.op === 'set' && placedEntry(text, lines, map, op.insertAfter)) || afterContentLine(text, entryEnd(map.items[map.items.length - 1]!));
    const prefix = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
    return { ...splice(at, at, prefix + renderBlock(value, indent) + '\n'), into: map };
  }
  return null;
}

/** Offset where an entry ends (its value's, or its key's when it has none). */
function entryEnd(item: Pair): number {
  return ((item.value as YamlNode | null)?.range ?? (item.key as YamlNode).range!)[1];
}

/**
 * The offset where a new entry of a block mapping goes when one of `insertAfter` places it: a line that ends one of
 * its entries (or the line just before its first entry, when that entry has a line of its own, not a `- ` item's).
 * Null when none does.
 */
function placedEntry(text: string, lines: LineCounter, map: YAMLMap, insertAfter: readonly number[] | undefined): number | null {
  if (!insertAfter || insertAfter.length === 0) return null;
  const spans = map.items.map((item) => {
    const start = lineOf(lines, (item.key as YamlNode).range![0]);
    return { start, end: Math.max(start, endLineOf(text, lines, entryEnd(item as Pair))) };
  });
  const firstKey = (map.items[0]!.key as YamlNode).range![0];
  const firstOwnsLine = text.slice(lineStartOffset(text, firstKey), firstKey).trim() === '';
  for (const line of insertAfter) {
    const fits =
      line === spans[0]!.start - 1
        ? firstOwnsLine
        : line >= spans[0]!.start && line <= spans[spans.length - 1]!.end && !spans.some((s) => s.start <= line && line < s.end);
    if (fits) return line < lines.lineStarts.length ? lines.lineStarts[line]! : text.length;
  }
  return null;
}

/**
 * Replace a whole collection where it stands: a flow one by its new flow rendering, a block one by a block
 * of the same indentation (a sequence keeps its dash column). Anything else: remove it, then set afresh.
 */
function replaceCollection(text: string, docIndex: number, op: EditOp & { op: 'set' }, node: YamlNode): Planned {
  const collection = (isMap(node) || isSeq(node)) && node.range ? (node as YAMLMap | YAMLSeq) : null;
  const fitsStyle = collection && (isSeq(collection) ? Array.isArray(op.value) : op.value !== null && typeof op.value === 'object' && !Array.isArray(op.value));
  if (collection && fitsStyle && collection.flow) {
    return splice(collection.range![0], collection.range![1], renderFlow(op.value));
  }
  const first = collection?.items[0] as YamlNode | Pair | undefined;
  const firstStart = first && (isPair(first) ? (first.key as YamlNode | null)?.range?.[0] : first.range?.[0]);
  if (collection && fitsStyle && firstStart !== undefined && Object.keys(op.value as object).length > 0) {
    // The dash of a block sequence item sits before the item's node.
    const itemStart = isSeq(collection) ? text.lastIndexOf('-', firstStart) : firstStart;
    const from = lineStartOffset(text, itemStart);
    if (text.slice(from, itemStart).trim() === '') {
      const to = afterContentLine(text, collection.range![1]);
      return splice(from, to, renderBlock(op.value, itemStart - from) + '\n');
    }
  }
  return {
    compound: () => {
      const removed = applyOne(text, docIndex, { op: 'remove', path: op.path });
      return removed === text ? text : applyOne(removed, docIndex, op);
    },
  };
}

/** Replace a pair's value (null or scalar) by a block mapping under its key. */
function replaceWithBlock(text: string, pair: Pair | null, valueNode: YamlNode | null, value: unknown): Splice | null {
  const key = pair?.key as YamlNode | undefined;
  if (!key?.range) return null;
  const keyIndent = indentAt(text, key.range[0]);
  const keyLineEnd = text.indexOf('\n', key.range[1]);
  const lineEnd = keyLineEnd === -1 ? text.length : keyLineEnd;
  const keyText = text.slice(key.range[0], key.range[1]);
  const afterValue = valueNode?.range ? valueNode.range[1] : key.range[1];
  const childIndent = keyIndent + 2;
  // A block scalar's text runs on below the key's line: replaced whole (its header's comment goes with it).
  if (valueNode && isBlockScalar(valueNode)) return splice(key.range[0], valueEnd(text, valueNode), keyText + ':\n' + renderBlock(value, childIndent));
  const trailingComment = trailingCommentOf(text.slice(afterValue, lineEnd));
  return splice(key.range[0], lineEnd, keyText + ':' + trailingComment + '\n' + renderBlock(value, childIndent));
}

function isBlockScalar(node: YamlNode): boolean {
  return isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
}

/** Where a value's own text ends: a block scalar's range takes the line breaks after its text, which are not its. */
function valueEnd(text: string, node: YamlNode): number {
  let end = node.range![1];
  if (isBlockScalar(node)) while (end > node.range![0] && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return end;
}

/** The ` # comment` that ends a line's rest, with the blanks before it; '' when there is none. Linear in the line. */
function trailingCommentOf(rest: string): string {
  const hash = rest.search(/[ \t]#/);
  if (hash < 0) return '';
  let start = hash;
  while (start > 0 && (rest[start - 1] === ' ' || rest[start - 1] === '\t')) start--;
  return rest.slice(start);
}

function deepMerge(a: unknown, b: unknown): unknown {
  if (!isRecord(a) || !isRecord(b)) return b;
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = key in out ? deepMerge(out[key], value) : value;
  return out;
}

/**
 * Sets and appends that create keys under the same missing key become one set of that key with their values merged
 * (`resources.requests.cpu` and `resources.limits.memory` → `resources: {…}`; an append to a missing list is a set
 * of the list): one insertion, one parse. (Applied one after the other, the second would find the key the first
 * created and replace it whole.)
 */
function mergeInsertions(root: YamlNode | null, ops: readonly EditOp[]): EditOp[] {
  const out: EditOp[] = [];
  const merged = new Map<string, Extract<EditOp, { op: 'set' }>>();
  for (const op of ops) {
    if (op.op === 'set' || op.op === 'append') {
      const { depth } = walk(root, op.path);
      const rest = op.path.slice(depth + 1);
      if (depth < op.path.length && rest.every((seg) => typeof seg === 'string')) {
        const key = op.path.slice(0, depth + 1);
        const id = JSON.stringify(key);
        const earlier = merged.get(id);
        if (earlier) earlier.value = op.op === 'append' ? withItem(earlier.value, rest, op.value) : deepMerge(earlier.value, nest(rest, op.value));
        else {
          const value = op.op === 'append' ? nest(rest, [op.value]) : nest(rest, op.value);
          const insertion = { op: 'set' as const, path: key, value, ...(op.op === 'set' && op.insertAfter ? { insertAfter: op.insertAfter } : {}) };
          merged.set(id, insertion);
          out.push(insertion);
        }
        continue;
      }
    }
    out.push(op);
  }
  return out;
}

/** `target` with `item` appended to the list at `path` (created on the way), unless the list holds it already. */
function withItem(target: unknown, path: Path, item: unknown): unknown {
  if (path.length === 0) {
    const list = Array.isArray(target) ? target : [];
    return list.some((existing) => sameValue(existing, item)) ? list : [...list, item];
  }
  const [seg, ...rest] = path;
  const map: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  map[String(seg)] = withItem(map[String(seg)], rest, item);
  return map;
}

export function applyYamlOps(text: string, docIndex: number, allOps: readonly EditOp[], parsed: ParsedDocs | null = null): string {
  const initial = parsed ?? parseDocs(text);
  const ops = allOps.length > 1 ? mergeInsertions((initial.docs[docIndex]?.contents as YamlNode | undefined) ?? null, allOps) : allOps;
  parsed = initial;
  const [first, ...rest] = ops;
  if (!first) return text;
  const together = rest.length > 0 ? appliedTogether(text, docIndex, ops, initial) : null;
  if (together !== null) return together;
  const once = applyOne(text, docIndex, first, parsed);
  if (rest.length === 0) return once;
  // Each op sees the text the ops before it left: the lines they name are moved along.
  const step = (current: string, op: EditOp, index: number, later: EditOp[], base: number): string => {
    const next = applyOne(current, base, op);
    for (let i = index + 1; i < later.length; i++) later[i] = movedPlacement(later[i]!, current, next, 0);
    return next;
  };
  const moved = rest.map((op) => movedPlacement(op, text, once, 0));
  // Later ops need a fresh parse: parse only this document's own text (from its `---` to its end), so a fix
  // in a file of many documents costs the size of its document, not of the file.
  const doc = (parsed ?? parseDocs(text)).docs[docIndex];
  if (!doc) return moved.reduce((current, op, i) => step(current, op, i, moved, docIndex), once);
  const start = lineStartOffset(text, doc.range[0]);
  const end = Math.max(start, lineEndOffset(text, doc.range[2]));
  const shift = once.length - text.length;
  const linesBefore = lineBreaksBefore(once, start);
  const inSlice = moved.map((op) => movedPlacement(op, '', '', -linesBefore));
  const slice = inSlice.reduce((current, op, i) => step(current, op, i, inSlice, 0), once.slice(start, end + shift));
  return once.slice(0, start) + slice + once.slice(end + shift);
}

/**
 * Ops applied from one parse: when each is one splice, no op's path leads into another's, and the splices neither
 * overlap nor touch (insertions at one line start into block collections excepted), the result
 * is the text applying them one after another gives, without a parse per op. Null when that cannot be told.
 */
function appliedTogether(text: string, docIndex: number, ops: readonly EditOp[], parsed: ParsedDocs): string | null {
  if (!pathsApart(ops)) return null;
  const splices: (Splice & { order: number })[] = [];
  for (const [order, op] of ops.entries()) {
    const planned = planOne(text, docIndex, op, parsed);
    if (planned === null) continue;
    if ('compound' in planned) return null;
    splices.push({ ...planned, order });
  }
  // Insertions at one place go as they would one after another: into a collection nested in another (it ends where
  // the other does) before it, into one collection in the ops' order.
  const nesting = (a: Splice) => a.into?.range?.[0] ?? 0;
  splices.sort((a, b) => a.from - b.from || nesting(b) - nesting(a) || a.order - b.order);
  for (let i = 1; i < splices.length; i++) {
    const before = splices[i - 1]!;
    const after = splices[i]!;
    if (before.to < after.from) continue;
    const sameInsertion = before.from === before.to && after.from === after.to && before.from === after.from;
    const ordered = before.into?.range && after.into?.range && !placed(ops[before.order]!) && !placed(ops[after.order]!);
    if (!sameInsertion || !ordered || (after.from > 0 && text[after.from - 1] !== '\n')) return null;
  }
  return applySplices(text, splices);
}

function placed(op: EditOp): boolean {
  return op.op === 'set' && op.insertAfter !== undefined;
}


/**
 * An op's insertion lines as they stand once `before` has become `after` (lines past the first difference move by
 * the lines gained or lost), then moved by `by`.
 */
function movedPlacement(op: EditOp, before: string, after: string, by: number): EditOp {
  if (op.op !== 'set' || !op.insertAfter) return op;
  let from = 0;
  while (from < before.length && before.charCodeAt(from) === after.charCodeAt(from)) from++;
  const firstChanged = lineBreaksBefore(before, from) + 1;
  const delta = lineBreaksBefore(after, after.length) - lineBreaksBefore(before, before.length);
  return { ...op, insertAfter: op.insertAfter.map((line) => (line >= firstChanged && before !== after ? line + delta : line) + by) };
}

/** Offset just past the newline ending the line that holds `offset - 1` (a range end), or the text's end. */
function lineEndOffset(text: string, offset: number): number {
  if (offset <= 0) return 0;
  const nl = text.indexOf('\n', offset - 1);
  return nl === -1 ? text.length : nl + 1;
}
