// How a chart's files are named: by chart-relative path inside the renderer, by repository path in findings. The
// main thread names them too (src/render/charts.ts), without loading the renderer.
import { posix } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';

/**
 * A chart file's repository path, from the chart's folder and its chart-relative path (a values file config names may
 * be outside the folder; one under another name, `aliased`, is the file it is read from).
 */
export function chartFile(dir: string, rel: string): string {
  const named = rel.includes(ALIAS) ? rel.slice(0, rel.indexOf(ALIAS)) : rel;
  const path = dir === '' || dir === '.' ? named : `${dir.replace(/\/$/, '')}/${named}`;
  return named.startsWith('../') ? posix.normalize(path) : path;
}

/** No file's name holds it. */
const ALIAS = '\0';

/**
 * A values file of a chart's files under a name of its own, read from `rel`: one file may set values for several
 * Applications of an ApplicationSet (its template's values, filled in for each), and each is its own values file.
 */
export function aliased(rel: string, alias: string): string {
  return `${rel}${ALIAS}${alias}`;
}

/** The chart-relative path of a repository path (`../../envs/prod/values.yaml` for one outside the chart's folder). */
/** Whether a template among a chart's files (chart-relative, with their texts) reads `.Files`: then it may read any file. */
export function templatesReadFiles(rels: readonly string[], texts: readonly (string | null | undefined)[]): boolean {
  return rels.some((rel, i) => /(^|\/)templates\//.test(rel) && texts[i]?.includes('.Files') === true);
}

export function chartRelative(dir: string, file: string): string {
  return dir === '' || dir === '.' ? file : posix.relative(`/${dir}`, `/${file}`);
}

/**
 * The text of the chart metadata in a folder (`Chart.yaml`, else `Chart.yml`), or null when it holds no chart. A read
 * that fails rejects: taken for "no chart", it would have a chart's files reviewed as something else, or not at all.
 */
export async function readChartYaml(dir: string, read: (path: string) => Promise<string | null>): Promise<string | null> {
  const prefix = dir === '.' || dir === '' ? '' : `${dir}/`;
  const [yaml, yml] = await Promise.all([read(`${prefix}Chart.yaml`), read(`${prefix}Chart.yml`)]);
  return yaml ?? yml;
}

/** A dependency a chart's metadata lists: its index in `dependencies`, and the first and last lines of its entry. */
export interface ChartDependency {
  name: string;
  alias?: string;
  repository: string;
  index: number;
  lines: [number, number];
}

/** The dependencies a Chart.yaml text lists (entries without a name left out), as far as it parses. */
export function chartDependencies(chartYaml: string): ChartDependency[] {
  const counter = new LineCounter();
  const doc = parseDocument(chartYaml, { lineCounter: counter, version: '1.1', uniqueKeys: false });
  const list = doc.get('dependencies', true);
  if (!isSeq(list)) return [];
  return list.items.flatMap((item, index) => {
    const name = isMap(item) ? item.get('name') : undefined;
    const range = (item as Node | null)?.range;
    if (typeof name !== 'string' || !range) return [];
    const alias = (item as YAMLMap).get('alias');
    const repository = (item as YAMLMap).get('repository');
    const lines: [number, number] = [counter.linePos(range[0]).line, counter.linePos(Math.max(range[0], range[1] - 1)).line];
    return [{ name, ...(typeof alias === 'string' ? { alias } : {}), repository: typeof repository === 'string' ? repository : '', index, lines }];
  });
}

/** Files of one chart read at most: a chart is a few dozen files; more is a vendored tree, not reviewed whole. */
export const MAX_CHART_FILES = 2_000;
