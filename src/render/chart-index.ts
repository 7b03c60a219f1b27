// A Helm chart's objects for the repository index: a NetworkPolicy, AuthorizationPolicy or quota a chart deploys
// protects what the repository's other files put in its namespace as surely as one written as a plain manifest.
// A chart is installed with values Warden does not know, so only what it deploys whatever values file installs it
// counts: each object is rendered with values.yaml alone and with each values file a render of the chart reviews
// (src/render/charts.ts), and kept only if every render prints it the same, in a namespace the chart names (one in
// the release's namespace lands where the install says: in each namespace the repository's GitOps sources install
// it in, with values files only, their renders among those that must agree). A template that prints anything else
// stays unread, and says why.
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { Resource } from '../model.js';
import type { ChartIndexer, IndexedChart } from '../engine/repository-index.js';
import { parseYaml } from '../formats/yaml.js';
import { chartFile, chartRelative, MAX_CHART_FILES } from './chart-file.js';
import { localDependencyFiles } from './local-dependencies.js';
import { archiveReader, chartArchiveFiles } from './chart-archive.js';
import { isChartArchive } from '../formats/templates.js';
import { renderChart } from './helm.js';
import { landsInRelease, placedIn } from './release-namespace.js';
import { traceDocuments } from './provenance.js';
import { valuesRenders } from './values-renders.js';
import { argoOverrides, gitOpsChartInstalls, installedAsChart, type ChartInstall, type Release } from './gitops-installs.js';
import { sameRepository } from '../common/repository-url.js';
import { resourceId } from '../formats/yaml-documents.js';

export interface ChartIndexInput {
  /** The chart's folder, repository-relative (`.` at the root). */
  root: string;
  /** The chart's files by chart-relative path (and the values files its installs name outside its folder). */
  files: Map<string, string>;
  /** The kinds the index keeps (src/engine/repository-index.ts INDEXED_KINDS). */
  kinds: readonly string[];
  config: Config;
  /**
   * How GitOps sources of this repository install it, with values files only, in the namespaces they name
   * (src/render/gitops-installs.ts): rendered too, and its objects in the release's namespace placed in each.
   */
  installs?: readonly ChartInstall[];
}

export interface ChartIndex {
  /** The objects every render prints the same, at their template's lines. */
  resources: Omit<Resource, 'source'>[];
  /** Templates (repository paths) whose objects of those kinds are not all kept, with why. */
  unsettled: { file: string; reason: string }[];
}


export function indexChart(input: ChartIndexInput): ChartIndex {
  const kinds = new Set(input.kinds);
  const dir = input.root === '.' ? '' : input.root;
  const { renders, skipped } = valuesRenders(input.root, [...input.files.keys()], input.config, input.installs);
  // Where GitOps installs the release: every render is made as each of those releases (its namespace and name, as
  // Argo CD and Flux render it), and its objects in its namespace land there; with none, as `helm template` renders it (null).
  const landing = [...new Map(renders.flatMap((render) => render.releases ?? []).map((release) => [`${release.namespace}\0${release.name}`, release])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, release]) => release);
  const unsettled = new Map<string, string>();
  const settle = (file: string, reason: string) => unsettled.has(file) || unsettled.set(file, reason);
  // Values files past those rendered could place any object elsewhere: none is kept.
  const unrendered = skipped.length > 0 ? `a Helm chart's template, with ${skipped.length} values files past the ${renders.length - 1} rendered for the index; name the ones installed in \`helm.charts\`` : null;
  /** Per render: every indexed object by template and identity, placed where it lands, as printed. */
  const printedFor = (release: Release | null) =>
    renders.map(({ values, withoutDefaults }) => {
      const releaseNamespace = release?.namespace ?? null;
      const render = renderChart({ dir, files: input.files }, { valuesFiles: [...values], withoutDefaults: withoutDefaults === true, ...(release ? { releaseNamespace: release.namespace, releaseName: release.name } : {}) });
      for (const problem of render.problems) settle(problem.file, `a Helm chart's template that could not be rendered for the index (${problem.kind}, line ${problem.line})`);
      const objects = new Map<string, { resource: Omit<Resource, 'source'>; json: string; line: number }>();
      for (const template of render.templates) {
        const parsed = parseYaml(template.file, template.text);
        if (parsed.errors.length > 0) settle(template.file, "a Helm chart's template whose rendered output is not YAML");
        const docs = traceDocuments(template);
        for (const resource of parsed.resources) {
          if (!kinds.has(resource.kind)) continue;
          if (unrendered !== null) {
            settle(template.file, unrendered);
            continue;
          }
          if (template.looksUp) {
            settle(template.file, "a Helm chart's template that calls `lookup`: what it prints depends on what `helm install` (or Flux) finds in the cluster, where Warden renders as `helm template` does, finding nothing");
            continue;
          }
          const inRelease = releaseNamespace === null ? landsInRelease(resource) : landsInRelease(resource, releaseNamespace);
          if (inRelease && releaseNamespace === null) {
            settle(template.file, "a Helm chart's template whose objects land in the release's namespace, chosen at install");
            continue;
          }
          // The object's first line in its template: the smallest template line among what printed it.
          const doc = docs.find((d) => d.startLine <= resource.range.startLine && resource.range.startLine <= d.endLine);
          const lines = [...(doc?.nodes.values() ?? [])].flatMap((n) => [n.key, n.value]).flatMap((o) => (o && o.kind === 'template' && o.file === template.file ? [o.line] : []));
          const { source: _source, ...plain } = inRelease ? { ...placedIn(resource, releaseNamespace!), id: resourceId(resource.kind, resource.name, releaseNamespace!) } : resource;
          const line = lines.length > 0 ? Math.min(...lines) : 1;
          objects.set(`${template.file}\0${plain.id}`, { resource: { ...plain, file: template.file, range: { startLine: line, endLine: line } }, json: JSON.stringify(plain.body), line });
        }
      }
      return objects;
    });
  const resources = new Map<string, ChartIndex['resources'][number]>();
  for (const release of landing.length > 0 ? landing : [null]) {
    // Kept when every render (the installs' and the chart's own values files') prints it the same.
    const [first, ...others] = printedFor(release);
    const keys = new Set([first, ...others].flatMap((objects) => [...(objects?.keys() ?? [])]));
    for (const key of keys) {
      const kept = first?.get(key);
      if (!kept || others.some((objects) => objects.get(key)?.json !== kept.json)) settle(key.slice(0, key.indexOf('\0')), "a Helm chart's template whose objects differ between the chart's values files");
      else resources.set(key, kept.resource);
    }
  }
  return { resources: [...resources.values()], unsettled: [...unsettled].map(([file, reason]) => ({ file, reason })) };
}

/** Charts indexed lately, by what their index depends on: every review builds the index, most charts unchanged. */
const MAX_INDEXED_CHARTS = 64;
const indexedCharts = new Map<string, IndexedChart>();

function remembered(key: string): IndexedChart | undefined {
  const found = indexedCharts.get(key);
  if (!found) return undefined;
  indexedCharts.delete(key); // most recently used last
  indexedCharts.set(key, found);
  // Each index its own objects: nothing a review does to one reaches the next.
  return { resources: found.resources.map((r) => ({ ...r })), unsettled: [...found.unsettled] };
}

function remember(key: string, indexed: IndexedChart): void {
  indexedCharts.set(key, { resources: indexed.resources.map((r) => ({ ...r })), unsettled: [...indexed.unsettled] });
  for (const oldest of indexedCharts.keys()) {
    if (indexedCharts.size <= MAX_INDEXED_CHARTS) break;
    indexedCharts.delete(oldest);
  }
}

/**
 * A ChartIndexer that reads the chart's files (and the values files config names outside its folder) and indexes
 * them with `index` (in the worker pool, or in this thread); a chart whose files, kinds and values files are those
 * of one indexed lately is not rendered again.
 */
export function chartIndexer(
  config: Config,
  kinds: readonly string[],
  index: (input: ChartIndexInput) => Promise<IndexedChart | { failed: string }>,
  /** The repository's URLs: its GitOps sources' installs of a chart are rendered for the index too. */
  urls: readonly string[] = [],
): ChartIndexer {
  return async (root, listed, read, list, readBytes, indexed = []) => {
    // Its local dependencies' files too (src/render/local-dependencies.ts).
    const all = list ? [...listed, ...(await localDependencyFiles(root, listed, read, list))] : listed;
    // And its dependency archives, unpacked (src/render/chart-archive.ts).
    const archived = await chartArchiveFiles(root, all, archiveReader({ readBytes }));
    // A chart's (and its subcharts') `crds/` are installed as they are, never templated: the index does not read them
    // (CRD bundles are megabytes, and every review builds the index).
    const inCrds = (rel: string) => /(^|\/)crds\//.test(rel);
    const paths = all.filter((path) => !inCrds(chartRelative(root, path)));
    if (paths.length > MAX_CHART_FILES) return { failed: `a chart of ${paths.length} files (over ${MAX_CHART_FILES})` };
    const installs = indexedInstalls(root, paths, indexed, urls);
    const outside = [...new Set([...(config.helm.charts[root]?.values ?? []), ...installs.flatMap((install) => install.values)])].filter((rel) => rel.startsWith('../')).map((rel) => ({ path: chartFile(root, rel), rel }));
    const wanted = [...paths.map((path) => ({ path, rel: chartRelative(root, path) })), ...outside];
    // An archive is read as bytes, above, not as text.
    const texts = await Promise.all(wanted.map(({ path }) => (isChartArchive(path) ? null : read(path).catch(() => null))));
    const files = new Map<string, string>();
    wanted.forEach(({ rel }, i) => texts[i] !== null && files.set(rel, texts[i]!));
    for (const [rel, text] of archived.files) if (!inCrds(rel)) files.set(rel, text);
    const hash = createHash('sha256').update(JSON.stringify([root, kinds, config.helm.charts[root]?.values ?? null, installs]));
    for (const [rel, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`\0${rel}\0${text.length}\0`).update(text);
    const key = hash.digest('hex');
    const known = remembered(key);
    if (known) return known;
    const chart = await index({ root, files, kinds, config, ...(installs.length > 0 ? { installs } : {}) });
    if (!('failed' in chart)) remember(key, chart);
    return chart;
  };
}

const installsByIndex = new WeakMap<readonly Resource[], Map<string, ChartInstall[]>>();

/**
 * By chart folder, the installs of GitOps sources of this repository (its `urls`) among `resources`, as the index and
 * src/charts-before.ts read them: made once per list of resources (the repository index's, every review).
 */
export function chartInstallsOf(resources: readonly Resource[], urls: readonly string[]): Map<string, ChartInstall[]> {
  let byChart = installsByIndex.get(resources);
  if (!byChart) installsByIndex.set(resources, (byChart = gitOpsChartInstalls(resources, { isThisRepository: sameRepository(urls), root: '.' })));
  return byChart;
}

/**
 * The installs of the chart at `root` the index renders: by GitOps sources of this repository, in namespaces they
 * name, with values files only (values a source sets itself, or Argo CD's overrides in the chart's folder, are read
 * only by a review's render: such an install's namespace is not one the index places objects in).
 */
function indexedInstalls(root: string, paths: readonly string[], indexed: readonly Resource[], urls: readonly string[]): ChartInstall[] {
  if (urls.length === 0 || indexed.length === 0) return [];
  const byChart = chartInstallsOf(indexed, urls);
  const own = paths.map((path) => chartRelative(root, path)).filter((rel) => !rel.includes('/'));
  return (byChart.get(root) ?? []).filter((install) => install.releases && !install.mayNotRunHere && installedAsChart(install, own) && !install.inline && !install.parameters && (install.argo === undefined || argoOverrides(own, install.argo) === null));
}
