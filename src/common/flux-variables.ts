// Flux's post-build variables: after building a Kustomization's folder, Flux puts the values of `${NAME}` into every
// object of the build (`spec.postBuild`: `substitute`, literal values; `substituteFrom`, ConfigMaps and Secrets of the
// cluster), unless the object opts out. It does so on each object's YAML text, which it then reads again: a value
// `true` put into `hostNetwork: ${HOST_NETWORK}` deploys the boolean. Warden puts in the values it knows, as Flux
// does, and says where it does not know what Flux puts in.
import { parse } from 'yaml';
import { isRecord } from './path.js';

/** What a Flux Kustomization puts into the objects it deploys. */
export interface Substitution {
  /** `substitute`: the values written in the Kustomization (they win over any from `substituteFrom`). */
  values: ReadonlyMap<string, string>;
  /**
   * Names whose values Warden does not take as written: not text (Flux rejects them), or text holding a variable of
   * its own (a Kustomization deployed by another that puts its values in first).
   */
  unreadable: ReadonlySet<string>;
  /** `substituteFrom`: ConfigMaps and Secrets of the cluster; a name not among `values` may take its value there. */
  from: readonly { kind: string; name: string }[];
}

/** Whether a text references a variable Flux puts in (`$$` is a `$`, so `$${NAME}` is none). */
export function referencesVariable(text: string): boolean {
  return text.replace(/\$\$/g, '').includes('${');
}

/** The label (or annotation) with which an object opts out of substitution. */
export const SUBSTITUTE_OPT_OUT = 'kustomize.toolkit.fluxcd.io/substitute';

/** A Flux Kustomization's substitution; null when it has none (Flux substitutes only given a value or a source of them). */
export function substitutionOf(kustomization: Record<string, unknown>): Substitution | null {
  const spec = isRecord(kustomization.spec) ? kustomization.spec : {};
  const postBuild = isRecord(spec.postBuild) ? spec.postBuild : {};
  const written = isRecord(postBuild.substitute) ? postBuild.substitute : {};
  const from = Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : [];
  if (Object.keys(written).length === 0 && from.length === 0) return null;
  const values = new Map<string, string>();
  const unreadable = new Set<string>();
  for (const [name, value] of Object.entries(written)) {
    if (typeof value === 'string' && !referencesVariable(value)) values.set(name, value);
    else unreadable.add(name);
  }
  return {
    values,
    unreadable,
    from: from.map((entry) => (isRecord(entry) ? { kind: String(entry.kind ?? ''), name: String(entry.name ?? '') } : { kind: '', name: '' })),
  };
}

/** A Flux Kustomization's `commonMetadata`: labels and annotations set on every object it deploys, over their own. */
export interface CommonMetadata {
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
}

/** A Flux Kustomization's common metadata, each value as text; null when it sets none. */
export function commonMetadataOf(kustomization: Record<string, unknown>): CommonMetadata | null {
  const spec = isRecord(kustomization.spec) ? kustomization.spec : {};
  const common = isRecord(spec.commonMetadata) ? spec.commonMetadata : null;
  if (!common) return null;
  const texts = (map: unknown): Record<string, string> => (isRecord(map) ? Object.fromEntries(Object.entries(map).map(([key, value]) => [key, String(value)])) : {});
  const metadata = { labels: texts(common.labels), annotations: texts(common.annotations) };
  return Object.keys(metadata.labels).length + Object.keys(metadata.annotations).length > 0 ? metadata : null;
}

/** The object's body with the common metadata set on its own labels and annotations (its pod templates' stay theirs). */
export function withCommonMetadata(body: Record<string, unknown>, common: CommonMetadata): Record<string, unknown> {
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  const over = (own: unknown, set: Readonly<Record<string, string>>) => ({ ...(isRecord(own) ? own : {}), ...set });
  return {
    ...body,
    metadata: {
      ...metadata,
      ...(Object.keys(common.labels).length > 0 ? { labels: over(metadata.labels, common.labels) } : {}),
      ...(Object.keys(common.annotations).length > 0 ? { annotations: over(metadata.annotations, common.annotations) } : {}),
    },
  };
}

/** Whether an object's labels or annotations opt it out of substitution. */
export function optsOut(body: Record<string, unknown>): boolean {
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  return [metadata.labels, metadata.annotations].some((map) => isRecord(map) && map[SUBSTITUTE_OPT_OUT] === 'disabled');
}

/** Why a text's variables cannot be put in as Flux does: the name and what is not known of it. */
export interface Unresolved {
  reference: string;
  why: 'from-cluster' | 'unreadable' | 'syntax';
}

// `$$` is a `$`; `${` opens a reference, closed by the first `}` (a reference inside another is not followed).
const REFERENCE = /\$\$|\$\{([^}]*)\}?/g;
/** A name, with a default used when its value is empty (`:=`, `:-`, `=`): the forms Warden follows. */
const FOLLOWED = /^([_\p{L}][_\p{L}\p{N}]*)(?:(:=|:-|=)([^$\\{}]*))?$/u;

/** `text` with the substitution's values put in, or what Warden cannot put in. */
export function substitute(text: string, substitution: Substitution): { text: string } | { unresolved: Unresolved } {
  let unresolved: Unresolved | null = null;
  const put = text.replace(REFERENCE, (whole: string, inner: string | undefined) => {
    if (whole === '$$') return '$';
    const followed = whole.endsWith('}') ? FOLLOWED.exec(inner ?? '') : null;
    if (!followed) {
      unresolved ??= { reference: whole, why: 'syntax' };
      return whole;
    }
    const [, name, operator, fallback] = followed as unknown as [string, string, string | undefined, string | undefined];
    if (substitution.unreadable.has(name)) {
      unresolved ??= { reference: whole, why: 'unreadable' };
      return whole;
    }
    const value = substitution.values.get(name);
    if (value === undefined && substitution.from.length > 0) {
      unresolved ??= { reference: whole, why: 'from-cluster' };
      return whole;
    }
    // Flux puts in nothing for a name it has no value for (unless its strict mode fails the build instead).
    return operator !== undefined && (value ?? '') === '' ? (fallback ?? '') : (value ?? '');
  });
  return unresolved ? { unresolved } : { text: put };
}

/**
 * What Flux deploys for a text value holding variables, given the text with their values put in. Flux puts them into
 * the object as its build writes it, where a one-line value without YAML's indicators stands unquoted: that value
 * with the variables put in is read again as YAML reads a plain scalar (`true`, `8080`, nothing at all a null). A
 * value written quoted for its own sake (`"a: b"`), or on several lines, stays text. Null when what was put in would
 * be read as more than one value (a `: ` or a line break put into a plain scalar, a quote into a quoted one): Warden
 * does not guess at that structure.
 */
export function deployedValue(written: string, put: string): { value: unknown } | null {
  if (!isPlain(written)) {
    // On several lines (a block scalar): text, unless what was put in breaks a line of its own.
    if (written.includes('\n')) return put.split('\n').length === written.split('\n').length ? { value: put } : null;
    return /["'\\\n]/.test(put) ? null : { value: put };
  }
  if (put === '') return { value: null };
  if (!isPlain(put)) return null;
  try {
    return { value: parse(put, { version: '1.1' }) as unknown };
  } catch {
    return null; // what YAML would not read as one value
  }
}

/** Whether a text stands in YAML as a plain scalar: on one line, not starting with an indicator, no `: ` or ` #`. */
function isPlain(text: string): boolean {
  return text !== '' && !/[\n\r\t]/.test(text) && text.trim() === text && !/^[-?:,[\]{}#&*!|>'"%@`]/.test(text) && !/: |:$| #/.test(text);
}
