// `warden fix <paths…>` (or `--base <ref>`): the files as `warden scan` (or `warden diff`) reads them, fixed in rounds by src/fix-loop.ts, then
// written, or with --dry-run printed as one unified diff for `git apply`, with what was fixed and what is left.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { collect, configSelects, loadConfig } from './cli.js';
import { argumentNames, aroundReader, locateRepository, namedAsGiven, scannedPaths, userName } from './repository/as-given.js';
import { git, gitRef, refText, remoteUrls } from './git.js';
import { GitBlobReader } from './repository/git-batch.js';
import { UsageError } from './usage-error.js';
import type { Config } from './config.js';
import { indexRepository } from './index-repository.js';
import type { RepositoryIndex, RepositoryReader } from './engine/repository.js';
import { changePatch, fixTexts, type FixRun } from './fix-loop.js';
import { appliedLine } from './output/text.js';
import { decodeText } from './formats/text.js';
import type { Finding } from './model.js';
import { localRepositoryReader } from './repository/local.js';
import { isGating, pathFilter, review, type ReviewResult } from './review.js';
import { RULES } from '../rules/index.js';
import { FIELD_LIMITS, plain } from './output/inert.js';

/** The working tree as the repository index reads it, with this run's new and edited files laid over it. */
function overlay(reader: RepositoryReader, root: string, pathsFrom: string, texts: ReadonlyMap<string, string>): RepositoryReader {
  const byRootPath = new Map([...texts].map(([file, text]) => [relative(root, resolve(pathsFrom, file)).split(sep).join('/'), text]));
  return {
    paths: async () => [...new Set([...(await reader.paths()), ...byRootPath.keys()])],
    read: async (path) => byRootPath.get(path) ?? reader.read(path),
  };
}

/** A reader in the names of `texts` that answers from them first (this round's text of the files being fixed). */
function laidOver(reader: RepositoryReader, texts: ReadonlyMap<string, string>): RepositoryReader {
  return {
    paths: async () => [...new Set([...(await reader.paths()), ...texts.keys()])],
    list: reader.list && ((dir) => reader.list!(dir)),
    read: async (path) => texts.get(path) ?? reader.read(path),
  };
}

/** The files to fix, where their paths are relative to, and (with --base) their text at the merge base. */
interface Worktree {
  config: Config;
  texts: Map<string, string>;
  root: string;
  pathsFrom: string;
  reader: RepositoryReader;
  /**
   * Without --base: the files around the fixed ones (a chart's helpers and values, a Kustomize base), by the paths the
   * fixed files have, as `warden scan` reads them (src/repository/as-given.ts).
   */
  around?: RepositoryReader;
  /** With --base: each file's text at the merge base (null: added since), so only the changed resources are reviewed. */
  baseTexts?: Map<string, string | null>;
  /** The URLs of the repository's git remotes (a GitOps source from one deploys these files). */
  repositoryUrls: readonly string[];
  /** How the files' paths reach the repository's root (a GitOps source's path is below it); default `.`. */
  rootName?: string;
  /** A file's path as the user named it (default: as it is). */
  userName?: (path: string) => string;
}

async function reviewTexts(texts: ReadonlyMap<string, string>, tree: Worktree): Promise<{ result: ReviewResult; repository: RepositoryIndex }> {
  const reader = overlay(tree.reader, tree.root, tree.pathsFrom, texts);
  const repository = { ...(await indexRepository(reader, tree.config, {}, tree.repositoryUrls)), urls: tree.repositoryUrls, root: tree.rootName ?? '.' };
  const bases = tree.baseTexts;
  if (!bases) {
    const files = [...texts].map(([path, headText]) => ({ path, headText }));
    const around = tree.around && laidOver(tree.around, texts);
    return { result: await review({ files, config: tree.config, selected: true, rules: RULES, repository, reader: around }), repository };
  }
  const files = [...texts].map(([path, headText]) => ({ path, headText, baseText: bases.get(path) ?? null, patch: changePatch(bases.get(path) ?? '', headText) }));
  return { result: await review({ files, config: tree.config, rules: RULES, repository, reader }), repository };
}

async function readTexts(files: readonly string[], from: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const file of files) {
    const bytes = await readFile(resolve(from, file)).catch(() => null);
    const decoded = bytes === null ? null : decodeText(bytes);
    // A file deleted since base, or one Warden cannot read as text, is never touched.
    if (decoded && 'text' in decoded) texts.set(file, decoded.text);
  }
  return texts;
}

/** `warden fix <paths…>`: the files `warden scan` would review, by repository path as it reviews them. */
async function scannedTree(paths: string[], config: Config): Promise<Worktree> {
  const located = await locateRepository(paths);
  const { root, around } = located;
  const { files, unlisted } = await collect(paths, Promise.resolve(configSelects(config, located, paths)));
  for (const folder of unlisted) process.stderr.write(`warden: ${folder.file}: ${folder.message}: nothing in it is fixed\n`);
  const names = argumentNames(around, paths);
  const scanned = await scannedPaths(files, names);
  for (const file of scanned.outside) process.stderr.write(`warden: ${file}: outside the repository the others are in, as git sees it: not fixed\n`);
  const pathsFrom = resolve(around);
  return { config, texts: await readTexts([...scanned.given.keys()], pathsFrom), root, pathsFrom, reader: localRepositoryReader(root, config), around: aroundReader(located, config), repositoryUrls: await remoteUrls(root), rootName: names.inRepository(root) ?? '.', userName: userName(scanned, names) };
}

/** `warden fix --base <ref>`: the files changed since the merge base with HEAD, repository-relative, as `warden diff`. */
async function changedTree(base: string, config: Config): Promise<Worktree> {
  const top = (await git(['rev-parse', '--show-toplevel'])).trim();
  const mergeBase = (await git(['merge-base', base, 'HEAD'])).trim();
  const admitted = pathFilter(config);
  const changed = (await git(['-C', top, 'diff', '--name-only', '--no-renames', '-z', mergeBase, '--'])).split('\0').filter((p) => p !== '' && admitted(p));
  const texts = await readTexts(changed, top);
  const baseTexts = new Map<string, string | null>();
  const blobs = new GitBlobReader(top);
  try {
    const base = gitRef(top, mergeBase, blobs);
    for (const path of texts.keys()) {
      const decoded = await refText(base, path);
      baseTexts.set(path, decoded && 'text' in decoded ? decoded.text : null);
    }
  } finally {
    await blobs.close();
  }
  return { config, texts, root: top, pathsFrom: top, reader: localRepositoryReader(top, config), baseTexts, repositoryUrls: await remoteUrls(top) };
}

/** The run's change as one unified diff, paths relative to the repository root (`git apply` from there). */
export function unifiedDiff(run: Pick<FixRun, 'changes'>, rootPath: (file: string) => string): string {
  return run.changes
    .map(({ file, before, after }) => {
      const path = rootPath(file);
      const patch = createTwoFilesPatch(before === null ? '/dev/null' : `a/${path}`, `b/${path}`, before ?? '', after, undefined, undefined, { context: 3 });
      // `git apply` reads the ---/+++ headers; jsdiff's leading `Index:`/`===` lines are for humans.
      const body = patch.split('\n').filter((line, i) => !(i < 2 && (line.startsWith('Index:') || line.startsWith('===')))).join('\n');
      return `diff --git a/${path} b/${path}\n${before === null ? 'new file mode 100644\n' : ''}${body}`;
    })
    .join('');
}

/** `fixed`: the files the run may change (those named, or changed since base); a proven fix elsewhere is left. */
function describeLeft(finding: Finding, unsafe: boolean, fixed: ReadonlySet<string>): string {
  const edit = finding.fix && finding.fix.applicability !== 'display' ? finding.fix.edits[0] : undefined;
  const why =
    finding.fix?.applicability === 'unsafe' && !unsafe
      ? 'unsafe fix: apply it yourself, or run with --unsafe'
      : edit && !fixed.has(edit.file)
        ? `its fix is in ${plain(edit.file, FIELD_LIMITS.path)}, which is not among the files fixed`
        : edit
          ? 'its fix could not be proven'
          : 'no automatic fix';
  return `  ${plain(finding.file, FIELD_LIMITS.path)}:${finding.line} ${finding.ruleId} (${finding.severity}): ${plain(finding.message.split('\n')[0]!)} [${why}]`;
}

/**
 * What the run changed and what is left, as `warden fix` prints it. Names, messages and reasons come from the files:
 * plain text (src/output/inert.ts), so no escape sequence reaches the terminal and no secret-looking value a CI log.
 */
export function fixSummary(run: FixRun, unsafe: boolean, dryRun: boolean, fixed: ReadonlySet<string>): string {
  const lines: string[] = [];
  const verb = dryRun ? 'Would change' : 'Changed';
  if (run.applied.length === 0) lines.push('Nothing to fix automatically.');
  else {
    lines.push(`${verb} ${run.changes.length} file${run.changes.length === 1 ? '' : 's'}:`);
    for (const a of run.applied) lines.push(`  ${appliedLine(a)}`);
  }
  for (const r of run.refused) lines.push(`  not changed: ${plain(r.file, FIELD_LIMITS.path)}: ${plain(r.reason)}`);
  const left = run.result.findings.filter((f) => !f.suppressed);
  lines.push(left.length === 0 ? 'Nothing left.' : `Left for you (${left.length}):`);
  for (const f of left) lines.push(describeLeft(f, unsafe, fixed));
  for (const e of run.result.errors) lines.push(`  ${plain(e.file, FIELD_LIMITS.path)}: ${plain(e.message)}`);
  return `${lines.join('\n')}\n`;
}

/** The run in the user's names of its files (`rename`). */
function namedRun(run: FixRun, rename: (path: string) => string): FixRun {
  const named = <T extends { file: string }>(item: T): T => ({ ...item, file: rename(item.file) });
  return { ...run, changes: run.changes.map(named), applied: run.applied.map(named), refused: run.refused.map(named), result: namedAsGiven(run.result, rename) };
}

/** Write the run's files (new folders included). */
export async function writeChanges(run: FixRun, pathsFrom: string): Promise<void> {
  for (const { file, after } of run.changes) {
    const path = resolve(pathsFrom, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, after);
  }
}

/** Exit code as `warden scan`: 1 when a finding left is at or above the gate. */
export function exitCode(run: FixRun, config: Config): number {
  return run.result.findings.some((f) => isGating(f, config)) ? 1 : 0;
}

export interface FixCommandOptions {
  config?: string;
  base?: string;
  unsafe?: boolean;
  dryRun?: boolean;
}

export async function fixCommand(paths: string[], options: FixCommandOptions): Promise<number> {
  if ((paths.length > 0) === (options.base !== undefined)) throw new UsageError('warden fix takes paths, or --base <ref>, not both');
  const config = await loadConfig(options.config);
  const tree = options.base !== undefined ? await changedTree(options.base, config) : await scannedTree(paths, config);
  const { root, pathsFrom } = tree;
  const run = await fixTexts(tree.texts, {
    config,
    rules: RULES,
    unsafe: options.unsafe === true,
    review: (current) => reviewTexts(current, tree),
    exists: (file) => existsSync(resolve(pathsFrom, file)),
  });
  // The summary names the files as the user did.
  const rename = tree.userName ?? ((path: string) => path);
  const fixed = new Set([...tree.texts.keys()].map(rename));
  if (options.dryRun) {
    process.stdout.write(unifiedDiff(run, (file) => relative(resolve(root), resolve(pathsFrom, file)).split(sep).join('/')));
    process.stderr.write(fixSummary(namedRun(run, rename), options.unsafe === true, true, fixed));
  } else {
    await writeChanges(run, pathsFrom);
    process.stdout.write(fixSummary(namedRun(run, rename), options.unsafe === true, false, fixed));
  }
  return exitCode(run, config);
}
