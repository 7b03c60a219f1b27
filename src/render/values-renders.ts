// Which values files a chart is rendered with, for its review and for the repository index.
import type { Config } from '../config.js';
import { withReleasesOf, type ChartInstall, type Release } from './gitops-installs.js';

/** Other values files of one chart rendered each over its values.yaml, at most (each is a render and review); as many installs. */
export const MAX_VALUES_RENDERS = 5;

/** One render of a chart: its values files over its values.yaml, or in its place (a Flux HelmRelease's `valuesFiles`). */
export interface ValuesRender {
  values: string[];
  withoutDefaults?: true;
  /** The releases GitOps installs it as (src/render/chart-review.ts judges each as rendered for it). */
  releases?: Release[];
}

/**
 * The values files a chart is rendered with, each list one render: those config names (`helm.charts`), else the
 * chart's values.yaml alone and then each other values file at its root over it (`values-prod.yaml`, as
 * `helm install -f` would install it), so what such a file sets is reviewed too; then the values files each GitOps
 * source installs it with (src/render/gitops-installs.ts), a render not already made, those with a file the change
 * touches (`changed`, chart-relative) first. Past MAX_VALUES_RENDERS of either, `skipped`: the values files of no
 * render, for a note.
 */
export function valuesRenders(root: string, files: readonly string[], config: Config, installs: readonly ChartInstall[] = [], changed: ReadonlySet<string> = new Set()): { renders: ValuesRender[]; skipped: string[] } {
  const configured = config.helm.charts[root]?.values;
  const others = configured ? [] : files.filter((rel) => /^values[^/]*\.ya?ml$/i.test(rel) && !/^values\.ya?ml$/i.test(rel)).sort();
  const renders: ValuesRender[] = configured ? [{ values: configured }] : [{ values: [] }, ...others.slice(0, MAX_VALUES_RENDERS).map((rel) => ({ values: [rel] }))];
  const sameAs = (install: ValuesRender) => (render: ValuesRender) => render.withoutDefaults === install.withoutDefaults && render.values.length === install.values.length && render.values.every((rel, i) => rel === install.values[i]);
  const touches = (install: ChartInstall) => install.values.some((rel) => changed.has(rel));
  // A file an install may leave out when it is not there (`ignoreMissingValueFiles`) is left out.
  const present = new Set(files);
  const installed: ChartInstall[] = [];
  for (const listed of installs) {
    const install = listed.ignoreMissing ? { ...listed, values: listed.values.filter((rel) => present.has(rel)) } : listed;
    // An install of a render already made: that render, as the install's releases too.
    const made = renders.findIndex(sameAs(install));
    if (made >= 0) renders[made] = withReleasesOf(renders[made]!, install);
    else installed.push(install);
  }
  installed.sort((a, b) => Number(touches(b)) - Number(touches(a)));
  renders.push(...installed.slice(0, MAX_VALUES_RENDERS).map((install) => ({ values: install.values, ...(install.withoutDefaults ? { withoutDefaults: true as const } : {}), ...(install.releases ? { releases: install.releases } : {}) })));
  const rendered = new Set(renders.flatMap((render) => render.values));
  const skipped = [...others.slice(MAX_VALUES_RENDERS), ...installed.slice(MAX_VALUES_RENDERS).flatMap((install) => install.values)].filter((rel) => !rendered.has(rel));
  return { renders, skipped: [...new Set(skipped)] };
}
