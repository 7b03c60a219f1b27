// Kubernetes facts several rules share: which kinds are namespaced, where an object lives, which
// objects run pods. Terraform references to a namespace are resolved through the resources at hand.
import type { Resource } from '../../../src/model.js';
import { getIn, isRecord } from '../../../src/engine/path.js';
import { deployedNamespaces, kustomizedNamespaces } from '../../../src/engine/kustomize.js';
import { isTemplateKind, podSpecs } from '../../../src/engine/scopes.js';

/** Kinds that live in a namespace (cluster-scoped kinds and unknown custom kinds are left out). */
export const NAMESPACED_KINDS = new Set([
  'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'PodTemplate',
  'Service', 'Endpoints', 'EndpointSlice', 'ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim', 'Ingress',
  'NetworkPolicy', 'Role', 'RoleBinding', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'LimitRange', 'ResourceQuota',
  'Rollout', 'InferenceService', 'ServingRuntime', 'TrainedModel', 'InferenceGraph', 'SeldonDeployment', 'Model',
  'PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication', 'VirtualService', 'DestinationRule', 'Gateway',
  'Sidecar', 'ServiceEntry', 'CiliumNetworkPolicy', 'HTTPRoute', 'GRPCRoute',
]);

/** Extended resources that are accelerators (GPUs, MIG slices, Gaudi, Neuron, TPU). */
export const GPU_RESOURCES = /^(nvidia\.com\/(gpu|mig-[\w.-]+)|amd\.com\/gpu|gpu\.intel\.com\/[\w.-]+|habana\.ai\/gaudi|aws\.amazon\.com\/neuron(core|device)?|google\.com\/tpu)$/;

/** Namespaces the cluster owns: Warden does not ask for default-deny or labels there. */
export const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** `${kubernetes_namespace.ml.metadata[0].name}`, `${kubernetes_namespace_v1.ml.metadata.0.name}`, `${kubernetes_namespace.ml.id}`. */
const TF_NAMESPACE_REF = /^\$\{(kubernetes_namespace(?:_v1)?)\.([\w-]+)\.(?:metadata(?:\[0\]|\.0)\.name|id)\}$/;

/**
 * The namespace an object lives in, or null when it cannot be known (a YAML object without one:
 * `kubectl -n` or kustomize decides; an unresolvable Terraform expression). A Terraform object
 * without a namespace goes to `default`, as the provider does.
 */
export function namespaceOf(resource: Resource, lookup: readonly Resource[] = []): string | null {
  if (resource.kind === 'Namespace') return nameOf(resource);
  const raw = getIn(resource.body, ['metadata', 'namespace']);
  if (raw === undefined || raw === null || raw === '') return resource.terraform ? 'default' : null;
  if (typeof raw !== 'string') return null;
  if (!raw.includes('${')) return raw;
  const ref = TF_NAMESPACE_REF.exec(raw);
  if (!ref) return null;
  const target = lookup.find((r) => r.terraform?.type === ref[1] && r.terraform?.name === ref[2] && r.file.replace(/[^/]*$/, '') === resource.file.replace(/[^/]*$/, ''))
    ?? lookup.find((r) => r.terraform?.type === ref[1] && r.terraform?.name === ref[2]);
  return target ? nameOf(target) : null;
}

/**
 * Every namespace an object is deployed to: those the kustomizations building its file give it (an overlay per
 * environment gives several), and its own where a kustomization sets none; an Argo CD Application's destination where
 * it deploys an object that names none. Empty when none can be known. `kustomizations`: `visible(ctx).placers()`.
 */
export function namespacesOf(resource: Resource, namespaces: readonly Resource[], kustomizations: readonly Resource[]): string[] {
  const own = namespaceOf(resource, namespaces);
  // A composed object (src/compose) is one build's output: its namespace is the one that build gave it.
  if (resource.kind === 'Namespace' || resource.format !== 'yaml' || resource.contributors) return own === null ? [] : [own];
  return deployedNamespaces(resource.file, own, kustomizations);
}

/** The kinds `placers` reads (src/engine/visible.ts): a rule that calls namespacesOf with them looks them up. */
export { PLACING_KINDS } from '../../../src/engine/kustomize.js';

/**
 * The namespaces an object lands in: namespacesOf, and `default` wherever nothing names one (a YAML manifest without
 * `metadata.namespace`, applied as it is or through a kustomization that sets none), as `kubectl apply` puts it.
 */
export function landingNamespaces(resource: Resource, namespaces: readonly Resource[], kustomizations: readonly Resource[]): string[] {
  const found = namespacesOf(resource, namespaces, kustomizations);
  const raw = getIn(resource.body, ['metadata', 'namespace']);
  if (resource.kind === 'Namespace' || resource.format !== 'yaml' || (raw !== undefined && raw !== null && raw !== '')) return found;
  const kustomized = kustomizedNamespaces(resource.file, kustomizations);
  return kustomized && !kustomized.unset ? found : [...new Set([...found, 'default'])];
}

/** metadata.name when it is a literal. */
export function nameOf(resource: Resource): string | null {
  const name = getIn(resource.body, ['metadata', 'name']);
  return typeof name === 'string' && name !== '' && !name.includes('${') ? name : null;
}

/** Objects that make pods run in their namespace (a ServingRuntime, a PodTemplate or another template kind alone runs none). */
export function runsPods(resource: Resource): boolean {
  if (isTemplateKind(resource)) return false;
  return podSpecs(resource).length > 0;
}

export function apiGroup(resource: Resource): string {
  const apiVersion = resource.apiVersion ?? (typeof resource.body.apiVersion === 'string' ? resource.body.apiVersion : '');
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

/** A label selector that selects everything: absent keys, `{}`, or empty matchLabels/matchExpressions. */
export function isEmptySelector(selector: unknown): boolean {
  if (selector === undefined || selector === null) return true;
  if (!isRecord(selector)) return false;
  return Object.entries(selector).every(([key, value]) =>
    (key === 'matchLabels' && (value === null || (isRecord(value) && Object.keys(value).length === 0)))
    || (key === 'matchExpressions' && (value === null || (Array.isArray(value) && value.length === 0))));
}
