// A list deploys its items, not itself. kubectl decodes any object that has an `items` array as a list (`kind: List`,
// `PodList`, the output of `kubectl get -o yaml`) and applies each item; Kustomize expands a List among its
// resources the same way. So a manifest written as a list is reviewed item by item, each item at its path in the
// document: a privileged Deployment must not pass because it was written inside a List.
import { isRecord } from '../common/path.js';
import type { Path } from '../model.js';

export interface ListedObject {
  body: Record<string, unknown>;
  /** Where the object is in its document: `[]` for the document itself, `['items', 2]` for a list's third item. */
  at: Path;
}

/**
 * The objects a document's value deploys: the value itself, or each item of a list (of lists), with its path. A list
 * says what it is (`apiVersion` and `kind`) as any object kubectl decodes must: `items:` in other YAML is no list.
 */
export function deployedObjects(value: unknown, at: Path = []): ListedObject[] {
  if (!isRecord(value)) return [];
  if (!Array.isArray(value.items) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') return [{ body: value, at }];
  return value.items.flatMap((item: unknown, i: number) => deployedObjects(item, [...at, 'items', i]));
}

/** A path inside an object as a path inside its document. */
export function inDocument(at: Path, path: Path): Path {
  return at.length === 0 ? path : [...at, ...path];
}
