// The engine's entry points as callers use them: in the shared worker pool when it can be, in this thread when
// it cannot (rules made outside rules/index.ts, as tests make, do not cross threads; WARDEN_WORKERS=0).
import { scanFiles, type ScanOptions, type ScanResult, type SourceFile } from '../engine/run.js';
import { renderOnParsed, rendersByFile, type RenderAsk } from '../engine/render-fix.js';
import { parseFile, type ParseOptions } from '../formats/index.js';
import type { Edit, EditOp, Resource } from '../model.js';
import { areOwnRules, unreadFor } from '../../rules/index.js';
import { defaultPoolSize, sharedPool, type PoolScanOptions } from './pool.js';
import { indexFile, mayIndex, type IndexedChart, type IndexParser } from '../engine/repository-index.js';
import { resourcesOfKinds, resourcesParseOptions, withDetachedSource } from './transfer.js';
import { proveText, type Proof } from './prove-task.js';
import { reviewComposition, type CompositionOptions, type CompositionRequest, type CompositionReview } from '../composed-review.js';
import { reviewChart, type ChartReview, type ChartReviewInput } from '../render/chart-review.js';
import { indexChart, type ChartIndexInput } from '../render/chart-index.js';
import type { Config } from '../config.js';
import type { AnyRule } from '../engine/define-rule.js';
import type { RepositoryIndex } from '../engine/repository.js';

/**
 * Whether a scan with these options can run in the worker pool: the rules are Warden's own (a worker loads
 * them by id; rules made elsewhere, as in tests, cannot cross threads) and the pool is not turned off
 * (WARDEN_WORKERS=0).
 */
function pooled(options: Pick<ScanOptions, 'rules' | 'scanned'>): boolean {
  return areOwnRules(options.rules) && !options.scanned && defaultPoolSize() > 0;
}

/**
 * How this thread parses for a scan, a proof or a render when the pool cannot: as a worker does for Warden's own
 * rules (CustomResourceDefinitions left unparsed); every document for rules made elsewhere, which may read them.
 */
function threadParse(options: Pick<ScanOptions, 'rules'>): ParseOptions {
  const unread = unreadFor(options.rules);
  return unread ? { unread } : {};
}

function poolOptions(options: Omit<ScanOptions, 'skipFixesFor'>): PoolScanOptions {
  return {
    config: options.config,
    ruleIds: options.rules.map((rule) => rule.id),
    repository: options.repository,
    renderFixes: options.renderFixes,
    ...(options.touchedData ? { touchedData: options.touchedData } : {}),
    ...(options.terraformFiles ? { terraformFiles: options.terraformFiles } : {}),
  };
}

/**
 * scanFiles, in the worker pool when it can be. `skipFixesFor` may be a promise (a baseline still being scanned): the
 * files are parsed meanwhile.
 */
export async function scanFilesPooled(
  files: readonly SourceFile[],
  options: Omit<ScanOptions, 'skipFixesFor'> & { skipFixesFor?: ReadonlySet<string> | Promise<ReadonlySet<string>> },
): Promise<ScanResult> {
  if (pooled(options)) return sharedPool().scan(files, { ...poolOptions(options), skipFixesFor: options.skipFixesFor });
  return scanFiles(files, { parse: threadParse(options), ...options, skipFixesFor: await options.skipFixesFor });
}

/** The fingerprints of a scan's findings (a baseline), in the worker pool when it can be. */
export async function fingerprintsPooled(files: readonly SourceFile[], options: ScanOptions): Promise<Set<string>> {
  if (pooled(options)) return sharedPool().fingerprints(files, poolOptions(options));
  const { findings } = await scanFiles(files, { parse: threadParse(options), ...options, renderFixes: false });
  return new Set(findings.map((f) => f.fingerprint));
}

/** Start the pool's workers now (loading their modules), so they are ready when the first file arrives. */
export function startPool(): void {
  if (defaultPoolSize() > 0) sharedPool().ready().catch(() => undefined);
}

/** A file parsed for the repository index, in the worker pool unless it is off: the main thread never parses it. */
export const parseForIndexPooled: IndexParser = async (path, text) => {
  // Most files name no indexed kind: told here with one regular expression, without a trip to a worker.
  if (defaultPoolSize() === 0 || !mayIndex(path, text)) return indexFile(path, text);
  const indexed = await sharedPool().indexed(path, text);
  return { ...indexed, resources: indexed.resources.map(withDetachedSource) };
};

/**
 * A file's resources of these kinds (null: all of them), its CustomResourceDefinitions left unparsed unless asked
 * for (as a scan leaves them), and its parse errors counted: parsed
 * in the worker pool unless it is off, and in this thread when a worker could not (so a file is never taken for one
 * without them); null when the file does not parse into anything.
 */
export async function resourcesPooled(path: string, text: string, kinds: ReadonlySet<string> | null): Promise<{ resources: Resource[]; errors: number } | null> {
  const there = defaultPoolSize() > 0 ? await sharedPool().resources(path, text, kinds && [...kinds]).catch(() => null) : null;
  if (there) return there.parsed && { resources: there.parsed.resources.map(withDetachedSource), errors: there.parsed.errors };
  return resourcesOfKinds(await parseFile(path, text, resourcesParseOptions(kinds)).catch(() => null), kinds);
}

/** Ops rendered against a resource of a file (parsed again for it), in the worker pool unless it is off. */
export async function renderOpsPooled(path: string, text: string, resource: string, ops: readonly EditOp[]): Promise<Edit | null> {
  return defaultPoolSize() > 0 ? sharedPool().render(path, text, resource, ops) : renderInThread(path, text, resource, ops);
}

/** Many renderOpsPooled at once: one job in the worker pool, the workers rendering concurrently. */
export async function renderAllPooled(renders: readonly RenderAsk[]): Promise<(Edit | null)[]> {
  if (defaultPoolSize() > 0) return sharedPool().renderAll(renders);
  // In this thread, one file at a time, each parsed once for all of its renders (as a worker does).
  const edits: (Edit | null)[] = renders.map(() => null);
  for (const { path, text, indexes } of rendersByFile(renders)) {
    const parsed = await parseFile(path, text).catch(() => null);
    renderOnParsed(parsed, indexes.map((i) => renders[i]!)).forEach((edit, i) => (edits[indexes[i]!] = edit));
    parsed?.release?.();
  }
  return edits;
}

async function renderInThread(path: string, text: string, resource: string, ops: readonly EditOp[]): Promise<Edit | null> {
  const parsed = await parseFile(path, text);
  try {
    return renderOnParsed(parsed, [{ resource, ops }])[0]!;
  } finally {
    parsed?.release?.();
  }
}

/** Whether each file, with a fix's edits applied, parses and has none of its fingerprints left; in the worker pool when it can be. */
export async function proveTextsPooled(proofs: readonly Proof[], options: ScanOptions): Promise<boolean[]> {
  if (pooled(options)) return sharedPool().prove(proofs, poolOptions(options));
  const proven: boolean[] = [];
  for (const proof of proofs) proven.push(await proveText(proof, options, threadParse(options)));
  return proven;
}

/** reviewChart, in a worker when it can be: the reason instead when it could not finish there. */
export async function reviewChartPooled(input: ChartReviewInput, options: { config: Config; rules: readonly AnyRule[]; repository?: RepositoryIndex }): Promise<ChartReview | { failed: string }> {
  if (!pooled(options)) return reviewChart(input, options);
  return sharedPool().chart(input, poolOptions(options));
}

/** A Helm chart rendered for the repository index (src/render/chart-index.ts), in the worker pool unless it is off. */
export async function indexChartPooled(input: ChartIndexInput): Promise<IndexedChart | { failed: string }> {
  const indexed = defaultPoolSize() === 0 ? indexChart(input) : await sharedPool().indexChart(input);
  return 'failed' in indexed ? indexed : { ...indexed, resources: indexed.resources.map(withDetachedSource) };
}

/** A Kustomize composition and its review (src/composed-review.ts), in the worker pool when it can be. */
export async function reviewCompositionPooled(request: CompositionRequest, read: (path: string) => Promise<string | null>, options: CompositionOptions): Promise<CompositionReview> {
  if (!pooled(options)) return reviewComposition(request, read, options);
  return sharedPool().compose(request, read, poolOptions(options));
}
