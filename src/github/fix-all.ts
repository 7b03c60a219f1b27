// "Fix all": the `Warden` check run offers a button (config `fix_all: true`) when it has new findings Warden can fix;
// a click (`check_run.requested_action`) makes one commit on the pull request's branch holding every proven safe fix
// and the companions (src/fix-loop.ts, the rounds `warden fix` runs), through the Git Data API: blobs, a tree on
// the head's tree, a commit whose parent is the head, and a ref update that is not forced, so it fails if the branch
// moved. The outcome is a `Warden Fix all` check run on the clicked head, whose external id also makes a second
// click on the same run do nothing. Never a fork's branch, never a head that is not the pull request's current one.
import type { Context } from 'probot';
import { NETWORK_POLICY_MISSING } from '../companions.js';
import type { Config } from '../config.js';
import type { RepositoryIndex } from '../engine/repository.js';
import { EMPTY_REPOSITORY } from '../engine/repository.js';
import { changePatch, fixTexts, type FixRun } from '../fix-loop.js';
import { appliedLine } from '../output/text.js';
import type { Finding } from '../model.js';
import { render } from '../output/template.js';
import { bound, code, fenced, GITHUB_LIMITS, message, plain, trusted, type Markup } from '../output/inert.js';

/** Pull-request content inside a reason: sanitized and cut; the reason is then rendered as a message (inert). */
const cell = (value: string) => plain(value).replace(/`/g, "'");
import { review, type ChangedFile, type ReviewResult } from '../review.js';
import { RULES } from '../../rules/index.js';
import { MAX_SUMMARY, type CheckAction, type Conclusion } from './check-run.js';
import { configLoader, urlsOf, pullForSha } from './handlers.js';
import type { GitHub } from './octokit.js';
import { readPullRequest } from './pull-request.js';
import { BlobCache, GitTreeReader, type RepoRef } from './repository.js';
import { loadConfig, reasonOf, type Log, type RunOptions } from './run.js';

export const FIX_ALL_ACTION = 'fix_all';
export const FIX_ALL_CHECK = 'Warden Fix all';

/** Findings a Fix all commit would fix: new, open, with a safe fix or a companion. */
function fixable(finding: Finding): boolean {
  if (finding.suppressed || finding.preExisting) return false;
  return (finding.fix?.applicability === 'safe' && finding.fix.edits.length > 0) || finding.ruleId === NETWORK_POLICY_MISSING;
}

/** The `Fix all` button, when the config opts in and the run has something it could fix. */
export function fixAllActions(result: Pick<ReviewResult, 'findings'>, config: Config): CheckAction[] {
  if (!config.fix_all || !result.findings.some(fixable)) return [];
  // GitHub: label ≤ 20 characters, description ≤ 40, identifier ≤ 20.
  return [{ label: 'Fix all', description: 'Commit every proven safe fix to the PR', identifier: FIX_ALL_ACTION }];
}

export interface FixAllRequest extends RepoRef {
  /** The clicked `Warden` check run. */
  checkRunId: number;
  headSha: string;
  /** Pull requests GitHub listed on the run (none for a fork's). */
  pullNumbers: number[];
  /** The URLs GitHub knows the repository by (an Argo CD source from one deploys its files). */
  repositoryUrls: readonly string[];
}

export interface FixAllEnv extends RunOptions {
  octokit: GitHub;
  log: Log;
  loadConfig: () => Promise<unknown>;
}

export type FixAllOutcome =
  | { status: 'skipped'; reason: string }
  | { status: 'refused'; title: string }
  | { status: 'nothing'; title: string }
  | { status: 'committed'; sha: string; files: string[] };

const externalIdOf = (checkRunId: number) => `fix-all:${checkRunId}`;

/** Whether this check run's Fix all was handled already (its `Warden Fix all` run exists). */
async function handledAlready(octokit: GitHub, request: FixAllRequest): Promise<boolean> {
  const { data } = await octokit.rest.checks.listForRef({ owner: request.owner, repo: request.repo, ref: request.headSha, check_name: FIX_ALL_CHECK, filter: 'all', per_page: 100 });
  return data.check_runs.some((run) => run.external_id === externalIdOf(request.checkRunId));
}

/** A commit message has no limit of its own on GitHub: this keeps it to what a person reads. */
const MAX_COMMIT_MESSAGE = 16_384;

function commitMessage(run: FixRun): string {
  const rules = new Set(run.applied.flatMap((a) => a.ruleIds));
  // Names from the pull request, each one plain line: a line break in a file name cannot forge a trailer
  // (`Co-authored-by:`), and no control, invisible or secret-looking text reaches the commit.
  const lines = run.applied.map((a) => `- ${appliedLine(a)}`);
  const body = `Warden: fix ${rules.size} rule${rules.size === 1 ? '' : 's'} in ${run.changes.length} file${run.changes.length === 1 ? '' : 's'}\n\n${lines.join('\n')}\n`;
  return bound(body, MAX_COMMIT_MESSAGE, `… (cut: the ${FIX_ALL_CHECK} run lists every fix)`);
}

/** What the commit leaves: findings with an unsafe fix (shown with its edit), or none Warden can prove. */
function leftOf(run: FixRun, changed: ReadonlySet<string>): { file: string; line: number; ruleId: string; severity: string; message: Markup; why: string | Markup; suggestion: string | Markup }[] {
  // The commit changes only the pull request's files: a proven fix elsewhere (a chart's values file or a Kustomize
  // base the change did not touch) is left for a person to apply there.
  const refused = new Set(run.refused.map((r) => r.file));
  return run.result.findings
    .filter((f) => !f.suppressed && !f.preExisting)
    .map((f) => {
      const edit = f.fix && f.fix.applicability !== 'display' ? f.fix.edits[0] : undefined;
      const unsafe = f.fix?.applicability === 'unsafe';
      return {
        file: f.file,
        line: f.line,
        ruleId: f.ruleId,
        severity: f.severity,
        message: message(f.message.split('\n')[0]!),
        why: unsafe
          ? message(`may change how the workload runs: ${f.fix!.description}`)
          : edit && !changed.has(edit.file)
            ? trusted(`its fix is in ${code(edit.file).text}, which this pull request does not change`)
            : edit && refused.has(edit.file)
              ? 'its file was left as it was: its proven fixes would not parse together'
              : edit
                ? 'its fix could not be proven'
                : 'no automatic fix',
        suggestion: edit ? trusted(`Lines ${edit.startLine}–${edit.endLine} of ${code(edit.file).text} would become:\n\n${fenced('text', edit.replacement).text}`) : '',
      };
    });
}

/** Findings left for you shown with their suggestion; the rest are in the `Warden` run. */
const MAX_LEFT = 50;

/** `changed`: the pull request's files, the only ones a commit of Fix all changes. */
function summary(reason: string, run: FixRun | null, changed: ReadonlySet<string>): string {
  const fixed = (run?.applied ?? []).map((a) => ({ file: a.file, objects: a.resources.join(', '), description: message(a.description), rules: a.ruleIds.join(', ') }));
  const all = run ? leftOf(run, changed) : [];
  const left = all.slice(0, MAX_LEFT);
  const more = all.length > left.length ? trusted(`${all.length - left.length} more findings are listed in the \`Warden\` run.`) : '';
  // The run's title is shown above its summary by GitHub: the summary does not say it again.
  const text = render('fix-all.md', { reason: message(reason), hasFixed: fixed.length > 0, fixed, hasLeft: left.length > 0, left, more })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return bound(text, MAX_SUMMARY);
}

/** Handle a click: one commit, or a clear reason on the `Warden Fix all` run and no commit. */
export async function fixAll(request: FixAllRequest, env: FixAllEnv): Promise<FixAllOutcome> {
  const { octokit, log } = env;
  const repo = { owner: request.owner, repo: request.repo };
  if (await handledAlready(octokit, request)) return { status: 'skipped', reason: `Fix all of check run ${request.checkRunId} was handled already` };
  const stamp = () => (env.now ?? (() => new Date()))().toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Created first: it marks the click as taken, so a second click finds it.
  const { data: created } = await octokit.rest.checks.create({ ...repo, name: FIX_ALL_CHECK, head_sha: request.headSha, external_id: externalIdOf(request.checkRunId), status: 'in_progress', started_at: stamp() });
  let changed: ReadonlySet<string> = new Set();
  const finish = async (conclusion: Conclusion, title: string, reason: string, run: FixRun | null = null) => {
    await octokit.rest.checks.update({ ...repo, check_run_id: created.id, status: 'completed', conclusion, completed_at: stamp(), output: { title: plain(title, GITHUB_LIMITS.title), summary: summary(reason, run, changed) } });
  };
  const refuse = async (title: string, reason: string): Promise<FixAllOutcome> => {
    await finish('neutral', title, reason);
    return { status: 'refused', title };
  };
  try {
    const number = await pullForSha(octokit, request.owner, request.repo, request.headSha, request.pullNumbers.map((n) => ({ number: n })));
    if (number === null) return await refuse('No open pull request', `No open pull request has ${request.headSha} as its head: Fix all commits only to the head of an open pull request.`);
    const { data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
    if (pr.state !== 'open') return await refuse('The pull request is closed', `Pull request #${number} is closed: nothing was committed.`);
    if (pr.head.sha !== request.headSha) {
      return await refuse('The pull request moved on', `Fix all was asked for ${request.headSha}, but the head of #${number} is now ${pr.head.sha}. Nothing was committed: use Fix all on the newer commit's Warden run.`);
    }
    if (pr.head.repo?.full_name !== `${request.owner}/${request.repo}`) {
      return await refuse('Fix all does not push to forks', `The branch of #${number} lives in a fork (${cell(pr.head.repo?.full_name ?? 'a deleted repository')}); Warden never pushes to a fork's branch. Apply the suggestions, or run \`warden fix\` locally.`);
    }
    const config = await loadConfig(env);
    if (!config.fix_all) return await refuse('Fix all is off', 'Set `fix_all: true` in `.github/warden.yml` on the default branch (and grant Warden `contents: write`) to use Fix all. Nothing was committed.');

    const target = { ...repo, number, headSha: request.headSha, baseSha: pr.base.sha };
    const blobs = new BlobCache(octokit, repo);
    const reader = new GitTreeReader(octokit, repo, request.headSha, blobs);
    const read = await readPullRequest(octokit, target, config, blobs, () => reader.entries());
    const repository: RepositoryIndex = env.buildRepositoryIndex && read.files.length > 0 ? { ...(await env.buildRepositoryIndex(reader, config, request.repositoryUrls)), urls: request.repositoryUrls } : EMPTY_REPOSITORY;
    const headPaths = new Set(await reader.paths());
    const baseOf = new Map(read.files.map((f) => [f.path, f.baseText ?? null]));
    const texts = new Map(read.files.flatMap((f) => (f.headText === null ? [] : [[f.path, f.headText] as const])));
    changed = new Set(texts.keys());
    const rules = env.rules ?? RULES;
    const run = await fixTexts(texts, {
      config,
      rules,
      unsafe: false,
      only: (f) => !f.preExisting,
      exists: (path) => headPaths.has(path),
      review: async (current) => {
        const files: ChangedFile[] = [...current].map(([path, text]) => ({ path, headText: text, baseText: baseOf.get(path) ?? null, patch: changePatch(baseOf.get(path) ?? '', text) }));
        return { result: await review({ files, config, repository, rules, reader }), repository };
      },
    });
    if (run.changes.length === 0) {
      await finish('neutral', 'Nothing to fix automatically', 'No new finding of this pull request has a fix Warden could prove safe. Nothing was committed.', run);
      return { status: 'nothing', title: 'Nothing to fix automatically' };
    }

    let commitSha: string;
    try {
      // One write at a time: GitHub's guidance against secondary rate limits on content-creating requests.
      const tree: { path: string; mode: '100644'; type: 'blob'; sha: string }[] = [];
      for (const change of run.changes) {
        const { data: blob } = await octokit.rest.git.createBlob({ ...repo, content: change.after, encoding: 'utf-8' });
        tree.push({ path: change.file, mode: '100644', type: 'blob', sha: blob.sha });
      }
      const { data: head } = await octokit.rest.git.getCommit({ ...repo, commit_sha: request.headSha });
      const { data: newTree } = await octokit.rest.git.createTree({ ...repo, base_tree: head.tree.sha, tree });
      const { data: commit } = await octokit.rest.git.createCommit({ ...repo, message: commitMessage(run), tree: newTree.sha, parents: [request.headSha] });
      commitSha = commit.sha;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 403 || status === 404) {
        return await refuse(
          'Warden may not write to this repository',
          `GitHub refused the write (${cell(reasonOf(error))}). Fix all needs the App's **Contents: Read and write** permission: an admin grants it in the App's settings (Permissions), then accepts it on the installation. Nothing was committed.`,
        );
      }
      throw error;
    }
    try {
      await octokit.rest.git.updateRef({ ...repo, ref: `heads/${pr.head.ref}`, sha: commitSha, force: false });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 422 || status === 409) return await refuse('The branch moved', `The branch \`${cell(pr.head.ref)}\` moved while Warden prepared the fix (${cell(reasonOf(error))}). Nothing was pushed: use Fix all on the newer commit's Warden run.`);
      if (status === 403 || status === 404) return await refuse('Warden may not write to this repository', `GitHub refused to update the branch (${cell(reasonOf(error))}). Fix all needs the App's **Contents: Read and write** permission, and a branch protection that lets the App push. Nothing was pushed.`);
      throw error;
    }
    const n = run.applied.length;
    await finish('success', `Committed ${n} fix${n === 1 ? '' : 'es'} in ${commitSha.slice(0, 7)}`, `Warden pushed ${commitSha} to \`${cell(pr.head.ref)}\`: the review of that commit follows.`, run);
    return { status: 'committed', sha: commitSha, files: run.changes.map((c) => c.file) };
  } catch (error) {
    log.error(`warden: Fix all failed: ${reasonOf(error)}`);
    await finish('failure', 'Fix all could not finish', `Warden could not finish: ${cell(reasonOf(error))}. Nothing was pushed unless a commit is named above.`).catch(() => undefined);
    return { status: 'refused', title: 'Fix all could not finish' };
  }
}

/** The Probot glue: a click on `Fix all` of a `Warden` run. */
export async function onFixAllRequested(context: Context<'check_run.requested_action'>, options: RunOptions = {}): Promise<FixAllOutcome> {
  const { check_run: run, repository, requested_action: action } = context.payload;
  if (run.name !== 'Warden' || action?.identifier !== FIX_ALL_ACTION) return { status: 'skipped', reason: 'not a Warden Fix all action' };
  return fixAll(
    { owner: repository.owner.login, repo: repository.name, checkRunId: run.id, headSha: run.head_sha, pullNumbers: (run.pull_requests ?? []).map((p) => p.number), repositoryUrls: urlsOf(repository) },
    { ...options, octokit: context.octokit as GitHub, log: context.log, loadConfig: configLoader(context) },
  );
}
