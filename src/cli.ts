// The command line: `warden scan <paths…>` and `warden diff --base <ref>`, on the same pipeline as the App.
import { existsSync } from 'node:fs';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { formatPatch, parsePatch } from 'diff';
import { ConfigError, DEFAULT_CONFIG, parseConfigText, type Config } from './config.js';
import { SEVERITIES, type Note, type Severity } from './model.js';
import { notReviewedFinding } from './engine/meta-findings.js';
import { fileKind, isTerraformFile } from './formats/index.js';
import { isGating, pathFilter, readsDeleted, review, type ChangedFile, type ReviewResult } from './review.js';
import { RULES, RULE_IDS } from '../rules/index.js';
import { renderJson } from './output/json.js';
import { renderMarkdown } from './output/markdown.js';
import type { Renderer, Report } from './output/report.js';
import { sarifRenderer } from './output/sarif.js';
import { renderText } from './output/text.js';
import { docsUrl } from './engine/docs.js';
import { indexRepository } from './index-repository.js';
import { startPool } from './worker/pooled.js';
import type { RepositoryIndex, RepositoryReader } from './engine/repository.js';
import { filesBelow, localRepositoryReader, readTextInside } from './repository/local.js';
import { argumentNames, aroundReader, locateRepository, namedAsGiven, scannedPaths, userName, type Located } from './repository/as-given.js';
import { withLinkedFiles } from './repository/links.js';
import { git, gitHeadText, unquotedPath, gitRef, remoteUrls, gitRefReader, refText, workingTreeLink, workingTreeSubmodules, type GitRef } from './git.js';
import { GitBlobReader } from './repository/git-batch.js';
import { UsageError } from './usage-error.js';
import { VERSION } from './version.js';
import { tuneWasmForShortRun } from './common/wasm-tiering.js';
import { fixCommand, type FixCommandOptions } from './fix-command.js';
import { guardObjectPrototype } from './common/prototype-guard.js';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type FormatName = (typeof FORMATS)[number];


interface Common {
  format: FormatName;
  config?: string;
  severity?: Severity;
}

/** The repository's config: in the working folder, else at the top of the git work tree holding it (run from a subfolder). */
async function defaultConfigFile(): Promise<string> {
  const here = join('.github', 'warden.yml');
  if (existsSync(here)) return here;
  const top = (await git(['rev-parse', '--show-toplevel']).catch(() => '')).trim();
  return top ? join(top, here) : here;
}

export async function loadConfig(path: string | undefined): Promise<Config> {
  const file = path ?? (await defaultConfigFile());
  if (!existsSync(file)) {
    if (path) throw new UsageError(`config file not found: ${path}`);
    return DEFAULT_CONFIG;
  }
  try {
    return parseConfigText(await readFile(file, 'utf8'), RULE_IDS);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

/** The files the arguments name, and the folders among them that could not be listed (with why). */
export interface Collected {
  files: string[];
  unlisted: Note[];
}

/**
 * Files below each argument, as reached from it (the argument joined with the path below it), those `admitted` takes
 * (it is asked once the first folder is listed: the repository's root may be looked up meanwhile).
 */
export async function collect(paths: string[], admitted: Promise<(file: string, below: string) => boolean>): Promise<Collected> {
  const files: string[] = [];
  const unlisted: Note[] = [];
  for (const path of paths) {
    // lstat, not stat: a dangling symbolic link is a file whose read says where it points, not a missing argument.
    const info = await lstat(path).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      if (info.code === 'ENOENT' || info.code === 'ENOTDIR') throw new UsageError(`no such file or directory: ${path}`);
      unlisted.push({ file: path, message: `it could not be reached (${info.code ?? info.message})` });
    } else if (info.isDirectory() || (info.isSymbolicLink() && (await stat(path).then((s) => s.isDirectory(), () => false)))) {
      // A folder (even one named x.yaml) is walked, never read as a file.
      const below = await filesBelow(path, { unlisted: (dir, reason) => unlisted.push({ file: dir === '.' ? path : join(path, dir), message: reason }) });
      const admit = await admitted;
      for (const file of below) if (admit(join(path, file), file)) files.push(join(path, file));
    } else {
      // A named file is read even when it is a FIFO, a device or a dangling link: the read refuses it, and the output says so.
      files.push(path);
    }
  }
  return { files, unlisted };
}

/**
 * Which files found below a folder argument the config's path globs select: matched, as the App matches them, against
 * the path in the git repository; against the path below the argument outside it.
 */
export function configSelects(config: Config, { root, inGit }: Located, args: readonly string[]): (file: string, below: string) => boolean {
  const selects = pathFilter(config);
  const { inRepository } = argumentNames(root, args);
  return (file, below) => selects((inGit ? inRepository(file) : null) ?? below);
}

async function scanCommand(paths: string[], options: Common): Promise<Scanned> {
  startPool(); // the workers load while the files are listed and read
  const config = await loadConfig(options.config);
  // git is asked for the repository's root while the folders are walked.
  const located = locateRepository(paths);
  const [{ files, unlisted }, { root, around, listFrom }] = await Promise.all([collect(paths, located.then((where) => configSelects(config, where, paths))), located]);
  tuneWasmForShortRun(files.filter(isTerraformFile).length);
  // A link to a file that is scanned too deploys the same objects: reviewed once, where they are written.
  const links = await linksToScanned(files);
  if (links.size > 0) files.splice(0, files.length, ...files.filter((file) => !links.has(file)));
  // The review reads repository paths (relative to `around`, git's top level in git), as the App does: a chart or
  // kustomization scanned from inside it is the one it is from its root. The output names the files as given.
  const names = argumentNames(around, paths);
  const scanned = await scannedPaths(files, names);
  const texts = new Map<string, string>();
  const changed: ChangedFile[] = [];
  const unread: Note[] = [];
  // Never through a link out of what the scan reads, never a FIFO or device, never more than the size limit.
  const decoded = await Promise.all([...scanned.given.values()].map((file) => readTextInside(around, resolve(file))));
  const readHere = new Map<string, string>();
  [...scanned.given].forEach(([path, file], i) => {
    const read = decoded[i]!;
    if ('text' in read) {
      texts.set(file, read.text);
      readHere.set(resolve(file), read.text);
    } else unread.push(...unreadNote(file, read.skipped));
    changed.push({ path, headText: 'text' in read ? read.text : null, unreadable: 'skipped' in read ? read.skipped : undefined });
  });
  // The index reads the repository the scanned files belong to: those it is given as read (same root, same checks).
  const indexReader = readingFirst(localRepositoryReader(root, config), (path) => readHere.get(resolve(root, path)));
  const urls = await remoteUrls(root);
  const indexed = await indexRepository(indexReader, config, {}, urls);
  // The index's paths are relative to its root, which outside git may be below `around`: its root as the review
  // names it (a GitOps source's path is below it), and what it could not read so (the listing, `(repository)`, is no file).
  const indexRoot = names.inRepository(root) ?? '.';
  const inIndexRoot = (file: string) => (indexRoot === '.' ? file : `${indexRoot}/${file}`);
  const repository = { ...indexed, unread: indexed.unread.map((u) => (u.file === '(repository)' ? u : { ...u, file: inIndexRoot(u.file) })), urls, root: indexRoot };
  // Explicitly named files are reviewed even when the include globs would not pick them (`selected`). The reader
  // finds and reads the Helm charts and Kustomize layouts the scanned files belong to (helpers, values and bases).
  const reader = aroundReader({ around, listFrom }, config);
  const result = await review({ config, files: changed, selected: true, rules: RULES, repository, reader, planFixes: true });
  const linkNotes = [...links].map(([link, target]) => ({ file: link, message: `a symbolic link to \`${target}\`, which is reviewed where it is written` }));
  const named = namedAsGiven(result, userName(scanned, names));
  return { result: withUnread({ ...named, notes: [...linkNotes, ...named.notes] }, unread, [...unlisted, ...scanned.outside.map((file) => outsideNote(file, around))], config), config, texts, root, pathsFrom: process.cwd() };
}

/** A scanned file outside what the scan reads (`around`): what it belongs to is not followed, nor is it reviewed alone. */
function outsideNote(file: string, around: string): Note {
  return { file, message: `it is outside \`${resolve(around)}\`, which the scan reads: what it belongs to (a chart, a kustomization, a module) cannot be followed` };
}

/** The scanned files that are symbolic links to another scanned file (by the file it leads to), with it. */
async function linksToScanned(files: readonly string[]): Promise<Map<string, string>> {
  const isLink = await Promise.all(files.map((file) => lstat(file).then((info) => info.isSymbolicLink(), () => false)));
  if (!isLink.includes(true)) return new Map();
  const plain = files.filter((_, i) => !isLink[i]);
  const written = new Map((await Promise.all(plain.map((file) => realpath(file).catch(() => resolve(file))))).map((real, i) => [real, plain[i]!]));
  const links = new Map<string, string>();
  await Promise.all(
    files.map(async (file, i) => {
      const target = isLink[i] ? written.get(await realpath(file).catch(() => '')) : undefined;
      if (target !== undefined) links.set(file, target);
    }),
  );
  return links;
}

/** A reader that answers from `known` first (texts already read under the same root), else reads. */
function readingFirst(reader: RepositoryReader, known: (path: string) => string | undefined): RepositoryReader {
  return { ...reader, read: async (path) => known(path) ?? reader.read(path) };
}

/**
 * The error entry of a file the command line could not read. None for JSON: most is not Kubernetes (a lock file too
 * large to read), so the review only notes it (src/review.ts).
 */
function unreadNote(file: string, reason: string): Note[] {
  return fileKind(file) === 'json' ? [] : [{ file, message: `not read: ${reason.replace(/:? not reviewed$/, '')}` }];
}

/**
 * What the command line could not read goes on with the scan: each file or folder is an error entry, and, as Warden
 * fails closed, a warden/not-reviewed finding (the review made those of the files it was given; those of a folder
 * not listed and of a file not given to it, `unreached`, are made here).
 */
function withUnread(result: ReviewResult, unread: readonly Note[], unreached: readonly Note[], config: Config): ReviewResult {
  const notReviewed = unreached.map((n) => ({ ...notReviewedFinding(n.file, n.message, config), preExisting: false }));
  return { ...result, findings: [...notReviewed, ...result.findings], errors: [...unreached, ...unread, ...result.errors] };
}

async function diffCommand(options: Common & { base: string; head?: string }): Promise<Scanned> {
  startPool(); // the workers load while git is asked for the change
  const config = await loadConfig(options.config);
  const top = (await git(['rev-parse', '--show-toplevel'])).trim();
  // Like a pull request: compare against the merge base of base and head.
  const mergeBase = (await git(['merge-base', options.base, options.head ?? 'HEAD'])).trim();
  // Both refs' blobs are read through one git process, ended with the command.
  const blobs = new GitBlobReader(top);
  try {
    return await diffBetween(config, top, gitRef(top, mergeBase, blobs), options.head ? gitRef(top, options.head, blobs) : null);
  } finally {
    await blobs.close();
  }
}

/** `warden diff` from the merge base (`base`) to `head`, or to the working tree when there is none. */
async function diffBetween(config: Config, top: string, base: GitRef, head: GitRef | null): Promise<Scanned> {
  const refs = [base.ref, ...(head ? [head.ref] : [])];
  const args = ['-C', top, 'diff', '--no-color', '--no-ext-diff', '--no-renames', '-U3', ...refs, '--'];
  const patches = parsePatch(await git(args));
  const files: ChangedFile[] = [];
  const texts = new Map<string, string>();
  const unread: Note[] = [];
  // Deleted files, as they were: what they took away from the rest is reviewed (src/lost-protections.ts).
  const removed: { path: string; baseText: string | null }[] = [];
  // Every path the change writes, whatever its name (src/review.ts looks for what a kustomization deploys among them):
  // from git's list of names, as a binary file (a chart's archive) has no patch to parse.
  const written = (await git(['-C', top, 'diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', ...refs, '--'])).split('\0').filter(Boolean);
  const admittedPath = pathFilter(config);
  const linked: { link: string; file: string }[] = [];
  for (const patch of patches) {
    const newName = patch.newFileName === undefined ? undefined : unquotedPath(patch.newFileName).replace(/^b\//, '');
    const oldName = patch.oldFileName === undefined ? undefined : unquotedPath(patch.oldFileName).replace(/^a\//, '');
    if (newName === '/dev/null' && oldName && readsDeleted(oldName)) {
      const baseText = await refText(base, oldName);
      removed.push({ path: oldName, baseText: baseText && 'text' in baseText ? baseText.text : null });
    }
    if (!newName || newName === '/dev/null') continue; // deleted: nothing else to review at head
    // A changed link: the file it leads to is reviewed instead, below, whole (the link deploys it anew), in the
    // working tree as at a ref; or why it is not reviewed.
    const headRead = head ? await gitHeadText(head, newName, admittedPath) : ((await workingTreeLink(top, newName, admittedPath)) ?? (await readTextInside(top, newName)));
    if (headRead && 'linksTo' in headRead) {
      linked.push({ link: newName, file: headRead.linksTo });
      continue;
    }
    const baseRead = oldName && oldName !== '/dev/null' ? await refText(base, oldName) : null;
    const headText = headRead && 'text' in headRead ? headRead.text : null;
    const baseText = baseRead && 'text' in baseRead ? baseRead.text : null;
    if (headText !== null) texts.set(newName, headText);
    const unreadable = headRead && 'skipped' in headRead ? headRead.skipped : 'not readable at head';
    if (headText === null) unread.push(...unreadNote(newName, unreadable));
    files.push({ path: newName, headText, baseText, patch: formatPatch({ ...patch, oldFileName: '', newFileName: '' }), unreadable });
  }
  // What the links the change adds or points elsewhere lead to is deployed anew: reviewed whole in their place.
  const linkedTexts = await Promise.all(linked.map(async ({ file }) => (head ? ((await refText(head, file)) ?? { skipped: 'not readable at head' }) : readTextInside(top, file))));
  linked.forEach(({ file }, i) => {
    const read = linkedTexts[i]!;
    if ('text' in read) texts.set(file, read.text);
  });
  files.splice(0, files.length, ...withLinkedFiles(files, linked.map((l, i) => ({ ...l, text: linkedTexts[i]! }))));
  // A submodule the change moves, that a kustomization deploys from, is not reviewed (src/unread-deployed.ts): git knows them.
  const submodules = async () => new Set(head ? (await head.tree()).submodules : await workingTreeSubmodules(top));
  const reader = { ...(head ? gitRefReader(head) : localRepositoryReader(top, config)), submodules };
  const urls = await remoteUrls(top);
  const repository: RepositoryIndex = { ...(await indexRepository(reader, config, {}, urls)), urls };
  // The merge base as a tree, for what the change's dependency archives replace.
  const baseReader = gitRefReader(base);
  const result = await review({ files, removed, written, config, rules: RULES, repository, reader, baseReader, planFixes: true });
  // Paths in diff mode are repository-relative.
  return { result: withUnread(result, unread, [], config), config, texts, root: top, pathsFrom: top, comparedWithBase: true };
}

const RENDERERS: Record<FormatName, Renderer> = { text: renderText, json: renderJson, sarif: sarifRenderer((id) => docsUrl(id)), markdown: renderMarkdown };

/** A run's result and what its output needs: the repository root and the folder its file paths are relative to. */
interface Scanned {
  result: ReviewResult;
  config: Config;
  texts: Map<string, string>;
  root: string;
  pathsFrom: string;
  /** `warden diff`: the findings were compared with the base. */
  comparedWithBase?: boolean;
}

function emit({ result, config, texts, root, pathsFrom, comparedWithBase }: Scanned, options: Common): number {
  const gate = options.severity ?? config.gate;
  const gating = result.findings.filter((f) => isGating(f, { ...config, gate }));
  const report: Report = { findings: result.findings, errors: result.errors, notes: result.notes, stats: result.stats, rules: RULES, texts, gate, gating, fixes: result.fixes, repositoryPath: (file) => relative(resolve(root), resolve(pathsFrom, file)).split(sep).join('/'), ...(comparedWithBase ? { comparedWithBase } : {}) };
  process.stdout.write(RENDERERS[options.format](report));
  return gating.length > 0 ? 1 : 0;
}

function program(setExit: (code: number) => void): Command {
  const common = (cmd: Command) =>
    cmd
      .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('text'))
      .option('-c, --config <file>', 'config file (default .github/warden.yml when present)')
      .addOption(new Option('-s, --severity <level>', 'exit 1 when a finding is at or above this severity (default: the config gate)').choices(SEVERITIES));
  const cli = new Command('warden')
    .description('Review Kubernetes and Terraform of ML model serving: the same engine as the Warden GitHub App.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .showHelpAfterError();
  common(cli.command('scan').description('review every resource in files and folders').argument('<paths...>', 'files or folders')).action(
    async (paths: string[], options: Common) => {
      setExit(emit(await scanCommand(paths, options), options));
    },
  );
  common(
    cli
      .command('diff')
      .description('review only the resources changed since a git ref (working tree, or --head)')
      .requiredOption('-b, --base <ref>', 'the base ref, as a pull request base')
      .option('--head <ref>', 'the head ref (default: the working tree)'),
  ).action(async (options: Common & { base: string; head?: string }) => {
    setExit(emit(await diffCommand(options), options));
  });
  cli
    .command('fix')
    .description('apply every proven safe fix (and new companion files) to the working tree, then review again')
    .argument('[paths...]', 'files or folders (or --base)')
    .option('-b, --base <ref>', 'fix only what changed since this ref, as `warden diff` reviews it')
    .option('-c, --config <file>', 'config file (default .github/warden.yml when present)')
    .option('--unsafe', 'also apply fixes that may change how the workload runs')
    .option('--dry-run', 'change nothing: print the patch (for `git apply`) and, on stderr, what it fixes')
    .action(async (paths: string[], options: FixCommandOptions) => setExit(await fixCommand(paths, options)));
  return cli;
}

/** Runs the command line; returns the exit code: 0 nothing gates, 1 something does, 2 usage or internal error. */
export async function main(argv: string[]): Promise<number> {
  // The command reads pull-request content in this thread too (src/common/prototype-guard.ts).
  guardObjectPrototype();
  let code = 0;
  try {
    await program((c) => (code = c)).parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      process.stderr.write(`warden: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`warden: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}
