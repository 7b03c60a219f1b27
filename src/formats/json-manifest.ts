// Kubernetes manifests written as JSON (`kubectl apply -f serving.json`): one object with `apiVersion` and `kind`, or
// a list of them in `items` (`kind: List`, `PodList`, …: src/formats/listed-objects.ts). Whether a `.json` file is
// one is decided by its content, so package.json, dashboards and schemas are skipped quietly. Positions and edits
// come from jsonc-parser's syntax tree: the YAML writer would turn a JSON object into YAML flow with bare strings,
// and a fix must keep the file JSON.
import { isDeepStrictEqual } from 'node:util';
import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, printParseErrorCode, type FormattingOptions, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { MAX_NESTING } from '../common/limits.js';
import { isRecord } from '../common/path.js';
import type { EditOp, ParsedFile, Path, Range, Resource, Splice } from '../model.js';
import { deepNestingLine, nestingReason } from './text.js';
import { kindIdentity, resourceId } from './yaml-documents.js';
import { deployedObjects } from './listed-objects.js';

// Both keys, as keys: a JSON text without them holds no manifest, parsed or not.
const API_VERSION_KEY = /"apiVersion"\s*:/;
const KIND_KEY = /"kind"\s*:/;
// The first character that is not white space opens an object (tested without copying the text).
const STARTS_AS_OBJECT = /^\s*\{/;

/**
 * Whether a `.json` text is a Kubernetes manifest: valid JSON whose top object has a string `apiVersion` and `kind`;
 * or, when it is not valid JSON, text that names both keys (a manifest broken by an edit is a parse error, while a
 * `tsconfig.json` with comments is none of Warden's business).
 */
export function isJsonManifest(text: string): boolean {
  if (!API_VERSION_KEY.test(text) || !KIND_KEY.test(text)) return false;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return true;
  }
  return isRecord(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}

/**
 * Whether a text is a JSON manifest whatever its file's name. Kubernetes decodes a stream that starts with `{` as
 * JSON (kubectl's YAML-or-JSON decoder guesses by that character), so a `.yaml` file holding one is read and fixed
 * as JSON, and so is a JSON file a Kustomize composition reads: the YAML writer would rewrite its objects in YAML
 * flow style, bare strings on one line. Only valid JSON: flow-style YAML that is not JSON (`{apiVersion: v1, …}`)
 * stays YAML.
 */
export function isJsonManifestText(text: string): boolean {
  if (!STARTS_AS_OBJECT.test(text) || !API_VERSION_KEY.test(text) || !KIND_KEY.test(text)) return false;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
  } catch {
    return false;
  }
}

/** The manifests of a JSON file that isJsonManifest (or isJsonManifestText) accepted. */
export function parseJsonManifest(file: string, text: string): ParsedFile {
  const parsed: ParsedFile = { file, format: 'yaml', text, resources: [], errors: [], notes: [] };
  const deep = deepNestingLine(text, MAX_NESTING, '[{', ']}');
  if (deep !== null) {
    parsed.notReviewed = nestingReason(deep);
    return parsed;
  }
  const lineOf = lineLocator(text);
  const problems: ParseError[] = [];
  const root = parseTree(text, problems, { disallowComments: true, allowTrailingComma: false });
  if (problems.length > 0 || !root) {
    const first = problems[0];
    parsed.errors.push({ line: first ? lineOf(first.offset) : 1, message: first ? `invalid JSON: ${printParseErrorCode(first.error)}` : 'invalid JSON' });
    return parsed;
  }
  // The tree's value is JSON.parse's (the text is valid JSON): the text is not parsed a third time.
  const value = getNodeValue(root) as Record<string, unknown>;
  const format = formattingOf(text);
  for (const { body, at: prefix } of deployedObjects(value)) {
    if (typeof body.kind !== 'string' || typeof body.apiVersion !== 'string') continue;
    const { name, namespace } = kindIdentity(body);
    const node = findNodeAtLocation(root, [...prefix])!;
    const range = rangeOf(node, lineOf);
    const resource: Resource = {
      id: resourceId(body.kind, name, namespace),
      kind: body.kind,
      apiVersion: body.apiVersion,
      name,
      namespace,
      file,
      // The body is what a YAML manifest's is, and rules treat it as one; only the writer differs.
      format: 'yaml',
      range,
      body,
      ...(prefix.length > 0 ? { documentPath: prefix } : {}),
      source: {
        locate: (path) => locate(root, prefix, path, lineOf) ?? { ...range, exact: false },
        apply: (current, ops) => applyJsonOps(current, prefix, ops, format),
        splice: (current, ops) => (current === text && prefix.length > 0 ? itemSplice(text, node, ops, format) : null),
      },
    };
    parsed.resources.push(resource);
  }
  return parsed;
}

/** The line range of the node at `path` below `prefix`, or of its nearest existing ancestor (`exact` false). */
function locate(root: JsonNode, prefix: Path, path: Path, lineOf: (offset: number) => number): (Range & { exact: boolean }) | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(root, [...prefix, ...path.slice(0, depth)]);
    if (node) return { ...rangeOf(node, lineOf), exact: depth === path.length };
  }
  return null;
}

/** A value's lines, with its key when it is a property's value (as a YAML pair's range holds its key). */
function rangeOf(node: JsonNode, lineOf: (offset: number) => number): Range {
  const whole = node.parent?.type === 'property' ? node.parent : node;
  return { startLine: lineOf(whole.offset), endLine: lineOf(whole.offset + Math.max(whole.length - 1, 0)) };
}

/**
 * Ops on a list's item written into the item's own text (from the start of its line, so its indentation is what the
 * writer reads): the same text as writing them into the whole file, where each op would parse the whole file again
 * (a `kubectl get -o json` export of 1,000 objects took past the time limit). Null when the item does not start
 * its line.
 */
function itemSplice(text: string, node: JsonNode, ops: readonly EditOp[], format: FormattingOptions): Splice | null {
  const from = text.lastIndexOf('\n', node.offset - 1) + 1;
  if (text.slice(from, node.offset).trim() !== '') return null;
  const to = node.offset + node.length;
  return { from, to, insert: applyJsonOps(text.slice(from, to), [], ops, format) };
}

/** Ops on a resource's body as text edits of the JSON file, each keeping the file's indentation and line ends. */
export function applyJsonOps(text: string, prefix: Path, ops: readonly EditOp[], formattingOptions: FormattingOptions = formattingOf(text)): string {
  let current = text;
  for (const op of ops) {
    const path = [...prefix, ...op.path];
    let edits;
    if (op.op === 'set') edits = modify(current, path, op.value, { formattingOptions });
    else if (op.op === 'remove') edits = modify(current, path, undefined, { formattingOptions });
    else {
      // As the YAML writer: a value already in the list is not added again; a path holding something else is left alone.
      const list = findNodeAtLocation(parseTree(current)!, path);
      if (list?.type === 'array') edits = getNodeValue(list).some((item: unknown) => isDeepStrictEqual(item, op.value)) ? [] : modify(current, [...path, -1], op.value, { formattingOptions, isArrayInsertion: true });
      else edits = list ? [] : modify(current, path, [op.value], { formattingOptions });
    }
    current = applyEdits(current, edits);
  }
  return current;
}

/** The file's own indentation (the first indented line's) and line ends, for what the edits insert. */
function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** Offset → 1-based line. */
function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
