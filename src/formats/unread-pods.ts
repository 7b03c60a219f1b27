// Pod settings Warden does not read as pod specs (src/engine/scopes.ts), said where they are written so that the
// review fails closed on an edit of them (src/fail-closed.ts): a Spark application's driver and executor, which the
// Spark operator turns into pods from settings of its own shape (`cores`, `memory`, a container's `securityContext`
// beside the pod's `podSecurityContext`, `sidecars`), an Argo workflow's `podSpecPatch`, a patch written as text
// that can set anything in its pods, a Tekton run's overrides of its steps' resources or of one pipeline task's
// pod, a step that runs a StepAction, and a TrainJob's overrides and patches of its runtime's pods.
import type { Path, Resource, UnseenPart } from '../model.js';
import { getIn, isRecord } from '../common/path.js';
import { ARGO_WORKFLOW_SPEC } from '../common/argo-workflows.js';
import { ownValue } from '../common/own-key.js';
import { tektonPods } from '../common/tekton.js';
import { MAX_WALK_DEPTH, MAX_WALK_NODES, walkCut, walksFor } from '../common/pod-walk.js';

const code = (value: unknown) => `\`${String(value)}\``;

function group(resource: Resource): string {
  const apiVersion = String(resource.apiVersion ?? resource.body.apiVersion ?? '');
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

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

export function unreadPods(resources: readonly Resource[]): UnseenPart[] {
  return resources.flatMap((resource) => {
    const kind = resource.kind;
    if (kind === 'TrainJob' && group(resource) === 'trainer.kubeflow.org') {
      return TRAIN_JOB_OVERRIDES.filter((path) => getIn(resource.body, path) !== undefined).map((path) =>
        part(resource, path, `what \`${String(path[path.length - 1])}\` of TrainJob ${code(resource.name)} sets in the pods its runtime makes: Warden does not apply it`),
      );
    }
    if ((kind === 'SparkApplication' || kind === 'ScheduledSparkApplication') && group(resource) === 'sparkoperator.k8s.io') {
      const spec: Path = kind === 'SparkApplication' ? ['spec'] : ['spec', 'template'];
      return (['driver', 'executor'] as const)
        .filter((role) => isRecord(getIn(resource.body, [...spec, role])))
        .map((role) => part(resource, [...spec, role], `the ${role} pods of ${kind} ${code(resource.name)}: the Spark operator makes them from its own settings (\`${role}\`), which Warden does not read as a pod spec`));
    }
    const workflow = ownValue(ARGO_WORKFLOW_SPEC, kind);
    if (workflow && group(resource) === 'argoproj.io') {
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
    // A custom resource walked for pod specs past the walk's bounds: what is below is not judged.
    const cut = walksFor(resource) ? walkCut(resource.body) : null;
    if (cut) return [part(resource, cut, `what ${kind} ${code(resource.name)} holds below here: nested deeper than ${MAX_WALK_DEPTH} levels or larger than ${MAX_WALK_NODES} maps and lists, past where Warden looks for pod specs`)];
    return [];
  });
}
