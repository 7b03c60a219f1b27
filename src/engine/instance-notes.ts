// A Terraform resource with `count` or `for_each` is judged once, or once per group of instances that differ
// (./terraform/instances.ts): what its findings say about which instances they hold for.
import type { Finding, Resource } from '../model.js';
import { instanceGroupOf, type InstanceGroup } from './terraform/instances.js';
import { instances } from './terraform/references.js';

/**
 * A Terraform resource with `count` or `for_each` is reviewed once, or once for each group of its instances that
 * differ (src/engine/terraform/instances.ts): the finding says which instances it holds for.
 */
export function instanceNote(resource: Resource): string {
  if (!resource.terraform || resource.terraform.block === 'data') return '';
  const some = instanceGroupOf(resource);
  if (some) return someInstancesNote(some.by, some.keys, some.keys.length);
  const by = resource.body.count !== undefined ? 'count' : resource.body.for_each !== undefined ? 'for_each' : null;
  // One Terraform never creates (`count = 0`) has no instance for it to hold for: its message says so.
  return by && instances(resource) !== 'none' ? everyInstanceNote(by) : '';
}

const everyInstanceNote = (by: InstanceGroup['by']) => ` (This holds for every instance of its \`${by}\`.)`;

/** `keys`: the instances' names, of which the first five are said. */
function someInstancesNote(by: InstanceGroup['by'], keys: Iterable<string>, count: number): string {
  const first: string[] = [];
  for (const key of keys) if (first.push(key) === 5) break;
  const named = first.map((key) => `\`${key}\``).join(', ') + (count > 5 ? ` and ${count - 5} more` : '');
  return ` (This holds for its \`${by}\` instance${count === 1 ? '' : 's'} ${named}.)`;
}

/**
 * One finding of several groups of a resource's instances (the same fingerprint): kept once, saying the instances of
 * them all, or every instance when they are all.
 */
export function mergedInstances(kept: { finding: Finding; resource: Resource }, again: { finding: Finding; resource: Resource }): void {
  const a = instanceGroupOf(kept.resource);
  const b = instanceGroupOf(again.resource);
  if (!a || !b || kept.resource === again.resource) return;
  const finding = kept.finding;
  let keys = instanceKeys.get(finding);
  if (!keys) instanceKeys.set(finding, (keys = new Set(a.keys)));
  for (const key of b.keys) keys.add(key);
  const base = finding.message.slice(0, finding.message.lastIndexOf(' (This holds for'));
  finding.message = base + (keys.size >= a.of ? everyInstanceNote(a.by) : someInstancesNote(a.by, keys, keys.size));
}
const instanceKeys = new WeakMap<Finding, Set<string>>();
