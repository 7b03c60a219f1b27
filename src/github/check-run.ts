// The `Warden` check run: its summary (from templates/check-run.md), annotations in batches of 50, and the
// conclusion that gates the merge. Created `completed` in one request when the run is fast; otherwise
// `in_progress` first, then completed.
import type { Config } from '../config.js';
import { SEVERITIES, type Finding, type Note, type Severity } from '../model.js';
import type { ReviewResult } from '../review.js';
import type { ReviewPlan } from './comments.js';
import { docsUrl } from '../engine/docs.js';
import type { GitHub } from './octokit.js';
import type { RepoRef } from './repository.js';
import { cell, render } from '../output/template.js';

export const CHECK_NAME = 'Warden';
/** GitHub accepts at most 50 annotations per request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Annotations beyond this are left to the summary: requests must not grow without bound with findings. */
export const MAX_ANNOTATIONS = 500;
/** GitHub's limit on `output.summary`. */
export const MAX_SUMMARY = 65535;

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

const LEVEL: Record<Severity, Annotation['annotation_level']> = { critical: 'failure', high: 'failure', medium: 'warning', low: 'notice' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function annotationOf(f: Finding): Annotation {
  return {
    path: f.file,
    start_line: f.line,
    end_line: Math.max(f.line, f.endLine),
    annotation_level: f.preExisting ? 'notice' : LEVEL[f.severity],
    message: f.fix ? `${f.message}\n\nFix: ${f.fix.description}` : f.message,
    title: `${f.preExisting ? '[pre-existing] ' : ''}${f.ruleId} (${f.severity}): ${f.title}`,
  };
}

export interface ReportInput {
  result: ReviewResult;
  config: Config;
  plan: ReviewPlan | null;
  /** Files skipped while reading the pull request (binary, too large). */
  skipped: readonly Note[];
  /** What went wrong after the findings were known (e.g. the review could not be posted). */
  problems: readonly string[];
  /** A sentence on the review, e.g. "3 inline comments posted." */
  review: string;
}

export function buildReport(input: ReportInput): CheckReport {
  const { result, config } = input;
  const open = result.findings.filter((f) => !f.suppressed && !f.preExisting);
  const preExisting = result.findings.filter((f) => !f.suppressed && f.preExisting);
  const suppressed = result.findings.filter((f) => f.suppressed);
  const gating = result.gating;
  const failed = gating.length > 0 || input.problems.length > 0;
  const conclusion: Conclusion = failed ? 'failure' : 'success';
  const title =
    input.problems.length > 0
      ? `Warden could not finish: ${input.problems[0]}`.slice(0, 200)
      : gating.length > 0
        ? `${plural(gating.length, 'finding')} at or above ${config.gate}`
        : open.length > 0
          ? `Nothing at or above ${config.gate} (${plural(open.length, 'lower finding')})`
          : 'No findings';

  const notCommented = new Set([...(input.plan?.overflow ?? []), ...(input.plan?.checkRunOnly ?? [])].map((f) => f.fingerprint));
  const notes = [...input.skipped, ...result.errors, ...result.notes].map((n) => ({ path: n.file, message: cell(n.message) }));
  const row = (f: Finding) => ({
    path: f.file,
    line: f.line,
    severity: f.severity,
    ruleId: f.ruleId,
    docsUrl: docsUrl(f.ruleId),
    message: cell(f.message),
    where: notCommented.has(f.fingerprint) ? 'not commented inline' : '',
  });
  const counts = [...SEVERITIES].reverse().map((severity) => ({
    severity,
    new: open.filter((f) => f.severity === severity).length,
    preExisting: preExisting.filter((f) => f.severity === severity).length,
    suppressed: suppressed.filter((f) => f.severity === severity).length,
  }));

  const summaryWith = (limit: number) => {
    const shown = open.slice(0, limit);
    const byFile = new Map<string, ReturnType<typeof row>[]>();
    for (const f of shown) byFile.set(f.file, [...(byFile.get(f.file) ?? []), row(f)]);
    const pre = preExisting.slice(0, Math.max(0, limit - shown.length));
    const sup = suppressed.slice(0, Math.max(0, limit - shown.length - pre.length));
    const omitted = open.length - shown.length + preExisting.length - pre.length + suppressed.length - sup.length;
    return render('check-run.md', {
      headline: `**${title}**`,
      gate:
        `A new finding at or above **${config.gate}** fails this check` +
        (config.gate_on === 'all' ? '; pre-existing findings count too (`gate_on: all`).' : '; pre-existing findings do not.'),
      counts,
      problems: input.problems.map((p) => cell(p)),
      files: [...byFile].map(([path, findings]) => ({ path, findings })),
      omitted: omitted > 0 ? omitted : '',
      hasPreExisting: pre.length > 0,
      preExistingGate: config.gate_on === 'all' ? 'they gate too' : 'listed, never gating',
      preExisting: pre.map(row),
      hasSuppressed: sup.length > 0,
      suppressed: sup.map((f) => ({ ...row(f), reason: f.suppressed!.reason ? cell(f.suppressed!.reason) : '_no reason given_' })),
      hasNotes: notes.length > 0,
      notes,
      review: input.review,
      stats: `${plural(result.stats.files, 'file')}, ${plural(result.stats.resources, 'resource')} reviewed`,
    })
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  };
  let limit = result.findings.length;
  let summary = summaryWith(limit);
  // Too long for GitHub: keep as many rows as fit (rows are of similar length, so scale, then step down).
  while (summary.length > MAX_SUMMARY && limit > 0) {
    limit = Math.min(limit - 1, Math.floor((limit * MAX_SUMMARY * 0.98) / summary.length));
    summary = summaryWith(Math.max(0, limit));
  }
  const annotated = [...open, ...preExisting].slice(0, MAX_ANNOTATIONS);
  return { conclusion, title, summary: summary.slice(0, MAX_SUMMARY), annotations: annotated.map(annotationOf) };
}

/** A completed run with no findings to show: no IaC in the change, superseded, … */
export function plainReport(conclusion: Conclusion, title: string, reason: string, hint = ''): CheckReport {
  return {
    conclusion,
    title,
    summary: render('check-run-error.md', { headline: `**${title}**`, reason, hint }).replace(/\n{3,}/g, '\n\n').trim(),
    annotations: [],
  };
}

export interface CheckRunOptions {
  headSha: string;
  externalId: string;
  now?: () => Date;
}

/**
 * One `Warden` check run on a head SHA. `start()` creates it `in_progress`; `complete()` creates it already
 * completed when it was never started (saving a write), else updates it; further annotations go in updates
 * of 50. A run whose completion fails is retried once as a plain failure so it is not left `in_progress`.
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

  async complete(report: CheckReport): Promise<void> {
    if (this.starting) {
      try {
        await this.starting;
      } catch {
        // Starting failed: create the run completed instead.
        this.starting = null;
      }
    }
    const [first = [], ...rest] = chunk(report.annotations, ANNOTATIONS_PER_REQUEST);
    const output = (annotations: Annotation[]) => ({
      title: report.title,
      summary: report.summary,
      ...(annotations.length > 0 ? { annotations } : {}),
    });
    const completion = { status: 'completed' as const, conclusion: report.conclusion, completed_at: this.stamp(), ...(report.actions?.length ? { actions: report.actions } : {}) };
    if (this.id === null) {
      const { data } = await this.octokit.rest.checks.create({
        ...this.repo,
        name: CHECK_NAME,
        head_sha: this.options.headSha,
        external_id: this.options.externalId,
        ...completion,
        output: output(first),
      });
      this.id = data.id;
    } else {
      await this.octokit.rest.checks.update({ ...this.repo, check_run_id: this.id, ...completion, output: output(first) });
    }
    // Each update appends its annotations to those already on the run.
    for (const batch of rest) {
      await this.octokit.rest.checks.update({ ...this.repo, check_run_id: this.id, output: output(batch) });
    }
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
