// Reading a commit of the repository through the git trees and blobs APIs: works for files over 1 MB (the
// contents API stops there) and for pull requests from forks (their commits are reachable in the base repository).
import { MAX_FILE_BYTES, formatBytes } from '../engine/limits.js';
import type { RepositoryReader } from '../engine/repository.js';
import { decodeText } from '../formats/text.js';
import { BlobTexts, sharedBlobTexts } from './blob-texts.js';
import type { GitHub } from './octokit.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Files larger than this are not read: a clear note instead of unbounded memory and parse time (src/engine/limits.ts). */
export const MAX_BLOB_BYTES = MAX_FILE_BYTES;

/** A blob's text, or why it was not read; `missing`: GitHub has no such blob (404). */
export type BlobText = { text: string } | { skipped: string; missing?: true };

/**
 * Blobs by SHA, each fetched at most once per run (the same content at head and base, or in two paths, is one
 * request), and texts read by earlier runs of this replica not fetched again (src/github/blob-texts.ts).
 */
export class BlobCache {
  private readonly blobs = new Map<string, Promise<BlobText>>();
  requests = 0;

  constructor(
    private readonly octokit: GitHub,
    private readonly repo: RepoRef,
    private readonly texts: BlobTexts = sharedBlobTexts,
  ) {}

  read(sha: string): Promise<BlobText> {
    let blob = this.blobs.get(sha);
    if (!blob) {
      const repo = `${this.repo.owner}/${this.repo.repo}`;
      const known = this.texts.get(repo, sha);
      blob = known !== undefined ? Promise.resolve({ text: known }) : this.fetch(sha).then((read) => ('text' in read ? (this.texts.set(repo, sha, read.text), read) : read));
      this.blobs.set(sha, blob);
    }
    return blob;
  }

  private async fetch(sha: string): Promise<BlobText> {
    this.requests++;
    let data: Awaited<ReturnType<GitHub['rest']['git']['getBlob']>>['data'];
    try {
      ({ data } = await this.octokit.rest.git.getBlob({ ...this.repo, file_sha: sha }));
    } catch (error) {
      // Gone (e.g. a force-push between the file list and this read): that file is skipped, the run goes on.
      if ((error as { status?: number }).status === 404) return { skipped: `GitHub answered 404 for blob ${sha.slice(0, 7)}`, missing: true };
      throw error;
    }
    if (typeof data.size === 'number' && data.size > MAX_BLOB_BYTES) {
      return { skipped: `too large to review (${formatBytes(data.size)}; the limit is ${formatBytes(MAX_BLOB_BYTES)})` };
    }
    // The same decoding as the command line: binary, invalid UTF-8 and a BOM are handled in one place.
    return decodeText(Buffer.from(data.content ?? '', data.encoding === 'base64' ? 'base64' : 'utf8'), MAX_BLOB_BYTES);
  }
}

export interface TreeEntry {
  sha: string;
  size?: number;
}

/** Bounds the requests spent walking a tree GitHub truncated (over 100,000 entries or 7 MB). */
export const MAX_TREE_REQUESTS = 50;

/**
 * The blobs of one commit's tree, path → entry: one recursive request, or, when GitHub truncates it, a walk of
 * subtrees (bounded; `complete` says whether every path was listed).
 */
export async function readTree(octokit: GitHub, repo: RepoRef, treeish: string): Promise<{ entries: Map<string, TreeEntry>; complete: boolean }> {
  const entries = new Map<string, TreeEntry>();
  let requests = 0;
  let complete = true;
  const walk = async (sha: string, prefix: string, recursive: boolean): Promise<void> => {
    if (requests >= MAX_TREE_REQUESTS) {
      complete = false;
      return;
    }
    requests++;
    const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: sha, ...(recursive ? { recursive: 'true' } : {}) });
    const subtrees: { sha: string; path: string }[] = [];
    for (const item of data.tree) {
      if (!item.path || !item.sha) continue;
      const path = prefix + item.path;
      if (item.type === 'blob') entries.set(path, { sha: item.sha, ...(item.size !== undefined ? { size: item.size } : {}) });
      else if (item.type === 'tree' && !recursive) subtrees.push({ sha: item.sha, path });
    }
    if (data.truncated && recursive) {
      // Start again on this level without recursion and descend one subtree at a time.
      return walk(sha, prefix, false);
    }
    for (const tree of subtrees) await walk(tree.sha, `${tree.path}/`, true);
  };
  await walk(treeish, '', true);
  return { entries, complete };
}

/**
 * A RepositoryReader over one commit (e.g. the pull request's head), for cross-resource rules: the tree is
 * listed once, blobs are read on demand and cached by SHA.
 */
export class GitTreeReader implements RepositoryReader {
  private tree: Promise<{ entries: Map<string, TreeEntry>; complete: boolean }> | null = null;

  constructor(
    private readonly octokit: GitHub,
    private readonly repo: RepoRef,
    private readonly commitSha: string,
    readonly blobs: BlobCache = new BlobCache(octokit, repo),
  ) {}

  private listing() {
    this.tree ??= readTree(this.octokit, this.repo, this.commitSha);
    return this.tree;
  }

  /** Whether the listing holds every path (false when a huge tree was only partly walked). */
  async complete(): Promise<boolean> {
    return (await this.listing()).complete;
  }

  async paths(): Promise<string[]> {
    return [...(await this.listing()).entries.keys()];
  }

  async entry(path: string): Promise<TreeEntry | null> {
    return (await this.listing()).entries.get(path) ?? null;
  }

  async read(path: string): Promise<string | null> {
    const entry = await this.entry(path);
    if (!entry) return null;
    if (entry.size !== undefined && entry.size > MAX_BLOB_BYTES) return null;
    const blob = await this.blobs.read(entry.sha);
    return 'text' in blob ? blob.text : null;
  }
}
