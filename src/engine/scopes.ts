// Where pod specs and containers sit in every kind Warden knows: the one place that knows.
import type { Path, Resource } from '../model.js';
import { getIn, isRecord } from './path.js';

export interface ContainerRef {
  container: Record<string, unknown>;
  /** Absolute path of the container inside the resource body. */
  path: Path;
  /** Which list it came from; a KServe framework container (`model`, `pytorch`, …) counts as `containers`. */
  list: 'containers' | 'initContainers' | 'ephemeralContainers';
  name: string;
}

export interface PodSpecRef {
  spec: Record<string, unknown>;
  /** Absolute path of the pod spec inside the resource body. */
  path: Path;
  /** Absolute path of the pod template's metadata (annotations live there), when the kind has one. */
  metadataPath: Path | null;
  metadata: Record<string, unknown>;
  containers: ContainerRef[];
  /** `spec.os.name: windows`: exempt from the controls the Pod Security Standards exempt. */
  windows: boolean;
}

/** KServe predictor/transformer/explainer keys that hold a single container instead of `containers`. */
export const KSERVE_FRAMEWORK_KEYS = [
  'model', 'sklearn', 'xgboost', 'tensorflow', 'pytorch', 'triton', 'onnx', 'huggingface', 'pmml',
  'lightgbm', 'paddle', 'alibi', 'art',
] as const;

const WORKLOAD_TEMPLATE: Record<string, Path> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  PodTemplate: ['template'],
  Rollout: ['spec', 'template'],
};

function group(resource: Resource): string {
  return (resource.apiVersion ?? '').split('/')[0] ?? '';
}

/** Pod-spec locations as [spec path, metadata path]. */
function podSpecLocations(resource: Resource): [Path, Path | null][] {
  const body = resource.body;
  const kind = resource.kind;
  if (kind === 'Pod') return [[['spec'], ['metadata']]];
  if ((kind === 'Service' || kind === 'Configuration') && group(resource) === 'serving.knative.dev') return [[['spec', 'template', 'spec'], ['spec', 'template', 'metadata']]];
  // A Revision is the pod template itself (its spec is a pod spec), as Knative stamps it out of a Configuration.
  if (kind === 'Revision' && group(resource) === 'serving.knative.dev') return [[['spec'], ['metadata']]];
  if (kind === 'Rollout' && group(resource) !== 'argoproj.io') return [];
  const template = WORKLOAD_TEMPLATE[kind];
  if (template) return [[[...template, 'spec'], [...template, 'metadata']]];
  // KFServing (serving.kubeflow.org) is KServe's former name, with the same shapes.
  const kserveGroup = group(resource) === 'serving.kserve.io' || group(resource) === 'serving.kubeflow.org';
  if (kind === 'InferenceService' && kserveGroup) {
    const out: [Path, Path | null][] = [];
    for (const part of ['predictor', 'transformer', 'explainer'] as const) {
      if (!isRecord(getIn(body, ['spec', part]))) continue;
      out.push([['spec', part], ['metadata']]);
      // Multi-node serving (KServe 0.13+): the worker pods have their own pod spec.
      if (isRecord(getIn(body, ['spec', part, 'workerSpec']))) out.push([['spec', part, 'workerSpec'], ['metadata']]);
    }
    return out;
  }
  if ((kind === 'ServingRuntime' || kind === 'ClusterServingRuntime') && kserveGroup) {
    const out: [Path, Path | null][] = [[['spec'], null]];
    if (isRecord(getIn(body, ['spec', 'workerSpec']))) out.push([['spec', 'workerSpec'], null]);
    return out;
  }
  if (kind === 'SeldonDeployment') {
    const predictors = getIn(body, ['spec', 'predictors']);
    const out: [Path, Path | null][] = [];
    if (Array.isArray(predictors)) {
      predictors.forEach((predictor, p) => {
        const specs = isRecord(predictor) ? predictor.componentSpecs : undefined;
        if (!Array.isArray(specs)) return;
        specs.forEach((_, c) => out.push([['spec', 'predictors', p, 'componentSpecs', c, 'spec'], ['spec', 'predictors', p, 'componentSpecs', c, 'metadata']]));
      });
    }
    return out;
  }
  return [];
}

function containersOf(spec: Record<string, unknown>, specPath: Path, kserve: boolean): ContainerRef[] {
  const refs: ContainerRef[] = [];
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((container, i) => {
      if (!isRecord(container)) return;
      refs.push({ container, path: [...specPath, list, i], list, name: String(container.name ?? `${list}[${i}]`) });
    });
  }
  if (kserve) {
    for (const key of KSERVE_FRAMEWORK_KEYS) {
      const container = spec[key];
      if (isRecord(container)) refs.push({ container, path: [...specPath, key], list: 'containers', name: String(container.name ?? key) });
    }
  }
  return refs;
}

const walked = new WeakMap<Resource, readonly PodSpecRef[]>();

/** Every pod spec of a resource, with its containers: walked once per resource, however many rules ask. */
export function podSpecs(resource: Resource): readonly PodSpecRef[] {
  let refs = walked.get(resource);
  if (!refs) walked.set(resource, (refs = walkPodSpecs(resource)));
  return refs;
}

function walkPodSpecs(resource: Resource): PodSpecRef[] {
  const kserve = resource.kind === 'InferenceService';
  const refs: PodSpecRef[] = [];
  for (const [path, metadataPath] of podSpecLocations(resource)) {
    const spec = getIn(resource.body, path);
    if (!isRecord(spec)) continue;
    const metadata = metadataPath ? getIn(resource.body, metadataPath) : undefined;
    refs.push({
      spec,
      path,
      metadataPath,
      metadata: isRecord(metadata) ? metadata : {},
      containers: containersOf(spec, path, kserve),
      windows: getIn(spec, ['os', 'name']) === 'windows',
    });
  }
  return refs;
}

