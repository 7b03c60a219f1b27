// Kustomize gives namespaces: a kustomization's `namespace:` is set on every resource it builds, over what
// the manifests say, and an overlay's over its bases'. Manifests in a kustomize layout usually name no
// namespace at all, so without this Warden would call them namespace-less (k8s/default-namespace) and could
// not tell which NetworkPolicies cover them (k8s/network-policy-missing).
import { posix } from 'node:path';
import type { Resource } from '../model.js';
import { isKustomizationFile } from '../formats/kustomization-file.js';

export { isKustomizationFile } from '../formats/kustomization-file.js';

interface Kustomization {
  dir: string;
  namespace: string | undefined;
  /** What it builds: files and folders (other kustomizations), as repository paths. */
  includes: string[];
}

function kustomizationOf(resource: Resource): Kustomization | null {
  if (resource.kind !== 'Kustomization' || !isKustomizationFile(resource.file)) return null;
  const dir = posix.dirname(resource.file.replace(/\\/g, '/'));
  const body = resource.body;
  const entries = ['resources', 'bases'].flatMap((key) => (Array.isArray(body[key]) ? (body[key] as unknown[]) : []));
  const includes = entries.filter((e): e is string => typeof e === 'string' && !/^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i.test(e)).map((e) => posix.normalize(posix.join(dir, e)).replace(/\/$/, ''));
  const namespace = typeof body.namespace === 'string' && body.namespace !== '' ? body.namespace : undefined;
  return { dir, namespace, includes };
}

export interface KustomizedNamespaces {
  /** The namespaces the resource ends up in, one per kustomization chain that sets one. */
  namespaces: string[];
  /** Whether some chain sets none (the resource keeps its own namespace there). */
  unset: boolean;
}

/** The kustomizations among some resources, by what they include: built once per list, however many resources ask. */
const layouts = new WeakMap<readonly Resource[], Map<string, Kustomization[]> | null>();

function includersOf(resources: readonly Resource[]): Map<string, Kustomization[]> | null {
  let byInclude = layouts.get(resources);
  if (byInclude === undefined) {
    const all = resources.map(kustomizationOf).filter((k): k is Kustomization => k !== null);
    byInclude = all.length === 0 ? null : new Map();
    for (const k of all) for (const path of new Set(k.includes)) (byInclude!.get(path) ?? byInclude!.set(path, []).get(path)!).push(k);
    layouts.set(resources, byInclude);
  }
  return byInclude;
}

/**
 * The namespaces kustomize gives the resources of `file`, from the kustomizations among `resources`; null
 * when no kustomization builds the file. Each call follows only the chains above the file (the list is indexed
 * once), so a repository of thousands of resources and kustomizations costs linear time, not their product.
 */
export function kustomizedNamespaces(file: string, resources: readonly Resource[]): KustomizedNamespaces | null {
  const byInclude = includersOf(resources);
  if (!byInclude) return null;
  const path = posix.normalize(file.replace(/\\/g, '/'));
  // Each chain's namespace: the outermost kustomization that sets one wins.
  const chains = (k: Kustomization, seen: ReadonlySet<Kustomization>): (string | undefined)[] => {
    const parents = (byInclude.get(k.dir) ?? []).filter((p) => !seen.has(p));
    if (parents.length === 0) return [k.namespace];
    const inside = new Set([...seen, k]);
    return parents.flatMap((p) => chains(p, inside).map((outer) => outer ?? k.namespace));
  };
  const direct = byInclude.get(path) ?? [];
  if (direct.length === 0) return null;
  const found = direct.flatMap((k) => chains(k, new Set()));
  return { namespaces: [...new Set(found.filter((n): n is string => n !== undefined))].sort(), unset: found.includes(undefined) };
}
