// What cross-resource rules may read beyond the changed files: resources of the whole repository.
import type { Resource } from '../model.js';

export interface RepositoryIndex {
  /** The parsed resources of the repository that cross-resource rules care about (may be partial). */
  resources: readonly Resource[];
  /** False when the repository could not be listed (or only in part): cross-resource rules then stay silent. */
  complete: boolean;
  /**
   * What the rules may be missing: each file that may hold an indexed resource but could not be read or parsed
   * (a Helm template, a failed read), with the kinds it may hold; `(repository)` when the listing itself is
   * incomplete. The rules still run on the rest, and the review names these with the rules they affect.
   */
  unread?: readonly UnreadFile[];
  /** The objects charts deploy whatever values file installs them are among `resources` (src/render/chart-index.ts). */
  charts?: boolean;
  /**
   * The URLs the repository is known by (the App: GitHub's; the command line: its git remotes): an Argo CD source
   * from one of them deploys this repository's files (src/engine/kustomize.ts). None: no source is known to.
   */
  urls?: readonly string[];
  /**
   * How the reviewed files name the repository's root (`warden scan` names them as its arguments reach them:
   * `/abs/repo`, `..`); default `.`, their names being repository paths. A GitOps source's `path` is below it.
   */
  root?: string;
}

export interface UnreadFile {
  file: string;
  reason: string;
  /** Kinds (or Terraform types) it may hold; every indexed kind when nothing of it could be read. */
  kinds: readonly string[];
}

export const EMPTY_REPOSITORY: RepositoryIndex = { resources: [], complete: false };

/**
 * A file the repository holds that Warden does not read as text (too large, binary, not UTF-8, a symbolic link out
 * of the repository): what `RepositoryReader.read` rejects with, so that it is never taken for a file not there.
 */
export class UnreadableFile extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`\`${path}\` is not read: ${reason}`);
    this.name = 'UnreadableFile';
  }
}

/**
 * A rejection handler for a read: a file Warden does not read is passed to `unread` and read as none (null); any
 * other failure rejects still.
 */
export function skipUnreadable(unread: (error: UnreadableFile) => void): (error: unknown) => null {
  return (error) => {
    if (!(error instanceof UnreadableFile)) throw error;
    unread(error);
    return null;
  };
}

/**
 * How a repository is read: the command line reads the working tree, the App the head tree through the
 * git trees and blobs APIs. `paths` lists candidate files; `read` returns a file's text, null when there is no such
 * file; it rejects with UnreadableFile when there is one Warden does not read, and with another error when the read
 * failed. A symbolic link inside the repository is read as the file it leads to, as the tools that deploy read it.
 */
export interface RepositoryReader {
  paths(): Promise<string[]>;
  /** False when `paths()` is only part of the repository (the App: a tree too large to walk whole); default: whole. */
  complete?(): Promise<boolean>;
  read(path: string): Promise<string | null>;
  /** Every file below a folder, whatever its kind (a Helm chart's `_helpers.tpl`, `files/`); default: `paths()` below it. */
  list?(dir: string): Promise<string[]>;
  /** A file's bytes (a chart's dependency archive), up to `maxBytes` (a larger one rejects); null when there is none. */
  readBytes?(path: string, maxBytes: number): Promise<Uint8Array | null>;
  /** Paths that are git submodules (another repository's commit): none of their files are among `paths()`. */
  submodules?(): Promise<ReadonlySet<string>>;
  /**
   * A file's text if the reader holds it already (the App: read earlier, by this run or another, at no request);
   * undefined when it would have to be read. A reader without it reads at no such cost (a working tree).
   */
  readAtHand?(path: string): Promise<string | undefined>;
}

/**
 * Every file below a folder (`.`: the whole repository): the reader's own `list`, which sees files of every kind,
 * else its listing (`listed`, from `paths()`) filtered.
 */
export function filesBelow(reader: RepositoryReader, dir: string, listed: readonly string[]): Promise<string[]> {
  if (reader.list) return reader.list(dir);
  return Promise.resolve(dir === '.' ? [...listed] : listed.filter((p) => p.startsWith(`${dir}/`)));
}
