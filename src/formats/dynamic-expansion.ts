// Resources whose blocks hold Terraform `dynamic` blocks, in either syntax (./hcl.ts, ./tfjson.ts): how each is seen
// once evaluation knows their `for_each` (src/engine/terraform/dynamic-blocks.ts), and what the file said it did not
// review until then.
import type { Path, Resource, UnseenPart } from '../model.js';
import { isRecord } from '../common/path.js';

/**
 * A resource whose blocks hold `dynamic` blocks: its body as written (a `kubernetes_*` object's, before it is mapped),
 * and how it is seen once they are expanded (the blocks they made located in their `content`).
 */
export interface DynamicExpansion {
  written: Record<string, unknown>;
  /** Whether the body is built from it (a `kubernetes_*` object in Kubernetes' shape), not it. */
  mapped: boolean;
  /** What the file says it did not review until they are expanded (a `kubernetes_*` object's dynamic blocks). */
  unseen: UnseenPart[];
  view(expanded: Record<string, unknown>): { body: Record<string, unknown>; source: Resource['source']; made: Path[] };
}

const expansions = new WeakMap<Resource, DynamicExpansion>();

export function dynamicExpansion(resource: Resource): DynamicExpansion | undefined {
  return expansions.get(resource);
}

export function expandsLater(resource: Resource, expansion: DynamicExpansion): void {
  expansions.set(resource, expansion);
}

/** Whether a body (as hcl2json gives it: nested blocks as lists) holds a `dynamic` block at any depth. */
export function holdsDynamic(body: Record<string, unknown>): boolean {
  if (body.dynamic !== undefined) return true;
  return Object.values(body).some((value) => Array.isArray(value) && value.some((item) => isRecord(item) && holdsDynamic(item)));
}
