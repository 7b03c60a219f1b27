// The documents a composition reads, each once: a base manifest, a patch file, a kustomization, a patch written
// inline in a kustomization (its lines offset into the kustomization's), or a file a generator reads as data (an env
// file, addressed by line; any other file, whole). Origins point into this table.
import type { Path, Range } from '../model.js';
import { parseDocs, readYamlDocuments, resourceId, type YamlDocuments } from '../formats/yaml-documents.js';
import { getIn, isRecord } from '../common/path.js';
import { inDocument } from '../formats/listed-objects.js';
import { isJsonManifestText } from '../formats/json-manifest.js';
import type { UnreadDocuments } from '../formats/unread-documents.js';

export interface SourceDoc {
  file: string;
  /** The file's whole text (a fix edits it; its suppression comments apply). */
  text: string;
  docs: YamlDocuments;
  doc: number;
  /** Where the object is in the document: `[]`, or a list's item (`['items', 2]`, src/formats/listed-objects.ts). */
  at: Path;
  /** An inline patch: the YAML string in its kustomization that holds it (its lines count from there). */
  inline: InlineAt | null;
  /** Whether a fix may be written into it: not into text held in a YAML string (an inline patch). */
  writable: boolean;
  /** The identity findings on it are known by: the object as written, or the file and document. */
  id: string;
}

/** Parsed YAML by file, shared by the steps of one composition (the layout reads the kustomizations too). */
export type DocumentCache = Map<string, YamlDocuments>;

export interface InlineAt {
  /** The kustomization's source and the path of the string. */
  source: number;
  path: Path;
  /** A block scalar's text starts on the line after its key; a one-line scalar's on the key's line. */
  block: boolean;
}

export class Sources {
  readonly all: SourceDoc[] = [];

  constructor(
    private readonly parsed: DocumentCache = new Map(),
    /** Documents of these kinds are read only as far as their `apiVersion`, `kind` and `metadata` (none: all whole). */
    private readonly unread?: UnreadDocuments,
  ) {}

  /**
   * The documents of a file's text, parsed once however many overlays read it. Documents read in part, cached by a
   * composition that reads so, are read again whole for one that reads everything.
   */
  documents(file: string, text: string): YamlDocuments {
    let docs = this.parsed.get(file);
    if (!docs || (docs.partial && !this.unread)) this.parsed.set(file, (docs = readYamlDocuments(text, this.unread)));
    return docs;
  }

  private readonly indices = new Map<string, number>();

  /**
   * The index of a document (or of the list item `at` in it) in the table: the same one read again, by another
   * overlay, keeps its index.
   */
  add(file: string, text: string, docs: YamlDocuments, doc: number, inline: InlineAt | null = null, at: Path = []): number {
    const inlineAt = inline ? inline.path.join('.') : '';
    const key = `${file}\0${doc}\0${inlineAt}\0${at.join('.')}`;
    const known = this.indices.get(key);
    if (known !== undefined && this.all[known]!.docs === docs) return known;
    const value = getIn(docs.values[doc], at);
    const meta = isRecord(value) && isRecord(value.metadata) ? value.metadata : {};
    const id =
      isRecord(value) && typeof value.kind === 'string' && typeof meta.name === 'string'
        ? resourceId(value.kind, meta.name, typeof meta.namespace === 'string' ? meta.namespace : undefined)
        : `${file}#${inline ? `${inlineAt}#` : ''}${doc + 1}${at.length > 0 ? `#${at.join('.')}` : ''}`;
    this.all.push({ file, text, docs, doc, at, inline, writable: inline === null, id });
    this.indices.set(key, this.all.length - 1);
    return this.all.length - 1;
  }

  private readonly dataFiles = new Map<string, number>();

  /**
   * A file a generator reads as data, not as YAML: path `[]` is the whole file (its first line for a finding, every
   * line for what the change touches), `[n]` its line n + 1. Never written by a fix (a generated value is shown).
   */
  addData(file: string, text: string): number {
    const known = this.dataFiles.get(file);
    if (known !== undefined && this.all[known]!.text === text) return known;
    this.all.push({ file, text, docs: lineDocuments(text), doc: 0, at: [], inline: null, writable: false, id: file });
    this.dataFiles.set(file, this.all.length - 1);
    return this.all.length - 1;
  }

  private readonly json = new Map<number, boolean>();

  /** Whether a source is a JSON manifest's text (written as JSON), told once per source, not at every render. */
  isJson(source: number): boolean {
    let json = this.json.get(source);
    if (json === undefined) {
      const s = this.all[source]!;
      this.json.set(source, (json = s.doc === 0 && s.inline === null && isJsonManifestText(s.text)));
    }
    return json;
  }

  /** A path of a source's object as a path in its document (they differ for a list's item). */
  inDocument(source: number, path: Path): Path {
    return inDocument(this.all[source]!.at, path);
  }

  /** The lines of `path` in a source (or of its nearest existing parent: `exact` false). */
  locate(source: number, path: Path): Range & { exact: boolean } {
    const s = this.all[source]!;
    const found = s.docs.locate(s.doc, inDocument(s.at, path)) ?? { startLine: 1, endLine: 1, exact: false };
    const offset = s.inline ? this.locate(s.inline.source, s.inline.path).startLine - (s.inline.block ? 0 : 1) : 0;
    return { startLine: found.startLine + offset, endLine: found.endLine + offset, exact: found.exact };
  }
}

/** A text located by line, for a file that is data: `[]` spans it (inexact: a finding sits on its first line), `[n]` is line n + 1. */
function lineDocuments(text: string): YamlDocuments {
  const lines = Math.max(1, text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  return {
    values: [null],
    errors: [],
    parsed: () => parseDocs(''),
    locate: (doc, path) => {
      if (doc !== 0) return null;
      const line = path[0];
      if (typeof line === 'number' && line >= 0 && line < lines) return { startLine: line + 1, endLine: line + 1, exact: path.length === 1 };
      return { startLine: 1, endLine: lines, exact: false };
    },
  };
}
