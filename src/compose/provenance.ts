// Where every composed value came from. A composed object is plain data (what rules read) plus a shadow tree
// of the same shape whose nodes name the origin of each value: a document of a file and the path inside it.
// Shadows are plain JSON too, so a JSON Patch applied to the object applies to its shadow unchanged.
import type { Path } from '../model.js';
import { isRecord } from '../engine/path.js';

/** A place in a source document: `source` indexes the composition's table of documents (src/compose/sources.ts). */
export interface Origin {
  source: number;
  path: Path;
}

export interface Shadow {
  /** Who set this value last. */
  o: Origin;
  /** The shadows of a map's entries or a list's items, when the value is a collection. */
  c?: Record<string, Shadow> | Shadow[];
  /** Keys (or list merge-key values) that a patch removed here, and the operation that removed each. */
  r?: Record<string, Origin>;
}

/** The shadow of a value all set at `origin`, its children at the matching paths below it. */
export function shadowOf(value: unknown, origin: Origin): Shadow {
  if (Array.isArray(value)) return { o: origin, c: value.map((item, i) => shadowOf(item, { source: origin.source, path: [...origin.path, i] })) };
  if (isRecord(value)) {
    const c: Record<string, Shadow> = {};
    for (const [key, item] of Object.entries(value)) c[key] = shadowOf(item, { source: origin.source, path: [...origin.path, key] });
    return { o: origin, c };
  }
  return { o: origin };
}

export function childShadow(shadow: Shadow | undefined, key: string | number): Shadow | undefined {
  const c = shadow?.c;
  if (!c) return undefined;
  return Array.isArray(c) ? (typeof key === 'number' ? c[key] : undefined) : Object.hasOwn(c, key) ? c[String(key)] : undefined;
}

/** Record that `key` was removed from the value `shadow` stands for, by the operation at `origin`. */
export function markRemoved(shadow: Shadow, key: string | number, origin: Origin): void {
  (shadow.r ??= {})[String(key)] = origin;
}

export interface Owner {
  /** The deepest shadow on the path that exists, and how much of the path it covers. */
  shadow: Shadow;
  depth: number;
  /** The operation that removed the next step of the path, when one did. */
  removedBy: Origin | null;
}

/** Walk `path` through the shadow as far as it exists. */
export function ownerOf(root: Shadow, path: Path): Owner {
  let shadow = root;
  let depth = 0;
  for (const seg of path) {
    const next = childShadow(shadow, seg);
    if (!next) return { shadow, depth, removedBy: shadow.r?.[String(seg)] ?? null };
    shadow = next;
    depth++;
  }
  return { shadow, depth, removedBy: null };
}
