// Terraform values as hcl2json and `.tf.json` give them: literal booleans, nested blocks (arrays of objects, or one
// object), `dynamic` blocks, attribute paths, lists, and CIDRs.
import type { Path } from '../../model.js';
import { isRecord } from '../path.js';
import { isUnknown } from '../shapes.js';

export { isUnknown };

/** hcl2json spells a literal `true` as true; `.tf.json` files sometimes as "true". */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** A nested block's instances: hcl2json gives arrays of objects, `.tf.json` may give a single object. */
export function blocks(node: unknown, name: string): Record<string, unknown>[] {
  if (!isRecord(node)) return [];
  const value = node[name];
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

/** The first instance of a nested block. */
export function block(node: unknown, name: string): Record<string, unknown> | undefined {
  return blocks(node, name)[0];
}

/** A `dynamic "name"` block: its content is generated at plan time, so it is unknown, not absent. */
export function hasDynamic(node: unknown, name: string): boolean {
  return blocks(node, 'dynamic').some((d) => name in d);
}

/** Follow attribute names and block indices (`['vpc_config', 0, 'endpoint_public_access']`). */
export function attr(node: unknown, path: Path): unknown {
  let cur: unknown = node;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (Array.isArray(cur)) cur = cur[seg];
      else if (!(isRecord(cur) && seg === 0)) return undefined; // a block written as one object
      continue;
    }
    if (!isRecord(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** A list attribute's items; a single string counts as a list of one; unknown stays unknown. */
export function listOf(value: unknown): unknown[] | 'unknown' | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnknown(value) && typeof value === 'string' && value.startsWith('${') && value.endsWith('}')) return 'unknown';
  return Array.isArray(value) ? value : [value];
}

/** Whether a CIDR list holds the whole internet. Unknown entries are never judged. */
export function openCidrs(value: unknown): string[] {
  const list = listOf(value);
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is string => c === '0.0.0.0/0' || c === '::/0');
}

/** Values for messages: `a`, `b`. */
export function listText(values: readonly unknown[]): string {
  return values.map((v) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``).join(', ');
}
