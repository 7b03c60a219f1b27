// One pooled scan, from the files to their findings. It runs in rounds of evaluation, each with the context (what
// cross-resource rules may look up) its files need; `rounds()` is the one place that says which files each round
// evaluates and with what. Before the rounds, every file that may give the others something is parsed (the first
// round of parses: src/worker/transfer.ts mayGiveContext); the others are parsed ahead by idle workers, or when
// they are evaluated. Which worker does what, and when, is src/worker/scheduler.ts.
import { posix } from 'node:path';
import type { SourceFile } from '../engine/run.js';
import { sharedDeclarations } from '../engine/terraform/file-declarations.js';
import { fileKind } from '../formats/index.js';
import { kubernetesKindOf } from '../formats/paths.js';
import type { Note } from '../model.js';
import { pacer, startPaced } from '../common/pace.js';
import { LOOKED_UP_KINDS } from '../../rules/index.js';
import type { Evaluation, Request } from './scan-worker.js';
import { WITHDRAWN, type Job, type Outcome, type Slot, type Workers } from './scheduler.js';
import { mayGiveContext, type ParseSummary, type PlainRepository, type PlainResource } from './transfer.js';
import { Interner } from './intern.js';

type Context = Extract<Request, { type: 'context' }>;
type Parsed = Outcome<ParseSummary | null>;
type Evaluated<T> = { summary: ParseSummary | null; outcome: Outcome<T> | null } | { failed: string };

export interface ScanJobOptions {
  config: Context['config'];
  ruleIds: readonly string[];
  repository: PlainRepository;
  renderFixes: boolean;
  skipFixesFor?: ReadonlySet<string> | Promise<ReadonlySet<string>>;
  touchedData?: readonly string[];
  terraformFiles?: Readonly<Record<string, string>>;
  /** A baseline: only fingerprints come back, and nothing is located. */
  fingerprintsOnly: boolean;
}

/** A round of evaluation: the files it evaluates, and the context they are evaluated with. */
interface Round {
  files: (i: number) => boolean;
  context: () => Promise<Context>;
}

export interface ScanJobResult<T> {
  parsed: { file: SourceFile; summary: ParseSummary }[];
  results: T[];
  errors: Note[];
}

export class ScanJob<T> {
  private readonly known: SourceFile[];
  /** Whether each file is parsed before any is evaluated (it may give the others something). */
  private readonly firstRound: boolean[];
  private readonly terraform: boolean[];
  private readonly parses: (Promise<Parsed> | null)[] = [];
  private readonly ahead: (Promise<Parsed> | null)[] = [];
  /** The worker that holds each file's parse. */
  private readonly holders = new Map<string, Slot>();
  /**
   * One copy of each string of what crosses from the workers (src/worker/intern.ts): the resources the files give the
   * others, and (through `receive`) their results.
   */
  private readonly interner = new Interner();

  constructor(
    private readonly workers: Workers,
    private readonly job: Job,
    files: readonly SourceFile[],
    private readonly options: ScanJobOptions,
    /** Applied to each file's result as it arrives, so what it drops is garbage at once; with the job's interner. */
    private readonly receive: (value: T, interner: Interner) => T,
  ) {
    this.known = files.filter((f) => fileKind(f.path) !== null);
    this.firstRound = this.known.map((f) => mayGiveContext(f.path, f.text, LOOKED_UP_KINDS));
    this.terraform = this.known.map((f) => TERRAFORM_FILES.has(fileKind(f.path)!));
  }

  async run(): Promise<ScanJobResult<T>> {
    await this.startParses();
    const skipFixesFor = [...((await this.options.skipFixesFor) ?? [])];
    const evaluated: Evaluated<T>[] = [];
    // Rounds run side by side, but each sets its context after the one before it has (never replaced by less).
    let previousSet: Promise<void> = Promise.resolve();
    await Promise.all(
      this.rounds(skipFixesFor).map((round) => {
        const set = previousSet.then(async () => {
          this.job.context = await round.context();
          this.job.informed.clear();
        });
        previousSet = set.catch(() => undefined);
        return set.then(async () => {
          this.workers.withdrawSpare(this.job);
          const indexes = this.known.map((_, i) => i).filter(round.files);
          const done = await startPaced(indexes, (i) => this.evaluate(this.known[i]!, i));
          indexes.forEach((index, k) => (evaluated[index] = done[k]!));
        });
      }),
    );
    return this.gather(evaluated);
  }

  /**
   * Every file is evaluated once the first round is parsed, with what it gave. But a Terraform file gives a
   * Kubernetes manifest's rules something only through the Kubernetes objects it writes (`kubernetes_*`,
   * `kubectl_manifest`): without one, the manifests are evaluated once their own first round is parsed, while the
   * Terraform files' still is (one worker takes Terraform first; the other would wait), with what the manifests
   * gave; the Terraform files then with everything (a worker is sent the whole context before its next evaluation;
   * for a manifest it adds nothing its rules read). Terraform files are evaluated with their lookups as evaluation
   * makes them (evaluatedLookups).
   */
  private rounds(skipFixesFor: readonly string[]): Round[] {
    const terraform = (i: number) => this.terraform[i]!;
    const manifest = (i: number) => !this.terraform[i];
    const everything = () => true;
    const whole = async () => this.evaluatedLookups(await this.contextOf(everything, skipFixesFor));
    const manifestsFirst = this.terraform.includes(true) && this.terraform.includes(false) && !this.known.some((f, i) => this.terraform[i] && writesLookedUpObjects(f.text));
    if (!manifestsFirst) return [{ files: everything, context: whole }];
    return [
      { files: manifest, context: () => this.contextOf(manifest, skipFixesFor) },
      { files: terraform, context: whole },
    ];
  }

  /**
   * Send every file to be parsed: those of the first round to be kept for their evaluation, the others ahead, as
   * spare work, by workers that would otherwise wait for the first round (the first worker is on Terraform), and
   * only as much as the workers but the first can keep (a server's keep little); what no worker has started when
   * the round ends is parsed as it is evaluated.
   */
  private async startParses(): Promise<void> {
    let aheadBytes = this.workers.settings.cacheTextBytes * (this.workers.settings.size - 1);
    // Thousands of files: sending them gives way to the server's other work now and then.
    await startPaced(this.known, async (file, i) => {
      const parsesAhead = !this.firstRound[i] && (aheadBytes -= file.text.length) >= 0;
      this.ahead[i] = parsesAhead ? this.parse(file, true) : null;
      this.parses[i] = this.firstRound[i] ? this.parse(file, false) : null;
    });
  }

  private parse(file: SourceFile, early: boolean): Promise<Parsed> {
    const request: Request & { id: number } = {
      type: 'parse',
      id: 0,
      job: this.job.id,
      path: file.path,
      text: file.text,
      changed: file.changed ? [...file.changed] : null,
      ...(early ? { ahead: true } : {}),
      ...(this.options.fingerprintsOnly ? { positions: false as const } : {}),
    };
    return this.workers.submit<ParseSummary | null>(this.job, request, undefined, undefined, undefined, early).then((outcome) => {
      if (outcome.ok && outcome.kept && outcome.slot) this.holders.set(file.path, outcome.slot);
      if (outcome.ok && outcome.value) this.intern(outcome.value);
      return outcome;
    });
  }

  /** The context of the first-round parses of the files `which` takes. */
  private async contextOf(which: (i: number) => boolean, skipFixesFor: readonly string[]): Promise<Context> {
    const outcomes = await Promise.all(this.known.map((_, i) => (which(i) ? (this.parses[i] ?? null) : null)));
    const summaries = outcomes.flatMap((outcome) => (outcome?.ok && outcome.value ? [outcome.value] : []));
    return {
      type: 'context',
      job: this.job.id,
      config: this.options.config,
      ruleIds: [...this.options.ruleIds],
      renderFixes: this.options.renderFixes,
      skipFixesFor: [...skipFixesFor],
      fingerprintsOnly: this.options.fingerprintsOnly,
      scanned: summaries.flatMap((summary) => summary.lookups),
      touchedData: [...(this.options.touchedData ?? []), ...summaries.flatMap((summary) => summary.touchedData)],
      ...(this.options.terraformFiles ? { terraformFiles: { ...this.options.terraformFiles } } : {}),
      declarations: sharedDeclarations(summaries.flatMap((summary) => summary.declarations ?? [])),
      repository: this.options.repository,
    };
  }

  /**
   * The context with the Terraform files' lookups as their evaluation makes them: a parse summary holds them as
   * written (`var.who`, `local.x` unknown, no local module's resources), and a cross-resource rule that reads an
   * unknown value judges nothing (a wildcard principal in a variable's default passed unseen). Each Terraform file
   * is evaluated first, by the worker that holds it, under the whole context (its declarations); its own evaluation
   * then reuses that. A file whose lookups could not be had keeps its summary's: its evaluation fails the same way,
   * and the file is not reviewed.
   */
  private async evaluatedLookups(whole: Context): Promise<Context> {
    const outcomes = await Promise.all(this.known.map((_, i) => (this.terraform[i] ? (this.parses[i] ?? null) : null)));
    // Evaluation changes nothing of what a file's lookups hold when they hold no expression (`${…}`: a variable, a
    // local, a template), it calls no local module, no file calls its module, it writes no `dynamic`, `count` or
    // `for_each`, and no override file of its module merges into it: those keep their summary's, and cost no round trip.
    const overridden = new Set(whole.declarations.filter((d) => (d.overrides?.length ?? 0) > 0).map((d) => posix.dirname(d.file)));
    // A module's resources are created only through the calls of it, which may create none.
    const called = new Set(whole.declarations.flatMap((d) => (d.calls ?? []).map((call) => call.folder)));
    const evaluates = (file: SourceFile, summary: ParseSummary) =>
      (summary.declarations?.calls?.length ?? 0) > 0 ||
      overridden.has(posix.dirname(file.path)) ||
      called.has(posix.dirname(file.path)) ||
      /\b(?:dynamic|count|for_each)\b/.test(file.text) ||
      JSON.stringify(summary.lookups).includes('${');
    // Thousands of Terraform files: weighing them gives way to the server's other work now and then.
    const pause = pacer();
    const asked: { file: SourceFile; summary: ParseSummary }[] = [];
    for (const [i, file] of this.known.entries()) {
      await pause();
      const outcome = outcomes[i];
      if (outcome?.ok && outcome.value && (outcome.value.format === 'hcl' || outcome.value.format === 'tfjson') && evaluates(file, outcome.value)) asked.push({ file, summary: outcome.value });
    }
    if (asked.length === 0) return whole;
    this.job.context = whole;
    this.job.informed.clear();
    const answers = await startPaced(asked, async ({ file, summary }) => {
      const request: Request & { id: number } = { type: 'lookups', id: 0, job: this.job.id, path: file.path, changed: file.changed ? [...file.changed] : null };
      const outcome = await this.workers.submit<PlainResource[]>(this.job, request, this.liveHolder(file), file.text);
      return outcome.ok ? outcome.value.map((r) => this.interner.resource(r)) : summary.lookups;
    });
    const evaluatedFiles = new Set(asked.map(({ file }) => file.path));
    return { ...whole, scanned: [...whole.scanned.filter((r) => !evaluatedFiles.has(r.file)), ...answers.flat()] };
  }

  /** One file's rules (and fixes' proofs), by the worker that holds its parse when it is still there. */
  private async evaluate(file: SourceFile, i: number): Promise<Evaluated<T>> {
    const changed = file.changed ? [...file.changed] : null;
    const early = this.ahead[i] ? await this.ahead[i] : null;
    // A parse ahead that failed (time limit, a worker that died) is the file's failure, as in the first round.
    if (early && !early.ok && early.reason !== WITHDRAWN) return { failed: early.reason };
    if (!this.firstRound[i] && !(early?.ok && early.kept && early.value && this.holders.get(file.path)?.alive)) {
      // Not parsed, or not kept: parsed and evaluated in one task, which gives the summary too.
      const request: Request & { id: number } = { type: 'evaluate', id: 0, job: this.job.id, path: file.path, changed, summarize: true, prove: file.proveFixes === true };
      const outcome = await this.workers.submit<Evaluation<T>>(this.job, request, undefined, file.text);
      if (!outcome.ok) return { failed: outcome.reason };
      const { summary, value, unseen } = outcome.value;
      if (summary) this.intern(summary);
      return { summary: withUnseen(summary, unseen), outcome: summary ? { ok: true, value: this.receive(value as T, this.interner) } : null };
    }
    const parsedFirst = early ?? (await this.parses[i]!);
    if (!parsedFirst.ok) return { failed: parsedFirst.reason };
    if (!parsedFirst.value) return { summary: null, outcome: null };
    const request: Request & { id: number } = { type: 'evaluate', id: 0, job: this.job.id, path: file.path, changed, prove: file.proveFixes === true };
    const outcome = await this.workers.submit<Evaluation<T>>(this.job, request, this.liveHolder(file), file.text);
    if (!outcome.ok) return { summary: parsedFirst.value, outcome };
    return { summary: withUnseen(parsedFirst.value, outcome.value.unseen), outcome: { ...outcome, value: this.receive(outcome.value.value as T, this.interner) } };
  }

  private intern(summary: ParseSummary): void {
    for (const resource of summary.lookups) this.interner.resource(resource);
  }

  private liveHolder(file: SourceFile): Slot | undefined {
    const holder = this.holders.get(file.path);
    return holder?.alive ? holder : undefined;
  }

  /** In the files' order, whichever round evaluated them. */
  private gather(evaluated: readonly Evaluated<T>[]): ScanJobResult<T> {
    const errors: Note[] = [];
    const parsed: { file: SourceFile; summary: ParseSummary }[] = [];
    const results: T[] = [];
    evaluated.forEach((done, i) => {
      const file = this.known[i]!;
      if ('failed' in done) errors.push({ file: file.path, message: done.failed });
      if ('failed' in done || !done.summary) return;
      parsed.push({ file, summary: done.summary });
      if (done.outcome?.ok) results.push(done.outcome.value);
      else if (done.outcome) errors.push({ file: file.path, message: done.outcome.reason });
    });
    return { parsed, results, errors };
  }
}

/** A summary with what its file's evaluation still could not see, when that answered it. */
function withUnseen(summary: ParseSummary | null, unseen: ParseSummary['unseen']): ParseSummary | null {
  if (!summary || unseen === undefined) return summary;
  const { unseen: _before, ...rest } = summary;
  return unseen.length > 0 ? { ...rest, unseen } : rest;
}

/** The files of Terraform (HCL, JSON, variable definitions), and Terragrunt's configurations. */
const TERRAFORM_FILES = new Set(['hcl', 'tfjson', 'tfvars', 'terragrunt']);

/**
 * Whether a Terraform file's text names a type that writes a Kubernetes object some rule looks up (a
 * `kubernetes_network_policy`, a `kubernetes_labels`), or any object (`kubernetes_manifest`, `kubectl_manifest`).
 * Types are quoted, in HCL labels as in Terraform JSON keys; it may say yes for less, never no for one.
 */
function writesLookedUpObjects(text: string): boolean {
  for (const [, type] of text.matchAll(/"(kubernetes_\w+|kubectl_manifest)"/g)) {
    if (type === 'kubernetes_manifest' || type === 'kubectl_manifest' || LOOKED_UP_KINDS.has(type!)) return true;
    const kind = kubernetesKindOf(type!)?.kind;
    if (kind !== undefined && LOOKED_UP_KINDS.has(kind)) return true;
  }
  return false;
}
