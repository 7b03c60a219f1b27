// Which values files a chart is rendered with, for its review and for the repository index.
import type { Config } from '../config.js';
import type { ChartInstall } from './gitops-installs.js';

/** Other values files of one chart rendered each over its values.yaml, at most (each is a render and review); as many installs. */
export const MAX_VALUES_RENDERS = 5;

/**
 * The values files a chart is rendered with, each list one render: those config names (`helm.charts`), else the
 * chart's values.yaml alone and then each other values file at its root over it (`values-prod.yaml`, as
 * `helm install -f` would install it), so what such a file sets is reviewed too; then the values files each GitOps
 * source installs it with (src/render/gitops-installs.ts), a render not already made, those with a file the change
 * touches (`changed`, chart-relative) first. Past MAX_VALUES_RENDERS of either, `skipped`: the values files of no
 * render, for a note.
 */
export function valuesRenders(root: string, files: readonly string[], config: Config, installs: readonly ChartInstall[] = [], changed: ReadonlySet<string> = new Set()): { renders: string[][]; skipped: string[] } {
  const configured = config.helm.charts[root]?.values;
  const others = configured ? [] : files.filter((rel) => /^values[^/]*\.ya?ml$/i.test(rel) && !/^values\.ya?ml$/i.test(rel)).sort();
  const renders = configured ? [configured] : [[], ...others.slice(0, MAX_VALUES_RENDERS).map((rel) => [rel])];
  const made = (values: readonly string[]) => renders.some((render) => render.length === values.length && render.every((rel, i) => rel === values[i]));
  const touches = (install: ChartInstall) => install.values.some((rel) => changed.has(rel));
  // A file an install may leave out when it is not there (`ignoreMissingValueFiles`) is left out.
  const present = new Set(files);
  const installed = installs
    .map((install) => (install.ignoreMissing ? { ...install, values: install.values.filter((rel) => present.has(rel)) } : install))
    .filter((install) => !made(install.values))
    .sort((a, b) => Number(touches(b)) - Number(touches(a)));
  renders.push(...installed.slice(0, MAX_VALUES_RENDERS).map((install) => install.values));
  const rendered = new Set(renders.flat());
  const skipped = [...others.slice(MAX_VALUES_RENDERS), ...installed.slice(MAX_VALUES_RENDERS).flatMap((install) => install.values)].filter((rel) => !rendered.has(rel));
  return { renders, skipped: [...new Set(skipped)] };
}
