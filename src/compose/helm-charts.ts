// Where kustomize looks for the chart of a `helmCharts` entry, and the hook that inflates one: Helm is rendered above
// composition (src/render/kustomize-charts.ts), and composition calls it for each entry.
import { posix } from 'node:path';
import { isRecord } from '../common/path.js';
import type { ComposedObject, ReadText } from './kustomize.js';
import type { Origin } from './provenance.js';
import type { Sources } from './sources.js';

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

/** One `helmCharts` entry of a kustomization, as composition hands it to the inflater. */
export interface InflateRequest {
  /** The kustomization, its folder, its parsed content and text, and the entry's index and content. */
  file: string;
  dir: string;
  k: Record<string, unknown>;
  text: string;
  index: number;
  chart: Record<string, unknown>;
  /** The entry in the kustomization, which builds every object the chart deploys. */
  entry: Origin;
  /** The repository's files: a chart's are those below its folder. */
  paths: readonly string[];
  /** Reads a file of the build (a read that fails rejects). */
  read: ReadText;
  /** Records a file the build read: a change to it builds the kustomization again. */
  reads: (path: string) => void;
  /** The build's table of documents, where the objects' origins point. */
  sources: Sources;
  /** A manifest's objects (a chart's `crds/` file), as a resource's are read. */
  manifest: (file: string, text: string) => ComposedObject[];
}

/** The objects an entry deploys, or why Warden cannot tell them exactly (and the entry's field that says it). */
export type Inflated = { objects: ComposedObject[] } | { refused: string; field?: string };

export type ChartInflater = (request: InflateRequest) => Promise<Inflated>;

/** How a build inflates `helmCharts`: the repository's files, and the inflater. */
export interface ChartInflation {
  paths: readonly string[];
  inflate: ChartInflater;
}
