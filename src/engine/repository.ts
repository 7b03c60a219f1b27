// What cross-resource rules may read beyond the changed files: resources of the whole repository.
import type { Resource } from '../model.js';

export interface RepositoryIndex {
  /** The parsed resources of the repository that cross-resource rules care about (may be partial). */
  resources: readonly Resource[];
  /** False when the repository could not be read: cross-resource rules then stay silent. */
  complete: boolean;
}

export const EMPTY_REPOSITORY: RepositoryIndex = { resources: [], complete: false };

/**
 * How a repository is read: the command line reads the working tree, the App the head tree through the
 * git trees and blobs APIs. `paths` lists candidate files; `read` returns a file's text (null if unreadable).
 */
export interface RepositoryReader {
  paths(): Promise<string[]>;
  read(path: string): Promise<string | null>;
  /** Every file below a folder, whatever its kind (a Helm chart's `_helpers.tpl`, `files/`); default: `paths()` below it. */
  list?(dir: string): Promise<string[]>;
}
