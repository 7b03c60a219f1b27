// A chart's local dependencies (`repository: file://../common` in Chart.yaml) that are not unpacked under its
// `charts/`: `helm dependency build` copies them there before an install, so they are rendered with the chart and its
// values. Their files are read from their folders here (on the main thread, without the renderer) and handed to the
// renderer by their path relative to the chart (`../common/templates/pod.yaml`), which names them where they are.
import { posix } from 'node:path';
import { parse } from 'yaml';
import { readChartYaml } from './chart-file.js';

/** Local dependency folders followed per chart, at most (each may have its own). */
export const MAX_LOCAL_DEPENDENCIES = 10;

/** The `file://` dependencies parsed chart metadata lists: name, and folder as written (relative to the chart's). */
export function fileDependencies(metadata: unknown): { name: string; path: string }[] {
  const deps = metadata && typeof metadata === 'object' && Array.isArray((metadata as { dependencies?: unknown }).dependencies) ? (metadata as { dependencies: unknown[] }).dependencies : [];
  return deps.flatMap((dep) => {
    const { name, repository } = (dep ?? {}) as { name?: unknown; repository?: unknown };
    if (typeof name !== 'string' || typeof repository !== 'string' || !repository.startsWith('file://')) return [];
    return [{ name, path: repository.slice('file://'.length) }];
  });
}

/** The `file://` dependencies a Chart.yaml lists: name and folder (repository path), from the chart's folder. */
function localDependencies(chartDir: string, chartYaml: string): { name: string; dir: string }[] {
  let metadata: unknown;
  try {
    metadata = parse(chartYaml, { version: '1.1' });
  } catch {
    return [];
  }
  return fileDependencies(metadata).map(({ name, path }) => ({ name, dir: posix.normalize(posix.join(chartDir, path)) }));
}

/**
 * The files (repository paths) of the local dependencies of the chart at `root` and of theirs, outside the chart's
 * folder and not unpacked under the `charts/` of the chart that lists them. `files`: the chart's own files.
 */
export async function localDependencyFiles(
  root: string,
  files: readonly string[],
  read: (path: string) => Promise<string | null>,
  list: (dir: string) => Promise<string[]>,
): Promise<string[]> {
  const inside = (path: string, dir: string) => dir === '.' || path === dir || path.startsWith(`${dir}/`);
  const known = new Set(files);
  const found: string[] = [];
  const seen = new Set([root]);
  const queue = [root];
  while (queue.length > 0 && seen.size <= MAX_LOCAL_DEPENDENCIES) {
    const chartDir = queue.shift()!;
    const prefix = chartDir === '.' ? '' : `${chartDir}/`;
    const chartYaml = await readChartYaml(chartDir, read);
    if (chartYaml === null) continue;
    for (const { name, dir } of localDependencies(chartDir, chartYaml)) {
      if (seen.has(dir) || inside(dir, root) || dir.startsWith('..') || known.has(`${prefix}charts/${name}/Chart.yaml`)) continue;
      seen.add(dir);
      const below = (await list(dir)).filter((path) => !known.has(path));
      for (const path of below) known.add(path);
      found.push(...below);
      queue.push(dir);
    }
  }
  return found;
}

/**
 * The folders of the charts (among `chartFiles`, the repository's Chart.yaml paths) that list one of `dirs` as a
 * local dependency, directly or through another: a change in a dependency's folder changes what they deploy too.
 */
export async function dependentCharts(dirs: readonly string[], chartFiles: readonly string[], read: (path: string) => Promise<string | null>): Promise<string[]> {
  const texts = await Promise.all(chartFiles.map(read));
  const dependsOn = chartFiles.map((path, i) => ({ dir: posix.dirname(path), deps: texts[i] === null ? [] : localDependencies(posix.dirname(path), texts[i]!).map((d) => d.dir) }));
  const reached = new Set(dirs);
  const found: string[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const { dir, deps } of dependsOn) {
      if (reached.has(dir) || !deps.some((d) => reached.has(d))) continue;
      reached.add(dir);
      found.push(dir);
      grew = true;
    }
  }
  return found;
}
