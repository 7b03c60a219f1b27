// Argo Workflows' kinds, shared by the pod scopes (src/engine/scopes.ts) and what is not read as a pod spec
// (src/formats/unread-pods.ts).
import type { Path } from '../model.js';

/** Each kind, and where it keeps its WorkflowSpec. */
export const ARGO_WORKFLOW_SPEC: Readonly<Record<string, Path>> = {
  Workflow: ['spec'],
  WorkflowTemplate: ['spec'],
  ClusterWorkflowTemplate: ['spec'],
  CronWorkflow: ['spec', 'workflowSpec'],
};
