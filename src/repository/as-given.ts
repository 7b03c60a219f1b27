// `warden scan`'s files are named as reached from its arguments (`/abs/dir/x.yaml`, `k8s/x.yaml`, `../y/x.yaml`),
// while the repository around them (a chart's helpers and values, a Kustomize base beside the folder scanned) is
// read from its root. This reader lists and reads the repository in the arguments' names, so that a file the scan
// named and the same file listed are one path: a file below an argument is named as `collect` names it, any other
// relative to the working folder (absolute when every argument is).
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Config } from '../config.js';
import { UnreadableFile, type RepositoryReader } from '../engine/repository.js';
import { isInside, localRepositoryReader } from './local.js';

/** How the scan names the files of a repository rooted at `root`, and back. */
export interface ArgumentNames {
  /** A repository path (relative to the root) as the scan names it. */
  named(path: string): string;
  /** A name the scan uses, as a repository path; null when it is outside the root. */
  inRepository(path: string): string | null;
}

export function argumentNames(root: string, args: readonly string[], cwd = process.cwd()): ArgumentNames {
  const absoluteRoot = resolve(cwd, root);
  // Each argument by the absolute path it names (the first, if two name one): a file is named from the nearest one
  // above it, found by walking up its folders (a hook may pass thousands of file arguments).
  const byPath = new Map<string, string>();
  for (const arg of args) if (!byPath.has(resolve(cwd, arg))) byPath.set(resolve(cwd, arg), arg);
  const allAbsolute = args.length > 0 && args.every((arg) => isAbsolute(arg));
  const slashes = (path: string) => path.split(sep).join('/');
  return {
    named: (path) => {
      const full = join(absoluteRoot, path);
      for (let dir = full; ; dir = dirname(dir)) {
        const arg = byPath.get(dir);
        if (arg !== undefined) return slashes(dir === full ? arg : join(arg, relative(dir, full)));
        if (dirname(dir) === dir) break;
      }
      return allAbsolute ? slashes(full) : slashes(relative(cwd, full));
    },
    inRepository: (path) => {
      const full = resolve(cwd, path);
      return isInside(absoluteRoot, full) ? slashes(relative(absoluteRoot, full)) || '.' : null;
    },
  };
}

export function argumentsReader(root: string, config: Config, args: readonly string[], cwd = process.cwd()): RepositoryReader {
  const inRoot = localRepositoryReader(root, config);
  const { named, inRepository } = argumentNames(root, args, cwd);
  return {
    paths: async () => (await inRoot.paths()).map(named),
    list: async (dir) => {
      const at = inRepository(dir);
      return at === null ? [] : (await inRoot.list!(at)).map(named);
    },
    read: async (path) => {
      const at = inRepository(path);
      // A file not read is named as the scan names it.
      const renamed = (error: unknown) => Promise.reject(error instanceof UnreadableFile ? new UnreadableFile(path, error.reason) : error);
      return at === null ? null : inRoot.read(at).catch(renamed);
    },
    readBytes: async (path, maxBytes) => {
      const at = inRepository(path);
      return at === null ? null : inRoot.readBytes!(at, maxBytes);
    },
  };
}
