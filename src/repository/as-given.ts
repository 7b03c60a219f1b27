// `warden scan`'s files are named as reached from its arguments (`/abs/dir/x.yaml`, `k8s/x.yaml`, `../y/x.yaml`),
// while the repository around them (a chart's helpers and values, a Kustomize base beside the folder scanned) is
// read from its root. This reader lists and reads the repository in the arguments' names, so that a file the scan
// named and the same file listed are one path: a file below an argument is named as `collect` names it, any other
// relative to the working folder (absolute when every argument is).
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { Config } from '../config.js';
import { git } from '../git.js';
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

/**
 * The config's repository paths that are no `paths` globs in the scan's names, as the review sees the files: its
 * `helm.charts` folders, and each file of `listed` (repository paths) a `terraform.var_files` glob names, by its name
 * (the files of one glob in the order of their names, as Terraform's order among them is). Its `paths` globs stay
 * repository paths, matched through `inRepository` (src/review.ts).
 */
export function configInArgumentNames(config: Config, { named }: ArgumentNames, listed: readonly string[]): Config {
  const charts = Object.fromEntries(Object.entries(config.helm.charts).map(([dir, chart]) => [named(dir), chart]));
  const varFiles = config.terraform.var_files.flatMap((glob) => {
    const matches = picomatch(glob, { dot: true });
    return listed.filter((path) => matches(path)).sort((a, b) => (posix.basename(a) < posix.basename(b) ? -1 : 1)).map((path) => literalGlob(named(path)));
  });
  return { ...config, helm: { ...config.helm, charts }, terraform: { ...config.terraform, var_files: varFiles } };
}

/** A glob that matches `path` alone. */
function literalGlob(path: string): string {
  return path.replace(/[*?[\]{}()!+@\\]/g, '\\$&');
}

/** `listFrom`: the folder `paths()` lists (below `root`; default all of it), while reads reach all of `root`. */
export function argumentsReader(root: string, config: Config, args: readonly string[], cwd = process.cwd(), listFrom?: string): RepositoryReader {
  const listBelow = listFrom === undefined ? undefined : relative(resolve(cwd, root), resolve(cwd, listFrom)).split(sep).join('/') || '.';
  const inRoot = localRepositoryReader(root, config, { listBelow });
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

/** Where the scanned paths' repository is, for `warden scan` and `warden fix <paths>`. */
export interface Located {
  /** What cross-resource rules index: git's top level, else the folder scanned (several: the one holding them all). */
  root: string;
  /**
   * What the files around the scanned ones (a chart's helpers and values, a Kustomize base) are read from: the root,
   * but outside git, where the scanned paths are all below the working folder, that folder.
   */
  around: string;
  /**
   * The part of `around` listed to find the charts and kustomizations the scanned files belong to: all of it in git;
   * outside git the root, or the chart above it (a template scanned alone from its chart's folder), never a parent
   * folder whole (a scan run from a home directory would walk it all).
   */
  listFrom: string;
  /**
   * Whether `root` is git's top level, to which the config's paths are relative. Outside git, a folder scanned is no
   * repository the config knows: its globs match the paths below the folder argument, its other paths the names.
   */
  inGit: boolean;
}

export async function locateRepository(paths: readonly string[], cwd = process.cwd()): Promise<Located> {
  const dirs = await Promise.all(paths.map(async (p) => ((await stat(resolve(cwd, p)).then((s) => s.isDirectory(), () => false)) ? p : dirname(p))));
  const tops = await Promise.all(dirs.map((d) => git(['-C', resolve(cwd, d), 'rev-parse', '--show-toplevel']).then((t) => t.trim(), () => '')));
  if (tops[0] && tops.every((t) => t === tops[0])) return { root: tops[0], around: tops[0], listFrom: tops[0], inGit: true };
  const holding = commonFolder(dirs.map((d) => resolve(cwd, d)));
  const root = dirs.length === 1 ? dirs[0]! : isInside(cwd, holding) ? relative(cwd, holding) || '.' : cwd;
  const around = paths.every((p) => isInside(cwd, resolve(cwd, p))) ? cwd : root;
  return { root, around, listFrom: chartAbove(resolve(cwd, root), resolve(cwd, around)) ?? root, inGit: false };
}

/** The deepest folder holding every one of `folders` (absolute). */
function commonFolder(folders: readonly string[]): string {
  let common = folders[0]!;
  while (!folders.every((f) => isInside(common, f)) && dirname(common) !== common) common = dirname(common);
  return common;
}

/** The outermost folder from `from` up to `top` (both absolute) that holds a `Chart.yaml`, or null. */
function chartAbove(from: string, top: string): string | null {
  let found: string | null = null;
  for (let dir = from; isInside(top, dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'Chart.yaml'))) found = dir;
    if (dir === top || dirname(dir) === dir) break;
  }
  return found;
}
