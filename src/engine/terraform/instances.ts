// A resource's instances (`for_each`): where its settings differ from one instance to another, it is judged once for
// each group of instances that make the same settings, and each group remembers which instances it stands for.
import type { Resource } from '../../model.js';
import { resolveValue, type Scope } from '../../formats/hcl-eval.js';
import { reportLikewise } from '../../formats/hcl-modules.js';
import { isRecord } from '../path.js';

/** The instances of a resource's known `for_each` that one evaluation stands for, when it does not stand for all. */
const forEachKeys = new WeakMap<Resource, { keys: string[]; of: number }>();

/** The `for_each` instances a resource stands for, when it stands for some only (src/engine/run.ts says which). */
export function forEachInstances(resource: Resource): { keys: readonly string[]; of: number } | undefined {
  return forEachKeys.get(resource);
}

/**
 * A resource whose `for_each` is known and whose settings read `each.key` or `each.value`: evaluated once for each
 * group of instances that make the same settings of it (most resources: one group), so that what one instance sets
 * (`acl = each.value` where one value is `"public-read"`) is judged. Each group's resource keeps the written one's id
 * and lines (its findings are told apart from another group's only by what differs); the first group is the written
 * resource itself. Unknown items, or none, leave it as written: `each.*` stays unknown, and is never judged.
 */
export function forEachGroups(resource: Resource, scope: Scope): { resource: Resource; each?: { key: unknown; value: unknown } }[] {
  const items = (resource.terraform?.block === 'resource' || resource.terraform?.block === 'module') && resource.body.for_each !== undefined && /\beach\.(?:key|value)\b/.test(JSON.stringify(resource.body)) ? resolveValue(resource.body.for_each, scope) : undefined;
  const pairs: [string, unknown][] | null = isRecord(items)
    ? Object.entries(items)
    : Array.isArray(items) && items.every((item) => typeof item === 'string')
      ? items.map((item) => [item, item])
      : null;
  if (!pairs || pairs.length === 0 || JSON.stringify(items).includes('${')) return [{ resource }];
  // Evaluated once: each instance's settings are told apart without it; each group's resource holds its own items
  // (known values, which evaluation leaves as they are), so that nothing walks all of them once per group.
  const { for_each: _, ...settings } = resource.body;
  const groups = new Map<string, { each: { key: unknown; value: unknown }; keys: string[] }>();
  for (const [key, value] of pairs) {
    const each = { key, value };
    const made = JSON.stringify(resolveValue(settings, { ...scope, iterators: { ...scope.iterators, each } }));
    const group = groups.get(made);
    if (group) group.keys.push(key);
    else groups.set(made, { each, keys: [key] });
  }
  return [...groups.values()].map(({ each, keys }, i) => {
    const own = isRecord(items) ? Object.fromEntries(keys.map((key) => [key, items[key]])) : keys;
    const instance = i === 0 ? resource : { ...resource, body: { ...structuredClone(settings), for_each: own }, source: { ...resource.source } };
    instance.body.for_each = own;
    if (instance !== resource) reportLikewise(resource, instance);
    if (groups.size > 1) forEachKeys.set(instance, { keys, of: pairs.length });
    return { resource: instance, each };
  });
}
