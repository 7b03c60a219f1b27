// The Helm charts a change touches, found and read for review: a changed file inside a folder with a
// Chart.yaml makes that chart (the outermost, so a subchart renders with its parent) rendered at head and
// at base. Its templates are then reviewed as rendered objects, not as files of YAML.
import { posix } from 'node:path';
import type { Config } from '../config.js';
import type { AnyRule } from '../engine/define-rule.js';
import { filesBelow, skipUnreadable, UnreadableFile, type RepositoryIndex, type RepositoryReader } from '../engine/repository.js';
import type { PatchLines } from '../diff.js';
import type { Finding, Note } from '../model.js';
import type { ChartReview, ChartReviewInput, Unrendered } from './chart-review.js';
import { reviewChartPooled } from '../worker/pooled.js';
import { keepRebuiltResults } from '../engine/fix-groups.js';
import { newInSomeGroup } from '../engine/made-otherwise.js';
import { aliased, chartFile, chartRelative, MAX_CHART_FILES, readChartYaml, templatesReadFiles } from './chart-file.js';
import { dependentCharts, localDependencyFiles } from './local-dependencies.js';
import { archiveReader, chartArchiveFiles, parsedByHelm } from './chart-archive.js';
import { isChartArchive } from '../formats/templates.js';
import { MAX_VALUES_RENDERS, valuesRenders } from './values-renders.js';
import { installedAsChart, withReleasesOf, type ChartDeployment, type ChartInstall, type InlineValues } from './gitops-installs.js';
import { parameterOverrides } from './argo-overrides.js';
import { inlineValuesText } from './inline-values.js';

export { MAX_CHART_FILES };

export interface ChartChange {
  path: string;
  headText: string;
  baseText?: string | null;
  /** As in ChangedFile: undefined for a whole-file scan, null when GitHub sent no patch. */
  patch?: string | null;
}

export interface ChartsReview {
  findings: Finding[];
  /** Fingerprints of the same charts' findings at base. */
  baseFingerprints: Set<string>;
  notes: Note[];
  /** Templates or charts that could not be rendered, with why (each in `notes` too): the review fails closed on them. */
  unrendered: Unrendered[];
  /**
   * Files reviewed through their chart (its templates, the dependency archives and the values files outside its
   * folder the change writes): the plain scan skips them.
   */
  covered: Set<string>;
  resources: number;
}

const EMPTY: ChartsReview = { findings: [], baseFingerprints: new Set(), notes: [], unrendered: [], covered: new Set(), resources: 0 };

/** A change's dependency archives (`written`, at head) and the repository at its base, whose archives they replace. */
export interface ArchiveChanges {
  written: readonly string[];
  base: RepositoryReader;
}

/** Charts by folder, each with the values files GitOps sources install it with (src/render/gitops-installs.ts). */
export type ChartInstalls = ReadonlyMap<string, readonly ChartInstall[]>;

/**
 * Whether a changed file may be part of a chart: only those send Warden looking for a Chart.yaml (which lists
 * the repository's tree), so a pull request of plain manifests costs no extra request. A chart file of
 * another name (`files/…`) changed alone is not noticed unless config names its chart.
 */
export function mayBelongToChart(path: string, config: Config, outside: ReadonlyMap<string, readonly string[]> = valuesOutside(config, new Map())): boolean {
  if (/(^|\/)(templates\/|charts\/|Chart\.ya?ml$|values[^/]*\.ya?ml$|[^/]*\.tpl$|\.helmignore$)/.test(path)) return true;
  return Object.keys(config.helm.charts).some((dir) => path.startsWith(`${dir}/`)) || outside.has(path);
}

/**
 * The values files config names, or GitOps sources install a chart with, outside their chart's folder (a GitOps
 * layout's environments), by repository path: the charts rendered with each.
 */
function valuesOutside(config: Config, installs: ChartInstalls): Map<string, string[]> {
  const outside = new Map<string, string[]>();
  const lists = [...Object.entries(config.helm.charts).map(([root, { values }]): [string, string[]] => [root, values]), ...[...installs].flatMap(([root, list]) => list.map((install): [string, string[]] => [root, install.values]))];
  for (const [root, values] of lists) {
    for (const rel of values) {
      if (!rel.startsWith('../')) continue;
      const roots = outside.get(chartFile(root, rel)) ?? [];
      if (!roots.includes(root)) outside.set(chartFile(root, rel), [...roots, root]);
    }
  }
  return outside;
}

/**
 * A chart's dependency archives added to its files (`all`: repository paths), unpacked as Helm loads them (one that
 * cannot be stays a dependency not rendered, with why): at head, and at base the same, unless the change writes one.
 * Then every file a written archive unpacks to is changed, and the chart as it was has the archives at the change's
 * base (the same folder inside, so what was there already is known as such). Returns the unpacked folders' archives.
 */
async function withArchives(
  root: string,
  all: readonly string[],
  { reader, base: atBase, written }: { reader: RepositoryReader; base: RepositoryReader | undefined; written: readonly string[] },
  files: { head: Map<string, string>; base: Map<string, string>; changed: Map<string, ReadonlySet<number> | null> | undefined },
): Promise<{ folders: Record<string, string>; failed: { file: string; reason: string }[] }> {
  const archived = await chartArchiveFiles(root, all, archiveReader(reader));
  for (const [rel, text] of archived.files) files.head.set(rel, text);
  if (written.length === 0 || !atBase || !files.changed) {
    for (const [rel, text] of archived.files) files.base.set(rel, text);
    return archived;
  }
  const dir = root === '.' ? '' : root;
  for (const path of written) files.changed.set(path, null);
  for (const [folder, archive] of Object.entries(archived.folders)) {
    if (!written.includes(archive)) continue;
    for (const rel of archived.files.keys()) if (rel.startsWith(`${folder}/`)) files.changed.set(chartFile(dir, rel), null);
  }
  const before = await chartArchiveFiles(root, await filesBelow(atBase, root, await atBase.paths()), archiveReader(atBase));
  for (const [rel, text] of before.files) files.base.set(rel, text);
  return archived;
}

/**
 * A chart's files by chart-relative path, at head and at base: a changed file as the change gives it, another (the
 * same at both) read, all at once (the App's reader then asks GitHub for them in one batch); an archive is read as
 * bytes elsewhere. Or, when a file Helm renders or reads values or metadata from (`needed`), or any file once a
 * template reads `.Files`, is not read, which and why: without it, what the chart deploys is not known.
 */
async function chartTexts(
  files: readonly { path: string; rel: string }[],
  changedText: ReadonlyMap<string, ChartChange>,
  read: (path: string) => Promise<string | null>,
  unreadable: (path: string) => string | undefined,
  needed: (path: string, rel: string) => boolean,
): Promise<{ head: Map<string, string>; base: Map<string, string> } | { unreadable: string }> {
  const texts = await Promise.all(files.map(({ path }) => (changedText.has(path) ? changedText.get(path)!.headText : isChartArchive(path) ? null : read(path))));
  // A template that reads `.Files` may read any file of the chart: then every one is needed.
  const readsFiles = templatesReadFiles(files.map(({ rel }) => rel), texts);
  const missing = files.find(({ path, rel }) => unreadable(path) !== undefined && (readsFiles || needed(path, rel)));
  if (missing) return { unreadable: `\`${missing.path}\` is not read (${unreadable(missing.path)})` };
  const head = new Map<string, string>();
  const base = new Map<string, string>();
  for (const [i, { path, rel }] of files.entries()) {
    const change = changedText.get(path);
    const text = texts[i]!;
    if (text === null) continue;
    head.set(rel, text);
    if (!change) base.set(rel, text);
    else if (typeof change.baseText === 'string') base.set(rel, change.baseText);
  }
  return { head, base };
}

/** The outermost folder holding a Chart.yaml above each path (up to the repository root). */
async function chartRoots(paths: readonly string[], reader: RepositoryReader): Promise<Map<string, string>> {
  const isChart = new Map<string, Promise<boolean>>();
  // A Chart.yaml Warden does not read is there all the same: its chart then fails closed where it is read.
  const present = (path: string) => reader.read(path).then((text) => text !== null, (error: unknown) => (error instanceof UnreadableFile ? true : Promise.reject(error)));
  const check = (dir: string): Promise<boolean> => {
    let known = isChart.get(dir);
    if (!known) {
      const prefix = dir === '.' ? '' : `${dir}/`;
      isChart.set(dir, (known = Promise.all([present(`${prefix}Chart.yaml`), present(`${prefix}Chart.yml`)]).then(([yaml, yml]) => yaml || yml)));
    }
    return known;
  };
  const rootOf = new Map<string, string>();
  for (const path of paths) {
    let outermost: string | undefined;
    for (let dir = posix.dirname(path), depth = 0; depth < 32; dir = posix.dirname(dir), depth++) {
      if (await check(dir)) outermost = dir;
      if (dir === '.' || dir === '/' || dir === posix.dirname(dir)) break;
    }
    if (outermost !== undefined) rootOf.set(path, outermost);
  }
  return rootOf;
}

/** What reviewing the charts of one change reads and shares, chart after chart. */
interface ChartsRun {
  reader: RepositoryReader;
  /** A file's text; null for one not there, or one Warden does not read (then in `unreadable`, with why). */
  read: (path: string) => Promise<string | null>;
  unreadable: Map<string, string>;
  listing: readonly string[];
  changes: readonly ChartChange[];
  patches: ReadonlyMap<string, PatchLines>;
  options: { config: Config; rules: readonly AnyRule[]; repository?: RepositoryIndex };
  installs: ChartInstalls;
  /** The charts the change's Argo CD sources install anew, by chart folder. */
  deployments: ReadonlyMap<string, readonly ChartDeployment[]>;
  /** Files whose lines were read as values a source sets itself: a fix there is not offered (it would be unindented). */
  inlineFiles: Set<string>;
  /** The values files config names, or GitOps sources install a chart with, outside their chart's folder, by path: their charts. */
  outside: ReadonlyMap<string, readonly string[]>;
  /** The dependency archives the change writes, and the repository at its base. */
  archiveChanges: readonly string[];
  archives?: ArchiveChanges;
}

/**
 * A render of a chart under way in a worker; `first`: the one of its values.yaml, whose objects are counted;
 * `anew`: the install a GitOps source makes anew, reviewed whole, what its render had before being pre-existing.
 */
interface PendingRender {
  root: string;
  own: readonly ChartChange[];
  templates: string[];
  review: Promise<ChartReview | { failed: string }>;
  first: boolean;
  anew?: ChartDeployment;
  /** Rendered as releases GitOps installs (its findings name objects as deployed). */
  deployed?: true;
}

export async function reviewCharts(
  changes: readonly ChartChange[],
  patches: ReadonlyMap<string, PatchLines>,
  reader: RepositoryReader | undefined,
  options: { config: Config; rules: readonly AnyRule[]; repository?: RepositoryIndex },
  {
    archives,
    installs = new Map(),
    deployments = [],
  }: {
    /** The dependency archives the change writes, and the repository at its base. */
    archives?: ArchiveChanges;
    /** The values files GitOps sources of the repository install its charts with (src/render/gitops-installs.ts). */
    installs?: ChartInstalls;
    /** The charts the change's Argo CD sources install anew (src/gitops-deployed.ts). */
    deployments?: readonly ChartDeployment[];
  } = {},
): Promise<ChartsReview> {
  const outside = valuesOutside(options.config, installs);
  const candidates = changes.filter((c) => mayBelongToChart(c.path, options.config, outside));
  // A dependency archive the change writes is reviewed as its chart rendered with it against the chart rendered
  // with the archives at base, when both can be read as bytes.
  const archiveChanges = reader && archiveReader(reader) && archives && archiveReader(archives.base) ? archives.written.filter(isChartArchive) : [];
  if (!reader || (candidates.length === 0 && archiveChanges.length === 0 && deployments.length === 0)) return EMPTY;
  // A file Warden does not read (too large, binary, a link out of the repository) is never taken for one not there:
  // read as none, and said; a chart that cannot be rendered without it fails closed.
  const unreadable = new Map<string, string>();
  const read = (path: string) => reader.read(path).catch(skipUnreadable((error) => unreadable.set(path, error.reason)));
  const byFolder = new Map<string, ChartDeployment[]>();
  for (const d of deployments) byFolder.set(d.folder, [...(byFolder.get(d.folder) ?? []), d]);
  const run: ChartsRun = { reader, read, unreadable, listing: [], changes, patches, options, installs, deployments: byFolder, inlineFiles: new Set(deployments.flatMap((d) => [d.inline?.file, d.inlineBefore?.file].filter((f): f is string => f !== undefined))), outside, archiveChanges, archives };
  const result: ChartsReview = { findings: [], baseFingerprints: new Set(), notes: [], unrendered: [], covered: new Set(), resources: 0 };
  const roots = await changedCharts(run, candidates, result);
  if (roots.length === 0) return result;
  // Each chart in a worker, all at once: its renders (and those proving its fixes) never hold the main thread.
  const renders: PendingRender[] = [];
  for (const root of roots) renders.push(...(await startChart(run, root, result)));
  const noted = new Set(result.notes.map((n) => n.message));
  for (const [path, why] of unreadable) {
    const message = `not read (${why}): a chart that reads it through \`.Files\`, or whose dependencies it names, is rendered without it`;
    if (![...noted].some((n) => n.includes(`\`${path}\``))) result.notes.push({ file: path, message });
  }
  await gatherRenders(renders, archiveChanges, result);
  // A fix of values a source sets itself would be written without their indentation: shown by hand, not offered.
  for (const f of result.findings) if (f.fix?.edits.some((e) => run.inlineFiles.has(e.file))) f.fix = null;
  return result;
}

/**
 * The charts the change touches, outermost first by path: those its files (and the archives it writes) belong to,
 * and those that render one of them as their local dependency (src/render/local-dependencies.ts). Lists the
 * repository into `run.listing`.
 */
async function changedCharts(run: ChartsRun, candidates: readonly ChartChange[], result: ChartsReview): Promise<string[]> {
  const rootOf = await chartRoots([...candidates.map((c) => c.path), ...run.archiveChanges], run.reader);
  // A chart a GitOps source installs anew: rendered with what it installs, when its folder holds one; else what it
  // deploys is not known, said at the source.
  const deployed: string[] = [];
  for (const [folder, list] of run.deployments) {
    if ((await readChartYaml(folder, run.read)) !== null) deployed.push(folder);
    else for (const d of list) result.unrendered.push({ file: d.file, line: d.line, reason: `what ${d.by} deploys: a Helm chart at \`${folder}\`, which holds no \`Chart.yaml\` Warden reads` });
  }
  // A values file installed from outside its chart's folder makes the chart reviewed: the one config names, or the
  // folder a GitOps source installs when it holds a chart (when not, the file is not reviewed: src/unread-deployed.ts).
  const installed = [...new Set(candidates.flatMap((c) => run.outside.get(c.path) ?? []))];
  const holdsChart = await Promise.all(installed.map(async (root) => root in run.options.config.helm.charts || (await readChartYaml(root, run.read)) !== null));
  // (The charts inside a chart rendered anyway are its subcharts: not read for this.)
  const changedRoots = [...new Set([...rootOf.values(), ...installed.filter((_, i) => holdsChart[i]), ...deployed])];
  const inside = (path: string) => changedRoots.some((root) => root === '.' || path.startsWith(`${root}/`));
  run.listing = await run.reader.paths();
  const chartFiles = run.listing.filter((p) => /(^|\/)Chart\.ya?ml$/.test(p) && !inside(p));
  const dependents = await dependentCharts(changedRoots, chartFiles, run.read);
  const outermost = dependents.length > 0 ? await chartRoots(dependents.map((dir) => `${dir}/Chart.yaml`), run.reader) : new Map<string, string>();
  return [...new Set([...changedRoots, ...outermost.values()])].sort();
}

/** A chart as its review reads it: its files at head and base, and what of it the change touches. */
interface ReadChart {
  root: string;
  /** Its files (and its local dependencies'), as repository paths. */
  all: string[];
  /** Its files and the values files installed with it, by chart-relative path, at head and at base. */
  head: Map<string, string>;
  base: Map<string, string>;
  /** The changes of its files, of values files installed with it, and of its archives. */
  own: ChartChange[];
  ownArchives: string[];
  /** The changed lines of each of `own` (null: the whole file); undefined for a whole-file scan. */
  changed: Map<string, ReadonlySet<number> | null> | undefined;
  hasBase: boolean;
  templates: string[];
}

/**
 * One chart read and its renders started in workers (one per values file installed with it); or, when it cannot be
 * rendered (too many files, a file Warden needs but does not read), none, its changed files failed closed in `result`.
 */
async function startChart(run: ChartsRun, root: string, result: ChartsReview): Promise<PendingRender[]> {
  const chart = await readChart(run, root, result);
  if (chart === null) return [];
  const { head, base, own, ownArchives, changed, hasBase, templates } = chart;
  // Argo CD's overrides as written (the renders' files get their parameters read as values in their place).
  const asWritten = { head: new Map(head), base: new Map(base) };
  const overridesFor = (application: string) => parameterOverrides(asWritten, application);
  const installs = await followedInstalls(run, root, run.installs.get(root) ?? [], { head, base }, overridesFor, { own, changed }, result);
  const { renders, skipped } = valuesRenders(root, [...head.keys()], run.options.config, installs, new Set(own.map((c) => chartRelative(root, c.path))));
  const archived = await withArchives(root, chart.all, { reader: run.reader, base: run.archives?.base, written: ownArchives }, { head, base, changed });
  for (const path of ownArchives) result.covered.add(path);
  for (const { file, reason } of archived.failed) result.notes.push({ file, message: `Helm: subchart archive not unpacked (${reason}): what it deploys is not rendered` });
  // Settled with a reason if it throws, so that one awaited later is never a rejection nobody handles meanwhile.
  const start = (input: ChartReviewInput) => reviewChartPooled(input, run.options).catch((error: unknown) => ({ failed: (error as Error).message ?? String(error) }));
  // What a GitOps source installs anew is reviewed whole, against what it installed before (none: every finding new).
  const anew = (run.deployments.get(root) ?? []).flatMap((d): PendingRender[] => {
    const overrides = d.argo === undefined ? null : overridesFor(d.argo);
    if (overrides !== null && !('unread' in overrides)) run.inlineFiles.add(chartFile(root, overrides.rel));
    const planned = overrides !== null && 'unread' in overrides ? { unread: `the Helm chart \`${root}\` with ${overridesNotFollowed(chartFile(root, overrides.unread))}` } : deploymentRender(root, d, { head, base }, archived.folders, overrides);
    if ('unread' in planned) {
      result.unrendered.push({ file: d.file, line: d.line, reason: `what ${d.by} deploys: ${planned.unread}` });
      return [];
    }
    result.notes.push({ file: d.file, message: planned.note });
    return [{ root, own, templates, review: start(planned.input), first: false, anew: d, ...(d.releases ? { deployed: true as const } : {}) }];
  });
  // A chart reviewed only for what GitOps sources install anew: its other renders are not this change's (reviewed
  // whole without a base, every finding of theirs would be taken for new).
  if (own.length === 0 && ownArchives.length === 0) return anew;
  if (skipped.length > 0) result.notes.push({ file: chartFile(root, skipped[0]!), message: `Helm: values files past the first ${MAX_VALUES_RENDERS} (${skipped.length}) are not rendered over values.yaml; name the ones installed in \`helm.charts\`` });
  // One of them the change touches is not reviewed: fail closed on it, as on a template that cannot be rendered.
  const changedFiles = new Set(own.map((c) => c.path));
  for (const rel of skipped) if (changedFiles.has(chartFile(root, rel))) result.unrendered.push({ file: chartFile(root, rel), reason: `Helm: not rendered, past the first ${MAX_VALUES_RENDERS} values files of the chart; name it in \`helm.charts\` to have it reviewed` });
  const dir = root === '.' ? '' : root;
  return [
    ...anew,
    ...renders.map(({ values, withoutDefaults, releases }, i) => ({
      root,
      own,
      templates,
      review: start({ dir, head, base: hasBase ? base : null, changed, valuesFiles: values, ...(withoutDefaults ? { withoutDefaults } : {}), ...(releases ? { releases } : {}), archives: archived.folders }),
      first: i === 0,
      ...(releases ? { deployed: true as const } : {}),
    })),
  ];
}

/**
 * A chart's files (its local dependencies' too) and the values files installed with it from outside its folder, at
 * head and at base, and what of them the change touches; or null when it cannot be rendered (too many files, a file
 * Warden needs but does not read), its changed files and the GitOps sources installing it anew failed closed in `result`.
 */
async function readChart(run: ChartsRun, root: string, result: ChartsReview): Promise<ReadChart | null> {
  const prefix = root === '.' ? '' : `${root}/`;
  const list = (dir: string) => filesBelow(run.reader, dir, run.listing);
  const listed = await list(root);
  // Its local dependencies' files too, rendered with it as `helm dependency build` would copy them in.
  const all = [...listed, ...(await localDependencyFiles(root, listed, run.read, list))];
  const deployments = run.deployments.get(root) ?? [];
  const notRendered = (reason: string, files: readonly string[]) => {
    for (const file of files) result.unrendered.push({ file, reason });
    result.notes.push({ file: `${prefix}Chart.yaml`, message: reason });
    // What a GitOps source installs anew fails closed at the source with the chart.
    for (const d of deployments) result.unrendered.push({ file: d.file, line: d.line, reason: `what ${d.by} deploys: ${reason}` });
    return null;
  };
  if (all.length > MAX_CHART_FILES) return notRendered(`Helm: chart of ${all.length} files (over ${MAX_CHART_FILES}): not rendered`, [`${prefix}Chart.yaml`]);
  // The chart's files, and the values files installed with it from outside its folder, by chart-relative path.
  const installedFromOutside = (path: string) => run.outside.get(path)?.includes(root) === true;
  // And those a GitOps source installs it with anew, and did before (outside its folder: `../../envs/prod/values.yaml`).
  const deployedValues = deployments.flatMap((d) => [...d.values, ...(d.before ?? [])]).filter((path) => !path.startsWith(prefix) && root !== '.');
  const outsideFiles = [...new Set([...[...run.outside.keys()].filter(installedFromOutside), ...deployedValues])];
  const files = [...all, ...outsideFiles].map((path) => ({ path, rel: chartRelative(root, path) }));
  const inChart = new Set(all);
  const own = run.changes.filter((c) => c.path.startsWith(prefix) || inChart.has(c.path) || installedFromOutside(c.path));
  // Reviewed with the chart (or failed closed with it, below): not a values file nothing renders.
  for (const c of own) if (installedFromOutside(c.path)) result.covered.add(c.path);
  const ownArchives = run.archiveChanges.filter((path) => inChart.has(path));
  const changedText = new Map(own.map((c) => [c.path, c]));
  const texts = await chartTexts(files, changedText, run.read, (path) => run.unreadable.get(path), (path, rel) => parsedByHelm(rel) || installedFromOutside(path) || deployedValues.includes(path));
  if ('unreadable' in texts) return notRendered(`Helm: chart ${root} is not rendered: ${texts.unreadable}`, [...own.map((c) => c.path), ...ownArchives]);
  const { head, base } = texts;
  // A whole-file scan reviews every object; otherwise only those whose origins the patches touch.
  const scanMode = own.every((c) => c.patch === undefined) && ownArchives.length === 0;
  const changed = scanMode ? undefined : new Map(own.map((c) => [c.path, c.patch === null ? null : (run.patches.get(c.path)?.changed ?? new Set<number>())]));
  return {
    root,
    all,
    head,
    base,
    own,
    ownArchives,
    changed,
    hasBase: !scanMode && ['Chart.yaml', 'Chart.yml'].some((f) => base.has(f)),
    templates: all.filter((path) => /(^|\/)templates\//.test(path.slice(prefix.length))),
  };
}

/** Why an install whose Argo CD overrides are `file` (a repository path) is not rendered as it installs. */
function overridesNotFollowed(file: string): string {
  return `\`${file}\`, parameter overrides Argo CD merges into the source, which Warden follows only for overrides of one Application that set only \`helm.parameters\` (plain names and values)`;
}

/**
 * The render of what a GitOps source installs anew: the chart at head with its values (those it sets itself read
 * where they are written), against the chart with what it installed before (none: every finding new); with the note
 * that says so. Or why there is none: values it sets itself that cannot be read as a block of their own lines.
 */
function deploymentRender(
  root: string,
  d: ChartDeployment,
  files: { head: Map<string, string>; base: Map<string, string> },
  archives: Record<string, string>,
  /** The parameters Argo CD's overrides in the chart's folder set in place of the source's own (argo-overrides.ts). */
  overrides: { rel: string; head: string; base: string } | null,
): { input: ChartReviewInput; note: string } | { unread: string } {
  // The source's own values, its parameters over them, or, in their place, the overrides' parameters.
  const own = (inline: ChartDeployment['inline']) => (overrides && inline?.form === 'parameters' ? undefined : inline);
  type SetBy = { file: string; text: string | null; alias?: string };
  const setBy = (inline: ChartDeployment['inline'], parameters: ChartDeployment['parameters'], overridden: string): SetBy[] => {
    const after: SetBy | undefined = overrides ? { file: chartFile(root, overrides.rel), text: overridden } : parameters && { ...parameters, alias: 'parameters' };
    return [own(inline), after].filter((values): values is SetBy => values !== undefined);
  };
  const inline = setBy(d.inline, d.parameters, overrides?.head ?? '');
  const inlineBefore = setBy(d.inlineBefore, d.parametersBefore, overrides?.base ?? '');
  if ([...inline, ...inlineBefore].some((values) => values.text === null)) {
    return { unread: `the Helm chart \`${root}\` with the values the source sets itself, which Warden reads only as a block of their own lines (\`valuesObject\` as a block mapping, \`values\` as a literal \`|\` text) or as parameters of plain names and values` };
  }
  const rel = (path: string) => chartRelative(root, path);
  const relOf = (values: { file: string; alias?: string }) => (values.alias === undefined ? rel(values.file) : aliased(rel(values.file), values.alias));
  const withText = (texts: Map<string, string>, values: readonly { file: string; text: string | null; alias?: string }[]) => (values.length > 0 ? new Map([...texts, ...values.map((v): [string, string] => [relOf(v), v.text!])]) : texts);
  const head = withText(files.head, inline);
  const base = withText(files.base, inlineBefore);
  const listed = (values: readonly string[], inline: readonly { file: string; alias?: string }[]) => [...values.map(rel), ...inline.map(relOf)];
  // A file it may leave out when it is not there (`ignoreMissingValueFiles`) is left out, at head and at base.
  const present = (texts: ReadonlyMap<string, string>) => (r: string) => !d.ignoreMissing || texts.has(r);
  const before = d.before === null ? null : listed(d.before, inlineBefore).filter(present(base));
  const hadChart = ['Chart.yaml', 'Chart.yml'].some((f) => base.has(f));
  const input: ChartReviewInput = {
    dir: root === '.' ? '' : root,
    head,
    base: before && hadChart ? base : null,
    ...(before ? { baseValuesFiles: before, baseWithoutDefaults: d.beforeWithoutDefaults === true } : {}),
    valuesFiles: listed(d.values, inline).filter(present(head)),
    ...(d.withoutDefaults ? { withoutDefaults: true } : {}),
    ...(d.releases ? { releases: d.releases } : {}),
    archives,
  };
  const values = d.values.length > 0 ? `, with ${d.values.map((v) => `\`${v}\``).join(', ')}` : '';
  const note = `line ${d.line}: the Helm chart \`${root}\` installed ${before ? 'with other values' : 'anew'} by ${d.by}${values}: its render reviewed whole, ${before ? 'a finding it did not have before new' : 'every finding new'}`;
  return { input, note };
}

/**
 * The chart's installs Warden renders as they install it: the values a source sets itself added as its last values
 * file (src/render/inline-values.ts: read where they are written, under the source's file, in `files` at head and at
 * base), and so the parameters Argo CD's overrides in the chart's folder set in their place (src/render/argo-overrides.ts:
 * at head and at base each their own, an override the change touches counted as changed whole, as its parameters are
 * read onto one line). One whose values cannot be read so, or whose overrides are not followed, is left out, and a
 * changed values file of its fails closed. An install the same as one before it is left out too.
 */
async function followedInstalls(
  run: ChartsRun,
  root: string,
  installs: readonly ChartInstall[],
  files: { head: Map<string, string>; base: Map<string, string> },
  overridesFor: (application: string) => ReturnType<typeof parameterOverrides>,
  { own, changed }: { own: readonly ChartChange[]; changed: Map<string, ReadonlySet<number> | null> | undefined },
  result: ChartsReview,
): Promise<ChartInstall[]> {
  const out: ChartInstall[] = [];
  const push = (install: ChartInstall) => {
    const same = out.findIndex((known) => known.withoutDefaults === install.withoutDefaults && known.values.join('\0') === install.values.join('\0'));
    if (same < 0) out.push(install);
    else out[same] = withReleasesOf(out[same]!, install);
  };
  const leaveOut = (install: ChartInstall, reason: string) => {
    for (const c of own) if (install.values.includes(chartRelative(root, c.path))) result.unrendered.push({ file: c.path, reason });
  };
  // Values the install's source sets itself, as a values file of the chart's files: its name there, or null.
  const ownValues = async (install: ChartInstall, inline: InlineValues): Promise<string | null> => {
    const text = await run.read(inline.file);
    const values = text === null ? null : inlineValuesText(text, inline);
    const rel = inline.alias === undefined ? chartRelative(root, inline.file) : aliased(chartRelative(root, inline.file), inline.alias);
    if (values === null || (files.head.has(rel) && files.head.get(rel) !== values)) {
      leaveOut(install, `Helm: the values ${install.by} sets itself (\`${inline.path.join('.')}\`) are read only as a block of their own lines (parameters: plain names and values), so the chart is not rendered with them`);
      return null;
    }
    files.head.set(rel, values);
    files.base.set(rel, values);
    run.inlineFiles.add(inline.file);
    return rel;
  };
  const topLevel = [...files.head.keys()].filter((rel) => !rel.includes('/'));
  for (const install of installs) {
    // A folder Argo CD builds with Kustomize: not this chart's install.
    if (!installedAsChart(install, topLevel)) continue;
    const overrides = install.argo === undefined ? null : overridesFor(install.argo);
    if (overrides !== null) {
      if ('unread' in overrides) {
        leaveOut(install, `Helm: not rendered as ${install.by} installs it, with ${overridesNotFollowed(chartFile(root, overrides.unread))}`);
        continue;
      }
      // Their parameters replace any the source sets; its `values` or `valuesObject` stay, under them.
      const kept = install.inline && install.inline.form !== 'parameters' ? await ownValues(install, install.inline) : undefined;
      if (kept === null) continue;
      const { rel, head, base } = overrides;
      files.head.set(rel, head);
      files.base.set(rel, base);
      const path = chartFile(root, rel);
      run.inlineFiles.add(path);
      if (own.some((c) => c.path === path)) {
        changed?.set(path, null);
        // Only that Application reads an override named for it: its change is reviewed here.
        if (rel !== '.argocd-source.yaml') result.covered.add(path);
      }
      push({ ...install, values: [...install.values, ...(kept ? [kept] : []), rel] });
      continue;
    }
    if (!install.inline) {
      push(install);
      continue;
    }
    const rel = await ownValues(install, install.inline);
    const parameters = rel !== null && install.parameters ? await ownValues(install, install.parameters) : undefined;
    if (rel !== null && parameters !== null) push({ ...install, values: [...install.values, rel, ...(parameters ? [parameters] : [])] });
  }
  return out;
}

/** Each render's findings, notes and what it could not render, into `result`: a finding of one origin once. */
async function gatherRenders(renders: readonly PendingRender[], archiveChanges: readonly string[], result: ChartsReview): Promise<void> {
  // A finding of one origin is the same in every render of its chart (a template line, a values key): kept once,
  // named as a render of a release GitOps installs names it, when one has it.
  const seen = new Map<string, { finding: Finding; deployed: boolean }>();
  // A finding is as old as it is in each render's own base: one render (an install) that did not have it makes it
  // new, however many others deployed the same value before.
  const atHead: (readonly [string, string])[] = [];
  const atBase: (readonly [string, string])[] = [];
  for (const [index, { root, own, templates, review: pending, first, anew, deployed }] of renders.entries()) {
    const review = await pending;
    for (const path of templates) result.covered.add(path);
    if ('failed' in review) {
      // Not finished (its time limit, a worker that died): every changed file of the chart fails closed, with why.
      const reason = `Helm: the review of chart ${root} did not finish (${review.failed})`;
      for (const change of own) result.unrendered.push({ file: change.path, reason });
      if (anew) result.unrendered.push({ file: anew.file, line: anew.line, reason: `what ${anew.by} deploys: ${reason}` });
      for (const path of archiveChanges.filter((p) => p.startsWith(`${root}/`) || root === '.')) result.unrendered.push({ file: path, reason });
      continue;
    }
    // Each fix was proven by rendering again on its own, and each group's edit as a group.
    keepRebuiltResults(review.findings, 'each');
    // An install made anew is judged against its own render before (none: every finding new), not the chart's others.
    if (anew) for (const f of review.findings) f.preExisting = review.baseFingerprints.has(f.fingerprint);
    else for (const f of review.baseFingerprints) result.baseFingerprints.add(f);
    for (const f of review.findings) atHead.push([String(index), f.fingerprint]);
    for (const fingerprint of review.baseFingerprints) atBase.push([String(index), fingerprint]);
    if (anew && review.unrendered.length > 0) result.unrendered.push({ file: anew.file, line: anew.line, reason: `what ${anew.by} deploys: the Helm chart \`${root}\` with its values, of which ${review.unrendered.length} template${review.unrendered.length === 1 ? '' : 's'} could not be rendered` });
    for (const f of review.findings) {
      const kept = seen.get(f.fingerprint);
      if (!kept) {
        seen.set(f.fingerprint, { finding: f, deployed: deployed === true });
        result.findings.push(f);
      } else if (deployed && !kept.deployed) {
        Object.assign(kept.finding, { resource: f.resource, message: f.message });
        kept.deployed = true;
      }
    }
    const noted = new Set(result.notes.map((n) => `${n.file}\0${n.message}`));
    result.notes.push(...review.notes.filter((n) => !noted.has(`${n.file}\0${n.message}`)));
    const listed = new Set(result.unrendered.map((u) => `${u.file}\0${u.reason}\0${u.line}`));
    result.unrendered.push(...review.unrendered.filter((u) => !listed.has(`${u.file}\0${u.reason}\0${u.line}`)));
    // Objects are counted once per chart, as its values.yaml renders them.
    if (first) result.resources += review.resources;
  }
  const newInSome = newInSomeGroup(atHead, atBase);
  for (const fingerprint of newInSome) result.baseFingerprints.delete(fingerprint);
  for (const f of result.findings) if (newInSome.has(f.fingerprint)) f.preExisting = false;
}
