// Where every composed value came from. A composed object is plain data (what rules read) plus a sparse
// shadow tree of the same shape whose nodes name the origin of a value: a document of a file and the path
// inside it. A value without a shadow node of its own was set with its parent (its origin: the parent's, one
// step further), so a manifest's shadow is one node until a patch or transformer changes something inside it.
// Shadows are plain JSON, so a JSON Patch applied to the object applies to its shadow (src/compose/json6902.ts).
import type { Path } from '../model.js';

/** A place in a source document: `source` indexes the composition's table of documents (src/compose/sources.ts). */
export interface Origin {
  source: number;
  path: Path;
  /**
   * A value a `replacements` entry copied from here: a fix written here would change every field it is copied to,
   * so it is shown, not offered. The entry that copied it.
   */
  copiedBy?: Origin;
}

export interface Shadow {
  /** Who set this value last; absent: set with its parent. */
  o?: Origin;
  /**
   * Shadows of the entries or items that have one. A list's items, once it has any, all have one: a merge or
   * a patch may remove or insert items before them, so an item's place cannot say where it came from.
   */
  c?: Record<string, Shadow> | Shadow[];
  /** Keys (or list merge-key values) that a patch removed here, and the operation that removed each. */
  r?: Record<string, Origin>;
}

/** The shadow of a value set at `origin` (with everything inside it). */
export function shadowOf(origin: Origin): Shadow {
  return { o: origin };
}

export function below(origin: Origin, seg: string | number): Origin {
  return { ...origin, path: [...origin.path, seg] };
}

export function childShadow(shadow: Shadow | undefined, key: string | number): Shadow | undefined {
  const c = shadow?.c;
  if (!c) return undefined;
  return Array.isArray(c) ? (typeof key === 'number' ? c[key] : undefined) : Object.hasOwn(c, key) ? c[String(key)] : undefined;
}

/**
 * Give the shadow of `value` (set at `origin`) its children's shadows, ready to be changed one by one: a
 * list's items each get their origin, a map gets an (empty) entry table.
 */
export function materialize(shadow: Shadow, origin: Origin, value: unknown): void {
  if (Array.isArray(value)) {
    if (!Array.isArray(shadow.c) || shadow.c.length !== value.length) shadow.c = value.map((_, i) => (Array.isArray(shadow.c) && shadow.c[i]) || { o: below(origin, i) });
  } else if (!shadow.c || Array.isArray(shadow.c)) shadow.c = {};
}

/** The shadow of the child `key` of `value`, made explicit (with its origin) if it was implicit. */
export function explicitChild(shadow: Shadow, origin: Origin, value: unknown, key: string | number): { shadow: Shadow; origin: Origin } {
  materialize(shadow, origin, value);
  const existing = childShadow(shadow, key);
  const childOrigin = existing?.o ?? below(origin, key);
  if (existing) {
    existing.o = childOrigin;
    return { shadow: existing, origin: childOrigin };
  }
  const created: Shadow = { o: childOrigin };
  (shadow.c as Record<string, Shadow>)[String(key)] = created;
  return { shadow: created, origin: childOrigin };
}

/** Record that `key` was removed from the value `shadow` stands for, by the operation at `origin`. */
export function markRemoved(shadow: Shadow, key: string | number, origin: Origin): void {
  (shadow.r ??= {})[String(key)] = origin;
}

export interface Owner {
  /** How much of the path exists. */
  depth: number;
  /** Where the deepest existing value on the path was set. */
  origin: Origin;
  /** The operation that removed the next step of the path, when one did. */
  removedBy: Origin | null;
}

/** Walk `path` through the object and its shadow (whose root names its origin) as far as the object goes. */
export function ownerOf(root: Shadow, body: unknown, path: Path): Owner {
  let shadow: Shadow | undefined = root;
  let origin = root.o!;
  let value = body;
  let depth = 0;
  for (const seg of path) {
    const next = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[seg] : undefined;
    if (next === undefined) {
      return { depth, origin, removedBy: shadow?.r?.[String(seg)] ?? null };
    }
    const child = childShadow(shadow, seg);
    origin = child?.o ?? below(origin, seg);
    shadow = child;
    value = next;
    depth++;
  }
  return { depth, origin, removedBy: null };
}
