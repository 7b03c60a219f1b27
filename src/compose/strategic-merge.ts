// Strategic merge patch, as Kubernetes defines it for the fields Warden's rules read: maps merge key by key, a
// null deletes, lists of named things (containers, volumes, env, ports, mounts…) merge item by item on their
// merge key, other lists are replaced, and `$patch: delete | replace` act on a map or a list item. Custom
// resources have no schema here, so (as `kustomize build` does without one) their lists are replaced.
// The merge works on the object and its shadow together (src/compose/provenance.ts).
import rfdc from 'rfdc';
import { isRecord } from '../common/path.js';
import { ownValue } from '../common/own-key.js';
import { below, explicitChild, markRemoved, materialize, shadowOf, type Origin, type Shadow } from './provenance.js';

/** The merge key of each list field that has one in the Kubernetes API (patchMergeKey). */
const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  volumes: ['name'],
  env: ['name'],
  imagePullSecrets: ['name'],
  resourceClaims: ['name'],
  secrets: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  // A container's ports merge on containerPort, a Service's on port.
  ports: ['containerPort', 'port'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey'],
};

/** API groups whose kinds Kubernetes itself defines (their schema gives the merge keys above). */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'autoscaling']);

export function hasBuiltInSchema(apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  return BUILT_IN_GROUPS.has(apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');
}

export interface MergeOptions {
  /** Whether lists merge on their merge keys (built-in kinds) or are replaced (custom resources). */
  mergeLists: boolean;
}

const clone = rfdc();

const isDirective = (key: string) => key.startsWith('$');

/**
 * Merge `patch` (found at `at` in its source) into `target` (whose value was set at `origin`) and its shadow,
 * in place. Returns false when the patch deletes the whole object (`$patch: delete` at its root).
 */
export function strategicMerge(target: Record<string, unknown>, shadow: Shadow, origin: Origin, patch: Record<string, unknown>, at: Origin, options: MergeOptions): boolean {
  if (patch.$patch === 'delete') return false;
  mergeMap(target, shadow, origin, patch, at, options);
  return true;
}

function setEntry(target: Record<string, unknown>, shadow: Shadow, key: string, value: unknown, at: Origin): void {
  target[key] = clone(value);
  (shadow.c as Record<string, Shadow>)[key] = shadowOf(at);
}

function withoutDirectives(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !isDirective(key)));
}

function mergeMap(target: Record<string, unknown>, shadow: Shadow, origin: Origin, patch: Record<string, unknown>, at: Origin, options: MergeOptions): void {
  materialize(shadow, origin, target);
  if (patch.$patch === 'replace') {
    for (const key of Object.keys(target)) delete target[key];
    shadow.c = {};
    shadow.o = at;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (isDirective(key)) continue;
    const place = below(at, key);
    // A field the object has, and the merge keys the API gives a field of that name: nothing JavaScript objects inherit.
    const current = ownValue(target, key);
    const mergeKeys = ownValue(MERGE_KEYS, key);
    if (value === null || (isRecord(value) && value.$patch === 'delete')) {
      if (Object.hasOwn(target, key)) {
        delete target[key];
        delete (shadow.c as Record<string, Shadow>)[key];
        markRemoved(shadow, key, place);
      }
      continue;
    }
    if (isRecord(value) && isRecord(current) && value.$patch !== 'replace') {
      const child = explicitChild(shadow, origin, target, key);
      mergeMap(current, child.shadow, child.origin, value, place, options);
    } else if (Array.isArray(value) && Array.isArray(current) && options.mergeLists && mergeKeys !== undefined) {
      const child = explicitChild(shadow, origin, target, key);
      mergeList(current, child.shadow, child.origin, value, place, mergeKeys, options);
    } else if (isRecord(value)) {
      setEntry(target, shadow, key, withoutDirectives(value), place);
    } else if (Array.isArray(value)) {
      // A list without a merge key is replaced; `$patch` items only mean something to a merged list.
      setEntry(target, shadow, key, value.filter((item) => !(isRecord(item) && '$patch' in item)), place);
    } else {
      setEntry(target, shadow, key, value, place);
    }
  }
}

function keyOf(item: unknown, keys: readonly string[]): [string, unknown] | null {
  if (!isRecord(item)) return null;
  for (const key of keys) if (item[key] !== undefined) return [key, item[key]];
  return null;
}

function mergeList(target: unknown[], shadow: Shadow, origin: Origin, patch: unknown[], at: Origin, keys: readonly string[], options: MergeOptions): void {
  materialize(shadow, origin, target);
  const items = shadow.c as Shadow[];
  if (patch.some((item) => isRecord(item) && item.$patch === 'replace')) {
    const kept = patch.flatMap((item, i) => (isRecord(item) && item.$patch === 'replace' ? [] : [[item, i] as const]));
    target.splice(0, target.length, ...kept.map(([item]) => clone(item)));
    items.splice(0, items.length, ...kept.map(([, i]) => shadowOf(below(at, i))));
    shadow.o = at;
    return;
  }
  patch.forEach((item, i) => {
    const place = below(at, i);
    const key = keyOf(item, keys);
    const index = key ? target.findIndex((existing) => isRecord(existing) && existing[key[0]] === key[1]) : -1;
    if (isRecord(item) && item.$patch === 'delete') {
      if (index >= 0) {
        target.splice(index, 1);
        items.splice(index, 1);
        markRemoved(shadow, String(key![1]), place);
      }
      return;
    }
    if (index >= 0 && isRecord(item) && isRecord(target[index])) {
      mergeMap(target[index] as Record<string, unknown>, items[index]!, items[index]!.o!, item, place, options);
    } else {
      const added = isRecord(item) ? withoutDirectives(item) : item;
      target.push(clone(added));
      items.push(shadowOf(place));
    }
  });
}
