// The pipeline on one screen: files → parse → changed → rules → findings with baseline and gate.
// The command line and the App both call `review`; nothing here knows GitHub.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { pathGlobs, type Config } from './config.js';
import type { AnyRule } from './engine/define-rule.js';
import { EMPTY_REPOSITORY, type RepositoryIndex, type RepositoryReader } from './engine/repository.js';
import { PARSE_ERROR, type ScanResult } from './engine/run.js';
import { fileKind } from './formats/index.js';
import { checkText } from './formats/text.js';
import { reviewCharts } from './render/charts.js';
import { fingerprintsPooled, scanFilesPooled } from './worker/pooled.js';
import { patchLines, type PatchLines } from './diff.js';
import { severityRank, type Finding, type Note } from './model.js';
import { RULES } from '../rules/index.js';

export interface ChangedFile {
  /** Repository-relative path at head. */
  path: string;
  /** Text at head; null when the file could not be read (the reason goes in `unreadable`). */
  headText: string | null;
  /** Text at base, for the baseline; null or absent for an added file. */
  baseText?: string | null;
  /**
   * The file's unified patch (hunks). `undefined`: review every resource (e.g. `warden scan`).
   * `null`: the patch is missing (GitHub omits it on huge diffs): review the file whole, comment on no line.
   */
  patch?: string | null;
  unreadable?: string;
}

export interface ReviewInput {
  files: readonly ChangedFile[];
  config: Config;
  repository?: RepositoryIndex;
  rules?: readonly AnyRule[];
  /**
   * Render the fixes of pre-existing findings too (default true: the command line prints them). The App
   * never offers them inline, so it skips that work.
   */
  fixPreExisting?: boolean;
  /**
   * The repository at head. When a changed Terraform file holds `data` blocks, the other Terraform files of its
   * module are read from it, so that their resources that read a data block the change touches are reviewed
   * too (src/engine/data-reads.ts); nothing else of those files is reported.
   */
  reader?: RepositoryReader;
}

export interface ReviewResult {
  /** Findings on changed resources at head, sorted by file and line; `preExisting` set from the baseline. */
  findings: Finding[];
  /** Findings that decide the gate: not suppressed, at or above the gate, new unless `gate_on: all`. */
  gating: Finding[];
  notes: Note[];
  errors: Note[];
  /** Per file, its patch lines (absent for files reviewed whole). */
  patches: Map<string, PatchLines>;
  scan: ScanResult;
  stats: { files: number; resources: number; ms: number };
}

/** Whether a path holds a format Warden reads and config's include/exclude globs admit it. */
export function pathFilter(config: Config): (path: string) => boolean {
  const globs = pathGlobs(config);
  return (path) => fileKind(path) !== null && globs(path);
}

export function isGating(finding: Finding, config: Config): boolean {
  if (finding.suppressed) return false;
  if (finding.preExisting && config.gate_on === 'new') return false;
  return severityRank(finding.severity) >= severityRank(config.gate);
}

export async function review(input: ReviewInput): Promise<ReviewResult> {
  const started = performance.now();
  const { config } = input;
  const rules = input.rules ?? RULES;
  const admitted = pathFilter(config);
  const files = input.files.filter((f) => admitted(f.path));
  const errors: Note[] = files.filter((f) => f.headText === null).map((f) => ({ file: f.path, message: f.unreadable ?? 'could not be read' }));
  // Size and binary content are checked here too, so every caller gets the same limits (src/engine/limits.ts).
  const readable: (ChangedFile & { headText: string })[] = [];
  for (const f of files) {
    if (f.headText === null) continue;
    const checked = checkText(f.headText);
    if ('skipped' in checked) errors.push({ file: f.path, message: checked.skipped });
    else readable.push({ ...f, headText: checked.text, baseText: typeof f.baseText === 'string' && 'text' in checkText(f.baseText) ? f.baseText : null });
  }

  const patches = new Map<string, PatchLines>();
  const notes: Note[] = [];
  for (const f of readable) {
    if (typeof f.patch === 'string') patches.set(f.path, patchLines(f.patch));
    else if (f.patch === null) notes.push({ file: f.path, message: 'GitHub sent no patch for this file (diff too large): reviewed whole, findings reported in the check run only' });
  }

  const repository = input.repository ?? EMPTY_REPOSITORY;
  // Helm charts a changed file belongs to (its helpers included): rendered at head and base and reviewed as the
  // objects they deploy, reported at their values keys and template lines. Their templates are not scanned as YAML.
  const excluded = config.paths.exclude.length > 0 ? picomatch(config.paths.exclude, { dot: true }) : () => false;
  const chartChanges = input.files.flatMap((f) => (typeof f.headText === 'string' && !excluded(f.path) && !('skipped' in checkText(f.headText)) ? [{ ...f, headText: f.headText }] : []));
  for (const f of chartChanges) if (typeof f.patch === 'string' && !patches.has(f.path)) patches.set(f.path, patchLines(f.patch));
  const charts = await reviewCharts(chartChanges, patches, input.reader, { config, rules, repository });
  const scannable = readable.filter((f) => !charts.covered.has(f.path));
  // Unchanged files of the changed Terraform modules, the same at base and head: context, not under review.
  const context = input.reader ? await moduleSiblings(scannable, input.reader, admitted) : [];
  const contextPaths = new Set(context.map((f) => f.path));
  // Baseline first: the same files at base, scanned whole under their head paths so fingerprints match.
  // Only fingerprints come back from the workers: no base finding is ever built on the main thread.
  const existed = await baselineFingerprints([...scannable, ...context.map((f) => ({ ...f, baseText: f.headText }))], { config, rules, repository });
  // In the worker pool: parsing never blocks the event loop, and each file has a time limit. A context file
  // changes nowhere: only its resources that read a touched data block are reviewed.
  const head = await scanFilesPooled(
    [
      ...scannable.map((f) => ({ path: f.path, text: f.headText, changed: patches.get(f.path)?.changed ?? null })),
      ...context.map((f) => ({ path: f.path, text: f.headText, changed: new Set<number>() })),
    ],
    { config, rules, repository, ...(input.fixPreExisting === false ? { skipFixesFor: existed } : {}) },
  );
  const ownFile = (note: Note) => !contextPaths.has(note.file);
  head.findings = head.findings.filter((f) => !(contextPaths.has(f.file) && f.ruleId === PARSE_ERROR));
  head.findings = [...head.findings, ...charts.findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
  for (const finding of charts.findings) if (charts.baseFingerprints.has(finding.fingerprint)) finding.preExisting = true;
  // Chart files reviewed through their chart: their text anchors comments like any scanned file's.
  const scannedPaths = new Set(head.files.map((f) => f.file));
  for (const f of chartChanges) {
    if (charts.covered.has(f.path) && !scannedPaths.has(f.path)) head.files.push({ file: f.path, format: 'yaml', text: f.headText, errors: [], notes: [], resourceCount: 0 });
  }
  for (const finding of head.findings) if (existed.has(finding.fingerprint)) finding.preExisting = true;
  for (const finding of head.findings) finding.preExisting ??= false;
  const reviewed = head.files.filter((f) => !contextPaths.has(f.file));

  return {
    findings: head.findings,
    gating: head.findings.filter((f) => isGating(f, config)),
    notes: [...notes, ...head.notes.filter(ownFile), ...charts.notes],
    errors: [...errors, ...head.errors.filter(ownFile)],
    patches,
    scan: head,
    stats: { files: reviewed.length, resources: reviewed.reduce((n, f) => n + f.resourceCount, 0) + charts.resources, ms: Math.round(performance.now() - started) },
  };
}

/** Other Terraform files of a module read at most, in all: a module is a folder, rarely this large. */
export const MAX_MODULE_SIBLINGS = 100;

/**
 * The unchanged Terraform files beside changed ones that hold `data` blocks (which resources elsewhere in the
 * module may read), from the repository at head.
 */
async function moduleSiblings(files: readonly (ChangedFile & { headText: string })[], reader: RepositoryReader, admitted: (path: string) => boolean): Promise<(ChangedFile & { headText: string })[]> {
  const modules = new Set(files.filter((f) => fileKind(f.path) === 'hcl' && typeof f.patch === 'string' && /^\s*data\s+"/m.test(f.headText)).map((f) => posix.dirname(f.path)));
  if (modules.size === 0) return [];
  const inChange = new Set(files.map((f) => f.path));
  let paths: string[];
  try {
    paths = await reader.paths();
  } catch {
    return []; // the repository cannot be listed: the changed files are still reviewed
  }
  const siblings = paths.filter((p) => fileKind(p) === 'hcl' && modules.has(posix.dirname(p)) && !inChange.has(p) && admitted(p)).sort().slice(0, MAX_MODULE_SIBLINGS);
  const read = await Promise.all(siblings.map(async (path) => ({ path, text: await reader.read(path).catch(() => null) })));
  return read.flatMap(({ path, text }) => {
    const checked = text === null ? null : checkText(text);
    return checked && 'text' in checked ? [{ path, headText: checked.text }] : [];
  });
}

async function baselineFingerprints(
  files: readonly ChangedFile[],
  options: { config: Config; rules: readonly AnyRule[]; repository: RepositoryIndex },
): Promise<Set<string>> {
  const withBase = files.filter((f) => typeof f.baseText === 'string');
  if (withBase.length === 0) return new Set();
  return fingerprintsPooled(
    withBase.map((f) => ({ path: f.path, text: f.baseText as string })),
    { ...options, renderFixes: false },
  );
}
