// What a worker derives from one job's lists (the bindings, the namespaces, the policies …) is asked for once per
// object reviewed: thousands of times with the same lists. Derived once per lists instead, it costs one pass, not one
// per object.

interface Level {
  next?: WeakMap<object, Level>;
  computed?: { value: unknown };
}

/**
 * `compute`, remembered for each combination of the objects it is given, told apart by identity (a list is the same
 * list, not an equal one). A result is held only as long as every object it was computed from lives.
 */
export function memoByIdentity<K extends readonly object[], V>(compute: (...keys: K) => V): (...keys: K) => V {
  const root: Level = {};
  return (...keys: K): V => {
    let level = root;
    for (const key of keys) {
      level.next ??= new WeakMap();
      let next = level.next.get(key);
      if (!next) level.next.set(key, (next = {}));
      level = next;
    }
    level.computed ??= { value: compute(...keys) };
    return level.computed.value as V;
  };
}
