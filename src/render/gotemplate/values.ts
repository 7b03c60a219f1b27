// Go's view of the values a template handles: maps (plain objects), slices (arrays), strings,
// numbers, booleans, nil (null/undefined), and structs (GoStruct: Helm's .Release, .Chart, …).
import { originOf, setOrigin } from './trace.js';
import { setOwn } from '../../common/own-key.js';

/**
 * A Go struct: fields by their Go names; a function field is a method (`.Files.Get "x"`). `entries`: a map type with
 * methods instead (Helm's `files`, which `.Files.Glob` returns), ranged over, indexed and counted as its map; made
 * when first used.
 */
export class GoStruct {
  private made?: Record<string, unknown>;
  constructor(readonly typeName: string, readonly fields: Record<string, unknown>, private readonly mapOf?: () => Record<string, unknown>) {}
  get entries(): Record<string, unknown> | undefined {
    return this.mapOf && (this.made ??= this.mapOf());
  }
}

export type Kind = 'invalid' | 'string' | 'int' | 'float64' | 'bool' | 'slice' | 'map' | 'struct' | 'func';

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoStruct) && !(v instanceof Uint8Array);
}

export function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (v instanceof GoStruct) return 'struct';
  if (typeof v === 'function') return 'func';
  return 'map';
}

/** Go's type name as sprig's typeOf prints it. */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid': return '<nil>';
    case 'slice': return v instanceof Uint8Array ? '[]uint8' : '[]interface {}';
    case 'map': return 'map[string]interface {}';
    case 'struct': return (v as GoStruct).typeName;
    default: return kindOf(v);
  }
}

/** text/template's truth: false, 0, nil, and empty strings, slices and maps are false. */
export function truth(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  if (v instanceof GoStruct && v.entries) return Object.keys(v.entries).length > 0;
  return true;
}

/** Go's %v of a number: integers in full, others in the shortest form that reads back. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}

/** fmt's %v. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  // A []byte (a file's content from `.Files.Glob`): fmt prints its bytes.
  if (v instanceof Uint8Array) return `[${v.join(' ')}]`;
  if (v instanceof GoStruct && v.entries) return `map[${sortedKeys(v.entries).map((k) => `${k}:${formatValue(v.entries![k])}`).join(' ')}]`;
  if (v instanceof GoStruct) return `{${Object.values(v.fields).filter((f) => typeof f !== 'function').map(formatValue).join(' ')}}`;
  if (typeof v === 'function') return '<func>';
  if (isMap(v)) return `map[${sortedKeys(v).map((k) => `${k}:${formatValue(v[k])}`).join(' ')}]`;
  return String(v);
}

/** Go sorts map keys when ranging and printing; keys are strings here, so byte order. */
export function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Structural equality (sprig's deepEqual, and eq on non-basic values). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** A deep copy of plain data (maps and slices) that keeps the origin of every key and item; structs and scalars are shared. */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) {
    const out = v.map(deepCopy);
    v.forEach((_, i) => setOrigin(out, i, originOf(v, i)));
    return out as T;
  }
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      setOwn(out, k, deepCopy(x));
      setOrigin(out, k, originOf(v, k));
    }
    return out as T;
  }
  return v;
}
