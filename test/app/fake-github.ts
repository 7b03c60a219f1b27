// A stand-in for the parts of the GitHub API Warden calls, as one request handler: served through nock in the
// App tests and through a real loopback HTTP server in the end-to-end test. It records every write and checks
// each review and check-run body against GitHub's OpenAPI request schemas (test/fixtures/github-request-schemas.json).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { structuredPatch } from 'diff';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface SchemaFixture {
  source: string;
  schemas: Record<string, { method: string; path: string; schema: object }>;
}
// From test/app, or from dist/test/app when the benchmark (scripts/bench.ts) uses this stand-in compiled.
const SCHEMA_FILE = ['../fixtures/', '../../../test/fixtures/'].map((dir) => new URL(`${dir}github-request-schemas.json`, import.meta.url)).find((url) => existsSync(url))!;
export const SCHEMAS = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaFixture;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const validators: Record<string, ValidateFunction> = Object.fromEntries(Object.entries(SCHEMAS.schemas).map(([id, s]) => [id, ajv.compile(s.schema)]));

export function validateBody(operation: keyof typeof validators | string, body: unknown): string[] {
  const validate = validators[operation];
  if (!validate) return [`no schema for ${operation}`];
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${operation}: ${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`);
}

export function gitBlobSha(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** GitHub's `patch` of a file: its hunks only. */
export function githubPatch(base: string, head: string): string {
  const patch = structuredPatch('a', 'b', base, head, '', '', { context: 3 });
  return patch.hunks
    .map((h) => [`@@ -${h.oldLines === 0 ? 0 : h.oldStart},${h.oldLines} +${h.newLines === 0 ? 0 : h.newStart},${h.newLines} @@`, ...h.lines].join('\n'))
    .join('\n');
}

export interface FakeFile {
  path: string;
  status?: 'added' | 'modified' | 'removed' | 'renamed' | 'copied';
  head?: string | Buffer;
  base?: string | Buffer;
  /** The old path of a renamed file. */
  previous?: string;
  /** GitHub leaves `patch` out on huge diffs. */
  omitPatch?: boolean;
  /** A symbolic link (mode 120000): `head` is its target's path. */
  link?: boolean;
  /** A git submodule (mode 160000): `base` and `head` are the commits it points at (no blob). */
  submodule?: boolean;
}

export interface FakeThread {
  id: string;
  path: string;
  body: string;
  isResolved?: boolean;
  viewerDidAuthor?: boolean;
}

export interface FakeRun {
  id: number;
  external_id: string;
  status: string;
  conclusion: string | null;
  started_at: string;
  output?: { title: string };
}

export interface FakeState {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  baseSha: string;
  files: FakeFile[];
  /** GitHub lists at most 3,000 files of a pull request; a test cuts the listing shorter (the rest stay in the trees). */
  listLimit?: number;
  /** Files of the repository the pull request does not change: in both trees, not in the file list. */
  unchanged?: { path: string; text: string | Buffer; /** A symbolic link (mode 120000): `text` is its target's path. */ link?: boolean }[];
  /** `.github/warden.yml` on the default branch; null: none. */
  config?: string | null;
  threads?: FakeThread[];
  /** What `GET /pulls/{n}` says the head is now (a newer push); default headSha. */
  currentHead?: string;
  /** What `GET /pulls/{n}` says the base branch is now (moved again); default `master`, the example payloads'. */
  currentBaseRef?: string;
  existingRuns?: FakeRun[];
  /** The runs as the n-th listing of the commit's check runs sees them (from 1): other runs that work meanwhile. */
  runsAtListing?: (n: number) => FakeRun[];
  /** Other pull requests of the repository (their head commit, base branch and state); a fork's is not associated with its commit. */
  otherPulls?: { number: number; head: string; baseRef: string; state?: 'open' | 'closed'; fork?: boolean }[];
  /** Status answered to the review request. */
  reviewStatus?: number;
  /** Answer the first review request with a secondary rate limit (403, retry-after: 1). */
  secondaryLimitOnce?: boolean;
  draft?: boolean;
  /**
   * Blob answers cut short by the network, by blob SHA: how many answers (GraphQL or REST) for that blob carry
   * only the first half of its bytes, with GitHub's size and SHA unchanged.
   */
  cutShort?: Record<string, number>;
}

/** GitHub's GraphQL answers a blob's `text` only up to about this many bytes (then `isTruncated`). */
export const GRAPHQL_TEXT_BYTES = 512 * 1024;

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class FakeGitHub {
  readonly requests: Recorded[] = [];
  readonly schemaErrors: string[] = [];
  readonly unexpected: string[] = [];
  private readonly blobs = new Map<string, Buffer>();
  private nextRunId = 100;
  /** Listings of the commit's check runs answered so far. */
  runListings = 0;

  constructor(
    public state: FakeState,
    /** Where the API is mounted: '' for api.github.com, '/api/v3' on GitHub Enterprise Server. */
    private readonly prefix = '',
    private readonly origin = 'https://api.github.com',
  ) {
    for (const f of state.files) {
      if (f.submodule) continue;
      if (f.head !== undefined) this.blobs.set(gitBlobSha(f.head), Buffer.from(f.head));
      if (f.base !== undefined) this.blobs.set(gitBlobSha(f.base), Buffer.from(f.base));
    }
    for (const f of state.unchanged ?? []) this.blobs.set(gitBlobSha(f.text), Buffer.from(f.text));
  }

  get checkRunCreates() {
    return this.writes('POST', /\/check-runs$/);
  }
  get checkRunUpdates() {
    return this.writes('PATCH', /\/check-runs\/\d+$/);
  }
  /**
   * The one check run as GitHub shows it after every accepted write: its create with each update laid over it,
   * annotations appended (a run with review comments is created in progress and completed by an update).
   */
  get checkRun(): Record<string, unknown> {
    const [create, ...others] = this.checkRunCreates;
    if (!create || others.length > 0) throw new Error(`expected one check run, ${this.checkRunCreates.length} were created`);
    type Output = { title?: string; summary?: string; annotations?: unknown[] };
    let run: Record<string, unknown> & { output?: Output } = { ...create };
    for (const update of this.checkRunUpdates) {
      const output = update.output as Output | undefined;
      const annotations = [...(run.output?.annotations ?? []), ...(output?.annotations ?? [])];
      run = { ...run, ...update, ...(output || run.output ? { output: { ...run.output, ...output, ...(annotations.length > 0 ? { annotations } : {}) } } : {}) };
    }
    return run;
  }
  get reviews() {
    return this.writes('POST', /\/pulls\/\d+\/reviews$/);
  }
  get mutations() {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/graphql') && String((r.body as { query: string }).query).startsWith('mutation')) .map((r) => r.body as { query: string; variables: Record<string, string> });
  }
  /** Every write, in order: what GitHub would have been asked to change. */
  get allWrites() {
    return this.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/access_tokens') && !(r.path.endsWith('/graphql') && !String((r.body as { query: string }).query).startsWith('mutation')));
  }
  count(method: string, pattern: RegExp): number {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path)).length;
  }
  /** Reviews GitHub created (what listing a pull request's reviews returns). */
  readonly accepted: { id: number; body: string; commit_id: string; state: string; user: { login: string; type: string } }[] = [];

  private writes(method: string, pattern: RegExp) {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path)).map((r) => r.body as Record<string, unknown>);
  }

  handle(method: string, url: string, body: unknown): Reply {
    const parsed = new URL(url, this.origin);
    let path = decodeURIComponent(parsed.pathname);
    this.requests.push({ method, path, body });
    if (this.prefix && path.startsWith(this.prefix)) path = path.slice(this.prefix.length);
    const q = parsed.searchParams;
    const { owner, repo, number } = this.state;
    const base = `/repos/${owner}/${repo}`;
    let m: RegExpExecArray | null;

    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return { status: 201, body: { token: 'ghs_test_token', expires_at: '2999-01-01T00:00:00Z', permissions: { checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read' }, repository_selection: 'all' } };
    }
    if (method === 'GET' && (m = new RegExp(`^${base}/commits/([0-9a-f]+)/check-runs$`).exec(path))) {
      this.runListings++;
      const runs = (this.state.runsAtListing?.(this.runListings) ?? this.state.existingRuns ?? []).map((r) => ({ ...r, name: 'Warden', head_sha: m![1] }));
      return { status: 200, body: { total_count: runs.length, check_runs: runs } };
    }
    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path))) {
      const [, o, r, file] = m;
      if (o === owner && r === repo && file === '.github/warden.yml' && typeof this.state.config === 'string') {
        return { status: 200, body: this.state.config, headers: { 'content-type': 'text/plain; charset=utf-8' } };
      }
      return { status: 404, body: { message: 'Not Found' } };
    }
    if (method === 'GET' && path === `${base}/pulls/${number}/files`) {
      const perPage = Number(q.get('per_page') ?? 30);
      const page = Number(q.get('page') ?? 1);
      // Only this page's patches are computed: a 3,000-file stand-in must not cost what Warden is measured on.
      const listable = this.state.files.slice(0, this.state.listLimit ?? this.state.files.length);
      const slice = listable.slice((page - 1) * perPage, page * perPage).map((f) => this.listed(f));
      const headers: Record<string, string> = {};
      if (page * perPage < listable.length) {
        const next = new URL(parsed.toString());
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${next.toString()}>; rel="next"`;
      }
      return { status: 200, body: slice, headers };
    }
    if (method === 'GET' && (m = new RegExp(`^${base}/git/trees/([0-9a-f]+)$`).exec(path))) {
      // A push that moved the head (`currentHead`) lists the same files at its new commit.
      const side = m[1] === this.state.baseSha ? 'base' : m[1] === this.state.headSha || m[1] === this.state.currentHead ? 'head' : null;
      if (!side) return { status: 404, body: { message: 'Not Found' } };
      const tree = this.state.files.flatMap((f): { path: string; mode: string; type: string; sha: string; size?: number }[] => {
        const content = side === 'base' ? f.base : f.head;
        const p = side === 'base' ? (f.previous ?? f.path) : f.path;
        if (content === undefined || (side === 'head' && f.status === 'removed')) return [];
        if (f.submodule) return [{ path: p, mode: '160000', type: 'commit', sha: content.toString() }];
        return [{ path: p, mode: f.link ? '120000' : '100644', type: 'blob', sha: gitBlobSha(content), size: Buffer.byteLength(content) }];
      });
      for (const f of this.state.unchanged ?? []) tree.push({ path: f.path, mode: f.link ? '120000' : '100644', type: 'blob', sha: gitBlobSha(f.text), size: Buffer.byteLength(f.text) });
      return { status: 200, body: { sha: m[1], tree, truncated: false } };
    }
    if (method === 'GET' && (m = new RegExp(`^${base}/git/blobs/([0-9a-f]+)$`).exec(path))) {
      const blob = this.blobs.get(m[1]!);
      if (!blob) return { status: 404, body: { message: 'Not Found' } };
      return { status: 200, body: { sha: m[1], size: blob.length, encoding: 'base64', content: this.sent(m[1]!, blob).toString('base64') } };
    }
    if (method === 'POST' && path.endsWith('/graphql')) return this.graphql(body as { query: string; variables?: Record<string, unknown> });
    if (method === 'GET' && path === `${base}/compare/${this.state.baseSha}...${this.state.headSha}`) {
      // The base commit is the merge base here; Warden reads only that of the comparison.
      return { status: 200, body: { merge_base_commit: { sha: this.state.baseSha }, files: [], commits: [] } };
    }
    if (method === 'GET' && path === `${base}/pulls/${number}`) {
      return { status: 200, body: this.pull() };
    }
    if (method === 'GET' && (m = new RegExp(`^${base}/commits/([0-9a-f]+)/pulls$`).exec(path))) {
      const others = this.others().filter((p, i) => p.head.sha === m![1] && !this.state.otherPulls![i]!.fork);
      return { status: 200, body: [...(m[1] === this.state.headSha ? [this.pull()] : []), ...others] };
    }
    if (method === 'GET' && path === `${base}/pulls`) {
      return { status: 200, body: [this.pull(), ...this.others().filter((p) => p.state === (q.get('state') ?? 'open'))] };
    }
    if (method === 'POST' && path === `${base}/pulls/${number}/reviews`) {
      this.schemaErrors.push(...validateBody('pulls/create-review', body));
      if (this.state.secondaryLimitOnce) {
        this.state.secondaryLimitOnce = false;
        return { status: 403, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, headers: { 'retry-after': '1' } };
      }
      const status = this.state.reviewStatus ?? 200;
      if (status >= 400) return { status, body: { message: 'Server Error' } };
      const review = body as { body?: string; commit_id?: string };
      const id = 80 + this.accepted.length;
      this.accepted.push({ id, body: review.body ?? '', commit_id: review.commit_id ?? this.state.headSha, state: 'COMMENTED', user: { login: 'warden[bot]', type: 'Bot' } });
      return { status, body: { id, state: 'COMMENTED' } };
    }
    if (method === 'GET' && path === `${base}/pulls/${number}/reviews`) {
      return { status: 200, body: this.accepted };
    }
    if (method === 'POST' && path === `${base}/check-runs`) {
      this.schemaErrors.push(...validateBody('checks/create', body));
      return { status: 201, body: { id: this.nextRunId++, name: 'Warden' } };
    }
    if (method === 'PATCH' && (m = new RegExp(`^${base}/check-runs/(\\d+)$`).exec(path))) {
      this.schemaErrors.push(...validateBody('checks/update', body));
      return { status: 200, body: { id: Number(m[1]), name: 'Warden' } };
    }
    this.unexpected.push(`${method} ${path}`);
    return { status: 404, body: { message: `fake GitHub: no route for ${method} ${path}` } };
  }

  private others() {
    return (this.state.otherPulls ?? []).map((p) => ({ ...this.pull(), number: p.number, state: p.state ?? 'open', head: { ...this.pull().head, sha: p.head }, base: { ...this.pull().base, ref: p.baseRef } }));
  }

  private pull() {
    const { number, owner, repo } = this.state;
    return {
      number,
      state: 'open',
      draft: this.state.draft ?? false,
      changed_files: this.state.files.length,
      head: { sha: this.state.currentHead ?? this.state.headSha, ref: 'changes', repo: { full_name: `${owner}/${repo}` } },
      base: { sha: this.state.baseSha, ref: this.state.currentBaseRef ?? 'master', repo: { full_name: `${owner}/${repo}` } },
    };
  }

  private listed(f: FakeFile) {
    const status = f.status ?? (f.base === undefined ? 'added' : 'modified');
    const head = f.head === undefined ? '' : f.head.toString();
    const isBinary = Buffer.isBuffer(f.head) || Buffer.isBuffer(f.base);
    // GitHub shows a submodule's change as the commit it points at, one line each side.
    const shown = (commit: string | Buffer | undefined) => (f.submodule && commit ? `Subproject commit ${commit.toString()}\n` : (commit ?? '').toString());
    const patch = status === 'removed' ? githubPatch(shown(f.base), '') : githubPatch(shown(f.base), f.submodule ? shown(head) : head);
    return {
      sha: f.submodule ? (status === 'removed' ? f.base : head) : status === 'removed' ? gitBlobSha(f.base ?? '') : gitBlobSha(f.head ?? ''),
      filename: f.path,
      status,
      additions: 1,
      deletions: 0,
      changes: 1,
      ...(f.omitPatch || isBinary || patch === '' ? {} : { patch }),
      ...(f.previous ? { previous_filename: f.previous } : {}),
    };
  }

  /** A blob gone from the repository (a force-push between the file list and the read): GitHub has it no more. */
  dropBlob(sha: string): void {
    this.blobs.delete(sha);
  }

  /** The bytes of a blob as this answer carries them: cut short while `cutShort` says so. */
  private sent(sha: string, blob: Buffer): Buffer {
    const cuts = this.state.cutShort?.[sha] ?? 0;
    if (cuts <= 0) return blob;
    this.state.cutShort![sha] = cuts - 1;
    return blob.subarray(0, Math.floor(blob.length / 2));
  }

  /** Blobs by object id as GitHub's GraphQL API answers them: `bN: object(oid: $bN) { ... on Blob { … } }`. */
  private graphqlBlobs(body: { query: string; variables?: Record<string, unknown> }): Reply {
    const vars = body.variables ?? {};
    if (vars.owner !== this.state.owner || vars.name !== this.state.repo) return { status: 200, body: { data: { repository: null }, errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a Repository' }] } };
    const repository: Record<string, unknown> = {};
    for (const [, alias, variable] of body.query.matchAll(/(\w+): object\(oid: \$(\w+)\)/g)) {
      const oid = String(vars[variable!]);
      const blob = this.blobs.get(oid);
      if (!blob) {
        repository[alias!] = null;
        continue;
      }
      const isBinary = blob.includes(0);
      const isTruncated = blob.length > GRAPHQL_TEXT_BYTES;
      const bytes = this.sent(oid, isTruncated ? blob.subarray(0, GRAPHQL_TEXT_BYTES) : blob);
      repository[alias!] = { oid, byteSize: blob.length, isBinary, isTruncated, text: isBinary ? null : bytes.toString('utf8') };
    }
    return { status: 200, body: { data: { repository } } };
  }

  /** Blobs asked for, through GraphQL queries and REST reads. */
  get blobsAsked(): number {
    const inQueries = this.blobQueries.reduce((n, r) => n + Object.keys((r.body as { variables?: object }).variables ?? {}).filter((k) => /^b\d+$/.test(k)).length, 0);
    return inQueries + this.count('GET', /\/git\/blobs\//);
  }

  /** GraphQL queries Warden sent for blobs. */
  get blobQueries() {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/graphql') && String((r.body as { query: string }).query).includes('... on Blob'));
  }

  private graphql(body: { query: string; variables?: Record<string, unknown> }): Reply {
    if (body.query.includes('... on Blob')) return this.graphqlBlobs(body);
    if (body.query.includes('reviewThreads')) {
      const nodes = (this.state.threads ?? []).map((t) => ({
        id: t.id,
        isResolved: t.isResolved ?? false,
        path: t.path,
        comments: { nodes: [{ body: t.body, viewerDidAuthor: t.viewerDidAuthor ?? true }] },
      }));
      return { status: 200, body: { data: { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } } } } } };
    }
    if (body.query.startsWith('mutation')) {
      const data: Record<string, unknown> = {};
      for (const [, alias, kind] of body.query.matchAll(/(\w+): (addPullRequestReviewThreadReply|resolveReviewThread)/g)) {
        data[alias!] = kind === 'resolveReviewThread' ? { thread: { id: 't', isResolved: true } } : { comment: { id: 'c' } };
      }
      return { status: 200, body: { data } };
    }
    return { status: 400, body: { message: 'fake GitHub: unknown GraphQL' } };
  }
}
