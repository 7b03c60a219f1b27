// Which run of a commit writes to its pull request, decided from GitHub's own state (its check runs), so that any
// replica can take any delivery: a redelivered webhook is stopped by its delivery id, a commit already reviewed
// by its completed run, and two deliveries that arrive together by the order in which they claim.
import { CHECK_NAME, type CheckRun } from './check-run.js';
import type { ReviewPlan } from './comments.js';
import { baseMark, parseRunExternalId, type RunMark } from './markers.js';
import type { RunEnv, RunTarget } from './run.js';
import { listWardenThreads, type ThreadAnswer } from './threads.js';

/** In-progress runs younger than this are taken to be another delivery's run still working. */
const FRESH_RUN_MS = 10 * 60 * 1000;

interface WardenRun {
  id: number;
  mark: RunMark;
  completed: boolean;
  conclusion: string | null;
  /** In progress and started recently: another run still working, not one that died. */
  working: boolean;
  /** Failed only for another pull request of its commit (unlessFailingElsewhere): its own review passed. */
  failedOnlyElsewhere: boolean;
}

/** The titles of a run whose own review passed, failing for another pull request of its commit (src/github/run.ts). */
export const ELSEWHERE_TITLES = {
  failing: (number: number) => `This commit fails Warden in pull request #${number}`,
  working: (number: number) => `This commit is still under review in pull request #${number}`,
};

function failedOnlyElsewhere(title: string | null | undefined): boolean {
  const number = /#(\d+)$/.exec(title ?? '')?.[1];
  return number !== undefined && Object.values(ELSEWHERE_TITLES).some((titled) => titled(Number(number)) === title);
}

/** Warden's check runs on the head SHA, as GitHub holds them: what other runs (any replica) did or are doing. */
async function wardenRuns(env: RunEnv, target: RunTarget): Promise<WardenRun[]> {
  const { data } = await env.octokit.rest.checks.listForRef({
    owner: target.owner,
    repo: target.repo,
    ref: target.headSha,
    check_name: CHECK_NAME,
    filter: 'all',
    per_page: 100,
  });
  const now = (env.now ?? (() => new Date()))().getTime();
  return data.check_runs.flatMap((run) => {
    const mark = parseRunExternalId(run.external_id);
    if (!mark) return [];
    const completed = run.status === 'completed';
    const started = run.started_at ? Date.parse(run.started_at) : 0;
    return [{ id: run.id, mark, completed, conclusion: run.conclusion ?? null, working: !completed && now - started < FRESH_RUN_MS, failedOnlyElsewhere: failedOnlyElsewhere(run.output?.title) }];
  });
}

/** Whether a run reviewed against the target's base branch (as far as it recorded one: runs before it did are taken to). */
function sameBase(mark: RunMark, target: RunTarget): boolean {
  return mark.base === undefined || target.baseRef === undefined || mark.base === baseMark(target.baseRef);
}

/** Why this delivery should not run, or null. */
export async function skipReason(env: RunEnv, target: RunTarget, mode: RunMark['mode']): Promise<string | null> {
  for (const run of await wardenRuns(env, target)) {
    if (run.mark.delivery === target.delivery) return `delivery ${target.delivery} was handled already (check run ${run.id})`;
    // Asked for again, or against another base: what an earlier run of this SHA found does not stand in for it.
    if (target.trigger === 'rerequested' || target.trigger === 'base_changed') continue;
    // Nor does a run that reviewed it against another base branch (the pull request moved since, and back to this commit).
    if (!sameBase(run.mark, target)) continue;
    // A draft's check-only run does not stand in for the review the ready pull request gets.
    if (run.mark.mode === 'check' && mode === 'review') continue;
    if (run.completed) return `${target.headSha} was reviewed already (check run ${run.id})`;
    if (run.working) return `another run is reviewing ${target.headSha} (check run ${run.id})`;
  }
  return null;
}

export interface PullWrites {
  plan: ReviewPlan;
  answers: ThreadAnswer[];
}

/**
 * Two deliveries for one commit can pass skipReason together (a webhook redelivered at once, at another
 * replica). Before writing to the pull request, a run claims it with its check run, then looks again: the
 * earliest claim writes. A run that claimed later stands down while the earlier one works; once that one has
 * completed, this run writes only what is not there yet (a re-run after a config change can have new findings).
 * Returns the earlier run still working, or what to write.
 */
export async function claimPullRequest(env: RunEnv, target: RunTarget, mode: RunMark['mode'], checkRun: CheckRun, writes: PullWrites): Promise<{ yieldTo: number } | PullWrites> {
  try {
    await checkRun.start();
  } catch {
    return writes; // no claim can be made: write, as runs did before claims (the completion retries the check run)
  }
  // A run against another base branch writes nothing once it finds the base moved: it is not waited for.
  const earlier = (await wardenRuns(env, target)).filter((run) => run.id < checkRun.id! && run.mark.mode === mode && sameBase(run.mark, target));
  const working = earlier.find((run) => run.working);
  if (working) return { yieldTo: working.id };
  if (!earlier.some((run) => run.completed)) return writes;
  const threads = await listWardenThreads(env.octokit, target);
  const commented = new Set(threads.flatMap((t) => t.fingerprints));
  const open = new Set(threads.filter((t) => !t.isResolved).map((t) => t.id));
  return {
    plan: { ...writes.plan, comments: writes.plan.comments.filter((c) => !c.fingerprints.every((fp) => commented.has(fp))) },
    answers: writes.answers.filter((a) => open.has(a.threadId)),
  };
}

/** Conclusions that let a required check pass. */
const PASSING = new Set(['success', 'neutral', 'skipped']);

/** Pages of open pull requests read when looking for a fork's pull request of a commit (GitHub associates none). */
const MAX_PULL_PAGES = 10;

/**
 * Waits, one after another, for another base branch's run of the same commit that is still working, before a run
 * passes: about two minutes in all.
 */
export const OTHER_BASE_WAITS_MS: readonly number[] = [3000, 5000, 7000, ...Array<number>(10).fill(10_000)];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The open pull request of the same head commit into another base branch whose latest `Warden` run failed, or is
 * still working after the waits, or null. A check run belongs to a commit, not to a pull request: the `Warden` run of
 * a commit completed last is the one the branch protection of every pull request of that commit reads. Passing here
 * would lift that pull request's gate (a second pull request of the same commit into a branch that holds the change
 * already has nothing new). Two such runs at once would race: whichever completed last would answer for both, so a
 * run does not pass while the other base's run works, but waits for it (and fails, saying so, if it does not end).
 */
export async function failingElsewhere(env: RunEnv, target: RunTarget, ownRun: number | null = null): Promise<{ number: number; base: string; run: number; working: boolean } | null> {
  if (target.baseRef === undefined) return null;
  const ours = baseMark(target.baseRef);
  // Only a run created before this one's is waited for: one created after it completes after it too (it answers for
  // the commit then), and two runs waiting for each other would both give up. A run not created yet (a fast one is
  // created completed) is newer than any there.
  const waitedFor = (run: WardenRun) => run.working && (ownRun === null || run.id < ownRun);
  const latestOfOtherBases = (runs: readonly WardenRun[]) => {
    const latest = new Map<string, WardenRun>();
    for (const run of runs) {
      if (!(run.completed || waitedFor(run)) || run.mark.base === undefined || run.mark.base === ours) continue;
      const known = latest.get(run.mark.base);
      if (!known || run.id > known.id) latest.set(run.mark.base, run);
    }
    return latest;
  };
  let latest = latestOfOtherBases(await wardenRuns(env, target));
  for (const wait of env.otherBaseWaitsMs ?? OTHER_BASE_WAITS_MS) {
    if (![...latest.values()].some(waitedFor)) break;
    await sleep(wait);
    latest = latestOfOtherBases(await wardenRuns(env, target));
  }
  // A run that failed only for another pull request of the commit passed its own review: that other one's run is
  // read here itself. Counted as failing, it kept each failing for the other (one gave up waiting for this one).
  const failing = new Map([...latest].filter(([, run]) => run.working || (!PASSING.has(run.conclusion ?? '') && !run.failedOnlyElsewhere)));
  if (failing.size === 0) return null;
  const { octokit } = env;
  const repo = { owner: target.owner, repo: target.repo };
  const match = (pulls: readonly { number: number; state: string; head: { sha: string }; base: { ref: string } }[]) => {
    const pull = pulls.find((p) => p.state === 'open' && p.number !== target.number && p.head.sha === target.headSha && failing.has(baseMark(p.base.ref)));
    const run = pull ? failing.get(baseMark(pull.base.ref))! : null;
    return pull && run ? { number: pull.number, base: pull.base.ref, run: run.id, working: run.working } : null;
  };
  const { data: associated } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: target.headSha, per_page: 100 });
  const found = match(associated);
  if (found) return found;
  // A fork's commit is not associated with the base repository: look among the open pull requests.
  let pages = 0;
  for await (const { data } of octokit.paginate.iterator(octokit.rest.pulls.list, { ...repo, state: 'open', per_page: 100 })) {
    const inPage = match(data);
    if (inPage) return inPage;
    if (++pages >= MAX_PULL_PAGES) break;
  }
  return null;
}
