// YAML documents as Kubernetes reads them: parsed once per text (a writer starts from the same parse), read as
// plain values, and located by path.
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Path, Range } from '../model.js';
import { isRecord } from '../common/path.js';
import { GO_YAML_INTEGERS } from './go-yaml-tags.js';
import { blankUnreadBodies, type UnreadDocuments } from './unread-documents.js';

// Kubernetes decodes manifests as YAML 1.1 (`yes` is true, `0755` is octal). No `keepSourceTokens`: nothing
// reads the CST, and keeping it more than doubles the memory a parsed file holds.
// `logLevel: 'error'`: the library's warnings (a collection used as a key, …) would go to stderr; what matters of
// them is reported where a file is read (src/formats/yaml.ts).
const PARSE_OPTIONS = { version: '1.1' as const, customTags: [GO_YAML_INTEGERS], uniqueKeys: false, maxAliasCount: 100, logLevel: 'error' as const };

export interface ParsedDocs {
  docs: Document.Parsed[];
  lines: LineCounter;
}

// The last few parses, by text: rendering a fix starts from the file as parsed (one parse per file, not one
// per fix), and the writers read these documents without changing them.
const recent: { text: string; parsed: ParsedDocs }[] = [];

/** The documents of a YAML text with their line counter, parsed once for the format and its readers (src/render/provenance.ts). */
export function parseDocs(text: string): ParsedDocs {
  const hit = recent.findIndex((entry) => entry.text === text);
  if (hit >= 0) {
    const [entry] = recent.splice(hit, 1);
    recent.unshift(entry!);
    return entry!.parsed;
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lines });
  const parsed = { docs: Array.isArray(docs) ? docs : [], lines };
  recent.unshift({ text, parsed });
  recent.length = Math.min(recent.length, 2);
  return parsed;
}

export function lineOf(lines: LineCounter, offset: number): number {
  return lines.linePos(offset).line;
}

/** The last line holding content of a node (a node's range end often sits on the next line). */
export function endLineOf(text: string, lines: LineCounter, endOffset: number): number {
  let end = endOffset;
  while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--;
  return lineOf(lines, Math.max(end - 1, 0));
}

/** Walk a path; returns the deepest node reached, the pair holding it, and how far it got. */
export function walk(root: YamlNode | null, path: Path) {
  let node: YamlNode | null = root;
  let pair: Pair | null = null;
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const found = (node as YAMLMap).items.find((item) => isScalar(item.key) && String(item.key.value) === String(seg));
      if (!found) break;
      pair = found as Pair;
      node = (found.value as YamlNode | null) ?? null;
      if (node === null) {
        depth++;
        break;
      }
    } else if (isSeq(node) && typeof seg === 'number' && seg < (node as YAMLSeq).items.length) {
      pair = null;
      node = (node as YAMLSeq).items[seg] as YamlNode;
    } else break;
    depth++;
  }
  return { node, pair, depth };
}

export function rangeOf(text: string, lines: LineCounter, node: YamlNode | null, pair: Pair | null): Range | null {
  const keyNode = pair && (pair.key as YamlNode | null);
  const start = keyNode?.range?.[0] ?? node?.range?.[0];
  const end = node?.range?.[1] ?? keyNode?.range?.[1];
  if (start === undefined || end === undefined) return null;
  return { startLine: lineOf(lines, start), endLine: Math.max(lineOf(lines, start), endLineOf(text, lines, end)) };
}

/** A manifest's name (`generateName*` when it has none) and namespace. */
export function kindIdentity(body: Record<string, unknown>) {
  const meta = isRecord(body.metadata) ? body.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  return { name, namespace };
}

export function resourceId(kind: string, name: string, namespace?: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/** Every document of a YAML text as a plain value (null when it does not parse), with a locator of paths in each. */
export interface YamlDocuments {
  values: unknown[];
  /**
   * Some documents of unread kinds were read only as far as their `apiVersion`, `kind` and `metadata`
   * (readYamlDocuments with `unread`): their other fields are not among the values.
   */
  partial?: boolean;
  errors: { line: number; message: string }[];
  locate(doc: number, path: Path): (Range & { exact: boolean }) | null;
  /** The text's full parse (made once, when first asked for), for a writer to start from. */
  parsed(): ParsedDocs;
}

/**
 * Read any YAML (patch files, kustomizations) as Kubernetes would. Only the values are kept: the parse is made
 * again, once, when a position is first asked for (most documents a composition reads never need one).
 */
export function readYamlDocuments(text: string, unread?: UnreadDocuments): YamlDocuments {
  // With `unread`, a CustomResourceDefinition's schema is not read (src/formats/unread-documents.ts): the values
  // come from the text without it, positions from the text as written (its lines are where they were).
  const read = unread ? blankUnreadBodies(text, unread) : text;
  const { values, errors } = documentValues(read);
  let parsed: ParsedDocs | null = null;
  return {
    values,
    ...(read !== text ? { partial: true } : {}),
    errors,
    parsed: () => (parsed ??= parseDocs(text)),
    locate: (index, path) => {
      parsed ??= parseDocs(text);
      const doc = parsed.docs[index];
      if (!doc) return null;
      const { node, pair, depth } = walk(doc.contents as YamlNode, path);
      const found = rangeOf(text, parsed.lines, node, pair) ?? rangeOf(text, parsed.lines, doc.contents as YamlNode, null);
      return found && { ...found, exact: depth === path.length };
    },
  };
}

function documentValues(text: string): Pick<YamlDocuments, 'values' | 'errors'> {
  const { docs, lines } = parseDocs(text);
  const errors: { line: number; message: string }[] = [];
  const values = docs.map((doc) => {
    if (doc.errors.length > 0) {
      errors.push({ line: lineOf(lines, doc.errors[0]!.pos[0]), message: doc.errors[0]!.message.split('\n')[0]! });
      return null;
    }
    try {
      return withoutProtoKeys(doc.toJS({ maxAliasCount: 100 }) as unknown);
    } catch (error) {
      errors.push({ line: lineOf(lines, doc.range[0]), message: (error as Error).message });
      return null;
    }
  });
  return { values, errors };
}

/**
 * The value without `__proto__` keys, which no Kubernetes object has (the API server drops or refuses an unknown
 * field) and which JavaScript reads as an object's prototype once the value is copied key by key (a patch merged, a
 * clone): a key a patch or a kustomization writes there could give every object of the thread a field it never had.
 */
export function withoutProtoKeys(value: unknown): unknown {
  if (Array.isArray(value)) value.forEach(withoutProtoKeys);
  else if (value !== null && typeof value === 'object') {
    if (Object.hasOwn(value, '__proto__')) delete (value as Record<string, unknown>)['__proto__'];
    for (const item of Object.values(value)) withoutProtoKeys(item);
  }
  return value;
}
