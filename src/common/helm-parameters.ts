// The values an Argo CD source's `helm.parameters` set. Argo CD passes each to `helm template` as `--set name=value`
// (`--set-string` with `forceString`), its commas escaped; Helm reads the name as a path of keys and types the value
// (Helm's strvals: true/false/null in any case, an integer without a leading zero, else a string). Followed only
// where that reading is plain: names of dot-separated keys without list indexes (`\.` a dot in a key), values without
// backslashes, commas (escaped differently by Argo CD's versions) or a leading `{` (a list), Argo CD's build
// variables in them known (src/common/argo-environment.ts), no name set twice or inside
// another (the order Argo CD passes them in is a Go map's). Else null: the source is not followed, and what it
// installs fails closed where it is said.
import { isRecord } from './path.js';
import { putIn, type BuildEnvironment } from './argo-environment.js';
import { setOwn } from './own-key.js';

/** Helm refuses names nested deeper (strvals' MaxNestedNameLevel). */
const MAX_NAME_LEVELS = 30;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * The values tree the parameters set, as Helm merges them over the values files, Argo CD's build variables put in
 * from `environment` (none given: a value with `$` is not followed); null when not followed.
 */
export function argoHelmParameters(parameters: unknown, environment?: BuildEnvironment): Record<string, unknown> | null {
  if (!Array.isArray(parameters)) return null;
  const values: Record<string, unknown> = {};
  const names: string[][] = [];
  for (const parameter of parameters) {
    if (!isRecord(parameter) || typeof parameter.name !== 'string') return null;
    const written = parameter.value ?? '';
    if (typeof written !== 'string' || (parameter.forceString !== undefined && typeof parameter.forceString !== 'boolean')) return null;
    const value = environment ? putIn(written, environment) : written;
    if (value === null) return null;
    const keys = parameterKeys(parameter.name);
    if (keys === null) return null;
    // Helm reads a value that starts with `{` as a list (`{a,b}`), and fails on one that does not end so; a `$` is
    // Argo CD's build environment, put in above when known.
    if (/[\\,]/.test(value) || value.startsWith('{') || (!environment && value.includes('$'))) return null;
    if (names.some((known) => isPrefix(known, keys) || isPrefix(keys, known))) return null;
    names.push(keys);
    const typed = parameter.forceString === true ? value : typedValue(value);
    if (typed === undefined) return null;
    // Each name's keys are keys of the values, as in Helm: `__proto__` or `constructor` is no way into JavaScript's objects.
    let at = values;
    for (const key of keys.slice(0, -1)) {
      if (!Object.hasOwn(at, key)) setOwn(at, key, {});
      at = at[key] as Record<string, unknown>;
    }
    setOwn(at, keys.at(-1)!, typed);
  }
  return values;
}

/**
 * The keys a parameter's name sets, as Helm reads it: split at each `.`, a character after `\\` taken as it is
 * (`podAnnotations.prometheus\\.io/scrape`); null for a list index (`[0]`), a `=` or `,` (Helm would read another
 * setting), an empty key, or past Helm's depth.
 */
export function parameterKeys(name: string): string[] | null {
  const keys: string[] = [];
  let key = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (c === '\\') {
      if (i + 1 === name.length) return null;
      key += name[++i];
    } else if (c === '.') {
      keys.push(key);
      key = '';
    } else if (c === '[' || c === '=' || c === ',') return null;
    else key += c;
  }
  keys.push(key);
  return keys.length <= MAX_NAME_LEVELS && keys.every((k) => k !== '') ? keys : null;
}

function isPrefix(short: readonly string[], long: readonly string[]): boolean {
  return short.length <= long.length && short.every((key, i) => key === long[i]);
}

/**
 * The value `--set` gives: Helm's typing of a value. Undefined for an integer Helm reads as a 64-bit one that a
 * JavaScript number cannot hold exactly.
 */
export function typedValue(value: string): unknown {
  const folded = value.toLowerCase();
  if (folded === 'true') return true;
  if (folded === 'false') return false;
  if (folded === 'null') return null;
  if (value === '0') return 0;
  // Go's ParseInt, base 10: an optional sign and digits, within 64 bits; a leading zero keeps the text.
  if (value[0] !== '0' && /^[+-]?\d+$/.test(value)) {
    const integer = BigInt(value);
    if (integer < INT64_MIN || integer > INT64_MAX) return value;
    return Number.isSafeInteger(Number(integer)) ? Number(integer) : undefined;
  }
  return value;
}
