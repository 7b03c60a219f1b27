// Kustomize's `helmCharts:` (`kustomize build --enable-helm`) for a chart that is already in the repository: kustomize
// looks for it at `<chartHome>/<name>` (with `repo` and `version`, `<chartHome>/<name>-<version>/<name>`) and pulls it
// only when that folder is not there. Such a chart is rendered by Warden's own Helm renderer (src/render/helm.ts) as
// kustomize runs `helm template <releaseName> <chart> --namespace <namespace> -f <values> -f <additional values>`,
// and its objects join the kustomization's resources (src/compose/kustomize.ts), each value keeping the line a person
// edits: the template line, or the values key. Whatever Warden cannot follow exactly is refused here, with why (the
// entry is then not composed).
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import rfdc from 'rfdc';
import { isRecord } from '../common/path.js';
import { deployedObjects } from '../formats/listed-objects.js';
import { isKustomizationFile } from '../formats/kustomization-file.js';
import { readYamlDocuments } from '../formats/yaml-documents.js';
import type { Path } from '../model.js';
import { renderChart, type ChartRender } from './helm.js';
import type { Origin as RenderOrigin } from './gotemplate/index.js';
import { lineOrigins, pathKey, traceDocuments, type NodeOrigin, type RenderedDocument } from './provenance.js';
import { aliased, chartFile, chartRelative, MAX_CHART_FILES, readChartYaml, templatesReadFiles } from './chart-file.js';
import { localDependencyFiles } from './local-dependencies.js';
import { parsedByHelm } from './chart-archive.js';
import { inlineValuesText } from './inline-values.js';
import { insideFolder, isRemote, listOf, normalize, type ComposedObject } from '../compose/kustomize.js';
import { chartFolder, type InflateRequest, type Inflated } from '../compose/helm-charts.js';
import { below, type Origin, type Shadow } from '../compose/provenance.js';
import type { Sources } from '../compose/sources.js';

/**
 * Fields of an entry that change what `helm template` prints and that Warden's renderer does not honour: an entry
 * that sets one is not inflated. (`repo`, `version`, `digest` and `devel` only say what to pull; `debug` prints more
 * to stderr.)
 */
const NOT_HONOURED: Record<string, string> = {
  apiVersions: 'sets the API versions `.Capabilities.APIVersions` holds, which Warden renders with Helm\'s defaults',
  kubeVersion: 'sets `.Capabilities.KubeVersion`, which Warden renders as Helm\'s default',
  nameTemplate: 'names the release by a template, which Warden does not render',
  skipHooks: 'leaves out the chart\'s hooks (`--no-hooks`), which Warden does not tell apart',
  skipTests: 'leaves out the chart\'s tests (`--skip-tests`), which Warden does not tell apart',
};

/** Why an entry cannot be inflated as kustomize inflates it, read from the entry alone; null when it can be tried. */
function entryRefused(chart: Record<string, unknown>): { why: string; field: string } | null {
  for (const [field, why] of Object.entries(NOT_HONOURED)) {
    const value = chart[field];
    if (value !== undefined && value !== null && value !== false && value !== '' && !(Array.isArray(value) && value.length === 0)) return { why: `its \`${field}\` ${why}`, field };
  }
  if (typeof chart.releaseName !== 'string' || chart.releaseName === '') {
    return { why: 'it names no `releaseName`: kustomize then runs `helm template --generate-name`, whose release name is made from the time of the build, so what the templates print with `.Release.Name` is not known', field: 'name' };
  }
  if (chart.valuesMerge !== undefined && !['merge', 'override', 'replace'].includes(String(chart.valuesMerge))) {
    return { why: `its \`valuesMerge\` \`${String(chart.valuesMerge)}\` is none of merge, override, replace (kustomize stops the build there)`, field: 'valuesMerge' };
  }
  if (chart.valuesInline !== undefined && chart.valuesInline !== null && !isRecord(chart.valuesInline)) return { why: 'its `valuesInline` is not a mapping (kustomize stops the build there)', field: 'valuesInline' };
  return null;
}

/** Whether `valuesInline` is given: kustomize ignores an empty one. */
function hasInlineValues(chart: Record<string, unknown>): boolean {
  return isRecord(chart.valuesInline) && Object.keys(chart.valuesInline).length > 0;
}

/**
 * Why `valuesInline` merged into its values file by kustomize (kyaml's merge, `valuesMerge` override or merge) may give
 * other values than Helm reading the two as values files one over the other, which is how Warden renders them: a
 * null (kyaml drops the key, Helm deletes the chart's default), lists on both sides (kyaml merges lists of named
 * items item by item), a mapping over a value that is not one. Null when they give the same.
 */
export function inlineMergeDiffers(file: unknown, inline: unknown, at: string[] = []): string | null {
  const where = () => (at.length === 0 ? 'at the top' : `at \`${at.join('.')}\``);
  if (file === null || inline === null) return `a null ${where()}`;
  if (isRecord(file) && isRecord(inline)) {
    for (const key of Object.keys(inline)) {
      if (!Object.hasOwn(file, key)) {
        if (containsNull(inline[key])) return `a null below \`${[...at, key].join('.')}\``;
        continue;
      }
      const differs = inlineMergeDiffers(file[key], inline[key], [...at, key]);
      if (differs) return differs;
    }
    for (const key of Object.keys(file)) if (!Object.hasOwn(inline, key) && containsNull(file[key])) return `a null below \`${[...at, key].join('.')}\``;
    return null;
  }
  if (Array.isArray(file) && Array.isArray(inline)) return `lists on both sides ${where()}`;
  if (isRecord(file) !== isRecord(inline) || containsNull(file) || containsNull(inline)) return `a mapping over a value of another kind, or a null, ${where()}`;
  return null;
}

function containsNull(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.some(containsNull);
  return isRecord(value) && Object.values(value).some(containsNull);
}

/** The version a Chart.yaml text gives, or undefined. */
function chartVersion(chartYaml: string): unknown {
  try {
    const parsed: unknown = parseYaml(chartYaml, { version: '1.1' });
    return isRecord(parsed) ? parsed.version : undefined;
  } catch {
    return undefined;
  }
}

/** Why a render cannot stand for what `helm template` prints: a template not rendered, a dependency not there. */
function renderRefused(render: ChartRender): string | null {
  const problem = render.problems[0];
  if (problem) return `Helm: not rendered (${problem.kind}), ${problem.file} line ${problem.line}: ${problem.message}`;
  const missing = render.unfetched[0];
  if (missing) return `its dependency \`${missing.name}\` is not unpacked under the chart's \`charts/\` folder (\`helm dependency build\` fetches it; Warden fetches nothing)`;
  return null;
}

/**
 * Places in the repository's files a rendered value is reported at, as the composition's origins: a values key that
 * a fix may edit (a values file read as YAML), or a line that it may not (a template line, inline values).
 */
interface RenderedPlaces {
  /** A values key of a values file that is a YAML file of its own, where a fix may edit it; null for any other file. */
  valuesKey(file: string, path: Path): Origin | null;
  /** A line of a file: where a finding is reported, never where a fix is written. */
  line(file: string, line: number): Origin;
  /** The whole of a file: whatever changes in it may change what the chart prints. */
  whole(file: string): Origin;
}

const clone = rfdc();

/**
 * The objects a chart's render prints, in kustomize's order (Helm's), each value's origin where a person edits it:
 * a value printed whole from a values key at that key, anything else at the line that printed it. An object's
 * contributors are `common` (what every object of the chart is built from), every line that printed it and the values
 * its template read. Null, with why, when a template printed what is not YAML (Helm would refuse it too, unless Warden
 * rendered it otherwise than Helm).
 */
function renderedObjects(render: ChartRender, places: RenderedPlaces, common: readonly Origin[]): { objects: ComposedObject[] } | { refused: string } {
  const objects: ComposedObject[] = [];
  const lineOrigin = (o: RenderOrigin) => places.line(o.file, o.line);
  for (const template of render.templates) {
    const docs = traceDocuments(template);
    const error = docs.flatMap((d) => d.errors)[0];
    if (error) return { refused: `Helm: ${template.file} renders what is not YAML (rendered line ${error.line}): ${error.message}` };
    const printed = lineOrigins(template.text, template.spans);
    const read = template.reads.map(lineOrigin);
    for (const doc of docs) {
      for (const { body, at } of deployedObjects(doc.data)) {
        if (typeof body.kind !== 'string') continue;
        const first = printed[doc.startLine - 1];
        const root = first ? lineOrigin(first) : places.line(template.file, 1);
        const contributors = new Set<Origin>([...common, root, ...read]);
        const shadow = shadowOf(doc, at, body, [], root, places, contributors);
        const meta = isRecord(body.metadata) ? body.metadata : {};
        objects.push({
          body: clone(body),
          shadow,
          originalName: typeof meta.name === 'string' ? meta.name : '',
          originalNamespace: typeof meta.namespace === 'string' ? meta.namespace : '',
          contributors: [...contributors],
        });
      }
    }
  }
  return { objects };
}

/**
 * The shadow of a rendered value: every node its own origin (a scalar at its value's, a mapping or list at its key's
 * line, or at the values key that printed it whole), what has none at its parent's. Each origin joins `contributors`.
 */
function shadowOf(doc: RenderedDocument, at: Path, value: unknown, path: Path, parent: Origin, places: RenderedPlaces, contributors: Set<Origin>): Shadow {
  const node = doc.nodes.get(pathKey([...at, ...path]));
  const own = node ? nodePlace(node, value, places) : null;
  if (own) contributors.add(own);
  const origin = own ?? parent;
  const shadow: Shadow = { o: origin };
  if (Array.isArray(value)) shadow.c = value.map((item, i) => shadowOf(doc, at, item, [...path, i], below(origin, i), places, contributors));
  else if (isRecord(value)) shadow.c = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shadowOf(doc, at, item, [...path, key], below(origin, key), places, contributors)]));
  return shadow;
}

function nodePlace(node: NodeOrigin, value: unknown, places: RenderedPlaces): Origin | null {
  const scalar = value === null || typeof value !== 'object';
  // Printed whole from one values key: that key, where a fix edits it (chart-fixes.ts anchors fixes the same way).
  if (node.wholeValue && node.value?.kind === 'values') {
    const key = places.valuesKey(node.value.file, node.value.path);
    if (key) return key;
  }
  const place = scalar ? (node.value ?? node.key) : (node.key ?? node.value);
  return place ? places.line(place.file, place.line) : null;
}

/** One `helmCharts` entry inflated: the objects it deploys, or why Warden cannot tell them exactly (and at which field). */
export async function inflateChart(r: InflateRequest): Promise<Inflated> {
  const { chart, index: i } = r;
  const folder = chartFolder(r.k, chart);
  if (folder === null) return typeof chart.name === 'string' && chart.name !== '' ? { refused: '`helmGlobals.chartHome` is not a path' } : { refused: 'it has no `name` (kustomize stops the build there)' };
  if (posix.isAbsolute(folder)) return { refused: `its chart is looked for at the absolute path \`${folder}\`, outside the repository` };
  const dir = normalize(posix.join(r.dir, folder));
  const chartYaml = await readChartYaml(dir, r.read);
  if (chartYaml === null) {
    return typeof chart.repo === 'string' && chart.repo !== ''
      ? { refused: `no chart is at \`${dir}\`, so kustomize pulls it from \`${chart.repo}\` (Warden fetches nothing)`, field: 'repo' }
      : { refused: `no chart is at \`${dir}\` and it names no \`repo\` to pull it from (kustomize stops the build there)` };
  }
  const refused = entryRefused(chart);
  if (refused) return { refused: refused.why, field: refused.field };
  if (chart.version !== undefined && chart.version !== null && chart.version !== '' && String(chartVersion(chartYaml)) !== String(chart.version)) {
    return { refused: `its \`version\` ${String(chart.version)} is not the version \`${dir}\` holds (${String(chartVersion(chartYaml) ?? 'none')}): kustomize renders the chart it finds there, which may not be the one meant`, field: 'version' };
  }
  const below = (folder: string) => r.paths.filter((path) => path.startsWith(`${folder}/`));
  const listed = below(dir);
  const all = [...listed, ...(await localDependencyFiles(dir, listed, r.read, async (folder) => below(folder)))];
  if (all.length > MAX_CHART_FILES) return { refused: `the chart holds ${all.length} files, over the ${MAX_CHART_FILES} Warden reads of one chart` };
  const archive = all.find((path) => /\.tgz$/.test(path));
  if (archive) return { refused: `the chart holds the archive \`${archive}\`, which Warden does not unpack for \`helmCharts\`` };
  const files = new Map<string, string>();
  const texts = await Promise.all(all.map((path) => r.read(path)));
  // A file of the chart that is listed and not read (binary, too large): what the chart renders without it is not
  // known when Helm parses it, or once a template reads `.Files` (it may read any), as for a chart's own render
  // (src/render/charts.ts chartTexts).
  const rels = all.map((path) => chartRelative(dir, path));
  const readsFiles = templatesReadFiles(rels, texts);
  const unread = all.find((_, j) => texts[j] === null && (readsFiles || parsedByHelm(rels[j]!)));
  if (unread) return { refused: `\`${unread}\` of its chart is not read, and what the chart renders depends on it` };
  all.forEach((path, j) => {
    if (texts[j] === null) return;
    files.set(chartRelative(dir, path), texts[j]!);
    r.reads(path);
  });
  const crds = [...files.keys()].filter((rel) => /^(.+\/)?crds\/.+\.(ya?ml|json)$/i.test(rel));
  if (chart.includeCRDs === true && crds.some((rel) => !rel.startsWith('crds/'))) return { refused: 'it includes the CRDs of the chart\'s subcharts (`includeCRDs`), which Warden does not gather', field: 'includeCRDs' };

  // The values files, chart-relative, in the order Helm reads them (said above).
  const valuesFile = async (entry: unknown, field: string): Promise<string | { refused: string; field: string }> => {
    if (typeof entry !== 'string' || entry.trim() === '') return { refused: `its \`${field}\` names no file`, field };
    if (isRemote(entry) || /^https?:\/\//i.test(entry)) return { refused: `its \`${field}\` \`${entry}\` is not fetched (Warden fetches nothing)`, field };
    const file = normalize(posix.join(r.dir, entry));
    if (posix.isAbsolute(entry) || !insideFolder(file, r.dir)) return { refused: `its \`${field}\` \`${entry}\` is outside the kustomization's folder: kustomize refuses it by default (its load restrictor)`, field };
    const text = await r.read(file);
    if (text === null) return { refused: `its \`${field}\` \`${file}\` cannot be read (kustomize stops the build there)`, field };
    r.reads(file);
    files.set(chartRelative(dir, file), text);
    return chartRelative(dir, file);
  };
  const inline = hasInlineValues(chart);
  const mode = typeof chart.valuesMerge === 'string' ? chart.valuesMerge : 'override';
  const order: string[] = [];
  let base: string | null = null;
  if (!inline || mode !== 'replace') {
    if (chart.valuesFile !== undefined && chart.valuesFile !== null && chart.valuesFile !== '') {
      const read = await valuesFile(chart.valuesFile, 'valuesFile');
      if (typeof read !== 'string') return read;
      base = read;
    } else {
      // kustomize reads the chart's values.yaml as the values file, through its load restrictor.
      if (!files.has('values.yaml')) return { refused: `the chart has no \`values.yaml\`, which kustomize reads when no \`valuesFile\` is given (it stops the build there)` };
      if (!insideFolder(dir, r.dir)) return { refused: `the chart's \`values.yaml\` is outside the kustomization's folder: kustomize refuses to read it by default (its load restrictor)` };
      base = 'values.yaml';
    }
  }
  if (inline) {
    const text = inlineValuesText(r.text, { path: ['helmCharts', i, 'valuesInline'], form: 'block' });
    if (text === null) return { refused: 'its `valuesInline` is not written as a block mapping Warden reads line by line (flow style, anchors)', field: 'valuesInline' };
    if (base !== null) {
      const differs = inlineMergeDiffers(readYamlDocuments(files.get(base)!).values[0] ?? {}, chart.valuesInline);
      if (differs) return { refused: `kustomize merges its \`valuesInline\` into \`${chartFile(dir, base)}\` otherwise than Helm reads two values files (${differs})`, field: 'valuesInline' };
    }
    const rel = aliased(chartRelative(dir, r.file), `helmCharts[${i}]`);
    files.set(rel, text);
    // `override` (the default): the inline values over the file's; `merge`: the file's over them; `replace`: alone.
    order.push(...(base === null ? [rel] : mode === 'merge' ? [rel, base] : [base, rel]));
  } else if (base !== null) order.push(base);
  for (const [j, entry] of listOf(chart.additionalValuesFiles).entries()) {
    const read = await valuesFile(entry, `additionalValuesFiles[${j}]`);
    if (typeof read !== 'string') return { ...read, field: 'additionalValuesFiles' };
    order.push(read);
  }

  const namespace = typeof chart.namespace === 'string' && chart.namespace !== '' ? chart.namespace : undefined;
  const render = renderChart({ dir, files }, { valuesFiles: order, releaseName: chart.releaseName as string, ...(namespace ? { releaseNamespace: namespace } : {}) });
  const failed = renderRefused(render);
  if (failed) return { refused: failed };
  const byPath = new Map([...files].map(([rel, text]) => [chartFile(dir, rel), text]));
  byPath.set(r.file, r.text);
  const places = renderedPlaces(r.sources, byPath);
  // Every file of the chart and every values file builds each object: a change to any (a helper, Chart.yaml, a
  // template that now prints nothing) may change what the chart deploys.
  const common = [r.entry, ...[...byPath.keys()].filter((file) => file !== r.file).map((file) => places.whole(file))];
  const rendered = renderedObjects(render, places, common);
  if ('refused' in rendered) return rendered;
  // `helm template --include-crds` prints the chart's `crds/` files, as written, before its templates.
  const definitions = chart.includeCRDs === true ? crds.sort().flatMap((rel) => r.manifest(chartFile(dir, rel), files.get(rel)!)) : [];
  for (const object of definitions) object.contributors.push(...common);
  return { objects: [...definitions, ...rendered.objects] };
}

/** Where a rendered chart's values are reported: `texts` by repository path. */
function renderedPlaces(sources: Sources, texts: ReadonlyMap<string, string>): RenderedPlaces {
  const lines = new Map<string, Origin>();
  const keys = new Map<string, number>();
  const data = (file: string) => sources.addData(file, texts.get(file) ?? '');
  return {
    // The kustomization's inline values are lines of it, never a values file a fix writes.
    valuesKey: (file, path) => {
      const text = texts.get(file);
      if (text === undefined || isKustomizationFile(file)) return null;
      let source = keys.get(file);
      if (source === undefined) keys.set(file, (source = sources.add(file, text, sources.documents(file, text), 0)));
      return { source, path };
    },
    line: (file, line) => {
      const key = `${file}\0${line}`;
      let origin = lines.get(key);
      if (!origin) lines.set(key, (origin = { source: data(file), path: [line - 1] }));
      return origin;
    },
    whole: (file) => {
      const key = `${file}\0`;
      let origin = lines.get(key);
      if (!origin) lines.set(key, (origin = { source: data(file), path: [] }));
      return origin;
    },
  };
}
