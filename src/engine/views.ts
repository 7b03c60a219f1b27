// A pod spec or container that is not written as one map under Kubernetes' names: a Tekton step (its fields merged
// over its Task's `stepTemplate`, `computeResources` for `resources`), a TrainJob's trainer (`resourcesPerNode`), an
// Argo Events pod (only some fields are the user's). The rules read a view under Kubernetes' names; what they report
// is placed back on the field a person writes (src/engine/run.ts), and nothing is said of a field not written there.
import type { Path } from '../model.js';
import { getIn, isRecord } from '../common/path.js';

/** One map that writes fields of a view, its fields by their Kubernetes names. */
export interface ViewSource {
  path: Path;
  node: Record<string, unknown>;
  /** The view's fields written here ('*': every one). */
  fields: readonly string[] | '*';
  /** A field written here under another name: `resources` → `computeResources`. */
  renamed?: Readonly<Record<string, string>>;
  /** It overrides fields written elsewhere (a TrainJob's trainer, its runtime's container): what it leaves unset is judged there. */
  overrides?: true;
}

/** The sources of a view, the first winning: a step over its stepTemplate, as Tekton's strategic merge does. */
export type ViewSources = readonly ViewSource[];

/** Lists merged item by item (by this key) rather than replaced, as Kubernetes' strategic merge does for them. */
const MERGE_KEYS: Readonly<Record<string, string>> = { env: 'name', volumeMounts: 'mountPath', volumeDevices: 'devicePath', volumes: 'name' };

/** Whether a value is set: Go's `omitempty` drops null, "" and [], so a step's empty field takes its template's. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
}

function writes(source: ViewSource, field: string): boolean {
  return source.fields === '*' || source.fields.includes(field);
}

function writtenName(source: ViewSource, field: string): string {
  return source.renamed?.[field] ?? field;
}

function merged(high: unknown, low: unknown, key: string | undefined): unknown {
  if (!present(high)) return present(low) ? low : high;
  if (!present(low)) return high;
  if (isRecord(high) && isRecord(low)) {
    const out: Record<string, unknown> = { ...low };
    for (const [name, value] of Object.entries(high)) out[name] = merged(value, low[name], MERGE_KEYS[name]);
    return out;
  }
  if (key && Array.isArray(high) && Array.isArray(low)) {
    const out = high.map((item) => {
      const under = isRecord(item) ? low.find((l) => isRecord(l) && l[key] === item[key]) : undefined;
      return under === undefined ? item : merged(item, under, undefined);
    });
    for (const item of low) if (!(isRecord(item) && high.some((h) => isRecord(h) && h[key] === item[key]))) out.push(item);
    return out;
  }
  return high;
}

/** The view: each field as the sources make it, under Kubernetes' names. */
export function viewOf(sources: ViewSources): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (let i = sources.length - 1; i >= 0; i--) {
    const source = sources[i]!;
    const byWritten = new Map(Object.entries(source.renamed ?? {}).map(([field, written]) => [written, field]));
    for (const [written, value] of Object.entries(source.node)) {
      const field = byWritten.get(written) ?? (source.renamed && Object.hasOwn(source.renamed, written) ? null : written);
      if (field === null || !writes(source, field)) continue;
      view[field] = merged(value, view[field], MERGE_KEYS[field]);
    }
  }
  return view;
}

/**
 * Where a path inside the view is written: in the first source that holds it, else in the one holding most of it
 * (a missing `runAsNonRoot` under a stepTemplate's `securityContext` goes there), else in the first that may write
 * it. Null when no source writes the field, or one that overrides another object's leaves it unset: it is set
 * elsewhere (a TrainJob's runtime), not here.
 */
export function placeInView(sources: ViewSources, view: Record<string, unknown>, relative: Path): Path | null {
  const field = relative[0];
  if (typeof field !== 'string') return null;
  let best: { path: Path; depth: number; source: ViewSource } | null = null;
  for (const source of sources) {
    if (!writes(source, field)) continue;
    const path: (string | number)[] = [writtenName(source, field)];
    let node: unknown = source.node[path[0] as string];
    let depth = present(node) ? 1 : 0;
    for (let i = 1; i < relative.length; i++) {
      let step = relative[i]!;
      const listKey = typeof step === 'number' ? MERGE_KEYS[String(relative[i - 1])] : undefined;
      if (listKey && Array.isArray(node)) {
        // An item of a merged list: the same item (by its key) in this source.
        const item = getIn(view, relative.slice(0, i + 1));
        const at = isRecord(item) ? node.findIndex((n) => isRecord(n) && n[listKey] === item[listKey]) : -1;
        if (at < 0) break;
        step = at;
      }
      path.push(step);
      node = getIn(node, [step]);
      if (!present(node)) break;
      depth = i + 1;
    }
    const full = [...path, ...relative.slice(path.length)];
    if (depth === relative.length) return [...source.path, ...full];
    if (!best || depth > best.depth) best = { path: [...source.path, ...full], depth, source };
  }
  if (best?.depth === 0 && best.source.overrides) return null;
  return best?.path ?? null;
}
