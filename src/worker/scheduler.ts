// The pool's workers and how tasks reach them (src/worker/pool.ts says what the tasks are). Each worker answers one
// task at a time and is sent the next while it works on the current one; each task has a time limit, and a worker
// that overruns it or dies is replaced, its unstarted and held work going to the others. Jobs take turns, so a
// small pull request is not queued behind a huge one. Terraform files go to the first worker, and to others
// (among the first half, or as many as asked) only when enough of it waits and they have nothing else to do:
// hcl2json's Go runtime costs ~55 MB and a few hundred ms in every thread that loads it. A worker with nothing to do
// takes spare work (parses ahead of their round), then evaluations waiting for another worker's parse; a
// composition, which no worker takes behind another task, stops workers being fed that way until one is free for it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { isTerraformFile } from '../formats/index.js';
import type { Reply, Request } from './scan-worker.js';
import { elided } from './transfer.js';

export type Outcome<T> = { ok: true; value: T; kept?: boolean } | { ok: false; reason: string };

export interface Task {
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

export interface Job {
  id: string;
  queue: Task[];
  /** Tasks on HCL files, which only the first workers take (the threads that load hcl2json). */
  terraform: Task[];
  /** Evaluations waiting for the worker that holds their file's parse. */
  local: Map<Slot, Task[]>;
  /** Work taken only by a worker that has nothing else to do (parses ahead of their round), withdrawn when its round comes. */
  spare: Task[];
  context: Extract<Request, { type: 'context' }> | null;
  /** Workers that worked on this job (and may hold its parses), and those that were sent its context. */
  touched: Set<Slot>;
  informed: Set<Slot>;
}

export interface Slot {
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
   * main thread takes the answer and sends the next. Its time limit starts when it becomes `task`.
   */
  queued: Task | null;
  timer: NodeJS.Timeout | null;
  alive: boolean;
  /** The repository index the worker was last sent whole (its `ref`): later messages only name it. */
  repository?: string;
}

/** The outcome of spare work withdrawn before a worker started it (Workers.withdrawSpare): not a failure of its file. */
export const WITHDRAWN = 'withdrawn';

/** What the pool says when a file was not reviewed. */
export const TIMEOUT_NOTE = (ms: number) => `not reviewed: it took longer than ${ms / 1000} s, the limit for one file`;

let nextJob = 0;
let nextTask = 0;

export interface WorkerSettings {
  size: number;
  /** Longest a worker may spend on one task before it is replaced. */
  fileTimeLimitMs: number;
  /** Text each worker keeps parsed between a scan's two rounds. */
  cacheTextBytes: number;
  maxWorkerHeapMb: number;
  workerYoungGenerationMb: number;
  /** Workers that may load hcl2json (the first ones). */
  terraformWorkers: number;
  /** How long the pool stays idle before its workers let go of the repository index they hold. */
  forgetRepositoryAfterMs: number;
}

export class Workers {
  private slots: Slot[] = [];
  private jobs: Job[] = [];
  private turn = 0;
  private stopped = false;
  /** Workers replaced after overrunning the time limit or crashing (for tests and logs). */
  replaced = 0;
  /** Workers ever handed a Terraform file (for tests and logs: only one at a time should load hcl2json). */
  private readonly terraformSlots = new Set<Slot>();
  /** Terraform files answered: past a few, hcl2json and the HCL grammar are compiled in this process. */
  private terraformAnswers = 0;
  /**
   * Tasks that no worker takes behind another (a composition) waiting for a free worker: while one does, no task is
   * queued behind a worker's current one, or a worker fed that way would never be free to take it.
   */
  private unqueueableWaiting = 0;
  /** Workers in a row that died before they were ready. */
  private failedStarts = 0;
  /** Why no worker can start (a broken install): then every task is not reviewed, at once, instead of waiting forever. */
  private unstartable: string | null = null;
  /** Set while no job runs: when it fires, the workers let go of the repository index (a server between reviews). */
  private idle: NodeJS.Timeout | null = null;

  constructor(readonly settings: WorkerSettings) {}

  get closed(): boolean {
    return this.stopped;
  }

  get terraformWorkers(): number {
    return this.terraformSlots.size;
  }

  /** Start the workers and wait until they are ready, so the first review pays no start-up (a server calls this at boot). */
  async ready(): Promise<void> {
    if (this.stopped) return;
    this.grow();
    await Promise.all(this.slots.map((slot) => slot.started));
    if (this.jobs.length === 0) for (const slot of this.slots) if (!slot.task) letGo(slot);
  }

  /** Stop every worker; pending tasks end as not reviewed. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.idle) clearTimeout(this.idle);
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

  /**
   * A task of the job, settled with its worker's answer, or not reviewed (time limit, a worker that died). `holder`:
   * the worker that holds what the task needs (a file's parse); `text`: the file's text, sent if that worker is gone.
   */
  submit<T>(job: Job, request: Request & { id: number }, holder?: Slot, text?: string, read?: Task['read'], spare = false): Promise<Outcome<T> & { slot?: Slot }> {
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
      task.terraform = 'path' in task.request && isTerraformFile(task.request.path);
      if (this.unstartable) return task.settle({ ok: false, reason: this.unstartable });
      if (holder) {
        const list = job.local.get(holder) ?? [];
        list.push(task);
        job.local.set(holder, list);
      } else if (spare) job.spare.push(task);
      else this.queueOf(job, task).push(task);
      if (!queueable(task)) this.unqueueableWaiting++;
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
      if (slot.task && !slot.queued && queueable(slot.task) && this.unqueueableWaiting === 0) {
        const next = this.take(slot, true);
        if (next) this.run(slot, next.task, next.held);
      }
    }
  }

  private queueOf(job: Job, task: Task): Task[] {
    return task.terraform ? job.terraform : job.queue;
  }

  /**
   * The next task for a worker: jobs take turns; within a job, its own parses first, then Terraform for the first
   * worker, the other files for the others. `behind`: the task would wait behind the worker's current one, so only
   * a queueable one is taken.
   */
  private take(slot: Slot, behind: boolean): { task: Task; held: boolean } | null {
    const index = this.slots.indexOf(slot);
    const loadsHcl = index >= 0 && index < this.settings.terraformWorkers;
    const terraformFirst = loadsHcl && index === 0;
    // The others take Terraform when nothing else waits (spare work included) and enough of it does to be worth
    // loading hcl2json (a few hundred ms of a core), once the first has answered a few such files: V8 compiles
    // WebAssembly once per process and shares it between threads, so a worker that loads it then pays a fraction of
    // what two loading it at once each pay.
    const terraformLast = loadsHcl && this.terraformAnswers >= 8;
    // Spare work only when no job has anything else for this worker.
    for (const spare of [false, true]) {
      for (let n = 0; n < this.jobs.length; n++) {
        const job = this.jobs[(this.turn + n) % this.jobs.length]!;
        const own = job.local.get(slot);
        const list = spare ? job.spare : own?.length ? own : this.takesTerraform(job, slot, terraformFirst, terraformLast) ? job.terraform : job.queue;
        const task = list[0];
        if (task && (!behind || queueable(task))) {
          list.shift();
          if (!queueable(task)) this.unqueueableWaiting--;
          this.turn = (this.turn + n + 1) % this.jobs.length;
          return { task, held: list === own };
        }
      }
    }
    return behind ? null : this.steal(slot);
  }

  /**
   * Whether a worker takes the job's Terraform before its other files: the first worker always; another that may
   * load hcl2json (`terraformLast`) only once the job's other files are all taken, no spare work waits, and enough
   * Terraform waits to be worth loading it (or it has loaded it already).
   */
  private takesTerraform(job: Job, slot: Slot, terraformFirst: boolean, terraformLast: boolean): boolean {
    if (job.terraform.length === 0) return false;
    if (terraformFirst) return true;
    return terraformLast && job.queue.length === 0 && job.spare.length === 0 && (job.terraform.length >= TERRAFORM_BACKLOG || this.terraformSlots.has(slot));
  }

  /**
   * For a worker with nothing else to do: the last of the evaluations waiting for another worker that holds their
   * parse (the longest such wait), to parse again here; never a Terraform file for a worker that has not loaded
   * hcl2json. Parsing a file twice costs less than a core idling while the other works through its backlog.
   */
  private steal(slot: Slot): { task: Task; held: boolean } | null {
    let from: Task[] | null = null;
    for (const job of this.jobs) {
      for (const [holder, list] of job.local) if (holder !== slot && list.length > 1 && (!from || list.length > from.length)) from = list;
    }
    if (!from) return null;
    for (let i = from.length - 1; i >= 1; i--) {
      if (!from[i]!.terraform || this.terraformSlots.has(slot)) return { task: from.splice(i, 1)[0]!, held: false };
    }
    return null;
  }

  /** The job's spare work that no worker has started: dropped (each settles as withdrawn), its round has come. */
  withdrawSpare(job: Job): void {
    for (const task of job.spare.splice(0)) task.settle({ ok: false, reason: WITHDRAWN });
  }

  private run(slot: Slot, task: Task, held: boolean): void {
    const { job } = task;
    if (task.request.type === 'evaluate' || task.request.type === 'prove' || task.request.type === 'lookups') {
      if (!job.informed.has(slot) && job.context) {
        slot.worker.postMessage(sentOnce(slot, job.context));
        job.informed.add(slot);
      }
    }
    if (task.request.type === 'evaluate' || task.request.type === 'lookups') {
      // A worker that does not hold the file's parse gets the text to parse again.
      if (!held) task.request = { ...task.request, text: task.text };
    }
    job.touched.add(slot);
    if (task.terraform) this.terraformSlots.add(slot);
    hold(slot);
    if (slot.task) slot.queued = task;
    else {
      slot.task = task;
      this.startTimer(slot, task, this.settings.fileTimeLimitMs);
    }
    slot.worker.postMessage(sentOnce(slot, task.request));
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
    if (slot.alive && slot.task === task) this.fail(slot, TIMEOUT_NOTE(this.settings.fileTimeLimitMs));
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
    // A read that fails is answered as such: the composition stops and fails closed, never taking it for no file.
    task
      .read(ask.path)
      .then(
        (text) => ({ text }),
        (error: unknown) => ({ text: null, error: `\`${ask.path}\` could not be read: ${(error as Error).message ?? String(error)}` }),
      )
      .then((answer) => {
        if (!slot.alive || slot.task !== task) return;
        slot.worker.postMessage({ type: 'text', job: task.job.id, seq: ask.seq, ...answer } satisfies Request);
        if (--task.reading! === 0) this.startTimer(slot, task, task.remainingMs!);
      });
  }

  /** A compose task finished a step (its plan, a batch of roots): the next has the whole limit (the clock, stopped for reads, runs on from it). */
  private stepDone(slot: Slot, done: Extract<Reply, { type: 'step-done' }>): void {
    const task = slot.task;
    if (!task || task.id !== done.id) return;
    if (task.reading) {
      task.remainingMs = this.settings.fileTimeLimitMs;
      return;
    }
    if (slot.timer) clearTimeout(slot.timer);
    this.startTimer(slot, task, this.settings.fileTimeLimitMs);
  }

  private onReply(slot: Slot, reply: Reply): void {
    if (!slot.alive) return;
    if (reply.type === 'ready') {
      this.failedStarts = 0;
      slot.ready = true;
      slot.markStarted();
      this.dispatch();
      return;
    }
    if (reply.type === 'read') {
      this.readFor(slot, reply);
      return;
    }
    if (reply.type === 'step-done') {
      this.stepDone(slot, reply);
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
      this.startTimer(slot, slot.task, this.settings.fileTimeLimitMs);
    }
    if (reply.ok) task.settle({ ok: true, value: reply.value, kept: reply.kept, slot } as Outcome<unknown>);
    else task.settle({ ok: false, reason: `not reviewed: ${reply.error}` });
    if (reply.retire) this.replace(slot);
    else if (this.jobs.length === 0 && !slot.task) letGo(slot);
    this.dispatch();
  }

  /** The worker's current task failed (time limit, crash): report it, and replace the worker. `cause`: what killed it. */
  private fail(slot: Slot, reason: string, cause = reason): void {
    if (!slot.alive) return;
    const task = slot.task;
    slot.task = null;
    task?.settle({ ok: false, reason });
    this.replace(slot, cause);
    this.dispatch();
  }

  private replace(slot: Slot, cause = 'it stopped'): void {
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
    if (!slot.ready && ++this.failedStarts >= FAILED_STARTS_LIMIT && this.slots.every((s) => !s.ready)) this.cannotStart(cause);
    if (!this.stopped && !this.unstartable) this.grow();
  }

  /** No worker starts: every waiting task and every later one is not reviewed, with the reason. */
  private cannotStart(cause: string): void {
    this.unstartable = `not reviewed: Warden's parsing workers cannot start (${cause})`;
    for (const job of this.jobs) {
      const waiting = [...job.queue, ...job.terraform, ...job.spare, ...[...job.local.values()].flat()];
      job.queue = [];
      job.terraform = [];
      job.spare = [];
      this.unqueueableWaiting = 0;
      job.local.clear();
      for (const task of waiting) task.settle({ ok: false, reason: this.unstartable });
    }
  }

  private grow(): void {
    while (this.slots.length < this.settings.size) this.slots.push(this.spawn());
    for (const slot of this.slots) hold(slot);
  }

  /** A new job: its tasks take turns with the other jobs' (finish it when done, so its workers let go of it). */
  startJob(): Job {
    const job: Job = { id: `j${nextJob++}`, queue: [], terraform: [], local: new Map(), spare: [], context: null, touched: new Set(), informed: new Set() };
    this.jobs.push(job);
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    // Workers that could not start are tried again for each new job: a server recovers once the cause is gone.
    if (this.unstartable) {
      this.unstartable = null;
      this.failedStarts = 0;
    }
    this.grow();
    return job;
  }

  /** The job is done: its workers drop what they hold of it. */
  finish(job: Job): void {
    this.withdrawSpare(job);
    this.jobs = this.jobs.filter((j) => j !== job);
    for (const slot of job.touched) if (slot.alive) slot.worker.postMessage({ type: 'release', job: job.id } satisfies Request);
    // Idle workers must not keep a command-line process alive.
    if (this.jobs.length === 0) for (const slot of this.slots) if (!slot.task) letGo(slot);
    if (this.jobs.length === 0) this.forgetWhenIdle();
  }

  /**
   * A review's jobs follow one another closely and share its repository index; once none has come for a while, the
   * workers let go of it, so that a server between reviews does not hold the last one's index in every worker.
   */
  private forgetWhenIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.idle = null;
      if (this.jobs.length > 0 || this.stopped) return;
      for (const slot of this.slots) {
        if (!slot.alive || slot.repository === undefined) continue;
        slot.worker.postMessage({ type: 'forget' } satisfies Request);
        slot.repository = undefined;
      }
    }, this.settings.forgetRepositoryAfterMs);
    this.idle.unref();
  }

  private spawn(): Slot {
    const { port1: replies, port2: repliesThere } = new MessageChannel();
    const worker = startWorker({ cacheTextBytes: this.settings.cacheTextBytes, replies: repliesThere }, [repliesThere], { maxOldGenerationSizeMb: this.settings.maxWorkerHeapMb, maxYoungGenerationSizeMb: this.settings.workerYoungGenerationMb });
    let markStarted = () => {};
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const slot: Slot = { worker, replies, ready: false, started, markStarted, task: null, queued: null, timer: null, alive: true };
    replies.on('message', (reply: Reply) => this.onReply(slot, reply));
    worker.on('error', (error) => {
      const cause = error.message.split('\n')[0]!;
      this.fail(slot, `not reviewed: the parser failed on it (${cause})`, cause);
    });
    worker.on('exit', (code) => this.fail(slot, `not reviewed: the parser stopped on it (exit code ${code})`, `exit code ${code}`));
    return slot;
  }
}

/**
 * A message as a worker is sent it: a repository index the worker already holds (the last it was sent whole) is
 * only named; any other goes whole, and is what it holds next. Messages reach a worker in order, so the name always
 * follows the index it names.
 */
function sentOnce(slot: Slot, message: Request): Request {
  if (!('repository' in message)) return message;
  if (slot.repository === message.repository.ref) return { ...message, repository: elided(message.repository) };
  slot.repository = message.repository.ref;
  return message;
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
  if (!existsSync(fileURLToPath(source))) {
    // A broken install: the worker fails as any that cannot start, and the pool says why (Workers.cannotStart).
    const missing = `${fileURLToPath(compiled)} is missing (npm run build makes it)`;
    return new Worker(`throw new Error(${JSON.stringify(missing)})`, { ...options, eval: true });
  }
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

/** Workers in a row that die before they are ready, with none ready, past which the pool gives up starting them. */
const FAILED_STARTS_LIMIT = 3;

/** Terraform files waiting past which a second worker loads hcl2json to help (once one has it compiled). */
const TERRAFORM_BACKLOG = 128;

/** A task that may wait in a worker behind another: a file's work, short and bounded, never a composition. */
function queueable(task: Task): boolean {
  return task.request.type !== 'compose';
}
