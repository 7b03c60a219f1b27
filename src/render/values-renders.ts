// Which values files a chart is rendered with, for its review and for the repository index.
import type { Config } from '../config.js';

/** Other values files of one chart rendered each over its values.yaml, at most (each is a render and review). */
export const MAX_VALUES_RENDERS = 5;

/**
 * The values files a chart is rendered with, each list one render: those config names (`helm.charts`), else the
 * chart's values.yaml alone and then each other values file at its root over it (`values-prod.yaml`, as
 * `helm install -f` would install it), so what such a file sets is reviewed too. Past MAX_VALUES_RENDERS, a note.
 */
export function valuesRenders(root: string, files: readonly string[], config: Config): { renders: string[][]; skipped: string[] } {
  const configured = config.helm.charts[root]?.values;
  if (configured) return { renders: [configured], skipped: [] };
  const others = files.filter((rel) => /^values[^/]*\.ya?ml$/i.test(rel) && !/^values\.ya?ml$/i.test(rel)).sort();
  return { renders: [[], ...others.slice(0, MAX_VALUES_RENDERS).map((rel) => [rel])], skipped: others.slice(MAX_VALUES_RENDERS) };
}
