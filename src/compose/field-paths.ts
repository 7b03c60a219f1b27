// Kustomize's field paths, as `replacements` name the fields they read and write:
// `spec.template.spec.containers.[name=server].securityContext.privileged`. A segment is a key, a list index,
// `[field=value]` (the list items whose field has that value), `[=value]` (the scalar items equal to it), or `*`
// (every item or entry). Dots inside brackets do not split.
import { isRecord } from '../common/path.js';
import type { Path } from '../model.js';

/** The segments of a field path. */
export function splitFieldPath(fieldPath: string): string[] {
  const segments: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of fieldPath) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === '.' && depth === 0) {
      segments.push(current);
      current = '';
    } else current += ch;
  }
  segments.push(current);
  return segments.filter((s) => s !== '');
}

/**
 * Every concrete path the segments name in `value`. `create`: a missing key is made (kustomize's `create`
 * option), and so are the plain keys after it; a selector over a missing list cannot be. An empty list: nothing named.
 */
export function resolveFieldPath(value: unknown, segments: readonly string[], create = false): Path[] {
  let reached: { node: unknown; path: Path }[] = [{ node: value, path: [] }];
  segments.forEach((segment, i) => {
    const next: { node: unknown; path: Path }[] = [];
    for (const { node, path } of reached) {
      for (const [key, child] of children(node, segment)) next.push({ node: child, path: [...path, key] });
      // A missing key, to be created: only plain keys from here on, on a mapping (or on what is created).
      // Never `__proto__`: no field of a Kubernetes object, and JavaScript's prototype of every object.
      if (create && segment !== '__proto__' && !isSelector(segment) && (isRecord(node) || node === undefined) && (node === undefined || !Object.hasOwn(node, segment))) {
        if (segments.slice(i).every((s) => !isSelector(s))) next.push({ node: undefined, path: [...path, segment] });
      }
    }
    reached = next;
  });
  return reached.map((r) => r.path);
}

function isSelector(segment: string): boolean {
  return segment === '*' || segment.startsWith('[') || /^\d+$/.test(segment);
}

/** The children of a node a segment names, with their keys. */
function children(node: unknown, segment: string): [string | number, unknown][] {
  if (Array.isArray(node)) {
    if (segment === '*') return node.map((item, i) => [i, item]);
    if (/^\d+$/.test(segment)) return Number(segment) < node.length ? [[Number(segment), node[Number(segment)]]] : [];
    const match = /^\[([^=\]]*)=(.*)\]$/.exec(segment);
    if (!match) return [];
    const [, field, wanted] = match as unknown as [string, string, string];
    return node.flatMap((item, i): [number, unknown][] => {
      const actual = field === '' ? item : isRecord(item) ? item[field] : undefined;
      return actual !== undefined && actual !== null && typeof actual !== 'object' && String(actual) === wanted ? [[i, item]] : [];
    });
  }
  if (!isRecord(node)) return [];
  if (segment === '*') return Object.entries(node);
  return Object.hasOwn(node, segment) ? [[segment, node[segment]]] : [];
}
