// Composed objects as the engine's resources: rules read the composed body; a path is located, fingerprinted
// and fixed at its origin (the base manifest, the patch line, the kustomization entry, the removing operation).
import type { Edit, EditOp, Path, Range, Resource } from '../model.js';
import { resourceId } from '../formats/yaml-documents.js';
import { applyYamlOps, yamlSplice } from '../formats/yaml-edits.js';
import { applyJsonOps, isJsonManifestText } from '../formats/json-manifest.js';
import { lineEdit, spliceEdit } from '../common/edits.js';
import { isRecord } from '../common/path.js';
import { isKustomizationFile } from '../formats/kustomization-file.js';
import type { ComposedObject } from './kustomize.js';
import { ownerOf } from './provenance.js';
import type { Sources } from './sources.js';

/** Where a path of a composed object was set: the source document and the path inside it. */
function originOf(object: ComposedObject, path: Path): { source: number; path: Path; removal: boolean; copied: boolean } {
  const owner = ownerOf(object.shadow, object.body, path);
  if (owner.removedBy) return { source: owner.removedBy.source, path: owner.removedBy.path, removal: true, copied: false };
  return { source: owner.origin.source, path: [...owner.origin.path, ...path.slice(owner.depth)], removal: false, copied: owner.origin.copiedBy !== undefined };
}

/**
 * The engine resource of a composed object. `built` names the kustomization that built it (the root whose
 * build this is); its file is the manifest that defines the object.
 */
export function composedResource(object: ComposedObject, sources: Sources): Resource {
  const body = object.body;
  const meta = isRecord(body.metadata) ? body.metadata : {};
  const kind = String(body.kind);
  const name = typeof meta.name === 'string' ? meta.name : '';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const defining = sources.all[object.shadow.o!.source]!;
  let contributors: { file: string; range: Range }[] | undefined;
  let range: Range | undefined;
  return {
    id: resourceId(kind, name, namespace),
    kind,
    apiVersion: typeof body.apiVersion === 'string' ? body.apiVersion : undefined,
    name,
    namespace,
    file: defining.file,
    format: 'yaml',
    // Located when a finding or a change needs it: locating re-parses the manifest, which most objects never need.
    get range() {
      return (range ??= sources.locate(object.shadow.o!.source, []));
    },
    body,
    // Located when the engine asks whether the change touches it, each place once.
    get contributors() {
      // Each range is located only when asked (only a file the change touches needs its lines).
      return (contributors ??= [...new Set(object.contributors)].map((o) => {
        let range: Range | undefined;
        return {
          file: sources.all[o.source]!.file,
          get range() {
            return (range ??= sources.locate(o.source, o.path));
          },
        };
      }));
    },
    source: {
      locate: (path) => {
        const origin = originOf(object, path);
        const source = sources.all[origin.source]!;
        const range = sources.locate(origin.source, origin.path);
        return { ...range, exact: range.exact || origin.removal, origin: { file: source.file, resource: source.id, path: origin.path, text: source.text } };
      },
      // The defining manifest's own text: what a single-file writer would edit.
      apply: (text, ops) =>
        writeOps(
          text,
          defining.doc,
          ops.map((op) => {
            const origin = originOf(object, op.path);
            return { ...op, path: sources.inDocument(origin.source, origin.path) };
          }),
          null,
        ),
      render: (ops) => renderAtOrigins(object, sources, ops),
    },
  };
}

/**
 * Ops rendered in the files that own their paths: a value a patch set is fixed in the patch, one from the base
 * in the base. None when an owner cannot be written (an inline patch, a kustomization entry such as
 * `images:`, a value a patch removed, a value a replacement copied from elsewhere): the fix is then shown, not offered.
 */
function renderAtOrigins(object: ComposedObject, sources: Sources, ops: readonly EditOp[]): Edit[] {
  const bySource = new Map<number, EditOp[]>();
  for (const op of ops) {
    const origin = originOf(object, op.path);
    const source = sources.all[origin.source]!;
    if (origin.removal || origin.copied || !source.writable || isKustomizationFile(source.file)) return [];
    const list = bySource.get(origin.source) ?? [];
    list.push({ ...op, path: sources.inDocument(origin.source, origin.path) } as EditOp);
    bySource.set(origin.source, list);
  }
  // One op in one YAML document as read: rendered from its splice and the lines around it (a base of 1,000 objects
  // is not written out and compared whole for each finding).
  const [only, ...others] = bySource;
  if (only && others.length === 0) {
    const [index, list] = only;
    const source = sources.all[index]!;
    if (list.length === 1 && !source.inline && !sources.isJson(index)) {
      const splice = yamlSplice(source.text, source.doc, list[0]!, source.docs.parsed());
      if (splice) {
        const edit = spliceEdit(source.file, source.text, splice);
        return edit ? [edit] : [];
      }
    }
  }
  // Several documents of one file: each applied in turn to the file's text, one edit per file.
  const byFile = new Map<string, { before: string; after: string }>();
  for (const [index, list] of bySource) {
    const source = sources.all[index]!;
    const current = byFile.get(source.file) ?? { before: source.text, after: source.text };
    // The file as read: its parse (made once for positions) is where the writer starts.
    current.after = writeOps(current.after, source.doc, list, current.after === source.text && !source.inline ? source.docs.parsed() : null, sources.isJson(index));
    byFile.set(source.file, current);
  }
  return [...byFile].flatMap(([file, { before, after }]) => {
    const edit = lineEdit(file, before, after);
    return edit ? [edit] : [];
  });
}

/**
 * Ops written into one document of a file, by the writer of the file's own syntax: a file that is a JSON manifest
 * (a `.json` resource, or JSON in a `.yaml`) stays JSON, anything else is YAML (`parsed`: the text's parse, if held).
 */
function writeOps(text: string, doc: number, ops: readonly EditOp[], parsed: Parameters<typeof applyYamlOps>[3], json = doc === 0 && isJsonManifestText(text)): string {
  return json ? applyJsonOps(text, [], ops) : applyYamlOps(text, doc, ops, parsed);
}
