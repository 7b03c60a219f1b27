// A Helm chart reviewed as what it deploys: render it (head, and base for the baseline), run the rules on
// each rendered object as one resource (rules stay format-blind), and report each finding where a person
// edits: the values key that set the offending value, or the template line of a literal or of the object
// that lacks a setting. Fixes edit that origin (values.yaml rather than the template) and are proven by
// rendering again: a fix that does not clear its finding is shown, not offered.
import type { Config } from '../config.js';
import type { AnyRule } from '../engine/define-rule.js';
import { lineEdit } from '../engine/edits.js';
import { getIn, pathKey as enginePathKey } from '../engine/path.js';
import type { RepositoryIndex } from '../engine/repository.js';
import { evaluate, fingerprint, PARSE_ERROR, SUPPRESSION_WITHOUT_REASON } from '../engine/run.js';
import { Suppressions } from '../engine/suppressions.js';
import { isMap, isScalar, parseDocument } from 'yaml';
import { applyYamlOps, parseYaml } from '../formats/yaml.js';
import { inDocument } from '../formats/listed-objects.js';
import type { EditOp, Finding, Fix, Note, ParsedFile, Path, Resource } from '../model.js';
import { groupFindings } from '../engine/fix-groups.js';
import type { Origin } from './gotemplate/index.js';
import { RELEASE, renderChart, type ChartRender, type RenderedTemplate } from './helm.js';
import { pathKey, traceDocuments, type NodeOrigin, type RenderedDocument } from './provenance.js';

export interface ChartReviewInput {
  /** The chart's folder, repository-relative (or as given on the command line). */
  dir: string;
  /** The chart's files at head, by chart-relative path. */
  head: Map<string, string>;
  /** At base (for the baseline); absent when the chart is new or for a plain scan. */
  base?: Map<string, string> | null;
  /** Changed lines by repository path (null: the whole file); absent: every rendered object is reviewed. */
  changed?: ReadonlyMap<string, ReadonlySet<number> | null>;
  /** Values files of the chart (chart-relative), merged over values.yaml in order (config `helm.charts`). */
  valuesFiles?: readonly string[];
}

export interface ChartReview {
  findings: Finding[];
  /** Fingerprints of the findings of the same chart rendered at base. */
  baseFingerprints: Set<string>;
  notes: Note[];
  /** What could not be rendered at head (a template, or the chart), with why: not reviewed, so the review fails closed. */
  unrendered: Unrendered[];
  /** The rendered templates (repository paths): reviewed here, so the plain YAML scan leaves them alone. */
  templates: string[];
  resources: number;
}

/** A file of a chart that was not rendered (a template, or the chart's Chart.yaml for the whole chart), and why. */
export interface Unrendered {
  file: string;
  reason: string;
}

export interface ChartReviewOptions {
  config: Config;
  rules: readonly AnyRule[];
  repository?: RepositoryIndex;
}

interface RenderedChart {
  render: ChartRender;
  parsed: ParsedFile[];
  docOf: Map<Resource, { doc: RenderedDocument; template: RenderedTemplate }>;
  notes: Note[];
  unrendered: Unrendered[];
}

/**
 * Rules on what a chart does not decide: the release namespace is chosen at install (`helm install -n`),
 * and `helm template` renders it as `default`, so a namespace finding on a chart would be noise.
 */
const INSTALL_TIME_RULES = new Set(['k8s/default-namespace']);

/**
 * Rules that judge the namespace an object lands in by what else the repository puts there (a default-deny policy, a
 * GPU quota). An object in the release's namespace lands where the install says, so `default` (as rendered) would be
 * a guess: they are kept only for an object the chart itself places in a named namespace.
 */
const LANDING_NAMESPACE_RULES = new Set(['k8s/network-policy-missing', 'k8s/gpu-namespace-quota']);

/** Whether the object is in its release's namespace: it names none, or the one Warden renders for the release. */
function inReleaseNamespace(resource: Resource): boolean {
  const namespace = getIn(resource.body, ['metadata', 'namespace']);
  return namespace === undefined || namespace === null || namespace === '' || namespace === RELEASE.Namespace;
}

const join = (dir: string, path: string): string => (dir === '' || dir === '.' ? path : `${dir.replace(/\/$/, '')}/${path}`);

function renderResources(dir: string, files: Map<string, string>, valuesFiles: readonly string[]): RenderedChart {
  const render = renderChart({ dir, files }, { valuesFiles: [...valuesFiles] });
  const unrendered = render.problems.map((p) => ({ file: p.file, reason: `Helm: not rendered (${p.kind}), line ${p.line}: ${p.message}` }));
  const notes: Note[] = unrendered.map((u) => ({ file: u.file, message: u.reason }));
  const parsed: ParsedFile[] = [];
  const docOf = new Map<Resource, { doc: RenderedDocument; template: RenderedTemplate }>();
  for (const template of render.templates) {
    const file = parseYaml(template.file, template.text);
    const docs = traceDocuments(template);
    for (const error of file.errors) notes.push({ file: template.file, message: `Helm: the rendered output is not YAML (rendered line ${error.line}): ${error.message}` });
    file.errors = [];
    for (const resource of file.resources) {
      const doc = docs.find((d) => d.startLine <= resource.range.startLine && resource.range.startLine <= d.endLine);
      if (doc) docOf.set(resource, { doc, template });
    }
    parsed.push(file);
  }
  return { render, parsed, docOf, notes, unrendered };
}

/** The origins a rendered object came from: every printed node, and every values key its template read. */
function originsOf(doc: RenderedDocument, template: RenderedTemplate): Origin[] {
  const out: Origin[] = [...template.reads];
  for (const node of doc.nodes.values()) {
    if (node.key) out.push(node.key);
    if (node.value) out.push(node.value);
  }
  return out;
}

/** Changed when any origin line is touched, or a touched line of its template lies among the lines that printed it (an `if` between them). */
function isChanged(doc: RenderedDocument, template: RenderedTemplate, changed: ReadonlyMap<string, ReadonlySet<number> | null> | undefined): boolean {
  if (!changed) return true;
  const origins = originsOf(doc, template);
  if (origins.some((o) => changed.has(o.file) && (changed.get(o.file) === null || changed.get(o.file)!.has(o.line)))) return true;
  const own = origins.filter((o) => o.kind === 'template' && o.file === template.file).map((o) => o.line);
  const lines = changed.get(template.file);
  if (own.length === 0 || lines === undefined) return false;
  const [low, high] = [Math.min(...own), Math.max(...own)];
  return lines === null || [...lines].some((l) => l >= low && l <= high);
}

/** The deepest node of the rendered object on `path`, and whether it is the node itself. */
function nodeAt(doc: RenderedDocument, path: Path): { node: NodeOrigin; depth: number } | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.nodes.get(pathKey([...path.slice(0, depth)]));
    if (node) return { node, depth };
  }
  return null;
}

/** Where a finding is reported: the value's origin when it exists, else the template line of the nearest node holding it. */
function placeOf(doc: RenderedDocument, path: Path): Origin | undefined {
  const hit = nodeAt(doc, path);
  if (!hit) return undefined;
  if (hit.depth === path.length) return hit.node.value ?? hit.node.key;
  return hit.node.key ?? hit.node.value;
}

/**
 * An op on the rendered object as an op on a values file: the longest prefix of its path that the
 * chart printed whole from one values key (`toYaml .Values.securityContext`) anchors it there.
 */
function valuesOp(doc: RenderedDocument, op: EditOp): { file: string; op: EditOp } | null {
  for (let depth = op.path.length; depth >= 1; depth--) {
    const node = doc.nodes.get(pathKey([...op.path.slice(0, depth)]));
    if (!node) continue;
    const origin = node.value;
    if (!node.wholeValue || origin?.kind !== 'values') return null;
    const path = [...origin.path, ...op.path.slice(depth)];
    return { file: origin.file, op: { ...op, path } as EditOp };
  }
  return null;
}

/** A literal `key: value` template line (no action on it) that a set or remove of that scalar can rewrite. */
function literalLineEdit(doc: RenderedDocument, op: EditOp, sources: Map<string, string>): { file: string; text: string } | null {
  if (op.op === 'append') return null;
  const node = doc.nodes.get(pathKey([...op.path]));
  const origin = node?.value;
  if (!node || origin?.kind !== 'template' || node.key?.kind !== 'template' || node.key.line !== origin.line) return null;
  const text = sources.get(origin.file);
  if (text === undefined) return null;
  const lines = text.split('\n');
  const line = lines[origin.line - 1] ?? '';
  const m = /^(\s*(?:-\s+)?)([\w.\-/]+):\s+[^{}#\s][^{}#]*?\s*(#.*)?$/.exec(line);
  const key = op.path[op.path.length - 1];
  if (!m || m[2] !== String(key)) return null;
  if (op.op === 'remove') {
    if (/-\s+$/.test(m[1]!)) return null;
    lines.splice(origin.line - 1, 1);
  } else {
    if (typeof op.value === 'object' && op.value !== null) return null;
    lines[origin.line - 1] = `${m[1]}${m[2]}: ${JSON.stringify(op.value)}${m[3] ? ` ${m[3]}` : ''}`;
  }
  return { file: origin.file, text: lines.join('\n') };
}

export function reviewChart(input: ChartReviewInput, options: ChartReviewOptions): ChartReview {
  const valuesFiles = input.valuesFiles ?? [];
  const head = renderResources(input.dir, input.head, valuesFiles);
  const sources = new Map([...input.head].map(([rel, text]) => [join(input.dir, rel), text]));
  const valuesEdits = new Map<Finding, ValuesEdit>();
  const clears = rerenders(input, options, head.render.problems.length);
  const findings = mapFindings(head, input, options, sources, { valuesEdits, clears });
  proveGroups(findings, valuesEdits, sources, clears);
  let baseFingerprints = new Set<string>();
  if (input.base) {
    const base = renderResources(input.dir, input.base, valuesFiles);
    const baseSources = new Map([...input.base].map(([rel, text]) => [join(input.dir, rel), text]));
    baseFingerprints = new Set(mapFindings(base, { ...input, head: input.base, changed: undefined }, options, baseSources, null).map((f) => f.fingerprint));
  }
  return {
    findings,
    baseFingerprints,
    notes: head.notes,
    unrendered: head.unrendered,
    templates: head.render.templates.map((t) => t.file),
    resources: head.docOf.size,
  };
}

/**
 * `fixing`: fixes are written and proven (null: a baseline, without them), and each that edits a values file is
 * recorded in `valuesEdits` with its ops in that file.
 */
function mapFindings(chart: RenderedChart, input: ChartReviewInput, options: ChartReviewOptions, sources: Map<string, string>, fixing: { valuesEdits: Map<Finding, ValuesEdit>; clears: Clears } | null): Finding[] {
  const scanned = chart.parsed.flatMap((p) => p.resources);
  const { findings: rendered } = evaluate(chart.parsed, new Map(), { ...options, scanned, renderFixes: false });
  const out = new Map<string, Finding>();
  const reported = new Set<string>();
  const resourceOf = new Map(scanned.map((r) => [`${r.file}\0${r.id}`, r]));
  for (const finding of rendered) {
    if (finding.ruleId === PARSE_ERROR || finding.ruleId === SUPPRESSION_WITHOUT_REASON || INSTALL_TIME_RULES.has(finding.ruleId)) continue;
    const resource = resourceOf.get(`${finding.file}\0${finding.resource}`);
    if (resource && LANDING_NAMESPACE_RULES.has(finding.ruleId) && inReleaseNamespace(resource)) continue;
    const entry = resource && chart.docOf.get(resource);
    if (!entry || !isChanged(entry.doc, entry.template, input.changed)) continue;
    // Paths in the rendered document: a list's item sits below `items` (src/formats/listed-objects.ts).
    const inDoc = resource.documentPath ?? [];
    const origin = placeOf(entry.doc, inDocument(inDoc, finding.path));
    if (!origin) continue;
    const id = origin.kind === 'values'
      ? fingerprint(finding.ruleId, origin.file, 'values', origin.path)
      : fingerprint(finding.ruleId, origin.file, finding.resource, finding.path);
    // One finding per origin, however many templates or objects reach it (a helper's line reached from two templates).
    const at = `${finding.ruleId}\0${origin.file}\0${origin.line}`;
    if (out.has(id) || reported.has(at)) continue;
    reported.add(at);
    const suppression = sources.has(origin.file) ? Suppressions.of(sources.get(origin.file)!).above(origin.line, finding.ruleId) : null;
    // Reported at its origin: the rendered object's lines are not lines of that file.
    const { resourceRange: _rendered, ...mapped } = finding;
    const fixed = finding.fix && fixing ? chartFix(finding, finding.fix, entry.doc, inDoc, sources, join(input.dir, 'values.yaml'), fixing.clears) : null;
    const placed: Finding = {
      ...mapped,
      file: origin.file,
      line: origin.line,
      endLine: origin.line,
      fingerprint: id,
      fix: fixed ? fixed.fix : finding.fix,
      suppressed: suppression ? { reason: suppression.reason, line: suppression.line } : finding.suppressed,
    };
    if (fixed?.values) fixing!.valuesEdits.set(placed, fixed.values);
    out.set(id, placed);
  }
  return [...out.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
}

/** A fix that edits a values file: the file, and its ops there (the rendered object's ops mapped by valuesOp). */
interface ValuesEdit {
  file: string;
  ops: EditOp[];
}

/**
 * The fix written at its origin (a values file, or a literal template line), kept only if rendering again clears the
 * finding; with its ops in the values file when it edits one.
 */
function chartFix(finding: Finding, fix: Fix, doc: RenderedDocument, at: Path, sources: Map<string, string>, valuesFile: string, clears: Clears): { fix: Fix; values?: ValuesEdit } {
  const display = { fix: { ...fix, applicability: 'display', edits: [] } satisfies Fix };
  // An edited file's line edit, kept only if rendering again clears the finding.
  const proven = (edited: { file: string; text: string } | null, values?: ValuesEdit) => {
    const edit = edited && lineEdit(edited.file, sources.get(edited.file)!, edited.text);
    return edit && clears([finding], edited) ? { fix: { ...fix, edits: [edit] }, values } : null;
  };
  const ops = fix.ops.map((op) => ({ ...op, path: inDocument(at, op.path) }) as EditOp);
  const mapped = ops.map((op) => valuesOp(doc, op));
  const values = mapped.every((m) => m !== null) && new Set(mapped.map((m) => m!.file)).size === 1 ? { file: mapped[0]!.file, ops: mapped.map((m) => m!.op) } : undefined;
  const edited = values ? valuesEdited(values, sources) : ops.length === 1 ? literalLineEdit(doc, ops[0]!, sources) : null;
  if (edited) return proven(edited, values) ?? display;
  // Not printed at all (`{{- with .Values.securityContext }}` of an empty key): a values key named for what is
  // missing, tried in turn, kept only if rendering again prints it and clears the finding.
  for (const guess of guessedValuesEdits(doc, ops, valuesFile, sources)) {
    const fixed = proven(valuesEdited(guess, sources), guess);
    if (fixed) return fixed;
  }
  return display;
}

/** Values keys tried for a subtree the chart printed nothing of, at most: each try renders the chart again. */
const MAX_GUESSED_KEYS = 3;

/**
 * Where in values.yaml a subtree the chart printed nothing of may be set: the ops' first missing key (the same for
 * all of them, `securityContext`), matched by a key of values.yaml whose name is it or ends with it
 * (`podSecurityContext`, `containerSecurityContext`) and that holds a mapping or nothing. Each as the ops moved
 * under that key; the proof decides.
 */
function guessedValuesEdits(doc: RenderedDocument, ops: readonly EditOp[], valuesFile: string, sources: Map<string, string>): ValuesEdit[] {
  const text = sources.get(valuesFile);
  if (text === undefined || ops.length === 0) return [];
  const missing = ops.map((op) => nodeAt(doc, op.path)?.depth ?? -1);
  const depth = missing[0]!;
  const key = ops[0]!.path[depth];
  if (depth < 0 || typeof key !== 'string' || !ops.every((op, i) => missing[i] === depth && op.path[depth] === key && op.op !== 'remove')) return [];
  const wanted = key.toLowerCase();
  const found: Path[] = [];
  const walk = (node: unknown, path: Path) => {
    if (!isMap(node) || path.length > 3) return;
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : null;
      if (name === null) continue;
      const value = pair.value;
      const empty = value === null || (isScalar(value) && value.value === null) || isMap(value);
      if (empty && name.toLowerCase().endsWith(wanted)) found.push([...path, name]);
      walk(value, [...path, name]);
    }
  };
  walk(parseDocument(text).contents, []);
  // A container's subtree in a key not named for pods, a pod's in one that is (`podSecurityContext`), then the exact
  // name, then the shorter paths.
  const ofContainer = typeof ops[0]!.path[depth - 1] === 'number';
  const rank = (at: Path) => {
    const name = String(at.at(-1)).toLowerCase();
    return (name.startsWith('pod') !== ofContainer ? 0 : 2) + (name === wanted ? 0 : 1);
  };
  found.sort((a, b) => rank(a) - rank(b) || a.length - b.length);
  return found.slice(0, MAX_GUESSED_KEYS).map((at) => ({ file: valuesFile, ops: ops.map((op) => ({ ...op, path: [...at, ...op.path.slice(depth + 1)] }) as EditOp) }));
}

/** A values file with ops applied (null: the file is not the chart's, or the ops do not apply). */
function valuesEdited(values: ValuesEdit, sources: Map<string, string>): { file: string; text: string } | null {
  const text = sources.get(values.file);
  if (text === undefined) return null;
  try {
    return { file: values.file, text: applyYamlOps(text, 0, values.ops) };
  } catch {
    return null;
  }
}

/**
 * Findings whose fixes overlap in one values file (a container's missing settings, all written under its
 * `securityContext` key) are offered as one edit, as planning groups them (src/engine/fix-groups.ts): all their ops
 * applied to the file, proven by rendering again with every one of them gone, and carried on the group's first
 * member (`fix.rendered`, null when it does not hold).
 */
function proveGroups(findings: Finding[], valuesEdits: ReadonlyMap<Finding, ValuesEdit>, sources: Map<string, string>, clears: Clears): void {
  const open = findings.filter((f) => f.fix && f.fix.applicability !== 'display' && f.fix.edits.length === 1 && !f.suppressed);
  for (const members of groupFindings(open)) {
    if (members.length < 2) continue;
    const own = members.map((f) => valuesEdits.get(f));
    const file = own[0]?.file;
    // Members on objects printed from one values key carry the same ops: each written once.
    const ops = [...new Map(own.flatMap((v) => v?.ops ?? []).map((op) => [JSON.stringify(op), op])).values()];
    const edited = file && own.every((v) => v?.file === file) ? valuesEdited({ file, ops }, sources) : null;
    const edit = edited && lineEdit(edited.file, sources.get(edited.file)!, edited.text);
    const proven = edit && clears(members, edited) ? edit : null;
    members[0]!.fix = { ...members[0]!.fix!, rendered: { members: members.map((f) => f.fingerprint), edit: proven } };
  }
}

/** Whether the chart rendered again with an edit has none of the target findings left. */
type Clears = (targets: readonly Finding[], edited: { file: string; text: string }) => boolean;

/**
 * Renders of a chart again to prove its fixes, at most, in one review: each costs what the first render cost, and a
 * chart whose findings each need their own edit would otherwise take its review past the time limit (and every
 * changed file of the chart with it). Past it a fix is shown, not offered.
 */
export const MAX_CHART_PROOF_RENDERS = 100;

/**
 * Renders the chart again with an edit and runs the rules: the fix holds if every one of its findings is gone, and
 * no template that rendered before fails now. One render per distinct edit: objects of many templates printed
 * from one values key share their fix (36 Deployments of one chart, one `securityContext`).
 */
function rerenders(input: ChartReviewInput, options: ChartReviewOptions, problemsBefore: number): Clears {
  const prefix = input.dir === '' || input.dir === '.' ? '' : `${input.dir.replace(/\/$/, '')}/`;
  // A finding of the chart is known by its rule, object and path (its fingerprint names where it is reported).
  const key = (f: Finding) => `${f.ruleId}\0${f.resource}\0${enginePathKey(f.path)}`;
  const renders = new Map<string, Set<string> | null>();
  const left = (edited: { file: string; text: string }): Set<string> | null => {
    const id = `${edited.file}\0${edited.text}`;
    if (renders.has(id)) return renders.get(id)!;
    if (renders.size >= MAX_CHART_PROOF_RENDERS) return null;
    const files = new Map(input.head);
    files.set(edited.file.slice(prefix.length), edited.text);
    const again = renderResources(input.dir, files, input.valuesFiles ?? []);
    const scanned = again.parsed.flatMap((p) => p.resources);
    const { findings } = evaluate(again.parsed, new Map(), { ...options, scanned, renderFixes: false });
    const found = again.render.problems.length <= problemsBefore ? new Set(findings.map(key)) : null;
    renders.set(id, found);
    return found;
  };
  return (targets, edited) => {
    if (!edited.file.startsWith(prefix)) return false;
    const found = left(edited);
    return found !== null && !targets.some((f) => found.has(key(f)));
  };
}
