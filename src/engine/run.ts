// The engine: parsed files → targets → rule checks → findings with fixes rendered as line edits.
import { posix } from 'node:path';
import type { Config } from '../config.js';
import { type EditOp, type Finding, type Fix, type Note, type ParsedFile, type Path, type Resource, type Severity } from '../model.js';
import { parseFile, type ParseOptions } from '../formats/index.js';
import { reportableAt } from '../formats/hcl-modules.js';
import { formatMessage, type AnyRule, type Report, type Target } from './define-rule.js';
import { renderFix } from './render-fix.js';
import { renderGroups } from './fix-groups.js';
import { joinPath, toPath } from './path.js';
import { rangeTouches } from '../diff.js';
import { readsTouchedData, touchedDataBlocks, touchedModuleCalls, withKeys } from './data-reads.js';
import { EMPTY_REPOSITORY, type RepositoryIndex } from './repository.js';
import { placed, podSpecs } from './scopes.js';
import { Suppressions } from './suppressions.js';
import { isComputed } from './terraform/evaluate.js';
import type { FileDeclarations } from './terraform/file-declarations.js';
import { renderAtVarFiles } from './terraform/var-files.js';
import { lookupsOf } from './visible.js';
import { isMergedOverride } from './terraform/overrides.js';
import { changesElsewhere, evaluateTerraformOnce } from './terraform/evaluate-once.js';
import { fingerprint, metaFinding, metaSeverity, notReviewedFinding, partAcknowledged, PARSE_ERROR, SUPPRESSION_WITHOUT_REASON } from './meta-findings.js';
import { instanceNote, mergedInstances } from './instance-notes.js';
import { deployingObjects, holdsVariables, maySubstitute, plainValue, substituted, trackingReads, unseenDeployers } from './flux-substituted.js';
import { memoByIdentity } from '../common/memo.js';


export interface SourceFile {
  path: string;
  text: string;
  /** Head-side lines the change touched; absent: every resource counts as changed. */
  changed?: ReadonlySet<number> | null;
  /**
   * In the worker pool: prove the file's candidate fixes where it is evaluated, as planning them will ask
   * (src/worker/prove-task.ts proveFileFixes).
   */
  proveFixes?: boolean;
}

export interface ScanOptions {
  config: Config;
  rules: readonly AnyRule[];
  repository?: RepositoryIndex;
  /** Render fixes into line edits (default true). */
  renderFixes?: boolean;
  /** Findings whose fixes are not rendered (ops kept): those already at base, which no one is offered inline. */
  skipFixesFor?: ReadonlySet<string>;
  /** What cross-resource rules see as `ctx.scanned`; default: the resources of the files evaluated. */
  scanned?: readonly Resource[];
  /** Data blocks the change touches in files other than those evaluated (src/engine/data-reads.ts). */
  touchedData?: readonly string[];
  /** Terraform variables and locals declared in files other than those evaluated (a worker evaluates one file). */
  declarations?: readonly FileDeclarations[];
  /** The files Terraform's `file()` and `templatefile()` read, by repository path, read before the scan (src/terraform-files.ts). */
  terraformFiles?: Readonly<Record<string, string>>;
  /** Render each group of fixes that must be offered together while the file's parse is held (src/engine/fix-groups.ts). */
  renderGroups?: boolean;
  /**
   * Only the findings' fingerprints are read (a proof): Terraform findings are not located, so they carry their
   * resource's first line and no suppression (a proof then counts a suppressed finding as left, never as gone).
   */
  fingerprintsOnly?: boolean;
  /**
   * Each file is a build of its own (a Kustomize root): the same finding from two builds is kept twice, each with
   * its `build`, so that a baseline compares every build with itself (src/composed-review.ts).
   */
  perBuild?: boolean;
  /**
   * How scanFiles parses the files: Warden's own rules leave CustomResourceDefinitions unparsed (rules/index.ts
   * UNREAD_DOCUMENTS), in a worker and in this thread alike, so a file is judged the same whatever the pool's size.
   */
  parse?: ParseOptions;
  /** Resources the change made otherwise though no line of theirs changed (a composed object built otherwise than at base). */
  changedResources?: ReadonlySet<Resource>;
}

/** What a scan says of each file it parsed: enough to anchor comments and tell a clean parse, not its resources. */
export type ScannedFile = Pick<ParsedFile, 'file' | 'format' | 'text' | 'errors' | 'notes' | 'notReviewed' | 'unseen'> & { resourceCount: number };

export interface ScanResult {
  findings: Finding[];
  notes: Note[];
  errors: Note[];
  files: ScannedFile[];
  stats: { files: number; resources: number; ms: number };
}

/** An in-process scan also gives the parsed files themselves (a pooled scan leaves them in the workers). */
export interface InProcessScanResult extends ScanResult {
  parsed: ParsedFile[];
}

/** The severity a rule runs at under this config, or null when it is off. */
export function effectiveSeverity(rule: Pick<AnyRule, 'id' | 'severity' | 'level'>, config: Config): Severity | null {
  const override = config.rules[rule.id];
  if (override === 'off') return null;
  if (rule.level === 'restricted' && config.pss_level === 'baseline') return null;
  return override ?? rule.severity;
}

function targetsOf(rule: AnyRule, resource: Resource): Target[] {
  if (rule.kinds && !rule.kinds.includes(resource.kind) && !(resource.terraform && rule.kinds.includes(resource.terraform.type))) return [];
  if (rule.scope === 'resource') return [{ scope: 'resource', resource, node: resource.body, path: [] }];
  const targets: Target[] = [];
  for (const pod of podSpecs(resource)) {
    if (rule.scope === 'podSpec') targets.push({ scope: 'podSpec', resource, pod, node: pod.spec, path: pod.path });
    else for (const container of pod.containers) targets.push({ scope: 'container', resource, pod, container, node: container.container, path: container.path });
  }
  return targets;
}

function touches(resource: Resource, changed: ReadonlySet<number> | null | undefined, changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined>): boolean {
  // A composed resource is changed when a line of any file that built it is (src/compose).
  if (resource.contributors) {
    return resource.contributors.some((c) => changedOf.has(c.file) && (!changedOf.get(c.file) || rangeTouches(c.range, changedOf.get(c.file)!)));
  }
  return !changed || rangeTouches(resource.range, changed);
}

export async function scanFiles(files: readonly SourceFile[], options: ScanOptions): Promise<InProcessScanResult> {
  const started = performance.now();
  const parsed: ParsedFile[] = [];
  const notes: Note[] = [];
  const errors: Note[] = [];
  for (const file of files) {
    try {
      const result = await parseFile(file.path, file.text, options.parse);
      if (result) parsed.push(result);
    } catch (error) {
      errors.push({ file: file.path, message: `could not be parsed: ${(error as Error).message}` });
    }
  }
  const changedOf = new Map(files.map((f) => [f.path, f.changed]));
  const result = evaluate(parsed, changedOf, options);
  for (const file of parsed) for (const message of file.notes) notes.push({ file: file.file, message });
  return {
    ...result,
    notes,
    errors,
    files: parsed.map((p) => ({ file: p.file, format: p.format, text: p.text, errors: p.errors, notes: p.notes, notReviewed: p.notReviewed, ...(p.unseen !== undefined ? { unseen: p.unseen } : {}), resourceCount: p.resources.length })),
    parsed,
    stats: { files: parsed.length, resources: parsed.reduce((n, f) => n + f.resources.length, 0), ms: Math.round(performance.now() - started) },
  };
}

/** Run the rules on already-parsed files. */
export function evaluate(
  parsed: readonly ParsedFile[],
  changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined>,
  options: ScanOptions,
): { findings: Finding[] } {
  const { config } = options;
  const repository = options.repository ?? EMPTY_REPOSITORY;
  const active = activeRules(options.rules, config);
  const findings: Finding[] = [];
  const seen = new Map<string, { finding: Finding; resource?: Resource }>();
  const touched = evaluateTerraformOnce(parsed, changedOf, options);
  // A resource is changed by the variable definitions files that give it values, wherever they were parsed.
  // And by the override blocks merged into it, wherever they were parsed.
  const changes = new Map([...changesElsewhere(options.declarations ?? []), ...changedOf]);
  const scanned = options.scanned ?? parsed.flatMap((file) => file.resources);
  // One context per rule for the whole evaluation (not one per check): its reports are taken after each check.
  const checks = active.map(({ rule, severity, lookups }) => {
    const reports: Report<string>[] = [];
    return { rule, severity, reports, context: { config, repository, scanned, lookups, report: (r: Report<string>) => void reports.push(r) } };
  });
  const touchedData = withKeys(touched, [...touchedDataBlocks(parsed, changes), ...touchedModuleCalls(parsed, changes)]);

  for (const file of parsed) {
    const changed = changes.get(file.file);
    const suppressions = Suppressions.of(file.text);
    // Findings are told apart by fingerprint, within the file's build when builds are kept apart.
    const build = options.perBuild ? posix.dirname(file.file) : undefined;
    const firstSeen = (finding: Finding, resource?: Resource) => {
      const key = build === undefined ? finding.fingerprint : `${build}\0${finding.fingerprint}`;
      const kept = seen.get(key);
      if (kept) {
        if (kept.resource && resource) mergedInstances({ finding: kept.finding, resource: kept.resource }, { finding, resource });
        return false;
      }
      seen.set(key, { finding, ...(resource ? { resource } : {}) });
      if (build !== undefined) finding.build = build;
      return true;
    };
    const parseSeverity = metaSeverity(config, PARSE_ERROR, 'high');
    if (parseSeverity) {
      // A parser may name the line after a final newline: keep the finding on a line that exists.
      const lastLine = Math.max(1, file.text.replace(/\n$/, '').split('\n').length);
      for (const error of file.errors) {
        const message = error.message.replace(/ at line \d+, column \d+:?$/, '');
        findings.push(metaFinding(PARSE_ERROR, parseSeverity, file.file, Math.min(error.line, lastLine), `This file cannot be parsed, so Warden could not review it: ${message}`, 'File cannot be parsed'));
      }
    }
    const reasonSeverity = metaSeverity(config, SUPPRESSION_WITHOUT_REASON, 'low');
    if (reasonSeverity) {
      for (const s of suppressions.all()) {
        if (s.reason || (changed && !changed.has(s.line))) continue;
        findings.push(metaFinding(SUPPRESSION_WITHOUT_REASON, reasonSeverity, file.file, s.line, `This suppression of ${s.ruleIds.join(', ')} gives no reason: add one after \`--\` so reviewers know why it is safe.`, 'Suppression without a reason'));
      }
    }

    const fileFindings = findings.length;
    // Flux's post-build variables: the objects are judged as the Flux Kustomizations deploying them put values in.
    // Whether a value holds one is told from what YAML read (an escape, `"\x24{A}"`, writes a `$` too): a file
    // without a `$` or a `\` holds none. (A composed file has no text of its own: its objects' values come from the
    // files that built them.)
    const mayHoldDollars = /[$\\]/.test(file.text) || file.resources.some((r) => r.contributors !== undefined);
    for (const resource of file.resources) {
      // An override block merged into its original is judged there, as merged.
      if (isMergedOverride(resource)) continue;
      if (!touches(resource, changed, changes) && !readsTouchedData(resource, touchedData) && !options.changedResources?.has(resource)) continue;
      const deployed = maySubstitute(resource, mayHoldDollars && holdsVariables(resource.body), scanned, repository) ? substituted(resource, deployingObjects(scanned, repository), resource.contributors ? file.file : resource.file, unseenDeployers(repository)) : null;
      // With values Warden could not put in, what the rules read of each way it is deployed is tracked: a value none
      // of them reads cannot change what they say.
      const tracked = deployed?.unresolved.some((u) => !u.always) === true;
      const ways = (deployed?.variants ?? [resource]).map((variant) => (tracked ? trackingReads(variant) : { resource: variant, read: null }));
      const judge = (variant: Resource, which: (rule: AnyRule) => boolean, plain: boolean) => {
        for (const { rule, severity, context, reports } of checks) {
          if (!which(rule) || (rule.applies && !rule.applies(variant, config))) continue;
          for (const target of targetsOf(rule, variant)) {
            reports.length = 0;
            rule.check(target as never, context);
            for (const written of reports) {
              const report = placedReport(target, written);
              if (!report) continue;
              if (!plain && report.fix) report.fix = { ...report.fix, ops: report.fix.ops.map((op) => ('value' in op ? { ...op, value: plainValue(op.value) } : op)) as typeof report.fix.ops };
              const finding = toFinding(rule, severity, variant, file, target, report, suppressions, options.renderFixes !== false, options.skipFixesFor, options.fingerprintsOnly === true);
              if (!reportableAt(variant, finding.path)) continue; // a local module's own setting: reported inside the module
              if (firstSeen(finding, variant)) findings.push(finding);
            }
          }
        }
      };
      // A rule that judges what the repository holds (a credential committed) judges the object as written.
      for (const way of ways) judge(way.resource, (rule) => !deployed || rule.judges !== 'written', way.read === null);
      if (deployed) judge(resource, (rule) => rule.judges === 'written', true);
      for (const { path, reason, whole } of (deployed?.unresolved ?? []).filter((u) => u.always || ways.some((way) => way.read?.(u.path)))) {
        const finding = unresolvedFinding(resource, path, reason, file.file, changes, suppressions, config, whole === true);
        if (finding && firstSeen(finding)) findings.push(finding);
      }
    }
    if (options.renderGroups && options.renderFixes !== false) renderGroups(file, findings.slice(fileFindings));
    // Its fixes are rendered: the parse kept for them can go, which bounds memory to one file's at a time.
    file.release?.();
  }
  findings.sort(byPlace);
  return { findings };
}

/**
 * A value Flux puts a variable into that Warden cannot put in: not reviewed, where a change touches its line (every
 * line of a file reviewed whole), never before; with `whole` (what the object is, is not known), wherever the change
 * touches the object (it is, to be evaluated), said at the value's line. Acknowledged, as any part not reviewed, by a
 * suppression above the line.
 */
function unresolvedFinding(
  resource: Resource,
  path: Path,
  reason: string,
  evaluated: string,
  changes: ReadonlyMap<string, ReadonlySet<number> | null | undefined>,
  suppressions: Suppressions,
  config: Config,
  whole: boolean,
): Finding | null {
  const at = resource.source.locate(path);
  const file = at.origin?.file ?? resource.file;
  // The evaluated file without lines given is changed throughout; a file a composed value came from, only as given.
  const lines = changes.has(file) ? changes.get(file) : file === evaluated ? null : new Set<number>();
  if (lines && !whole && !rangeTouches(at, lines)) return null;
  const inFile = at.origin ? suppressionsOf(at.origin.text) : suppressions;
  return { ...notReviewedFinding(file, reason, config, at.startLine), suppressed: partAcknowledged(inFile, at.startLine), preExisting: false };
}

// The rules a config runs, with their severities, by rule list and config: a worker evaluates one file at a time,
// thousands of times with the same two.
const activeRules = memoByIdentity((rules: readonly AnyRule[], config: Config): { rule: AnyRule; severity: Severity; lookups: ReadonlySet<string> }[] =>
  rules.flatMap((rule) => {
    const severity = effectiveSeverity(rule, config);
    return severity ? [{ rule, severity, lookups: lookupsOf(rule) }] : [];
  }),
);

// The suppression comments of the files composed values come from: a few files, each read once.
const originSuppressions = new Map<string, Suppressions>();
function suppressionsOf(text: string): Suppressions {
  let found = originSuppressions.get(text);
  if (!found) {
    if (originSuppressions.size >= 32) originSuppressions.clear();
    originSuppressions.set(text, (found = Suppressions.of(text)));
  }
  return found;
}

/** Findings in the order every output lists them: by file, line and rule. */
export const byPlace = (a: Finding, b: Finding): number => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId);

/**
 * A report on a pod or container written as a view (a Tekton step over its stepTemplate, a TrainJob's trainer), placed
 * where the field it is about is written, its fix's edits too (a fix is dropped when one of them is not written
 * there); none when the field is not written there at all (src/engine/scopes.ts placed).
 */
function placedReport(target: Target, report: Report<string>): Report<string> | null {
  if (target.scope === 'resource' || (!target.pod.sources && !target.pod.containers.some((c) => c.sources))) return report;
  const at = placed(target.pod, joinPath(report.base ?? target.path, report.at ?? []));
  if (!at) return null;
  const { fix, ...rest } = report;
  const ops = fix?.ops.map((op) => ({ op, path: placed(target.pod, joinPath(op.base ?? target.path, toPath(op.path))) }));
  const placedFix = fix && ops!.every((o) => o.path !== null) ? { ...fix, ops: ops!.map(({ op, path }) => ({ ...op, base: path!, path: [] })) } : undefined;
  return { ...rest, base: at, at: [], ...(placedFix ? { fix: placedFix } : {}) };
}

function toFinding(
  rule: AnyRule,
  severity: Severity,
  resource: Resource,
  file: ParsedFile,
  target: Target,
  report: Report<string>,
  suppressions: Suppressions,
  renderFixes: boolean,
  skipFixesFor: ReadonlySet<string> | undefined,
  fingerprintsOnly: boolean,
): Finding {
  const at = joinPath(report.base ?? target.path, report.at ?? []);
  // Locating in Terraform takes its syntax tree; a YAML position is at hand (and a composed value's origin is its identity).
  const unlocated = fingerprintsOnly && resource.format === 'hcl';
  const range: ReturnType<Resource['source']['locate']> = unlocated ? { ...resource.range, exact: false } : resource.source.locate(at);
  // A composed value is reported where it was set, and known by that place however many overlays build it.
  const origin = range.origin;
  const id = origin ? fingerprint(rule.id, origin.file, origin.resource, origin.path) : fingerprint(rule.id, resource.file, resource.id, at);
  const render = renderFixes && !skipFixesFor?.has(id);
  let fix: Fix | null = null;
  if (report.fix) {
    const ops: EditOp[] = report.fix.ops.map((op) => ({ ...op, path: joinPath(op.base ?? target.path, toPath(op.path)) }) as EditOp);
    for (const op of ops) delete (op as { base?: unknown }).base;
    // A value a variable definitions file gave is fixed there; one computed from a variable or local is not edited
    // where it is used (that would overwrite the expression).
    const atVarFiles = render ? renderAtVarFiles(resource, ops) : null;
    const overwrites = atVarFiles === null && ops.some((op) => isComputed(resource, op.path));
    const edits = atVarFiles ?? (render && !overwrites ? renderFix(resource, file.text, ops) : []);
    fix = {
      description: report.fix.description,
      applicability: overwrites || (render && edits.length === 0) ? 'display' : (report.fix.applicability ?? 'safe'),
      ops,
      edits,
    };
  }
  const template = rule.messages[report.message] ?? report.message;
  const inFile = origin ? suppressionsOf(origin.text) : suppressions;
  const resourceLine = !origin || origin.file === resource.file ? resource.range.startLine : null;
  const suppression = unlocated ? null : (inFile.above(range.startLine, rule.id) ?? (resourceLine === null ? null : inFile.above(resourceLine, rule.id)));
  return {
    ruleId: rule.id,
    severity,
    title: rule.title,
    message: formatMessage(template, report.data) + instanceNote(resource),
    file: origin?.file ?? resource.file,
    line: range.startLine,
    // A missing setting is reported on the first line of the nearest block that should hold it.
    endLine: range.exact ? range.endLine : range.startLine,
    resource: resource.id,
    path: at,
    fingerprint: id,
    fix,
    suppressed: suppression ? { reason: suppression.reason, line: suppression.line } : null,
    // The object's lines in the finding's file (a composed object's in the base that defines it), for comments
    // that sit where the change touched the object; none when the finding is in another file (a patch, a values file).
    ...(resourceLine !== null ? { resourceRange: resource.range } : {}),
    ...(rule.about === 'namespace' && report.data?.namespace !== undefined ? { namespace: String(report.data.namespace) } : {}),
  };
}
