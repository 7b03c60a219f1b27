import type { Path } from '../model.js';

/** `'securityContext.runAsNonRoot'` or `['metadata','annotations','a.b/c']` → a Path. */
export function toPath(path: string | Path): Path {
  if (typeof path !== 'string') return path;
  if (path === '') return [];
  return path.split('.').map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

export function joinPath(base: Path, rel: string | Path): Path {
  return [...base, ...toPath(rel)];
}

export function pathKey(path: Path): string {
  return path.map((seg) => (typeof seg === 'number' ? `[${seg}]` : `.${seg}`)).join('');
}

export function getIn(value: unknown, path: Path): unknown {
  let cur: unknown = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}
