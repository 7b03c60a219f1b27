// Argo Events' Sensor triggers that make Kubernetes objects (`k8s`, `argoWorkflow`): where each keeps the object it
// makes and what it does with it, shared by the pod scopes (src/engine/scopes.ts) and what is not read of them
// (src/formats/unread-pods.ts). Facts from Argo Events' API (pkg/apis/events/v1alpha1/sensor_types.go) and its
// triggers (sensors/triggers/standard-k8s, argo-workflow):
// - a trigger's `source` (an ArtifactLocation) holds the object inline (`resource`), or names where it is read at
//   event time (`s3`, `git`, `url`, `configmap`, `file`), or holds it as text (`inline`);
// - a `k8s` trigger creates it (`create`, the default), updates it (`update`: its fields merged over the live
//   object's, created as written when there is none; with `liveObject`, the live object is fetched and the written
//   one only names it), patches the live object with it (`patch`: created as written when there is none), or deletes;
// - an `argoWorkflow` trigger submits it (`submit`, the default); `submit-from` submits a workflow from the
//   CronWorkflow or WorkflowTemplate it names (judged where written), the other operations act on a running workflow;
// - `parameters` of the `k8s` or `argoWorkflow` write event values into the object at `dest` (an sjson path), and the
//   trigger's own `parameters` into its template (`k8s.source.resource.…`), before it is made.
import type { Path } from '../model.js';
import { getIn, isRecord, startsWith } from './path.js';
import { ARGO_WORKFLOW_SPEC } from './argo-workflows.js';
import { ownValue, setOwn } from './own-key.js';
import { apiGroupOf, walkedPodSpecs } from './pod-walk.js';

/** What a trigger does with the object its source holds: makes it as written, patches the live one with it, or neither. */
export type TriggerUse = 'whole' | 'patch' | 'json-patch' | 'live' | 'none';

export interface ObjectTrigger {
  /** The trigger (its `parameters` write into its template). */
  trigger: Path;
  /** Its template's `k8s` or `argoWorkflow`. */
  path: Path;
  type: 'k8s' | 'argoWorkflow';
  use: TriggerUse;
}

/** The `dlqTrigger` chain followed at most this deep (each is a trigger of its own). */
const MAX_DLQ_DEPTH = 8;

/** A Sensor's triggers, each dead-letter trigger too (run when the trigger fails). */
export function sensorTriggers(body: Record<string, unknown>): Path[] {
  const out: Path[] = [];
  const triggers = getIn(body, ['spec', 'triggers']);
  if (!Array.isArray(triggers)) return out;
  triggers.forEach((_, i) => {
    let path: Path = ['spec', 'triggers', i];
    for (let depth = 0; depth <= MAX_DLQ_DEPTH && isRecord(getIn(body, path)); depth++) {
      out.push(path);
      path = [...path, 'dlqTrigger'];
    }
  });
  return out;
}

/** A Sensor's triggers that make Kubernetes objects, and what each does with the object of its source. */
export function objectTriggers(body: Record<string, unknown>): ObjectTrigger[] {
  const out: ObjectTrigger[] = [];
  for (const trigger of sensorTriggers(body)) {
    for (const type of ['k8s', 'argoWorkflow'] as const) {
      const path = [...trigger, 'template', type];
      const spec = getIn(body, path);
      if (isRecord(spec)) out.push({ trigger, path, type, use: type === 'k8s' ? k8sUse(spec) : workflowUse(spec) });
    }
  }
  return out;
}

function k8sUse(spec: Record<string, unknown>): TriggerUse {
  const operation = spec.operation ?? 'create';
  if (operation === 'create') return 'whole';
  if (operation === 'update') return spec.liveObject === true ? 'live' : 'whole';
  if (operation === 'patch') return spec.patchStrategy === 'application/json-patch+json' ? 'json-patch' : 'patch';
  return 'none';
}

function workflowUse(spec: Record<string, unknown>): TriggerUse {
  return (spec.operation ?? 'submit') === 'submit' ? 'whole' : 'none';
}

/**
 * A `dest` as a path (sjson's syntax: keys separated by dots, `\` escaping a dot, a number an array index, `-1` an
 * item appended, `:` before a number an object key).
 */
export function destPath(dest: string): Path {
  const keys: string[] = [];
  let key = '';
  for (let i = 0; i < dest.length; i++) {
    const c = dest[i]!;
    if (c === '.') {
      keys.push(key);
      key = '';
    } else key += c === '\\' && i + 1 < dest.length ? dest[++i]! : c;
  }
  return [...keys, key].map((key) => (/^(-1|\d+)$/.test(key) ? Number(key) : key.startsWith(':') ? key.slice(1) : key));
}

/** Kubernetes' own groups of the kinds that hold pods (core, `apps`, `batch`): their pod templates have the shape the walk finds. */
const WORKLOAD_GROUPS = new Set(['', 'apps', 'batch']);

/**
 * Whether a value written at `dest` of an object (an Argo Events trigger's parameter writes the event's) can change
 * its pods: a Pod's annotations; an Argo Workflow's WorkflowSpec but its `arguments` and `entrypoint`; a built-in
 * workload's pod template, its metadata, a pod or container beside its own (an item of their list), or one it would
 * make where there was none (the stub that names a live object); anything outside any other kind's `metadata`. A
 * name, a label, a workflow's arguments or a Deployment's `replicas` change none.
 */
export function reachesPods(object: Record<string, unknown>, dest: Path): boolean {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const group = apiGroupOf({ body: object });
  if (dest[0] === 'metadata') return kind === 'Pod' && group === '' && (dest.length === 1 || dest[1] === 'annotations');
  const workflowSpec = group === 'argoproj.io' ? ownValue(ARGO_WORKFLOW_SPEC, kind) : undefined;
  if (workflowSpec) {
    if (startsWith(dest, [...workflowSpec, 'arguments']) || (dest.length === workflowSpec.length + 1 && dest[dest.length - 1] === 'entrypoint' && startsWith(dest, workflowSpec))) return false;
    return startsWith(dest, workflowSpec) || startsWith(workflowSpec, dest);
  }
  if (!WORKLOAD_GROUPS.has(group) || kind === '') return true;
  const pods = podPlaces(object);
  const sibling = (place: Path) => typeof dest[dest.length - 1] === 'number' && place.length === dest.length && startsWith(place, dest.slice(0, -1));
  if (pods.some((place) => startsWith(dest, place) || startsWith(place, dest) || sibling(place))) return true;
  const after = structuredClone(object);
  writeAt(after, dest, 'unknown');
  return podPlaces(after).length !== pods.length;
}

/** Where a built-in workload's pods are written: each pod spec, its containers, its template's metadata. */
function podPlaces(object: Record<string, unknown>): Path[] {
  return walkedPodSpecs(object).flatMap(([spec, metadata]) => {
    const containers = getIn(object, [...spec, 'containers']);
    return [spec, ...(Array.isArray(containers) ? containers.map((_, i) => [...spec, 'containers', i]) : []), ...(metadata ? [metadata] : [])];
  });
}

/** Sets a value at a path as sjson does, making the maps and lists on the way (a number a list's index, -1 appending). */
function writeAt(root: Record<string, unknown>, path: Path, value: unknown): void {
  let node: Record<string, unknown> | unknown[] = root;
  path.forEach((step, i) => {
    const key = Array.isArray(node) && step === -1 ? node.length : step;
    const held = Object.hasOwn(node, key) ? (node as Record<string | number, unknown>)[key] : undefined;
    const next = i === path.length - 1 ? value : held !== null && typeof held === 'object' ? held : typeof path[i + 1] === 'number' ? [] : {};
    if (Array.isArray(node) && typeof key === 'number') node[key] = next;
    else setOwn(node as Record<string, unknown>, String(key), next);
    node = next as Record<string, unknown> | unknown[];
  });
}
