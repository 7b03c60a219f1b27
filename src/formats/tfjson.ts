// Terraform JSON syntax (`*.tf.json`): values from JSON, positions from the YAML parser (JSON is YAML).
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { ParsedFile, Path, Range } from '../model.js';
import { isRecord } from '../engine/path.js';
import { kubernetesKindOf } from './paths.js';

export function parseTfJson(file: string, text: string): ParsedFile {
  const parsed: ParsedFile = { file, format: 'tfjson', text, resources: [], errors: [], notes: [] };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const pos = doc.errors[0]?.pos[0];
    parsed.errors.push({ line: pos === undefined ? 1 : lines.linePos(pos).line, message: (error as Error).message });
    return parsed;
  }
  if (!isRecord(json)) return parsed;
  const find = (node: YamlNode | null | undefined, key: string | number): { node: YamlNode | null; pair: Pair | null } => {
    if (isMap(node)) {
      const pair = (node as YAMLMap).items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      return { node: (pair?.value as YamlNode | null) ?? null, pair: (pair as Pair | undefined) ?? null };
    }
    if (isSeq(node) && typeof key === 'number') return { node: (node.items[key] as YamlNode) ?? null, pair: null };
    return { node: null, pair: null };
  };
  const rangeOf = (node: YamlNode | null, pair: Pair | null): Range | null => {
    const start = (pair?.key as YamlNode | undefined)?.range?.[0] ?? node?.range?.[0];
    const end = node?.range?.[1];
    if (start === undefined || end === undefined) return null;
    return { startLine: lines.linePos(start).line, endLine: lines.linePos(Math.max(end - 1, start)).line };
  };
  for (const blockType of ['resource', 'data'] as const) {
    const byType = json[blockType];
    if (!isRecord(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isRecord(byName)) continue;
      for (const [name, raw] of Object.entries(byName)) {
        const body = Array.isArray(raw) ? raw[0] : raw;
        if (!isRecord(body)) continue;
        const typeNode = find(find(doc.contents as YamlNode, blockType).node, type).node;
        const located = find(typeNode, name);
        const resourceNode = isSeq(located.node) ? (located.node.items[0] as YamlNode) : located.node;
        const range = rangeOf(located.node, located.pair) ?? { startLine: 1, endLine: 1 };
        const k8s = kubernetesKindOf(type);
        parsed.resources.push({
          id: blockType === 'data' ? `data.${type}.${name}` : `${type}.${name}`,
          kind: type,
          name,
          terraform: { block: blockType, type, name },
          file,
          format: 'tfjson',
          range,
          body,
          source: {
            locate: (path: Path) => {
              let node: YamlNode | null = resourceNode;
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
            // Fixes are not rendered into JSON syntax: the finding carries the fix as display only.
            apply: (current) => current,
          },
        });
        if (k8s) parsed.notes.push(`${type}.${name}: Kubernetes resources in Terraform JSON syntax are checked by cloud rules only`);
      }
    }
  }
  return parsed;
}
