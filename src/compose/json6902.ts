// JSON Patch (RFC 6902) on a composed object and its shadow: fast-json-patch applies each operation to the
// object, and the same operation, its pointer moved into the shadow's `c` entries, to the shadow. What an
// `add` or `replace` sets is owned by the operation's `value`; what a `remove` takes away is marked removed by
// that operation, so a rule missing it reports there.
import jsonpatch from 'fast-json-patch';
import rfdc from 'rfdc';
import { isRecord } from '../common/path.js';
import { explicitChild, markRemoved, materialize, shadowOf, type Origin, type Shadow } from './provenance.js';

/** One operation as written, and where it sits in its source document. */
export interface PatchOperation {
  op: unknown;
  at: Origin;
}

const clone = rfdc();

/** `/spec/template` → `/c/spec/c/template`: the same place in the shadow. */
function inShadow(pointer: string): string {
  return pointer === '' ? '' : pointer.split('/').slice(1).map((seg) => `/c/${seg}`).join('');
}

function parentAndKey(pointer: string): [string, string] {
  const cut = pointer.lastIndexOf('/');
  return [pointer.slice(0, cut), jsonpatch.unescapePathComponent(pointer.slice(cut + 1))];
}

function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.split('/').slice(1).map((seg) => jsonpatch.unescapePathComponent(seg));
}

/**
 * Give every value on the way to a pointer (and the last one too, with `last`) a shadow node of its own, so the
 * same operation finds its way through the shadow. Stops where the object does (the operation then fails).
 */
function prepare(body: unknown, shadow: Shadow, pointer: string, last: boolean): void {
  const segs = segments(pointer);
  let value = body;
  let node = shadow;
  let origin = shadow.o!;
  for (const [i, raw] of segs.entries()) {
    if (value === null || typeof value !== 'object') return;
    materialize(node, origin, value);
    if (i === segs.length - 1 && !last) return;
    const seg = Array.isArray(value) ? Number(raw) : raw;
    const next = (value as Record<string | number, unknown>)[seg];
    if (next === undefined) return;
    ({ shadow: node, origin } = explicitChild(node, origin, value, seg));
    value = next;
  }
  if (value !== null && typeof value === 'object') materialize(node, origin, value);
}

/**
 * Apply the operations in order to `body` and `shadow` (both changed in place). Returns null, or why an
 * operation could not apply (the operations before it stay applied, as the patch is read no further).
 */
export function applyJsonPatch(body: Record<string, unknown>, shadow: Shadow, operations: readonly PatchOperation[]): string | null {
  for (const [index, { op, at }] of operations.entries()) {
    if (!isRecord(op) || typeof op.op !== 'string' || typeof op.path !== 'string') return `operation ${index + 1} is not an operation (op and path)`;
    const operation = { ...op } as unknown as jsonpatch.Operation;
    // What moves or is copied keeps its origin: it is named on the value itself, which leaves its old place.
    if ((operation.op === 'move' || operation.op === 'copy') && typeof operation.from === 'string') prepare(body, shadow, operation.from, true);
    prepare(body, shadow, operation.path, false);
    try {
      // Validated as it applies (the path must resolve): an operation that fails changes nothing.
      jsonpatch.applyOperation(body, clone(operation), true, true);
    } catch (error) {
      return `\`${op.op} ${op.path}\`: ${(error as Error).message.split('\n')[0]}`;
    }
    const [parent, key] = parentAndKey(operation.path);
    const parentShadow = jsonpatch.getValueByPointer(shadow, inShadow(parent)) as Shadow;
    if (operation.op === 'remove') markRemoved(parentShadow, /^\d+$/.test(key) ? Number(key) : key, at);
    const shadowOp = { ...operation, path: inShadow(operation.path) } as jsonpatch.Operation & { from?: string; value?: unknown };
    if ('from' in operation) shadowOp.from = inShadow(operation.from);
    if (operation.op === 'add' || operation.op === 'replace') shadowOp.value = shadowOf({ source: at.source, path: [...at.path, 'value'] });
    // A map entry without a shadow of its own has nothing to remove or replace in the shadow.
    const implicitEntry = !Array.isArray(parentShadow.c) && !(parentShadow.c && Object.hasOwn(parentShadow.c, key));
    if (operation.op === 'test' || operation.op === '_get' || (operation.op === 'remove' && implicitEntry)) continue;
    jsonpatch.applyOperation(shadow, shadowOp, false, true);
  }
  return null;
}
