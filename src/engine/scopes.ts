// Where pod specs and containers sit in every kind Warden knows: the one place that knows. Built-in kinds and the
// custom kinds whose shape a walk would get wrong are listed here; any other custom resource is walked for what has a
// pod's shape (src/common/pod-walk.ts).
import type { Path, Resource } from '../model.js';
import { getIn, isRecord, startsWith } from './path.js';
import { apiGroupOf, walkedPodSpecs, walksFor } from '../common/pod-walk.js';
import { ARGO_WORKFLOW_SPEC } from '../common/argo-workflows.js';
import { objectTriggers, type ObjectTrigger } from '../common/argo-events.js';
import { STEP_ACTION_FIELDS, tektonPods, type TektonRun } from '../common/tekton.js';
import { ownValue } from '../common/own-key.js';
import { placeInView, viewOf, type ViewSource, type ViewSources } from './views.js';

export interface ContainerRef {
  container: Record<string, unknown>;
  /** Absolute path of the container inside the resource body. */
  path: Path;
  /** Which list it came from; a KServe framework container (`model`, `pytorch`, …) counts as `containers`. */
  list: 'containers' | 'initContainers' | 'ephemeralContainers';
  name: string;
  /** Where its fields are written when not as one container map (src/engine/views.ts): `container` is then their view. */
  sources?: ViewSources;
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
  /** Where its pod-level fields are written when not as one pod spec (src/engine/views.ts): `spec` is then their view. */
  sources?: ViewSources;
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
};

/** What the pod walk reads of an object: a resource, or an object another one holds (an Argo Events trigger's). */
type Shaped = Pick<Resource, 'kind' | 'apiVersion' | 'body' | 'terraform'>;

function group(resource: Shaped): string {
  return (resource.apiVersion ?? '').split('/')[0] ?? '';
}

/**
 * Kinds whose pod specs are templates other objects stamp pods out of: they run no pod of their own (a namespace
 * holding only them needs no network policy for them). A PodTemplate, a KServe (Cluster)ServingRuntime or
 * LLMInferenceServiceConfig, a Kubeflow (Cluster)TrainingRuntime, an Argo (Cluster)WorkflowTemplate, a Seldon ServerConfig,
 * a Tekton (Cluster)Task, Pipeline or StepAction (their runs run them). By API group (`''` the core group): another
 * operator's kind of the same name (a `Task` that runs pods) is not one.
 */
const TEMPLATE_KINDS: Readonly<Record<string, readonly string[]>> = {
  '': ['PodTemplate'],
  'serving.kserve.io': ['ServingRuntime', 'ClusterServingRuntime', 'LLMInferenceServiceConfig'],
  'serving.kubeflow.org': ['ServingRuntime', 'ClusterServingRuntime'],
  'trainer.kubeflow.org': ['TrainingRuntime', 'ClusterTrainingRuntime'],
  'argoproj.io': ['WorkflowTemplate', 'ClusterWorkflowTemplate'],
  'mlops.seldon.io': ['ServerConfig'],
  'tekton.dev': ['Task', 'ClusterTask', 'Pipeline', 'StepAction'],
};

/** Whether an object is a template other objects stamp pods out of (TEMPLATE_KINDS), running none of its own. */
export function isTemplateKind(resource: Resource): boolean {
  return ownValue(TEMPLATE_KINDS, apiGroupOf(resource))?.includes(resource.kind) === true;
}


/** Pod-level settings an Argo WorkflowSpec gives every pod of the workflow (under the names a pod spec has). */
const ARGO_WORKFLOW_POD_KEYS = ['hostNetwork', 'hostPID', 'hostIPC', 'securityContext', 'volumes', 'automountServiceAccountToken', 'hostAliases'];

/** Pod-spec locations as [spec path, metadata path]. */
function podSpecLocations(resource: Shaped): [Path, Path | null][] {
  const kind = resource.kind;
  if (walksFor(resource)) return customLocations(resource);
  // A built-in kind (or one that names no group: a Terraform `kubernetes_*` resource maps to its built-in kind).
  if (kind === 'Pod') return [[['spec'], ['metadata']]];
  const template = ownValue(WORKLOAD_TEMPLATE, kind);
  if (template) return [[[...template, 'spec'], [...template, 'metadata']]];
  return [];
}

/** Pod-spec locations of a custom resource: those of the kinds known here, else those its walk finds (src/common/pod-walk.ts). */
function customLocations(resource: Shaped): [Path, Path | null][] {
  const body = resource.body;
  const kind = resource.kind;
  if ((kind === 'Service' || kind === 'Configuration') && group(resource) === 'serving.knative.dev') return [[['spec', 'template', 'spec'], ['spec', 'template', 'metadata']]];
  // A Revision is the pod template itself (its spec is a pod spec), as Knative stamps it out of a Configuration.
  if (kind === 'Revision' && group(resource) === 'serving.knative.dev') return [[['spec'], ['metadata']]];
  if (kind === 'Rollout' && group(resource) === 'argoproj.io') return [[['spec', 'template', 'spec'], ['spec', 'template', 'metadata']]];
  const workflowSpec = ownValue(ARGO_WORKFLOW_SPEC, kind);
  if (workflowSpec && group(resource) === 'argoproj.io') return argoWorkflowLocations(body, workflowSpec);
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
  return walkedPodSpecs(body);
}

/**
 * An Argo workflow: each template that runs a pod (`container`, `script`, `containerSet`) is a pod spec, its pod-level
 * settings under the names a pod spec has (`securityContext`, `volumes`, `automountServiceAccountToken`, …), its
 * metadata the pod's; and the WorkflowSpec itself, when it sets pod-level settings every pod gets (`hostNetwork` is
 * only there), a pod spec with no container of its own (`podMetadata` its metadata).
 */
function argoWorkflowLocations(body: Record<string, unknown>, spec: Path): [Path, Path | null][] {
  const out: [Path, Path | null][] = [];
  const workflow = getIn(body, spec);
  if (!isRecord(workflow)) return out;
  if (ARGO_WORKFLOW_POD_KEYS.some((key) => workflow[key] !== undefined)) out.push([spec, [...spec, 'podMetadata']]);
  const templates = workflow.templates;
  if (Array.isArray(templates)) {
    templates.forEach((template, i) => {
      if (!isRecord(template) || !(isRecord(template.container) || isRecord(template.script) || isRecord(template.containerSet))) return;
      out.push([[...spec, 'templates', i], [...spec, 'templates', i, 'metadata']]);
    });
  }
  return out;
}

/** Which single-container keys a pod spec of the kind has besides its lists: KServe's framework keys, an Argo template's. */
type Singles = 'kserve' | 'argo' | null;

function containersOf(spec: Record<string, unknown>, specPath: Path, singles: Singles): ContainerRef[] {
  const refs: ContainerRef[] = [];
  if (singles === 'argo') {
    // An Argo template's main container (`container`, or `script`: a container with its `source`), the containers
    // of its `containerSet`, and its `sidecars`, which run beside it in its pod.
    for (const key of ['container', 'script'] as const) {
      const container = spec[key];
      if (isRecord(container)) refs.push({ container, path: [...specPath, key], list: 'containers', name: String(container.name ?? 'main') });
    }
    const set = isRecord(spec.containerSet) ? spec.containerSet.containers : undefined;
    if (Array.isArray(set)) {
      set.forEach((container, i) => {
        if (isRecord(container)) refs.push({ container, path: [...specPath, 'containerSet', 'containers', i], list: 'containers', name: String(container.name ?? `containerSet.containers[${i}]`) });
      });
    }
    if (Array.isArray(spec.sidecars)) {
      spec.sidecars.forEach((container, i) => {
        if (isRecord(container)) refs.push({ container, path: [...specPath, 'sidecars', i], list: 'containers', name: String(container.name ?? `sidecars[${i}]`) });
      });
    }
  }
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((container, i) => {
      if (!isRecord(container)) return;
      refs.push({ container, path: [...specPath, list, i], list, name: String(container.name ?? `${list}[${i}]`) });
    });
  }
  if (singles === 'kserve') {
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

function walkPodSpecs(resource: Shaped): PodSpecRef[] {
  const viewed = viewedPods(resource);
  if (viewed) return viewed;
  const singles: Singles = resource.kind === 'InferenceService' ? 'kserve' : ownValue(ARGO_WORKFLOW_SPEC, resource.kind) && group(resource) === 'argoproj.io' ? 'argo' : null;
  return podRefs(resource, podSpecLocations(resource), singles);
}

function podRefs(resource: Shaped, locations: readonly [Path, Path | null][], singles: Singles): PodSpecRef[] {
  const refs: PodSpecRef[] = [];
  for (const [path, metadataPath] of locations) {
    const spec = getIn(resource.body, path);
    if (!isRecord(spec)) continue;
    const metadata = metadataPath ? getIn(resource.body, metadataPath) : undefined;
    refs.push({
      spec,
      path,
      metadataPath,
      metadata: isRecord(metadata) ? metadata : {},
      containers: containersOf(spec, path, singles),
      windows: getIn(spec, ['os', 'name']) === 'windows',
    });
  }
  return refs;
}


// Kinds whose pods are written as views (src/engine/views.ts): fields under other names, or in several places, or
// only some of them written here. Their containers and pod-level fields are judged as the controller makes the pod.

/** Tekton's pod template (`podTemplate` of a TaskRun, a PipelineRun's `taskRunTemplate`): the pod-level fields it sets. */
const TEKTON_POD_TEMPLATE_FIELDS = [
  'nodeSelector', 'tolerations', 'affinity', 'securityContext', 'volumes', 'runtimeClassName', 'automountServiceAccountToken',
  'dnsPolicy', 'dnsConfig', 'enableServiceLinks', 'priorityClassName', 'schedulerName', 'imagePullSecrets', 'hostAliases',
  'hostNetwork', 'topologySpreadConstraints',
];

/** Argo Events' `spec.template` of a Sensor or EventSource: the pod-level fields it sets, and those of its `container`. */
const ARGO_EVENTS_POD_FIELDS = ['serviceAccountName', 'volumes', 'securityContext', 'nodeSelector', 'tolerations', 'imagePullSecrets', 'priorityClassName', 'priority', 'affinity'];
const ARGO_EVENTS_CONTAINER_FIELDS = ['resources', 'imagePullPolicy', 'securityContext', 'volumeMounts', 'env', 'envFrom'];

/** A TrainJob's `spec.trainer`: the fields of the runtime's trainer container it sets (the rest are the runtime's). */
const TRAINER_FIELDS = ['image', 'command', 'args', 'env', 'resources'];

function source(body: Record<string, unknown>, path: Path, fields: ViewSource['fields'], renamed?: ViewSource['renamed'], overrides?: true): ViewSource {
  const node = getIn(body, path);
  return { path, node: isRecord(node) ? node : {}, fields, ...(renamed ? { renamed } : {}), ...(overrides ? { overrides } : {}) };
}

function viewedContainer(path: Path, sources: ViewSources, list: ContainerRef['list'], name: string): ContainerRef {
  const container = viewOf(sources);
  return { container, path, list, name: typeof container.name === 'string' ? container.name : name, sources };
}

function viewedPod(sources: ViewSources, path: Path, metadataPath: Path | null, body: Record<string, unknown>, containers: ContainerRef[]): PodSpecRef {
  const spec = viewOf(sources);
  const metadata = metadataPath ? getIn(body, metadataPath) : undefined;
  return { spec, path, metadataPath, metadata: isRecord(metadata) ? metadata : {}, containers, windows: getIn(spec, ['os', 'name']) === 'windows', sources };
}

/**
 * A TaskSpec's pod: its steps (each over the `stepTemplate`, as Tekton merges them) and sidecars, its `volumes`, and
 * what its run's pod template sets (its `env` wins over every step's). v1 names a container's `resources`
 * `computeResources`.
 */
function tektonPod(resource: Shaped, taskSpec: Path, metadataPath: Path, run: TektonRun): PodSpecRef | null {
  const body = resource.body;
  const spec = getIn(body, taskSpec);
  if (!isRecord(spec)) return null;
  const renamed = (resource.apiVersion ?? '').endsWith('/v1') ? { resources: 'computeResources' } : undefined;
  const runEnv = run.podTemplates.map((path) => source(body, path, ['env']));
  const containers: ContainerRef[] = [];
  if (Array.isArray(spec.steps)) {
    spec.steps.forEach((step, i) => {
      if (!isRecord(step)) return;
      const path = [...taskSpec, 'steps', i];
      const template = isRecord(spec.stepTemplate) ? [source(body, [...taskSpec, 'stepTemplate'], '*', renamed)] : [];
      // The run's env first: Tekton documents it as winning over the steps' and the stepTemplate's.
      containers.push(viewedContainer(path, [...runEnv, source(body, path, '*', renamed), ...template], 'containers', `steps[${i}]`));
    });
  }
  if (Array.isArray(spec.sidecars)) {
    spec.sidecars.forEach((sidecar, i) => {
      const path = [...taskSpec, 'sidecars', i];
      if (isRecord(sidecar)) containers.push(viewedContainer(path, [source(body, path, '*', renamed)], 'containers', `sidecars[${i}]`));
    });
  }
  return viewedPod(tektonPodSources(body, taskSpec, run), taskSpec, metadataPath, body, containers);
}

/** Where a Tekton pod's pod-level fields are written: its run's pod template and service account, its TaskSpec's `volumes`. */
function tektonPodSources(body: Record<string, unknown>, taskSpec: Path | null, run: TektonRun): ViewSource[] {
  return [
    ...run.podTemplates.map((path) => source(body, path, TEKTON_POD_TEMPLATE_FIELDS)),
    ...(taskSpec ? [source(body, taskSpec, ['volumes'])] : []),
    ...run.serviceAccounts.map((path) => source(body, path, ['serviceAccountName'])),
  ];
}

/** The pods of the kinds written as views, or null for any other kind. */
function viewedPods(resource: Shaped): PodSpecRef[] | null {
  const body = resource.body;
  const kind = resource.kind;
  const tekton = tektonPods(resource.apiVersion ?? '', kind, body);
  if (tekton) {
    // A Task's or TaskRun's pod has the object's metadata; a pipeline's embedded task its own.
    const pods = tekton.taskSpecs.flatMap((taskSpec) => tektonPod(resource, taskSpec, taskSpec.length > 2 ? [...taskSpec, 'metadata'] : ['metadata'], tekton.run) ?? []);
    // A run of Tasks written elsewhere (`taskRef`, `pipelineRef`): its pod template still sets their pods' pod-level fields.
    if (pods.length === 0 && tekton.run.podTemplates.some((path) => isRecord(getIn(body, path)))) {
      pods.push(viewedPod(tektonPodSources(body, null, tekton.run), ['spec'], ['metadata'], body, []));
    }
    return pods;
  }
  // A Tekton StepAction is the container of the steps that name it, in the pods of their Tasks: judged as a template
  // is, each finding where its field is written; it has no pod of its own.
  if (kind === 'StepAction' && group(resource) === 'tekton.dev') {
    const spec: Path = ['spec'];
    if (!isRecord(getIn(body, spec))) return [];
    const name = getIn(body, ['metadata', 'name']);
    const container = viewedContainer(spec, [source(body, spec, STEP_ACTION_FIELDS)], 'containers', typeof name === 'string' ? name : 'step');
    return [viewedPod([], spec, null, body, [container])];
  }
  if ((kind === 'Sensor' || kind === 'EventSource') && group(resource) === 'argoproj.io') {
    const template: Path = ['spec', 'template'];
    // The objects a Sensor's triggers make (a Pod, a Deployment, an Argo Workflow, …) are judged as the objects they
    // are, where written; the rest of what it holds of a pod's shape is walked, as before: a pod spec under
    // `template.spec` (Argo Events before 1.3).
    const triggers = kind === 'Sensor' ? objectTriggers(body) : [];
    const objects = triggers.map(triggerObject);
    const walked = podRefs(resource, walkedPodSpecs(body).filter(([path]) => !objects.some((at) => startsWith(path, at))), null);
    const made = triggers.flatMap((trigger) => triggerPods(body, trigger));
    if (!isRecord(getIn(body, template))) return [...walked, ...made];
    // The controller makes the container (its image is Argo Events'); `container` sets some of its fields.
    const path = [...template, 'container'];
    const container = viewedContainer(path, [source(body, path, ARGO_EVENTS_CONTAINER_FIELDS)], 'containers', 'main');
    return [viewedPod([source(body, template, ARGO_EVENTS_POD_FIELDS)], template, [...template, 'metadata'], body, [container]), ...walked, ...made];
  }
  // A Kubeflow TrainJob runs the pods of its TrainingRuntime (judged where that is written); its `trainer` sets the
  // image, command, env and resources of the runtime's trainer container, and nothing of its pod.
  if (kind === 'TrainJob' && group(resource) === 'trainer.kubeflow.org') {
    const trainer: Path = ['spec', 'trainer'];
    if (!isRecord(getIn(body, trainer))) return [];
    const container = viewedContainer(trainer, [source(body, trainer, TRAINER_FIELDS, { resources: 'resourcesPerNode' }, true)], 'containers', 'trainer');
    return [viewedPod([], trainer, null, body, [container])];
  }
  return null;
}

const triggerObject = (trigger: ObjectTrigger): Path => [...trigger.path, 'source', 'resource'];

/**
 * The pods of the object an Argo Events trigger makes from what it holds inline, at their place in the Sensor: those
 * of the object's kind (an Argo Workflow's templates, a Deployment's pod template, …). A patch of a live object
 * (created as written when there is none) is judged for what it sets: what it leaves unset is the live object's. An
 * object read from elsewhere, a JSON patch, or one only named (deleted, fetched live, submitted from) is not judged
 * here (src/formats/unread-pods.ts says what of them is not reviewed).
 */
function triggerPods(body: Record<string, unknown>, trigger: ObjectTrigger): PodSpecRef[] {
  const at = triggerObject(trigger);
  const object = getIn(body, at);
  if (!isRecord(object) || (trigger.use !== 'whole' && trigger.use !== 'patch')) return [];
  const pods = objectPods(object).map((pod) => rebased(pod, at));
  return trigger.use === 'patch' ? pods.map(settingOnly) : pods;
}

/** The pods of an object another one holds: those of its kind, or, when it says none, those its walk finds. */
function objectPods(object: Record<string, unknown>): PodSpecRef[] {
  const { kind, apiVersion } = object;
  if (typeof kind === 'string' && typeof apiVersion === 'string') return walkPodSpecs({ kind, apiVersion, body: object });
  return podRefs({ kind: '', body: object }, walkedPodSpecs(object), null);
}

/** A pod found inside an object, at its place in the object that holds it. */
function rebased(pod: PodSpecRef, at: Path): PodSpecRef {
  const under = (path: Path): Path => [...at, ...path];
  const moved = (sources: ViewSources): ViewSources => sources.map((s) => ({ ...s, path: under(s.path) }));
  return {
    ...pod,
    path: under(pod.path),
    metadataPath: pod.metadataPath && under(pod.metadataPath),
    containers: pod.containers.map((c) => ({ ...c, path: under(c.path), ...(c.sources ? { sources: moved(c.sources) } : {}) })),
    ...(pod.sources ? { sources: moved(pod.sources) } : {}),
  };
}

/** A pod that overrides another's fields (a patch's): judged for what it sets, what it leaves unset being the other's (src/engine/views.ts). */
function settingOnly(pod: PodSpecRef): PodSpecRef {
  const overriding = (sources: ViewSources | undefined, path: Path, node: Record<string, unknown>): ViewSources =>
    (sources ?? [{ path, node, fields: '*' }]).map((s) => ({ ...s, overrides: true }));
  return {
    ...pod,
    sources: overriding(pod.sources, pod.path, pod.spec),
    containers: pod.containers.map((c) => ({ ...c, sources: overriding(c.sources, c.path, c.container) })),
  };
}

/**
 * Where a path a rule reports (or a fix edits) is written, for a pod or container written as a view: in its source
 * that writes it; null when none does (that field is set elsewhere, and said nothing of here). Other paths are as they are.
 */
export function placed(pod: PodSpecRef, path: Path): Path | null {
  const container = pod.containers.find((c) => c.sources && startsWith(path, c.path));
  if (container) return placeInView(container.sources!, container.container, path.slice(container.path.length));
  if (pod.sources && startsWith(path, pod.path)) return placeInView(pod.sources, pod.spec, path.slice(pod.path.length));
  return path;
}
