// Values a GitOps object sets itself (an Argo CD source's `helm.valuesObject`, or `helm.values` as a literal block; a
// Flux HelmRelease's `spec.values`), read as a values file where they are written: the lines of the object's file
// that hold them, each on its own line number (the lines above blank) and without the indentation of its place, so
// that a finding on one of them is reported on that line of the object, as one on a values file is. An Argo CD
// source's `helm.parameters` set a tree of values by names: that tree, each value on its parameter's line. Null when
// they cannot be read so (flow style, a folded or quoted text, anchors, parameters not followed): then the chart is
// not rendered with them and the review fails closed.
import { isMap, isScalar, isSeq, Scalar, type Node, type YAMLSeq } from 'yaml';
import { readYamlDocuments } from '../formats/yaml-documents.js';
import { isDeepStrictEqual } from 'node:util';
import { getIn, isRecord } from '../common/path.js';
import type { Path } from '../model.js';
import { argoHelmParameters, parameterKeys } from '../common/helm-parameters.js';
import { fillTemplate, type InlineForm } from '../common/argo.js';
import type { BuildEnvironment } from '../common/argo-environment.js';

/**
 * The object that sets them, by kind and name (none: the file's one document, an Argo CD override file), their place
 * in it, and how they are written there.
 */
export interface InlineValuesAt {
  kind?: string;
  name?: string;
  path: Path;
  form: InlineForm;
  /** The parameters an ApplicationSet's generator fills its template with: the values as one Application has them. */
  fill?: Readonly<Record<string, string>>;
  /** Argo CD's build environment, put into parameters' values (src/common/argo-environment.ts). */
  environment?: BuildEnvironment;
}

/** The values file the object of `text` sets `where`, its lines where they are written; or null. */
export function inlineValuesText(text: string, where: InlineValuesAt): string | null {
  const read = readYamlDocuments(text);
  const { docs, lines: lineCounter } = read.parsed();
  for (const [index, body] of read.values.entries()) {
    const doc = docs[index];
    if (!doc || !isRecord(body)) continue;
    if (where.kind === undefined ? read.values.length !== 1 : body.kind !== where.kind || !isRecord(body.metadata) || body.metadata.name !== where.name) continue;
    const node = doc.getIn(where.path, true) as Node | undefined;
    if (!node?.range) return null;
    const line = (offset: number) => lineCounter.linePos(offset);
    const filled = <T>(value: T): T => (where.fill ? (fillTemplate(value, where.fill) as T) : value);
    let values: string;
    let expected: unknown = null;
    if (where.form === 'parameters') {
      const set = argoHelmParameters(filled(getIn(body, where.path)), where.environment);
      if (!isSeq(node) || set === null) return null;
      values = parametersText(set, node, (offset) => line(offset).line);
      expected = set;
    } else if (where.form === 'text') {
      // A literal block's text is its lines as written, less their indentation, from the line after its `|`.
      if (!isScalar(node) || node.type !== Scalar.BLOCK_LITERAL || typeof node.value !== 'string') return null;
      values = `${'\n'.repeat(line(node.range[0]).line)}${filled(node.value)}`;
    } else {
      // A block mapping: its lines, less the indentation of its first key.
      if (!isMap(node) || node.flow) return null;
      const { line: first, col } = line(node.range[0]);
      const last = line(Math.max(node.range[0], node.range[1] - 1)).line;
      const lines = text.split('\n').slice(first - 1, last);
      if (lines.some((l) => l.trim() !== '' && l.slice(0, col - 1).trim() !== '')) return null;
      // Filled in as text, read back below as the values filled in: a parameter that changes how it reads fails.
      values = filled(`${'\n'.repeat(first - 1)}${lines.map((l) => l.slice(col - 1)).join('\n')}\n`);
      expected = filled(getIn(body, where.path));
    }
    // Read back as a values file, the text must give what Argo CD reads from the object.
    const back = readYamlDocuments(values);
    if (back.values.length !== 1 || back.errors.length > 0) return null;
    if (where.form !== 'text' && !isDeepStrictEqual(back.values[0], expected)) return null;
    return values;
  }
  return null;
}

/**
 * Helm parameters are names and values, not a block: the tree they set, as JSON, each value on the line of its
 * parameter's `value` (a flow mapping may run over lines), so that a finding on it is reported where the person
 * edits it. When the tree's order cannot follow the lines (a key's parameters apart, between another's), all of
 * it on the line of the first parameter.
 */
function parametersText(set: Record<string, unknown>, parameters: YAMLSeq, lineOf: (offset: number) => number): string {
  // By the keys each sets (a name's escapes read), as the tree holds them.
  const lines = new Map<string, number>();
  for (const item of parameters.items) {
    if (!isMap(item)) continue;
    const name = item.get('name');
    const keys = typeof name === 'string' ? parameterKeys(name) : null;
    const at = (item.get('value', true) as Node | undefined)?.range ?? (item.get('name', true) as Node | undefined)?.range ?? item.range;
    if (keys && at) lines.set(JSON.stringify(keys), lineOf(at[0]));
  }
  const start = lineOf(parameters.range?.[0] ?? 0);
  const leaves: number[] = [];
  const walk = (tree: Record<string, unknown>, prefix: readonly string[]) => {
    for (const [key, value] of Object.entries(tree)) {
      const name = JSON.stringify([...prefix, key]);
      if (lines.has(name)) leaves.push(lines.get(name)!);
      else if (isRecord(value)) walk(value, [...prefix, key]);
    }
  };
  walk(set, []);
  if (leaves.length === 0 || leaves.some((leaf, i) => i > 0 && leaf < leaves[i - 1]!)) return `${'\n'.repeat(start - 1)}${JSON.stringify(set)}\n`;
  // Written in the order walked: a key goes on the line of the next value, its own or its first one's.
  let at = leaves[0]!;
  let next = 0;
  const placed = (tree: Record<string, unknown>, prefix: readonly string[]): string =>
    `{${Object.entries(tree)
      .map(([key, value]) => {
        const name = JSON.stringify([...prefix, key]);
        const line = leaves[next]!;
        const gap = line > at ? `${'\n'.repeat(line - at)} ` : '';
        at = line;
        if (lines.has(name)) {
          next++;
          return `${gap}${JSON.stringify(key)}:${JSON.stringify(value)}`;
        }
        return `${gap}${JSON.stringify(key)}:${placed(value as Record<string, unknown>, [...prefix, key])}`;
      })
      .join(',')}}`;
  return `${'\n'.repeat(leaves[0]! - 1)}${placed(set, [])}\n`;
}
