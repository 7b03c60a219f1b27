// Keys that come from pull requests (values files, templates, Terraform, GitOps objects) held in plain objects. In Go's
// maps and Terraform's objects `__proto__`, `constructor` or `toString` are keys like any other; in JavaScript,
// assigning `__proto__` sets the object's prototype, and reading any of them finds what every object inherits. These
// keep the two apart, so a lookup answers what Helm or Terraform would answer.

/** `target[key] = value` as the object's own key, `__proto__` too (assigned, it would become the object's prototype). */
export function setOwn<T>(target: Record<string, T>, key: string, value: NoInfer<T>): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** `object[key]` when the object holds that key itself, else undefined: never what it only inherits. */
export function ownValue<T>(object: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Object.assign of the sources' own keys, each set as setOwn sets it (Object.assign would assign `__proto__`). */
export function assignOwn<T>(target: Record<string, T>, ...sources: readonly Readonly<Record<string, T>>[]): Record<string, T> {
  for (const source of sources) for (const [key, value] of Object.entries(source)) setOwn(target, key, value);
  return target;
}
