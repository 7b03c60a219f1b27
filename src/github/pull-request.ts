// Reading a pull request: its changed files and patches (paginated, up to GitHub's 3,000), the text of each
// reviewed file at head through the git blob API, and at base by undoing its patch (the blob API when it has none).
import { applyPatch, parsePatch, reversePatch } from 'diff';
import type { Config } from '../config.js';
import type { Note } from '../model.js';
import { pathFilter, type ChangedFile } from '../review.js';
import type { GitHub } from './octokit.js';
import { BlobCache, readTree, type RepoRef, type TreeEntry } from './repository.js';

export interface PullRef extends RepoRef {
  number: number;
  headSha: string;
  baseSha: string;
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
/** Blob reads in flight at once (Probot's throttling still applies on top). */
const CONCURRENCY = 8;

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

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface ReadPullResult {
  /** The files the review reads: config-included IaC paths, not removed, readable. */
  files: ChangedFile[];
  /** Files skipped with a reason (binary, too large). */
  skipped: Note[];
  /** Every path the pull request changes (for deciding whether an old comment's file is still in it). */
  changedPaths: Set<string>;
  /** Paths the pull request deletes. */
  removedPaths: Set<string>;
  /** Count of files listed by GitHub. */
  listed: number;
  requests: { blobs: number; trees: number; pages: number };
}

/**
 * Read the pull request's IaC files at head (and at base for the baseline). Removed files are ignored, renamed
 * ones followed, binary ones skipped; a file whose patch GitHub omitted keeps
 * `patch: null` (reviewed whole, reported in the check run only).
 */
export async function readPullRequest(octokit: GitHub, pull: PullRef, config: Config, blobs = new BlobCache(octokit, pull)): Promise<ReadPullResult> {
  const repo = { owner: pull.owner, repo: pull.repo };
  const listed = await listPullFiles(octokit, pull);
  const admitted = pathFilter(config);
  const wanted = listed.filter((f) => f.status !== 'removed' && f.status !== 'unchanged' && admitted(f.filename));
  const changedPaths = new Set(listed.map((f) => f.filename));
  const removedPaths = new Set(listed.filter((f) => f.status === 'removed').map((f) => f.filename));
  const pages = Math.max(1, Math.ceil(listed.length / PER_PAGE));
  const requests = { blobs: 0, trees: 0, pages };
  const skipped: Note[] = [];
  if (wanted.length === 0) return { files: [], skipped, changedPaths, removedPaths, listed: listed.length, requests };

  let headTree: Map<string, TreeEntry> | null = null;
  if (wanted.some((f) => !f.sha)) {
    headTree = (await readTree(octokit, repo, pull.headSha)).entries;
    requests.trees++;
  }

  // The base text is the head text with its patch undone: exactly the version the pull request's diff is
  // against (the merge base), at no request. Only a file without a usable patch is read from the base tree.
  const files: ChangedFile[] = new Array(wanted.length);
  const heads: (string | null)[] = new Array(wanted.length).fill(null);
  const needBase: number[] = [];
  await pool(wanted.map((f, i) => [f, i] as const), CONCURRENCY, async ([f, i]) => {
    const headSha = f.sha || headTree?.get(f.filename)?.sha;
    const head = headSha ? await blobs.read(headSha) : { skipped: 'not in its tree', missing: true as const };
    if ('skipped' in head) {
      skipped.push({ file: f.filename, message: head.missing ? `gone at the head commit (${head.skipped}): not reviewed` : head.skipped });
      return;
    }
    heads[i] = head.text;
    const baseText = f.status === 'added' ? null : f.patch ? undoPatch(head.text, f.patch) : null;
    files[i] = { path: f.filename, headText: head.text, baseText, patch: f.patch ?? null };
    if (f.status !== 'added' && baseText === null) needBase.push(i);
  });

  if (needBase.length > 0) {
    const baseTree = (await readTree(octokit, repo, pull.baseSha)).entries;
    requests.trees++;
    await pool(needBase.map((i) => [wanted[i]!, i] as const), CONCURRENCY, async ([f, i]) => {
      const baseSha = baseTree.get(f.previous_filename ?? f.filename)?.sha;
      if (!baseSha) return;
      const base = await blobs.read(baseSha);
      const file = files[i]!;
      file.baseText = 'text' in base ? base.text : null;
      // A rename without edits has no patch because nothing changed, not because the diff was too large.
      if (file.patch === null && 'text' in base && base.text === heads[i]) file.patch = '';
    });
  }
  requests.blobs = blobs.requests;
  skipped.sort((a, b) => a.file.localeCompare(b.file));
  return { files: files.filter(Boolean), skipped, changedPaths, removedPaths, listed: listed.length, requests };
}

/** A file before the change: its head text with the patch undone, or null when the patch does not apply. */
function undoPatch(headText: string, patch: string): string | null {
  const [parsed] = parsePatch(patch);
  if (!parsed || parsed.hunks.length === 0) return null;
  const base = applyPatch(headText, reversePatch(parsed));
  return base === false ? null : base;
}
