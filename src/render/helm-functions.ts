// Helm's own template functions (include, tpl, required, toYaml, …): the ones Helm adds to Sprig's.
// toYaml keeps provenance: each line of its output maps to the values key it printed.
import { isMap as isYamlMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, stringify, type Node as YamlNode } from 'yaml';
import { FunctionError, Traced, originAt, originOf, type Func, type Origin, type Span, type Val } from './gotemplate/index.js';
import { GoStruct, isMap, sortedKeys } from './gotemplate/values.js';
import { setOwn } from '../common/own-key.js';

function str(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** Plain data for serialisers: structs as their fields, methods dropped. */
function plain(v: unknown): unknown {
  if (v instanceof GoStruct) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v.fields)) if (typeof x !== 'function') setOwn(out, k, plain(x));
    return out;
  }
  if (Array.isArray(v)) return v.map(plain);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of sortedKeys(v)) setOwn(out, k, plain(v[k]));
    return out;
  }
  return v === undefined ? null : v;
}

// sigs.k8s.io/yaml: keys sorted (it goes through JSON), sequences not indented under their key,
// no line folding. Written as YAML 1.1 so that strings like "yes" stay quoted for Kubernetes.
const YAML_OPTIONS = { version: '1.1', indentSeq: false, lineWidth: 0, sortMapEntries: true } as const;

/** Helm's toYaml: YAML without the final newline; spans: each key and item at its values origin. */
export function toYamlTraced(val: Val): Traced {
  const text = stringify(plain(val.v), YAML_OPTIONS).replace(/\n$/, '');
  const spans: Span[] = [];
  if (val.origin && text.length > 0) spans.push({ start: 0, end: text.length, origin: val.origin });
  if (typeof val.v === 'object' && val.v !== null) {
    const doc = parseDocument(text, { version: '1.1' });
    walk(doc.contents, val.v, spans);
  }
  return new Traced({ v: text, spans });
}

/** Pairs the re-read YAML with the data it was written from, so each node gets the data's origin. */
function walk(node: unknown, data: unknown, spans: Span[]): void {
  if (isYamlMap(node) && isMap(data)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const origin = originOf(data, key);
      const keyNode = pair.key as YamlNode;
      const valueNode = pair.value as YamlNode | null;
      const end = valueNode?.range?.[1] ?? keyNode.range![1];
      if (origin) spans.push({ start: keyNode.range![0], end, origin });
      walk(valueNode, data[key], spans);
    }
  } else if (isSeq(node) && Array.isArray(data)) {
    node.items.forEach((item, i) => {
      const origin = originOf(data, i);
      const range = (item as YamlNode).range;
      if (origin && range) spans.push({ start: range[0], end: range[1], origin });
      walk(item, data[i], spans);
    });
  }
}

/** Go's json.Marshal: sorted keys, HTML characters escaped. */
function toJson(v: unknown, indent?: number, escapeHtml = true): string {
  const text = JSON.stringify(plain(v), null, indent) ?? 'null';
  return escapeHtml ? text.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : text;
}

function fromYaml(text: string, wantList: boolean): unknown {
  try {
    const docs = parseAllDocuments(text, { version: '1.1' });
    const doc = Array.isArray(docs) ? docs[0] : undefined;
    if (doc?.errors[0]) throw doc.errors[0];
    const value = doc?.toJS({ maxAliasCount: 100 }) ?? (wantList ? [] : {});
    if (wantList ? !Array.isArray(value) : !isMap(value)) throw new Error(`not a YAML ${wantList ? 'list' : 'map'}`);
    return value;
  } catch (error) {
    // Helm puts the error in the result instead of failing the render.
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return wantList ? [message] : { Error: message };
  }
}

function fromJson(text: string, wantList: boolean): unknown {
  try {
    const value: unknown = JSON.parse(text);
    if (wantList ? !Array.isArray(value) : !isMap(value)) throw new Error(`not a JSON ${wantList ? 'array' : 'object'}`);
    return value;
  } catch (error) {
    return wantList ? [(error as Error).message] : { Error: (error as Error).message };
  }
}

let tplCount = 0;

/**
 * Where each line of a tpl text was written, when that is known line by line: at the values key toYaml printed it from
 * (`tpl (toYaml .Values.sidecars) .`), or on its line of a literal block in a values file (`sidecars: |`). Else none,
 * and the whole text is at the string's origin. The text is a template there: what its actions print has its own origin.
 */
function textOrigins(text: string, val: Val | undefined): ((pos: number, line: number) => Origin | undefined) | undefined {
  const spans = val?.spans;
  const origin = val?.origin;
  if (spans && spans.length > 0) {
    // A line's first character that is not indentation: a key's span starts there, its parent's holds the indentation.
    return (pos) => {
      let at = pos;
      while (text[at] === ' ' || text[at] === '\t') at++;
      const written = originAt(spans, at < text.length && text[at] !== '\n' ? at : pos);
      return written && { kind: 'template', file: written.file, line: written.line };
    };
  }
  const first = origin?.kind === 'values' ? origin.blockLine : undefined;
  if (origin?.kind !== 'values' || first === undefined) return undefined;
  return (_pos, line) => ({ kind: 'template', file: origin.file, line: first + line - 1 });
}

export const helmFunctions: Record<string, Func> = {
  include: (a, call) => {
    const rendered = call.exec.execute(str(a[0]), call.vals[1] ?? { v: null }, call.where);
    return new Traced({ v: rendered.text, spans: rendered.spans });
  },
  tpl: (a, call) => {
    const text = str(a[0]);
    const name = `${call.where.template}#tpl${++tplCount}`;
    const lines = textOrigins(text, call.vals[0]);
    const rendered = call.exec.executeText(name, text, call.vals[1] ?? { v: null }, call.where, lines);
    // The text of a tpl string comes from where the string came from (usually a values key); a block of lines is a
    // template written there, not the key's value printed.
    const from = call.vals[0]?.origin;
    const own: Origin = from && lines ? { kind: 'template', file: from.file, line: from.line } : from ?? { kind: 'template', file: call.where.file, line: call.where.line };
    const spans = rendered.spans.filter((s) => !(s.origin.kind === 'template' && s.origin.file === name));
    return new Traced({ v: rendered.text, spans: [{ start: 0, end: rendered.text.length, origin: own }, ...spans] });
  },
  required: (a) => {
    if (a.length !== 2) throw new FunctionError(`wrong number of args for required: want 2 got ${a.length}`);
    if (a[1] === null || a[1] === undefined || a[1] === '') throw new FunctionError(str(a[0]));
    return a[1];
  },
  toYaml: (_a, call) => toYamlTraced(call.vals[0] ?? { v: null }),
  mustToYaml: (_a, call) => toYamlTraced(call.vals[0] ?? { v: null }),
  fromYaml: (a) => fromYaml(str(a[0]), false),
  fromYamlArray: (a) => fromYaml(str(a[0]), true),
  toJson: (a) => toJson(a[0]),
  mustToJson: (a) => toJson(a[0]),
  toPrettyJson: (a) => toJson(a[0], 2),
  mustToPrettyJson: (a) => toJson(a[0], 2),
  toRawJson: (a) => toJson(a[0], undefined, false),
  mustToRawJson: (a) => toJson(a[0], undefined, false),
  fromJson: (a) => fromJson(str(a[0]), false),
  fromJsonArray: (a) => fromJson(str(a[0]), true),
  // Warden has no cluster: lookup finds nothing, as in `helm template`.
  lookup: () => ({}),
};
