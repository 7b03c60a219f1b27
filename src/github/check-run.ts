// The `Warden` check run: its summary (from templates/check-run.md), the 50 annotations that matter most, and
// the conclusion that gates the merge. Created `completed` in one request when the run is fast; otherwise
// `in_progress` first, then completed.
import type { Config } from '../config.js';
import { SEVERITIES, severityRank, type Finding } from '../model.js';
import type { ReviewResult } from '../review.js';
import type { ReviewPlan } from './comments.js';
import { docsUrl } from '../engine/docs.js';
import type { GitHub } from './octokit.js';
import type { RepoRef } from './repository.js';
import { render } from '../output/template.js';
import { bound, code, codeSpans, fenced, FIELD_LIMITS, GITHUB_LIMITS, link, message, plain, text, truncateBytes, trusted, type Markup } from '../output/inert.js';

export const CHECK_NAME = 'Warden';
/**
 * GitHub accepts at most 50 annotations per request, and each further request is a write (content-creating
 * requests are rate limited and spaced about a second apart). So a run carries the 50 that matter most, sent
 * with its completion; the summary lists every finding.
 */
export const MAX_ANNOTATIONS = 50;
/** GitHub's limit on `output.summary`. */
export const MAX_SUMMARY = GITHUB_LIMITS.summary;
/** Rows of findings the summary is first rendered with; more are rendered while they fit. */
const FIRST_SUMMARY_ROWS = 100;
/** Findings of this rule (files Warden could not review) are listed first in the summary, with their reason. */
export const NOT_REVIEWED = 'warden/not-reviewed';

export type Conclusion = 'success' | 'failure' | 'neutral';

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title: string;
}

export interface CheckReport {
  conclusion: Conclusion;
  title: string;
  summary: string;
  annotations: Annotation[];
  /** Buttons on the completed run (GitHub: at most 3); a click arrives as `check_run.requested_action`. */
  actions?: CheckAction[];
}

export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * How loud an annotation is: `failure` only for a finding that fails this check; `warning` for the other new
 * findings at medium and above; `notice` for low ones and for pre-existing findings that do not gate (they are the
 * default branch's, not this change's).
 */
export function annotationLevel(f: Finding, gates: boolean): Annotation['annotation_level'] {
  if (gates) return 'failure';
  if (f.preExisting) return 'notice';
  return severityRank(f.severity) >= severityRank('medium') ? 'warning' : 'notice';
}

/** Annotations are shown as plain text: their fields are sanitized, masked and cut to GitHub's limits. */
export function annotationOf(f: Finding, gates = false): Annotation {
  const text = f.fix ? `${plain(f.message)}\n\nFix: ${plain(f.fix.description)}` : plain(f.message);
  const tags = (f.preExisting ? '[pre-existing] ' : '') + (f.suppressed ? '[suppressed in this pull request] ' : '');
  return {
    path: f.file,
    start_line: f.line,
    end_line: Math.max(f.line, f.endLine),
    annotation_level: annotationLevel(f, gates),
    message: truncateBytes(text, GITHUB_LIMITS.annotationMessageBytes),
    title: plain(`${tags}${f.ruleId} (${f.severity}): ${f.title}`, GITHUB_LIMITS.annotationTitle),
  };
}

/** A rule id as a code span linked to its page. */
function ruleLink(ruleId: string): Markup {
  return link(code(ruleId), docsUrl(ruleId));
}

/** `path:line` as a code span. */
function location(f: Pick<Finding, 'file' | 'line'>): Markup {
  return code(`${plain(f.file, FIELD_LIMITS.path)}:${f.line}`, FIELD_LIMITS.path + 12);
}

/**
 * A message for a table cell, and the code it quotes over several lines (a rendered YAML snippet): a table cell
 * cannot hold a line break, so such code is replaced in the cell by a pointer and shown as a fenced block below.
 */
function cellAndBlocks(source: string): { cell: Markup; blocks: string[] } {
  const blocks: string[] = [];
  let cell = '';
  let from = 0;
  for (const span of codeSpans(source)) {
    const content = source.slice(span.contentStart, span.contentEnd);
    if (!content.includes('\n')) continue;
    cell += `${source.slice(from, span.open)}(code below)`;
    blocks.push(content.replace(/^\n|\n$/g, ''));
    from = span.end;
  }
  return blocks.length === 0 ? { cell: message(source), blocks } : { cell: message(cell + source.slice(from)), blocks };
}

export interface ReportInput {
  result: ReviewResult;
  config: Config;
  plan: ReviewPlan | null;
  /** What went wrong after the findings were known (e.g. the review could not be posted). */
  problems: readonly string[];
  /** A sentence on the review, e.g. "3 inline comments posted." */
  review: string;
}

/** What to do about a run that could not finish: the same words wherever that is said. */
export const RERUN_HINT = 'To try again, re-run this check (Re-run, at the top of this page) or push a new commit.';

/** Severity, worst first. */
const bySeverity = (a: Finding, b: Finding) => severityRank(b.severity) - severityRank(a.severity);

export function buildReport(input: ReportInput): CheckReport {
  const { result, config } = input;
  const policy = config.suppressions.in_pull_request;
  const open = result.findings.filter((f) => !f.suppressed && !f.preExisting);
  const preExisting = result.findings.filter((f) => !f.suppressed && f.preExisting);
  const suppressed = result.findings.filter((f) => f.suppressed);
  // Under `allow` a suppression the change wrote is honoured like any other, and not shown apart.
  const suppressedHere = policy === 'allow' ? [] : suppressed.filter((f) => f.suppressed!.inPullRequest);
  const addedHere = new Set(suppressedHere);
  const suppressedBefore = suppressed.filter((f) => !addedHere.has(f));
  const gating = result.gating;
  const gates = new Set(gating);
  const failed = gating.length > 0 || input.problems.length > 0;
  const conclusion: Conclusion = failed ? 'failure' : 'success';
  const title = plain(
    input.problems.length > 0
      ? 'Warden could not finish'
      : gating.length > 0
        ? `${plural(gating.length, 'finding')} at or above ${config.gate}`
        : open.length > 0
          ? `Nothing at or above ${config.gate} (${plural(open.length, 'lower finding')})`
          : 'No findings',
    GITHUB_LIMITS.title,
  );

  const notCommented = new Set([...(input.plan?.overflow ?? []), ...(input.plan?.checkRunOnly ?? [])].map((f) => f.fingerprint));
  // A lapsed suppression is listed in its own section, not again among the notes.
  const lapsedNotes = new Set(result.lapsedSuppressions.map((l) => `${l.file}\n${l.message}`));
  const notes = [...result.errors, ...result.notes.filter((n) => !lapsedNotes.has(`${n.file}\n${n.message}`))].map((n) => ({ path: code(n.file, FIELD_LIMITS.path), message: message(n.message) }));
  // What Warden could not review comes first, with the reason, and is not repeated in the findings table.
  const notReviewed = open.filter((f) => f.ruleId === NOT_REVIEWED).map((f) => ({ path: code(f.file, FIELD_LIMITS.path), line: f.line, message: message(f.message) }));
  // What fails the check first, then the rest, worst first; equal severities keep the review's order (file, line).
  const listed = [...open.filter((f) => f.ruleId !== NOT_REVIEWED && gates.has(f)).sort(bySeverity), ...open.filter((f) => f.ruleId !== NOT_REVIEWED && !gates.has(f)).sort(bySeverity)];
  const preExistingListed = [...preExisting.filter((f) => gates.has(f)).sort(bySeverity), ...preExisting.filter((f) => !gates.has(f)).sort(bySeverity)];
  // Rendered once per finding: the summary may be rendered again with fewer rows to fit.
  const rows = new Map<Finding, ReturnType<typeof renderRow>>();
  const renderRow = (f: Finding) => {
    const { cell, blocks } = cellAndBlocks(f.message);
    return {
      gates: gates.has(f) ? trusted('**gates**') : '',
      location: location(f),
      severity: f.severity,
      rule: ruleLink(f.ruleId),
      resource: code(f.resource),
      message: cell,
      where: notCommented.has(f.fingerprint) ? 'not commented inline' : '',
      code: blocks.map((block) => ({ label: location(f), block: fenced('text', block) })),
    };
  };
  const row = (f: Finding) => rows.get(f) ?? rows.set(f, renderRow(f)).get(f)!;
  const reasonOf = (reason: string) => (reason ? text(reason) : trusted('_no reason given_'));
  const counts = [...SEVERITIES].reverse().map((severity) => ({
    severity,
    new: open.filter((f) => f.severity === severity).length,
    preExisting: preExisting.filter((f) => f.severity === severity).length,
    suppressed: suppressed.filter((f) => f.severity === severity).length,
  }));
  const lapsed = result.lapsedSuppressions.map((l) => ({
    location: location(l),
    rule: ruleLink(l.ruleId),
    resource: code(l.resource),
    severity: l.severity,
    why: l.kind === 'expired' ? trusted(`expired after ${text(l.detail).text}: the finding is back`) : trusted(`expiry ${code(l.detail).text} is not \`(until YYYY-MM-DD)\`: it does not suppress`),
  }));

  const summaryWith = (limit: number) => {
    const shown = listed.slice(0, limit).map(row);
    const pre = preExistingListed.slice(0, Math.max(0, limit - shown.length));
    const here = suppressedHere.slice(0, Math.max(0, limit - shown.length - pre.length));
    const sup = suppressedBefore.slice(0, Math.max(0, limit - shown.length - pre.length - here.length));
    const omitted = listed.length - shown.length + preExisting.length - pre.length + suppressedHere.length - here.length + suppressedBefore.length - sup.length;
    return render('check-run.md', {
      gate: trusted(
        `A new finding at or above **${config.gate}** fails this check` +
          (config.gate_on === 'all' ? '; pre-existing findings count too (`gate_on: all`).' : '; pre-existing findings do not.'),
      ),
      counts,
      hasProblems: input.problems.length > 0,
      problems: input.problems.map((p) => message(p)),
      rerun: trusted(RERUN_HINT),
      hasNotReviewed: notReviewed.length > 0,
      notReviewed,
      hasFindings: shown.length > 0,
      findings: shown,
      code: shown.flatMap((r) => r.code),
      omitted: omitted > 0 ? omitted : '',
      hasPreExisting: pre.length > 0,
      preExistingGate: config.gate_on === 'all' ? 'they gate too' : 'listed, never gating',
      preExisting: pre.map(row),
      preExistingCode: pre.flatMap((f) => row(f).code),
      hasSuppressedHere: here.length > 0,
      suppressedHerePolicy: trusted(
        policy === 'deny'
          ? 'Not yet on the default branch: under `suppressions.in_pull_request: deny` a suppressed finding at or above the gate still fails this check until the suppression is merged.'
          : 'Honoured, and shown here so that reviewers see what this change hides.',
      ),
      suppressedHere: here.map((f) => ({ ...row(f), reason: reasonOf(f.suppressed!.reason) })),
      hasSuppressed: sup.length > 0,
      suppressed: sup.map((f) => ({ ...row(f), reason: reasonOf(f.suppressed!.reason) })),
      hasLapsed: lapsed.length > 0,
      lapsed,
      hasNotes: notes.length > 0,
      notes,
      review: input.review,
      stats: `${plural(result.stats.files, 'file')}, ${plural(result.stats.resources, 'resource')} reviewed`,
    })
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  };
  // Rows are rendered only as far as they may fit: from a first page, doubling, so that thousands of findings
  // are not all rendered (on the server's main thread) for a summary that shows a few hundred.
  const rowsInAll = listed.length + preExisting.length + suppressed.length;
  let limit = Math.min(rowsInAll, FIRST_SUMMARY_ROWS);
  let summary = summaryWith(limit);
  while (summary.length <= MAX_SUMMARY && limit < rowsInAll) {
    limit = Math.min(rowsInAll, limit * 2);
    summary = summaryWith(limit);
  }
  // Too long for GitHub: keep as many rows as fit (rows are of similar length, so scale, then step down).
  while (summary.length > MAX_SUMMARY && limit > 0) {
    limit = Math.min(limit - 1, Math.floor((limit * MAX_SUMMARY * 0.98) / summary.length));
    summary = summaryWith(Math.max(0, limit));
  }
  // Suppressed findings that still gate (`deny`) are annotated too: they fail the check.
  const annotated = [...open, ...preExisting, ...gating.filter((f) => f.suppressed)];
  return { conclusion, title, summary: bound(summary, MAX_SUMMARY), annotations: mostImportant(annotated, gating).map((f) => annotationOf(f, gates.has(f))) };
}

/** The MAX_ANNOTATIONS findings that matter most: those that gate, then new before pre-existing, then by severity. */
function mostImportant(findings: readonly Finding[], gating: readonly Finding[]): Finding[] {
  const gates = new Set(gating);
  const rank = (f: Finding) => (gates.has(f) ? 0 : 8) + (f.preExisting ? 4 : 0) + (SEVERITIES.length - 1 - severityRank(f.severity));
  // A few ranks only: one pass into a bucket per rank, each kept to what can be shown, in the review's order (by
  // file and line) within a rank. A sort of every finding costs ~100 ms with tens of thousands.
  const buckets: Finding[][] = Array.from({ length: 12 + SEVERITIES.length }, () => []);
  for (const f of findings) {
    const bucket = buckets[rank(f)]!;
    if (bucket.length < MAX_ANNOTATIONS) bucket.push(f);
  }
  return buckets.flat().slice(0, MAX_ANNOTATIONS);
}

/**
 * A completed run with no findings to show: no IaC in the change, superseded, an internal error, … The title says
 * what happened; the summary gives the reason once and what to do, without repeating the title.
 */
export function plainReport(conclusion: Conclusion, title: string, reason: string, hint = ''): CheckReport {
  const shownTitle = plain(title, GITHUB_LIMITS.title);
  // The reason may quote an error or a config value: rendered as a message (its code spans kept, the rest inert).
  const summary = render('check-run-error.md', { reason: message(reason), hint: message(hint) });
  return { conclusion, title: shownTitle, summary: bound(summary.replace(/\n{3,}/g, '\n\n').trim(), MAX_SUMMARY), annotations: [] };
}

export interface CheckRunOptions {
  headSha: string;
  externalId: string;
  now?: () => Date;
}

/**
 * One `Warden` check run on a head SHA. `start()` creates it `in_progress`; `complete()` creates it already
 * completed when it was never started (saving a write), else updates it, annotations included: one write.
 * A completion that fails is retried (completeSurely) so that no run is left `in_progress`.
 */
export class CheckRun {
  id: number | null = null;
  private starting: Promise<void> | null = null;
  private readonly now: () => Date;

  constructor(
    private readonly octokit: GitHub,
    private readonly repo: RepoRef,
    private readonly options: CheckRunOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  private stamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  start(): Promise<void> {
    this.starting ??= (async () => {
      const { data } = await this.octokit.rest.checks.create({
        ...this.repo,
        name: CHECK_NAME,
        head_sha: this.options.headSha,
        external_id: this.options.externalId,
        status: 'in_progress',
        started_at: this.stamp(),
      });
      this.id = data.id;
    })();
    return this.starting;
  }

  /** Forget the run (it cannot be updated): the next `complete()` creates a new one, already completed. */
  abandon(): void {
    this.id = null;
    this.starting = null;
  }

  async complete(report: CheckReport): Promise<void> {
    if (this.starting) {
      try {
        await this.starting;
      } catch {
        // Starting failed: create the run completed instead.
        this.starting = null;
      }
    }
    // At most MAX_ANNOTATIONS, all in this one request: GitHub takes 50 per request.
    const annotations = report.annotations.slice(0, MAX_ANNOTATIONS);
    const output = { title: report.title, summary: report.summary, ...(annotations.length > 0 ? { annotations } : {}) };
    const completion = { status: 'completed' as const, conclusion: report.conclusion, completed_at: this.stamp(), ...(report.actions?.length ? { actions: report.actions } : {}) };
    if (this.id === null) {
      const { data } = await this.octokit.rest.checks.create({
        ...this.repo,
        name: CHECK_NAME,
        head_sha: this.options.headSha,
        external_id: this.options.externalId,
        ...completion,
        output,
      });
      this.id = data.id;
    } else {
      await this.octokit.rest.checks.update({ ...this.repo, check_run_id: this.id, ...completion, output });
    }
  }
}

/**
 * Waits before each further attempt to complete a run whose completion failed (after the retry plugin's own
 * retries): about a minute in all, so an outage of GitHub's check-run writes of that length still ends completed.
 */
export const COMPLETION_RETRY_DELAYS_MS = [2_000, 5_000, 10_000, 20_000, 30_000];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A failure worth sending the same request again for: a 5xx, a rate limit, no answer at all. */
function transient(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === undefined || status >= 500 || status === 403 || status === 429;
}

/**
 * Complete the run, whatever GitHub does meanwhile: the report, retried a bounded number of times while the
 * failure is transient; else `failed(error)` (a plain failure, small and without annotations). When the run
 * still cannot be updated, a new run is created completed with that failure: GitHub shows a commit's latest run
 * of a name, so the one left in progress no longer counts. Resolves to the report GitHub took; throws only when
 * nothing could be written.
 */
export async function completeSurely(
  run: CheckRun,
  report: CheckReport,
  failed: (error: unknown) => CheckReport,
  delays: readonly number[] = COMPLETION_RETRY_DELAYS_MS,
): Promise<CheckReport> {
  let error: unknown;
  try {
    await run.complete(report);
    return report;
  } catch (e) {
    error = e;
  }
  for (const delay of delays) {
    await sleep(delay);
    const attempt = transient(error) ? report : failed(error);
    try {
      await run.complete(attempt);
      return attempt;
    } catch (e) {
      error = e;
    }
  }
  const last = failed(error);
  run.abandon();
  await run.complete(last);
  return last;
}
