// Where a chart's objects land: one that names no namespace, or the one `helm template` renders for the release, is
// in the release's namespace, chosen at install; a GitOps source that installs the chart places it in its own (an
// Argo CD destination, a Flux HelmRelease's target), for which the chart is rendered with that namespace as the
// release's (as Argo CD and Flux render it), so an object a template places by name lands where it names.
import type { Resource } from '../model.js';
import { getIn, isRecord } from '../common/path.js';
import { CLUSTER_SCOPED_KINDS } from '../common/cluster-scoped.js';
import { RELEASE } from './helm.js';

/**
 * Whether the object names the release's namespace: none, or the one the chart was rendered for (`helm template`'s
 * `default` unless rendered for an install's). Rendered as `default`, an object that names `default` itself is
 * taken for the release's: only a render for the install's namespace tells them apart.
 */
export function namesReleaseNamespace(resource: Pick<Resource, 'body'>, releaseNamespace: string = RELEASE.Namespace): boolean {
  const namespace = getIn(resource.body, ['metadata', 'namespace']);
  return namespace === undefined || namespace === null || namespace === '' || namespace === releaseNamespace;
}

/** Whether the release's namespace places the object: it names that one, and its kind has a namespace. */
export function landsInRelease(resource: Pick<Resource, 'kind' | 'body'>, releaseNamespace: string = RELEASE.Namespace): boolean {
  return !CLUSTER_SCOPED_KINDS.has(resource.kind) && namesReleaseNamespace(resource, releaseNamespace);
}

/** The object placed in `namespace`, as an install places it (its id kept: the caller names it anew where it must). */
export function placedIn<T extends Pick<Resource, 'body' | 'namespace'>>(resource: T, namespace: string): T {
  const metadata = isRecord(resource.body.metadata) ? resource.body.metadata : {};
  return { ...resource, namespace, body: { ...resource.body, metadata: { ...metadata, namespace } } };
}
