// What kustomize's `configMapGenerator` and `secretGenerator` read, as kustomize reads it (api/kv, api/internal/
// generators): env files line by line, `literals`, and `files` whole under a key. Plain functions on text; the
// composer (src/compose/kustomize.ts) reads the files, builds the objects and keeps each value's origin.
import { posix } from 'node:path';
import { isRecord } from '../common/path.js';
import type { Path } from '../model.js';

/** The generator fields of a kustomization, with the kind each generates. */
export const GENERATORS = [
  ['configMapGenerator', 'ConfigMap'],
  ['secretGenerator', 'Secret'],
] as const;

/** A file a generator item names: where the entry is in the item, and the path it gives (relative to the kustomization). */
export interface DataSource {
  field: 'envs' | 'env' | 'files';
  at: Path;
  /** The entry as written (a `files` entry may name its key: `key=path`). */
  entry: unknown;
}

/** The env files (`envs`, then the legacy `env`, as kustomize appends it) and `files` of a generator item. */
export function dataSources(item: Record<string, unknown>): { envs: DataSource[]; files: DataSource[] } {
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  return {
    envs: [...list(item.envs).map((entry, j): DataSource => ({ field: 'envs', at: ['envs', j], entry })), ...(item.env !== undefined && item.env !== null ? [{ field: 'env' as const, at: ['env'], entry: item.env }] : [])],
    files: list(item.files).map((entry, j): DataSource => ({ field: 'files', at: ['files', j], entry })),
  };
}

/**
 * The local paths (relative to the kustomization) the generators of a kustomization read. Shared with
 * src/compose/layout.ts, so that a change to one alone builds the kustomizations that read it.
 */
export function generatorInputPaths(k: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key] of GENERATORS) {
    for (const item of Array.isArray(k[key]) ? k[key] : []) {
      if (!isRecord(item)) continue;
      const { envs, files } = dataSources(item);
      for (const source of envs) if (typeof source.entry === 'string') out.push(source.entry);
      for (const source of files) {
        const parsed = typeof source.entry === 'string' ? fileSource(source.entry) : null;
        if (parsed && 'path' in parsed) out.push(parsed.path);
      }
    }
  }
  return out.filter((path) => path.trim() !== '' && !path.includes('\n'));
}

/** A `files` entry: `path` (its key the file's name) or `key=path`; or why kustomize refuses it. */
export function fileSource(entry: string): { key: string; path: string } | { error: string } {
  const separator = entry.indexOf('=');
  if (separator === -1) return { key: posix.basename(entry), path: entry };
  if (separator === 0) return { error: `\`${entry}\` names no key before \`=\`` };
  const path = entry.slice(separator + 1);
  if (path === '') return { error: `\`${entry}\` names no file after \`=\`` };
  if (path.includes('=')) return { error: `\`${entry}\`: a key or a file path cannot contain \`=\`` };
  return { key: entry.slice(0, separator), path };
}

/** A `literals` entry `KEY=value` (quotes around the whole value taken off, as kustomize does); or why kustomize refuses it. */
export function literalPair(entry: unknown): { key: string; value: string } | { error: string } {
  if (typeof entry !== 'string') return { error: 'a literal that is not a `KEY=value` string' };
  const separator = entry.indexOf('=');
  // Not quoted back: a line without a key may be a value pasted alone, a credential.
  if (separator <= 0) return { error: 'a literal is not `KEY=value`' };
  const value = entry.slice(separator + 1);
  const quoted = value.length >= 2 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'");
  return { key: entry.slice(0, separator), value: quoted ? value.slice(1, -1) : value };
}

/** One line of an env file: a pair, a key whose value kustomize takes from its environment, or why it refuses the line. */
export type EnvLine = { line: number } & ({ key: string; value: string } | { key: string; fromEnvironment: true } | { error: string });

// Go's unicode.IsSpace, which kustomize trims from the start of each line.
const LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
// Kubernetes' IsEnvVarName, which kustomize checks each env file key against.
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
// bufio.Scanner's default limit: a longer line stops kustomize.
const MAX_LINE_BYTES = 64 * 1024;

/**
 * The lines of an env file that hold a key (0-based `line`), as kustomize reads them: a UTF-8 byte order mark
 * dropped from the first, leading white space trimmed, blank lines and `#` comments skipped, `KEY=value` split at
 * the first `=` with the value kept verbatim (no quotes removed, trailing spaces kept). A line with no `=` takes
 * its value from the environment kustomize runs in (older kustomize) or is empty (newer): which one deploys is
 * not known.
 */
export function envFileLines(text: string): EnvLine[] {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  const out: EnvLine[] = [];
  lines.forEach((raw, line) => {
    let content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === 0 && content.startsWith('\uFEFF')) content = content.slice(1);
    if (Buffer.byteLength(content) > MAX_LINE_BYTES) {
      out.push({ line, error: `line ${line + 1} is longer than kustomize reads (64 KiB)` });
      return;
    }
    content = content.replace(LEADING_SPACE, '');
    if (content === '' || content.startsWith('#')) return;
    const separator = content.indexOf('=');
    const key = separator === -1 ? content : content.slice(0, separator);
    // Not quoted back: a line that is no `KEY=value` may be a credential pasted alone.
    if (!ENV_VAR_NAME.test(key)) out.push({ line, error: `line ${line + 1}, whose key is not a valid environment variable name` });
    else if (separator === -1) out.push({ line, key, fromEnvironment: true });
    else out.push({ line, key, value: content.slice(separator + 1) });
  });
  return out;
}

// Kubernetes' IsConfigMapKey, which kustomize checks every generated key against.
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** Why a key cannot be a ConfigMap's or Secret's (kustomize stops), or null. `__proto__` is one JavaScript cannot hold safely. */
export function invalidDataKey(key: string): string | null {
  if (key.length > 253 || !DATA_KEY.test(key) || key === '.' || key.startsWith('..')) return 'a key that is not a valid key of a ConfigMap or Secret';
  if (key === '__proto__') return '`__proto__` is a key Warden cannot hold';
  return null;
}
