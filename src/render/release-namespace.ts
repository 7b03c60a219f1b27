// Where a chart's objects land: one that names no namespace, or the one `helm template` renders for the release, is
// in the release's namespace, chosen at install; a GitOps source that installs the chart places it in its own (an
// Argo CD destination, a Flux HelmRelease's target).
import type { Resource } from '../model.js';
import { getIn, isRecord } from '../common/path.js';
import { CLUSTER_SCOPED_KINDS } from '../common/cluster-scoped.js';
import { RELEASE } from './helm.js';

/** Whether the object names the release's namespace: none, or the one Warden renders for the release. */
export function namesReleaseNamespace(resource: Pick<Resource, 'body'>): boolean {
  const namespace = getIn(resource.body, ['metadata', 'namespace']);
  return namespace === undefined || namespace === null || namespace === '' || namespace === RELEASE.Namespace;
}

/** Whether the release's namespace places the object: it names that one, and its kind has a namespace. */
export function landsInRelease(resource: Pick<Resource, 'kind' | 'body'>): boolean {
  return !CLUSTER_SCOPED_KINDS.has(resource.kind) && namesReleaseNamespace(resource);
}

/** The object placed in `namespace`, as an install places it (its id kept: the caller names it anew where it must). */
export function placedIn<T extends Pick<Resource, 'body' | 'namespace'>>(resource: T, namespace: string): T {
  const metadata = isRecord(resource.body.metadata) ? resource.body.metadata : {};
  return { ...resource, namespace, body: { ...resource.body, metadata: { ...metadata, namespace } } };
}
