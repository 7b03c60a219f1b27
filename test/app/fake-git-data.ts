// The Git Data API and the `Warden Fix all` check runs on top of FakeGitHub: blobs, trees on a base tree, commits
// and a ref update that refuses (422) unless it fast-forwards the branch from the head it was asked about. The
// token's `contents` permission is `read` unless the state grants `write`: then writes answer 403 as GitHub does.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Context, Probot } from 'probot';
import { FakeGitHub, gitBlobSha, type FakeState, type Reply } from './fake-github.js';
import { HEAD } from './helpers.js';

export interface GitDataState extends FakeState {
  /** The installation's `contents` permission (default `write`). */
  contents?: 'read' | 'write';
  /** The pull request's branch lives in a fork. */
  fork?: boolean;
  /** The branch moves to this SHA just before Warden updates the ref. */
  movesTo?: string;
}

export interface Commit {
  sha: string;
  message: string;
  tree: string;
  parents: string[];
}

const TREE_OF_HEAD = 'aa'.repeat(20);

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export class FakeGitData extends FakeGitHub {
  readonly blobTexts = new Map<string, string>();
  readonly trees = new Map<string, { base: string; entries: { path: string; mode: string; type: string; sha: string }[] }>();
  readonly commits: Commit[] = [];
  /** Where the pull request's branch points: moved by an accepted ref update. */
  branch: string;
  private readonly fixAllRuns: { id: number; external_id: string; name: string }[] = [];

  constructor(public override state: GitDataState) {
    super(state);
    this.branch = state.headSha;
  }

  /** The files of a commit Warden made: the head's files with the tree's entries laid over them. */
  filesOf(commit: Commit): Map<string, string> {
    const files = new Map<string, string>();
    for (const f of this.state.files) if (typeof f.head === 'string' && f.status !== 'removed') files.set(f.path, f.head);
    for (const f of this.state.unchanged ?? []) if (typeof f.text === 'string') files.set(f.path, f.text);
    for (const entry of this.trees.get(commit.tree)?.entries ?? []) files.set(entry.path, this.blobTexts.get(entry.sha)!);
    return files;
  }

  get refUpdates() {
    return this.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/git/refs/'));
  }

  get fixAllChecks() {
    return this.requests.filter((r) => /\/check-runs(\/\d+)?$/.test(r.path) && r.method !== 'GET').map((r) => r.body as Record<string, unknown>);
  }

  override handle(method: string, url: string, body: unknown): Reply {
    const parsed = new URL(url, 'https://api.github.com');
    const path = decodeURIComponent(parsed.pathname);
    const base = `/repos/${this.state.owner}/${this.state.repo}`;
    const denied = (this.state.contents ?? 'write') === 'read';
    const record = () => this.requests.push({ method, path, body });
    let m: RegExpExecArray | null;

    if (method === 'GET' && path === `${base}/pulls/${this.state.number}`) {
      const reply = super.handle(method, url, body);
      const pull = reply.body as { head: { sha: string; repo: { full_name: string } } };
      pull.head.sha = this.state.currentHead ?? this.branch;
      if (this.state.fork) pull.head.repo = { full_name: 'octocat/Hello-World' };
      return reply;
    }
    if (method === 'GET' && new RegExp(`^${base}/commits/[0-9a-f]+/check-runs$`).test(path) && parsed.searchParams.get('check_name') === 'Warden Fix all') {
      record();
      return { status: 200, body: { total_count: this.fixAllRuns.length, check_runs: this.fixAllRuns } };
    }
    if (method === 'POST' && path === `${base}/check-runs` && (body as { name?: string }).name === 'Warden Fix all') {
      const reply = super.handle(method, url, body);
      this.fixAllRuns.push({ id: (reply.body as { id: number }).id, external_id: String((body as { external_id?: string }).external_id), name: 'Warden Fix all' });
      return reply;
    }
    if (method === 'GET' && (m = new RegExp(`^${base}/git/commits/([0-9a-f]+)$`).exec(path))) {
      record();
      return m[1] === this.state.headSha ? { status: 200, body: { sha: m[1], tree: { sha: TREE_OF_HEAD }, parents: [] } } : { status: 404, body: { message: 'Not Found' } };
    }
    if (method === 'POST' && path.startsWith(`${base}/git/`)) {
      record();
      if (denied) return { status: 403, body: { message: 'Resource not accessible by integration' } };
      if (path.endsWith('/git/blobs')) {
        const { content, encoding } = body as { content: string; encoding: string };
        const text = encoding === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content;
        const sha = gitBlobSha(text);
        this.blobTexts.set(sha, text);
        return { status: 201, body: { sha, url: '' } };
      }
      if (path.endsWith('/git/trees')) {
        const { base_tree, tree } = body as { base_tree: string; tree: { path: string; mode: string; type: string; sha: string }[] };
        if (base_tree !== TREE_OF_HEAD || tree.some((e) => !this.blobTexts.has(e.sha))) return { status: 422, body: { message: 'tree: unknown base tree or blob' } };
        const sha = sha1(JSON.stringify(body));
        this.trees.set(sha, { base: base_tree, entries: tree });
        return { status: 201, body: { sha, tree: [] } };
      }
      if (path.endsWith('/git/commits')) {
        const { message, tree, parents } = body as { message: string; tree: string; parents: string[] };
        if (!this.trees.has(tree)) return { status: 422, body: { message: 'commit: unknown tree' } };
        const commit = { sha: sha1(JSON.stringify(body)), message, tree, parents };
        this.commits.push(commit);
        return { status: 201, body: { sha: commit.sha, tree: { sha: tree }, parents: parents.map((sha) => ({ sha })) } };
      }
    }
    if (method === 'PATCH' && (m = new RegExp(`^${base}/git/refs/heads/(.+)$`).exec(path))) {
      record();
      if (denied) return { status: 403, body: { message: 'Resource not accessible by integration' } };
      if (this.state.movesTo) this.branch = this.state.movesTo;
      const { sha, force } = body as { sha: string; force?: boolean };
      const commit = this.commits.find((c) => c.sha === sha);
      if (m[1] !== 'changes' || !commit) return { status: 422, body: { message: 'Reference does not exist' } };
      if (!force && !commit.parents.includes(this.branch)) return { status: 422, body: { message: 'Update is not a fast forward' } };
      this.branch = sha;
      return { status: 200, body: { ref: `refs/heads/${m[1]}`, object: { sha, type: 'commit' } } };
    }
    return super.handle(method, url, body);
  }
}

type RequestedActionPayload = Context<'check_run.requested_action'>['payload'];
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];

/** A click on a `Warden` run's action (from @octokit/webhooks-examples, which carries `installation`). */
export function requestedActionEvent(options: { checkRunId?: number; head?: string; identifier?: string; pulls?: number[]; delivery?: string } = {}): Parameters<Probot['receive']>[0] {
  const found = examples.find((d) => d.name === 'check_run')!.examples.find((e) => e.action === 'requested_action' && e.installation);
  const payload = structuredClone(found) as unknown as RequestedActionPayload;
  payload.check_run.id = options.checkRunId ?? 100;
  payload.check_run.name = 'Warden';
  payload.check_run.head_sha = options.head ?? HEAD;
  payload.check_run.pull_requests = (options.pulls ?? [2]).map((number) => ({ number, id: number, url: '', head: { ref: 'changes', sha: HEAD, repo: { id: 1, name: 'Hello-World', url: '' } }, base: { ref: 'main', sha: HEAD, repo: { id: 1, name: 'Hello-World', url: '' } } }));
  payload.requested_action = { identifier: options.identifier ?? 'fix_all' };
  payload.repository.owner.login = 'Codertocat';
  payload.repository.name = 'Hello-World';
  payload.repository.full_name = 'Codertocat/Hello-World';
  return { id: options.delivery ?? 'delivery-fix-all', name: 'check_run', payload } as Parameters<Probot['receive']>[0];
}
