// What crosses between the main thread and a parsing worker: plain data only, and as little as the main thread
// needs. A parse comes back as a summary: its notes and errors, and only the resources cross-resource rules may
// look up (src/engine/visible.ts). Everything else about a file stays in the worker that parsed it.
import { randomUUID } from 'node:crypto';
import type { FormatName, ParsedFile, Resource, ResourceSource } from '../model.js';
import type { RepositoryIndex } from '../engine/repository.js';
import { touchedDataBlocks, touchedModuleCalls } from '../engine/data-reads.js';
import { touchedDeclarations } from '../engine/terraform/declaration-lines.js';
import { isLookedUp } from '../engine/visible.js';
import { fileDeclarations, type FileDeclarations } from '../engine/terraform/file-declarations.js';
import { fileKind, type ParseOptions } from '../formats/index.js';
import { unreadExcept } from '../../rules/index.js';
import { isKustomizationFile } from '../formats/kustomization-file.js';
import { memoByIdentity } from '../common/memo.js';

export type PlainResource = Omit<Resource, 'source'>;

export interface ParseSummary {
  format: FormatName;
  /** The file's resources that other files' rules may read. */
  lookups: PlainResource[];
  resourceCount: number;
  /** Its data blocks, variable blocks and locals the change touches: resources of other files that read them are reviewed as changed. */
  touchedData: string[];
  errors: ParsedFile['errors'];
  notes: string[];
  notReviewed?: string;
  unseen?: ParsedFile['unseen'];
  /** Its Terraform variables and locals: other files of the module are evaluated with them. */
  declarations: FileDeclarations | null;
}

export function toPlainResource(resource: Resource): PlainResource {
  const { source: _source, ...plain } = resource;
  return plain;
}

/**
 * How to parse a file whose resources of these kinds (null: all of them) are all that is read of it: a
 * CustomResourceDefinition bundle is left unparsed, as a scan leaves it (hundreds of KB parsed for nothing).
 */
export function resourcesParseOptions(kinds: ReadonlySet<string> | null): ParseOptions {
  return kinds ? { unread: unreadExcept(kinds) } : {};
}

/**
 * A parse's resources of these kinds (null: all of them) and its parse errors counted, its parse let go of; null for
 * no parse (src/worker/pooled.ts resourcesPooled, in a worker or in this thread).
 */
export function resourcesOfKinds(parsed: ParsedFile | null, kinds: ReadonlySet<string> | null): { resources: Resource[]; errors: number } | null {
  if (!parsed) return null;
  const found = { resources: parsed.resources.filter((r) => !kinds || kinds.has(r.kind)), errors: parsed.errors.length };
  parsed.release?.();
  return found;
}

/** `lookups`: the kinds the rules look up (rules/index.ts LOOKED_UP_KINDS). */
export function parseSummary(parsed: ParsedFile, changedOf: ReadonlyMap<string, ReadonlySet<number> | null>, lookups: ReadonlySet<string>): ParseSummary {
  return {
    format: parsed.format,
    lookups: parsed.resources.filter((r) => isLookedUp(r, lookups)).map(toPlainResource),
    resourceCount: parsed.resources.length,
    touchedData: [...touchedDataBlocks([parsed], changedOf), ...touchedModuleCalls([parsed], changedOf), ...touchedDeclarations([parsed], changedOf)],
    errors: parsed.errors,
    notes: parsed.notes,
    ...(parsed.notReviewed !== undefined ? { notReviewed: parsed.notReviewed } : {}),
    ...(parsed.unseen !== undefined ? { unseen: parsed.unseen } : {}),
    declarations: fileDeclarations(parsed, changedOf.get(parsed.file)),
  };
}

/**
 * Whether a file's parse may give the other files of its scan anything: resources their rules look up (`kinds`),
 * Terraform declarations, data blocks. Only YAML that is no kustomization and names none of `kinds` as a word surely
 * gives none. A YAML string differs from its text only through an escape (a backslash), folding (which adds a space
 * or line break) or a doubled quote, and a word character next to it would be part of it: so a document of a looked-up
 * kind names it as a word. Such a file need not be parsed before the others are evaluated: it is parsed once, then.
 */
export function mayGiveContext(path: string, text: string, kinds: ReadonlySet<string>): boolean {
  if (fileKind(path) !== 'yaml' || isKustomizationFile(path) || text.includes('\\')) return true;
  return kindWords(kinds).test(text);
}

const kindPatterns = new WeakMap<ReadonlySet<string>, RegExp>();

/** Any of the kinds as a whole word (kinds are identifiers: src/engine/visible.ts lookedUpKinds checks). */
function kindWords(kinds: ReadonlySet<string>): RegExp {
  let pattern = kindPatterns.get(kinds);
  if (!pattern) kindPatterns.set(kinds, (pattern = kinds.size === 0 ? /(?!)/ : new RegExp(`\\b(?:${[...kinds].join('|')})\\b`)));
  return pattern;
}

/** A source for a resource whose parse is elsewhere (another thread, or the repository index): no lines beyond its own. */
export function detachedSource(resource: PlainResource): ResourceSource {
  return {
    locate: () => ({ ...resource.range, exact: false }),
    apply: (text) => text,
  };
}

export function withDetachedSource(resource: PlainResource): Resource {
  return { ...resource, source: detachedSource(resource) };
}

/**
 * The repository as a worker is given it: the resources rules may look up, as plain data, and its URLs. `ref` names
 * the repository index it was made from, so a worker given the same one again (a job per chart, per composition,
 * per proof) reuses what it built of it, and what its rules derived from it, rather than building all again.
 */
export interface PlainRepository {
  ref: string;
  complete: boolean;
  resources: PlainResource[];
  urls?: readonly string[];
  root?: string;
  /**
   * The resources are left out: the worker was sent them whole before (src/worker/scheduler.ts tracks what each
   * worker holds), so the same index does not cross again for every chart, composition or proof.
   */
  elided?: true;
}

/** The repository named only: for a worker that holds it. */
export function elided(repository: PlainRepository): PlainRepository {
  return { ref: repository.ref, complete: repository.complete, resources: [], elided: true };
}

const NO_REPOSITORY: PlainRepository = { ref: 'none', complete: false, resources: [] };

/** One plain copy per repository index, named by an id of its own (an index is never changed once built). */
const plainOf = memoByIdentity(
  (repository: RepositoryIndex): PlainRepository => ({
    ref: randomUUID(),
    complete: repository.complete,
    resources: repository.resources.map(toPlainResource),
    ...(repository.urls ? { urls: repository.urls } : {}),
    ...(repository.root ? { root: repository.root } : {}),
  }),
);

export function toPlainRepository(repository: RepositoryIndex | undefined): PlainRepository {
  return repository ? plainOf(repository) : NO_REPOSITORY;
}

// A worker keeps the last repository it was given (one review's, until the next review's arrives, or until the pool
// has been idle a while: src/worker/scheduler.ts).
let held: { ref: string; repository: RepositoryIndex } | null = null;

/** Let go of the repository index held: a name of it is refused from now on, as one never sent. */
export function forgetRepository(): void {
  held = null;
}

export function fromPlainRepository(plain: PlainRepository): RepositoryIndex {
  if (held && held.ref === plain.ref) return held.repository;
  // Never read as an empty repository: a task without the index it was meant to have fails (and is not reviewed).
  if (plain.elided) throw new Error('the repository index was named to this worker but never sent to it');
  const repository = { complete: plain.complete, resources: plain.resources.map(withDetachedSource), ...(plain.urls ? { urls: plain.urls } : {}), ...(plain.root ? { root: plain.root } : {}) };
  held = { ref: plain.ref, repository };
  return repository;
}
