// The values files GitOps installs this repository's charts with. An Argo CD Application (or an ApplicationSet, once
// per element of its list generators) whose Helm source is a folder of this repository and whose only values are
// files of it (`helm.valueFiles`: from the source's folder, or `$ref/…` from the root of a `ref` source of this
// repository; and over them one `values` text or `valuesObject` it sets itself, and `parameters` over those, read
// where they are written, an ApplicationSet's filled in per Application: src/render/inline-values.ts) installs that
// folder's chart with them (src/common/argo.ts argoSourceInstalls; Argo CD's build variables put in): the
// chart is rendered with those files as Argo CD renders it (src/render/charts.ts), so a change to one is reviewed
// there rather than failing closed. An Application with no values of its own is listed too: Argo CD's overrides in
// the chart's folder may set parameters for it (src/render/argo-overrides.ts). A source that sets values another way
// (`fileParameters`, parameters Warden does not read) renders what Warden would not: not followed, so its values
// files stay not reviewed (src/unread-deployed.ts).
// Whether the folder holds a chart is learned where charts are read; an install of a folder that holds none is
// never used.
import { posix } from 'node:path';
import { argoDestinationNamespace, argoFolder, argoSourceInstalls, inClusterDestination, deploysFolderAsWritten, fluxChartInstall, gitRepositoryUrl, helmReleaseName, type ArgoChartInstall, type InlineForm } from '../common/argo.js';
import { chartRelative } from './chart-file.js';
import type { InlineValuesAt } from './inline-values.js';
import { escapeRegExp } from '../common/reg-exp.js';
import { isRecord } from '../common/path.js';
import { KUSTOMIZATION_FILE_NAMES } from '../formats/kustomization-file.js';
import { deployedNamespaces, placingObjects } from '../engine/kustomize.js';

/**
 * Values an Argo CD source sets itself, over its values files: in which file (as the reviewed files name it), where;
 * and, when an ApplicationSet's template sets them, filled in for one of its Applications, a name of their own among
 * the chart's files (src/render/chart-file.ts aliased).
 */
export type InlineValues = InlineValuesAt & { file: string; alias?: string };

/** A release of a chart as a GitOps source installs it: in which namespace, by which name (`.Release.Name`). */
export interface Release {
  namespace: string;
  name: string;
}

/** How a chart is installed: its values files (chart-relative, merged over values.yaml in order), and by what. */
export interface ChartInstall {
  values: string[];
  by: string;
  /** Its values files that are not there are left out, as Argo CD's `ignoreMissingValueFiles` does. */
  ignoreMissing?: true;
  /** Values the source sets itself, rendered over its files (src/render/inline-values.ts). */
  inline?: InlineValues;
  /** Helm parameters it sets over them (`inline` a text or an object), rendered last. */
  parameters?: InlineValues;
  /** Its values files are read in place of the chart's values.yaml (a Flux HelmRelease's `valuesFiles`). */
  withoutDefaults?: true;
  /** The Application it is named for, when Argo CD's overrides kept in the chart's folder apply to it (argoOverrides). */
  argo?: string;
  /** Its releases, where its sources say their namespaces (the same values in several: one install). */
  releases?: Release[];
  /**
   * Its release may not run in the cluster the repository's other objects are deployed to (another cluster's Argo CD
   * destination, a suspended Flux HelmRelease, one through a `kubeConfig`): reviewed, but protecting nothing there.
   */
  mayNotRunHere?: true;
  /**
   * By a source that names no type (no Helm settings): Argo CD renders the folder with Helm only if it holds no
   * kustomization (KUSTOMIZATION_FILE_NAMES; it prefers Kustomize), which is learned where the chart's files are read.
   */
  detected?: true;
}

/** Whether an install is one Argo CD makes of a chart's folder whose top-level files are `files` (chart-relative). */
export function installedAsChart(install: Pick<ChartInstall, 'detected'>, files: Iterable<string>): boolean {
  if (!install.detected) return true;
  for (const rel of files) if (KUSTOMIZATION_FILE_NAMES.includes(rel)) return false;
  return true;
}

/** An install's releases with another's added (the same install, in another namespace or by another name too). */
export function withReleasesOf<T extends { releases?: Release[] }>(install: T, other: { releases?: readonly Release[] }): T {
  const releases = [...(install.releases ?? [])];
  for (const release of other.releases ?? []) if (!releases.some((known) => known.namespace === release.namespace && known.name === release.name)) releases.push(release);
  return releases.length > 0 ? { ...install, releases } : install;
}

/** The release of an install that says its namespace (and so its name, argoChartInstall): one, or none. */
export function releasesOf(install: { namespace?: string; releaseName?: string }): { releases?: Release[] } {
  return install.namespace !== undefined && install.releaseName !== undefined ? { releases: [{ namespace: install.namespace, name: install.releaseName }] } : {};
}

/**
 * The Argo CD parameter overrides kept in a folder of an Application's source (`.argocd-source.yaml`, and
 * `.argocd-source-<application>.yaml`; any Application's: `*`) among `files` (the folder's, relative to it): Argo CD
 * merges them into the source (src/render/argo-overrides.ts); null when there is none. Argo CD reads no `.yml` one.
 */
export function argoOverrides(files: Iterable<string>, application: string): string | null {
  const own = application === '*' ? /^\.argocd-source(-[^/]+)?\.yaml$/ : new RegExp(`^\\.argocd-source(-${escapeRegExp(application)})?\\.yaml$`);
  for (const rel of files) if (own.test(rel)) return rel;
  return null;
}

/** A chart of this repository an Argo CD source installs anew (added, or pointed at it, or with other values files). */
export interface ChartDeployment {
  /** The file and line of the source. */
  file: string;
  line: number;
  /** The chart's folder, and its values files (repository paths, in order; none: values.yaml alone). */
  folder: string;
  values: string[];
  /** The values files it installed the same chart with before the change; null: it did not install this chart. */
  before: string[] | null;
  /** Which source, for notes: `Application \`serving\` in \`apps/serving.yaml\``. */
  by: string;
  /** Its values files that are not there are left out, as Argo CD's `ignoreMissingValueFiles` does. */
  ignoreMissing?: true;
  /**
   * Values the source sets itself, now and before the change: in which file, and read as a values file there
   * (src/render/inline-values.ts; null when they cannot be read so).
   */
  inline?: { file: string; text: string | null; form: InlineForm };
  inlineBefore?: { file: string; text: string | null; form: InlineForm };
  /** Helm parameters it sets over `inline` (a text or an object), now and before, read so too. */
  parameters?: { file: string; text: string | null; form: InlineForm };
  parametersBefore?: { file: string; text: string | null; form: InlineForm };
  /** Its values files are read in place of the chart's values.yaml (a Flux HelmRelease's), now and before. */
  withoutDefaults?: true;
  beforeWithoutDefaults?: true;
  /** The Application it is named for, when Argo CD's overrides kept in the chart's folder apply to it (argoOverrides). */
  argo?: string;
  /** Its releases, where its source says their namespaces. */
  releases?: Release[];
}

/** An Application or ApplicationSet as the repository index holds it. */
interface GitOpsObject {
  kind: string;
  apiVersion?: string;
  name: string;
  namespace?: string | null;
  file: string;
  body: Record<string, unknown>;
}

/**
 * By chart folder (as the reviewed files name it: below `root`), each install by an Argo CD source of this
 * repository that names values files (argoSourceInstalls), in the order of the objects given.
 */
export function gitOpsChartInstalls(
  objects: readonly GitOpsObject[],
  repository: { isThisRepository: (url: string) => boolean; root: string; /** Its whole listing: an ApplicationSet's git directory generators are followed. */ listed?: readonly string[] },
): Map<string, ChartInstall[]> {
  const context = repository.listed ? { listed: repository.listed, isThisRepository: repository.isThisRepository } : undefined;
  const installs = new Map<string, ChartInstall[]>();
  const add = (chart: string, install: ChartInstall) => {
    const list = installs.get(chart) ?? [];
    // The same files by another Application are another install: overrides in the chart's folder may be for one only.
    // In another namespace (or by another name), the same install there too.
    const same = install.inline ? -1 : list.findIndex((known) => !known.inline && known.argo === install.argo && known.detected === install.detected && known.mayNotRunHere === install.mayNotRunHere && known.withoutDefaults === install.withoutDefaults && sameValues(known.values, install.values));
    if (same < 0) list.push(install);
    else list[same] = withReleasesOf(list[same]!, install);
    installs.set(chart, list);
  };
  const gitRepositories = objects.filter((o) => o.kind === 'GitRepository');
  let placing: readonly GitOpsObject[] | undefined;
  for (const object of objects) {
    if (object.kind === 'HelmRelease' && String(object.apiVersion ?? '').startsWith('helm.toolkit.fluxcd.io/')) {
      // The HelmRelease is in the namespaces it is deployed in (a kustomization's, a Flux Kustomization's
      // `targetNamespace`, over its own): its release is installed there unless it names a `targetNamespace`.
      placing ??= placingObjects(objects.filter((o) => o.kind === 'Kustomization'), objects.filter((o) => ['Application', 'ApplicationSet', 'GitRepository'].includes(o.kind)), repository);
      const own = typeof object.namespace === 'string' && object.namespace !== '' ? object.namespace : null;
      const deployed = deployedNamespaces(object.file, own, placing);
      for (const namespace of deployed.length > 0 ? deployed : [null]) {
        // A chart of a GitRepository of this repository, found among the objects (else not known to be this one).
        const install = fluxChartInstall({ ...object, namespace });
        const url = install && gitRepositoryUrl(install.source, gitRepositories);
        if (!install || url === null || !repository.isThisRepository(url)) continue;
        add(posix.normalize(posix.join(repository.root, install.folder)), {
          values: install.values.map((file) => chartRelative(install.folder, file)),
          by: `HelmRelease \`${object.name}\` in \`${object.file}\``,
          ...(install.values.length > 0 ? { withoutDefaults: true as const } : {}),
          ...(install.inline ? { inline: { file: object.file, kind: object.kind, name: object.name, path: ['spec', 'values'], form: 'block' } } : {}),
          ...releasesOf(install),
          ...(install.mayNotRunHere ? { mayNotRunHere: true as const } : {}),
        });
      }
      continue;
    }
    if ((object.kind !== 'Application' && object.kind !== 'ApplicationSet') || !String(object.apiVersion ?? '').startsWith('argoproj.io/')) continue;
    const destination = argoDestinationNamespace(object.kind, object.body);
    for (const { path, source, installs: found } of argoSourceInstalls(object.kind, object.body, context)) {
      // An Application's folder source without Helm settings installs the folder's chart, if it holds one, with
      // values.yaml: listed for the overrides that may be in the folder for it.
      const folder = object.kind === 'Application' && found === null && deploysFolderAsWritten(source) && source.directory === undefined && source.kustomize === undefined && typeof source.path === 'string' ? argoFolder(source.path) : null;
      const elsewhere = !inClusterDestination(isRecord(object.body.spec) ? object.body.spec.destination : undefined);
      // Its release named for the Application, as Argo CD names it: one Helm does not take renders nothing.
      const releaseName = helmReleaseName(object.name);
      const bare: ArgoChartInstall[] = folder === null || (releaseName === null && destination !== null) ? [] : [{ repoURL: String(source.repoURL ?? ''), folder, values: [], ...(destination !== null ? { namespace: destination } : {}), ...(releaseName !== null ? { releaseName } : {}), ...(elsewhere ? { mayNotRunHere: true as const } : {}) }];
      for (const [index, install] of (found ?? bare).entries()) {
        // values.yaml alone is how every chart is rendered already; but Argo CD's overrides in the chart's folder may
        // set parameters for an Application (src/render/argo-overrides.ts, when the chart is read).
        if (!repository.isThisRepository(install.repoURL) || (install.values.length === 0 && !install.inline && object.kind !== 'Application')) continue;
        // Values the source sets itself, where they are written, filled in and with the build variables it was read with.
        const alias = `${object.name}#${path.join('.')}#${index}`;
        const setHere = (key: string, form: InlineForm, named?: string): InlineValues => ({
          file: object.file,
          kind: object.kind,
          name: object.name,
          path: [...path, 'helm', key],
          form,
          ...(install.filledBy ? { fill: install.filledBy } : {}),
          ...(install.environment ? { environment: install.environment } : {}),
          ...(named ? { alias: named } : {}),
        });
        add(posix.normalize(posix.join(repository.root, install.folder)), {
          values: install.values.map((file) => chartRelative(install.folder, file)),
          by: `${object.kind} \`${object.name}\` in \`${object.file}\``,
          // An ApplicationSet's Applications are named by its template: filled in, or any override file may be theirs.
          argo: object.kind === 'Application' ? object.name : (install.application ?? '*'),
          ...(install.ignoreMissing ? { ignoreMissing: true as const } : {}),
          ...(install.inline ? { inline: setHere(install.inline.key, install.inline.form, install.filledBy ? alias : undefined) } : {}),
          // Under a name of their own among the chart's files: the same file holds the values they are set over.
          ...(install.parameters ? { parameters: setHere('parameters', 'parameters', `${alias}#parameters`) } : {}),
          ...releasesOf(install),
          ...(found === null ? { detected: true as const } : {}),
          ...(install.mayNotRunHere ? { mayNotRunHere: true as const } : {}),
        });
      }
    }
  }
  return installs;
}

const sameValues = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((file, i) => file === b[i]);
