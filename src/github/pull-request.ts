// Reading a pull request: its changed files and patches (paginated, up to GitHub's 3,000), the text of each
// reviewed file at head (blobs in batches), and at base by undoing its patch (the blob API when it has none).
import { createTwoFilesPatch } from 'diff';
import { pacer } from '../common/pace.js';
import { undoPatch } from '../diff.js';
import type { Config } from '../config.js';
import { pathFilter, readsDeleted, type ChangedFile } from '../review.js';
import { fileKind } from '../formats/index.js';
import { isChartArchive } from '../formats/templates.js';
import { mayBelongToChart } from '../render/charts.js';
import type { GitHub } from './octokit.js';
import { BlobCache, readTree, type BlobText, type RepoRef, type TreeEntry } from './repository.js';
import { entryLinks, LINK_MODE, linkedFile, mayBeLinkTarget, withLinkedFiles } from '../repository/links.js';

export interface PullRef extends RepoRef {
  number: number;
  headSha: string;
  baseSha: string;
  /** The base branch the run reviews against (a pull request may be moved to another). */
  baseRef?: string;
  /** How many files the pull request changes, as GitHub counts them (its listing stops at 3,000). */
  changedFiles?: number;
}

/** A file as `GET /pulls/{n}/files` lists it. */
export interface PullFile {
  filename: string;
  status: string;
  sha?: string | null;
  patch?: string;
  previous_filename?: string;
}

/** GitHub lists at most 3,000 files of a pull request. */
export const MAX_PULL_FILES = 3000;
const PER_PAGE = 100;

export async function listPullFiles(octokit: GitHub, pull: PullRef): Promise<PullFile[]> {
  const files: PullFile[] = [];
  for await (const { data } of octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    per_page: PER_PAGE,
  })) {
    for (const f of data) {
      files.push({
        filename: f.filename,
        status: f.status,
        sha: f.sha,
        ...(f.patch !== undefined ? { patch: f.patch } : {}),
        ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
      });
    }
    if (files.length >= MAX_PULL_FILES) break;
  }
  return files.slice(0, MAX_PULL_FILES);
}

export interface ReadPullResult {
  /**
   * The files the review reads: config-included IaC paths, not removed. A file that could not be read (gone,
   * too large, binary, a read that did not match its SHA) has `headText: null` and the reason in `unreadable`.
   */
  files: ChangedFile[];
  /** Every path the pull request changes (for deciding whether an old comment's file is still in it). */
  changedPaths: Set<string>;
  /** The patches GitHub listed, by path (none computed): what a file the review does not read changed. */
  listedPatches: Map<string, string>;
  /** Paths the pull request deletes. */
  removedPaths: Set<string>;
  /**
   * The deleted YAML and Terraform files the config includes, as they were at base (null: not read): what they took away from the
   * files the change does not touch is reviewed (src/lost-protections.ts).
   */
  removed: { path: string; baseText: string | null }[];
  /** Count of files listed by GitHub. */
  listed: number;
  requests: { graphql: number; rest: number; trees: number; pages: number };
}

/**
 * Read the pull request's IaC files at head (and at base for the baseline). Removed files are ignored, renamed
 * ones followed; a file whose patch GitHub omitted keeps `patch: null` (reviewed whole, reported in the check run
 * only). Blobs are read in batches (src/github/repository.ts BlobCache).
 */
export async function readPullRequest(octokit: GitHub, pull: PullRef, config: Config, blobs = new BlobCache(octokit, pull), headTree?: HeadTree): Promise<ReadPullResult> {
  // GitHub lists at most 3,000 files of a pull request: a file past them would go unseen (a change could hide
  // behind 3,000 others). Then the change is read whole from the trees of its merge base and its head; when
  // GitHub's count says so already, without listing the 3,000 first (30 requests).
  if (pull.changedFiles !== undefined && pull.changedFiles > MAX_PULL_FILES) return readFromTrees(octokit, pull, config, blobs, 0);
  const listed = await listPullFiles(octokit, pull);
  const pages = Math.max(1, Math.ceil(listed.length / PER_PAGE));
  const cut = pull.changedFiles !== undefined ? pull.changedFiles > listed.length : listed.length >= MAX_PULL_FILES;
  if (cut) return readFromTrees(octokit, pull, config, blobs, pages);
  return readChange(octokit, pull, config, blobs, listed, { pages, ...(headTree ? { headTree } : {}) });
}

/** A pull request's change read from the trees of its merge base and its head (`pages`: requests spent listing it). */
async function readFromTrees(octokit: GitHub, pull: PullRef, config: Config, blobs: BlobCache, pages: number): Promise<ReadPullResult> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: pull.owner, repo: pull.repo, basehead: `${pull.baseSha}...${pull.headSha}`, per_page: 1 });
  const read = await readMergeGroup(octokit, { owner: pull.owner, repo: pull.repo, baseSha: data.merge_base_commit.sha, headSha: pull.headSha }, config, blobs);
  return { ...read, requests: { ...read.requests, pages: read.requests.pages + pages, rest: read.requests.rest + 1 } };
}

/** A commit and the commit its change is against, without a pull request: a merge group. */
export type CommitRange = Omit<PullRef, 'number'>;

/**
 * Read a merge group's change: the files whose blobs differ between the base and head trees (complete, where
 * GitHub's compare API lists at most 300), with patches computed from both texts so the same lines count as
 * changed as in a pull request. Renames are a removal and an addition. A tree GitHub would not list whole
 * fails the read: a change Warden cannot see whole is not passed.
 */
export async function readMergeGroup(octokit: GitHub, range: CommitRange, config: Config, blobs = new BlobCache(octokit, range)): Promise<ReadPullResult> {
  const repo = { owner: range.owner, repo: range.repo };
  const [base, head] = await Promise.all([readTree(octokit, repo, range.baseSha), readTree(octokit, repo, range.headSha)]);
  if (!base.complete || !head.complete) throw new Error(`the trees of ${range.baseSha.slice(0, 7)} and ${range.headSha.slice(0, 7)} are too large to list whole`);
  const listed: PullFile[] = [];
  for (const [path, entry] of head.entries) {
    const before = base.entries.get(path);
    if (!before) listed.push({ filename: path, status: 'added', sha: entry.sha });
    else if (before.sha !== entry.sha) listed.push({ filename: path, status: 'modified', sha: entry.sha });
  }
  for (const [path, entry] of base.entries) if (!head.entries.has(path)) listed.push({ filename: path, status: 'removed', sha: entry.sha });
  // A submodule moved to another commit is a change too (what a kustomization deploys from it: src/unread-deployed.ts).
  for (const [path, commit] of head.submodules) {
    const before = base.submodules.get(path);
    if (before !== commit) listed.push({ filename: path, status: before === undefined ? 'added' : 'modified', sha: commit });
  }
  for (const [path, commit] of base.submodules) if (!head.submodules.has(path)) listed.push({ filename: path, status: 'removed', sha: commit });
  listed.sort((a, b) => a.filename.localeCompare(b.filename));
  return readChange(octokit, range, config, blobs, listed, { pages: 0, trees: { head: head.entries, base: base.entries }, computePatches: true });
}

interface ChangeOptions {
  /** Requests spent listing the files. */
  pages: number;
  /** Both trees, when listing the change read them already. */
  trees?: { head: Map<string, TreeEntry>; base: Map<string, TreeEntry> };
  /** No patch was listed: compute each from the base and head texts. */
  computePatches?: boolean;
  /** The head commit's tree as the review's reader lists it (once for both). */
  headTree?: HeadTree;
}

/** The head commit's tree, listed when first asked (src/github/repository.ts GitTreeReader.entries). */
export type HeadTree = () => Promise<Map<string, TreeEntry>>;

async function readChange(octokit: GitHub, range: CommitRange, config: Config, blobs: BlobCache, listed: readonly PullFile[], options: ChangeOptions): Promise<ReadPullResult> {
  const repo = { owner: range.owner, repo: range.repo };
  const admitted = pathFilter(config);
  // A chart's file of another name (a helper `_helpers.tpl`) changes what the chart renders: read for its chart's
  // review (src/render/charts.ts), as the command line reads every changed file. Archives are read as bytes there.
  const chartPart = (path: string) => fileKind(path) === null && mayBelongToChart(path, config) && !isChartArchive(path);
  const wanted = listed.filter((f) => f.status !== 'removed' && f.status !== 'unchanged' && (admitted(f.filename) || chartPart(f.filename)));
  const changedPaths = new Set(listed.map((f) => f.filename));
  const listedPatches = new Map(listed.flatMap((f) => (typeof f.patch === 'string' ? [[f.filename, f.patch] as const] : [])));
  const removedPaths = new Set(listed.filter((f) => f.status === 'removed').map((f) => f.filename));
  const requests = { graphql: 0, rest: 0, trees: options.trees ? 2 : 0, pages: options.pages };
  const removed: ReadPullResult['removed'] = [];
  const result = () => ({ files, changedPaths, listedPatches, removedPaths, removed, listed: listed.length, requests: { ...requests, ...blobs.requests } });
  const files: ChangedFile[] = [];
  // The base commit's tree, listed once if a file must be read from it.
  let baseTree = options.trees?.base;
  const baseEntries = async (): Promise<Map<string, TreeEntry>> => {
    if (!baseTree) {
      baseTree = (await readTree(octokit, repo, range.baseSha)).entries;
      requests.trees++;
    }
    return baseTree;
  };
  // Undoing thousands of patches takes a while: the loops give way to the server's other work meanwhile.
  const pause = pacer();
  // A deleted file's base text is its patch undone from nothing (no request); one without a patch is read by path.
  // A file renamed to a path Warden does not review (`deny.yaml.off`, a folder the config excludes) is gone from
  // what it reviews as surely: it counts as deleted, read by its old path.
  for (const f of listed) {
    const gone = f.status === 'removed' ? f.filename : f.status === 'renamed' && f.previous_filename && !admitted(f.filename) ? f.previous_filename : null;
    if (gone === null || !admitted(gone) || !readsDeleted(gone)) continue;
    await pause();
    removed.push({ path: gone, baseText: f.status === 'removed' && f.patch ? undoPatch('', f.patch) : null });
  }
  const unpatched = removed.filter((r) => r.baseText === null);
  if (unpatched.length > 0) {
    const tree = await baseEntries();
    await Promise.all(
      unpatched.map(async (r) => {
        const entry = tree.get(r.path);
        const base = entry ? await blobs.read(entry.sha, entry.size) : null;
        r.baseText = base && 'text' in base ? base.text : null;
      }),
    );
  }
  if (wanted.length === 0) return result();

  // The head commit's tree: listed when a file must be found in it, once, by the review's reader when it has one.
  let headTree = options.trees?.head ?? null;
  const headEntries = async (): Promise<Map<string, TreeEntry>> => {
    if (!headTree) {
      if (options.headTree) headTree = await options.headTree();
      else {
        headTree = (await readTree(octokit, repo, range.headSha)).entries;
        requests.trees++;
      }
    }
    return headTree;
  };
  if (wanted.some((f) => !f.sha)) await headEntries();

  // The base text is the head text with its patch undone: exactly the version the pull request's diff is
  // against (the merge base), at no request. Only a file without a usable patch is read from the base tree.
  const heads = await Promise.all(
    wanted.map((f) => {
      const entry = f.sha ? { sha: f.sha, size: headTree?.get(f.filename)?.size } : headTree?.get(f.filename);
      return entry ? blobs.read(entry.sha, entry.size) : Promise.resolve<BlobText>({ skipped: 'not in its tree', missing: true });
    }),
  );
  const links = await changedLinks(wanted, heads, headEntries, blobs, admitted);
  const needBase: number[] = [];
  for (const [i, f] of wanted.entries()) {
    await pause();
    const head = heads[i]!;
    const link = links.get(f.filename);
    if (link !== undefined && 'refused' in link) {
      files.push({ path: f.filename, headText: null, unreadable: link.refused, baseText: null, patch: f.patch ?? null });
      continue;
    }
    if (link !== undefined) continue; // the file it leads to is reviewed in its place, below
    if ('skipped' in head) {
      // Not reviewed, and said so: the engine turns `unreadable` into a finding that gates.
      files.push({ path: f.filename, headText: null, unreadable: head.missing ? `gone at the head commit (${head.skipped})` : head.skipped, baseText: null, patch: f.patch ?? null });
      continue;
    }
    // What Warden did not review before the change (a copy's source, a rename's old path of a name or folder it
    // does not review) is no baseline: reviewed whole, every finding new, as the command line (which lists no
    // renames) and a merge group (a removal and an addition) review it.
    const anew = f.status === 'copied' ? `as a copy of \`${f.previous_filename ?? 'another file'}\`` : f.status === 'renamed' && f.previous_filename && !admitted(f.previous_filename) ? `by its rename from \`${f.previous_filename}\`, which Warden does not review` : null;
    if (anew !== null) {
      files.push({ path: f.filename, headText: head.text, baseText: null, patch: null, deployedAnew: [anew] });
      continue;
    }
    const baseText = f.status === 'added' ? null : f.patch ? undoPatch(head.text, f.patch) : null;
    const patch = f.patch ?? (options.computePatches && f.status === 'added' ? patchBetween(f.filename, '', head.text) : null);
    files.push({ path: f.filename, headText: head.text, baseText, patch, ...(f.status === 'renamed' && f.previous_filename ? { previousPath: f.previous_filename } : {}) });
    if (f.status !== 'added' && baseText === null) needBase.push(files.length - 1);
  }

  if (needBase.length > 0) {
    const baseTree = await baseEntries();
    const previous = new Map(wanted.map((f) => [f.filename, f.previous_filename ?? f.filename]));
    await Promise.all(
      needBase.map(async (i) => {
        const file = files[i]!;
        const entry = baseTree.get(previous.get(file.path)!);
        if (!entry) return;
        const base = await blobs.read(entry.sha, entry.size);
        file.baseText = 'text' in base ? base.text : null;
        if (file.patch !== null || !('text' in base)) return;
        await pause();
        if (options.computePatches) file.patch = patchBetween(file.path, base.text, file.headText!);
        // A rename without edits has no patch because nothing changed, not because the diff was too large.
        else if (base.text === file.headText) file.patch = '';
      }),
    );
  }
  // What the links the change adds or points elsewhere lead to is deployed anew: reviewed whole in their place.
  const linked = [...links].flatMap(([link, to]) => ('file' in to ? [{ link, file: to.file }] : []));
  if (linked.length > 0) {
    const entries = await headEntries();
    const texts = await Promise.all(linked.map(({ file }) => blobs.read(entries.get(file)!.sha, entries.get(file)!.size)));
    files.splice(0, files.length, ...withLinkedFiles(files, linked.map((l, i) => ({ ...l, text: texts[i]! }))));
  }
  return result();
}

/**
 * The changed files that are symbolic links (src/repository/links.ts): each with the file it leads to, or why it is
 * not reviewed. A blob read does not tell a link from a file: the head tree's modes do, listed only when a file's
 * text may be a link's target.
 */
async function changedLinks(
  wanted: readonly PullFile[],
  heads: readonly BlobText[],
  headTree: () => Promise<Map<string, TreeEntry>>,
  blobs: BlobCache,
  reviewed: (path: string) => boolean,
): Promise<Map<string, { file: string } | { refused: string }>> {
  const found = new Map<string, { file: string } | { refused: string }>();
  const candidates = wanted.flatMap((f, i) => {
    const head = heads[i]!;
    return 'text' in head && mayBeLinkTarget(head.text) ? [{ path: f.filename, target: head.text }] : [];
  });
  if (candidates.length === 0) return found;
  const entries = await headTree();
  const tree = entryLinks(entries, async (_path, entry) => {
    const read = await blobs.read(entry.sha, entry.size);
    return 'text' in read ? read.text : null;
  });
  for (const { path, target } of candidates) {
    if (entries.get(path)?.mode !== LINK_MODE) continue;
    found.set(path, await linkedFile(path, target, tree, reviewed));
  }
  return found;
}

/** The unified patch from one text to another, as GitHub would list it (3 lines of context). */
function patchBetween(path: string, before: string, after: string): string {
  return createTwoFilesPatch(path, path, before, after, '', '', { context: 3 });
}

