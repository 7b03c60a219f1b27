// Kubernetes YAML: every document of a file → resources with line ranges, each able to locate its paths and to
// write ops back as minimal text edits (src/formats/yaml-edits.ts).
import { isCollection, visit, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import type { EditOp, ParsedFile } from '../model.js';
import { MAX_NESTING, MAX_YAML_DOCUMENTS } from '../common/limits.js';
import { isKustomizationFile } from './kustomization-file.js';
import { isRecord } from '../common/path.js';
import { templateActionLine } from './templates.js';
import { blankUnreadDocuments, type UnreadDocuments } from './unread-documents.js';
import { deepNestingLine, documentStarts, nestingReason } from './text.js';
import { deployedObjects, inDocument } from './listed-objects.js';
import { lineOf, parseDocs, rangeOf, walk, kindIdentity, resourceId, type ParsedDocs } from './yaml-documents.js';
import { applyYamlOps, yamlSplice } from './yaml-edits.js';

/** The line of the first mapping key that is itself a collection (`name: {{ x }}` reads as one), or null. */
function collectionKeyLine(docs: readonly Document.Parsed[], lines: LineCounter): number | null {
  let found: number | null = null;
  for (const doc of docs) {
    if (doc.errors.length > 0) continue;
    visit(doc, {
      Pair(_, pair) {
        if (isCollection(pair.key)) {
          found = lineOf(lines, (pair.key as YamlNode).range?.[0] ?? 0);
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (found !== null) return found;
  }
  return null;
}

/** `unread`: documents of kinds no rule reads, left unparsed when their text says so surely (src/formats/unread-documents.ts). */
export function parseYaml(file: string, text: string, unread?: UnreadDocuments): ParsedFile {
  const parsed: ParsedFile = { file, format: 'yaml', text, resources: [], errors: [], notes: [] };
  const deep = deepNestingLine(text, MAX_NESTING, '[{', ']}');
  if (deep !== null) {
    parsed.notReviewed = nestingReason(deep);
    return parsed;
  }
  // Block nesting is indentation: deeper than MAX_NESTING levels of two spaces is not a manifest.
  const indented = new RegExp(`^ {${2 * MAX_NESTING + 1},}\\S`, 'm').exec(text);
  if (indented) {
    parsed.notReviewed = `it is indented deeper than ${2 * MAX_NESTING} columns (line ${text.slice(0, indented.index).split('\n').length}), past the parser's limit`;
    return parsed;
  }
  if (documentStarts(text, MAX_YAML_DOCUMENTS) > MAX_YAML_DOCUMENTS) {
    parsed.notReviewed = `it holds more than ${MAX_YAML_DOCUMENTS} YAML documents, past the parser's limit`;
    return parsed;
  }
  // Unread documents are blanked in place: the others keep their offsets, lines and index, so positions and
  // fixes read the original text as they would have.
  const { docs, lines } = parseDocs(unread ? blankUnreadDocuments(text, unread) : text);
  // A template is not YAML until rendered: actions where YAML would not parse, or read as mapping keys. Actions
  // inside strings are data (`--model_name={{.Name}}`): such a file is a manifest, and reviewed.
  // Without `{{` there is no action to find (templateActionLine), and no key needs visiting for one.
  const broken = docs.some((doc) => doc.errors.length > 0);
  const actionLine = text.includes('{{') && (broken || collectionKeyLine(docs, lines) !== null) ? templateActionLine(text) : null;
  if (actionLine !== null) {
    parsed.notReviewed = `template actions (\`{{ … }}\`) outside quoted strings (line ${actionLine}): a template is not YAML until rendered`;
    return parsed;
  }
  // The parse stays with the file's resources until it is released after evaluation, so rendering a fix
  // does not parse the file again; a file nobody holds takes its parse with it.
  const held: { docs: ParsedDocs | null } = { docs: { docs, lines } };
  parsed.release = () => {
    held.docs = null;
  };
  // Custom tags (`!Ref`, `!!python/…`) are not Kubernetes YAML: the value is read as written, and a note says so.
  const unknownTags = docs.flatMap((doc) => doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED'));
  for (const warning of unknownTags.slice(0, 5)) {
    const tag = /Unresolved tag: (\S+)/.exec(warning.message)?.[1] ?? 'unknown';
    parsed.notes.push(`line ${lineOf(lines, warning.pos[0])}: unknown YAML tag \`${tag}\`: its value is read untagged`);
  }
  if (unknownTags.length > 5) parsed.notes.push(`${unknownTags.length - 5} more unknown YAML tags`);
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!;
      parsed.errors.push({ line: lineOf(lines, err.pos[0]), message: err.message.split('\n')[0]! });
      return;
    }
    let body: unknown;
    try {
      body = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      parsed.errors.push({ line: lineOf(lines, doc.range[0]), message: (error as Error).message });
      return;
    }
    if (!isRecord(body)) return;
    // A kustomization need not say what it is: its file name does (src/engine/kustomize.ts reads it).
    if (index === 0 && isKustomizationFile(file)) {
      body.kind ??= 'Kustomization';
      body.apiVersion ??= 'kustomize.config.k8s.io/v1beta1';
    }
    for (const { body: object, at } of deployedObjects(body)) {
      if (typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') continue;
      const { name, namespace } = kindIdentity(object);
      const range = rangeOf(text, lines, walk(doc.contents as YamlNode, at).node, null)!;
      parsed.resources.push({
        id: resourceId(object.kind, name, namespace),
        kind: object.kind,
        apiVersion: object.apiVersion,
        name,
        namespace,
        file,
        format: 'yaml',
        range,
        body: object,
        ...(at.length > 0 ? { documentPath: at } : {}),
        source: {
          locate: (path) => {
            const { node, pair, depth } = walk(doc.contents as YamlNode, inDocument(at, path));
            const found = rangeOf(text, lines, node, pair);
            return found ? { ...found, exact: depth === at.length + path.length } : { ...range, exact: false };
          },
          apply: (current, ops) => applyYamlOps(current, index, at.length === 0 ? ops : ops.map((op) => ({ ...op, path: inDocument(at, op.path) })), current === text ? held.docs : null),
          splice: (current, ops) => (current === text && held.docs && ops.length === 1 ? yamlSplice(current, index, { ...ops[0]!, path: inDocument(at, ops[0]!.path) } as EditOp, held.docs) : null),
        },
      });
    }
  });
  return parsed;
}
