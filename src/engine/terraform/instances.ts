// A resource's instances (`count`, `for_each`): where its settings differ from one instance to another, it is judged
// once for each group of instances that make the same settings, and each group remembers which instances it stands for.
import type { Resource } from '../../model.js';
import { resolveValue, type Scope } from '../../formats/hcl-eval.js';
import { reportLikewise } from '../../formats/hcl-modules.js';
import { isRecord } from '../path.js';

/** Which instances one evaluation of a resource stands for: named as a finding names them (`weights`, `[0]`), of how many. */
export interface InstanceGroup {
  by: 'count' | 'for_each';
  keys: readonly string[];
  of: number;
}

const groupOf = new WeakMap<Resource, InstanceGroup>();

/** The instances a resource stands for, when it stands for some only (src/engine/run.ts says which). */
export function instanceGroupOf(resource: Resource): InstanceGroup | undefined {
  return groupOf.get(resource);
}

/**
 * A known `count` is expanded up to this many instances (a for_each of 2,000 items is judged in 1.5 s); a larger one
 * is judged as written, its `count.index` unknown.
 */
const MAX_COUNT_INSTANCES = 2_000;

/** How a resource makes its instances: each one's name and what its settings read of it, and what a group holds of the expansion. */
interface Expansion {
  by: InstanceGroup['by'];
  /** The iterator its settings read: `count` (`count.index`), `each` (`each.key`, `each.value`). */
  iterator: 'count' | 'each';
  instances: { key: string; reads: Record<string, unknown> }[];
  /** The `count` or `for_each` a group's resource holds, from its instances' keys. */
  held: (keys: string[]) => unknown;
}

/** A known `count` whose instances' settings read `count.index`, instance `[i]` reading `i`. */
function countExpansion(resource: Resource, scope: Scope): Expansion | null {
  if (resource.body.count === undefined || !/\bcount\.index\b/.test(JSON.stringify(resource.body))) return null;
  const count = resolveValue(resource.body.count, scope);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_COUNT_INSTANCES) return null;
  const instances = Array.from({ length: count }, (_, index) => ({ key: `[${index}]`, reads: { index } }));
  return { by: 'count', iterator: 'count', instances, held: () => resource.body.count };
}

/**
 * A known `for_each` whose instances' settings read `each.key` or `each.value`. Each group's resource holds its own
 * items (known values, which evaluation leaves as they are), so that nothing walks all of them once per group.
 */
function forEachExpansion(resource: Resource, scope: Scope): Expansion | null {
  if (resource.body.for_each === undefined || !/\beach\.(?:key|value)\b/.test(JSON.stringify(resource.body))) return null;
  const items = resolveValue(resource.body.for_each, scope);
  const pairs: [string, unknown][] | null = isRecord(items)
    ? Object.entries(items)
    : Array.isArray(items) && items.every((item) => typeof item === 'string')
      ? items.map((item) => [item, item])
      : null;
  if (!pairs || pairs.length === 0 || JSON.stringify(items).includes('${')) return null;
  return {
    by: 'for_each',
    iterator: 'each',
    instances: pairs.map(([key, value]) => ({ key, reads: { key, value } })),
    held: (keys) => (isRecord(items) ? Object.fromEntries(keys.map((key) => [key, items[key]])) : keys),
  };
}

/**
 * A resource whose `count` or `for_each` is known and whose settings read `count.index`, or `each.key` or
 * `each.value`: evaluated once for each group of instances that make the same settings of it (most resources: one
 * group), so that what one instance sets (`acl = each.value` where one value is `"public-read"`, `acl =
 * var.acls[count.index]`) is judged. Each group's resource keeps the written one's id and lines (its findings are
 * told apart from another group's only by what differs); the first group is the written resource itself. `iterators`:
 * what the group's settings read. An unknown `count` or items, none, or a `count` too large, leave it as written:
 * `count.index` and `each.*` stay unknown, and are never judged.
 */
export function instanceGroups(resource: Resource, scope: Scope): { resource: Resource; iterators?: Scope['iterators'] }[] {
  const block = resource.terraform?.block;
  const expansion = block === 'resource' || block === 'module' ? (countExpansion(resource, scope) ?? forEachExpansion(resource, scope)) : null;
  if (!expansion) return [{ resource }];
  const { by, iterator, instances, held } = expansion;
  // Evaluated once: each instance's settings are told apart without the expansion.
  const { [by]: _, ...settings } = resource.body;
  const groups = new Map<string, { reads: Record<string, unknown>; keys: string[] }>();
  for (const { key, reads } of instances) {
    const made = JSON.stringify(resolveValue(settings, { ...scope, iterators: { ...scope.iterators, [iterator]: reads } }));
    const group = groups.get(made);
    if (group) group.keys.push(key);
    else groups.set(made, { reads, keys: [key] });
  }
  return [...groups.values()].map(({ reads, keys }, i) => {
    const own = held(keys);
    const instance = i === 0 ? resource : { ...resource, body: { ...structuredClone(settings), [by]: own }, source: { ...resource.source } };
    instance.body[by] = own;
    if (instance !== resource) reportLikewise(resource, instance);
    if (groups.size > 1) groupOf.set(instance, { by, keys, of: instances.length });
    return { resource: instance, iterators: { [iterator]: reads } };
  });
}
