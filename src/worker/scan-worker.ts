// A parsing worker: parses files and runs the rules on them off the main thread, so a huge pull request never
// stalls the server's other webhooks. It answers one task at a time; the pool times each one and replaces a
// worker that overruns (a parse cannot be interrupted any other way).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { AnyRule } from '../engine/define-rule.js';
import type { RepositoryIndex } from '../engine/repository.js';
import { evaluate } from '../engine/run.js';
import { evaluateTerraformOnce } from '../engine/terraform/evaluate-once.js';
import { renderFix, renderOnParsed } from '../engine/render-fix.js';
import { fileKind, parseFile } from '../formats/index.js';
import { hclRuntimeHealthy, initHcl } from '../formats/hcl.js';
import type { EditOp, ParsedFile, Resource, UnseenPart } from '../model.js';
import { LOOKED_UP_KINDS, RULES, UNREAD_DOCUMENTS, proofDocuments } from '../../rules/index.js';
import { indexFile } from '../engine/repository-index.js';
import { evaluationSawUnseen } from '../engine/terraform/evaluate.js';
import { forgetRepository, fromPlainRepository, parseSummary, resourcesOfKinds, resourcesParseOptions, toPlainResource, withDetachedSource, type ParseSummary, type PlainRepository, type PlainResource } from './transfer.js';
import { isLookedUp } from '../engine/visible.js';
import type { FileDeclarations } from '../engine/terraform/file-declarations.js';
import { proveFileFixes, proveText, type Proof } from './prove-task.js';
import { answered, runCompose, type StepDone, type ComposeRequest, type ReadAsk, type TextAnswer } from './compose-task.js';
import { runChart, type ChartRequest } from './chart-task.js';
import { indexChart, type ChartIndexInput } from '../render/chart-index.js';
import { guardObjectPrototype } from '../common/prototype-guard.js';
import { ConvertedTerraform } from './converted-terraform.js';

// This thread serves every review of the process: see src/common/prototype-guard.ts.
guardObjectPrototype();

/** A file's resources of the kinds asked, and its parse errors counted. */
export interface ResourcesOf {
  resources: PlainResource[];
  errors: number;
}

export type Request =
  /**
   * `ahead`: a file the first round does not need, parsed by a worker that would otherwise wait, only if its parse
   * can be kept until its evaluation (else it is left for then: `kept` false, nothing parsed).
   */
  | { type: 'parse'; id: number; job: string; path: string; text: string; changed: number[] | null; ahead?: boolean; positions?: false }
  | {
      type: 'context';
      job: string;
      config: Config;
      ruleIds: string[];
      renderFixes: boolean;
      skipFixesFor: string[];
      /** Answer evaluations with the findings' fingerprints only (a baseline needs no more). */
      fingerprintsOnly: boolean;
      scanned: PlainResource[];
      /** Data blocks the change touches, in every file of the job (src/engine/data-reads.ts). */
      touchedData: string[];
      /** The files Terraform's `file()` reads (src/terraform-files.ts). */
      terraformFiles?: Record<string, string>;
      /** Terraform variables and locals of every file of the job (src/engine/terraform/file-declarations.ts). */
      declarations: FileDeclarations[];
      repository: PlainRepository;
    }
  /**
   * `summarize`: the file was not parsed in the first round (it gives the others nothing, src/worker/transfer.ts
   * mayGiveContext): parsed here, and its parse summary comes back beside the result.
   */
  /** `prove`: the file's candidate fixes are proven here too (src/worker/prove-task.ts proveFileFixes). */
  | { type: 'evaluate'; id: number; job: string; path: string; text?: string; changed: number[] | null; summarize?: boolean; prove?: boolean }
  /**
   * A Terraform file's resources that other files' rules may look up, as its evaluation makes them (variables and
   * locals filled in, local modules built) under the job's context: what the job's final context hands the rules.
   * The parse stays evaluated for the file's own evaluation.
   */
  | { type: 'lookups'; id: number; job: string; path: string; text?: string; changed: number[] | null }
  /** Render ops against one resource of a file (a combined fix): parsed here, so no parse lives on the main thread. */
  | { type: 'render'; id: number; job: string; path: string; text: string; resource: string; ops: EditOp[] }
  /** Several such renders on one file, parsed once for all: each its edit, or null when it has none. */
  | { type: 'renders'; id: number; job: string; path: string; text: string; renders: { resource: string; ops: EditOp[] }[] }
  /** Parse a file for the repository index: only the resources it keeps come back. */
  | { type: 'index'; id: number; job: string; path: string; text: string }
  /**
   * Parse a file for its resources of these kinds (null: all of them; CRDs left unparsed unless asked for), and how
   * many parse errors it has (src/companions.ts, src/fix-loop.ts).
   */
  | { type: 'resources'; id: number; job: string; path: string; text: string; kinds: string[] | null }
  /** Prove a fix: the file with its edits applied, scanned alone under the job's context (src/worker/prove-task.ts). */
  | ({ type: 'prove'; id: number; job: string } & Proof)
  | { type: 'release'; job: string }
  /** The pool has been idle a while: let go of the repository index held (the next job sends its own whole). */
  | { type: 'forget' }
  /** Compose the kustomizations a change reaches and review them (src/worker/compose-task.ts). */
  | ComposeRequest
  /** Render a Helm chart and review what it deploys (src/worker/chart-task.ts). */
  | ChartRequest
  /** Render a Helm chart for the repository index: the objects it deploys whatever its values (src/render/chart-index.ts). */
  | { type: 'chart-index'; id: number; job: string; input: ChartIndexInput }
  | TextAnswer;

/** What an evaluation answers: the file's parse summary when it was parsed here, and what its parse said it could not see when evaluation saw some of it. */
export interface Evaluation<T> {
  summary: ParseSummary | null;
  value?: T;
  unseen?: UnseenPart[];
}

export type Reply =
  | { type: 'ready' }
  | ReadAsk
  | StepDone
  | { type: 'result'; id: number; ok: true; value: unknown; kept?: boolean; retire?: boolean }
  | { type: 'result'; id: number; ok: false; error: string; retire?: boolean };

interface Context {
  config: Config;
  rules: AnyRule[];
  renderFixes: boolean;
  skipFixesFor: Set<string>;
  fingerprintsOnly: boolean;
  scanned: Resource[];
  touchedData: string[];
  terraformFiles?: Record<string, string>;
  declarations: FileDeclarations[];
  repository: RepositoryIndex;
}

if (!parentPort) throw new Error('scan-worker runs as a worker thread');
const port = parentPort;
/**
 * Where answers go: a channel of their own when the pool gives one, so that it can take an answer still waiting there
 * before it decides a task ran out of time (src/worker/scheduler.ts expire).
 */
const replies: MessagePort = (workerData as { replies?: MessagePort } | undefined)?.replies ?? port;

/** Parsed files kept between a job's parse and its evaluation, up to this much text (beyond: parsed again). */
const cacheTextBytes: number = (workerData as { cacheTextBytes?: number } | undefined)?.cacheTextBytes ?? 1.5 * 1024 * 1024;
const cache = new Map<string, Map<string, ParsedFile>>();
let cachedBytes = 0;
/**
 * What hcl2json made of the Terraform files parsed but not kept, for their evaluation: up to 8 M characters of JSON
 * (a 900-byte file's is ~700), which a 3,000-file review's head and base both fit in.
 */
const converted = new ConvertedTerraform(8 * 1024 * 1024);
const contexts = new Map<string, Context>();
const rulesById = new Map(RULES.map((rule) => [rule.id, rule]));
/** Warden's own rules run here: documents none of them reads are left unparsed. */
const PARSE_OPTIONS = { unread: UNREAD_DOCUMENTS };
/** For a job that answers fingerprints only (a baseline): no finding of it is located, so no positions are asked. */
const UNLOCATED = { ...PARSE_OPTIONS, positions: false };

/** Let go of what is kept of a job's files (the parses and hcl2json's values): of one file after its evaluation, or of all. */
function drop(job: string, path?: string): void {
  converted.drop(job, path);
  const files = cache.get(job);
  if (!files) return;
  // One file is dropped after each evaluation: looked up, not found among the job's (that made a job quadratic).
  for (const p of path === undefined ? [...files.keys()] : [path]) {
    const parsed = files.get(p);
    if (!parsed) continue;
    cachedBytes -= parsed.text.length;
    parsed.release?.();
    files.delete(p);
  }
  if (files.size === 0) cache.delete(job);
}

async function handle(request: Request): Promise<Reply | null> {
  switch (request.type) {
    case 'context':
      contexts.set(request.job, {
        config: request.config,
        rules: request.ruleIds.map((id) => rulesById.get(id)).filter((rule): rule is AnyRule => rule !== undefined),
        renderFixes: request.renderFixes,
        skipFixesFor: new Set(request.skipFixesFor),
        fingerprintsOnly: request.fingerprintsOnly,
        touchedData: request.touchedData,
        ...(request.terraformFiles ? { terraformFiles: request.terraformFiles } : {}),
        declarations: request.declarations ?? [],
        scanned: request.scanned.map(withDetachedSource),
        repository: fromPlainRepository(request.repository),
      });
      return null;
    case 'forget':
      forgetRepository();
      return null;
    case 'release':
      drop(request.job);
      contexts.delete(request.job);
      return null;
    case 'parse': {
      const kept = cachedBytes + request.text.length <= cacheTextBytes;
      if (request.ahead && !kept) return { type: 'result', id: request.id, ok: true, value: null, kept: false };
      // A parse not kept leaves what hcl2json made of it for the evaluation, which parses the file again.
      const options = request.positions === false ? UNLOCATED : PARSE_OPTIONS;
      const parsed = await parseFile(request.path, request.text, kept ? options : { ...options, hclConversions: converted.of(request.job) });
      if (!parsed) return { type: 'result', id: request.id, ok: true, value: null };
      if (kept) {
        const files = cache.get(request.job) ?? new Map<string, ParsedFile>();
        cache.set(request.job, files);
        files.set(request.path, parsed);
        cachedBytes += parsed.text.length;
      } else {
        parsed.release?.(); // evaluated later from its text: hold nothing for it meanwhile
      }
      const changed = new Map([[request.path, request.changed ? new Set(request.changed) : null]]);
      return { type: 'result', id: request.id, ok: true, value: parseSummary(parsed, changed, LOOKED_UP_KINDS), kept };
    }
    case 'evaluate': {
      const context = contexts.get(request.job);
      if (!context) throw new Error(`no context for job ${request.job}`);
      let parsed = cache.get(request.job)?.get(request.path) ?? null;
      if (!parsed && request.text !== undefined) parsed = await parseFile(request.path, request.text, { ...(context.fingerprintsOnly ? UNLOCATED : PARSE_OPTIONS), hclConversions: converted.of(request.job) });
      if (!parsed && request.summarize) return { type: 'result', id: request.id, ok: true, value: { summary: null } };
      if (!parsed) throw new Error(`${request.path} was not parsed here and came without its text`);
      const changed = new Map([[request.path, request.changed ? new Set(request.changed) : null]]);
      // Taken before the rules run: evaluation resolves Terraform values into the parse and then releases it.
      const summary = request.summarize ? parseSummary(parsed, changed, LOOKED_UP_KINDS) : null;
      const { findings } = evaluate([parsed], changed, {
        config: context.config,
        rules: context.rules,
        repository: context.repository,
        renderFixes: context.renderFixes,
        skipFixesFor: context.skipFixesFor,
        scanned: context.scanned,
        touchedData: context.touchedData,
        declarations: context.declarations,
        ...(context.terraformFiles ? { terraformFiles: context.terraformFiles } : {}),
        renderGroups: !context.fingerprintsOnly,
      });
      drop(request.job, request.path);
      if (request.prove && context.renderFixes && !context.fingerprintsOnly) {
        const options = { config: context.config, rules: context.rules, repository: context.repository, ...(context.terraformFiles ? { terraformFiles: context.terraformFiles } : {}) };
        // A proof parses what its edits and findings are on, and the documents the rules may look up.
        await proveFileFixes(request.path, parsed.text, findings, options, (keeps) => (keeps ? { unread: proofDocuments(keeps) } : PARSE_OPTIONS));
      }
      const value = context.fingerprintsOnly ? findings.map((f) => f.fingerprint) : findings;
      // What the parse said it could not see and evaluation then saw (a dynamic block expanded) is withdrawn.
      const unseen = evaluationSawUnseen(parsed) ? (parsed.unseen ?? []) : undefined;
      return { type: 'result', id: request.id, ok: true, value: { summary, value, ...(unseen ? { unseen } : {}) } satisfies Evaluation<unknown> };
    }
    case 'lookups': {
      const context = contexts.get(request.job);
      if (!context) throw new Error(`no context for job ${request.job}`);
      const held = cache.get(request.job)?.get(request.path) ?? null;
      const parsed = held ?? (request.text !== undefined ? await parseFile(request.path, request.text, { ...(context.fingerprintsOnly ? UNLOCATED : PARSE_OPTIONS), hclConversions: converted.of(request.job) }) : null);
      if (!parsed) throw new Error(`${request.path} was not parsed here and came without its text`);
      const changed = new Map([[request.path, request.changed ? new Set(request.changed) : null]]);
      evaluateTerraformOnce([parsed], changed, { config: context.config, touchedData: context.touchedData, declarations: context.declarations, ...(context.terraformFiles ? { terraformFiles: context.terraformFiles } : {}) });
      const lookups = parsed.resources.filter((r) => isLookedUp(r, LOOKED_UP_KINDS)).map(toPlainResource);
      // A parse made here only for this is not kept: the evaluation parses (and evaluates) it again.
      if (!held) parsed.release?.();
      return { type: 'result', id: request.id, ok: true, value: lookups };
    }
    case 'index': {
      const indexed = await indexFile(request.path, request.text);
      return { type: 'result', id: request.id, ok: true, value: { ...indexed, resources: indexed.resources.map(toPlainResource) } };
    }
    case 'resources': {
      const kinds = request.kinds && new Set(request.kinds);
      const found = resourcesOfKinds(await parseFile(request.path, request.text, resourcesParseOptions(kinds)), kinds);
      return { type: 'result', id: request.id, ok: true, value: found && ({ resources: found.resources.map(toPlainResource), errors: found.errors } satisfies ResourcesOf) };
    }
    case 'prove': {
      const context = contexts.get(request.job);
      if (!context) throw new Error(`no context for job ${request.job}`);
      const options = { config: context.config, rules: context.rules, repository: context.repository };
      return { type: 'result', id: request.id, ok: true, value: await proveText(request, options, PARSE_OPTIONS) };
    }
    case 'compose':
      return { type: 'result', id: request.id, ok: true, value: await runCompose(request, replies) };
    case 'chart-index':
      return { type: 'result', id: request.id, ok: true, value: indexChart(request.input) };
    case 'chart':
      return { type: 'result', id: request.id, ok: true, value: runChart(request) };
    case 'text':
      answered(request);
      return null;
    case 'renders': {
      const parsed = await parseFile(request.path, request.text, PARSE_OPTIONS);
      const edits = renderOnParsed(parsed, request.renders);
      parsed?.release?.();
      return { type: 'result', id: request.id, ok: true, value: edits };
    }
    case 'render': {
      const parsed = await parseFile(request.path, request.text, PARSE_OPTIONS);
      const resource = parsed?.resources.find((r) => r.id === request.resource);
      const edits = resource ? renderFix(resource, parsed!.text, request.ops) : [];
      parsed?.release?.();
      return { type: 'result', id: request.id, ok: true, value: edits };
    }
  }
}

// One message at a time, in the order sent: a parse that awaits (hcl2json's runtime) never lets the next message
// start meanwhile. A file's text that a running composition asked for is the exception: it is what that task
// waits on, so it is handed over at once (queued behind the task, it would never arrive).
let turn: Promise<unknown> = Promise.resolve();
port.on('message', (request: Request) => {
  if (request.type === 'text') answered(request);
  else turn = turn.then(() => answer(request));
});

/** Terraform's syntax tree (web-tree-sitter) is loaded with the first Terraform file: a YAML-only run never pays it. */
async function prepare(request: Request): Promise<void> {
  if (!('path' in request)) return;
  const kind = fileKind(request.path);
  if (kind === 'hcl' || kind === 'tfjson' || kind === 'tfvars' || kind === 'terragrunt') await initHcl();
}

function answer(request: Request): Promise<void> {
  // A repository index sent whole is held from its turn on, as the scheduler counts it (whatever becomes of the task
  // that carried it): the next message may only name it.
  if ('repository' in request && !request.repository.elided) fromPlainRepository(request.repository);
  return prepare(request).then(() => handle(request)).then(
    (reply) => {
      if (!reply) return;
      // hcl2json's Go runtime is unusable after a stack overflow: answer, and let the pool replace this worker.
      const retire = !hclRuntimeHealthy();
      try {
        replies.postMessage(retire ? { ...reply, retire } : reply);
      } catch (error) {
        // A result that cannot be copied to the main thread (absurdly deep data): say so instead.
        if (reply.type === 'result') replies.postMessage({ type: 'result', id: reply.id, ok: false, error: `its result could not be passed on (${(error as Error).message})`, retire } satisfies Reply);
      }
    },
    (error: unknown) => {
      if ('id' in request) replies.postMessage({ type: 'result', id: request.id, ok: false, error: (error as Error)?.message ?? String(error), retire: !hclRuntimeHealthy() } satisfies Reply);
    },
  );
}

// Ready at once. The HCL grammar and hcl2json's Go runtime load with the first Terraform file (a few hundred ms,
// well inside a file's time limit), so a worker that only sees YAML never carries them.
replies.postMessage({ type: 'ready' } satisfies Reply);
