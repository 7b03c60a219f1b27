// Reading a commit of the repository through the git trees and blobs APIs: works for files over 1 MB (the
// contents API stops there) and for pull requests from forks (their commits are reachable in the base repository).
import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import { pacer } from '../common/pace.js';
import { MAX_FILE_BYTES, formatBytes } from '../engine/limits.js';
import { UnreadableFile, type RepositoryReader } from '../engine/repository.js';
import { LINK_MODE, fileEntry } from '../repository/links.js';
import { decodeText } from '../formats/text.js';
import { BlobTexts, sharedBlobTexts } from '../repository/blob-texts.js';
import { readQueries, type GitHub, type ReadQuery } from './octokit.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Files larger than this are not read: a clear note instead of unbounded memory and parse time (src/engine/limits.ts). */
export const MAX_BLOB_BYTES = MAX_FILE_BYTES;

/** A blob's text, or why it was not read; `missing`: GitHub has no such blob (404). */
export type BlobText = { text: string } | { skipped: string; missing?: true };

/**
 * Blobs asked for in one GraphQL query. Each costs about one point of GitHub's GraphQL budget; the bound is the
 * query's answer (texts up to ~512 KB each come back inline) within GitHub's 10-second query time-out.
 */
export const BLOBS_PER_QUERY = 100;
/** Bytes of blobs of known size (tree entries) asked for in one query, for the same time-out. */
export const BYTES_PER_QUERY = 8 * 1024 * 1024;
/** GraphQL queries in flight at once; REST blob reads (the fallback) in flight at once. */
const QUERIES_IN_FLIGHT = 2;
const REST_IN_FLIGHT = 8;

/** Git's name for a blob: the SHA-1 (or, in a SHA-256 repository, SHA-256) of its header and bytes. */
export function gitBlobId(bytes: Uint8Array, like: string): string {
  return createHash(like.length === 64 ? 'sha256' : 'sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

const tooLarge = (size: number): BlobText => ({ skipped: `too large to review (${formatBytes(size)}; the limit is ${formatBytes(MAX_BLOB_BYTES)})` });

/** The text of bytes GitHub sent for blob `sha`, or null when they are not that blob (cut short, altered). */
function verified(sha: string, bytes: Uint8Array, size: unknown): BlobText | null {
  if (bytes.byteLength !== size || gitBlobId(bytes, sha) !== sha) return null;
  // The same decoding as the command line: binary, invalid UTF-8 and a BOM are handled in one place.
  return decodeText(bytes, MAX_BLOB_BYTES);
}

interface GraphQLBlob {
  oid: string;
  byteSize: number;
  isBinary: boolean | null;
  isTruncated: boolean;
  text: string | null;
}

/**
 * Archives' bytes kept between runs, by SHA (verified, so the same whatever repository asked): the index renders a
 * chart with its archives on every pull request, which must not cost a request each time. Oldest out first.
 */
const keptBytes = new Map<string, Uint8Array>();
const KEPT_BYTES_MAX = 32 * 1024 * 1024;
let keptBytesTotal = 0;

function keep(sha: string, bytes: Uint8Array): void {
  if (keptBytes.has(sha) || bytes.byteLength > KEPT_BYTES_MAX / 4) return;
  keptBytes.set(sha, bytes);
  keptBytesTotal += bytes.byteLength;
  for (const [oldest, dropped] of keptBytes) {
    if (keptBytesTotal <= KEPT_BYTES_MAX) break;
    keptBytes.delete(oldest);
    keptBytesTotal -= dropped.byteLength;
  }
}

/**
 * Blobs by SHA, read in batches: every read asked for in the same tick goes into GraphQL queries of up to
 * BLOBS_PER_QUERY blobs (`repository { bN: object(oid:) { ... on Blob { text … } } }`); a blob GraphQL did not
 * answer whole (truncated, binary-suspect, missing, a failed query) is read through the REST blob API. Every
 * text is checked against its SHA and size before it is used: a read that does not match is sent again once,
 * then given up (the file is then not reviewed). Each blob is read at most once per run, and texts read by
 * earlier runs of this replica are not fetched again (src/repository/blob-texts.ts); nothing unverified is kept.
 */
export class BlobCache {
  /** Requests made: GraphQL queries and REST blob reads. */
  readonly requests = { graphql: 0, rest: 0 };
  private readonly sizes = new Map<string, number>();
  private readonly bytesRead = new Map<string, Promise<Uint8Array>>();
  private readonly loader = new DataLoader<string, BlobText>((shas) => this.readBatch(shas), { maxBatchSize: BLOBS_PER_QUERY });
  private readonly queries = pLimit(QUERIES_IN_FLIGHT);
  private readonly restReads = pLimit(REST_IN_FLIGHT);
  private readonly key: string;
  private readonly graphql: ReadQuery;

  constructor(
    private readonly octokit: GitHub,
    private readonly repo: RepoRef,
    private readonly texts: BlobTexts = sharedBlobTexts,
  ) {
    this.key = `${repo.owner}/${repo.repo}`;
    this.graphql = readQueries(octokit);
  }

  /** A blob's text if it was read already (by this run or, kept, another), without a request; else undefined. */
  known(sha: string): string | undefined {
    return this.texts.get(this.key, sha);
  }

  /** `size`: the blob's size where GitHub listed it (a tree entry): a blob over the limit is not read at all. */
  read(sha: string, size?: number): Promise<BlobText> {
    if (size !== undefined) {
      if (size > MAX_BLOB_BYTES) return Promise.resolve(tooLarge(size));
      this.sizes.set(sha, size);
    }
    const known = this.texts.get(this.key, sha);
    if (known !== undefined) return Promise.resolve({ text: known });
    return this.loader.load(sha);
  }

  private async readBatch(shas: readonly string[]): Promise<(BlobText | Error)[]> {
    const found = new Map<string, BlobText | Error>();
    await Promise.all(this.byQuery(shas).map((group) => this.queries(() => this.query(group, found, true))));
    const rest = shas.filter((sha) => !found.has(sha));
    // A read that fails (after the retry plugin's retries) fails its own blob, not the batch.
    await Promise.all(rest.map((sha) => this.restReads(() => this.fetch(sha).then((blob) => found.set(sha, blob), (error: Error) => found.set(sha, error)))));
    return shas.map((sha) => {
      const blob = found.get(sha)!;
      if (!(blob instanceof Error) && 'text' in blob) this.texts.set(this.key, sha, blob.text);
      return blob;
    });
  }

  /** The batch in queries of at most BYTES_PER_QUERY known bytes. */
  private byQuery(shas: readonly string[]): string[][] {
    const groups: string[][] = [];
    let group: string[] = [];
    let bytes = 0;
    for (const sha of shas) {
      const size = this.sizes.get(sha) ?? 0;
      if (group.length > 0 && bytes + size > BYTES_PER_QUERY) {
        groups.push(group);
        group = [];
        bytes = 0;
      }
      group.push(sha);
      bytes += size;
    }
    if (group.length > 0) groups.push(group);
    return groups;
  }

  /** One GraphQL query for `shas`; what it answers whole and verified goes into `found`. A failed query is split once. */
  private async query(shas: readonly string[], found: Map<string, BlobText | Error>, split: boolean): Promise<void> {
    const variables = Object.fromEntries(shas.map((sha, i) => [`b${i}`, sha]));
    const query =
      `query(${['$owner: String!', '$name: String!', ...shas.map((_, i) => `$b${i}: GitObjectID!`)].join(', ')}) { repository(owner: $owner, name: $name) { ` +
      shas.map((_, i) => `b${i}: object(oid: $b${i}) { ... on Blob { oid byteSize isBinary isTruncated text } }`).join(' ') +
      ' } }';
    type Answer = { repository: Record<string, GraphQLBlob | null> | null };
    let answer: Answer | undefined;
    this.requests.graphql++;
    try {
      answer = await this.graphql<Answer>(query, { owner: this.repo.owner, name: this.repo.repo, ...variables });
    } catch (error) {
      // Errors with partial data (e.g. one object GitHub could not load): keep what came.
      answer = (error as { data?: Answer }).data;
      if (!answer?.repository && split && shas.length > 1) {
        // Perhaps too slow for GitHub's time-out: halves, once; what still fails is read through REST.
        const half = Math.ceil(shas.length / 2);
        await Promise.all([this.query(shas.slice(0, half), found, false), this.query(shas.slice(half), found, false)]);
        return;
      }
    }
    // Up to BYTES_PER_QUERY of text to hash and decode: the loop gives way to the server's other work meanwhile.
    const pause = pacer();
    for (const [i, sha] of shas.entries()) {
      await pause();
      const blob = answer?.repository?.[`b${i}`];
      if (!blob || blob.oid !== sha) continue;
      if (blob.byteSize > MAX_BLOB_BYTES) {
        found.set(sha, tooLarge(blob.byteSize));
        continue;
      }
      if (blob.isTruncated || blob.isBinary !== false || blob.text === null) continue;
      const text = verified(sha, Buffer.from(blob.text, 'utf8'), blob.byteSize);
      if (text) found.set(sha, text);
    }
  }

  /**
   * A blob's bytes (a chart's dependency archive), through the REST API, checked against its SHA and size and sent
   * again once when they do not match; asked once per run however many readers want it, and kept between runs.
   * Rejects with why when they cannot be had.
   */
  bytes(sha: string): Promise<Uint8Array> {
    let reading = this.bytesRead.get(sha);
    if (!reading) this.bytesRead.set(sha, (reading = this.fetchBytes(sha)));
    return reading;
  }

  private async fetchBytes(sha: string): Promise<Uint8Array> {
    const kept = keptBytes.get(sha);
    if (kept) return kept;
    for (let attempt = 0; attempt < 2; attempt++) {
      this.requests.rest++;
      const { data } = await this.restReads(() => this.octokit.rest.git.getBlob({ ...this.repo, file_sha: sha }));
      const bytes = Buffer.from(data?.content ?? '', data?.encoding === 'base64' ? 'base64' : 'utf8');
      if (bytes.byteLength === data?.size && gitBlobId(bytes, sha) === sha) {
        keep(sha, bytes);
        return bytes;
      }
    }
    throw new Error(`GitHub's answer for blob ${sha.slice(0, 7)} did not match its size and SHA (read twice)`);
  }

  /** One blob through the REST API, checked against its SHA and size, sent again once when it does not match. */
  private async fetch(sha: string): Promise<BlobText> {
    for (let attempt = 0; attempt < 2; attempt++) {
      this.requests.rest++;
      let data: Awaited<ReturnType<GitHub['rest']['git']['getBlob']>>['data'];
      try {
        ({ data } = await this.octokit.rest.git.getBlob({ ...this.repo, file_sha: sha }));
      } catch (error) {
        // Gone (e.g. a force-push between the file list and this read).
        if ((error as { status?: number }).status === 404) return { skipped: `GitHub answered 404 for blob ${sha.slice(0, 7)}`, missing: true };
        throw error;
      }
      if (typeof data?.size === 'number' && data.size > MAX_BLOB_BYTES) return tooLarge(data.size);
      const text = verified(sha, Buffer.from(data?.content ?? '', data?.encoding === 'base64' ? 'base64' : 'utf8'), data?.size);
      if (text) return text;
    }
    return { skipped: `GitHub's answer for blob ${sha.slice(0, 7)} did not match its size and SHA (read twice): not reviewed` };
  }
}

export interface TreeEntry {
  sha: string;
  size?: number;
  /** Git's file mode (`120000`: a symbolic link, whose blob is its target's path). */
  mode?: string;
}

/** A commit's tree as listed: its files, its git submodules (path → the commit it points at), whether whole. */
export interface ListedTree {
  entries: Map<string, TreeEntry>;
  submodules: Map<string, string>;
  /** False when a huge tree was only partly walked. */
  complete: boolean;
}

/** Bounds the requests spent walking a tree GitHub truncated (over 100,000 entries or 7 MB). */
export const MAX_TREE_REQUESTS = 50;

/**
 * The blobs of one commit's tree, path → entry, and its submodules: one recursive request, or, when GitHub
 * truncates it, a walk of subtrees (bounded; `complete` says whether every path was listed).
 */
export async function readTree(octokit: GitHub, repo: RepoRef, treeish: string): Promise<ListedTree> {
  const entries = new Map<string, TreeEntry>();
  const submodules = new Map<string, string>();
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
      if (item.type === 'blob') entries.set(path, { sha: item.sha, ...(item.size !== undefined ? { size: item.size } : {}), ...(item.mode ? { mode: item.mode } : {}) });
      else if (item.type === 'commit') submodules.set(path, item.sha);
      else if (item.type === 'tree' && !recursive) subtrees.push({ sha: item.sha, path });
    }
    if (data.truncated && recursive) {
      // Start again on this level without recursion and descend one subtree at a time.
      return walk(sha, prefix, false);
    }
    for (const tree of subtrees) await walk(tree.sha, `${tree.path}/`, true);
  };
  await walk(treeish, '', true);
  return { entries, submodules, complete };
}

/** Largest file GitTreeReader.prefetch reads ahead (GraphQL answers texts up to about this size inline). */
export const PREFETCH_MAX_BYTES = 512 * 1024;

/**
 * A RepositoryReader over one commit (e.g. the pull request's head), for cross-resource rules: the tree is
 * listed once, blobs are read on demand and cached by SHA.
 */
export class GitTreeReader implements RepositoryReader {
  private tree: Promise<ListedTree> | null = null;

  constructor(
    private readonly octokit: GitHub,
    private readonly repo: RepoRef,
    /** The commit; or how to learn it, asked only when the tree is first needed (a merge base costs a request). */
    private readonly commitSha: string | (() => Promise<string>),
    readonly blobs: BlobCache = new BlobCache(octokit, repo),
  ) {}

  private listing() {
    const sha = this.commitSha;
    this.tree ??= (typeof sha === 'string' ? Promise.resolve(sha) : sha()).then((commit) => readTree(this.octokit, this.repo, commit));
    return this.tree;
  }

  /** Whether the listing holds every path (false when a huge tree was only partly walked). */
  async complete(): Promise<boolean> {
    return (await this.listing()).complete;
  }

  async paths(): Promise<string[]> {
    return [...(await this.listing()).entries.keys()];
  }

  /** The commit's tree, path → entry (modes included), as listed once for every use. */
  async entries(): Promise<Map<string, TreeEntry>> {
    return (await this.listing()).entries;
  }

  async submodules(): Promise<ReadonlySet<string>> {
    return new Set((await this.listing()).submodules.keys());
  }

  async readAtHand(path: string): Promise<string | undefined> {
    const entry = (await this.listing()).entries.get(path);
    // A link's blob is its target's path, not the text read through it.
    return entry && entry.mode !== LINK_MODE ? this.blobs.known(entry.sha) : undefined;
  }

  async entry(path: string): Promise<TreeEntry | null> {
    return (await this.listing()).entries.get(path) ?? null;
  }

  /**
   * Read these files now, in batches, so that reading them one by one afterwards costs no request. Files over
   * PREFETCH_MAX_BYTES are left to be read when asked for: a prefetch must not hold many large texts at once.
   */
  async prefetch(paths: readonly string[]): Promise<void> {
    const entries = await Promise.all(paths.map((path) => this.entry(path)));
    await Promise.all(entries.map((e) => (e && e.size !== undefined && e.size <= PREFETCH_MAX_BYTES ? this.blobs.read(e.sha, e.size) : null)));
  }

  /** The entry of the file at `path`, a link's that of the file it leads to (src/repository/links.ts fileEntry). */
  private async fileEntry(path: string): Promise<TreeEntry | null> {
    return fileEntry(path, (await this.listing()).entries, (at, entry) => this.text(at, entry));
  }

  /** A blob's text; rejects when it is not read as text (UnreadableFile) or could not be read. */
  private async text(path: string, entry: TreeEntry): Promise<string> {
    const blob = await this.blobs.read(entry.sha, entry.size);
    if ('text' in blob) return blob.text;
    if (blob.missing) throw new Error(`\`${path}\` could not be read: ${blob.skipped}`);
    throw new UnreadableFile(path, blob.skipped);
  }

  /** A file's bytes, up to `maxBytes` (a larger one rejects, with its size); null when there is no such file. */
  async readBytes(path: string, maxBytes: number): Promise<Uint8Array | null> {
    const entry = await this.fileEntry(path);
    if (!entry) return null;
    if (entry.size !== undefined && entry.size > maxBytes) throw new UnreadableFile(path, `${formatBytes(entry.size)}, over the ${formatBytes(maxBytes)} read`);
    return this.blobs.bytes(entry.sha);
  }

  async read(path: string): Promise<string | null> {
    const entry = await this.fileEntry(path);
    return entry ? this.text(path, entry) : null;
  }
}
