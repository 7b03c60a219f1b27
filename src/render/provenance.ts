// From a rendered template's spans to the origin of each rendered line and of each YAML node:
// what a finding on a rendered object needs to be reported where a person edits.
import { isMap as isYamlMap, isPair, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { parseDocs } from '../formats/yaml-documents.js';
import { originAt, type Origin, type Span } from './gotemplate/index.js';
import type { RenderedTemplate } from './helm.js';
import type { Path } from '../model.js';

export type PathKey = string;
export const pathKey = (path: (string | number)[]): PathKey => JSON.stringify(path);

/** Where a node of a rendered object came from. */
export interface NodeOrigin {
  /** The mapping key's origin (the line that wrote `securityContext:`). */
  key?: Origin;
  /** The value's: for a scalar, the values key it came from if any, else its template line; for a map or list, the smallest span holding all of it. */
  value?: Origin;
  /** The value is all from one values key (not a values key within template text, like `repo:{{ .tag }}`). */
  wholeValue: boolean;
  /** 1-based line of the node in the rendered text. */
  line: number;
}

export interface RenderedDocument {
  template: RenderedTemplate;
  /** Index of the document in the template's output. */
  index: number;
  data: unknown;
  /** Origins by node path (pathKey), the document's root at `[]`. */
  nodes: Map<PathKey, NodeOrigin>;
  /** Rendered lines of the document (1-based, inclusive). */
  startLine: number;
  endLine: number;
  /** YAML errors of the rendered text (the template printed something that is not YAML). */
  errors: { line: number; message: string }[];
}

/** The origin of each rendered line: the innermost span at its first non-blank character. */
export function lineOrigins(text: string, spans: Span[]): (Origin | undefined)[] {
  const out: (Origin | undefined)[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    out.push(line.trim() === '' ? undefined : originAt(spans, start + indent));
    start += line.length + 1;
  }
  return out;
}

/** The smallest span holding all of [start, end); for scalars, a values span inside wins over a template one. */
function nodeOrigin(spans: Span[], start: number, end: number, scalar: boolean): { value?: Origin; wholeValue: boolean } {
  let holding: Span | undefined;
  let fromValues: Span | undefined;
  for (const s of spans) {
    // Equal sizes: a scalar takes the innermost span (its key's), a map or list the outermost (the key holding it all).
    const size = s.end - s.start;
    if (s.start <= start && end <= s.end && (!holding || size < holding.end - holding.start || (scalar && size === holding.end - holding.start))) holding = s;
    // Of several values in one scalar (`repo:tag`), the last one: the part a rule most often judges (the tag).
    if (scalar && s.origin.kind === 'values' && s.start < end && start < s.end && (!fromValues || s.start >= fromValues.start)) fromValues = s;
  }
  if (scalar && fromValues && holding?.origin.kind !== 'values') return { value: fromValues.origin, wholeValue: false };
  return { value: holding?.origin ?? originAt(spans, start), wholeValue: holding?.origin.kind === 'values' };
}

/** Parses a rendered template into its YAML documents, each node with its origin. */
export function traceDocuments(template: RenderedTemplate): RenderedDocument[] {
  // The same parse the YAML format makes of the rendered text (it keeps the last few), not a second one.
  const { docs: list, lines } = parseDocs(template.text);
  const lineOf = (offset: number): number => lines.linePos(offset).line;
  const out: RenderedDocument[] = [];
  list.forEach((doc, index) => {
    const nodes = new Map<PathKey, NodeOrigin>();
    const visit = (node: unknown, path: (string | number)[], key: Origin | undefined, depth: number): void => {
      const range = (node as YamlNode | null)?.range;
      if (!range || depth > 200) return;
      let end = range[1];
      while (end > range[0] + 1 && /\s/.test(template.text[end - 1]!)) end--;
      const { value, wholeValue } = nodeOrigin(template.spans, range[0], Math.max(range[0] + 1, end), isScalar(node));
      nodes.set(pathKey(path), { key, value, wholeValue, line: lineOf(range[0]) });
      if (isYamlMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair) || !isScalar(pair.key)) continue;
          const keyRange = (pair.key as YamlNode).range!;
          const keyOrigin = originAt(template.spans, keyRange[0]);
          const child = [...path, String(pair.key.value)];
          if (pair.value === null || (pair.value as YamlNode).range === undefined) {
            nodes.set(pathKey(child), { key: keyOrigin, value: keyOrigin, wholeValue: false, line: lineOf(keyRange[0]) });
          } else {
            visit(pair.value, child, keyOrigin, depth + 1);
          }
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => visit(item, [...path, i], undefined, depth + 1));
      }
    };
    if (doc.contents === null) return;
    visit(doc.contents, [], undefined, 0);
    const range = doc.contents.range!;
    out.push({
      template,
      index,
      data: doc.toJS({ maxAliasCount: 100 }),
      nodes,
      startLine: lineOf(range[0]),
      endLine: lineOf(Math.max(range[0], range[1] - 1)),
      errors: doc.errors.map((e) => ({ line: lineOf(e.pos[0]), message: e.message.split('\n')[0]! })),
    });
  });
  return out;
}

/** The deepest node of the rendered object on `path`, and whether it is the node itself. */
export function nodeAt(doc: RenderedDocument, path: Path): { node: NodeOrigin; depth: number } | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.nodes.get(pathKey([...path.slice(0, depth)]));
    if (node) return { node, depth };
  }
  return null;
}
