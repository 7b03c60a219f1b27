// Probot events → one Warden run. The only module that knows Probot's Context.
import type { Context } from 'probot';
import type { GitHub } from './octokit.js';
import { CHECK_NAME } from './check-run.js';
import { runWarden, type RunOptions, type RunOutcome, type RunTarget } from './run.js';

export const PULL_REQUEST_EVENTS = ['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'] as const;
export const MERGE_GROUP_EVENT = 'merge_group.checks_requested';
/** An edit of a pull request: only one that changes its base branch changes what it merges. */
export const PULL_REQUEST_EDITED = 'pull_request.edited';

/** The URLs a webhook's repository is known by. */
export function urlsOf(repository: { html_url?: string; clone_url?: string; ssh_url?: string; git_url?: string } | undefined): string[] {
  return [repository?.html_url, repository?.clone_url, repository?.ssh_url, repository?.git_url].filter((url): url is string => typeof url === 'string' && url !== '');
}

/** The config file, from the default branch through Probot (so `_extends` shares a policy). */
export function configLoader(context: Context): () => Promise<unknown> {
  // A repository's lists replace the extended ones rather than being appended to them.
  return () => context.config('warden.yml', undefined, { arrayMerge: (_target: unknown[], source: unknown[]) => source });
}

/**
 * A pull request moved to another base branch: the head commit is the same, but what it merges is not, and its
 * `Warden` run reviewed the change against the old base. It is reviewed again, against the new one: the new run is
 * the one the branch protection reads. Any other edit (title, body) changes nothing Warden reviews.
 */
export async function onPullRequestEdited(context: Context<'pull_request.edited'>, options: RunOptions = {}): Promise<RunOutcome> {
  if (!context.payload.changes?.base) return { status: 'skipped', reason: 'an edit that does not change the base branch' };
  return onPullRequest(context, options, 'base_changed');
}

export async function onPullRequest(context: Context<'pull_request'>, options: RunOptions = {}, trigger: RunTarget['trigger'] = 'pull_request'): Promise<RunOutcome> {
  const { pull_request: pr, repository } = context.payload;
  const target: RunTarget = {
    owner: repository.owner.login,
    repo: repository.name,
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    baseRef: pr.base.ref,
    changedFiles: pr.changed_files,
    draft: pr.draft === true,
    delivery: context.id,
    trigger,
    repositoryUrls: urlsOf(repository),
  };
  return runWarden(target, { ...options, octokit: context.octokit as GitHub, log: context.log, loadConfig: configLoader(context) });
}

/** The pull request a re-requested run belongs to: from the payload, else by its head SHA (forks are not in the payload). */
export async function pullForSha(octokit: GitHub, owner: string, repo: string, sha: string, listed: readonly { number: number }[]): Promise<number | null> {
  if (listed[0]) return listed[0].number;
  const { data: associated } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, per_page: 10 });
  const open = associated.find((p) => p.state === 'open' && p.head.sha === sha);
  if (open) return open.number;
  // A fork's commit is not associated with the base repository: look among the open pull requests.
  for await (const { data } of octokit.paginate.iterator(octokit.rest.pulls.list, { owner, repo, state: 'open', per_page: 100 })) {
    const match = data.find((p) => p.head.sha === sha);
    if (match) return match.number;
  }
  return null;
}

export async function onCheckRunRerequested(context: Context<'check_run.rerequested'>, options: RunOptions = {}): Promise<RunOutcome> {
  const { check_run: run, repository } = context.payload;
  if (run.name !== CHECK_NAME) return { status: 'skipped', reason: `check run ${run.name} is not Warden's` };
  const octokit = context.octokit as GitHub;
  const owner = repository.owner.login;
  const repo = repository.name;
  const number = await pullForSha(octokit, owner, repo, run.head_sha, run.pull_requests ?? []);
  if (number === null) {
    context.log.info(`warden: no open pull request has head ${run.head_sha}`);
    return { status: 'skipped', reason: `no open pull request has head ${run.head_sha}` };
  }
  const { data: pr } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
  const target: RunTarget = {
    owner,
    repo,
    number,
    // The SHA the user asked about; if the pull request has moved on, the run ends as superseded.
    headSha: run.head_sha,
    baseSha: pr.base.sha,
    baseRef: pr.base.ref,
    changedFiles: pr.changed_files,
    draft: pr.draft === true,
    delivery: context.id,
    trigger: 'rerequested',
    repositoryUrls: urlsOf(repository),
  };
  return runWarden(target, { ...options, octokit, log: context.log, loadConfig: configLoader(context) });
}

/**
 * A merge queue asks for the required checks on its merge group's head commit: Warden reviews the group's change
 * against its base with the same gate and completes its `Warden` run there (no review: there is no pull request).
 */
export async function onMergeGroup(context: Context<'merge_group.checks_requested'>, options: RunOptions = {}): Promise<RunOutcome> {
  const group = context.payload.merge_group;
  // Probot's repo() fails clearly on a payload without a repository.
  const { owner, repo } = context.repo();
  const target: RunTarget = {
    owner,
    repo,
    number: 0,
    headSha: group.head_sha,
    baseSha: group.base_sha,
    draft: false,
    delivery: context.id,
    trigger: 'merge_group',
    repositoryUrls: urlsOf(context.payload.repository),
  };
  return runWarden(target, { ...options, octokit: context.octokit as GitHub, log: context.log, loadConfig: configLoader(context) });
}
