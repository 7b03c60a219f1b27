// Which objects a kustomization's selectors take: a patch target's fields are Go regular expressions, anchored; a
// replacement's source and targets are identities compared literally; label and annotation selectors as Kubernetes
// reads them. With the identity of a composed object as kustomize compares it.
import { isRecord } from '../common/path.js';
import { goRegExp } from '../common/reg-exp.js';
import { ownValue } from '../common/own-key.js';
import type { ComposedObject } from './kustomize.js';

export function nameOf(object: ComposedObject): string {
  const name = (object.body.metadata as Record<string, unknown> | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

/** `Kind/name`, as notes name an object. */
export function identity(object: ComposedObject): string {
  return `${String(object.body.kind)}/${nameOf(object)}`;
}

export function namespaceOf(object: ComposedObject): string {
  const namespace = (object.body.metadata as Record<string, unknown> | undefined)?.namespace;
  return typeof namespace === 'string' ? namespace : '';
}

/** Namespaces as kustomize compares them: none is `default`. */
export function sameNamespace(a: string, b: string): boolean {
  return (a || 'default') === (b || 'default');
}

/** An object's API group and version, as kustomize splits its `apiVersion`. */
function groupVersion(object: ComposedObject): { apiVersion: string; group: string; version: string } {
  const apiVersion = typeof object.body.apiVersion === 'string' ? object.body.apiVersion : '';
  const slash = apiVersion.lastIndexOf('/');
  return { apiVersion, group: slash >= 0 ? apiVersion.slice(0, slash) : '', version: apiVersion.slice(slash + 1) };
}

export const given = (value: unknown) => value !== undefined && value !== null && String(value) !== '';

/** The identity fields of a selector: a patch target's are Go regular expressions, anchored (kustomize's SelectorRegex). */
export const ID_FIELDS = ['kind', 'group', 'version', 'name', 'namespace'] as const;
export type IdField = (typeof ID_FIELDS)[number];

// Selectors repeat across overlays (every overlay of a base names the same kind and name): compile each once.
const patterns = new Map<string, RegExp | null>();
function anchoredGoRegExp(pattern: string): RegExp | null {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    compiled = goRegExp(`^(?:${pattern})$`);
    if (patterns.size >= 1000) patterns.clear();
    patterns.set(pattern, compiled);
  }
  return compiled;
}

/**
 * A patch target's patterns, each compiled as Go reads it (src/common/reg-exp.ts); or the first field whose pattern
 * Warden cannot match exactly as Go does (it does not compile, or JavaScript cannot read it alike): what the patch
 * applies to is then not known, and it is never matched literally instead. An empty field selects everything.
 */
export function targetPatterns(selector: Record<string, unknown>): { patterns: Map<IdField, RegExp> } | { unknown: IdField } {
  const out = new Map<IdField, RegExp>();
  for (const field of ID_FIELDS) {
    if (!given(selector[field])) continue;
    const compiled = anchoredGoRegExp(String(selector[field]));
    if (compiled === null) return { unknown: field };
    out.set(field, compiled);
  }
  return { patterns: out };
}

/** Whether an object matches a patch target's compiled patterns (names as first written or now) and its label and annotation selectors. */
export function matchesTarget(object: ComposedObject, selector: Record<string, unknown>, patterns: ReadonlyMap<IdField, RegExp>): boolean {
  const { apiVersion, group, version } = groupVersion(object);
  const meta = isRecord(object.body.metadata) ? object.body.metadata : {};
  const want = (field: IdField, actual: string[]) => {
    const pattern = patterns.get(field);
    return pattern === undefined || actual.some((a) => pattern.test(a));
  };
  if (selector.apiVersion !== undefined && selector.group === undefined && selector.version === undefined && selector.apiVersion !== apiVersion) return false;
  return (
    want('kind', [String(object.body.kind)]) &&
    want('group', [group]) &&
    want('version', [version]) &&
    want('name', [object.originalName, nameOf(object)]) &&
    want('namespace', [namespaceOf(object)]) &&
    labelsMatch(selector.labelSelector, meta.labels) &&
    labelsMatch(selector.annotationSelector, meta.annotations)
  );
}

/**
 * Whether a replacement's source or target selects an object as kustomize's `ResId.IsSelectedBy` does: each field
 * given equal, literally (replacements match no regular expression), a name or namespace as first written or now,
 * no namespace the same as `default`.
 */
export function selectedById(object: ComposedObject, id: Record<string, unknown>): boolean {
  const { apiVersion, group, version } = groupVersion(object);
  if (given(id.apiVersion) && !given(id.group) && !given(id.version) && id.apiVersion !== apiVersion) return false;
  return (
    (!given(id.kind) || String(id.kind) === String(object.body.kind)) &&
    (!given(id.group) || String(id.group) === group) &&
    (!given(id.version) || String(id.version) === version) &&
    (!given(id.name) || [object.originalName, nameOf(object)].includes(String(id.name))) &&
    (!given(id.namespace) || [object.originalNamespace, namespaceOf(object)].some((ns) => sameNamespace(ns, String(id.namespace))))
  );
}

/** Whether a replacement target (`select`, less its `reject` entries) takes an object, as kustomize's replacement filter does. */
export function replacementTargets(object: ComposedObject, select: Record<string, unknown>, rejects: readonly Record<string, unknown>[]): boolean {
  const meta = isRecord(object.body.metadata) ? object.body.metadata : {};
  const byLabels = (selector: Record<string, unknown>) => labelsMatch(selector.labelSelector, meta.labels) && labelsMatch(selector.annotationSelector, meta.annotations);
  if (!selectedById(object, select) || !byLabels(select)) return false;
  // A reject entry rejects by its identity, and (apart) by its label or annotation selector.
  return !rejects.some((r) => (ID_FIELDS.some((field) => given(r[field])) && selectedById(object, r)) || ((given(r.labelSelector) || given(r.annotationSelector)) && byLabels(r)));
}

/** A Kubernetes label selector (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`) against labels. */
export function labelsMatch(selector: unknown, labels: unknown): boolean {
  if (typeof selector !== 'string' || selector.trim() === '') return true;
  const have = isRecord(labels) ? labels : {};
  const requirements = selector.match(/[^,(]+(?:\([^)]*\))?/g) ?? [];
  return requirements.every((raw) => {
    const term = raw.trim();
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    // Only the labels the object has: a key every JavaScript object inherits (`constructor`, `toString`) is no label.
    if (set) {
      const values = set[3]!.split(',').map((v) => v.trim());
      const value = ownValue(have, set[1]!);
      const inSet = value !== undefined && values.includes(String(value));
      return set[2] === 'in' ? inSet : !inSet;
    }
    const compare = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (compare) {
      const value = ownValue(have, compare[1]!);
      return compare[2] === '!=' ? String(value) !== compare[3] : value !== undefined && String(value) === compare[3];
    }
    if (term.startsWith('!')) return !Object.hasOwn(have, term.slice(1).trim());
    return Object.hasOwn(have, term);
  });
}

export function selectorText(selector: Record<string, unknown>): string {
  const parts = ['kind', 'name', 'namespace', 'labelSelector'].filter((key) => selector[key] !== undefined).map((key) => `${key} \`${String(selector[key])}\``);
  return parts.length > 0 ? parts.join(', ') : 'everything';
}
