// Pod specs in kinds src/engine/scopes.ts does not list: a custom resource is walked for what has a pod's shape, so a
// pod spec is judged wherever an operator keeps it (KubeRay's head and worker groups, a LeaderWorkerSet's leader
// and worker templates, Kubeflow's replica specs, a JobSet's replicated jobs, a Volcano job's tasks, …). Built-in
// kinds are known exactly (scopes.ts); objects that are not deployed as written are not walked.
import type { Path, Resource } from '../model.js';
import { isRecord } from './path.js';

/** Deepest path from the object's root the walk follows: real pod specs sit well above it (a JobSet in a TrainingRuntime: 9). */
export const MAX_WALK_DEPTH = 24;
/** Most maps and lists the walk visits in one object: a generated object bigger than that is not walked further. */
export const MAX_WALK_NODES = 50_000;

/**
 * Custom kinds whose content is not a deployed object as written, by API group: a schema (a CRD's, an XRD's), inputs
 * another tool turns into objects (Helm values, Kustomize patches: what they make is judged where it is composed or
 * rendered, or said not reviewed: src/formats/rendered-elsewhere.ts), and policies whose pod-shaped content is a
 * pattern or a patch matched against pods, not a pod. `*`: every kind of the group.
 */
const NOT_DEPLOYED: Record<string, '*' | readonly string[]> = {
  'apiextensions.crossplane.io': ['CompositeResourceDefinition'],
  'argoproj.io': ['Application', 'ApplicationSet', 'AppProject'],
  'helm.toolkit.fluxcd.io': '*',
  'kustomize.toolkit.fluxcd.io': '*',
  'helm.cattle.io': '*',
  'kyverno.io': '*',
  'policies.kyverno.io': '*',
  'templates.gatekeeper.sh': '*',
  'constraints.gatekeeper.sh': '*',
  'mutations.gatekeeper.sh': '*',
  'config.gatekeeper.sh': '*',
};

/**
 * Kubernetes' own API groups (and Kustomize's, whose files are inputs): their kinds are known exactly (scopes.ts). Other
 * groups ending in `.k8s.io` are projects' custom resources (`sparkoperator.k8s.io`, `autoscaling.k8s.io`'s VPA,
 * `gateway.networking.k8s.io`, every `*.x-k8s.io`).
 */
const BUILT_IN_GROUPS = new Set([
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io',
  'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'rbac.authorization.k8s.io', 'resource.k8s.io', 'scheduling.k8s.io',
  'storage.k8s.io', 'storagemigration.k8s.io', 'metrics.k8s.io', 'kustomize.config.k8s.io',
]);

/** Keys never walked into: what the cluster reports (`status`), not what is deployed. */
const SKIPPED_KEYS = new Set(['status']);

export function apiGroupOf(resource: Pick<Resource, 'apiVersion' | 'body'>): string {
  const apiVersion = resource.apiVersion ?? (typeof resource.body.apiVersion === 'string' ? resource.body.apiVersion : '');
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/**
 * Whether a resource is walked: a Kubernetes custom resource (its API group has a dot and is not one of Kubernetes'
 * own) that is deployed as written. A built-in kind (core, `apps`, `batch`, `networking.k8s.io`, … and
 * `apiextensions.k8s.io`'s CustomResourceDefinition) is known exactly; a Terraform resource other than
 * `kubernetes_manifest` is not a Kubernetes object; a list's items are objects of their own
 * (src/formats/listed-objects.ts).
 */
export function walksFor(resource: Pick<Resource, 'kind' | 'apiVersion' | 'body' | 'terraform'>): boolean {
  if (resource.terraform && resource.terraform.type !== 'kubernetes_manifest') return false;
  const group = apiGroupOf(resource);
  if (!group.includes('.') || BUILT_IN_GROUPS.has(group)) return false;
  if (resource.kind === 'List' || resource.kind.endsWith('List')) return false;
  const skipped = NOT_DEPLOYED[group];
  return !(skipped === '*' || skipped?.includes(resource.kind));
}

/** A list of containers as a pod spec holds them: every item a map that names a container or its image. */
function containerList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  return value.every((item) => isRecord(item) && (typeof item.name === 'string' || typeof item.image === 'string'));
}

/** A map shaped like a pod spec: `containers` holds containers. */
export function isPodSpecShaped(value: Record<string, unknown>): boolean {
  return containerList(value.containers);
}

/** A pod template: `{metadata?, spec}` and nothing else. */
function isPodTemplate(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  for (const key of Object.keys(value)) if (key !== 'metadata' && key !== 'spec') return false;
  return true;
}

/**
 * Every map shaped like a pod spec in the object, as [spec path, metadata path]: the metadata of its pod template
 * when it is the `spec` of one (`{metadata?, spec}`), the object's own when it is the object's `spec`, else none.
 * A pod spec found is not walked into. Bounded by depth and by the maps and lists visited.
 */
export function walkedPodSpecs(body: Record<string, unknown>): [Path, Path | null][] {
  return walk(body).found;
}

/**
 * Where the walk stopped at a bound with containers possibly below (a `containers` key deeper than MAX_WALK_DEPTH,
 * or the object larger than MAX_WALK_NODES), or null: what is there is not judged, so it is said not reviewed
 * (src/formats/unread-pods.ts).
 */
export function walkCut(body: Record<string, unknown>): Path | null {
  // Walked again for the rules (src/engine/scopes.ts caches theirs): a Terraform object is evaluated in place between
  // its parse and its rules, and what it holds may change (`yamldecode(…)`).
  return walk(body).cut;
}

function walk(body: Record<string, unknown>): { found: [Path, Path | null][]; cut: Path | null } {
  const found: [Path, Path | null][] = [];
  let cut: Path | null = null;
  let visited = 0;
  const visit = (value: unknown, path: (string | number)[], parent: unknown): void => {
    if (value === null || typeof value !== 'object' || cut !== null) return;
    if (path.length > MAX_WALK_DEPTH) {
      if (holdsContainers(value)) cut = [...path];
      return;
    }
    if (++visited > MAX_WALK_NODES) {
      cut = [...path];
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        visit(value[i], path, value);
        path.pop();
      }
      return;
    }
    const map = value as Record<string, unknown>;
    if (path.length > 0 && isPodSpecShaped(map)) {
      const at = [...path];
      const last = at[at.length - 1];
      const metadata = last !== 'spec' ? null : at.length === 1 ? ['metadata'] : isPodTemplate(parent) ? [...at.slice(0, -1), 'metadata'] : null;
      found.push([at, metadata]);
      return;
    }
    for (const key of Object.keys(map)) {
      if (SKIPPED_KEYS.has(key) || (path.length === 0 && key === 'metadata')) continue;
      const child = map[key];
      if (child === null || typeof child !== 'object') continue;
      path.push(key);
      visit(child, path, map);
      path.pop();
    }
  };
  visit(body, [], null);
  return { found, cut };
}

/** Whether a `containers` list sits anywhere in a value (looked for within MAX_WALK_NODES maps and lists: past them, yes). */
function holdsContainers(value: unknown): boolean {
  const stack: unknown[] = [value];
  for (let seen = 0; stack.length > 0; seen++) {
    if (seen > MAX_WALK_NODES) return true;
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'containers' && Array.isArray(child)) return true;
      stack.push(child);
    }
  }
  return false;
}
