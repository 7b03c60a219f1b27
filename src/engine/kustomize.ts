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

/** The kustomizations of one list, read once: by folder, and who includes each path. */
interface KustomizationIndex {
  /** The kustomizations that include a path (a file or a folder), by the path. */
  includers: Map<string, Kustomization[]>;
  /** Each kustomization's chain namespaces, once known (undefined: a chain that sets none). */
  chains: Map<Kustomization, ReadonlySet<string | undefined>>;
}

// Rules ask once per resource with the same list (the visible kustomizations of one evaluation): the index is
// built once per list, so resolving every file of a repository stays linear in its kustomizations.
const indices = new WeakMap<readonly Resource[], KustomizationIndex>();

function indexOf(resources: readonly Resource[]): KustomizationIndex {
  let index = indices.get(resources);
  if (index) return index;
  const includers = new Map<string, Kustomization[]>();
  for (const resource of resources) {
    const k = kustomizationOf(resource);
    if (!k) continue;
    for (const path of new Set(k.includes)) {
      const list = includers.get(path);
      if (list) list.push(k);
      else includers.set(path, [k]);
    }
  }
  index = { includers, chains: new Map() };
  indices.set(resources, index);
  return index;
}

/**
 * The namespaces kustomize gives the resources of `file`, from the kustomizations among `resources`; null
 * when no kustomization builds the file. Each call follows only the chains above the file (the list is indexed
 * once), so a repository of thousands of resources and kustomizations costs linear time, not their product.
 */
export function kustomizedNamespaces(file: string, resources: readonly Resource[]): KustomizedNamespaces | null {
  if (resources.length === 0) return null;
  const index = indexOf(resources);
  const direct = index.includers.get(posix.normalize(file.replace(/\\/g, '/')));
  if (!direct) return null;
  // Each chain's namespace: the outermost kustomization that sets one wins. A kustomization's chains are the
  // same from whichever file they are reached, so each is resolved once; a parent already on the way up is a
  // cycle and not followed (a result cut by a cycle depends on the way in, so it is not kept).
  const onPath = new Set<Kustomization>();
  const chains = (k: Kustomization): { namespaces: ReadonlySet<string | undefined>; cut: boolean } => {
    const known = index.chains.get(k);
    if (known) return { namespaces: known, cut: false };
    onPath.add(k);
    let cut = false;
    const found = new Set<string | undefined>();
    for (const parent of index.includers.get(k.dir) ?? []) {
      if (onPath.has(parent)) {
        cut = true;
        continue;
      }
      const above = chains(parent);
      cut ||= above.cut;
      for (const outer of above.namespaces) found.add(outer ?? k.namespace);
    }
    onPath.delete(k);
    if (found.size === 0) found.add(k.namespace);
    if (!cut) index.chains.set(k, found);
    return { namespaces: found, cut };
  };
  const found = new Set(direct.flatMap((k) => [...chains(k).namespaces]));
  return { namespaces: [...found].filter((n): n is string => n !== undefined).sort(), unset: found.has(undefined) };
}
