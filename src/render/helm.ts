// A Helm chart rendered as `helm template` would, without helm: Chart.yaml, values (the chart's
// values.yaml, then the values files config names, merged as Helm merges them), templates/ with
// their helpers, and subcharts under charts/ with their values scoped as Helm scopes them.
// Every rendered character keeps its origin: a template line or a values key.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import {
  Budget, DEFAULT_LIMITS, Executor, GoStruct, LimitError, TemplateExecError, TemplateSet, TemplateSyntaxError,
  UnknownFunctionError, standardFunctions, type Func, type Limits, type Origin, type Span,
} from './gotemplate/index.js';
import { helmFunctions, toYamlTraced } from './helm-functions.js';
import { coalesce, loadValues, mergeValues, subchartValues, ValuesError, type Values } from './values.js';
import { isMap } from './gotemplate/values.js';
import { MAX_FILE_BYTES } from '../engine/limits.js';
import { chartFile } from './chart-file.js';
import { fileDependencies } from './local-dependencies.js';
import { helmLoaded, HelmIgnoreError } from './helm-ignore.js';
import { escapeRegExp } from '../common/reg-exp.js';
import { ownValue, setOwn } from '../common/own-key.js';

/** A chart's files: paths relative to the chart's folder (`templates/deployment.yaml`), and their text. */
export interface ChartSource {
  /** The chart's folder, as reported in origins (repository-relative, or as given on the command line). */
  dir: string;
  files: Map<string, string>;
}

export interface RenderOptions {
  /** Values files of the chart (paths relative to the chart), merged in order over values.yaml. */
  valuesFiles?: string[];
  /**
   * The chart's own values.yaml is not read (its subcharts' are): Flux installs a chart with the values files a
   * HelmRelease lists in its place (one of them may be values.yaml, read there as a values file).
   */
  withoutDefaults?: boolean;
  limits?: Partial<Limits>;
  /** Whole-chart time allowance; a template started after it is not rendered. */
  chartMillis?: number;
  /** `.Release.Namespace` (`helm template --namespace`): where a GitOps source installs the release. Default `default`. */
  releaseNamespace?: string;
  /** `.Release.Name` (`helm template <name>`): the name a GitOps source or a kustomization's `helmCharts` entry installs the release by. Default `release-name`. */
  releaseName?: string;
}

export interface RenderedTemplate {
  /** The template's file: `dir/templates/x.yaml` (a subchart's under `dir/charts/<name>/`). */
  file: string;
  /** Helm's name for it: `<chart>/templates/x.yaml`. */
  name: string;
  text: string;
  spans: Span[];
  /** The values keys the template read, printed or only tested (`if .Values.x`). */
  reads: Origin[];
  /**
   * It called `lookup` (its own text or a helper it includes): rendered as `helm template` renders it, finding
   * nothing, where `helm install` (and Flux) would read the cluster.
   */
  looksUp?: true;
}

export type RenderProblemKind = 'syntax' | 'execution' | 'unknown-function' | 'limit' | 'values' | 'chart';

/** Why a template (or the chart) was not rendered: file and line where it is known. */
export interface RenderProblem { kind: RenderProblemKind; file: string; line: number; message: string }

export interface ChartRender {
  name: string;
  templates: RenderedTemplate[];
  problems: RenderProblem[];
  /** The files read, chart-relative paths made repository paths: a change to any can change the output. */
  inputs: string[];
  /** Dependencies of the chart, enabled, that are not unpacked under `charts/`: not rendered (nothing is fetched or unpacked). */
  unfetched: UnfetchedDependency[];
}

/** A dependency `Chart.yaml` lists that is not rendered: fetched by `helm dependency build` (a local `file://` one too), or an archive. */
export interface UnfetchedDependency {
  /** Where its values sit in the chart's: its alias, else its name. */
  key: string;
  name: string;
  repository: string;
  /** Its index in `dependencies`. */
  index: number;
  /** Its archive under `charts/` (repository path), when there is one. */
  archive?: string;
  /** Why it is not rendered, when not for want of its files (an archive unpacked whose templates did not render). */
  why?: string;
}

/** `.Release` of `helm template` without flags. */
export const RELEASE = { Name: 'release-name', Namespace: 'default', IsUpgrade: false, IsInstall: true, Revision: 1, Service: 'Helm' };

/** `.Capabilities` of `helm template` without a cluster: Helm 3's built-in defaults. */
export const KUBE_VERSION = { Version: 'v1.31.0', Major: '1', Minor: '31', GitVersion: 'v1.31.0' };
const API_VERSIONS = [
  'v1', 'admissionregistration.k8s.io/v1', 'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1', 'apps/v1',
  'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1',
  'certificates.k8s.io/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1', 'networking.k8s.io/v1', 'node.k8s.io/v1', 'policy/v1',
  'rbac.authorization.k8s.io/v1', 'scheduling.k8s.io/v1', 'storage.k8s.io/v1',
];

const CHART_LIMITS: Limits = { ...DEFAULT_LIMITS, maxSteps: 2_000_000, maxMillis: 2_000, maxOutput: 5_000_000 };

/** Whether `path` (repository-relative) is a chart's Chart.yaml. */
export function isChartFile(path: string): boolean {
  return /(^|\/)Chart\.ya?ml$/.test(path);
}

interface LoadedChart {
  name: string;
  /** Helm's name prefix of its templates: `parent/charts/sub`. */
  helmPath: string;
  dir: string;
  metadata: Record<string, unknown>;
  defaults: Values;
  source: ChartSource;
  /** Chart-relative path prefix within the top chart's files (`charts/sub/`; `../common/` for a local dependency). */
  prefix: string;
  subcharts: LoadedChart[];
  parent?: LoadedChart;
}



/** Renders a chart; problems are returned, never thrown, so the templates that render are still reviewed. */
export function renderChart(whole: ChartSource, options: RenderOptions = {}): ChartRender {
  const problems: RenderProblem[] = [];
  const inputs = [...whole.files.keys()].map((p) => chartFile(whole.dir, p));
  let source: ChartSource;
  try {
    source = { ...whole, files: helmLoaded(whole.files) };
  } catch (error) {
    if (!(error instanceof HelmIgnoreError)) throw error;
    problems.push({ kind: 'chart', file: chartFile(whole.dir, '.helmignore'), line: error.line, message: `chart not rendered: .helmignore: ${error.message}` });
    return { name: '', templates: [], problems, inputs, unfetched: [] };
  }
  const top = loadChart(source, '', undefined, problems, undefined, options.withoutDefaults === true);
  if (!top) return { name: '', templates: [], problems, inputs, unfetched: [] };

  let values: Values = {};
  for (const file of options.valuesFiles ?? []) {
    const loaded = readValues(source, file, problems);
    if (loaded) values = mergeValues(values, loaded);
  }
  const limits: Limits = { ...CHART_LIMITS, ...options.limits };
  const deadline = Date.now() + (options.chartMillis ?? 10_000);
  const set = new TemplateSet();
  const release = { ...RELEASE, Name: options.releaseName ?? RELEASE.Name, Namespace: options.releaseNamespace ?? RELEASE.Namespace };
  const found: { dot: Values; basePath: string; file: string; name: string; text: string }[] = [];

  // Helm parses every template of the chart and its subcharts into one set, so defines are shared.
  const collect = (chart: LoadedChart, chartValues: Values, treeTags: unknown): void => {
    const coalesced = coalesce(chartValues, chart.defaults);
    const tags = tagsOver(treeTags, chart);
    // One top-level object per chart, as in Helm: what a template sets on it (or on .Values) the next ones see.
    const dot = topLevel(chart, coalesced, release);
    for (const [rel, text] of chart.source.files) {
      if (!rel.startsWith(`${chart.prefix}templates/`)) continue;
      // Helm reads only the partials (`_*`) of a library chart: its other files, and what they define, are not there.
      if (chart.metadata.type === 'library' && !posix.basename(rel).startsWith('_')) continue;
      found.push({ dot, basePath: `${chart.helmPath}/templates`, file: chartFile(source.dir, rel), name: `${chart.helmPath}/${rel.slice(chart.prefix.length)}`, text });
    }
    problems.push(...importedValues(chart));
    for (const sub of chart.subcharts) {
      // An alias renames the subchart (`.Chart.Name`, its templates' names) and scopes its values under that name,
      // as Helm does; a chart listed under two aliases is installed twice, each with its own values.
      const listed = dependencyList(chart.metadata).filter((d) => d.name === sub.name);
      const keys = listed.length === 0 ? [sub.name] : [...new Set(listed.map((d) => (typeof d.alias === 'string' ? d.alias : sub.name)))];
      for (const key of keys) {
        if (!enabled(chart, key, coalesced, tags)) continue;
        collect(key === sub.name ? sub : aliased(sub, key, `${chart.helmPath}/charts/${key}`), subchartValues(coalesced, key, {}), tags);
      }
    }
  };
  collect(top, values, ownValue(values, 'tags'));

  // Parsed, then rendered, in Helm's order: a later file's define replaces an earlier one's, and a template sees
  // what the ones rendered before it set on the values they share.
  const jobs: typeof found = [];
  for (const template of found.sort((a, b) => helmTemplateOrder(a.name, b.name))) {
    try {
      set.add(template.name, template.text, template.file);
    } catch (error) {
      problems.push(problemOf(error, template.file));
      continue;
    }
    if (!posix.basename(template.name).startsWith('_')) jobs.push(template);
  }

  // `lookup` noted per template: what it prints may depend on what an install finds in the cluster.
  let lookedUp = false;
  const funcs: Record<string, Func> = { ...standardFunctions, ...helmFunctions, lookup: (...args) => ((lookedUp = true), helmFunctions.lookup!(...args)) };
  const templates: RenderedTemplate[] = [];
  for (const job of jobs) {
    if (Date.now() > deadline) {
      problems.push({ kind: 'limit', file: job.file, line: 1, message: `not rendered: the chart's ${options.chartMillis ?? 10_000} ms render time was spent` });
      continue;
    }
    const exec = new Executor(set, funcs, new Budget(limits));
    lookedUp = false;
    job.dot.Template = { Name: job.name, BasePath: job.basePath };
    try {
      const rendered = exec.execute(job.name, { v: job.dot });
      // NOTES.txt is rendered as Helm renders it, for what it sets on the values; it deploys nothing.
      if (posix.basename(job.name) === 'NOTES.txt') continue;
      templates.push({ file: job.file, name: job.name, text: rendered.text, spans: rendered.spans, reads: [...exec.reads.values()], ...(lookedUp ? { looksUp: true as const } : {}) });
    } catch (error) {
      problems.push(problemOf(error, job.file));
    }
  }
  return { name: top.name, templates, problems, inputs, unfetched: unfetchedDependencies(top, coalesce(values, top.defaults), tagsOver(ownValue(values, 'tags'), top)) };
}

/**
 * The enabled dependencies of a chart that are not a folder under its `charts/`: an archive there (not unpacked), or
 * nothing (`helm template` would refuse the chart until `helm dependency build` fetched them). What is deployed holds
 * them and Warden's render does not.
 */
function unfetchedDependencies(chart: LoadedChart, values: Values, tags: unknown): UnfetchedDependency[] {
  const deps = Array.isArray(chart.metadata.dependencies) ? chart.metadata.dependencies : [];
  return deps.flatMap((dep, index) => {
    if (!isMap(dep) || typeof dep.name !== 'string') return [];
    const key = typeof dep.alias === 'string' ? dep.alias : dep.name;
    if (chart.subcharts.some((sub) => sub.name === dep.name) || !enabled(chart, key, values, tags)) return [];
    const archive = [...chart.source.files.keys()].find((rel) => archiveOf(dep.name as string, chart.prefix).test(rel));
    return [{ key, name: dep.name, repository: typeof dep.repository === 'string' ? dep.repository : '', index, ...(archive ? { archive: chartFile(chart.source.dir, archive) } : {}) }];
  });
}

/** Whether a chart folder is this chart's or one of its parents' (a local dependency that leads back would loop). */
function inChain(chart: LoadedChart, prefix: string): boolean {
  const folder = (p: string) => posix.normalize(p === '' ? './' : p);
  for (let at: LoadedChart | undefined = chart; at; at = at.parent) if (folder(at.prefix) === folder(prefix)) return true;
  return false;
}

/** `charts/<name>-<version>.tgz`, as `helm dependency build` writes a dependency. */
function archiveOf(name: string, prefix: string): RegExp {
  return new RegExp(`^${escapeRegExp(prefix)}charts/${escapeRegExp(name)}-[^/]*\\.tgz$`);
}

/** Whether an archive under `charts/` is a dependency the chart's metadata lists. */
function dependencyArchive(metadata: Record<string, unknown>, prefix: string, rel: string): boolean {
  return dependencyList(metadata).some((dep) => typeof dep.name === 'string' && archiveOf(dep.name, prefix).test(rel));
}

function problemOf(error: unknown, file: string): RenderProblem {
  if (error instanceof TemplateSyntaxError) return { kind: 'syntax', file, line: error.line, message: error.message };
  if (error instanceof UnknownFunctionError) return { kind: 'unknown-function', file: error.where.file, line: error.where.line, message: error.message };
  if (error instanceof LimitError) return { kind: 'limit', file: error.where.file, line: error.where.line, message: error.message };
  if (error instanceof TemplateExecError) return { kind: 'execution', file: error.where.file, line: error.where.line, message: error.message };
  if (error instanceof ValuesError) return { kind: 'values', file: error.file, line: error.line, message: error.message };
  // A RangeError (stack) or anything unforeseen is still a problem of this template, never a crash.
  return { kind: 'execution', file, line: 1, message: error instanceof Error ? error.message : String(error) };
}

function readValues(source: ChartSource, rel: string, problems: RenderProblem[]): Values | undefined {
  const text = source.files.get(rel);
  const file = chartFile(source.dir, rel);
  if (text === undefined) {
    problems.push({ kind: 'values', file, line: 1, message: `values file ${file} not found` });
    return undefined;
  }
  if (text.length > MAX_FILE_BYTES) {
    problems.push({ kind: 'values', file, line: 1, message: `values file of ${text.length} bytes is over the ${MAX_FILE_BYTES}-byte limit: the chart is rendered without it` });
    return undefined;
  }
  try {
    return loadValues(file, text);
  } catch (error) {
    problems.push(problemOf(error, file));
    return undefined;
  }
}

/**
 * A chart and its subcharts from the source's files; `prefix`: its folder, relative to the top chart's (a local
 * dependency outside it is `../common/`); `helmPath`: Helm's name for a subchart (`model/charts/common`).
 */
function loadChart(source: ChartSource, prefix: string, parent: LoadedChart | undefined, problems: RenderProblem[], helmPath?: string, withoutDefaults = false): LoadedChart | undefined {
  const metadataFile = [`${prefix}Chart.yaml`, `${prefix}Chart.yml`].find((p) => source.files.has(p));
  const file = chartFile(source.dir, metadataFile ?? `${prefix}Chart.yaml`);
  let metadata: Record<string, unknown> = {};
  try {
    const parsed: unknown = metadataFile ? parseYaml(source.files.get(metadataFile)!, { version: '1.1' }) : undefined;
    if (!isMap(parsed) || typeof parsed.name !== 'string') throw new Error('Chart.yaml has no name');
    metadata = parsed;
  } catch (error) {
    problems.push({ kind: 'chart', file, line: 1, message: `chart not rendered: ${(error as Error).message.split('\n')[0]}` });
    return undefined;
  }
  const name = metadata.name as string;
  const chart: LoadedChart = {
    name,
    helmPath: helmPath ?? (parent ? `${parent.helmPath}/charts/${prefix.slice(parent.prefix.length + 'charts/'.length, -1)}` : name),
    dir: chartFile(source.dir, prefix),
    metadata,
    defaults: {},
    source,
    prefix,
    subcharts: [],
    ...(parent ? { parent } : {}),
  };
  const valuesFile = [`${prefix}values.yaml`, `${prefix}values.yml`].find((p) => source.files.has(p));
  if (valuesFile && !withoutDefaults) chart.defaults = readValues(source, valuesFile, problems) ?? {};
  // Subcharts: each folder under charts/ with its own Chart.yaml (an archive is unpacked into one beforehand:
  // src/render/chart-archive.ts). An archive still here was not: one a dependency names is that dependency, not
  // rendered (src/render/chart-dependencies.ts says where); another fails the chart closed.
  const subdirs = new Set<string>();
  for (const rel of source.files.keys()) {
    const m = new RegExp(`^${escapeRegExp(prefix)}charts/([^/]+)/Chart\\.ya?ml$`).exec(rel);
    if (m) subdirs.add(m[1]!);
    else if (new RegExp(`^${escapeRegExp(prefix)}charts/[^/]+\\.tgz$`).test(rel) && !dependencyArchive(metadata, prefix, rel)) {
      problems.push({ kind: 'chart', file: chartFile(source.dir, rel), line: 1, message: 'subchart archive not unpacked: its templates are not rendered' });
    }
  }
  for (const dir of [...subdirs].sort()) {
    const sub = loadChart(source, `${prefix}charts/${dir}/`, chart, problems);
    if (sub) chart.subcharts.push(sub);
  }
  // A local dependency (`repository: file://../common`) not under charts/: loaded from its folder, as `helm
  // dependency build` would copy it there, when the source holds its files (src/render/local-dependencies.ts).
  for (const dep of fileDependencies(metadata)) {
    if (chart.subcharts.some((sub) => sub.name === dep.name)) continue;
    const at = posix.normalize(`${prefix}${dep.path}/`);
    if (inChain(chart, at) || ![`${at}Chart.yaml`, `${at}Chart.yml`].some((p) => source.files.has(p))) continue;
    const sub = loadChart(source, at, chart, problems, `${chart.helmPath}/charts/${dep.name}`);
    if (sub?.name === dep.name) chart.subcharts.push(sub);
  }
  return chart;
}

/** A subchart under an alias: renamed, and its templates (its subcharts' too) named below `helmPath`. */
function aliased(chart: LoadedChart, alias: string, helmPath: string): LoadedChart {
  const moved = (at: LoadedChart): LoadedChart => ({ ...at, helmPath: helmPath + at.helmPath.slice(chart.helmPath.length), subcharts: at.subcharts.map(moved) });
  return { ...moved(chart), name: alias, metadata: { ...chart.metadata, name: alias } };
}

/** The dependencies a chart's metadata lists (entries that are not mappings left out). */
function dependencyList(metadata: Record<string, unknown>): Record<string, unknown>[] {
  const deps = Array.isArray(metadata.dependencies) ? metadata.dependencies : [];
  return deps.filter((d): d is Record<string, unknown> => isMap(d));
}

/**
 * Whether a dependency is installed, as Helm decides: its `condition` (the first path that resolves to a boolean),
 * else its `tags` (off only when one of them is false in the values' `tags` and none is true).
 */
function enabled(parent: LoadedChart, name: string, values: Values, tags: unknown): boolean {
  const dep = dependencyList(parent.metadata).find((d) => (d.alias ?? d.name) === name);
  if (!dep) return true;
  if (typeof dep.condition === 'string') {
    for (const path of dep.condition.split(',').map((p) => p.trim())) {
      let cur: unknown = values;
      for (const key of path.split('.')) cur = isMap(cur) ? ownValue(cur, key) : undefined;
      if (typeof cur === 'boolean') return cur;
    }
  }
  if (!isMap(tags) || !Array.isArray(dep.tags)) return true;
  const set = dep.tags.flatMap((tag) => (typeof tag === 'string' && typeof ownValue(tags, tag) === 'boolean' ? [ownValue(tags, tag) as boolean] : []));
  return set.includes(true) || !set.includes(false);
}

/**
 * The `tags` a chart's dependencies are decided by: Helm reads them at the top of the values, where each chart on the
 * way down coalesces its own defaults (a subchart's default `tags` fill in what the charts above it leave unset).
 */
function tagsOver(above: unknown, chart: LoadedChart): unknown {
  const own = ownValue(chart.defaults, 'tags');
  if (above === undefined) return own;
  return own === undefined ? above : ownValue(coalesce({ tags: above } as Values, { tags: own } as Values), 'tags');
}

const GO_FIELD: Record<string, string> = { apiVersion: 'APIVersion', kubeVersion: 'KubeVersion', appVersion: 'AppVersion' };

function chartStruct(metadata: Record<string, unknown>): GoStruct {
  const fields: Record<string, unknown> = {
    Name: '', Home: '', Sources: [], Version: '', Description: '', Keywords: [], Maintainers: [], Icon: '',
    APIVersion: '', Condition: '', Tags: '', AppVersion: '', Deprecated: false, Annotations: {}, KubeVersion: '',
    Dependencies: [], Type: '',
  };
  for (const [k, v] of Object.entries(metadata)) setOwn(fields, ownValue(GO_FIELD, k) ?? k[0]!.toUpperCase() + k.slice(1), v);
  return new GoStruct('*chart.Metadata', fields);
}

function capabilities(): GoStruct {
  const apiVersions = new GoStruct('chartutil.VersionSet', {
    Has: (args: unknown[]) => {
      const wanted = String(args[0] ?? '');
      return API_VERSIONS.includes(wanted) || API_VERSIONS.some((gv) => wanted.startsWith(`${gv}/`) && wanted.split('/').length === gv.split('/').length + 1);
    },
  });
  return new GoStruct('*chartutil.Capabilities', {
    KubeVersion: new GoStruct('chartutil.KubeVersion', { ...KUBE_VERSION }),
    APIVersions: apiVersions,
    HelmVersion: new GoStruct('helmversion.BuildInfo', { Version: 'v3.16.0', GitCommit: '', GitTreeState: '', GoVersion: '' }),
  });
}

/** `.Files`: the chart's files outside templates/ (and not Chart.yaml or values files), read-only. */
function filesStruct(entries: Map<string, string>): GoStruct {
  const asMap = (encode: (s: string) => string): string => {
    const data: Values = {};
    for (const [path, text] of entries) setOwn(data, path.slice(path.lastIndexOf('/') + 1), encode(text));
    return toYamlTraced({ v: data }).val.v as string;
  };
  return new GoStruct('files', {
    Get: (args: unknown[]) => entries.get(String(args[0] ?? '')) ?? '',
    GetBytes: (args: unknown[]) => entries.get(String(args[0] ?? '')) ?? '',
    Lines: (args: unknown[]) => {
      const text = entries.get(String(args[0] ?? ''));
      return text === undefined ? [] : text.split('\n');
    },
    Glob: (args: unknown[]) => {
      const match = picomatch(String(args[0] ?? ''), { dot: true });
      return filesStruct(new Map([...entries].filter(([path]) => match(path))));
    },
    AsConfig: () => asMap((s) => s),
    AsSecrets: () => asMap((s) => Buffer.from(s, 'utf8').toString('base64')),
  }, () => Object.fromEntries([...entries].map(([path, text]) => [path, Buffer.from(text, 'utf8')])));
}

/**
 * Helm's order of a chart's templates (its engine's sortTemplates): more path segments first (subcharts before
 * their parent), then names in reverse byte order.
 */
export function helmTemplateOrder(a: string, b: string): number {
  const depth = (name: string) => name.split('/').length;
  return depth(b) - depth(a) || Buffer.compare(Buffer.from(b), Buffer.from(a));
}

/**
 * A subchart's `import-values` (its exports copied into the parent's values): not rendered, so the templates
 * that read the parent's values are not reviewed as Helm renders them.
 */
function importedValues(chart: LoadedChart): RenderProblem[] {
  const metadataFile = [`${chart.prefix}Chart.yaml`, `${chart.prefix}Chart.yml`].find((p) => chart.source.files.has(p)) ?? `${chart.prefix}Chart.yaml`;
  const lines = (chart.source.files.get(metadataFile) ?? '').split('\n');
  return dependencyList(chart.metadata)
    .filter((dep) => Array.isArray(dep['import-values']) && dep['import-values'].length > 0 && chart.subcharts.some((sub) => sub.name === dep.name))
    .map((dep) => ({
      kind: 'chart' as const,
      file: chartFile(chart.source.dir, metadataFile),
      line: lines.findIndex((l) => /^\s*import-values\s*:/.test(l)) + 1 || 1,
      message: `the values the dependency ${String(dep.name)} exports (import-values) are not imported by Warden: the chart's templates are not reviewed with the values Helm gives them`,
    }));
}

function topLevel(chart: LoadedChart, values: Values, release: Values): Values {
  const files = new Map<string, string>();
  for (const [rel, text] of chart.source.files) {
    if (!rel.startsWith(chart.prefix)) continue;
    const local = rel.slice(chart.prefix.length);
    if (/^(templates|charts)\//.test(local) || /^(Chart|values)\.ya?ml$/.test(local) || local === 'values.schema.json') continue;
    files.set(local, text);
  }
  return {
    Values: values,
    Release: release,
    Chart: chartStruct(chart.metadata),
    Capabilities: capabilities(),
    Files: filesStruct(files),
  };
}
