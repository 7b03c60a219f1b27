// A pool of parsing workers (node:worker_threads) with a time limit per file. The main thread only hands out
// texts and gathers findings, so it stays free for other webhooks while a huge pull request is reviewed.
//
// A scan is a job in two rounds: every file that may give the others something is parsed (each worker keeps
// what it parsed, up to a memory bound), then every file is evaluated by the worker that holds it, with the
// resources cross-resource rules may look up as plain data; a file that gives nothing (most YAML) is parsed
// only then. Parses never come back to the main thread: it gets each file's summary and its
// findings (a baseline only their fingerprints), and asks a worker when it needs a fix rendered afterwards.
// Jobs take turns, so a small pull request is not queued behind a huge one. Terraform files go to the first
// half of the workers only (one on a 2-core machine): hcl2json's Go runtime costs ~55 MB in every thread that
// loads it.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import type { Config } from '../config.js';
import { currentLimits } from '../engine/limits.js';
import type { RepositoryIndex } from '../engine/repository.js';
import { INDEXED_KINDS, type IndexedParse } from '../engine/repository-index.js';
import type { ScanResult, ScannedFile, SourceFile } from '../engine/run.js';
import { fileKind } from '../formats/index.js';
import { stripBom } from '../formats/text.js';
import type { Edit, EditOp, Finding, Note } from '../model.js';
import type { Reply, Request } from './scan-worker.js';
import type { CompositionRequest, CompositionReview } from '../composed-review.js';
import { Interner } from './intern.js';
import { startPaced } from '../common/pace.js';
import type { Proof } from './prove-task.js';
import { mayGiveContext, toPlainResource, type ParseSummary, type PlainResource } from './transfer.js';
import { LOOKED_UP_KINDS } from '../../rules/index.js';
import { sharedDeclarations } from '../engine/terraform/evaluate.js';

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
}

type Outcome<T> = { ok: true; value: T; kept?: boolean } | { ok: false; reason: string };

interface Task {
  id: number;
  job: Job;
  request: Request & { id: number };
  /** The file's text, sent with an evaluation only when the worker holding the file's parse is gone. */
  text?: string;
  settle: (outcome: Outcome<unknown>) => void;
  /** A compose task's reader: the files it asks for while it runs (src/worker/compose-task.ts). */
  read?: (path: string) => Promise<string | null>;
  /** Reads outstanding, and the time left of its limit while they are (the limit counts the worker's own work). */
  reading?: number;
  remainingMs?: number;
  deadline?: number;
  /** On a Terraform file: only workers that load hcl2json take it. */
  terraform: boolean;
}

interface Job {
  id: string;
  queue: Task[];
  /** Tasks on HCL files, which only the first workers take (the threads that load hcl2json). */
  terraform: Task[];
  /** Evaluations waiting for the worker that holds their file's parse. */
  local: Map<Slot, Task[]>;
  context: Extract<Request, { type: 'context' }> | null;
  /** Workers that worked on this job (and may hold its parses), and those that were sent its context. */
  touched: Set<Slot>;
  informed: Set<Slot>;
}

interface Slot {
  worker: Worker;
  /** The worker's answers, on a channel of their own (see expire). */
  replies: MessagePort;
  ready: boolean;
  /** Settles when the worker is ready (or gone). */
  started: Promise<void>;
  markStarted: () => void;
  task: Task | null;
  /**
   * A task already sent behind `task`, so the worker starts it the moment it answers instead of idling while the
   * main thread takes the answer and sends the next (a quarter of a worker's time in a scan of small files). Its
   * time limit starts when it becomes `task`.
   */
  queued: Task | null;
  timer: NodeJS.Timeout | null;
  alive: boolean;
}

/** What the pool says when a file was not reviewed. */
export const TIMEOUT_NOTE = (ms: number) => `not reviewed: it took longer than ${ms / 1000} s, the limit for one file`;

let nextJob = 0;
let nextTask = 0;

export class ScanPool {
  readonly size: number;
  readonly fileTimeLimitMs: number;
  private readonly cacheTextBytes: number;
  private readonly maxWorkerHeapMb: number;
  private readonly workerYoungGenerationMb: number;
  private readonly hclSlots: number;
  private slots: Slot[] = [];
  private jobs: Job[] = [];
  private turn = 0;
  private closed = false;
  /** Workers replaced after overrunning the time limit or crashing (for tests and logs). */
  replaced = 0;
  /** Workers ever handed a Terraform file (for tests and logs: only one at a time should load hcl2json). */
  private readonly terraformSlots = new Set<Slot>();
  /** Terraform files answered: past a few, hcl2json and the HCL grammar are compiled in this process. */
  private terraformAnswers = 0;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, options.size ?? defaultPoolSize());
    this.fileTimeLimitMs = options.fileTimeLimitMs ?? currentLimits().fileTimeLimitMs;
    // A parsed file holds ~30x its text in memory, and an HCL file's syntax tree lives in WebAssembly memory,
    // which never shrinks: 128 KiB of text is ~4 MB per worker. Larger reviews parse some files twice (npm run
    // bench: a 3,000-file review takes ~5% longer than with 512 KiB, and peaks ~40 MB lower).
    this.cacheTextBytes = options.cacheTextBytes ?? 128 * 1024;
    this.maxWorkerHeapMb = options.maxWorkerHeapMb ?? 512;
    this.workerYoungGenerationMb = options.workerYoungGenerationMb ?? 4;
    this.hclSlots = Math.min(this.size, Math.max(1, options.terraformWorkers ?? Math.floor(this.size / 2)));
  }

  /** Parse and review files in the workers: the same findings as scanFiles; the parses stay in the workers. */
  async scan(files: readonly SourceFile[], options: PoolScanOptions): Promise<ScanResult> {
    const started = performance.now();
    const interner = new Interner();
    const { parsed, results, errors } = await this.runJob<Finding[]>(files, options, false, (found) => found.map((f) => interner.finding(f)));
    const findings = results.flat();
    findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
    const scanned: ScannedFile[] = parsed.map(({ file, summary }) => ({
      file: file.path,
      format: summary.format,
      text: stripBom(file.text),
      errors: summary.errors,
      notes: summary.notes,
      notReviewed: summary.notReviewed,
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
    if (this.closed) throw new Error('the scan pool is closed');
    const job = this.startJob();
    try {
      const outcome = await this.submit<Omit<IndexedParse, 'resources'> & { resources: PlainResource[] }>(job, { type: 'index', id: 0, job: job.id, path, text });
      return outcome.ok ? outcome.value : { resources: [], parsed: true, kinds: [...INDEXED_KINDS].sort(), problem: outcome.reason.replace(/^not reviewed: /, '') };
    } finally {
      this.finish(job);
    }
  }

  /** Ops rendered against one resource of a file, parsed in a worker; null when they cannot be. */
  async render(path: string, text: string, resource: string, ops: readonly EditOp[]): Promise<Edit | null> {
    return (await this.renderAll([{ path, text, resource, ops }]))[0]!;
  }

  /** Many renders in one job, each file parsed once for all of its renders; null for each one that cannot be. */
  async renderAll(renders: readonly { path: string; text: string; resource: string; ops: readonly EditOp[] }[]): Promise<(Edit | null)[]> {
    if (this.closed) throw new Error('the scan pool is closed');
    if (renders.length === 0) return [];
    const byFile = new Map<string, { path: string; text: string; indexes: number[] }>();
    renders.forEach(({ path, text }, i) => {
      const key = `${path}\0${text}`;
      (byFile.get(key) ?? byFile.set(key, { path, text, indexes: [] }).get(key)!).indexes.push(i);
    });
    const job = this.startJob();
    try {
      const edits: (Edit | null)[] = renders.map(() => null);
      await Promise.all(
        [...byFile.values()].map(async ({ path, text, indexes }) => {
          const request = { type: 'renders' as const, id: 0, job: job.id, path, text, renders: indexes.map((i) => ({ resource: renders[i]!.resource, ops: [...renders[i]!.ops] })) };
          const outcome = await this.submit<(Edit | null)[]>(job, request);
          if (outcome.ok) indexes.forEach((index, i) => (edits[index] = outcome.value[i] ?? null));
        }),
      );
      return edits;
    } finally {
      this.finish(job);
    }
  }

  /**
   * Fixes proven in the workers (src/worker/prove-task.ts), all in one job: its config, rules and repository go to
   * each worker once. A proof the pool could not finish (time limit, a worker that died) is not proven.
   */
  async prove(proofs: readonly Proof[], options: PoolScanOptions): Promise<boolean[]> {
    if (this.closed) throw new Error('the scan pool is closed');
    if (proofs.length === 0) return [];
    const job = this.startJob();
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
        repository: { complete: options.repository?.complete ?? false, resources: (options.repository?.resources ?? []).map(toPlainResource) },
      };
      const outcomes = await Promise.all(proofs.map((proof) => this.submit<boolean>(job, { type: 'prove', id: 0, job: job.id, path: proof.path, text: proof.text, fingerprints: [...proof.fingerprints], ...(proof.ruleIds ? { ruleIds: [...proof.ruleIds] } : {}) })));
      return outcomes.map((outcome) => outcome.ok && outcome.value === true);
    } finally {
      this.finish(job);
    }
  }

  /**
   * Compose the kustomizations a change reaches and review them in a worker, within the per-file time limit
   * (the waits for `read` not counted). The reason instead when it could not finish.
   */
  async compose(composition: CompositionRequest, read: (path: string) => Promise<string | null>, options: PoolScanOptions): Promise<CompositionReview> {
    if (this.closed) throw new Error('the scan pool is closed');
    const job = this.startJob();
    try {
      const request: Request & { id: number } = {
        type: 'compose',
        id: 0,
        job: job.id,
        composition,
        config: options.config,
        ruleIds: [...options.ruleIds],
        repository: { complete: options.repository?.complete ?? false, resources: (options.repository?.resources ?? []).map(toPlainResource) },
      };
      const outcome = await this.submit<CompositionReview>(job, request, undefined, undefined, read);
      return outcome.ok ? outcome.value : { findings: [], existed: [], consumed: [], reached: [], notes: [], failed: outcome.reason.replace(/^not reviewed: /, '') };
    } finally {
      this.finish(job);
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
    if (this.closed) throw new Error('the scan pool is closed');
    const job = this.startJob();
    const known = files.filter((f) => fileKind(f.path) !== null);
    // Files that give the others nothing (most YAML) skip the first round: each is parsed once, when evaluated.
    const firstRound = known.map((f) => mayGiveContext(f.path, f.text, LOOKED_UP_KINDS));
    try {
      const holders = new Map<string, Slot>();
      // Thousands of files: sending them gives way to the server's other work now and then.
      const parsedOutcomes = await startPaced(known, async (file, i) =>
        firstRound[i]
          ? this.submit<ParseSummary | null>(job, { type: 'parse', id: 0, job: job.id, path: file.path, text: file.text, changed: file.changed ? [...file.changed] : null }).then((outcome) => {
              if (outcome.ok && outcome.kept && outcome.slot) holders.set(file.path, outcome.slot);
              return outcome;
            })
          : null,
      );
      const skipFixesFor = await options.skipFixesFor;
      const summaries = parsedOutcomes.flatMap((outcome) => (outcome?.ok && outcome.value ? [outcome.value] : []));
      job.context = {
        type: 'context',
        job: job.id,
        config: options.config,
        ruleIds: [...options.ruleIds],
        renderFixes: options.renderFixes !== false,
        skipFixesFor: [...(skipFixesFor ?? [])],
        fingerprintsOnly,
        scanned: summaries.flatMap((summary) => summary.lookups),
        touchedData: summaries.flatMap((summary) => summary.touchedData),
        declarations: sharedDeclarations(summaries.flatMap((summary) => summary.declarations ?? [])),
        repository: { complete: options.repository?.complete ?? false, resources: (options.repository?.resources ?? []).map(toPlainResource) },
      };
      const evaluated = await startPaced(known, async (file, i): Promise<{ summary: ParseSummary | null; outcome: Outcome<T> | null } | { failed: string }> => {
        const changed = file.changed ? [...file.changed] : null;
        if (!firstRound[i]) {
          const request: Request & { id: number } = { type: 'evaluate', id: 0, job: job.id, path: file.path, changed, summarize: true, prove: file.proveFixes === true };
          const outcome = await this.submit<{ summary: ParseSummary | null; value?: T }>(job, request, undefined, file.text);
          if (!outcome.ok) return { failed: outcome.reason };
          const { summary, value } = outcome.value;
          return { summary, outcome: summary ? { ok: true, value: receive(value as T) } : null };
        }
        const parse = parsedOutcomes[i]!;
        if (!parse.ok) return { failed: parse.reason };
        if (!parse.value) return { summary: null, outcome: null };
        const holder = holders.get(file.path);
        const request: Request & { id: number } = { type: 'evaluate', id: 0, job: job.id, path: file.path, changed, prove: file.proveFixes === true };
        const outcome = await this.submit<T>(job, request, holder?.alive ? holder : undefined, file.text);
        return { summary: parse.value, outcome: outcome.ok ? { ...outcome, value: receive(outcome.value) } : outcome };
      });
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
      this.finish(job);
    }
  }

  get terraformWorkers(): number {
    return this.terraformSlots.size;
  }

  /** Start the workers and wait until they are ready, so the first review pays no start-up (a server calls this at boot). */
  async ready(): Promise<void> {
    if (this.closed) return;
    this.grow();
    await Promise.all(this.slots.map((slot) => slot.started));
    if (this.jobs.length === 0) for (const slot of this.slots) if (!slot.task) letGo(slot);
  }

  /** Stop every worker; pending tasks end as not reviewed. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    for (const slot of slots) {
      slot.alive = false;
      slot.markStarted();
      if (slot.timer) clearTimeout(slot.timer);
      for (const task of [slot.task, slot.queued]) task?.settle({ ok: false, reason: 'not reviewed: Warden is shutting down' });
    }
    for (const slot of slots) slot.replies.close();
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  // ---- scheduling ----

  private submit<T>(job: Job, request: Request & { id: number }, holder?: Slot, text?: string, read?: Task['read']): Promise<Outcome<T> & { slot?: Slot }> {
    return new Promise((resolve) => {
      const task: Task = {
        id: nextTask++,
        job,
        request: { ...request, id: 0 },
        terraform: false,
        text,
        settle: (outcome) => resolve(outcome as Outcome<T> & { slot?: Slot }),
        ...(read ? { read, reading: 0 } : {}),
      };
      task.request.id = task.id;
      task.terraform = this.queueOf(job, task) === job.terraform;
      if (holder) {
        const list = job.local.get(holder) ?? [];
        list.push(task);
        job.local.set(holder, list);
      } else this.queueOf(job, task).push(task);
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.alive || !slot.ready) continue;
      if (!slot.task) {
        const next = this.take(slot, false);
        if (next) this.run(slot, next.task, next.held);
      }
      if (slot.task && !slot.queued && queueable(slot.task)) {
        const next = this.take(slot, true);
        if (next) this.run(slot, next.task, next.held);
      }
    }
  }

  private queueOf(job: Job, task: Task): Task[] {
    // Variable definitions files are HCL too: the same worker's HCL runtime parses them.
    return 'path' in task.request && ['hcl', 'tfvars'].includes(fileKind(task.request.path) ?? '') ? job.terraform : job.queue;
  }

  /**
   * The next task for a worker: jobs take turns; within a job, its own parses first, then Terraform for the first
   * worker, the other files for the others. `behind`: the task would wait behind the worker's current one, so only
   * a queueable one is taken.
   */
  private take(slot: Slot, behind: boolean): { task: Task; held: boolean } | null {
    const index = this.slots.indexOf(slot);
    const loadsHcl = index >= 0 && index < this.hclSlots;
    const terraformFirst = loadsHcl && index === 0;
    // The others take Terraform when nothing else waits and enough of it does to be worth loading hcl2json (a few
    // hundred ms of a core), once the first has answered a few such files: V8 compiles WebAssembly once per process
    // and shares it between threads, so a worker that loads it then pays a fraction of what two loading it at once
    // each pay.
    const terraformLast = loadsHcl && this.terraformAnswers >= 8;
    for (let n = 0; n < this.jobs.length; n++) {
      const job = this.jobs[(this.turn + n) % this.jobs.length]!;
      const own = job.local.get(slot);
      const helps = terraformLast && job.queue.length === 0 && (job.terraform.length >= TERRAFORM_BACKLOG || this.terraformSlots.has(slot));
      const list = own?.length ? own : (terraformFirst || helps) && job.terraform.length > 0 ? job.terraform : job.queue;
      const task = list[0];
      if (task && (!behind || queueable(task))) {
        list.shift();
        this.turn = (this.turn + n + 1) % this.jobs.length;
        return { task, held: list === own };
      }
    }
    return null;
  }

  private run(slot: Slot, task: Task, held: boolean): void {
    const { job } = task;
    if (task.request.type === 'evaluate' || task.request.type === 'prove') {
      if (!job.informed.has(slot) && job.context) {
        slot.worker.postMessage(job.context);
        job.informed.add(slot);
      }
    }
    if (task.request.type === 'evaluate') {
      // A worker that does not hold the file's parse gets the text to parse again.
      if (!held) task.request = { ...task.request, text: task.text };
    }
    job.touched.add(slot);
    if (this.queueOf(job, task) === job.terraform) this.terraformSlots.add(slot);
    hold(slot);
    if (slot.task) slot.queued = task;
    else {
      slot.task = task;
      this.startTimer(slot, task, this.fileTimeLimitMs);
    }
    slot.worker.postMessage(task.request);
  }

  private startTimer(slot: Slot, task: Task, ms: number): void {
    task.deadline = performance.now() + ms;
    slot.timer = setTimeout(() => this.expire(slot, task), ms);
  }

  /**
   * A task's time is up. A main thread busy past the deadline runs the timer before it takes the answers that came
   * meanwhile: those are taken first, so a task that finished in time is never failed for the main thread's delay.
   */
  private expire(slot: Slot, task: Task): void {
    for (let waiting = receiveMessageOnPort(slot.replies); waiting && slot.alive; waiting = receiveMessageOnPort(slot.replies)) {
      this.onReply(slot, waiting.message as Reply);
    }
    if (slot.alive && slot.task === task) this.fail(slot, TIMEOUT_NOTE(this.fileTimeLimitMs));
  }

  /** A compose task asks for a file: its clock stops while the main thread reads it, and runs on once answered. */
  private readFor(slot: Slot, ask: Extract<Reply, { type: 'read' }>): void {
    const task = slot.task;
    if (!task || task.id !== ask.id || !task.read) return;
    if (task.reading === 0) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      task.remainingMs = Math.max(0, task.deadline! - performance.now());
    }
    task.reading!++;
    task
      .read(ask.path)
      .catch(() => null)
      .then((text) => {
        if (!slot.alive || slot.task !== task) return;
        slot.worker.postMessage({ type: 'text', job: task.job.id, seq: ask.seq, text } satisfies Request);
        if (--task.reading! === 0) this.startTimer(slot, task, task.remainingMs!);
      });
  }

  private onReply(slot: Slot, reply: Reply): void {
    if (!slot.alive) return;
    if (reply.type === 'ready') {
      slot.ready = true;
      slot.markStarted();
      this.dispatch();
      return;
    }
    if (reply.type === 'read') {
      this.readFor(slot, reply);
      return;
    }
    const task = slot.task;
    if (!task || task.id !== reply.id) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    if (task.terraform) this.terraformAnswers++;
    slot.task = null;
    // The worker has started the queued task already: its clock starts now (a retiring worker's goes elsewhere).
    if (slot.queued && !reply.retire) {
      slot.task = slot.queued;
      slot.queued = null;
      this.startTimer(slot, slot.task, this.fileTimeLimitMs);
    }
    if (reply.ok) task.settle({ ok: true, value: reply.value, kept: reply.kept, slot } as Outcome<unknown>);
    else task.settle({ ok: false, reason: `not reviewed: ${reply.error}` });
    if (reply.retire) this.replace(slot);
    else if (this.jobs.length === 0 && !slot.task) letGo(slot);
    this.dispatch();
  }

  /** The worker's current task failed (time limit, crash): report it, and replace the worker. */
  private fail(slot: Slot, reason: string): void {
    if (!slot.alive) return;
    const task = slot.task;
    slot.task = null;
    task?.settle({ ok: false, reason });
    this.replace(slot);
    this.dispatch();
  }

  private replace(slot: Slot): void {
    if (!slot.alive) return;
    slot.alive = false;
    slot.markStarted();
    this.replaced++;
    if (slot.timer) clearTimeout(slot.timer);
    slot.replies.close();
    void slot.worker.terminate();
    this.slots = this.slots.filter((s) => s !== slot);
    // The task it had not started yet is not its fault: first in line again, for another worker.
    const queued = slot.queued;
    slot.task = null;
    slot.queued = null;
    if (queued) this.queueOf(queued.job, queued).unshift(queued);
    // Its parses are gone: its waiting evaluations go to any worker, with their text.
    for (const job of this.jobs) {
      const orphans = job.local.get(slot);
      job.local.delete(slot);
      job.touched.delete(slot);
      job.informed.delete(slot);
      for (const orphan of (orphans ?? []).reverse()) this.queueOf(job, orphan).unshift(orphan);
    }
    if (!this.closed) this.grow();
  }

  private grow(): void {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    for (const slot of this.slots) hold(slot);
  }

  private startJob(): Job {
    const job: Job = { id: `j${nextJob++}`, queue: [], terraform: [], local: new Map(), context: null, touched: new Set(), informed: new Set() };
    this.jobs.push(job);
    this.grow();
    return job;
  }

  private finish(job: Job): void {
    this.jobs = this.jobs.filter((j) => j !== job);
    for (const slot of job.touched) if (slot.alive) slot.worker.postMessage({ type: 'release', job: job.id } satisfies Request);
    // Idle workers must not keep a command-line process alive.
    if (this.jobs.length === 0) for (const slot of this.slots) if (!slot.task) letGo(slot);
  }

  private spawn(): Slot {
    const { port1: replies, port2: repliesThere } = new MessageChannel();
    const worker = startWorker({ cacheTextBytes: this.cacheTextBytes, replies: repliesThere }, [repliesThere], { maxOldGenerationSizeMb: this.maxWorkerHeapMb, maxYoungGenerationSizeMb: this.workerYoungGenerationMb });
    let markStarted = () => {};
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const slot: Slot = { worker, replies, ready: false, started, markStarted, task: null, queued: null, timer: null, alive: true };
    replies.on('message', (reply: Reply) => this.onReply(slot, reply));
    worker.on('error', (error) => this.fail(slot, `not reviewed: the parser failed on it (${error.message.split('\n')[0]})`));
    worker.on('exit', (code) => this.fail(slot, `not reviewed: the parser stopped on it (exit code ${code})`));
    return slot;
  }
}

/**
 * Start the worker: the compiled `scan-worker.js` beside this file, or, when running from TypeScript sources
 * (the tests), `scan-worker.ts` through tsx's loader.
 */
function startWorker(workerData: unknown, transferList: MessagePort[], resourceLimits: ResourceLimits): Worker {
  const options = { workerData, transferList, resourceLimits };
  const compiled = new URL('./scan-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, options);
  const source = new URL('./scan-worker.ts', import.meta.url).href;
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`, { ...options, eval: true });
}

/** A worker kept busy keeps the process alive; an idle one must not keep a command-line process alive. */
function hold(slot: Slot): void {
  slot.worker.ref();
  slot.replies.ref();
}

function letGo(slot: Slot): void {
  slot.worker.unref();
  slot.replies.unref();
}

/** Terraform files waiting past which a second worker loads hcl2json to help (once one has it compiled). */
const TERRAFORM_BACKLOG = 128;

/** A task that may wait in a worker behind another: a file's work, short and bounded, never a composition. */
function queueable(task: Task): boolean {
  return task.request.type !== 'compose';
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

/** The command line's pool: every worker takes Terraform, keeps what it parsed, and collects garbage less often. */
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
