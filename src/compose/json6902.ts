// JSON Patch (RFC 6902) on a composed object and its shadow: fast-json-patch applies each operation to the
// object, and the same operation, its pointer moved into the shadow's `c` entries, to the shadow. What an
// `add` or `replace` sets is owned by the operation's `value`; what a `remove` takes away is marked removed by
// that operation, so a rule missing it reports there.
import jsonpatch from 'fast-json-patch';
import { isRecord } from '../engine/path.js';
import { markRemoved, shadowOf, type Origin, type Shadow } from './provenance.js';

/** One operation as written, and where it sits in its source document. */
export interface PatchOperation {
  op: unknown;
  at: Origin;
}

/** `/spec/template` → `/c/spec/c/template`: the same place in the shadow. */
function inShadow(pointer: string): string {
  return pointer === '' ? '' : pointer.split('/').slice(1).map((seg) => `/c/${seg}`).join('');
}

function parentAndKey(pointer: string): [string, string] {
  const cut = pointer.lastIndexOf('/');
  return [pointer.slice(0, cut), jsonpatch.unescapePathComponent(pointer.slice(cut + 1))];
}

/**
 * Apply the operations in order to `body` and `shadow` (both changed in place). Returns null, or why an
 * operation could not apply (the operations before it stay applied, as the patch is read no further).
 */
export function applyJsonPatch(body: Record<string, unknown>, shadow: Shadow, operations: readonly PatchOperation[]): string | null {
  for (const [index, { op, at }] of operations.entries()) {
    if (!isRecord(op) || typeof op.op !== 'string' || typeof op.path !== 'string') return `operation ${index + 1} is not an operation (op and path)`;
    const operation = { ...op } as unknown as jsonpatch.Operation;
    try {
      // Validated as it applies (the path must resolve): an operation that fails changes nothing.
      jsonpatch.applyOperation(body, structuredClone(operation), true, true);
    } catch (error) {
      return `\`${op.op} ${op.path}\`: ${(error as Error).message.split('\n')[0]}`;
    }
    if (operation.op === 'remove') {
      const [parent, key] = parentAndKey(operation.path);
      markRemoved(jsonpatch.getValueByPointer(shadow, inShadow(parent)) as Shadow, /^\d+$/.test(key) ? Number(key) : key, at);
    }
    const shadowOp = { ...operation, path: inShadow(operation.path) } as jsonpatch.Operation & { from?: string; value?: unknown };
    if ('from' in operation) shadowOp.from = inShadow(operation.from);
    if (operation.op === 'add' || operation.op === 'replace') shadowOp.value = shadowOf(operation.value, { source: at.source, path: [...at.path, 'value'] });
    if (operation.op !== 'test' && operation.op !== '_get') jsonpatch.applyOperation(shadow, shadowOp, false, true);
  }
  return null;
}
