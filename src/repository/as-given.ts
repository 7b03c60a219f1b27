// `warden scan`'s files are named as reached from its arguments (`/abs/dir/x.yaml`, `k8s/x.yaml`, `../y/x.yaml`),
// while the review reads them, and the repository around them (a chart's helpers and values, a Kustomize base beside
// the folder scanned), as repository paths: relative to git's top level, or outside git to the folder the files
// around are read from (Located.around). A chart or kustomization scanned from inside it is then one path however it
// is named; the output names each file as the user did, and any other relative to the working folder (absolute when
// every argument is).
import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Config } from '../config.js';
import { git } from '../git.js';
import type { RepositoryReader } from '../engine/repository.js';
import type { Finding } from '../model.js';
import type { FixGroup } from '../fixes.js';
import type { ReviewResult } from '../review.js';
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

/** The scanned files by repository path, each with the name it was given; those outside the repository apart. */
export interface ScannedPaths {
  /** Repository path → the name the scan was given (the first, when two name one file). */
  given: Map<string, string>;
  /** The names that lead out of the repository (as git sees it, through links of their folders too). */
  outside: string[];
}

/** Where each scanned file (`files`, as named) is in the repository `names` maps to. */
export async function scannedPaths(files: readonly string[], names: ArgumentNames, cwd = process.cwd()): Promise<ScannedPaths> {
  const given = new Map<string, string>();
  const outside: string[] = [];
  for (const file of files) {
    // git names its top level by its real path: a file reached through a linked folder is found by its folder's.
    const path = names.inRepository(file) ?? (await realpath(resolve(cwd, dirname(file))).then((dir) => names.inRepository(join(dir, basename(file))), () => null));
    if (path === null) outside.push(file);
    else if (!given.has(path)) given.set(path, file);
  }
  return { given, outside };
}

/** A repository path as the user names it: a scanned file as given, another as `named` names it; `(repository)` is no file. */
export function userName({ given }: ScannedPaths, { named }: ArgumentNames): (path: string) => string {
  return (path) => given.get(path) ?? (path === '(repository)' ? path : named(path));
}

/**
 * A review of repository paths in the user's names (`rename`: userName). Messages keep repository paths: a file they
 * name is another than the finding's, and reads the same from any folder.
 */
export function namedAsGiven(result: ReviewResult, rename: (path: string) => string): ReviewResult {
  const renamed = <T extends { file: string }>(item: T): T => ({ ...item, file: rename(item.file) });
  // Each finding renamed once: the fix groups and the gate hold the same objects as the findings (output matches them so).
  const renamedFinding = (f: Finding): Finding => ({ ...renamed(f), fix: f.fix && { ...f.fix, edits: f.fix.edits.map(renamed) } });
  const findings = new Map(result.findings.map((f) => [f, renamedFinding(f)]));
  const finding = (f: Finding): Finding => findings.get(f) ?? renamedFinding(f);
  const group = (g: FixGroup): FixGroup => ({ ...renamed(g), findings: g.findings.map(finding), edit: g.edit && renamed(g.edit) });
  return {
    ...result,
    findings: result.findings.map(finding),
    gating: result.gating.map(finding),
    notes: result.notes.map(renamed),
    errors: result.errors.map(renamed),
    unindexed: result.unindexed.map(renamed),
    lapsedSuppressions: result.lapsedSuppressions.map(renamed),
    patches: new Map([...result.patches].map(([file, lines]) => [rename(file), lines])),
    fixes: result.fixes.map(group),
  };
}

/** The repository around the scanned files (Located.around), read by repository path; listed from `listFrom` only. */
export function aroundReader({ around, listFrom }: Pick<Located, 'around' | 'listFrom'>, config: Config, cwd = process.cwd()): RepositoryReader {
  const listBelow = relative(resolve(cwd, around), resolve(cwd, listFrom)).split(sep).join('/') || '.';
  return localRepositoryReader(around, config, { listBelow });
}

/** Where the scanned paths' repository is, for `warden scan` and `warden fix <paths>`. */
export interface Located {
  /** What cross-resource rules index: git's top level, else the folder scanned (several: the one holding them all). */
  root: string;
  /**
   * What the files around the scanned ones (a chart's helpers and values, a Kustomize base) are read from, and what
   * the review's paths are relative to: the root, but outside git, where the scanned paths are all below the working
   * folder, that folder, and where they are inside a chart above it (a template scanned from its `templates/`), the
   * chart.
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
   * repository the config knows: its globs match the paths below the folder argument, its other paths those from
   * `around`.
   */
  inGit: boolean;
}

export async function locateRepository(paths: readonly string[], cwd = process.cwd()): Promise<Located> {
  const dirs = await Promise.all(paths.map(async (p) => ((await stat(resolve(cwd, p)).then((s) => s.isDirectory(), () => false)) ? p : dirname(p))));
  const tops = await Promise.all(dirs.map((d) => git(['-C', resolve(cwd, d), 'rev-parse', '--show-toplevel']).then((t) => t.trim(), () => '')));
  if (tops[0] && tops.every((t) => t === tops[0])) return { root: tops[0], around: tops[0], listFrom: tops[0], inGit: true };
  const holding = commonFolder(dirs.map((d) => resolve(cwd, d)));
  const root = dirs.length === 1 ? dirs[0]! : isInside(cwd, holding) ? relative(cwd, holding) || '.' : cwd;
  const below = paths.every((p) => isInside(cwd, resolve(cwd, p))) ? cwd : root;
  const chart = chartAbove(resolve(cwd, root), '/');
  const around = chart && !isInside(resolve(cwd, below), chart) ? chart : below;
  return { root, around, listFrom: chartAbove(resolve(cwd, root), resolve(cwd, around)) ?? root, inGit: false };
}

/** The deepest folder holding every one of `folders` (absolute). */
function commonFolder(folders: readonly string[]): string {
  let common = folders[0]!;
  while (!folders.every((f) => isInside(common, f)) && dirname(common) !== common) common = dirname(common);
  return common;
}

/** The outermost folder from `from` up to `top` (both absolute; `/`: all the way) that holds a `Chart.yaml`, or null. */
function chartAbove(from: string, top: string): string | null {
  let found: string | null = null;
  for (let dir = from; isInside(top, dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'Chart.yaml'))) found = dir;
    if (dir === top || dirname(dir) === dir) break;
  }
  return found;
}
