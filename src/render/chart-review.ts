// A Helm chart reviewed as what it deploys: render it (head, and base for the baseline), run the rules on
// each rendered object as one resource (rules stay format-blind), and report each finding where a person
// edits: the values key that set the offending value, or the template line of a literal or of the object
// that lacks a setting. Fixes edit that origin (values.yaml rather than the template) and are proven by
// rendering again (src/render/chart-fixes.ts): a fix that does not clear its finding is shown, not offered.
import type { Config } from '../config.js';
import type { AnyRule } from '../engine/define-rule.js';
import type { RepositoryIndex } from '../engine/repository.js';
import { byPlace, evaluate } from '../engine/run.js';
import { fingerprint, PARSE_ERROR, SUPPRESSION_WITHOUT_REASON } from '../engine/meta-findings.js';
import { Suppressions } from '../engine/suppressions.js';
import { keysMadeOtherwise } from '../engine/made-otherwise.js';
import { parseYaml } from '../formats/yaml.js';
import { inDocument } from '../formats/listed-objects.js';
import type { Finding, Note, ParsedFile, Path, Resource, Suppression } from '../model.js';
import type { Origin } from './gotemplate/index.js';
import { renderChart, type ChartRender, type RenderedTemplate } from './helm.js';
import { landsInRelease, namesReleaseNamespace, placedIn } from './release-namespace.js';
import { archivedSubcharts } from './archived-subcharts.js';
import { chartFile } from './chart-file.js';
import { lineOrigins, nodeAt, traceDocuments, type RenderedDocument } from './provenance.js';
import { chartFix, proveGroups, rerenders, type Clears, type ValuesEdit } from './chart-fixes.js';
import { unfetchedParts } from './chart-dependencies.js';
import type { Release } from './gitops-installs.js';
import { resourceId } from '../formats/yaml-documents.js';

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
  /** Those of the base render, when they differ (a GitOps source that installs the chart with other values). */
  baseValuesFiles?: readonly string[];
  /** The chart's values.yaml is not read (Flux lists values files in its place), at head and at base. */
  withoutDefaults?: boolean;
  baseWithoutDefaults?: boolean;
  /**
   * Folders among `head`'s paths unpacked from a dependency archive (src/render/chart-archive.ts), chart-relative
   * (`charts/redis`), each with its archive's repository path: what is found there is reported on the archive.
   */
  archives?: Record<string, string>;
  /**
   * The releases GitOps installs the chart as (an Argo CD destination and Application, a Flux HelmRelease's): the chart
   * is judged as rendered for each, its objects in the release's namespace placed there. None given: not judged.
   */
  releases?: readonly Release[];
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

/**
 * A file of a chart that was not rendered (a template, or the chart's Chart.yaml for the whole chart), and why;
 * with `line`, only what that line adds (a dependency that is not fetched: src/render/chart-dependencies.ts).
 */
export interface Unrendered {
  file: string;
  reason: string;
  line?: number;
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
  /** The same chart rendered as this release (its namespace and name), as a GitOps source installing it renders it. */
  asRelease: (release: Release) => RenderedChart;
  /** The release it is rendered as; none: as `helm template` renders it. */
  release?: Release;
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


/** A render's findings, and the rendered object each is on (as printed). */
interface Judged {
  chart: RenderedChart;
  findings: Finding[];
  resourceOf: (finding: Finding) => Resource | undefined;
}

/**
 * The findings of the rules on the chart rendered as each release it is installed as (its namespace and name, as
 * Argo CD and Flux render it), with what names no namespace placed there as they place it, each object named as
 * deployed (`Deployment/models/prod-model`). A template may print otherwise for one namespace or name than for
 * `default` and `release-name`: what it prints there is what is deployed.
 */
function asReleases(chart: RenderedChart, releases: readonly Release[], options: ChartReviewOptions): Judged[] {
  return releases.map((release) => {
    const rendered = chart.asRelease(release);
    const printed = new Map<string, Resource>();
    const placed = rendered.parsed.map((file) => ({
      ...file,
      resources: file.resources.map((r) => {
        const deployed = landsInRelease(r, release.namespace) ? { ...placedIn(r, release.namespace), id: resourceId(r.kind, r.name, release.namespace) } : r;
        printed.set(`${deployed.file}\0${deployed.id}`, r);
        return deployed;
      }),
    }));
    const scanned = placed.flatMap((p) => p.resources);
    const findings = evaluate(placed, new Map(), { ...options, scanned, renderFixes: false }).findings;
    return { chart: rendered, findings, resourceOf: (finding) => printed.get(`${finding.file}\0${finding.resource}`) };
  });
}

function renderResources(dir: string, files: Map<string, string>, valuesFiles: readonly string[], withoutDefaults = false, release?: Release): RenderedChart {
  const render = renderChart({ dir, files }, { valuesFiles: [...valuesFiles], withoutDefaults, ...(release ? { releaseNamespace: release.namespace, releaseName: release.name } : {}) });
  const unrendered = render.problems.map((p) => ({ file: p.file, reason: `Helm: not rendered (${p.kind}), line ${p.line}: ${p.message}` }));
  const notes: Note[] = unrendered.map((u) => ({ file: u.file, message: u.reason }));
  const parsed: ParsedFile[] = [];
  const docOf = new Map<Resource, { doc: RenderedDocument; template: RenderedTemplate }>();
  for (const template of render.templates) {
    const file = parseYaml(template.file, template.text);
    const docs = traceDocuments(template);
    // Helm would refuse it too, unless Warden rendered it otherwise than Helm does: what it deploys is not known.
    for (const error of file.errors) {
      const reason = `Helm: the rendered output is not YAML (rendered line ${error.line}): ${error.message}`;
      unrendered.push({ file: template.file, reason });
      notes.push({ file: template.file, message: reason });
    }
    file.errors = [];
    for (const resource of file.resources) {
      const doc = docs.find((d) => d.startLine <= resource.range.startLine && resource.range.startLine <= d.endLine);
      if (doc) docOf.set(resource, { doc, template });
    }
    parsed.push(file);
  }
  // Each release rendered once: its base render serves the baseline and what the change renders otherwise.
  const asReleases = new Map<string, RenderedChart>();
  const asRelease = (as: Release) => {
    const key = `${as.namespace}\0${as.name}`;
    if (!asReleases.has(key)) asReleases.set(key, renderResources(dir, files, valuesFiles, withoutDefaults, as));
    return asReleases.get(key)!;
  };
  return { render, parsed, docOf, notes, unrendered, asRelease, ...(release ? { release } : {}) };
}

/** The rendered object a finding is on (as printed: an object placed in a namespace keeps its identity). */
function resourceIn(chart: RenderedChart, finding: Finding): Resource | undefined {
  let byId = resourcesById.get(chart);
  if (!byId) resourcesById.set(chart, (byId = new Map(chart.parsed.flatMap((p) => p.resources).map((r) => [`${r.file}\0${r.id}`, r]))));
  return byId.get(`${finding.file}\0${finding.resource}`);
}
const resourcesById = new WeakMap<RenderedChart, Map<string, Resource>>();

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

/** An object by its template, kind and name (not its namespace, which an install's render sets). */
function objectKey(resource: Resource): string {
  const metadata = resource.body.metadata as { name?: unknown } | undefined;
  return `${resource.file}\0${String(resource.body.kind)}\0${String(metadata?.name)}`;
}

/** The objects (objectKey) of the render at head that the render at base did not print the same. */
function objectsRenderedOtherwise(head: RenderedChart, base: RenderedChart): Set<string> {
  const objects = (chart: RenderedChart) => [...chart.docOf.keys()].map((resource) => [objectKey(resource), resource.body] as const);
  return keysMadeOtherwise(objects(head), objects(base));
}

/**
 * A suppression read in the rendered text (a template's comment above the object) as the comment the chart writes:
 * the file and line that printed it, so the policy judges whether the change wrote it there. Its rendered line
 * number is no line of the file the finding is reported in (a values file). A line no file printed suppresses nothing.
 */
function renderedSuppression(suppressed: Suppression | null, template: RenderedTemplate, reportedIn: string): Suppression | null {
  if (!suppressed) return null;
  const printed = lineOrigins(template.text, template.spans)[suppressed.line - 1];
  if (!printed) return null;
  return { reason: suppressed.reason, line: printed.line, ...(printed.file !== reportedIn ? { file: printed.file } : {}) };
}

/** Where a finding is reported: the value's origin when it exists, else the template line of the nearest node holding it. */
function placeOf(doc: RenderedDocument, path: Path): Origin | undefined {
  const hit = nodeAt(doc, path);
  if (!hit) return undefined;
  if (hit.depth === path.length) return hit.node.value ?? hit.node.key;
  return hit.node.key ?? hit.node.value;
}

export function reviewChart(input: ChartReviewInput, options: ChartReviewOptions): ChartReview {
  const valuesFiles = input.valuesFiles ?? [];
  const head = renderResources(input.dir, input.head, valuesFiles, input.withoutDefaults);
  const sources = new Map([...input.head].map(([rel, text]) => [chartFile(input.dir, rel), text]));
  const valuesEdits = new Map<Finding, ValuesEdit>();
  // A template whose output is no longer YAML has failed too: its objects are gone, and their findings with them.
  const clears = rerenders(input, options, head.unrendered.length, (files) => {
    const again = renderResources(input.dir, files, valuesFiles, input.withoutDefaults);
    return { parsed: again.parsed, problems: again.unrendered.length };
  });
  const archived = archivedSubcharts(input);
  const base = input.base ? renderResources(input.dir, input.base, input.baseValuesFiles ?? valuesFiles, input.baseWithoutDefaults ?? input.withoutDefaults) : null;
  // An object the change renders otherwise is changed, whichever line did it: a values key removed lets a default
  // through, and no line left at head says so.
  // As each release renders it too: there, its objects are named for the release.
  const otherwise = new Map<RenderedChart, Set<string>>();
  const renderedOtherwise = (rendered: RenderedChart) => {
    if (!base || !input.changed) return new Set<string>();
    if (!otherwise.has(rendered)) otherwise.set(rendered, objectsRenderedOtherwise(rendered, rendered.release ? base.asRelease(rendered.release) : base));
    return otherwise.get(rendered)!;
  };
  const findings = mapFindings(head, input, options, sources, { valuesEdits, clears, intoParent: archived.parentValues, renderedOtherwise });
  proveGroups(findings, valuesEdits, sources, clears);
  let baseFingerprints = new Set<string>();
  if (input.base && base) {
    const baseSources = new Map([...input.base].map(([rel, text]) => [chartFile(input.dir, rel), text]));
    baseFingerprints = new Set(mapFindings(base, { ...input, head: input.base, changed: undefined }, options, baseSources, null).map((f) => f.fingerprint));
  }
  // What an archive's templates could not render is its dependency's, as one not unpacked: not reviewed where the
  // change touches its entry or the values the chart gives it, else a note (nobody edits inside an archive).
  const dependencies = unfetchedParts([...head.render.unfetched, ...archived.broken(head.unrendered)], input.dir, input.head, valuesFiles, input.changed);
  return {
    findings: findings.map(archived.onArchive),
    baseFingerprints,
    notes: [...head.notes.map((n) => ({ ...n, file: archived.archiveOf(n.file) ?? n.file })), ...dependencies.notes],
    unrendered: [...head.unrendered.filter((u) => archived.archiveOf(u.file) === null), ...dependencies.unreviewed],
    templates: head.render.templates.map((t) => t.file),
    resources: head.docOf.size,
  };
}

/** Objects named in a finding that reaches several, before the rest are counted. */
const REACH_NAMED = 3;

/** What a finding of one origin adds when its origin reaches other objects of the render than the one it names. */
function reachNote(objects: ReadonlySet<string> | undefined, named: string, kind: Origin['kind']): string {
  const others = [...(objects ?? [])].filter((o) => o !== named);
  if (others.length === 0) return '';
  const listed = others.slice(0, REACH_NAMED).map((o) => `\`${o}\``).join(', ');
  const more = others.length > REACH_NAMED ? ` and ${others.length - REACH_NAMED} more` : '';
  return ` The same ${kind === 'values' ? 'value' : 'template line'} reaches ${others.length} other object${others.length === 1 ? '' : 's'} the chart renders: ${listed}${more}.`;
}

/**
 * `fixing`: fixes are written and proven (null: a baseline, without them), and each that edits a values file is
 * recorded in `valuesEdits` with its ops in that file.
 */
function mapFindings(
  chart: RenderedChart,
  input: ChartReviewInput,
  options: ChartReviewOptions,
  sources: Map<string, string>,
  fixing: { valuesEdits: Map<Finding, ValuesEdit>; clears: Clears; intoParent: (file: string) => { file: string; key: string } | null; renderedOtherwise: (rendered: RenderedChart) => ReadonlySet<string> } | null,
): Finding[] {
  const { findings: rendered } = evaluate(chart.parsed, new Map(), { ...options, scanned: chart.parsed.flatMap((p) => p.resources), renderFixes: false });
  // Where GitOps installs the release, the chart is judged as rendered for each release too.
  const judged: Judged[] = [{ chart, findings: rendered, resourceOf: (finding) => resourceIn(chart, finding) }, ...asReleases(chart, input.releases ?? [], options)];
  const placedFindings = judged.flatMap(({ chart: from, findings, resourceOf }) => findings.flatMap((finding) => {
    if (finding.ruleId === PARSE_ERROR || finding.ruleId === SUPPRESSION_WITHOUT_REASON || INSTALL_TIME_RULES.has(finding.ruleId)) return [];
    const resource = resourceOf(finding);
    // Rendered as `helm template` renders it, what is in the release's namespace lands where the install says.
    if (resource && from === chart && LANDING_NAMESPACE_RULES.has(finding.ruleId) && namesReleaseNamespace(resource)) return [];
    const entry = resource && from.docOf.get(resource);
    if (!entry || !(isChanged(entry.doc, entry.template, input.changed) || fixing?.renderedOtherwise(from).has(objectKey(resource)))) return [];
    // Paths in the rendered document: a list's item sits below `items` (src/formats/listed-objects.ts).
    const inDoc = resource.documentPath ?? [];
    const origin = placeOf(entry.doc, inDocument(inDoc, finding.path));
    return origin ? [{ from, finding, entry, inDoc, origin, at: `${finding.ruleId}\0${origin.file}\0${origin.line}` }] : [];
  }));
  // A finding of an installed chart names the object as deployed (the first release's that has it), not as
  // `helm template` names it; its fingerprint keeps the name `helm template` gives it where that render has it too, so
  // the same finding of another render of the chart (another values file) is one, and what was there before stays
  // pre-existing (at base, the same releases rendered).
  const deployedAs = new Map<string, Finding>();
  for (const { from, finding, at } of placedFindings) if (from !== chart && !deployedAs.has(at)) deployedAs.set(at, finding);
  // The objects of the chart's own render each origin reaches: a values key many templates read is one finding, which
  // says how far it reaches (the first object alone would read as the only one).
  const reach = new Map<string, Set<string>>();
  for (const { from, finding, at } of placedFindings) if (from === chart) (reach.get(at) ?? reach.set(at, new Set()).get(at)!).add(finding.resource);
  const out = new Map<string, Finding>();
  const reported = new Set<string>();
  for (const { from, finding: found, entry, inDoc, origin, at } of placedFindings) {
    const deployed = from === chart ? deployedAs.get(at) : undefined;
    const reached = reachNote(reach.get(at), found.resource, origin.kind);
    const finding = deployed || reached ? { ...found, ...(deployed ? { resource: deployed.resource } : {}), message: `${deployed?.message ?? found.message}${reached}` } : found;
    const id = origin.kind === 'values'
      ? fingerprint(finding.ruleId, origin.file, 'values', origin.path)
      : fingerprint(finding.ruleId, origin.file, found.resource, finding.path);
    // One finding per origin, however many templates or objects reach it (a helper's line reached from two templates).
    if (out.has(id) || reported.has(at)) continue;
    reported.add(at);
    const suppression = sources.has(origin.file) ? Suppressions.of(sources.get(origin.file)!).above(origin.line, finding.ruleId) : null;
    // Reported at its origin: the rendered object's lines are not lines of that file.
    const { resourceRange: _rendered, ...mapped } = finding;
    // A fix is proven by rendering again as `helm template` renders (src/render/chart-fixes.ts): one found only as an
    // install renders the chart is shown, not offered.
    const fixed = !finding.fix || !fixing ? null
      : from === chart ? chartFix(finding, finding.fix, entry.doc, inDoc, sources, chartFile(input.dir, 'values.yaml'), fixing.clears, fixing.intoParent)
      : { fix: { ...finding.fix, applicability: 'display' as const, edits: [] } };
    const placed: Finding = {
      ...mapped,
      file: origin.file,
      line: origin.line,
      endLine: origin.line,
      fingerprint: id,
      fix: fixed ? fixed.fix : finding.fix,
      suppressed: suppression ? { reason: suppression.reason, line: suppression.line } : renderedSuppression(finding.suppressed, entry.template, origin.file),
    };
    if (fixed?.values) fixing!.valuesEdits.set(placed, fixed.values);
    out.set(id, placed);
  }
  return [...out.values()].sort(byPlace);
}

