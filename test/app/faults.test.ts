// GitHub faults (issue 6): 5xx and secondary rate limits through Octokit's retry and throttling plugins (no retry
// of Warden's own), a 422 on the review, a file gone at the head SHA, a redelivered webhook, two quick pushes.
// Each run here is made with Warden's production Octokit (retry and throttling on, Warden's bounded handlers) with
// every wait set to zero, and each test asserts that no check run is left `in_progress`.
import nock from 'nock';
import { Probot, type ProbotOctokit } from 'probot';
import { afterEach, describe, expect, test } from 'vitest';
import { warden } from '../../src/index.js';
import { MAX_RATE_LIMIT_RETRIES, WardenOctokit } from '../../src/github/octokit.js';
import type { RunOptions } from '../../src/github/run.js';
import { RERUN_HINT } from '../../src/github/check-run.js';
import { sharedPool } from '../../src/worker/pool.js';
import { FakeGitHub, gitBlobSha, githubPatch, type FakeState, type Reply } from './fake-github.js';
import { checkRunRerequestedEvent, fakeState, HEAD, ON_MASTER, NOW, PRIVATE_KEY, pullRequestEvent, serveWithNock } from './helpers.js';
import { deployment } from './manifests.js';
import { TEST_RULES } from './rules.js';

const HEAD2 = '3333333333333333333333333333333333333333';
/** Retries the retry plugin makes on a 5xx (its default is 3; fewer keeps the counts short). */
const RETRIES = 2;

/** Runs every job at once: Probot spaces writes 1 s apart (3 s for reviews), which these tests do not measure. */
const NO_SPACING = {
  key: () => ({ schedule: (_options: unknown, job: (...args: unknown[]) => unknown, ...args: unknown[]) => job(...args) }),
};

/**
 * Warden's Octokit as the server runs it, with zero waits: the retry plugin's backoff and the throttling plugin's
 * `retry-after` are multiplied by `retryAfterBaseValue` (0 here). Warden's handlers still decide whether to retry.
 */
const FastWardenOctokit = (WardenOctokit as typeof ProbotOctokit).defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { retries: RETRIES, retryAfterBaseValue: 0 },
  throttle: { ...(options.throttle as object), retryAfterBaseValue: 0, write: NO_SPACING, notifications: NO_SPACING },
})) as typeof ProbotOctokit;

async function makeProbot(options: RunOptions = {}): Promise<Probot> {
  await sharedPool().ready();
  const probot = new Probot({ appId: 123, privateKey: PRIVATE_KEY, Octokit: FastWardenOctokit, logLevel: 'fatal' });
  await probot.load(warden({ rules: TEST_RULES, now: () => NOW, ...options }));
  return probot;
}

interface Fault {
  method: string;
  path: RegExp;
  status: number;
  message: string;
  /** How many matching requests fail (Infinity: all). */
  times: number;
  headers?: Record<string, string>;
  /** Only requests whose body this accepts. */
  when?: (body: unknown) => boolean;
  /** GitHub did the write before failing (a review created, then a 5xx). */
  applied?: boolean;
}

interface HeldRun {
  head_sha: string;
  external_id: string;
  status: string;
  conclusion: string | null;
  started_at: string;
}

const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

/**
 * The fake GitHub with faults, check runs held as GitHub holds them (so a redelivery sees the earlier run), and
 * optionally GitHub's own check of review anchors against the diff as it is at the time of the request.
 */
class FaultyGitHub extends FakeGitHub {
  faults: Fault[] = [];
  /** Check runs by id, as the accepted writes left them. */
  readonly runs = new Map<number, HeldRun>();
  /** Reject (422) a review with a comment outside the hunks of the current diff, as GitHub does. */
  checkAnchors = false;
  /** Called when a request arrives, before it is answered (e.g. a push lands meanwhile). */
  onRequest?: (method: string, path: string) => void;

  override handle(method: string, url: string, body: unknown): Reply {
    const path = decodeURIComponent(new URL(url, 'https://api.github.com').pathname);
    this.onRequest?.(method, path);
    const listing = method === 'GET' ? /\/commits\/([0-9a-f]{40})\/check-runs$/.exec(path) : null;
    if (listing) {
      this.requests.push({ method, path, body });
      const runs = [...this.runs].filter(([, r]) => r.head_sha === listing[1]).map(([id, r]) => ({ id, name: 'Warden', ...r }));
      return { status: 200, body: { total_count: runs.length, check_runs: runs } };
    }
    // The base fake records the request and checks its body against the schemas, faulted or not.
    const reply = super.handle(method, url, body);
    const fault = this.faults.find((f) => f.times > 0 && f.method === method && f.path.test(path) && (!f.when || f.when(body)));
    if (fault) {
      fault.times--;
      // A fault that fails the answer only: GitHub did the write, then answered with an error.
      if (!fault.applied && method === 'POST' && path.endsWith('/reviews') && reply.status < 400) this.accepted.pop();
      return { status: fault.status, body: { message: fault.message }, headers: fault.headers ?? {} };
    }
    if (this.checkAnchors && method === 'POST' && path.endsWith('/reviews') && !this.anchorsInDiff(body as ReviewBody)) {
      return { status: 422, body: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] } };
    }
    if (method === 'POST' && path.endsWith('/check-runs')) {
      const b = body as Record<string, string>;
      this.runs.set((reply.body as { id: number }).id, { head_sha: b.head_sha!, external_id: b.external_id!, status: b.status!, conclusion: b.conclusion ?? null, started_at: b.started_at ?? NOW.toISOString() });
    }
    const run = method === 'PATCH' ? /\/check-runs\/(\d+)$/.exec(path) : null;
    if (run) {
      const held = this.runs.get(Number(run[1]))!;
      const b = body as Partial<HeldRun>;
      this.runs.set(Number(run[1]), { ...held, ...(b.status ? { status: b.status } : {}), ...(b.conclusion ? { conclusion: b.conclusion } : {}) });
    }
    return reply;
  }

  /** Every comment on head-side lines of one hunk of the file's patch as it is now (hunk headers only: independent of src/diff.ts). */
  private anchorsInDiff(body: ReviewBody): boolean {
    return (body.comments ?? []).every((c) => {
      const f = this.state.files.find((x) => x.path === c.path);
      if (!f || f.head === undefined) return false;
      const hunks = [...githubPatch((f.base ?? '').toString(), f.head.toString()).matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)].map((m) => ({ start: Number(m[1]), end: Number(m[1]) + Number(m[2] ?? 1) - 1 }));
      const first = c.start_line ?? c.line;
      return hunks.some((h) => h.start <= first && c.line <= h.end);
    });
  }

  fail(fault: Omit<Fault, 'times' | 'message'> & Partial<Pick<Fault, 'times' | 'message'>>): this {
    this.faults.push({ times: 1, message: 'Server Error', ...fault });
    return this;
  }

  /**
   * Check runs still `in_progress` as GitHub shows a commit's checks (its latest run of the name, per external
   * id): must be none.
   */
  get leftInProgress(): number[] {
    const latest = new Map<string, [number, HeldRun]>();
    for (const [id, run] of this.runs) latest.set(`${run.head_sha} ${run.external_id}`, [id, run]);
    return [...latest.values()].filter(([, r]) => r.status !== 'completed').map(([id]) => id);
  }

  /** The last status-setting write to the one run on `sha` (its create, or an update): it must complete the run. */
  finalRun(sha: string): Record<string, unknown> {
    const ids = [...this.runs].filter(([, r]) => r.head_sha === sha).map(([id]) => String(id));
    expect(ids).toHaveLength(1);
    const writes = this.requests
      .filter((r) => (r.method === 'POST' && r.path.endsWith('/check-runs') && (r.body as { head_sha: string }).head_sha === sha) || (r.method === 'PATCH' && r.path.endsWith(`/check-runs/${ids[0]}`)))
      .map((r) => r.body as Record<string, unknown>)
      .filter((b) => b.status !== undefined);
    const last = writes.at(-1)!;
    expect(last.status).toBe('completed');
    return last;
  }
}

interface ReviewBody {
  commit_id: string;
  body: string;
  event: string;
  comments?: { path: string; line: number; start_line?: number; body: string }[];
}

let fakes: FaultyGitHub[] = [];
function github(state: Partial<FakeState>): FaultyGitHub {
  nock.cleanAll();
  const fake = new FaultyGitHub(fakeState(state));
  fakes.push(fake);
  serveWithNock(fake);
  return fake;
}

afterEach(() => {
  const checked = fakes;
  // Cleared first: a failing check must not fail the tests after it.
  fakes = [];
  nock.cleanAll();
  for (const fake of checked) {
    // Every review and check-run body sent matched GitHub's closed request schemas; no unknown endpoint was called.
    expect(fake.schemaErrors).toEqual([]);
    expect(fake.unexpected).toEqual([]);
    // The run is never left in progress.
    expect(fake.runs.size).toBeGreaterThan(0);
    expect(fake.leftInProgress).toEqual([]);
  }
});

const summaryOf = (body: Record<string, unknown>) => (body.output as { summary: string }).summary;
const titleOf = (body: Record<string, unknown>) => (body.output as { title: string }).title;
const reviewBodies = (fake: FakeGitHub) => fake.reviews as unknown as ReviewBody[];
const TWO_FILES = [
  { path: 'k8s/a.yaml', head: deployment('a') },
  { path: 'k8s/b.yaml', head: deployment('b') },
];

describe('5xx: retried by the retry plugin, then reported', () => {
  test('a 5xx on reads (file list, blob query, review threads) and on writes (check run, review) is retried; the run posts once and completes', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] })
      .fail({ method: 'GET', path: /\/pulls\/2\/files$/, status: 502, message: 'Bad Gateway', times: 2 })
      .fail({ method: 'POST', path: /^\/graphql$/, status: 500, when: (b) => (b as { query: string }).query.includes('... on Blob') })
      .fail({ method: 'POST', path: /^\/graphql$/, status: 502, message: 'Bad Gateway', when: (b) => (b as { query: string }).query.includes('reviewThreads') })
      .fail({ method: 'POST', path: /\/check-runs$/, status: 503, message: 'Service Unavailable' })
      .fail({ method: 'POST', path: /\/reviews$/, status: 500 })
      .fail({ method: 'PATCH', path: /\/check-runs\/\d+$/, status: 500 });
    // In progress first, so that both check-run writes (create, then complete) meet a fault.
    const probot = await makeProbot({ inProgressAfterMs: 0 });
    await probot.receive(pullRequestEvent('opened'));

    expect(fake.faults.map((f) => f.times)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(fake.count('GET', /\/pulls\/2\/files$/)).toBe(3);
    // A failed blob query is not sent again (blob queries go past the retry plugin): its blob is read through REST.
    expect(fake.blobQueries).toHaveLength(1);
    expect(fake.count('GET', /\/git\/blobs\//)).toBe(1);
    expect(fake.count('POST', /^\/graphql$/)).toBe(3);
    expect(fake.count('POST', /\/check-runs$/)).toBe(2);
    expect(fake.count('PATCH', /\/check-runs\/\d+$/)).toBe(2);
    // The review is not retried blindly: Warden read the reviews, saw it was not created, and sent it again.
    expect(fake.count('GET', /\/pulls\/2\/reviews$/)).toBe(1);
    expect(fake.reviews).toHaveLength(2);
    expect(fake.reviews[1]).toEqual(fake.reviews[0]);
    expect(fake.accepted).toHaveLength(1);
    // One run: the retried create made it, and the retried update completed it, with the findings and no problem.
    expect(fake.runs.size).toBe(1);
    const done = fake.finalRun(HEAD);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '2 findings at or above high' } });
    expect(summaryOf(done)).toContain('1 inline comment posted with this run.');
  });

  test('a 5xx from a review GitHub did create: found by its marker among the reviews, not posted twice', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] }).fail({ method: 'POST', path: /\/reviews$/, status: 502, message: 'Bad Gateway', applied: true });
    await (await makeProbot()).receive(pullRequestEvent('opened', { delivery: 'delivery-1' }));
    expect(fake.reviews).toHaveLength(1);
    expect(fake.accepted.map((r) => r.body.includes(`<!-- warden:review ${HEAD} delivery-1 -->`))).toEqual([true]);
    expect(fake.count('GET', /\/pulls\/2\/reviews$/)).toBe(1);
    expect(fake.finalRun(HEAD)).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '2 findings at or above high' } });
    expect(summaryOf(fake.finalRun(HEAD))).toContain('1 inline comment posted with this run.');
  });

  test('a read that keeps failing: retried, then the run completes as a failure naming the status', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] }).fail({ method: 'GET', path: /\/pulls\/2\/files$/, status: 500, times: Infinity });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.count('GET', /\/pulls\/2\/files$/)).toBe(1 + RETRIES);
    expect(fake.reviews).toEqual([]);
    const done = fake.finalRun(HEAD);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Warden could not finish' } });
    // The reason once, then what to do; the title is not repeated as the summary's first line.
    const summary = summaryOf(done);
    expect(summary).toBe(`The review of ${HEAD} stopped: GitHub answered 500: Server Error.\n\n${RERUN_HINT}`);
    expect(summary).toContain('re-run this check');
  });

  test('a tree listing that keeps failing, for a change of code alone: the run fails (what deploys the change could not be learned), it does not pass', async () => {
    const fake = github({ files: [{ path: 'src/main.go', head: 'package main\n' }] }).fail({ method: 'GET', path: /\/git\/trees\//, status: 500, times: Infinity });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    const done = fake.finalRun(HEAD);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Warden could not finish' } });
    expect(summaryOf(done)).toContain('the repository could not be listed, to learn what deploys the changed files of names Warden does not read: Server Error (status 500).');
  });

  test('a review that keeps failing: retried, then the run completes as a failure with the reason and every finding', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] }).fail({ method: 'POST', path: /\/reviews$/, status: 502, message: 'Bad Gateway', times: Infinity });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    // Sent once without retries, then (not created) once more with the retry plugin's.
    expect(fake.reviews).toHaveLength(2 + RETRIES);
    const done = fake.finalRun(HEAD);
    expect(done).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Warden could not finish' },
    });
    const summary = summaryOf(done);
    expect(summary.startsWith(`> **the review could not be posted (GitHub answered 502: Bad Gateway)**\n\n${RERUN_HINT}`)).toBe(true);
    expect(summary.split('Bad Gateway')).toHaveLength(2);
    expect((done.output as { annotations: unknown[] }).annotations).toHaveLength(3);
  });
});

describe('an outage of check-run updates (issue 10)', () => {
  const NO_WAIT = { inProgressAfterMs: 0, completionRetryDelaysMs: [0, 0, 0, 0, 0] };

  test('updates failing for a while (10 requests in a row): the completion is retried until it lands, with the review\'s result', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] }).fail({ method: 'PATCH', path: /\/check-runs\/\d+$/, status: 502, message: 'Bad Gateway', times: 10 });
    await (await makeProbot(NO_WAIT)).receive(pullRequestEvent('opened'));
    expect(fake.faults[0]!.times).toBe(0);
    expect(fake.runs.size).toBe(1);
    expect(fake.finalRun(HEAD)).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '2 findings at or above high' } });
  });

  test('updates that never come back: a new run is created completed as a clear failure, and the stuck one is superseded', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] }).fail({ method: 'PATCH', path: /\/check-runs\/\d+$/, status: 503, message: 'Service Unavailable', times: Infinity });
    await (await makeProbot(NO_WAIT)).receive(pullRequestEvent('opened'));
    // Bounded: the first completion and five more, each with the retry plugin's retries.
    expect(fake.count('PATCH', /\/check-runs\/\d+$/)).toBe(6 * (1 + RETRIES));
    const [stuck, latest] = [...fake.runs.values()];
    expect(stuck).toMatchObject({ status: 'in_progress' });
    expect(latest).toMatchObject({ status: 'completed', conclusion: 'failure', head_sha: HEAD, external_id: stuck!.external_id });
    const created = fake.checkRunCreates.at(-1)!;
    expect(titleOf(created)).toBe('Warden could not finish');
    expect(summaryOf(created)).toContain('Completing this check run failed: GitHub answered 503: Service Unavailable.');
  });

  test('a completion GitHub refuses (422): not sent again as it was, completed as a plain failure naming the reason', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] }).fail({ method: 'PATCH', path: /\/check-runs\/\d+$/, status: 422, message: 'Invalid annotations', when: (b) => (b as { output?: { annotations?: unknown[] } }).output?.annotations !== undefined });
    await (await makeProbot(NO_WAIT)).receive(pullRequestEvent('opened'));
    expect(fake.count('PATCH', /\/check-runs\/\d+$/)).toBe(2);
    const done = fake.finalRun(HEAD);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Warden could not finish' } });
    expect(summaryOf(done)).toContain('GitHub answered 422: Invalid annotations');
  });
});

describe('secondary rate limits: the throttling plugin with Warden bounded handlers', () => {
  const limit = (times: number, retryAfter = '1') => ({ status: 403, message: SECONDARY, headers: { 'retry-after': retryAfter }, times });

  test('on the check run and on the review: waited out and retried, then written', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] })
      .fail({ method: 'POST', path: /\/check-runs$/, ...limit(2) })
      .fail({ method: 'POST', path: /\/reviews$/, ...limit(1) });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.reviews).toHaveLength(2);
    expect(fake.reviews[1]).toEqual(fake.reviews[0]);
    expect(fake.count('POST', /\/check-runs$/)).toBe(3);
    const done = fake.finalRun(HEAD);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '2 findings at or above high' } });
    expect(summaryOf(done)).toContain('1 inline comment posted with this run.');
  });

  test(`one that keeps coming: given up after ${MAX_RATE_LIMIT_RETRIES} retries, and the run completes with the reason`, async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] }).fail({ method: 'POST', path: /\/reviews$/, ...limit(Infinity) });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.reviews).toHaveLength(1 + MAX_RATE_LIMIT_RETRIES);
    const done = fake.finalRun(HEAD);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(titleOf(done)).toBe('Warden could not finish');
    expect(summaryOf(done)).toContain(`> **the review could not be posted (GitHub answered 403: ${SECONDARY})**\n\n${RERUN_HINT}`);
  });

  test('a retry-after longer than Warden waits: not retried, the run completes with the reason', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] }).fail({ method: 'POST', path: /\/reviews$/, ...limit(Infinity, '3600') });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.reviews).toHaveLength(1);
    expect(fake.finalRun(HEAD)).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });
});

describe('a 422 on the review: a line left the diff', () => {
  /** Between Warden's read and its review, b.yaml's diff shrinks to the lines around `replicas` (as after a push). */
  function shrinkB(fake: FaultyGitHub) {
    fake.checkAnchors = true;
    fake.onRequest = (method, path) => {
      if (method === 'POST' && path.endsWith('/reviews') && fake.reviews.length === 0) {
        fake.state.files[1] = { path: 'k8s/b.yaml', base: deployment('b').replace('replicas: 2', 'replicas: 1'), head: deployment('b') };
      }
    };
  }

  test('re-posted without the comment GitHub refused; its findings move to the check run', async () => {
    const fake = github({ files: structuredClone(TWO_FILES) });
    shrinkB(fake);
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));

    const [first, second] = reviewBodies(fake);
    expect(fake.reviews).toHaveLength(2);
    expect(first!.comments!.map((c) => c.path)).toEqual(['k8s/a.yaml', 'k8s/b.yaml']);
    // The file list was read again to find which anchor left the diff: only b.yaml's.
    expect(fake.count('GET', /\/pulls\/2\/files$/)).toBe(2);
    expect(second!.comments).toEqual([first!.comments![0]]);
    expect(second!.body).toContain('6 new findings, 4 at or above high; 1 inline comment below.');
    expect(second!.body).toContain("3 findings sit where this pull request's diff cannot take a comment, so they are in the check run only.");

    const done = fake.finalRun(HEAD);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '4 findings at or above high' } });
    const summary = summaryOf(done);
    expect(summary).toContain('1 inline comment posted with this run. GitHub refused 1 more comment (a line not in the diff it shows now): its findings are listed above as not commented inline.');
    // b.yaml's three findings are in the summary, marked as not commented inline; a.yaml's are not marked.
    const rows = (file: string) => summary.split('\n').filter((l) => l.startsWith('|') && l.includes(`\`${file}:`));
    expect(rows('k8s/b.yaml')).toHaveLength(3);
    expect(rows('k8s/b.yaml').every((r) => r.includes('not commented inline'))).toBe(true);
    expect(rows('k8s/a.yaml').some((r) => r.includes('not commented inline'))).toBe(false);
  });

  test('a 422 the fresh diff does not explain: re-posted without inline comments, every finding in the check run', async () => {
    const fake = github({ files: structuredClone(TWO_FILES) }).fail({
      method: 'POST',
      path: /\/reviews$/,
      status: 422,
      message: 'Unprocessable Entity',
      times: Infinity,
      when: (body) => ((body as ReviewBody).comments ?? []).length > 0,
    });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    const [first, second] = reviewBodies(fake);
    expect(fake.reviews).toHaveLength(2);
    expect(first!.comments).toHaveLength(2);
    expect(second!.comments).toBeUndefined();
    expect(second!.body).toContain('0 inline comments below.');
    const done = fake.finalRun(HEAD);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '4 findings at or above high' } });
    expect(summaryOf(done)).toContain('GitHub refused 2 more comments');
    expect((done.output as { annotations: unknown[] }).annotations).toHaveLength(6);
  });

  test('refused every time: at most three attempts, then the run completes as a failure with the reason', async () => {
    const fake = github({ files: structuredClone(TWO_FILES) }).fail({ method: 'POST', path: /\/reviews$/, status: 422, message: 'Unprocessable Entity', times: Infinity });
    shrinkB(fake);
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    // All comments, then without b.yaml's, then none.
    expect(reviewBodies(fake).map((r) => r.comments?.length ?? 0)).toEqual([2, 1, 0]);
    const done = fake.finalRun(HEAD);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Warden could not finish' } });
    expect(summaryOf(done)).toContain('> **the review could not be posted (GitHub answered 422: Unprocessable Entity)**');
  });
});

describe('a file gone at the head SHA', () => {
  test('its blob 404s: the other files are still reviewed, the file is named in the summary, the run completes', async () => {
    const gone = gitBlobSha(deployment('b'));
    const fake = github({ files: structuredClone(TWO_FILES) });
    fake.dropBlob(gone);
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    // Both asked for in one query; GraphQL had none for the gone one, REST answered 404, which is not retried.
    expect(fake.blobsAsked).toBe(3);
    expect(fake.count('GET', /\/git\/blobs\//)).toBe(1);
    expect(reviewBodies(fake).map((r) => r.comments!.map((c) => c.path))).toEqual([['k8s/a.yaml']]);
    const done = fake.finalRun(HEAD);
    // The two findings of a.yaml, and b.yaml not reviewed (fail closed), listed first with its reason.
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '3 findings at or above high' } });
    const summary = summaryOf(done);
    expect(summary).toContain(`| \`k8s/b.yaml\` | 1 | Warden could not review this file, so nothing in it was checked: gone at the head commit (GitHub answered 404 for blob ${gone.slice(0, 7)})`);
    expect(summary).toContain('1 file, 1 resource reviewed');
  });
});

describe('a redelivered webhook', () => {
  test('the same x-github-delivery again, even at another replica: no second review, no second check run', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
    await (await makeProbot()).receive(pullRequestEvent('opened', { delivery: 'delivery-1' }));
    expect(fake.reviews).toHaveLength(1);
    const before = fake.requests.length;

    // Another replica (no state shared but GitHub's): it reads the check runs on the SHA and stops.
    await (await makeProbot()).receive(pullRequestEvent('opened', { delivery: 'delivery-1' }));
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /app/installations/1/access_tokens', `GET /repos/Codertocat/Hello-World/commits/${HEAD}/check-runs`]);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.checkRunCreates).toHaveLength(1);
    expect([...fake.runs.values()]).toEqual([expect.objectContaining({ status: 'completed', external_id: `warden:review:delivery-1@${ON_MASTER}` })]);
  });

  test('a redelivered re-run request: a re-run ignores earlier runs on the SHA, so only the delivery id stops it', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
    await (await makeProbot()).receive(checkRunRerequestedEvent({ delivery: 'delivery-rerun' }));
    expect(fake.reviews).toHaveLength(1);
    const writes = fake.allWrites.length;

    await (await makeProbot()).receive(checkRunRerequestedEvent({ delivery: 'delivery-rerun' }));
    expect(fake.allWrites).toHaveLength(writes);
    expect(fake.count('GET', /\/pulls\/2\/files$/)).toBe(1);
    expect([...fake.runs.values()]).toEqual([expect.objectContaining({ status: 'completed', external_id: `warden:review:delivery-rerun@${ON_MASTER}` })]);
  });
});

describe('two deliveries for one commit at the same moment', () => {
  test('two copies of one webhook at two replicas: the earlier claim posts the one review, both runs complete with the same gate', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
    const [first, second] = [await makeProbot(), await makeProbot()];
    // The copy arrives while the first replica reads the check runs: neither has created one yet, so both go on.
    let copy: Promise<void> | undefined;
    fake.onRequest = (method, path) => {
      if (!copy && method === 'GET' && path.endsWith('/check-runs')) copy = second.receive(pullRequestEvent('opened', { delivery: 'delivery-1' }));
    };
    await first.receive(pullRequestEvent('opened', { delivery: 'delivery-1' }));
    await copy;

    expect(fake.reviews).toHaveLength(1);
    const runs = [...fake.runs].sort(([a], [b]) => a - b);
    expect(runs.map(([, r]) => `${r.status} ${r.conclusion}`)).toEqual(['completed failure', 'completed failure']);
    // The later claim names the earlier run in its summary.
    const later = fake.checkRunUpdates.find((u) => u.status === 'completed' && summaryOf(u).includes('posts the inline review'));
    expect(summaryOf(later!)).toContain(`Check run ${runs[0]![0]}, started for this commit at the same time, posts the inline review.`);
  });

  test('a run whose claim comes after an earlier run completed posts only what is not commented yet', async () => {
    // What the earlier run posted, as review threads.
    const earlier = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
    await (await makeProbot()).receive(pullRequestEvent('opened', { delivery: 'delivery-1' }));
    const threads = earlier.reviews.flatMap((r) => (r.comments as { path: string; body: string }[]).map((c, i) => ({ id: `PRRT_${i}`, path: c.path, body: c.body })));
    expect(threads.length).toBeGreaterThan(0);

    // A re-run read no threads at its start; the earlier run completes (and its comments appear) before this one claims.
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }], threads: [] });
    fake.runs.set(1, { head_sha: HEAD, external_id: 'warden:review:delivery-1', status: 'in_progress', conclusion: null, started_at: NOW.toISOString() });
    fake.onRequest = (method, path) => {
      if (method === 'POST' && path.endsWith('/check-runs')) {
        fake.runs.set(1, { ...fake.runs.get(1)!, status: 'completed', conclusion: 'failure' });
        fake.state.threads = threads;
      }
    };
    await (await makeProbot()).receive(checkRunRerequestedEvent({ delivery: 'delivery-rerun' }));
    expect(fake.reviews).toEqual([]);
    expect(fake.checkRun).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });
});

describe('two pushes in quick succession', () => {
  test('the run for the older head posts nothing and completes neutral; only the newest head posts', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
    const probot = await makeProbot({ inProgressAfterMs: 0 });
    // The second push lands while the first run reads the pull request's files; its delivery starts at once.
    let second: Promise<void> | undefined;
    fake.onRequest = (method, path) => {
      if (!second && method === 'GET' && path.endsWith('/pulls/2/files')) {
        fake.state.currentHead = HEAD2;
        second = probot.receive(pullRequestEvent('synchronize', { head: HEAD2, delivery: 'delivery-2' }));
      }
    };
    await probot.receive(pullRequestEvent('opened', { delivery: 'delivery-1' }));
    await second;

    expect(reviewBodies(fake).map((r) => r.commit_id)).toEqual([HEAD2]);
    expect(fake.finalRun(HEAD)).toMatchObject({ status: 'completed', conclusion: 'neutral', output: { title: 'Superseded by a newer commit' } });
    expect(fake.finalRun(HEAD2)).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '2 findings at or above high' } });
    // Both were shown in progress first, then completed.
    expect(fake.checkRunCreates.map((b) => `${b.head_sha} ${b.status}`)).toEqual([`${HEAD} in_progress`, `${HEAD2} in_progress`]);
  });
});
