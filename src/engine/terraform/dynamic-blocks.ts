// Terraform `dynamic` blocks as Terraform expands them, where their `for_each` is known: at any depth of a resource
// (or data block), in what another dynamic block makes, and in a `kubernetes_*` object, which is then built again from
// its blocks (src/formats/hcl.ts dynamicExpansion). Called by ./evaluate.ts for each instance of a resource.
import type { Path, Resource } from '../../model.js';
import { resolveValue, type Scope } from '../../formats/hcl-eval.js';
import { FROM_DYNAMIC, type DynamicOrigin } from '../../formats/paths.js';
import type { DynamicExpansion } from '../../formats/dynamic-expansion.js';
import { isRecord } from '../path.js';
import { ownValue, setOwn } from '../../common/own-key.js';

/**
 * How many blocks a resource's dynamic blocks may make: nested ones multiply (a thousand in a thousand from a few
 * lines), and past this what one would make is left unknown, as an unknown `for_each` is.
 */
const MAX_DYNAMIC_BLOCKS = 2_000;

/**
 * `dynamic "ingress" { for_each = …, content { … } }` whose `for_each` is known: the blocks it makes, appended to the
 * static ones of its label, in this body and in every block nested in it (those it makes too, with their iterator in
 * scope), each marked with where it came from (FROM_DYNAMIC) so findings land in the dynamic block's `content`, and
 * its path added to `found`. One whose `for_each` is not known stays, and rules leave it alone. Whether none stayed.
 */
export function expandDynamic(body: Record<string, unknown>, scope: Scope, found: Path[], at: Path = [], budget = { left: MAX_DYNAMIC_BLOCKS }): boolean {
  let complete = true;
  const scopes = new Map<Record<string, unknown>, Scope>();
  const dynamic = body.dynamic;
  if (isRecord(dynamic)) {
    for (const [label, list] of Object.entries(dynamic)) {
      const entries = Array.isArray(list) ? list : [list];
      const kept: unknown[] = [];
      entries.forEach((entry, index) => {
        const content = isRecord(entry) ? (Array.isArray(entry.content) ? entry.content[0] : entry.content) : undefined;
        const items = isRecord(entry) ? resolveValue(entry.for_each, scope) : undefined;
        const pairs = Array.isArray(items) ? items.map((v, i) => [i, v] as const) : isRecord(items) ? Object.entries(items) : null;
        if (!isRecord(entry) || !isRecord(content) || !pairs || pairs.length > budget.left || JSON.stringify(items).includes('${')) {
          kept.push(entry);
          return;
        }
        budget.left -= pairs.length;
        const iterator = typeof entry.iterator === 'string' ? (/^\$\{(\w+)\}$/.exec(entry.iterator)?.[1] ?? entry.iterator) : label;
        const written = ownValue(body, label);
        const existing = written === undefined ? [] : Array.isArray(written) ? (written as unknown[]) : [written];
        for (const [key, value] of pairs) {
          const inScope = { ...scope, iterators: { ...scope.iterators, [iterator]: { key, value } } };
          const made = resolveValue(content, inScope) as Record<string, unknown>;
          Object.defineProperty(made, FROM_DYNAMIC, { value: { label, index } satisfies DynamicOrigin, enumerable: false });
          scopes.set(made, inScope);
          existing.push(made);
          found.push([...at, label, existing.length - 1]);
        }
        setOwn(body, label, existing);
      });
      if (kept.length > 0) {
        dynamic[label] = kept;
        complete = false;
      } else delete dynamic[label];
    }
    if (Object.keys(dynamic).length === 0) delete body.dynamic;
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === 'dynamic' || !Array.isArray(value)) continue;
    value.forEach((item, i) => {
      if (isRecord(item)) complete = expandDynamic(item, scopes.get(item) ?? scope, found, [...at, key, i], budget) && complete;
    });
  }
  return complete;
}

/**
 * A resource whose blocks hold `dynamic` blocks, seen again with the blocks they make (src/formats/hcl.ts
 * dynamicExpansion): a `kubernetes_*` object built again from its blocks as written, expanded, a native resource's
 * body expanded in place; either located anew, the made blocks in their `content`. Whether every one was expanded: a
 * `kubernetes_*` object with one whose `for_each` is not known is left as it was (and stays not reviewed there).
 */
export function seeExpanded(resource: Resource, expansion: DynamicExpansion, scope: Scope, found: Path[]): boolean {
  const { mapped } = expansion;
  const expanded = mapped ? structuredClone(expansion.written) : resource.body;
  const made: Path[] = [];
  const complete = expandDynamic(expanded, scope, made);
  if (mapped && !complete) return false;
  // A native body expanded to nothing new is located as it was parsed; a mapped one is built again without them.
  if (made.length === 0 && !mapped) return complete;
  const seen = expansion.view(expanded);
  // An instance's own `count` or `for_each` (instances.ts) stays its own.
  for (const key of ['count', 'for_each']) if (key in resource.body) seen.body[key] = resource.body[key];
  resource.body = seen.body;
  resource.source = seen.source;
  found.push(...seen.made);
  return complete;
}
