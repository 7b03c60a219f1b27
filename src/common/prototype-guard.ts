// What Warden reads comes from pull requests, and one process (its main thread, each scan worker) serves every review.
// A field added to Object.prototype (through a `__proto__` or `constructor.prototype` key some reader missed) would be
// a field of every object of the thread, for every later review: a `runAsNonRoot: true` no manifest wrote. Made
// non-extensible, Object.prototype refuses it (a TypeError that fails that review closed). Not frozen: freezing costs
// V8's fast paths for every array (a 3,000-file pull request 1.3 s slower), and a field it has already is no field of
// a manifest.

/** Refuse, from now on in this thread, any field added to Object.prototype. */
export function guardObjectPrototype(): void {
  Object.preventExtensions(Object.prototype);
}
