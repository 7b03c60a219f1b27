// Flux's post-build variables: after building a Kustomization's folder, Flux puts the values of `${NAME}` into every
// object of the build (`spec.postBuild`: `substitute`, literal values; `substituteFrom`, ConfigMaps and Secrets of the
// cluster), unless the object opts out. It does so on each object's YAML text, which it then reads again: a value
// `true` put into `hostNetwork: ${HOST_NETWORK}` deploys the boolean. Warden puts in the values it knows, as Flux
// does, and says where it does not know what Flux puts in.
import type { Path } from '../model.js';
import { isRecord } from './path.js';
import { setOwn } from './own-key.js';

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
  /**
   * Why no name's value is known, when none is: a Kustomization deploying this one puts a variable Warden cannot put
   * in into a name of its `substitute`, or into where it deploys from (so it may put its values in anywhere).
   */
  unknown?: string;
}

/** Whether a text may hold a variable Flux puts in (or a `$$` it makes a `$`). */
export function mayHoldVariables(text: string): boolean {
  return text.includes('${') || text.includes('$$');
}

/** Whether a parsed value (its keys too) may hold a variable: decided on what YAML read, which an escape (`"\x24{A}"`) does not hide. */
export function holdsVariables(value: unknown): boolean {
  if (typeof value === 'string') return mayHoldVariables(value);
  if (Array.isArray(value)) return value.some(holdsVariables);
  return isRecord(value) && Object.entries(value).some(([key, v]) => mayHoldVariables(key) || holdsVariables(v));
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
  /**
   * What Warden does not know of them, below `metadata` (`['labels', key]`, or `['labels']` for a key not known), and
   * why: a Kustomization deploying this one puts variables into them that Warden cannot put in.
   */
  unknown?: { paths: readonly Path[]; why: string };
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

/**
 * Why a text's variables cannot be put in as Flux does: the name and what is not known of it. `extent`: a reference
 * whose end Warden cannot be sure of (no `}` in the value, or a `$`, `{` or line break before it): Flux substitutes
 * the object's whole YAML text, so such a reference may reach past this value into the text written after it.
 */
export interface Unresolved {
  reference: string;
  why: 'from-cluster' | 'unreadable' | 'syntax' | 'extent' | 'unknown';
}

// `$$` is a `$`; `${` opens a reference, closed by the first `}` (a reference inside another is not followed).
const REFERENCE = /\$\$|\$\{([^}]*)\}?/g;
/** A name, with a default used when its value is empty (`:=`, `:-`, `=`): the forms Warden follows. */
const FOLLOWED = /^([_\p{L}][_\p{L}\p{N}]*)(?:(:=|:-|=)([^$\\{}\n]*))?$/u;

/** `text` with the substitution's values put in, or what Warden cannot put in. */
export function substitute(text: string, substitution: Substitution): { text: string } | { unresolved: Unresolved } {
  let unresolved: Unresolved | null = null;
  const put = text.replace(REFERENCE, (whole: string, inner: string | undefined) => {
    if (whole === '$$') return '$';
    // Flux's envsubst reads to the first `}` of the object's text, wherever that is: past this value when it has none.
    if (!whole.endsWith('}') || /[$\n\r{]/.test(inner ?? '')) {
      if (unresolved?.why !== 'extent') unresolved = { reference: whole, why: 'extent' };
      return whole;
    }
    const followed = FOLLOWED.exec(inner ?? '');
    if (!followed) {
      unresolved ??= { reference: whole, why: 'syntax' };
      return whole;
    }
    const [, name, operator, fallback] = followed as unknown as [string, string, string | undefined, string | undefined];
    if (substitution.unknown !== undefined) {
      unresolved ??= { reference: whole, why: 'unknown' };
      return whole;
    }
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
 * What Flux deploys for a text value holding variables, given the text with their values put in. Flux's build writes
 * the object with go-yaml, where a one-line value without YAML's indicators stands unquoted (`-${UID}` too: a `-` is
 * one only before a space): that value with the variables put in is read again as go-yaml reads a plain scalar
 * (`true`, `0o0` and `+0x0` the integer 0, nothing at all a null). A value written quoted for its own sake (`"a: b"`),
 * or on several lines, stays text. Null when what was put in would be read as more than one value (a `: ` or a line
 * break put into a plain scalar, a quote into a quoted one), or as a value Warden does not type as go-yaml does (a
 * timestamp, an integer past 2^53): Warden does not guess at those.
 */
export function deployedValue(written: string, put: string): { value: unknown } | null {
  if (!writtenPlain(written)) {
    // On several lines (a block scalar): text, unless what was put in breaks a line of its own.
    if (written.includes('\n')) return put.split('\n').length === written.split('\n').length ? { value: put } : null;
    return /["'\\\n]/.test(put) ? null : { value: put };
  }
  if (put === '') return { value: null };
  if (!writtenPlain(put)) return null;
  return goYamlScalar(put);
}

/**
 * Whether go-yaml (v2, which Flux's build writes with) writes a text as a plain scalar, as its emitter decides: on
 * one line of printable characters, no space at either end, not starting with an indicator (`-`, `?` and `:` are
 * one only before a space or at the end), no `: ` or ` #`. (A text that would read as another type is quoted too:
 * none holding a `$` would.) A text read back where it stood is read as plain under the same conditions.
 */
function writtenPlain(text: string): boolean {
  if (text === '' || /[\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text) || text.trim() !== text) return false;
  if (/^[#,[\]{}&*!|>'"%@`]/.test(text) || /^[-?:]( |$)/.test(text)) return false;
  return !/: |:$| #/.test(text);
}

/** Plain scalars go-yaml v2 reads as other than text by their spelling (its resolve table). */
const GO_YAML_WORDS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w) => [w, false] as const),
  ...['~', 'null', 'Null', 'NULL'].map((w) => [w, null] as const),
]);
/** Not-a-number and infinities: no JSON value, so Flux's build of the object fails; Warden does not judge that. */
const GO_YAML_NON_FINITE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** What Go's strconv.ParseInt (and ParseUint) accept with base 0: a sign, then 0b, 0o, 0x, a leading 0 (octal) or decimal. */
const GO_INTEGER = /^([-+]?)(?:0[bB]([01]+)|0[oO]([0-7]+)|0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))$/;
const GO_YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/**
 * A plain scalar as go-yaml v2 types it (as sigs.k8s.io/yaml, which Flux's build reads with, then writes it as
 * JSON): its words (`yes`, `off`, `~`), an integer as strconv.ParseInt reads it with base 0 once its `_` are gone
 * (`0o0`, `0X0`, `0B0`, `+0o0`, `010` octal), a float of YAML's form, else text. Null where Warden does not follow
 * it: a timestamp, a non-finite float, an integer JavaScript does not hold exactly.
 */
export function goYamlScalar(text: string): { value: unknown } | null {
  if (GO_YAML_WORDS.has(text)) return { value: GO_YAML_WORDS.get(text) };
  if (GO_YAML_NON_FINITE.test(text)) return null;
  const first = text[0] ?? '';
  if (first === '.') return /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(text) ? { value: Number(text) } : { value: text };
  if (!/[-+0-9]/.test(first)) return { value: text };
  if (/^[0-9]{4}-/.test(text)) return null; // perhaps a timestamp, which go-yaml reads as a time
  const plain = text.replace(/_/g, '');
  const integer = GO_INTEGER.exec(plain);
  if (integer) {
    const [, sign, binary, octal, hex, leadingZero, decimal] = integer;
    const digits = binary !== undefined ? `0b${binary}` : octal !== undefined ? `0o${octal}` : hex !== undefined ? `0x${hex}` : leadingZero !== undefined ? `0o${leadingZero || '0'}` : decimal!;
    const magnitude = BigInt(digits);
    const value = sign === '-' ? -magnitude : magnitude;
    // Past int64 (and uint64, unsigned) go-yaml reads it otherwise; past 2^53 JavaScript does not hold it: not judged.
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? { value: Number(value) } : null;
  }
  if (GO_YAML_FLOAT.test(plain)) {
    const value = Number(plain);
    // strconv.ParseFloat refuses what is out of range: go-yaml then keeps the text.
    return Number.isFinite(value) ? { value } : { value: text };
  }
  return { value: text };
}

/** What Warden could not put in at a place: a reference (or a key holding one), and why. */
export type NotPut = Unresolved | { reference: string; why: 'structure' | 'key' };

/**
 * The value with the substitution put in; what cannot be is kept as written and told to `unresolved`. A key holding
 * a variable moves its value elsewhere, which Warden follows only with `followKeys` (a Kustomization's own
 * `postBuild.substitute`, whose keys are names): there, a key that cannot be put in, or that lands on another, is told.
 */
export function putVariablesIn(value: unknown, substitution: Substitution, path: Path, unresolved: (path: Path, what: NotPut) => void, followKeys = false): unknown {
  if (typeof value === 'string') {
    if (!mayHoldVariables(value)) return value;
    const put = substitute(value, substitution);
    if ('unresolved' in put) {
      unresolved(path, put.unresolved);
      return value;
    }
    const deployed = deployedValue(value, put.text);
    if (deployed === null) unresolved(path, { reference: value, why: 'structure' });
    return deployed === null ? value : deployed.value;
  }
  if (Array.isArray(value)) return value.map((item, i) => putVariablesIn(item, substitution, [...path, i], unresolved, followKeys));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    let deployedKey = key;
    if (mayHoldVariables(key)) {
      const put = substitute(key, substitution);
      const plain = followKeys && 'text' in put && deployedValue(key, put.text);
      if (plain && typeof plain.value === 'string' && !Object.hasOwn(value, plain.value) && !Object.hasOwn(out, plain.value)) deployedKey = plain.value;
      // A key Flux would change moves the value to another place: Warden does not follow it (nor what a reference
      // without a sure end reaches past it).
      else unresolved([...path, key], 'unresolved' in put && (followKeys || put.unresolved.why === 'extent') ? put.unresolved : { reference: key, why: 'key' });
    }
    setOwn(out, deployedKey, putVariablesIn(item, substitution, [...path, key], unresolved, followKeys));
  }
  return out;
}
