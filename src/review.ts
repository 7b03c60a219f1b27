// The pipeline on one screen: files → parse → changed → rules → findings with baseline and gate.
// The command line and the App both call `review`; nothing here knows GitHub.
import { failClosedOnComposition, failClosedOnUnseen, Unreviewed, type NotReviewed } from './fail-closed.js';
import { pacer, startPaced, type Pause } from './common/pace.js';
import { pathExcluded, pathGlobs, pathIncluded, type Config } from './config.js';
import type { AnyRule } from './engine/define-rule.js';
import { EMPTY_REPOSITORY, type RepositoryIndex, type RepositoryReader } from './engine/repository.js';
import { byPlace, effectiveSeverity, type ScanResult } from './engine/run.js';
import { NOT_REVIEWED, PARSE_ERROR, SUPPRESSION_EXPIRED, SUPPRESSION_IN_PULL_REQUEST, SUPPRESSION_WITHOUT_REASON } from './engine/meta-findings.js';
import { rulesAffectedBy } from './engine/repository-index.js';
import { composableFiles, reviewComposed } from './composed-review.js';
import { lostProtections } from './lost-protections.js';
import { chartsAfter, chartsBefore } from './charts-before.js';
import { gainedEscalations } from './gained-privileges.js';
import { fileKind } from './formats/index.js';
import { admitChanges, changesGeneratorsMayRead, kustomizeJsonInputs, readBase, type AdmittedChanges, type ReadableFile } from './review-inputs.js';
import { unreadDeployed } from './unread-deployed.js';
import { terraformContext, unreadIncludes, type TerraformContext } from './terraform-context.js';
import { readTerraformFiles } from './terraform-files.js';
import { HELM_TEMPLATE_REASON } from './formats/templates.js';
import { checkText } from './formats/text.js';
import { reviewCharts, type ChartsReview } from './render/charts.js';
import { gitOpsChartInstalls } from './render/gitops-installs.js';
import { fingerprintsPooled, parseForIndexPooled, scanFilesPooled } from './worker/pooled.js';
import { mergeNamespaceFindings } from './namespace-findings.js';
import { withoutKustomizationRepeats } from './kustomization-findings.js';
import { patchLines, type PatchLines } from './diff.js';
import { planFixes, type FixGroup } from './fixes.js';
import { applySuppressionPolicy, suppressionFindings, type LapsedSuppression } from './suppression-policy.js';
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
  /**
   * What the change adds or points here that deploys this file (a file it may not touch) anew: a symbolic link, a
   * GitOps source; each said as how (`through \`k8s/a.yaml\`, a symbolic link this change adds or points here`). The
   * file is reviewed whole and every finding is new (`patch` null, no `baseText`; an added file keeps its patch).
   */
  deployedAnew?: string[];
  /** Where a renamed file was at base (its `baseText` is the text there). */
  previousPath?: string;
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
  /**
   * The repository at the change's base: a chart's dependency archive the change writes is reviewed against the
   * archives there (src/render/charts.ts); without it, such a change is not reviewed (src/unread-deployed.ts).
   */
  baseReader?: RepositoryReader;
  /**
   * Plan every fix (src/fixes.ts): overlapping fixes combined, each proven, the findings' edits replaced by their
   * group's proven edit. The command line asks for it; the App plans only the comments it posts.
   */
  planFixes?: boolean;
  /** The caller chose these files (the command line's arguments, already filtered): path globs are not applied again. */
  selected?: boolean;
  /** The clock suppressions' `(until …)` dates are read against (default: now). */
  now?: () => Date;
  /**
   * Files the change deletes, as they were at base (null: not read): what they took away from the files the change
   * does not touch (a namespace's default-deny policy) is reviewed (src/lost-protections.ts).
   */
  removed?: readonly { path: string; baseText: string | null }[];
  /**
   * Every other path the change writes (added or edited), of a name Warden does not read: one a kustomization
   * deploys is not reviewed (src/unread-deployed.ts).
   */
  written?: readonly string[];
  /**
   * The patches listed for `written` paths (the App's file list): a file a generator reads (an `app.env`) is then
   * reviewed by its lines, inline, as a manifest is; without one, whole, in the check run.
   */
  writtenPatches?: ReadonlyMap<string, string>;
}

export interface ReviewResult {
  /** Findings on changed resources at head, sorted by file and line; `preExisting` set from the baseline. */
  findings: Finding[];
  /** Findings that decide the gate: not suppressed, at or above the gate, new unless `gate_on: all`. */
  gating: Finding[];
  notes: Note[];
  errors: Note[];
  /**
   * What cross-resource rules may have missed: files of the repository that may hold what they read but could not be
   * read, with the active rules affected. Each is in `notes` too, so every output names it.
   */
  unindexed: { file: string; reason: string; rules: string[] }[];
  /** Suppressions that no longer suppress (expired, or an unreadable expiry): their findings are back. Each is in `notes` too. */
  lapsedSuppressions: LapsedSuppression[];
  /** Per file, its patch lines (absent for files reviewed whole). */
  patches: Map<string, PatchLines>;
  scan: ScanResult;
  /** With `planFixes`: the findings grouped by fix, each group with its proven edit (or none); else empty. */
  fixes: FixGroup[];
  stats: { files: number; resources: number; ms: number };
}

/** Whether a path holds a format Warden reads and config's include/exclude globs admit it. */
export function pathFilter(config: Config): (path: string) => boolean {
  const globs = pathGlobs(config);
  return (path) => fileKind(path) !== null && globs(path);
}

/**
 * Whether a file the change deletes is read as it was, for what it took away from the files the change does not
 * touch (src/lost-protections.ts) and what its values gave them (a definitions file's variables): every format
 * Warden reads. A JSON file that is no manifest reads as nothing. The App and the command line both ask.
 */
export function readsDeleted(path: string): boolean {
  return fileKind(path) !== null;
}

export function isGating(finding: Finding, config: Config): boolean {
  // Under `deny`, a suppression the pull request wrote itself does not lift the gate until it is on the default branch.
  if (finding.suppressed && !(finding.suppressed.inPullRequest && config.suppressions.in_pull_request === 'deny')) return false;
  // A file Warden could not review gates whatever the gate severity, unless the admin chose `unreviewable: warn`.
  if (finding.ruleId === NOT_REVIEWED) return config.unreviewable !== 'warn';
  // What a suppression hides gates or not by the policy; the finding about the suppression itself never does.
  if (finding.ruleId === SUPPRESSION_EXPIRED || finding.ruleId === SUPPRESSION_IN_PULL_REQUEST) return false;
  if (finding.preExisting && config.gate_on === 'new') return false;
  return severityRank(finding.severity) >= severityRank(config.gate);
}

export async function review(input: ReviewInput): Promise<ReviewResult> {
  const started = performance.now();
  const { config } = input;
  const rules = input.rules ?? RULES;
  const admitted = pathFilter(config);
  const notes: Note[] = [];
  // What could not be reviewed, by file: each becomes a warden/not-reviewed finding (src/fail-closed.ts).
  const unreviewed = new Unreviewed();
  const notReviewed: NotReviewed = (file, reason, line) => unreviewed.add(file, reason, line);
  // Thousands of files: the loops here give way to the server's other work now and then.
  const pause = pacer();
  const changes = await admitChanges(input, admitted, { notReviewed, notes, pause });
  const { changedFiles, readable } = changes;
  const excluded = pathExcluded(config);
  const kustomizeInputs = kustomizeJsonInputs(changedFiles, excluded);
  // What Kustomize composition reads of the change: the files read, and the JSON a kustomization may read besides.
  const kustomizeReadable = [...readable, ...kustomizeInputs];
  const patches = await patchesOf(readable, notes, pause);

  const repository = input.repository ?? EMPTY_REPOSITORY;
  const { charts, chartChanges } = await reviewChangedCharts(changes, patches, input, { config, rules, repository, excluded, notReviewed });
  const scannable = readable.filter((f) => !charts.covered.has(f.path));
  const removed = (input.removed ?? []).filter((f) => admitted(f.path));
  // Unchanged files of the changed Terraform modules, their callers, the configurations Terragrunt units include; and
  // the changed configurations units include (a `root.hcl`, of a name the review does not read), reviewed as changed.
  const terraform = await terraformContext(scannable, removed, { reader: input.reader, admitted, config, notReviewed, written: input.written ?? [], changes: changedFiles, ...(input.writtenPatches ? { writtenPatches: input.writtenPatches } : {}) });
  for (const f of terraform.changedIncludes) {
    scannable.push(f);
    if (typeof f.patch === 'string') patches.set(f.path, patchLines(f.patch));
  }
  notes.push(...terraform.notes);
  // Kustomize composition is one task of the worker pool: started first, it runs beside the scan rather than after it.
  // A chart's changed templates are not read as YAML, but a kustomization that inflates the chart reads them.
  const others = changesGeneratorsMayRead(changedFiles, [...changes.files.filter((f) => !changes.templates.has(f.path)), ...kustomizeInputs], input, removed, excluded);
  const composing = reviewComposed(kustomizeReadable, patches, input.reader, admitted, { config, rules, repository }, removed, { changes: others, ...(input.baseReader ? { base: input.baseReader } : {}) });
  composing.catch(() => undefined); // awaited below; a failure must not count as unhandled meanwhile
  const terraformFiles = await terraformFileTexts(scannable, terraform, changedFiles, input, { notReviewed, notes });
  const [existed, head] = await scanHeadAndBase(scannable, terraform, patches, input, { config, rules, repository }, terraformFiles);
  // From here on, thousands of findings: each step gives way to the server's other work in between (an `await` of
  // what is settled already does not).
  await pause();
  unreadIncludes(terraform, head.files, notReviewed);
  // Kustomize: what the kustomizations that build the changed files deploy, reviewed composed; their manifests
  // and patches are then not reviewed as objects of their own (their parse errors and suppressions still are).
  const kustomize = await composing;
  // Thousands of composed findings just arrived (and were taken in): the server's other work goes first.
  await pause();
  // What generators read is reviewed in what they generate: its lines are the change's, as a manifest's are.
  for (const f of kustomize.inputs) if (typeof f.patch === 'string' && !patches.has(f.path)) patches.set(f.path, patchLines(f.patch));
  const submodules = kustomize.uncomposed.some((part) => part.missing !== undefined) ? await input.reader?.submodules?.().catch(() => undefined) : undefined;
  const consumed = failClosedOnComposition(kustomize, kustomizeReadable, patches, removed, notReviewed, notes, submodules ?? new Set());
  await pause();
  // A changed file of another name a kustomization deploys, or a submodule one deploys from: its change is not
  // reviewed as one (a composition that reads it sees no line of it changed). Looked for in every change that
  // writes such a path, code or docs alone too: a change of nothing but `pod.txt` must not pass unseen.
  if (input.reader && input.written?.length) notes.push(...(await failClosedOnUnreadDeployed(input.written, input.reader, { covered: charts.covered, config, now: input.now, unreviewed, judged: judgedManifests(head.files) })));
  await pause();
  await mergeFindings(head, { existed, kustomize, consumed, charts, chartChanges }, pause);
  const own = apartFromContext(head, terraform.paths);
  await pause();
  notes.push(...kustomize.notes);
  failClosedOnHeadScan(own, changes, patches, notReviewed, notes);
  const elsewhere = await changedElsewhere(readable, removed, input, { repository, patches, config, rules }, notes);
  if (elsewhere.length > 0) head.findings = [...head.findings, ...elsewhere].sort(byPlace);
  // Listed first: what Warden could not review matters before what it found.
  const findings = [...unreviewed.findings(config, new Map([...kustomizeReadable, ...kustomize.inputs].flatMap((f) => (f.headText === null ? [] : [[f.path, f.headText] as const])))), ...head.findings];

  // Expired suppressions no longer hold; those the change wrote are marked for the policy (src/suppression-policy.ts).
  await pause();
  const suppressionPolicy = applySuppressionPolicy(findings, input.files, patches, (input.now ?? (() => new Date()))());
  const unindexed = unindexedFiles(repository, rules, config);
  await pause();
  const stated = statedFindings(findings, suppressionPolicy.lapsed, config);
  await pause();
  const fixes = input.planFixes ? await settleFixes({ ...head, findings: stated }, { config, rules, repository }) : [];
  return reviewResult({ head, own, stated, fixes, patches, unreviewed, notes, suppressionPolicy, charts, unindexed, repository, config, started });
}

/**
 * What the Terraform files read with `file()` (src/terraform-files.ts), at head and at base: a file the change
 * writes as it was (from the change, else the base tree; not known there, left out), any other as it is. One not
 * read is not reviewed where the change writes it (what reads it would be judged without it), else a note.
 */
async function terraformFileTexts(
  scannable: readonly ReadableFile[],
  terraform: TerraformContext,
  changedFiles: readonly ChangedFile[],
  input: Pick<ReviewInput, 'reader' | 'baseReader' | 'written'>,
  { notReviewed, notes }: { notReviewed: NotReviewed; notes: Note[] },
): Promise<{ head: Record<string, string>; base: Record<string, string> }> {
  const hcl = [...scannable, ...terraform.files].filter((f) => fileKind(f.path) === 'hcl' && f.headText.includes('file(')).map((f) => ({ path: f.path, text: f.headText }));
  if (hcl.length === 0) return { head: {}, base: {} };
  const changed = new Map(changedFiles.map((f) => [f.path, f]));
  const { texts: head, unread } = await readTerraformFiles(hcl, input.reader, new Map([...changed].map(([path, f]) => [path, f.headText])));
  const written = new Set(input.written ?? []);
  for (const { path, reason } of unread) {
    if (changed.has(path) || written.has(path)) notReviewed(path, `Terraform reads this file with \`file()\` into what it deploys, and Warden did not read it: ${reason}`);
    else notes.push({ file: path, message: `read by Terraform's \`file()\`, not read (${reason}): what the resources reading it set from it is unknown to the review` });
  }
  const base: Record<string, string> = {};
  for (const [path, text] of Object.entries(head)) {
    const change = changed.get(path);
    const before = change ? change.baseText : written.has(path) ? await input.baseReader?.read(path).catch(() => null) : text;
    if (typeof before === 'string') base[path] = before;
  }
  return { head, base };
}

/**
 * The head and the baseline scanned in the worker pool at once: the files to review, and the Terraform context read
 * beside them. Returns the baseline's fingerprints and the head's scan.
 */
async function scanHeadAndBase(
  scannable: readonly ReadableFile[],
  terraform: TerraformContext,
  patches: ReadonlyMap<string, PatchLines>,
  input: Pick<ReviewInput, 'planFixes' | 'fixPreExisting'>,
  options: { config: Config; rules: readonly AnyRule[]; repository: RepositoryIndex },
  terraformFiles: { head: Record<string, string>; base: Record<string, string> },
): Promise<[Set<string>, ScanResult]> {
  const context = terraform.files;
  // The baseline: the same files at base, scanned whole under their head paths so fingerprints match.
  // Only fingerprints come back from the workers: no base finding is ever built on the main thread.
  const baseline = baselineFingerprints(
    [...scannable, ...context.map((f) => ({ ...f, baseText: f.headText })), ...terraform.deletedAtBase.map((f) => ({ ...f, headText: null }))],
    { ...options, terraformFiles: terraformFiles.base },
  );
  // In the worker pool: parsing never blocks the event loop, and each file has a time limit. A context file
  // changes nowhere: only its resources that read a touched data block are reviewed. The head is parsed while the
  // baseline is scanned; without fixes for pre-existing findings, its evaluation waits for the baseline.
  // With fixes to plan, each file's are proven where it is evaluated; not those of a file Kustomize composition may
  // take over (its findings are then the composition's, and planning proves the file's own only if it does not).
  const composable = input.planFixes ? new Set(composableFiles(scannable.map((f) => f.path), scannable.map((f) => f.path))) : new Set<string>();
  const headScan = scanFilesPooled(
    [
      ...scannable.map((f) => ({ path: f.path, text: f.headText, changed: patches.get(f.path)?.changed ?? null, proveFixes: input.planFixes === true && !composable.has(f.path) })),
      ...context.map((f) => ({ path: f.path, text: f.headText, changed: new Set<number>() })),
    ],
    { ...options, touchedData: terraform.touched, terraformFiles: terraformFiles.head, ...(input.fixPreExisting === false ? { skipFixesFor: baseline } : {}) },
  );
  return Promise.all([baseline, headScan]);
}

/** The part of the head scan that is the change's own (see apartFromContext). */
type OwnScan = Pick<ScanResult, 'files' | 'errors' | 'notes'>;

/**
 * The head scan apart from the Terraform context it read (src/terraform-context.ts): of a context file, only the
 * findings on its resources are the change's. Its parse errors are dropped from `head`; its files, errors and notes
 * are left out of what is returned, so it is neither failed closed, reported nor counted as reviewed. Applied once the
 * findings are merged: composition and charts report no parse error, so a context file's are all the head scan's.
 */
function apartFromContext(head: ScanResult, contextPaths: ReadonlySet<string>): OwnScan {
  const own = <T extends { file: string }>(items: readonly T[]) => items.filter((item) => !contextPaths.has(item.file));
  head.findings = head.findings.filter((f) => !(contextPaths.has(f.file) && f.ruleId === PARSE_ERROR));
  return { files: own(head.files), errors: own(head.errors), notes: own(head.notes) };
}

/** What the head scan could not review of the change's files: not reviewed (src/fail-closed.ts). */
function failClosedOnHeadScan(
  own: OwnScan,
  { readable, deploysFromHere, gitOps }: Pick<AdmittedChanges, 'readable' | 'deploysFromHere' | 'gitOps'>,
  patches: ReadonlyMap<string, PatchLines>,
  notReviewed: NotReviewed,
  notes: Note[],
): void {
  // A file the pool could not finish (time limit, a worker that died) or that its format would not review.
  for (const error of own.errors) notReviewed(error.file, error.message);
  for (const f of own.files) if (f.notReviewed !== undefined) notReviewed(f.file, f.notReviewed);
  const hadBase = new Set(readable.filter((f) => typeof f.baseText === 'string').map((f) => f.path));
  failClosedOnUnseen(own.files, patches, hadBase, deploysFromHere, gitOps?.followed ?? null, notReviewed, notes);
}

/**
 * The review's result: the findings as stated, the notes of every step (the head scan's and the charts' only of
 * files reviewed whole), and the files scanned and reviewed.
 */
function reviewResult(
  { head, own, stated, fixes, patches, unreviewed, notes, suppressionPolicy, charts, unindexed, repository, config, started }: {
    head: ScanResult;
    own: OwnScan;
    stated: Finding[];
    fixes: FixGroup[];
    patches: Map<string, PatchLines>;
    unreviewed: Unreviewed;
    notes: readonly Note[];
    suppressionPolicy: ReturnType<typeof applySuppressionPolicy>;
    charts: ChartsReview;
    unindexed: ReviewResult['unindexed'];
    repository: RepositoryIndex;
    config: Config;
    started: number;
  },
): ReviewResult {
  // Only files reviewed whole count as scanned: a thread on a file not reviewed is never taken for fixed. A file of
  // which only a part was not (what another tool renders, a kustomization entry) was reviewed, and counts.
  const wholeUnreviewed = (file: string) => unreviewed.isWhole(file);
  const scannedWhole = head.files.filter((f) => !wholeUnreviewed(f.file));
  const reviewed = own.files.filter((f) => !wholeUnreviewed(f.file));
  return {
    findings: stated,
    gating: stated.filter((f) => isGating(f, config)),
    notes: [
      ...notes,
      ...suppressionPolicy.notes,
      ...own.notes.filter((n) => !wholeUnreviewed(n.file)),
      ...charts.notes.filter((n) => !wholeUnreviewed(n.file)),
      ...unindexed.map((u) => unindexedNote(u, repository)),
    ],
    unindexed,
    lapsedSuppressions: suppressionPolicy.lapsed,
    errors: own.errors.filter((e) => !wholeUnreviewed(e.file)),
    patches,
    scan: { ...head, findings: stated, files: scannedWhole },
    fixes,
    stats: { files: reviewed.length, resources: reviewed.reduce((n, f) => n + f.resourceCount, 0) + charts.resources, ms: Math.round(performance.now() - started) },
  };
}

/** Per file, its patch lines. A file reviewed whole (deployed anew, or its patch not sent) says why in `notes`. */
async function patchesOf(readable: readonly ReadableFile[], notes: Note[], pause: Pause): Promise<Map<string, PatchLines>> {
  const patches = new Map<string, PatchLines>();
  for (const f of readable) {
    await pause();
    if (typeof f.patch === 'string') patches.set(f.path, patchLines(f.patch));
    else if (f.deployedAnew) notes.push({ file: f.path, message: `deployed anew ${f.deployedAnew.join('; and ')}: reviewed whole, every finding new (none is on a line this change wrote)` });
    else if (f.patch === null) notes.push({ file: f.path, message: 'GitHub sent no patch for this file (diff too large): reviewed whole, findings reported in the check run only' });
  }
  return patches;
}

/**
 * Helm charts a changed file belongs to (its helpers included): rendered at head and base and reviewed as the
 * objects they deploy, reported at their values keys and template lines. Their templates are not scanned as YAML;
 * a changed template no chart rendered, or a chart that could not be, is not reviewed. The chart files' patches are
 * added to `patches`.
 */
async function reviewChangedCharts(
  { changedFiles, templates, gitOps, isThisRepository }: AdmittedChanges,
  patches: Map<string, PatchLines>,
  input: ReviewInput,
  { config, rules, repository, excluded, notReviewed }: { config: Config; rules: readonly AnyRule[]; repository: RepositoryIndex; excluded: (path: string) => boolean; notReviewed: NotReviewed },
): Promise<{ charts: ChartsReview; chartChanges: ReadableFile[] }> {
  const chartChanges = changedFiles.flatMap((f) => (typeof f.headText === 'string' && !excluded(f.path) && !('skipped' in checkText(f.headText)) ? [{ ...f, headText: f.headText }] : []));
  for (const f of chartChanges) if (typeof f.patch === 'string' && !patches.has(f.path)) patches.set(f.path, patchLines(f.patch));
  const archives = input.baseReader && input.written ? { written: input.written, base: input.baseReader } : undefined;
  // The values files the repository's Argo CD Applications install its charts with: rendered with them.
  // An ApplicationSet's git directory generators make Applications of the folders the repository's listing has (whole).
  const listed = input.reader && repository.resources.some((r) => r.kind === 'ApplicationSet') && (await (input.reader.complete?.() ?? true)) ? await input.reader.paths() : undefined;
  const installs = gitOpsChartInstalls(repository.resources, { isThisRepository, root: repository.root ?? '.', ...(listed ? { listed } : {}) });
  const charts = await reviewCharts(chartChanges, patches, input.reader, { config, rules, repository }, { archives, installs, deployments: gitOps?.charts ?? [] });
  for (const path of templates) if (!charts.covered.has(path)) notReviewed(path, HELM_TEMPLATE_REASON);
  // A template (or chart) that could not be rendered was not reviewed: fail closed, as for any other file.
  for (const { file, reason, line } of charts.unrendered) notReviewed(file, reason, line);
  return { charts, chartChanges };
}

/**
 * The written paths of names Warden does not read that a kustomization deploys, or submodules one deploys from: not
 * reviewed (src/unread-deployed.ts). Returns what it notes besides.
 */
async function failClosedOnUnreadDeployed(
  written: readonly string[],
  reader: RepositoryReader,
  { covered, config, now, unreviewed, judged }: { covered: ReadonlySet<string>; config: Config; now: ReviewInput['now']; unreviewed: Unreviewed; judged: (file: string, resource: string) => boolean },
): Promise<Note[]> {
  const included = pathIncluded(config);
  const readsByName = (path: string) => fileKind(path) !== null && included(path);
  const unread = await unreadDeployed(written, reader, { renderedValues: covered, reviewedArchives: covered, readsByName }, now?.() ?? new Date());
  for (const { file, reason, line, text, reader: by } of unread.notReviewed) {
    // What a Terraform manifest read from it, evaluated and judged in this review (its findings in this file).
    if (by && judged(by.file, by.resource)) continue;
    unreviewed.add(file, reason, line);
    if (text !== undefined) unreviewed.saidIn(file, text);
  }
  return unread.notes;
}

/**
 * Whether the head scan judged a Terraform manifest read from another file (src/formats/hcl.ts
 * mayEvaluateManifest): its file was scanned whole and no longer says that resource's manifest is unseen.
 */
function judgedManifests(files: ScanResult['files']): (file: string, resource: string) => boolean {
  const byPath = new Map(files.map((f) => [f.file, f]));
  return (file, resource) => {
    const scanned = byPath.get(file);
    return scanned !== undefined && scanned.errors.length === 0 && scanned.notReviewed === undefined && !(scanned.unseen ?? []).some((part) => part.resource === resource);
  };
}

/**
 * The head scan's findings merged with the composed ones and the charts', each marked pre-existing by its own
 * baseline; the chart files and generator inputs reviewed through them join the scanned files.
 */
async function mergeFindings(
  head: ScanResult,
  { existed, kustomize, consumed, charts, chartChanges }: { existed: ReadonlySet<string>; kustomize: Awaited<ReturnType<typeof reviewComposed>>; consumed: ReadonlySet<string>; charts: ChartsReview; chartChanges: readonly ReadableFile[] },
  pause: Pause,
): Promise<void> {
  const fileLevel = new Set([PARSE_ERROR, SUPPRESSION_WITHOUT_REASON]);
  const seen = new Set<string>();
  head.findings = [...head.findings.filter((f) => !consumed.has(f.file) || fileLevel.has(f.ruleId)), ...apartFromCharts(kustomize.findings, charts.findings)]
    .filter((f) => !seen.has(f.fingerprint) && Boolean(seen.add(f.fingerprint)))
    .sort(byPlace);
  // A finding that says itself whether it was there before (a part not reviewed never was) is taken at its word.
  // A composed finding is as old as it is in the builds at base: the consumed file scanned alone at base (its
  // value as written, whatever an overlay made of it) says nothing of what was deployed.
  const composedFindings = new Set(kustomize.findings);
  const wasThere = (f: Finding) => (composedFindings.has(f) ? kustomize.existedSet : existed).has(f.fingerprint);
  for (const finding of head.findings) if (finding.preExisting === undefined && wasThere(finding)) finding.preExisting = true;
  await pause();
  head.findings = [...head.findings, ...charts.findings].sort(byPlace);
  for (const finding of charts.findings) if (finding.preExisting === undefined && charts.baseFingerprints.has(finding.fingerprint)) finding.preExisting = true;
  // Chart files reviewed through their chart: their text anchors comments like any scanned file's.
  const scannedPaths = new Set(head.files.map((f) => f.file));
  for (const f of chartChanges) {
    if (charts.covered.has(f.path) && !scannedPaths.has(f.path)) {
      head.files.push({ file: f.path, format: 'yaml', text: f.headText, errors: [], notes: [], resourceCount: 0 });
      // A chart's file a kustomization inflates the chart from is among the composition's inputs too: once.
      scannedPaths.add(f.path);
    }
  }
  // So do the files generators read (an `app.env`), reviewed in what they generate, where their patch is known.
  for (const f of kustomize.inputs) {
    if (f.headText !== null && typeof f.patch === 'string' && !scannedPaths.has(f.path)) head.files.push({ file: f.path, format: 'yaml', text: f.headText, errors: [], notes: [], resourceCount: 0 });
  }
  for (const finding of head.findings) finding.preExisting ??= false;
}

/**
 * The composed findings but those a chart's own review makes at the same place (a chart a kustomization inflates is
 * rendered by both, src/compose/helm-charts.ts): one finding per place, the chart's, whose fix groups stay whole. One
 * in a composed fix group stays, as its group's edit is proven with it.
 */
function apartFromCharts(composed: readonly Finding[], charts: readonly Finding[]): Finding[] {
  if (charts.length === 0) return [...composed];
  const place = (f: Finding) => `${f.ruleId}\0${f.file}\0${f.line}`;
  const chartPlaces = new Set(charts.map(place));
  const grouped = new Set(composed.flatMap((f) => f.fix?.rendered?.members ?? []));
  return composed.filter((f) => !chartPlaces.has(place(f)) || grouped.has(f.fingerprint));
}

/**
 * The findings as stated: a namespace's missing policy once, naming its workloads (src/namespace-findings.ts), what a
 * kustomization writes into an object once, in the object (src/kustomization-findings.ts); the suppression lines the
 * policy speaks of are findings of their own, in place among the rest.
 */
function statedFindings(findings: Finding[], lapsed: readonly LapsedSuppression[], config: Config): Finding[] {
  const aboutSuppressions = suppressionFindings(findings, lapsed, config);
  const merged = mergeNamespaceFindings(withoutKustomizationRepeats(findings));
  return aboutSuppressions.length === 0 ? merged : [...merged.filter((f) => f.ruleId === NOT_REVIEWED), ...[...merged.filter((f) => f.ruleId !== NOT_REVIEWED), ...aboutSuppressions].sort(byPlace)];
}

/**
 * What the change took away from the files it does not touch (a namespace's default-deny policy, the policy that
 * decides who may call its model endpoints, its accelerator quota: src/lost-protections.ts), and what it granted
 * them (an account's escalation: src/gained-privileges.ts). Only a change has a before (a whole-file scan has
 * none); a new file was empty before it. What could not be read as it was is said in `notes`, as the repository
 * index says what it could not read.
 */
async function changedElsewhere(
  readable: readonly ReadableFile[],
  removed: readonly { path: string; baseText: string | null }[],
  input: Pick<ReviewInput, 'files' | 'reader'>,
  context: { repository: RepositoryIndex; patches: ReadonlyMap<string, PatchLines>; config: Config; rules: readonly AnyRule[] },
  notes: Note[],
): Promise<Finding[]> {
  const { repository, patches, config, rules } = context;
  // What the charts the change touches deployed before it, when the index holds what charts deploy (src/charts-before.ts).
  const charts = repository.charts && input.reader ? await chartsBefore(input.files, removed, input.reader, config, repository) : { was: [], files: [], roots: [], notes: [] };
  notes.push(...charts.notes);
  const readableBase = (f: { baseText?: string | null }) => readBase(f) !== null;
  // A chart's template is read as its chart rendered it (`charts`), never as YAML of its own.
  const rendered = new Set(charts.files.map((f) => f.path));
  const before = [
    ...readable.flatMap((f) => (f.patch === undefined ? [] : [{ path: f.path, baseText: f.baseText ?? '', headText: f.headText }])),
    ...removed.flatMap((f) => (readableBase(f) && !rendered.has(f.path) ? [{ path: f.path, baseText: f.baseText!, headText: null }] : [])),
  ];
  const unseenBefore = (file: string, why: string) => notes.push({ file, message: `not read as it was before the change (${why}): what the change took from or granted to the files it does not touch through it is not reviewed` });
  for (const f of removed) if (!readableBase(f)) unseenBefore(f.path, 'a deleted file whose text could not be read');
  // Parsed once, as the repository index parses (in the worker pool; a file naming no indexed kind not at all), the
  // thousands of a large change handed over giving way to the server's other work.
  const parsedBefore = await startPaced(before, (f) => parseForIndexPooled(f.path, f.baseText).catch((error: unknown) => ({ resources: [], parsed: true, kinds: ['?'], problem: (error as Error).message ?? String(error) })));
  parsedBefore.forEach((parsed, i) => parsed.problem !== null && parsed.kinds.length > 0 && unseenBefore(before[i]!.path, parsed.problem));
  const was = parsedBefore.flatMap((parsed) => parsed.resources);
  // What a chart's change takes away or grants is judged like a manifest's, from what the chart deployed whatever
  // its values before and after (a template that deploys something only after it is new, as a new file is).
  const chartFiles = [...charts.files, ...chartsAfter(charts, repository.resources)];
  const files = [...before, ...chartFiles];
  const lost = lostProtections({ files, was: [...was, ...charts.was], repository, patches, config, rules });
  return [...lost, ...gainedEscalations({ files, was: [...was, ...charts.was], repository, config, rules })];
}

/**
 * Plan the fixes of the open findings (not suppressed) and make each finding carry its group's proven edit: a
 * finding whose fix could not be proven keeps its description, shown for a person to apply.
 */
async function settleFixes(head: ScanResult, context: { config: Config; rules: readonly AnyRule[]; repository: RepositoryIndex }): Promise<FixGroup[]> {
  const open = head.findings.filter((f) => !f.suppressed && f.fix);
  const texts = new Map(head.files.map((f) => [f.file, f.text]));
  const groups = await planFixes(open, texts, context);
  for (const group of groups) {
    for (const finding of group.findings) {
      const fix = finding.fix!;
      if (group.edit) finding.fix = { ...fix, applicability: group.applicability!, edits: [group.edit] };
      else if (fix.applicability !== 'display') finding.fix = { ...fix, applicability: 'display', edits: [] };
    }
  }
  return groups;
}

/** The files the repository index could not read, each with the active rules that read what it may hold. */
function unindexedFiles(repository: RepositoryIndex, rules: readonly AnyRule[], config: Config): ReviewResult['unindexed'] {
  const active = new Set(rules.filter((rule) => effectiveSeverity(rule, config) !== null).map((rule) => rule.id));
  return (repository.unread ?? []).flatMap((u) => {
    const affected = rulesAffectedBy(u).filter((id) => active.has(id));
    return affected.length > 0 ? [{ file: u.file, reason: u.reason, rules: affected }] : [];
  });
}

/** What the rules that look across the repository may miss of a file the index could not read. */
function unindexedNote(u: ReviewResult['unindexed'][number], repository: RepositoryIndex): Note {
  return {
    file: u.file,
    message:
      `not read for the rules that look across the repository (${u.reason}): ${u.rules.map((id) => `\`${id}\``).join(', ')} ` +
      (repository.complete ? 'may miss what it holds' : 'stay silent, since the repository could not be read whole'),
  };
}

async function baselineFingerprints(
  files: readonly ChangedFile[],
  options: { config: Config; rules: readonly AnyRule[]; repository: RepositoryIndex; terraformFiles: Record<string, string> },
): Promise<Set<string>> {
  const withBase = files.filter((f) => typeof f.baseText === 'string');
  if (withBase.length === 0) return new Set();
  return fingerprintsPooled(
    withBase.map((f) => ({ path: f.path, text: f.baseText as string })),
    { ...options, renderFixes: false },
  );
}

