// The values files GitOps installs this repository's charts with. An Argo CD Application (or an ApplicationSet
// written without templates) whose Helm source is a folder of this repository and whose only values are files of it
// (`helm.valueFiles`: from the source's folder, or `$ref/…` from the root of a `ref` source of this repository)
// installs that folder's chart with them: the chart is rendered with those files as Argo CD renders it
// (src/render/charts.ts), so a change to one is reviewed there rather than failing closed. A source that sets values
// another way (`values`, `valuesObject`, `parameters`, `fileParameters`) renders what Warden would not: not followed,
// so its values files stay not reviewed (src/unread-deployed.ts). Whether the folder holds a chart is learned where
// charts are read; an install of a folder that holds none is never used.
import { posix } from 'node:path';
import { argoFolder, argoSourcesOf } from '../common/argo.js';
import { isRecord } from '../common/path.js';
import { chartRelative } from './chart-file.js';

/** How a chart is installed: its values files (chart-relative, merged over values.yaml in order), and by what. */
export interface ChartInstall {
  values: string[];
  by: string;
}

/** Helm settings of a source that set values other than by files of the repository. */
const INLINE_VALUES = ['values', 'valuesObject', 'parameters', 'fileParameters'];

interface GitOpsObject {
  kind: string;
  apiVersion?: string;
  name: string;
  file: string;
  body: Record<string, unknown>;
}

/**
 * By chart folder (as the reviewed files name it: below `root`), each install by a GitOps source of this
 * repository that names values files, in the order of the objects given.
 */
export function gitOpsChartInstalls(objects: readonly GitOpsObject[], repository: { isThisRepository: (url: string) => boolean; root: string }): Map<string, ChartInstall[]> {
  const installs = new Map<string, ChartInstall[]>();
  for (const object of objects) {
    if ((object.kind !== 'Application' && object.kind !== 'ApplicationSet') || !String(object.apiVersion ?? '').startsWith('argoproj.io/')) continue;
    const sources = argoSourcesOf(object.kind, object.body).map(([, source]) => source);
    // Folders of the repository that `$name/…` names, by the `ref` of a source of this repository.
    const refs = new Map(sources.filter((s) => typeof s.ref === 'string' && repository.isThisRepository(String(s.repoURL ?? ''))).map((s) => [s.ref as string, '.']));
    for (const source of sources) {
      const helm = source.helm;
      if (!isRecord(helm) || !Array.isArray(helm.valueFiles) || helm.valueFiles.length === 0) continue;
      if (typeof source.path !== 'string' || source.chart !== undefined || !repository.isThisRepository(String(source.repoURL ?? ''))) continue;
      if (INLINE_VALUES.some((key) => helm[key] !== undefined)) continue;
      const folder = argoFolder(source.path);
      if (folder === null) continue;
      const files = helm.valueFiles.map((file) => valuesFile(file, folder, refs));
      if (files.some((file) => file === null)) continue;
      const chart = posix.normalize(posix.join(repository.root, folder));
      const values = (files as string[]).map((file) => chartRelative(folder, file));
      const list = installs.get(chart) ?? [];
      if (!list.some((install) => sameValues(install.values, values))) list.push({ values, by: `${object.kind} \`${object.name}\` in \`${object.file}\`` });
      installs.set(chart, list);
    }
  }
  return installs;
}

/** A listed values file as a path of the repository, or null: templated, remote, out of the repository, or of a `ref` not of it. */
function valuesFile(file: unknown, folder: string, refs: ReadonlyMap<string, string>): string | null {
  if (typeof file !== 'string' || file === '' || file.includes('{{') || /^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return null;
  let path: string;
  if (file.startsWith('$')) {
    const ref = /^\$([^/]+)\/(.+)$/.exec(file);
    if (!ref || !refs.has(ref[1]!)) return null;
    path = posix.normalize(ref[2]!);
  } else {
    path = posix.normalize(posix.join(folder, file));
  }
  return path === '..' || path.startsWith('../') || posix.isAbsolute(path) ? null : path;
}

const sameValues = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((file, i) => file === b[i]);
