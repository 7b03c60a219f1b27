// Terraform JSON syntax (`*.tf.json`): values from JSON, positions from the YAML parser (JSON is YAML),
// and fixes written as JSON text insertions/replacements that keep the file's indentation.
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { EditOp, ParsedFile, Path, Range, UnseenPart } from '../model.js';
import { MAX_NESTING } from '../common/limits.js';
import { isRecord } from '../common/path.js';
import { deepNestingLine, nestingReason } from './text.js';
import { NEW_RESOURCE, declareTerraformJson } from './hcl.js';
import { withDirectivesEvaluated } from './hcl-eval.js';
import { kubernetesKindOf, MAP_ATTRIBUTES, toCanonical, toTerraformPath, type TfSeg } from './paths.js';
import { terraformRenderedElsewhere } from './rendered-elsewhere.js';
import { asOverrides, isOverrideFile } from './terraform-overrides.js';

type Found = { node: YamlNode | null; pair: Pair | null };
/** The lines a node (with its key, when it has one) spans. */
type RangeOf = (node: YamlNode | null, pair: Pair | null) => Range | null;

function find(node: YamlNode | null | undefined, key: string | number): Found {
  if (isMap(node)) {
    const pair = (node as YAMLMap).items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
    return { node: (pair?.value as YamlNode | null) ?? null, pair: (pair as Pair | undefined) ?? null };
  }
  if (isSeq(node) && typeof key === 'number') return { node: (node.items[key] as YamlNode) ?? null, pair: null };
  return { node: null, pair: null };
}

/** The lines of a node (with its key, when it has one), by the file's line counter. */
function rangesIn(lines: LineCounter): RangeOf {
  return (node, pair) => {
    const start = (pair?.key as YamlNode | undefined)?.range?.[0] ?? node?.range?.[0];
    const end = node?.range?.[1];
    if (start === undefined || end === undefined) return null;
    return { startLine: lines.linePos(start).line, endLine: lines.linePos(Math.max(end - 1, start)).line };
  };
}

function parseJsonDoc(text: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, logLevel: 'error' });
  return { doc, lines };
}

/** The resource's own node: `resource.<type>.<name>` (or its first element when written as an array). */
function resourceNode(root: YamlNode | null, blockType: string, type: string, name: string): Found {
  const located = find(find(find(root, blockType).node, type).node, name);
  return isSeq(located.node) ? { node: located.node.items[0] as YamlNode, pair: located.pair } : located;
}

/**
 * A `kubernetes_*` body as hcl2json would give it: Terraform JSON may write a single nested block as an object,
 * hcl2json always as a list of one. Objects under map attributes (labels, limits, …) are data and stay.
 */
function asBlockLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asBlockLists);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, MAP_ATTRIBUTES.has(k) ? v : isRecord(v) ? [asBlockLists(v)] : asBlockLists(v)]));
}

/**
 * The `dynamic` blocks of a `kubernetes_*` object, each what the file does not review: the object is judged in
 * Kubernetes' shape, and Warden does not evaluate Terraform JSON, so what they make (containers, volumes, security
 * contexts) would pass unseen. Nested ones are inside what the outer one makes, not reported again.
 */
function unexpandedInObject(body: Record<string, unknown>, node: YamlNode | null, type: string, name: string, rangeOf: RangeOf): UnseenPart[] {
  const found: UnseenPart[] = [];
  const visit = (value: unknown, at: YamlNode | null) => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, isSeq(at) ? (at.items[i] as YamlNode) : null));
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const located = find(at, key);
      if (key === 'dynamic' && isRecord(child)) {
        for (const label of Object.keys(child)) {
          const block = find(located.node, label);
          found.push({ lines: rangeOf(block.node, block.pair) ?? { startLine: 1, endLine: 1 }, reason: `what the \`dynamic "${label}"\` block of ${type} \`${name}\` makes: Warden does not evaluate Terraform JSON, so it cannot build this object from what its \`dynamic\` blocks make (write the blocks out, or write the resource in HCL, to have it reviewed)` });
        }
      } else if (!MAP_ATTRIBUTES.has(key)) visit(child, located.node);
    }
  };
  visit(body, node);
  return found;
}

/** A Terraform path as JSON keys and indices (an index into a block written as one object is skipped when followed). */
function jsonPath(segs: readonly TfSeg[]): Path {
  return segs.flatMap((s) => ('block' in s ? [s.block, s.index] : 'attr' in s ? [s.attr] : 'key' in s ? [s.key] : 'item' in s ? [s.item] : ['dynamic', s.dynamic, s.index, 'content']));
}

/**
 * Why Warden would not read a Terraform JSON file as Terraform does, or null. JSON.parse keeps only the last of keys
 * repeated in one object, where Terraform reads them all (two `resource` keys, two `ingress` blocks), and the
 * parser here reads block types and labels written as objects, not as the arrays of objects the syntax also allows.
 */
function unreadShape(text: string): string | null {
  const root = parseTree(text);
  if (!root) return null;
  const lineOf = (node: JsonNode) => text.slice(0, node.offset).split('\n').length;
  const named = (key: string) => `\`${key.slice(0, 100)}\``;
  const repeated = (node: JsonNode): string | null => {
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const key = String(property.children?.[0]?.value ?? '');
        if (seen.has(key)) return `key ${named(key)} is repeated in one object (line ${lineOf(property)}): Terraform reads every one, Warden only the last`;
        seen.add(key);
      }
    }
    for (const child of node.children ?? []) {
      const found = repeated(child);
      if (found) return found;
    }
    return null;
  };
  const duplicate = repeated(root);
  if (duplicate) return duplicate;
  const property = (node: JsonNode | undefined, key: string) => node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1] : undefined;
  const asArray = (node: JsonNode, what: string) => `${what} is written as an array (line ${lineOf(node)}): Warden reads it only written as an object`;
  for (const blockType of ['resource', 'data', 'module']) {
    const byType = property(root, blockType);
    if (byType?.type === 'array') return asArray(byType, named(blockType));
    if (blockType === 'module') continue;
    for (const typeProperty of byType?.type === 'object' ? (byType.children ?? []) : []) {
      const byName = typeProperty.children?.[1];
      const type = String(typeProperty.children?.[0]?.value ?? '');
      if (byName?.type === 'array') return asArray(byName, `${blockType} type ${named(type)}`);
      for (const nameProperty of byName?.type === 'object' ? (byName.children ?? []) : []) {
        const bodies = nameProperty.children?.[1];
        if (bodies?.type === 'array' && (bodies.children?.length ?? 0) > 1) return `${blockType} ${named(`${type}.${String(nameProperty.children?.[0]?.value ?? '')}`)} has ${bodies.children!.length} bodies (line ${lineOf(bodies)}): Warden reads only the first`;
      }
    }
  }
  return null;
}

export function parseTfJson(file: string, text: string): ParsedFile {
  const parsed: ParsedFile = { file, format: 'tfjson', text, resources: [], errors: [], notes: [] };
  // The YAML parser that gives positions recurses once per level: thousands of levels leave V8 so little stack
  // that its regular-expression compiler aborts the whole process (not a catchable error), workers included.
  const deep = deepNestingLine(text, MAX_NESTING, '[{', ']}');
  if (deep !== null) {
    parsed.notReviewed = nestingReason(deep);
    return parsed;
  }
  const { doc, lines } = parseJsonDoc(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const pos = doc.errors[0]?.pos[0];
    parsed.errors.push({ line: pos === undefined ? 1 : lines.linePos(pos).line, message: (error as Error).message });
    return parsed;
  }
  if (!isRecord(json)) return parsed;
  const unread = unreadShape(text);
  if (unread) {
    parsed.notReviewed = unread;
    return parsed;
  }
  // A string is a template in Terraform JSON too: one with a directive (`%{ if … }`) is no literal (hcl-eval.ts).
  withDirectivesEvaluated(json);
  declareTerraformJson(parsed, { variable: labelled(json.variable), locals: json.locals });
  const rangeOf = rangesIn(lines);
  for (const blockType of ['resource', 'data'] as const) {
    const byType = json[blockType];
    if (!isRecord(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isRecord(byName)) continue;
      for (const [name, raw] of Object.entries(byName)) {
        const body = Array.isArray(raw) ? raw[0] : raw;
        if (!isRecord(body)) continue;
        const located = find(find(find(doc.contents as YamlNode, blockType).node, type).node, name);
        const own = resourceNode(doc.contents as YamlNode, blockType, type, name).node;
        const range = rangeOf(located.node, located.pair) ?? { startLine: 1, endLine: 1 };
        // `kubernetes_*` resources read as the manifest they make, as in HCL (src/formats/paths.ts).
        const k8s = kubernetesKindOf(type);
        const view = k8s ? toCanonical(asBlockLists(body) as Record<string, unknown>, k8s.kind, k8s.apiVersion) : null;
        const native = (path: Path, valueIsObject = false): Path => (view ? jsonPath(toTerraformPath(path, view.paths, { valueIsObject })) : path);
        const meta = view && isRecord(view.body.metadata) ? view.body.metadata : {};
        parsed.resources.push({
          id: blockType === 'data' ? `data.${type}.${name}` : `${type}.${name}`,
          kind: k8s?.kind ?? type,
          ...(k8s ? { apiVersion: k8s.apiVersion } : {}),
          name: typeof meta.name === 'string' ? meta.name : name,
          ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
          terraform: { block: blockType, type, name },
          file,
          format: 'tfjson',
          range,
          body: view?.body ?? body,
          source: {
            locate: (canonical: Path) => {
              const path = native(canonical);
              let node: YamlNode | null = own;
              let best = range;
              let exact = true;
              for (const seg of path) {
                // A block written as a single object has no index to follow.
                if (typeof seg === 'number' && isMap(node)) continue;
                const next = find(node, seg);
                if (!next.node) {
                  exact = false;
                  break;
                }
                node = next.node;
                best = rangeOf(next.node, next.pair) ?? best;
              }
              return { ...best, exact };
            },
            apply: (current, ops) =>
              ops.reduce((acc, op) => {
                const path = op.path[0] === NEW_RESOURCE ? op.path : native(op.path, op.op !== 'remove' && isRecord((op as { value?: unknown }).value));
                return applyJsonOp(acc, blockType, type, name, { ...op, path } as EditOp);
              }, current),
          },
        });
        const elsewhere = blockType === 'resource' ? terraformRenderedElsewhere(type, name, body, range) : null;
        if (elsewhere) (parsed.unseen ??= []).push(elsewhere);
        if (k8s) (parsed.unseen ??= []).push(...unexpandedInObject(body, own, type, name, rangeOf));
      }
    }
  }
  // Modules called from Terraform JSON are not followed (local or remote): what they create is not reviewed.
  if (isRecord(json.module)) {
    for (const [name, raw] of Object.entries(json.module)) {
      const inputs = Array.isArray(raw) ? raw[0] : raw;
      const located = find(find(doc.contents as YamlNode, 'module').node, name);
      const source = isRecord(inputs) ? String(inputs.source ?? '') : '';
      (parsed.unseen ??= []).push({ lines: rangeOf(located.node, located.pair) ?? { startLine: 1, endLine: 1 }, reason: `what module \`${name}\` (\`${source}\`) creates: Warden does not follow modules called from Terraform JSON` });
    }
  }
  if (isOverrideFile(file)) asOverrides(parsed, json);
  return parsed;
}

/**
 * The lines of a Terraform JSON file's variables (each block, and its `default`) and locals, as
 * src/engine/terraform/declaration-lines.ts gives an HCL file's: a change to one changes what reads it. One not found
 * so is left out (declarationLinesOf counts it as every line of the file).
 */
export function tfJsonDeclarationLines(text: string): { variables: Record<string, { block: Range; default?: Range }>; locals: Record<string, Range> } {
  const { doc, lines } = parseJsonDoc(text);
  const rangeOf = rangesIn(lines);
  const found: ReturnType<typeof tfJsonDeclarationLines> = { variables: Object.create(null), locals: Object.create(null) };
  const root = doc.contents as YamlNode | null;
  for (const pair of labelledPairs(find(root, 'variable').node)) {
    const block = isSeq(pair.value) ? ((pair.value.items[0] as YamlNode | undefined) ?? null) : (pair.value as YamlNode | null);
    const whole = rangeOf(pair.value as YamlNode | null, pair);
    if (!whole) continue;
    const at = find(block, 'default');
    const range = at.node ? rangeOf(at.node, at.pair) : null;
    found.variables[String((pair.key as { value: unknown }).value)] = { block: whole, ...(range ? { default: range } : {}) };
  }
  for (const pair of labelledPairs(find(root, 'locals').node)) {
    const range = rangeOf(pair.value as YamlNode | null, pair);
    if (range) found.locals[String((pair.key as { value: unknown }).value)] = range;
  }
  return found;
}

/** A block type's labelled entries, written as one object or as an array of objects (HCL's JSON syntax allows both). */
function labelledPairs(node: YamlNode | null): Pair[] {
  const maps = isSeq(node) ? (node.items as YamlNode[]) : [node];
  return maps.flatMap((map) => (isMap(map) ? ((map as YAMLMap).items as Pair[]).filter((pair) => isScalar(pair.key)) : []));
}

/** The same, as a parsed value: one object of every label (null-prototype: a label is never a prototype). */
function labelled(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) return Object.assign(Object.create(null) as Record<string, unknown>, ...value.filter(isRecord));
  return isRecord(value) ? value : undefined;
}

// ---- writing ----

function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** JSON for a value, indented to continue at `indent` (its first line is not indented). */
function renderJson(value: unknown, indent: string, unit: string): string {
  return JSON.stringify(value, null, unit).split('\n').join(`\n${indent}`);
}

/** A missing tail of a native path as a JSON value: a block index becomes an object (a single block). */
function nest(rest: Path, value: unknown): unknown {
  return rest.reduceRight<unknown>((acc, seg) => (typeof seg === 'number' ? acc : { [seg]: acc }), value);
}

/** Insert `"key": value` into a JSON object node, after its last member, in its indentation. */
function insertMember(text: string, map: YamlNode, key: string, value: unknown): string {
  const [start, end] = [map.range![0], map.range![1]];
  const items = (map as YAMLMap).items;
  const outer = indentAt(text, start);
  if (items.length === 0) {
    const inner = outer + '  ';
    return text.slice(0, start) + `{\n${inner}${JSON.stringify(key)}: ${renderJson(value, inner, '  ')}\n${outer}}` + text.slice(end);
  }
  const first = items[0]!.key as YamlNode;
  const inner = indentAt(text, first.range![0]);
  const unit = inner.length > outer.length ? inner.slice(outer.length) : '  ';
  const last = items[items.length - 1]!;
  const lastEnd = ((last.value as YamlNode | null) ?? (last.key as YamlNode)).range![1];
  const oneLine = !text.slice(start, end).includes('\n');
  const member = `${JSON.stringify(key)}: ${renderJson(value, oneLine ? '' : inner, oneLine ? '' : unit)}`;
  return text.slice(0, lastEnd) + (oneLine ? `, ${member}` : `,\n${inner}${member}`) + text.slice(lastEnd);
}

/** Append `value` to a JSON array node (unless it holds it already), in the array's own layout. */
function appendItem(text: string, list: YamlNode, value: unknown): string {
  const items = isSeq(list) ? list.items : [];
  if (items.some((item) => isScalar(item) && item.value === value)) return text;
  const [start, end] = [list.range![0], list.range![1]];
  if (items.length === 0) return text.slice(0, start) + JSON.stringify([value]) + text.slice(end);
  const last = (items[items.length - 1] as YamlNode).range![1];
  if (!text.slice(start, end).includes('\n')) return text.slice(0, last) + `, ${JSON.stringify(value)}` + text.slice(last);
  const first = (items[0] as YamlNode).range![0];
  const inner = indentAt(text, first);
  return text.slice(0, last) + `,\n${inner}${renderJson(value, inner, '  ')}` + text.slice(last);
}

function applyJsonOp(text: string, blockType: string, type: string, name: string, op: EditOp): string {
  const { doc } = parseJsonDoc(text);
  const root = doc.contents as YamlNode;
  if (op.path[0] === NEW_RESOURCE && op.op === 'set') {
    const [, newType, newName] = op.path.map(String);
    const existing = resourceNode(root, 'resource', newType!, newName!).node;
    if (existing && isRecord(op.value)) {
      return Object.entries(op.value).reduce((acc, [k, v]) => applyJsonOp(acc, 'resource', newType!, newName!, { op: 'set', path: [k], value: v }), text);
    }
    const resources = find(root, 'resource').node;
    if (!resources) return text;
    const byType = find(resources, newType!).node;
    return byType ? insertMember(text, byType, newName!, op.value) : insertMember(text, resources, newType!, { [newName!]: op.value });
  }
  // Removing is not needed by any rule on Terraform JSON yet: left unrendered (display only).
  if (op.op === 'remove') return text;
  let node = resourceNode(root, blockType, type, name).node;
  if (!node) return text;
  for (let i = 0; i < op.path.length; i++) {
    const seg = op.path[i]!;
    if (typeof seg === 'number' && isMap(node)) continue; // a single block written as an object
    const next = find(node, seg);
    if (next.node) {
      node = next.node;
      continue;
    }
    if (!isMap(node) || typeof seg !== 'string') return text;
    // What is missing is written whole: an appended item as a list of it.
    return insertMember(text, node, seg, nest(op.path.slice(i + 1), op.op === 'append' ? [op.value] : op.value));
  }
  if (op.op === 'append') return isSeq(node) && node.range ? appendItem(text, node, op.value) : text;
  if (!isScalar(node) || !node.range) return text;
  const rendered = JSON.stringify(op.value);
  return text.slice(node.range[0], node.range[1]) === rendered ? text : text.slice(0, node.range[0]) + rendered + text.slice(node.range[1]);
}
