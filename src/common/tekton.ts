// Tekton's kinds (tekton.dev): where their TaskSpecs sit, shared by the pod scopes (src/engine/scopes.ts) and what is
// not read of them (src/formats/unread-pods.ts); what of a step a StepAction writes.
import type { Path } from '../model.js';
import { getIn } from './path.js';
import { ownValue } from './own-key.js';

/** Where a Tekton run's pods get their pod template and service account, besides the Task's own `volumes`. */
export interface TektonRun {
  podTemplates: readonly Path[];
  serviceAccounts: readonly Path[];
}
const TASK_RUN: TektonRun = { podTemplates: [['spec', 'podTemplate']], serviceAccounts: [['spec']] };
const NO_RUN: TektonRun = { podTemplates: [], serviceAccounts: [] };

/** Each kind: where its TaskSpec sits, or its PipelineSpec (whose tasks embed theirs), and its run's settings by API version. */
const TEKTON: Readonly<Record<string, { taskSpec?: Path; pipelineSpec?: Path; run: (version: string) => TektonRun }>> = {
  Task: { taskSpec: ['spec'], run: () => NO_RUN },
  ClusterTask: { taskSpec: ['spec'], run: () => NO_RUN },
  TaskRun: { taskSpec: ['spec', 'taskSpec'], run: () => TASK_RUN },
  Pipeline: { pipelineSpec: ['spec'], run: () => NO_RUN },
  // v1 moved them under `taskRunTemplate`.
  PipelineRun: {
    pipelineSpec: ['spec', 'pipelineSpec'],
    run: (version) => (version === 'v1' ? { podTemplates: [['spec', 'taskRunTemplate', 'podTemplate']], serviceAccounts: [['spec', 'taskRunTemplate']] } : { podTemplates: [['spec', 'podTemplate']], serviceAccounts: [['spec']] }),
  },
};

/** A Tekton object's TaskSpecs (each the pod of one task: its own, or a pipeline's embedded ones) and its run's settings; null for another kind. */
export function tektonPods(apiVersion: string, kind: string, body: Record<string, unknown>): { taskSpecs: Path[]; run: TektonRun } | null {
  const [group, version = ''] = apiVersion.split('/');
  const known = group === 'tekton.dev' ? ownValue(TEKTON, kind) : undefined;
  if (!known) return null;
  const taskSpecs: Path[] = known.taskSpec ? [known.taskSpec] : [];
  if (known.pipelineSpec) {
    for (const part of ['tasks', 'finally'] as const) {
      const tasks = getIn(body, [...known.pipelineSpec, part]);
      if (Array.isArray(tasks)) tasks.forEach((_, i) => taskSpecs.push([...known.pipelineSpec!, part, i, 'taskSpec']));
    }
  }
  return { taskSpecs, run: known.run(version) };
}

/**
 * A StepAction's spec (tekton.dev v1alpha1, v1beta1): the fields it gives the container of each step that names it
 * (`ref`), under Kubernetes' names; its `params`, `results` and `description` are no container's, and the step's own
 * `computeResources` are written in the Task.
 */
export const STEP_ACTION_FIELDS: readonly string[] = ['image', 'command', 'args', 'script', 'workingDir', 'env', 'securityContext', 'volumeMounts'];
