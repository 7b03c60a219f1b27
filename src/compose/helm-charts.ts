// Kustomize's `helmCharts:` (`kustomize build --enable-helm`) for a chart that is already in the repository: kustomize
// looks for it at `<chartHome>/<name>` (with `repo` and `version`, `<chartHome>/<name>-<version>/<name>`) and pulls it
// only when that folder is not there. Such a chart is rendered by Warden's own Helm renderer (src/render/helm.ts) as
// kustomize runs `helm template <releaseName> <chart> --namespace <namespace> -f <values> -f <additional values>`,
// and its objects join the kustomization's resources, each value keeping the line a person edits: the template line,
// or the values key. Whatever Warden cannot follow exactly is refused here, with why (the entry is then not composed).
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import rfdc from 'rfdc';
import { isRecord } from '../common/path.js';
import { deployedObjects } from '../formats/listed-objects.js';
import type { Path } from '../model.js';
import type { ChartRender } from '../render/helm.js';
import type { Origin as RenderOrigin } from '../render/gotemplate/index.js';
import { lineOrigins, pathKey, traceDocuments, type NodeOrigin, type RenderedDocument } from '../render/provenance.js';
import type { ComposedObject } from './kustomize.js';
import { below, type Origin, type Shadow } from './provenance.js';

/** The chart home of a kustomization (`helmGlobals.chartHome`, `charts` by default), relative to its folder. */
export function chartHome(k: Record<string, unknown>): unknown {
  return isRecord(k.helmGlobals) && k.helmGlobals.chartHome !== undefined && k.helmGlobals.chartHome !== '' ? k.helmGlobals.chartHome : 'charts';
}

/**
 * The folder kustomize reads an entry's chart from, relative to the kustomization's folder (its `absChartHome`): with
 * both `repo` and `version`, the chart is pulled to (and looked for in) a folder of that version. Null for an entry
 * without a name, or a chart home that is not a path.
 */
export function chartFolder(k: Record<string, unknown>, chart: Record<string, unknown>): string | null {
  const home = chartHome(k);
  if (typeof home !== 'string' || typeof chart.name !== 'string' || chart.name === '') return null;
  const versioned = typeof chart.repo === 'string' && chart.repo !== '' && typeof chart.version === 'string' && chart.version !== '';
  return versioned ? posix.join(home, `${chart.name}-${chart.version as string}`, chart.name) : posix.join(home, chart.name);
}

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
export function entryRefused(chart: Record<string, unknown>): { why: string; field: string } | null {
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
export function hasInlineValues(chart: Record<string, unknown>): boolean {
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
export function chartVersion(chartYaml: string): unknown {
  try {
    const parsed: unknown = parseYaml(chartYaml, { version: '1.1' });
    return isRecord(parsed) ? parsed.version : undefined;
  } catch {
    return undefined;
  }
}

/** Why a render cannot stand for what `helm template` prints: a template not rendered, a dependency not there. */
export function renderRefused(render: ChartRender): string | null {
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
export interface RenderedPlaces {
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
export function renderedObjects(render: ChartRender, places: RenderedPlaces, common: readonly Origin[]): { objects: ComposedObject[] } | { refused: string } {
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
