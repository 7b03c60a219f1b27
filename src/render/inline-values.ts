// Values a GitOps object sets itself (an Argo CD source's `helm.valuesObject`, or `helm.values` as a literal block; a
// Flux HelmRelease's `spec.values`), read as a values file where they are written: the lines of the object's file
// that hold them, each on its own line number (the lines above blank) and without the indentation of its place, so
// that a finding on one of them is reported on that line of the object, as one on a values file is. An Argo CD
// source's `helm.parameters` set a tree of values by names: that tree, on the line of the first parameter. Null when
// they cannot be read so (flow style, a folded or quoted text, anchors, parameters not followed): then the chart is
// not rendered with them and the review fails closed.
import { isMap, isScalar, isSeq, Scalar, type Node } from 'yaml';
import { readYamlDocuments } from '../formats/yaml.js';
import { isDeepStrictEqual } from 'node:util';
import { getIn, isRecord } from '../common/path.js';
import type { Path } from '../model.js';
import type { InlineForm } from '../common/argo.js';
import { argoHelmParameters } from '../common/helm-parameters.js';

/**
 * The object that sets them, by kind and name (none: the file's one document, an Argo CD override file), their place
 * in it, and how they are written there.
 */
export interface InlineValuesAt {
  kind?: string;
  name?: string;
  path: Path;
  form: InlineForm;
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
    let values: string;
    let expected: unknown = null;
    if (where.form === 'parameters') {
      // Helm parameters are names and values, not a block: the tree they set, on one line, that of the first.
      const set = argoHelmParameters(getIn(body, where.path));
      if (!isSeq(node) || set === null) return null;
      values = `${'\n'.repeat(line(node.range[0]).line - 1)}${JSON.stringify(set)}\n`;
      expected = set;
    } else if (where.form === 'text') {
      // A literal block's text is its lines as written, less their indentation, from the line after its `|`.
      if (!isScalar(node) || node.type !== Scalar.BLOCK_LITERAL || typeof node.value !== 'string') return null;
      values = `${'\n'.repeat(line(node.range[0]).line)}${node.value}`;
    } else {
      // A block mapping: its lines, less the indentation of its first key.
      if (!isMap(node) || node.flow) return null;
      const { line: first, col } = line(node.range[0]);
      const last = line(Math.max(node.range[0], node.range[1] - 1)).line;
      const lines = text.split('\n').slice(first - 1, last);
      if (lines.some((l) => l.trim() !== '' && l.slice(0, col - 1).trim() !== '')) return null;
      values = `${'\n'.repeat(first - 1)}${lines.map((l) => l.slice(col - 1)).join('\n')}\n`;
      expected = getIn(body, where.path);
    }
    // Read back as a values file, the text must give what Argo CD reads from the object.
    const back = readYamlDocuments(values);
    if (back.values.length !== 1 || back.errors.length > 0) return null;
    if (where.form !== 'text' && !isDeepStrictEqual(back.values[0], expected)) return null;
    return values;
  }
  return null;
}
