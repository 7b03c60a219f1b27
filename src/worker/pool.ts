// A pool of parsing workers (node:worker_threads) with a time limit per file. The main thread only hands out
// texts and gathers findings, so it stays free for other webhooks while a huge pull request is reviewed.
//
// A scan is a job (src/worker/scan-job.ts): the files that may give the others something are parsed first, then
// every file is evaluated by the worker that holds it, with the resources cross-resource rules may look up as
// plain data. Parses never come back to the main thread: it gets each file's summary and its findings (a baseline
// only their fingerprints), and asks a worker when it needs a fix rendered afterwards. Which worker does what,
// and when, is src/worker/scheduler.ts.
import { availableParallelism } from 'node:os';
import type { Config } from '../config.js';
import { currentLimits } from '../engine/limits.js';
import type { RepositoryIndex } from '../engine/repository.js';
import { INDEXED_KINDS, type IndexedParse } from '../engine/repository-index.js';
import { byPlace, type ScanResult, type ScannedFile, type SourceFile } from '../engine/run.js';
import { stripBom } from '../formats/text.js';
import type { Edit, EditOp, Finding } from '../model.js';
import type { Request, ResourcesOf } from './scan-worker.js';
import type { CompositionRequest, CompositionReview } from '../composed-review.js';
import type { ChartReview, ChartReviewInput } from '../render/chart-review.js';
import type { ChartIndex, ChartIndexInput } from '../render/chart-index.js';
import type { Interner } from './intern.js';
import { rendersByFile, type RenderAsk } from '../engine/render-fix.js';
import { pacer } from '../common/pace.js';
import type { Proof } from './prove-task.js';
import { toPlainRepository, type PlainRepository, type PlainResource } from './transfer.js';
import { Workers } from './scheduler.js';
import { ScanJob, type ScanJobResult } from './scan-job.js';

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
  /**
   * How long the pool stays idle before each worker lets go of the repository index it holds (default 15 s: a
   * review's jobs follow one another closely; the next review brings an index of its own).
   */
  forgetRepositoryAfterMs?: number;
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
  /** The files Terraform's `file()` reads (src/terraform-files.ts). */
  terraformFiles?: Readonly<Record<string, string>>;
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
      // bench: a 3,000-file review takes ~5% longer than with 512 KiB, and peaks ~40 MB lower); a Terraform file
      // is converted by hcl2json once all the same (src/worker/converted-terraform.ts).
      cacheTextBytes: options.cacheTextBytes ?? 128 * 1024,
      maxWorkerHeapMb: options.maxWorkerHeapMb ?? 512,
      workerYoungGenerationMb: options.workerYoungGenerationMb ?? 4,
      terraformWorkers: Math.min(size, Math.max(1, options.terraformWorkers ?? Math.floor(size / 2))),
      forgetRepositoryAfterMs: options.forgetRepositoryAfterMs ?? 15_000,
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
    const { parsed, results, errors } = await this.runJob<Finding[]>(files, options, false, (found, interner) => found.map((f) => interner.finding(f)));
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

  /**
   * A file's resources of these kinds (null: all) and its parse errors, parsed in a worker within the per-file limits
   * (`parsed` null: the file parses into nothing); null when it could not be parsed there (the time limit, a worker
   * that died).
   */
  async resources(path: string, text: string, kinds: readonly string[] | null): Promise<{ parsed: ResourcesOf | null } | null> {
    if (this.workers.closed) throw new Error('the scan pool is closed');
    const job = this.workers.startJob();
    try {
      const outcome = await this.workers.submit<ResourcesOf | null>(job, { type: 'resources', id: 0, job: job.id, path, text, kinds: kinds && [...kinds] });
      return outcome.ok ? { parsed: outcome.value } : null;
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

  /** A scan of these files as one job (src/worker/scan-job.ts): every file's summary and result, and what failed. */
  private async runJob<T>(files: readonly SourceFile[], options: PoolScanOptions, fingerprintsOnly: boolean, receive: (value: T, interner: Interner) => T = (value) => value): Promise<ScanJobResult<T>> {
    if (this.workers.closed) throw new Error('the scan pool is closed');
    const job = this.workers.startJob();
    try {
      const jobOptions = { config: options.config, ruleIds: options.ruleIds, repository: plainRepository(options), renderFixes: options.renderFixes !== false, fingerprintsOnly, ...(options.skipFixesFor ? { skipFixesFor: options.skipFixesFor } : {}), ...(options.touchedData ? { touchedData: options.touchedData } : {}), ...(options.terraformFiles ? { terraformFiles: options.terraformFiles } : {}) };
      return await new ScanJob<T>(this.workers, job, files, jobOptions, receive).run();
    } finally {
      this.workers.finish(job);
    }
  }
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
