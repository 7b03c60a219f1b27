// A pool of parsing workers (node:worker_threads) with a time limit per file. The main thread only hands out
// texts and gathers findings, so it stays free for other webhooks while a huge pull request is reviewed.
//
// A scan is a job in two rounds: every file that may give the others something is parsed (each worker keeps
// what it parsed, up to a memory bound), then every file is evaluated by the worker that holds it, with the
// resources cross-resource rules may look up as plain data; a file that gives nothing (most YAML) is parsed
// only then. Parses never come back to the main thread: it gets each file's summary and its
// findings (a baseline only their fingerprints), and asks a worker when it needs a fix rendered afterwards.
// Which worker does what, and when, is src/worker/scheduler.ts.
import { availableParallelism } from 'node:os';
import { posix } from 'node:path';
import type { Config } from '../config.js';
import { currentLimits } from '../engine/limits.js';
import type { RepositoryIndex } from '../engine/repository.js';
import { INDEXED_KINDS, type IndexedParse } from '../engine/repository-index.js';
import { byPlace, type ScanResult, type ScannedFile, type SourceFile } from '../engine/run.js';
import { fileKind } from '../formats/index.js';
import { kubernetesKindOf } from '../formats/paths.js';
import { stripBom } from '../formats/text.js';
import type { Edit, EditOp, Finding, Note } from '../model.js';
import type { Request } from './scan-worker.js';
import type { CompositionRequest, CompositionReview } from '../composed-review.js';
import type { ChartReview, ChartReviewInput } from '../render/chart-review.js';
import type { ChartIndex, ChartIndexInput } from '../render/chart-index.js';
import { Interner } from './intern.js';
import { rendersByFile, type RenderAsk } from '../engine/render-fix.js';
import { pacer, startPaced } from '../common/pace.js';
import type { Proof } from './prove-task.js';
import { mayGiveContext, toPlainRepository, type ParseSummary, type PlainRepository, type PlainResource } from './transfer.js';
import { LOOKED_UP_KINDS } from '../../rules/index.js';
import { sharedDeclarations } from '../engine/terraform/evaluate.js';
import { WITHDRAWN, Workers, type Outcome, type Slot } from './scheduler.js';

export interface PoolOptions {
  /** Worker threads; default: the cores available, at most 4. */
  size?: number;
  /** Longest a worker may spend on one file (parse, or rules and fixes) before it is replaced. */
  fileTimeLimitMs?: number;
  /** Text each worker keeps parsed between the two rounds; beyond it a file is parsed twice instead. */
  cacheTextBytes?: number;
  /** V8 heap limit of each worker: an input that explodes in memory kills its worker, not the process. */
  maxWorkerHeapMb?: number;
  /**
   * V8 young generation of each worker. Parsing makes short-lived garbage fast, and V8's default lets each
   * worker hold tens of MB of it between collections; a few MB costs no measurable time (npm run bench).
   */
  workerYoungGenerationMb?: number;
  /** Workers that take Terraform files (and so load hcl2json); default: half of them, at least one. */
  terraformWorkers?: number;
}

export interface PoolScanOptions {
  config: Config;
  ruleIds: readonly string[];
  repository?: RepositoryIndex;
  renderFixes?: boolean;
  /** A promise: the files are parsed meanwhile, and evaluated once it is settled (a baseline still being scanned). */
  skipFixesFor?: ReadonlySet<string> | Promise<ReadonlySet<string>>;
  /** What the change touched outside the files scanned (a deleted definitions file's variables: src/engine/data-reads.ts). */
  touchedData?: readonly string[];
}

export { TIMEOUT_NOTE } from './scheduler.js';

export class ScanPool {
  private readonly workers: Workers;

  constructor(options: PoolOptions = {}) {
    const size = Math.max(1, options.size ?? defaultPoolSize());
    this.workers = new Workers({
      size,
      fileTimeLimitMs: options.fileTimeLimitMs ?? currentLimits().fileTimeLimitMs,
      // A parsed file holds ~30x its text in memory, and an HCL file's syntax tree lives in WebAssembly memory,
      // which never shrinks: 128 KiB of text is ~4 MB per worker. Larger reviews parse some files twice (npm run
      // bench: a 3,000-file review takes ~5% longer than with 512 KiB, and peaks ~40 MB lower).
      cacheTextBytes: options.cacheTextBytes ?? 128 * 1024,
      maxWorkerHeapMb: options.maxWorkerHeapMb ?? 512,
      workerYoungGenerationMb: options.workerYoungGenerationMb ?? 4,
      terraformWorkers: Math.min(size, Math.max(1, options.terraformWorkers ?? Math.floor(size / 2))),
    });
  }

  get size(): number {
    return this.workers.settings.size;
  }

  /** Workers replaced after overrunning the time limit or crashing (for tests and logs). */
  get replaced(): number {
    return this.workers.replaced;
  }

  /** Workers ever handed a Terraform file. */
  get terraformWorkers(): number {
    return this.workers.terraformWorkers;
  }

  /** Start the workers and wait until they are ready, so the first review pays no start-up (a server calls this at boot). */
  ready(): Promise<void> {
    return this.workers.ready();
  }

  /** Stop every worker; pending tasks end as not reviewed. */
  close(): Promise<void> {
    return this.workers.close();
  }

  /** Parse and review files in the workers: the same findings as scanFiles; the parses stay in the workers. */
  async scan(files: readonly SourceFile[], options: PoolScanOptions): Promise<ScanResult> {
    const started = performance.now();
    const interner = new Interner();
    const { parsed, results, errors } = await this.runJob<Finding[]>(files, options, false, (found) => found.map((f) => interner.finding(f)));
    // The last answer's callback got here: what follows (thousands of findings) runs after other work waiting.
    const pause = pacer(0);
    await pause();
    const findings = results.flat();
    findings.sort(byPlace);
    await pause();
    const scanned: ScannedFile[] = parsed.map(({ file, summary }) => ({
      file: file.path,
      format: summary.format,
      text: stripBom(file.text),
      errors: summary.errors,
      notes: summary.notes,
      notReviewed: summary.notReviewed,
      ...(summary.unseen !== undefined ? { unseen: summary.unseen } : {}),
      resourceCount: summary.resourceCount,
    }));
    return {
      findings,
      notes: scanned.flatMap((f) => f.notes.map((message) => ({ file: f.file, message }))),
      errors,
      files: scanned,
      stats: { files: scanned.length, resources: parsed.reduce((n, p) => n + p.summary.resourceCount, 0), ms: Math.round(performance.now() - started) },
    };
  }

  /** The fingerprints of the findings a scan would give: all a baseline needs, so no finding crosses threads. */
  async fingerprints(files: readonly SourceFile[], options: PoolScanOptions): Promise<Set<string>> {
    const { results } = await this.runJob<string[]>(files, { ...options, renderFixes: false }, true);
    return new Set(results.flat());
  }

  /**
   * One file parsed for the repository index in a worker, within the per-file limits: the resources the index keeps,
   * or why the file could not be read (a parse over the time limit, a worker that died).
   */
  async indexed(path: string, text: string): Promise<Omit<IndexedParse, 'resources'> & { resources: PlainResource[] }> {
    if (this.workers.closed) throw new Error('the scan pool is closed');
    const job = this.workers.startJob();
    try {
      const outcome = await this.workers.submit<Omit<IndexedParse, 'resources'> & { resources: PlainResource[] }>(job, { type: 'index', id: 0, job: job.id, path, text });
      return outcome.ok ? outcome.value : { resources: [], parsed: true, kinds: [...INDEXED_KINDS].sort(), problem: outcome.reason.replace(/^not reviewed: /, '') };
    } finally {
      this.workers.finish(job);
    }
  }

  /** Ops rendered against one resource of a file, parsed in a worker; null when they cannot be. */
  async render(path: string, text: string, resource: string, ops: readonly EditOp[]): Promise<Edit | null> {
    return (await this.renderAll([{ path, text, resource, ops }]))[0]!;
  }

  /** Many renders in one job, each file parsed once for all of its renders; null for each one that cannot be. */
  async renderAll(renders: readonly RenderAsk[]): Promise<(Edit | null)[]> {
    if (this.workers.closed) throw new Error('the scan pool is closed');
    if (renders.length === 0) return [];
    const job = this.workers.startJob();
    try {
      const edits: (Edit | null)[] = renders.map(() => null);
      await Promise.all(
        rendersByFile(renders).map(async ({ path, text, indexes }) => {
          const request = { type: 'renders' as const, id: 0, job: job.id, path, text, renders: indexes.map((i) => ({ resource: renders[i]!.resource, ops: [...renders[i]!.ops] })) };
          const outcome = await this.workers.submit<(Edit | null)[]>(job, request);
          if (outcome.ok) indexes.forEach((index, i) => (edits[index] = outcome.value[i] ?? null));
        }),
      );
      return edits;
    } finally {
      this.workers.finish(job);
    }
  }

  /**
   * Fixes proven in the workers (src/worker/prove-task.ts), all in one job: its config, rules and repository go to
   * each worker once. A proof the pool could not finish (time limit, a worker that died) is not proven.
   */
  async prove(proofs: readonly Proof[], options: PoolScanOptions): Promise<boolean[]> {
    if (this.workers.closed) throw new Error('the scan pool is closed');
    if (proofs.length === 0) return [];
    const job = this.workers.startJob();
    try {
      job.context = {
        type: 'context',
        job: job.id,
        config: options.config,
        ruleIds: [...options.ruleIds],
        renderFixes: false,
        skipFixesFor: [],
        fingerprintsOnly: false,
        scanned: [],
        touchedData: [],
        declarations: [],
        repository: plainRepository(options),
      };
      const outcomes = await Promise.all(proofs.map((proof) => this.workers.submit<boolean>(job, { type: 'prove', id: 0, job: job.id, path: proof.path, text: proof.text, fingerprints: [...proof.fingerprints], ...(proof.ruleIds ? { ruleIds: [...proof.ruleIds] } : {}) })));
      return outcomes.map((outcome) => outcome.ok && outcome.value === true);
    } finally {
      this.workers.finish(job);
    }
  }

  /**
   * Compose the kustomizations a change reaches and review them in a worker, within the per-file time limit
   * (the waits for `read` not counted). The reason instead when it could not finish.
   */
  async compose(composition: CompositionRequest, read: (path: string) => Promise<string | null>, options: PoolScanOptions): Promise<CompositionReview> {
    const outcome = await this.wholeReview<CompositionReview>((job) => ({ type: 'compose', id: 0, job, composition, ...reviewContext(options) }), read);
    return 'failed' in outcome ? { findings: [], existed: [], consumed: [], reached: [], notes: [], uncomposed: [], failed: outcome.failed } : outcome;
  }

  /**
   * Render a Helm chart and review it in a worker, within the per-file time limit. The reason instead when it could
   * not finish.
   */
  async chart(input: ChartReviewInput, options: PoolScanOptions): Promise<ChartReview | { failed: string }> {
    return this.wholeReview<ChartReview>((job) => ({ type: 'chart', id: 0, job, input, ...reviewContext(options) }));
  }

  /** A Helm chart rendered for the repository index in a worker, within the per-file time limit; why not, when it could not finish. */
  async indexChart(input: ChartIndexInput): Promise<ChartIndex | { failed: string }> {
    return this.wholeReview<ChartIndex>((job) => ({ type: 'chart-index', id: 0, job, input }));
  }

  /** One task that reviews a whole composition or chart, as a job of its own: its value, or why it did not finish. */
  private async wholeReview<T>(request: (job: string) => Request & { id: number }, read?: (path: string) => Promise<string | null>): Promise<T | { failed: string }> {
    if (this.workers.closed) throw new Error('the scan pool is closed');
    const job = this.workers.startJob();
    try {
      const outcome = await this.workers.submit<T>(job, request(job.id), undefined, undefined, read);
      return outcome.ok ? outcome.value : { failed: outcome.reason.replace(/^not reviewed: /, '') };
    } finally {
      this.workers.finish(job);
    }
  }

  /**
   * A scan in two rounds: every file that may give the others something (src/worker/transfer.ts mayGiveContext)
   * is parsed (each worker keeps what it parsed, up to a memory bound), then every file is evaluated by the worker
   * that holds it, with the resources rules may look up as plain data; the others are parsed as they are evaluated.
   */
  private async runJob<T>(
    files: readonly SourceFile[],
    options: PoolScanOptions,
    fingerprintsOnly: boolean,
    /** Applied to each file's result as it arrives, so what it drops is garbage at once. */
    receive: (value: T) => T = (value) => value,
  ): Promise<{ parsed: { file: SourceFile; summary: ParseSummary }[]; results: T[]; errors: Note[] }> {
    if (this.workers.closed) throw new Error('the scan pool is closed');
    const job = this.workers.startJob();
    const known = files.filter((f) => fileKind(f.path) !== null);
    // Files that give the others nothing (most YAML) skip the first round: each is parsed once, ahead or when evaluated.
    const firstRound = known.map((f) => mayGiveContext(f.path, f.text, LOOKED_UP_KINDS));
    try {
      const holders = new Map<string, Slot>();
      const parse = (file: SourceFile, early: boolean) =>
        this.workers
          .submit<ParseSummary | null>(job, { type: 'parse', id: 0, job: job.id, path: file.path, text: file.text, changed: file.changed ? [...file.changed] : null, ...(early ? { ahead: true } : {}), ...(fingerprintsOnly ? { positions: false as const } : {}) }, undefined, undefined, undefined, early)
          .then((outcome) => {
            if (outcome.ok && outcome.kept && outcome.slot) holders.set(file.path, outcome.slot);
            return outcome;
          });
      // The other files are parsed ahead, as spare work, by workers that would otherwise wait for the first round (the
      // first worker is on Terraform), each kept for its evaluation, and only as much as the workers but the first can
      // keep (a server's keep little); what no worker has started when the round ends is parsed as it is evaluated.
      const ahead: (Promise<Outcome<ParseSummary | null>> | null)[] = [];
      let aheadBytes = this.workers.settings.cacheTextBytes * (this.workers.settings.size - 1);
      // Thousands of files: sending them gives way to the server's other work now and then.
      const parsedOutcomes: (Promise<Outcome<ParseSummary | null>> | null)[] = [];
      await startPaced(known, async (file, i) => {
        const parsesAhead = !firstRound[i] && (aheadBytes -= file.text.length) >= 0;
        ahead[i] = parsesAhead ? parse(file, true) : null;
        parsedOutcomes[i] = firstRound[i] ? parse(file, false) : null;
      });
      const skipFixesFor = await options.skipFixesFor;
      // The same for every context of the job (one, or the manifests' then the whole one).
      const repository = plainRepository(options);
      const contextOf = (outcomes: readonly (Outcome<ParseSummary | null> | null)[]): Extract<Request, { type: 'context' }> => {
        const summaries = outcomes.flatMap((outcome) => (outcome?.ok && outcome.value ? [outcome.value] : []));
        return {
          type: 'context',
          job: job.id,
          config: options.config,
          ruleIds: [...options.ruleIds],
          renderFixes: options.renderFixes !== false,
          skipFixesFor: [...(skipFixesFor ?? [])],
          fingerprintsOnly,
          scanned: summaries.flatMap((summary) => summary.lookups),
          touchedData: [...(options.touchedData ?? []), ...summaries.flatMap((summary) => summary.touchedData)],
          declarations: sharedDeclarations(summaries.flatMap((summary) => summary.declarations ?? [])),
          repository,
        };
      };
      const evaluate = async (file: SourceFile, i: number): Promise<{ summary: ParseSummary | null; outcome: Outcome<T> | null } | { failed: string }> => {
        const changed = file.changed ? [...file.changed] : null;
        const early = ahead[i] ? await ahead[i] : null;
        // A parse ahead that failed (time limit, a worker that died) is the file's failure, as in the first round.
        if (early && !early.ok && early.reason !== WITHDRAWN) return { failed: early.reason };
        if (!firstRound[i] && !(early?.ok && early.kept && early.value && holders.get(file.path)?.alive)) {
          const request: Request & { id: number } = { type: 'evaluate', id: 0, job: job.id, path: file.path, changed, summarize: true, prove: file.proveFixes === true };
          const outcome = await this.workers.submit<{ summary: ParseSummary | null; value?: T }>(job, request, undefined, file.text);
          if (!outcome.ok) return { failed: outcome.reason };
          const { summary, value } = outcome.value;
          return { summary, outcome: summary ? { ok: true, value: receive(value as T) } : null };
        }
        const parsedFirst = early ?? (await parsedOutcomes[i]!);
        if (!parsedFirst.ok) return { failed: parsedFirst.reason };
        if (!parsedFirst.value) return { summary: null, outcome: null };
        const holder = holders.get(file.path);
        const request: Request & { id: number } = { type: 'evaluate', id: 0, job: job.id, path: file.path, changed, prove: file.proveFixes === true };
        const outcome = await this.workers.submit<T>(job, request, holder?.alive ? holder : undefined, file.text);
        return { summary: parsedFirst.value, outcome: outcome.ok ? { ...outcome, value: receive(outcome.value) } : outcome };
      };
      // Every file is evaluated once the first round is parsed, with what it gave. But a Terraform file gives a
      // Kubernetes manifest's rules something only through the Kubernetes objects it writes (`kubernetes_*`,
      // `kubectl_manifest`): without one, the manifests are evaluated once their own first round is parsed, while
      // the Terraform files' still is (one worker takes Terraform first; the other would wait), with what the
      // manifests gave; the Terraform files then with everything (a worker is sent the whole context before its
      // next evaluation; for a manifest it adds nothing its rules read).
      const terraform = known.map((f) => TERRAFORM_FILES.has(fileKind(f.path)!));
      const manifestsFirst = terraform.includes(true) && terraform.includes(false) && !known.some((f, i) => terraform[i] && writesLookedUpObjects(f.text));
      const evaluated: Awaited<ReturnType<typeof evaluate>>[] = [];
      const round = async (which: (i: number) => boolean, context: () => Promise<Extract<Request, { type: 'context' }>>, set?: () => void) => {
        const indexes = known.map((_, i) => i).filter(which);
        try {
          job.context = await context();
          job.informed.clear();
        } finally {
          set?.();
        }
        this.workers.withdrawSpare(job);
        const done = await startPaced(indexes, (i) => evaluate(known[i]!, i));
        indexes.forEach((index, k) => (evaluated[index] = done[k]!));
      };
      const firstOf = async (which: (i: number) => boolean) => contextOf(await Promise.all(known.map((_, i) => (which(i) ? (parsedOutcomes[i] ?? null) : null))));
      /**
       * The context with the Terraform files' lookups as their evaluation makes them: a parse summary holds them as
       * written (`var.who`, `local.x` unknown, no local module's resources), and a cross-resource rule that reads an
       * unknown value judges nothing (a wildcard principal in a variable's default passed unseen). Each Terraform
       * file is evaluated first, by the worker that holds it, under the whole context (its declarations); its own
       * evaluation then reuses that. A file whose lookups could not be had keeps its summary's: its evaluation fails
       * the same way, and the file is not reviewed.
       */
      const evaluatedLookups = async (whole: Extract<Request, { type: 'context' }>): Promise<Extract<Request, { type: 'context' }>> => {
        const outcomes = await Promise.all(known.map((_, i) => (terraform[i] ? (parsedOutcomes[i] ?? null) : null)));
        // Evaluation changes nothing of what a file's lookups hold when they hold no expression (`${…}`: a variable,
        // a local, a template), it calls no local module and writes no `dynamic`, `count` or `for_each`, and no
        // override file of its module merges into it: those keep their summary's, and cost no round trip.
        const overridden = new Set(whole.declarations.filter((d) => (d.overrides?.length ?? 0) > 0).map((d) => posix.dirname(d.file)));
        const evaluates = (file: SourceFile, summary: ParseSummary) =>
          (summary.declarations?.calls?.length ?? 0) > 0 || overridden.has(posix.dirname(file.path)) || /\b(?:dynamic|count|for_each)\b/.test(file.text) || JSON.stringify(summary.lookups).includes('${');
        const asked = known.flatMap((file, i) => {
          const outcome = outcomes[i];
          return outcome?.ok && outcome.value && (outcome.value.format === 'hcl' || outcome.value.format === 'tfjson') && evaluates(file, outcome.value) ? [{ file, summary: outcome.value }] : [];
        });
        if (asked.length === 0) return whole;
        job.context = whole;
        job.informed.clear();
        const answers = await Promise.all(
          asked.map(async ({ file, summary }) => {
            const holder = holders.get(file.path);
            const request: Request & { id: number } = { type: 'lookups', id: 0, job: job.id, path: file.path, changed: file.changed ? [...file.changed] : null };
            const outcome = await this.workers.submit<PlainResource[]>(job, request, holder?.alive ? holder : undefined, file.text);
            return outcome.ok ? outcome.value : summary.lookups;
          }),
        );
        const evaluatedFiles = new Set(asked.map(({ file }) => file.path));
        return { ...whole, scanned: [...whole.scanned.filter((r) => !evaluatedFiles.has(r.file)), ...answers.flat()] };
      };
      if (manifestsFirst) {
        // The whole context is set after the manifests' one, never before (it would be replaced by less).
        let manifestsSet!: () => void;
        const afterManifests = new Promise<void>((resolve) => (manifestsSet = resolve));
        const manifests = round((i) => !terraform[i], () => firstOf((i) => !terraform[i]), manifestsSet);
        const rest = round((i) => terraform[i]!, async () => {
          const whole = await firstOf(() => true);
          await afterManifests;
          return evaluatedLookups(whole);
        });
        await Promise.all([manifests, rest]);
      } else {
        await round(() => true, async () => evaluatedLookups(await firstOf(() => true)));
      }
      // In the files' order, whichever round parsed them.
      const errors: Note[] = [];
      const parsed: { file: SourceFile; summary: ParseSummary }[] = [];
      const results: T[] = [];
      evaluated.forEach((done, i) => {
        const file = known[i]!;
        if ('failed' in done) errors.push({ file: file.path, message: done.failed });
        if ('failed' in done || !done.summary) return;
        parsed.push({ file, summary: done.summary });
        if (done.outcome?.ok) results.push(done.outcome.value);
        else if (done.outcome) errors.push({ file: file.path, message: done.outcome.reason });
      });
      return { parsed, results, errors };
    } finally {
      this.workers.finish(job);
    }
  }
}

/** The files of Terraform (HCL, JSON, variable definitions). */
const TERRAFORM_FILES = new Set(['hcl', 'tfjson', 'tfvars']);
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

/** Workers by default: WARDEN_WORKERS, else the cores available (at most 4). 0 means scan in-process. */
export function defaultPoolSize(): number {
  const configured = process.env.WARDEN_WORKERS;
  if (configured !== undefined && configured !== '' && Number.isInteger(Number(configured))) return Math.max(0, Number(configured));
  return Math.min(4, availableParallelism());
}

let shared: ScanPool | null = null;

let sharedOptions: PoolOptions = {};

/**
 * Options for the process's pool, set before its first use. The defaults keep a server within its memory budget;
 * the command line, one review and gone, trades memory for speed (bin/warden.js).
 */
export function configureSharedPool(options: PoolOptions): void {
  if (shared) throw new Error('the shared scan pool is already running');
  sharedOptions = options;
}

/**
 * The command line's pool: every worker may take Terraform (the others when enough waits), keeps what it parsed,
 * and collects garbage less often.
 */
export const COMMAND_LINE_POOL: PoolOptions = { terraformWorkers: Number.MAX_SAFE_INTEGER, cacheTextBytes: 4 * 1024 * 1024, workerYoungGenerationMb: 16 };

/** The process's pool, started on first use. */
export function sharedPool(): ScanPool {
  shared ??= new ScanPool(sharedOptions);
  return shared;
}

export async function closeSharedPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}

/** What a whole-review task needs besides its input: the config, the rules by id, the repository as plain data. */
function reviewContext(options: PoolScanOptions): { config: Config; ruleIds: string[]; repository: PlainRepository } {
  return {
    config: options.config,
    ruleIds: [...options.ruleIds],
    repository: plainRepository(options),
  };
}

/** The repository's resources as plain data, to cross to a worker. */
function plainRepository(options: PoolScanOptions): PlainRepository {
  return toPlainRepository(options.repository);
}
