// The documents a composition reads, each once: a base manifest, a patch file, a kustomization, or a patch
// written inline in a kustomization (its lines offset into the kustomization's). Origins point into this table.
import type { Path, Range } from '../model.js';
import { readYamlDocuments, resourceId, type YamlDocuments } from '../formats/yaml.js';
import { isRecord } from '../engine/path.js';

export interface SourceDoc {
  file: string;
  /** The file's whole text (a fix edits it; its suppression comments apply). */
  text: string;
  docs: YamlDocuments;
  doc: number;
  /** Lines before the document's first line in `file` (an inline patch sits inside its kustomization). */
  lineOffset: number;
  /** Whether a fix may be written into it: not into text held in a YAML string (an inline patch). */
  writable: boolean;
  /** The identity findings on it are known by: the object as written, or the file and document. */
  id: string;
}

/** Parsed YAML by file, shared by the steps of one composition (the layout reads the kustomizations too). */
export type DocumentCache = Map<string, YamlDocuments>;

export class Sources {
  readonly all: SourceDoc[] = [];

  constructor(private readonly parsed: DocumentCache = new Map()) {}

  /** The documents of a file's text, parsed once however many overlays read it. */
  documents(file: string, text: string): YamlDocuments {
    let docs = this.parsed.get(file);
    if (!docs) this.parsed.set(file, (docs = readYamlDocuments(text)));
    return docs;
  }

  add(file: string, text: string, docs: YamlDocuments, doc: number, inline: { lineOffset: number } | null = null): number {
    const value = docs.values[doc];
    const meta = isRecord(value) && isRecord(value.metadata) ? value.metadata : {};
    const id =
      isRecord(value) && typeof value.kind === 'string' && typeof meta.name === 'string'
        ? resourceId(value.kind, meta.name, typeof meta.namespace === 'string' ? meta.namespace : undefined)
        : `${file}#${doc + 1}${inline ? `@${inline.lineOffset}` : ''}`;
    this.all.push({ file, text, docs, doc, lineOffset: inline?.lineOffset ?? 0, writable: inline === null, id });
    return this.all.length - 1;
  }

  /** The lines of `path` in a source (or of its nearest existing parent: `exact` false). */
  locate(source: number, path: Path): Range & { exact: boolean } {
    const s = this.all[source]!;
    const found = s.docs.locate(s.doc, path) ?? { startLine: 1, endLine: 1, exact: false };
    return { startLine: found.startLine + s.lineOffset, endLine: found.endLine + s.lineOffset, exact: found.exact };
  }
}
