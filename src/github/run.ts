// One Warden run on one head SHA of a pull request: config → files → review → comments → check run.
// Stateless: what an earlier run did is read back from GitHub (check runs' external_id, comment markers).
import { ConfigError, pathGlobs, resolveConfig, type Config } from '../config.js';
import { indexCandidates } from '../engine/repository-index.js';
import type { AnyRule } from '../engine/define-rule.js';
import { EMPTY_REPOSITORY, type RepositoryIndex, type RepositoryReader } from '../engine/repository.js';
import { SUPPRESSION_EXPIRED, SUPPRESSION_IN_PULL_REQUEST } from '../engine/meta-findings.js';
import type { Finding } from '../model.js';
import { review, type ReviewResult } from '../review.js';
import { RULE_IDS, RULES } from '../../rules/index.js';
import { CheckRun, buildReport, completeSurely, plainReport, RERUN_HINT, type CheckReport, type Conclusion } from './check-run.js';
import { planSuppressionComments, suppressionKeys } from './suppression-comments.js';
import { patchLines, type PatchLines } from '../diff.js';
import { anchorIsValid, planReview, toGitHubComment, type PlannedComment, type ReviewPlan } from './comments.js';
import { baseMark, hasReviewMarker, reviewMarker, runExternalId, type RunMark } from './markers.js';
import type { GitHub } from './octokit.js';
import { listPullFiles, readMergeGroup, readPullRequest, type PullRef, type ReadPullResult } from './pull-request.js';
import { BlobCache, GitTreeReader } from './repository.js';
import { render } from '../output/template.js';
import { trusted } from '../output/inert.js';
import { answerAndResolve, listWardenThreads, type ThreadAnswer, type WardenThread } from './threads.js';
import { claimPullRequest, ELSEWHERE_TITLES, failingElsewhere, skipReason } from './claims.js';
import { fixAllActions } from './fix-all.js';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RunTarget extends PullRef {
  draft: boolean;
  /** The webhook delivery (`x-github-delivery`) that asked for this run. */
  delivery: string;
  /**
   * A re-run the user asked for (check_run.rerequested), and a review against a base branch the pull request was
   * moved to (`base_changed`), run even when this SHA was reviewed already. A merge group (`merge_group`) has no
   * pull request (`number` is 0): its change is read from the trees of its base and head and gated the same way,
   * with the check run only.
   */
  trigger: 'pull_request' | 'rerequested' | 'base_changed' | 'merge_group';
  /** The URLs GitHub knows the repository by (web, https, ssh, git): a GitOps source from one deploys this repository's files. */
  repositoryUrls: readonly string[];
}

export interface RunOptions {
  rules?: readonly AnyRule[];
  /** Builds the index cross-resource rules read (repository at head); none: those rules stay silent. */
  /** `urls`: the repository's own (its GitOps sources' installs of its charts are indexed too). */
  buildRepositoryIndex?: (reader: RepositoryReader, config: Config, urls: readonly string[]) => Promise<RepositoryIndex>;
  /** A run still busy after this long shows `in_progress`; a faster one is created already completed (one write). */
  inProgressAfterMs?: number;
  now?: () => Date;
  /** Waits between attempts to complete a run whose completion failed (default COMPLETION_RETRY_DELAYS_MS). */
  completionRetryDelaysMs?: readonly number[];
  /** Waits for another base branch's run of the same commit still working, before passing (default OTHER_BASE_WAITS_MS). */
  otherBaseWaitsMs?: readonly number[];
}

export interface RunEnv extends RunOptions {
  octokit: GitHub;
  log: Log;
  /** The raw config object: Probot's `context.config('warden.yml')` (default branch, `_extends`). */
  loadConfig: () => Promise<unknown>;
}

export type RunOutcome =
  | { status: 'skipped'; reason: string }
  | { status: 'completed'; conclusion: Conclusion; title: string; comments: number; resolved: number; reviewPosted: boolean };

/**
 * Bounds on the repository index in the App: candidate files not read before cost a GraphQL query per 100, so a
 * repository with more candidate files than this gets an incomplete index (cross-resource rules then stay
 * silent) rather than tens of requests per review.
 */
export const INDEX_LIMITS = { maxFiles: 300, concurrency: 8 };

/**
 * Read ahead, in batches, the files the repository index reads one by one (src/engine/repository-index.ts picks
 * the same candidates): a few GraphQL queries instead of a request per file. A failure here is left to the index,
 * which reads again and reports what it could not.
 */
async function prefetchIndex(reader: GitTreeReader, config: Config): Promise<void> {
  try {
    const wanted = pathGlobs(config);
    await reader.prefetch(indexCandidates(await reader.paths(), wanted, INDEX_LIMITS.maxFiles).read);
  } catch {
    // The index meets the same failure and says so.
  }
}

export function reasonOf(error: unknown): string {
  const e = error as { status?: number; message?: string };
  const message = (e?.message ?? String(error)).split('\n')[0]!.slice(0, 300);
  return e?.status ? `GitHub answered ${e.status}: ${message}` : message;
}

export async function loadConfig(env: Pick<RunEnv, 'loadConfig' | 'rules'>): Promise<Config> {
  let raw: unknown;
  try {
    raw = await env.loadConfig();
  } catch (error) {
    const message = (error as Error).message ?? '';
    // The config plugin's own parse errors (invalid YAML, bad `_extends`) are the user's to fix, not ours.
    if (message.startsWith('[@probot/octokit-plugin-config]')) {
      throw new ConfigError(message.replace('[@probot/octokit-plugin-config] ', '').replace(/ from https?:\/\/\S+/, ''), '(file)');
    }
    throw error;
  }
  // The ids of the rules this run uses (tests and benchmarks may pass their own) and Warden's own.
  const known = new Set([...RULE_IDS, ...(env.rules ?? []).map((r) => r.id)]);
  return resolveConfig(raw, known);
}

/** Threads whose findings are gone (fixed, suppressed, or their file left the pull request), with the reply. */
export function threadsToResolve(
  threads: readonly WardenThread[],
  result: ReviewResult,
  read: Pick<ReadPullResult, 'changedPaths' | 'removedPaths'>,
  headSha: string,
): ThreadAnswer[] {
  // A finding that states others too (a namespace's workloads) keeps their threads open.
  const current = new Map<string, Finding>(result.findings.flatMap((f) => [f.fingerprint, ...(f.also ?? [])].map((fp) => [fp, f] as const)));
  // A file that did not parse hides its findings: that is not a fix.
  const reviewedCleanly = new Set(result.scan.files.filter((f) => f.errors.length === 0).map((f) => f.file));
  // A comment on a suppression this pull request still adds stays open.
  const suppressions = suppressionKeys(result.findings);
  const gating = new Set(result.gating);
  const answers: ThreadAnswer[] = [];
  for (const thread of threads) {
    if (thread.isResolved || thread.fingerprints.some((fp) => suppressions.has(fp))) continue;
    const left = !read.changedPaths.has(thread.path) || read.removedPaths.has(thread.path);
    if (!left && !reviewedCleanly.has(thread.path)) continue;
    const present = thread.fingerprints.map((fp) => current.get(fp)).filter((f): f is Finding => f !== undefined);
    // A suppression that does not lift the gate (`deny`) does not close the finding's thread either.
    if (present.some((f) => !f.suppressed || gating.has(f))) continue;
    const reason = present.map((f) => f.suppressed?.reason).find(Boolean);
    answers.push({
      threadId: thread.id,
      body: render('thread-resolved.md', present.length > 0 ? { suppressed: true, sha: headSha, reason: reason ?? 'no reason given' } : { fixed: true, sha: headSha }).trim(),
    });
  }
  return answers;
}

function reviewBody(result: ReviewResult, plan: ReviewPlan, config: Config, target: RunTarget): string {
  const headSha = target.headSha;
  const open = result.findings.filter((f) => !f.suppressed && !f.preExisting);
  const n = plan.comments.length;
  const summary =
    `${open.length} new finding${open.length === 1 ? '' : 's'}` +
    (result.gating.length > 0 ? `, ${result.gating.length} at or above ${config.gate}` : `, none at or above ${config.gate}`) +
    `; ${n} inline comment${n === 1 ? '' : 's'} below.`;
  const more: string[] = [];
  const cap = config.review.max_comments;
  if (plan.overflow.length > 0) {
    more.push(`${plan.overflow.length} more finding${plan.overflow.length === 1 ? ' is' : 's are'} in the check run only (at most ${cap} comment${cap === 1 ? '' : 's'} per review).`);
  }
  if (plan.checkRunOnly.length > 0) {
    more.push(`${plan.checkRunOnly.length} finding${plan.checkRunOnly.length === 1 ? ' sits' : 's sit'} where this pull request's diff cannot take a comment, so ${plan.checkRunOnly.length === 1 ? 'it is' : 'they are'} in the check run only.`);
  }
  return render('review-body.md', { sha: headSha, summary, more: more.join(' '), marker: trusted(reviewMarker(headSha, target.delivery)) })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

type ReviewRequest = Parameters<GitHub['rest']['pulls']['createReview']>[0] & { body: string };

/** Pages of reviews read when looking for one a failed request may have created. */
const MAX_REVIEW_PAGES = 10;

/**
 * Create the review exactly once. A review is not idempotent: GitHub can create it and still answer 5xx, and a
 * blind retry would post every comment twice. So the request goes without the retry plugin's retries; after a
 * 5xx the pull request's reviews are read for this run's marker, and the request is sent again (with retries)
 * only when GitHub did not create it.
 */
async function createReviewOnce(octokit: GitHub, target: RunTarget, request: ReviewRequest): Promise<void> {
  try {
    await octokit.rest.pulls.createReview({ ...request, request: { retries: 0 } });
    return;
  } catch (error) {
    if (((error as { status?: number }).status ?? 0) < 500) throw error;
  }
  const marker = reviewMarker(target.headSha, target.delivery);
  let pages = 0;
  for await (const { data } of octokit.paginate.iterator(octokit.rest.pulls.listReviews, { owner: target.owner, repo: target.repo, pull_number: target.number, per_page: 100 })) {
    if (data.some((review) => hasReviewMarker(review.body, marker))) return;
    if (++pages >= MAX_REVIEW_PAGES) break;
  }
  await octokit.rest.pulls.createReview(request);
}

/** The plan with only `kept` of its comments; the findings of the others move to the check run. */
function withComments(plan: ReviewPlan, kept: readonly PlannedComment[]): ReviewPlan {
  const dropped = plan.comments.filter((c) => !kept.includes(c));
  return { comments: [...kept], overflow: plan.overflow, checkRunOnly: [...plan.checkRunOnly, ...dropped.flatMap((c) => c.findings)] };
}

interface PostedReview {
  /** The plan as finally posted (or last tried): comments GitHub refused are in its `checkRunOnly`. */
  plan: ReviewPlan;
  /** Inline comments left out because GitHub would not take them. */
  refused: number;
  posted: boolean;
  error?: unknown;
}

/**
 * Post the review. GitHub refuses the whole review (422) when one comment's line is not in the diff as it sees
 * it (the head moved, or its diff differs from the one Warden read), and its message does not say which. Then
 * read the file list again and retry without the comments whose anchors left its hunks; when that names none
 * (or is refused too), retry once more without inline comments. Every finding stays in the check run.
 */
async function postReview(octokit: GitHub, target: RunTarget, plan: ReviewPlan, request: (plan: ReviewPlan) => Promise<unknown>): Promise<PostedReview> {
  let error: unknown;
  try {
    await request(plan);
    return { plan, refused: 0, posted: true };
  } catch (e) {
    if ((e as { status?: number }).status !== 422) return { plan, refused: 0, posted: false, error: e };
    error = e;
  }
  let kept = plan.comments;
  try {
    const fresh = new Map<string, PatchLines>();
    for (const f of await listPullFiles(octokit, target)) if (f.patch !== undefined) fresh.set(f.filename, patchLines(f.patch));
    kept = plan.comments.filter((c) => anchorIsValid(c, fresh));
  } catch {
    // The diff cannot be read again: the attempt without inline comments still stands.
  }
  const attempts = kept.length < plan.comments.length && kept.length > 0 ? [kept, []] : [[]];
  let last = plan;
  for (const comments of attempts) {
    last = withComments(plan, comments);
    try {
      await request(last);
      return { plan: last, refused: plan.comments.length - comments.length, posted: true };
    } catch (e) {
      error = e;
      if ((e as { status?: number }).status !== 422) break;
    }
  }
  return { plan: last, refused: plan.comments.length - last.comments.length, posted: false, error };
}

const PASSING_CONCLUSIONS = new Set<Conclusion>(['success', 'neutral']);

/**
 * A passing report, unless the same commit heads an open pull request into another base branch whose `Warden` run
 * failed, or still works after a wait: one check run per commit answers for both (src/github/claims.ts
 * failingElsewhere). What cannot be looked up fails too.
 */
async function unlessFailingElsewhere(report: CheckReport, target: RunTarget, env: RunEnv, ownRun: number | null): Promise<CheckReport> {
  try {
    const other = await failingElsewhere(env, target, ownRun);
    if (!other) return report;
    if (other.working) {
      return plainReport(
        'failure',
        ELSEWHERE_TITLES.working(other.number),
        `${target.headSha} is also the head of pull request #${other.number} into \`${other.base}\`, where Warden's check (check run ${other.run}) was still running after this run waited for it. GitHub keeps one \`Warden\` check per commit for every pull request of it, so this run cannot pass before that one ends.`,
        `Re-run this check once that one has completed.`,
      );
    }
    return plainReport(
      'failure',
      ELSEWHERE_TITLES.failing(other.number),
      `${target.headSha} is also the head of pull request #${other.number} into \`${other.base}\`, where Warden's check failed (check run ${other.run}). GitHub keeps one \`Warden\` check per commit for every pull request of it, so this run cannot pass while that one fails.`,
      `Fix what Warden found there, or close that pull request; then re-run this check.`,
    );
  } catch (error) {
    env.log.error(`warden: the other pull requests of this commit could not be looked up: ${reasonOf(error)}`);
    return plainReport('failure', 'Warden could not finish', `Whether another pull request of ${target.headSha} fails Warden could not be learned: ${reasonOf(error)}.`, RERUN_HINT);
  }
}

/** Never leave a run in progress: retried, else completed as a plain failure (src/github/check-run.ts). */
function complete(checkRun: CheckRun, report: CheckReport, env: RunEnv): Promise<CheckReport> {
  return completeSurely(
    checkRun,
    report,
    (error) => {
      env.log.error(`warden: completing the check run failed: ${reasonOf(error)}`);
      return plainReport('failure', 'Warden could not finish', `Completing this check run failed: ${reasonOf(error)}.`, RERUN_HINT);
    },
    env.completionRetryDelaysMs,
  );
}

export async function runWarden(target: RunTarget, env: RunEnv): Promise<RunOutcome> {
  const { octokit, log } = env;
  const repo = { owner: target.owner, repo: target.repo };
  const mergeGroup = target.trigger === 'merge_group';
  const mode: RunMark['mode'] = target.draft || mergeGroup ? 'check' : 'review';
  const skip = await skipReason(env, target, mode);
  if (skip) {
    log.info(`warden: skipped: ${skip}`);
    return { status: 'skipped', reason: skip };
  }

  const checkRun = new CheckRun(octokit, repo, { headSha: target.headSha, externalId: runExternalId({ delivery: target.delivery, mode, ...(target.baseRef !== undefined ? { base: baseMark(target.baseRef) } : {}) }), now: env.now });
  const timer = setTimeout(() => {
    checkRun.start().catch((error) => log.warn(`warden: could not create the in-progress check run: ${reasonOf(error)}`));
  }, env.inProgressAfterMs ?? 2000);
  let report: CheckReport;
  let comments = 0;
  let resolved = 0;
  let reviewPosted = false;
  try {
    const config = await loadConfig(env);
    const blobs = new BlobCache(octokit, repo);
    // The head commit's tree, listed once when first asked: for the repository index, a module's other files, and
    // telling a symbolic link among the changed files.
    const reader = new GitTreeReader(octokit, repo, target.headSha, blobs);
    const read = mergeGroup ? await readMergeGroup(octokit, target, config, blobs) : await readPullRequest(octokit, target, config, blobs, () => reader.entries());
    // Without an index, cross-resource rules stay silent (it is incomplete); its URLs still tell this repository.
    let repository: RepositoryIndex = { ...EMPTY_REPOSITORY, urls: target.repositoryUrls };
    // A change that only deletes files is reviewed too: what they took away from the rest (src/lost-protections.ts).
    const hasIac = read.files.length > 0 || read.removed.length > 0;
    if (env.buildRepositoryIndex && hasIac) {
      await prefetchIndex(reader, config);
      repository = { ...(await env.buildRepositoryIndex(reader, config, target.repositoryUrls)), urls: target.repositoryUrls };
    }
    const rules = env.rules ?? RULES;
    // Pre-existing findings are listed, never commented inline: their fixes need not be rendered.
    const written = [...read.changedPaths].filter((path) => !read.removedPaths.has(path));
    // The tree the change is against, listed only when it writes a chart's dependency archive (what that replaces):
    // a merge group's base; a pull request's merge base with its base branch, as its diff is (one request more).
    const mergeBase = async () => (await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${target.baseSha}...${target.headSha}`, per_page: 1 })).data.merge_base_commit.sha;
    const baseReader = new GitTreeReader(octokit, repo, mergeGroup ? target.baseSha : mergeBase, blobs);
    const result = await review({ files: read.files, removed: read.removed, written, writtenPatches: read.listedPatches, config, repository, rules, fixPreExisting: false, reader, baseReader, now: env.now });
    // What these say, the check run's sections on suppressions and the comments on suppression lines say already.
    result.findings = result.findings.filter((f) => f.ruleId !== SUPPRESSION_EXPIRED && f.ruleId !== SUPPRESSION_IN_PULL_REQUEST);

    let plan: ReviewPlan | null = null;
    let answers: ThreadAnswer[] = [];
    if (mode === 'review') {
      const threads = await listWardenThreads(octokit, target);
      const alreadyCommented = new Set(threads.flatMap((t) => t.fingerprints));
      plan = await planReview({ findings: result.findings, patches: result.patches, files: result.scan.files, config, rules, repository, alreadyCommented });
      plan.comments.push(...planSuppressionComments(result.findings, result.patches, config, alreadyCommented));
      answers = threadsToResolve(threads, result, read, target.headSha);
    }

    // The head may have moved while this run worked: its comments would land on stale lines. Say so and stop.
    // (A merge group's head never moves: a changed queue is a new merge group.)
    const current = mergeGroup ? null : (await octokit.rest.pulls.get({ ...repo, pull_number: target.number })).data;
    if (current && current.head.sha !== target.headSha) {
      clearTimeout(timer);
      report = plainReport('neutral', 'Superseded by a newer commit', `The pull request moved on to ${current.head.sha} while Warden reviewed ${target.headSha}; the newer commit gets its own run.`);
      const completed = await complete(checkRun, report, env);
      return { status: 'completed', conclusion: completed.conclusion, title: completed.title, comments: 0, resolved: 0, reviewPosted: false };
    }
    // Moved to another base branch meanwhile: this review is of what it no longer merges. Its run is on the same
    // commit the new base's run is, so it must not pass in that one's place (a neutral run would).
    if (current && target.baseRef !== undefined && current.base.ref !== target.baseRef) {
      clearTimeout(timer);
      report = plainReport('failure', 'Superseded: the pull request moved to another base branch', `The pull request now merges into \`${current.base.ref}\`, not \`${target.baseRef}\`, which Warden reviewed it against; the run for the new base decides (re-run this one if it is the last).`);
      const completed = await complete(checkRun, report, env);
      return { status: 'completed', conclusion: completed.conclusion, title: completed.title, comments: 0, resolved: 0, reviewPosted: false };
    }

    const problems: string[] = [];
    let refused = 0;
    let yieldedTo: number | null = null;
    if (plan && (plan.comments.length > 0 || answers.length > 0)) {
      const claim = await claimPullRequest(env, target, mode, checkRun, { plan, answers });
      if ('yieldTo' in claim) {
        yieldedTo = claim.yieldTo;
        answers = [];
        log.info(`warden: check run ${claim.yieldTo} claimed ${target.headSha} first: this run writes no review`);
      } else {
        ({ plan, answers } = claim);
      }
    }
    if (plan && plan.comments.length > 0 && yieldedTo === null) {
      const event = config.review.event === 'REQUEST_CHANGES' && result.gating.length > 0 ? 'REQUEST_CHANGES' : 'COMMENT';
      const posted = await postReview(octokit, target, plan, (p) =>
        createReviewOnce(octokit, target, {
          ...repo,
          pull_number: target.number,
          commit_id: target.headSha,
          body: reviewBody(result, p, config, target),
          event,
          ...(p.comments.length > 0 ? { comments: p.comments.map(toGitHubComment) } : {}),
        }),
      );
      plan = posted.plan;
      refused = posted.refused;
      if (posted.posted) {
        reviewPosted = true;
        comments = plan.comments.length;
      } else {
        problems.push(`the review could not be posted (${reasonOf(posted.error)})`);
      }
    }
    if (answers.length > 0) {
      try {
        await answerAndResolve(octokit, answers);
        resolved = answers.length;
      } catch (error) {
        problems.push(`fixed threads could not be resolved (${reasonOf(error)})`);
      }
    }
    // A change of no manifest may still deploy one (a file a kustomization lists under another name): its finding says so.
    const noIac = !hasIac && result.findings.length === 0;
    report = noIac
      ? plainReport('success', 'No Kubernetes or Terraform changes', `None of the ${read.listed} changed files is a Kubernetes manifest or Terraform file that \`.github/warden.yml\` includes.`)
      : buildReport({
          result,
          config,
          plan,
          problems,
          review: mergeGroup
            ? 'This is a merge group: Warden reviewed its change against its base branch; inline comments are on its pull requests.'
            : mode === 'check'
            ? 'This is a draft: Warden posts its inline review when the pull request is ready for review.'
            : yieldedTo !== null
              ? `Check run ${yieldedTo}, started for this commit at the same time, posts the inline review.`
              : reviewPosted
              ? `${comments} inline comment${comments === 1 ? '' : 's'} posted with this run.` +
                (refused > 0
                  ? ` GitHub refused ${refused} more comment${refused === 1 ? '' : 's'} (a line not in the diff it shows now): ${refused === 1 ? 'its' : 'their'} findings are listed above as not commented inline.`
                  : '')
              : '',
        });
    if (!noIac) report.actions = fixAllActions(result, config);
    // A finding in a file the change deletes has no line at head to annotate: the summary lists it.
    report.annotations = report.annotations.filter((a) => !read.removedPaths.has(a.path));
  } catch (error) {
    if (error instanceof ConfigError) {
      report = plainReport(
        'failure',
        `Invalid .github/warden.yml: ${error.key}`,
        `\`.github/warden.yml\` (read from the default branch) is invalid: ${error.message}.`,
        'Fix the configuration on the default branch, then re-run this check.',
      );
    } else {
      log.error(`warden: run failed: ${reasonOf(error)}`);
      report = plainReport('failure', 'Warden could not finish', `The review of ${target.headSha} stopped: ${reasonOf(error)}.`, RERUN_HINT);
    }
  } finally {
    clearTimeout(timer);
  }
  if (!mergeGroup && PASSING_CONCLUSIONS.has(report.conclusion)) report = await unlessFailingElsewhere(report, target, env, checkRun.id);
  const completed = await complete(checkRun, report, env);
  return { status: 'completed', conclusion: completed.conclusion, title: completed.title, comments, resolved, reviewPosted };
}
