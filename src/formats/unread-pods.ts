// Pod settings Warden does not read as pod specs (src/engine/scopes.ts), said where they are written so that the
// review fails closed on an edit of them (src/fail-closed.ts): a Spark application's driver and executor, which the
// Spark operator turns into pods from settings of its own shape (`cores`, `memory`, a container's `securityContext`
// beside the pod's `podSecurityContext`, `sidecars`), an Argo workflow's `podSpecPatch`, a patch written as text
// that can set anything in its pods, a Tekton run's overrides of its steps' resources or of one pipeline task's
// pod, a step that runs a StepAction, a TrainJob's overrides and patches of its runtime's pods, and what an Argo Events
// Sensor's triggers make from objects it does not hold, or write into their pods from the event.
import type { Path, Resource, UnseenPart } from '../model.js';
import { getIn, isRecord } from '../common/path.js';
import { ARGO_WORKFLOW_SPEC } from '../common/argo-workflows.js';
import { destPath, objectTriggers, reachesPods, sensorTriggers } from '../common/argo-events.js';
import { ownValue } from '../common/own-key.js';
import { tektonPods } from '../common/tekton.js';
import { apiGroupOf, MAX_WALK_DEPTH, MAX_WALK_NODES, walkCut, walksFor } from '../common/pod-walk.js';

const code = (value: unknown) => `\`${String(value)}\``;


function part(resource: Resource, path: Path, reason: string): UnseenPart {
  const { startLine, endLine } = resource.source.locate(path);
  return { lines: { startLine, endLine }, reason };
}


/** A Tekton run's overrides: of its steps' and sidecars' resources (v1, v1beta1), of its Task's, and of one pipeline task's run. */
const TEKTON_OVERRIDES: readonly Path[] = [
  ['spec', 'stepSpecs'], ['spec', 'sidecarSpecs'], ['spec', 'stepOverrides'], ['spec', 'sidecarOverrides'], ['spec', 'computeResources'],
  ['spec', 'taskRunSpecs'],
];

/** A TrainJob's patches and overrides of the pods its TrainingRuntime makes (Kubeflow Trainer v2). */
const TRAIN_JOB_OVERRIDES: readonly Path[] = [['spec', 'podTemplateOverrides'], ['spec', 'runtimePatches']];

/**
 * What an Argo Events Sensor's triggers make that Warden does not see where it is written: an object read when the
 * event comes (`s3`, `git`, `url`, `configmap`, `file`) or written as text (`inline`); a JSON patch; and the event's
 * values that `parameters` write into the pods of the object (src/common/argo-events.ts reachesPods: one that writes
 * a name, a label or an Argo Workflow's `arguments` changes no pod, and is said nothing of). The trigger's own `parameters` write into its template: one under `k8s.source.resource` (or `argoWorkflow`'s)
 * writes into the object, one elsewhere under `k8s` or `argoWorkflow` changes what is made or how.
 */
function sensorParts(resource: Resource): UnseenPart[] {
  const body = resource.body;
  const parts: UnseenPart[] = [];
  const made = (type: string) => `the object a \`${type}\` trigger of Sensor ${code(resource.name)} makes`;
  for (const trigger of objectTriggers(body)) {
    if (trigger.use === 'none') continue;
    const source = getIn(body, [...trigger.path, 'source']);
    const object = getIn(body, [...trigger.path, 'source', 'resource']);
    for (const key of isRecord(source) ? Object.keys(source) : []) {
      if (key !== 'resource') parts.push(part(resource, [...trigger.path, 'source', key], `${made(trigger.type)} from its \`${key}\` source: Warden does not read it there`));
    }
    if (!isRecord(object)) continue;
    if (trigger.use === 'json-patch') {
      parts.push(part(resource, [...trigger.path, 'source', 'resource'], `the JSON patch a \`k8s\` trigger of Sensor ${code(resource.name)} applies to a live object: Warden does not apply it`));
      continue;
    }
    const parameters = getIn(body, [...trigger.path, 'parameters']);
    if (!Array.isArray(parameters)) continue;
    parameters.forEach((parameter, i) => {
      if (isRecord(parameter) && typeof parameter.dest === 'string' && reachesPods(object, destPath(parameter.dest))) {
        parts.push(part(resource, [...trigger.path, 'parameters', i], `what \`${parameter.dest}\` of ${made(trigger.type)} is set to from the event: known only when it comes`));
      }
    });
  }
  for (const trigger of sensorTriggers(body)) {
    const parameters = getIn(body, [...trigger, 'parameters']);
    if (!Array.isArray(parameters)) continue;
    parameters.forEach((parameter, i) => {
      if (!isRecord(parameter) || typeof parameter.dest !== 'string') return;
      const dest = destPath(parameter.dest);
      const type = dest[0];
      if (type !== 'k8s' && type !== 'argoWorkflow') return;
      const object = getIn(body, [...trigger, 'template', type, 'source', 'resource']);
      const intoObject = dest[1] === 'source' && dest[2] === 'resource' && dest.length > 3 && isRecord(object);
      if (intoObject && !reachesPods(object, dest.slice(3))) return;
      parts.push(part(resource, [...trigger, 'parameters', i], `what \`${parameter.dest}\` of a trigger of Sensor ${code(resource.name)} is set to from the event, and so ${made(type)}: known only when it comes`));
    });
  }
  return parts;
}

export function unreadPods(resources: readonly Resource[]): UnseenPart[] {
  return resources.flatMap((resource) => {
    const kind = resource.kind;
    if (kind === 'TrainJob' && apiGroupOf(resource) === 'trainer.kubeflow.org') {
      return TRAIN_JOB_OVERRIDES.filter((path) => getIn(resource.body, path) !== undefined).map((path) =>
        part(resource, path, `what \`${String(path[path.length - 1])}\` of TrainJob ${code(resource.name)} sets in the pods its runtime makes: Warden does not apply it`),
      );
    }
    if ((kind === 'SparkApplication' || kind === 'ScheduledSparkApplication') && apiGroupOf(resource) === 'sparkoperator.k8s.io') {
      const spec: Path = kind === 'SparkApplication' ? ['spec'] : ['spec', 'template'];
      return (['driver', 'executor'] as const)
        .filter((role) => isRecord(getIn(resource.body, [...spec, role])))
        .map((role) => part(resource, [...spec, role], `the ${role} pods of ${kind} ${code(resource.name)}: the Spark operator makes them from its own settings (\`${role}\`), which Warden does not read as a pod spec`));
    }
    const workflow = ownValue(ARGO_WORKFLOW_SPEC, kind);
    if (workflow && apiGroupOf(resource) === 'argoproj.io') {
      const spec = getIn(resource.body, workflow);
      if (!isRecord(spec)) return [];
      const patches: Path[] = typeof spec.podSpecPatch === 'string' ? [[...workflow, 'podSpecPatch']] : [];
      if (Array.isArray(spec.templates)) spec.templates.forEach((t, i) => isRecord(t) && typeof t.podSpecPatch === 'string' && patches.push([...workflow, 'templates', i, 'podSpecPatch']));
      return patches.map((path) => part(resource, path, `what the \`podSpecPatch\` of ${kind} ${code(resource.name)} writes into its pods: a patch written as text, which Warden does not apply`));
    }
    const tekton = tektonPods(String(resource.apiVersion ?? resource.body.apiVersion ?? ''), kind, resource.body);
    if (tekton) {
      const overrides = TEKTON_OVERRIDES.filter((path) => getIn(resource.body, path) !== undefined);
      const parts = overrides.map((path) => part(resource, path, `what \`${String(path[path.length - 1])}\` of ${kind} ${code(resource.name)} overrides in its pods: Warden does not apply it`));
      for (const taskSpec of tekton.taskSpecs) {
        const steps = getIn(resource.body, [...taskSpec, 'steps']);
        if (!Array.isArray(steps)) continue;
        steps.forEach((step, i) => {
          if (isRecord(step) && step.ref !== undefined) parts.push(part(resource, [...taskSpec, 'steps', i, 'ref'], `what the StepAction that a step of ${kind} ${code(resource.name)} names runs: Warden does not read it there`));
        });
      }
      return parts;
    }
    const sensor = kind === 'Sensor' && apiGroupOf(resource) === 'argoproj.io' ? sensorParts(resource) : [];
    // A custom resource walked for pod specs past the walk's bounds: what is below is not judged.
    const cut = walksFor(resource) ? walkCut(resource.body) : null;
    if (cut) return [...sensor, part(resource, cut, `what ${kind} ${code(resource.name)} holds below here: nested deeper than ${MAX_WALK_DEPTH} levels or larger than ${MAX_WALK_NODES} maps and lists, past where Warden looks for pod specs`)];
    return sensor;
  });
}
