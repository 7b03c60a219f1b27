// What a change made otherwise, told by what it deploys rather than by its lines: a hardening patch entry or values
// key removed leaves no changed line on the objects it hardened, yet each is printed otherwise than at base.

/**
 * The keys whose objects `head` prints otherwise than `base` did, or `base` did not print: each key's bodies, as
 * JSON, compared as a whole.
 */
export function keysMadeOtherwise(head: Iterable<readonly [string, unknown]>, base: Iterable<readonly [string, unknown]>): Set<string> {
  const printed = (objects: Iterable<readonly [string, unknown]>) => {
    const out = new Map<string, string[]>();
    for (const [key, body] of objects) out.set(key, [...(out.get(key) ?? []), JSON.stringify(body)]);
    for (const bodies of out.values()) bodies.sort();
    return out;
  };
  const before = printed(base);
  const otherwise = new Set<string>();
  for (const [key, bodies] of printed(head)) if (before.get(key)?.join('\0') !== bodies.join('\0')) otherwise.add(key);
  return otherwise;
}

/**
 * The fingerprints new in some group (a Kustomize build, a chart's render or install), each group judged against
 * its own base: one that did not have a finding there makes it new, however many others deployed the same before.
 */
export function newInSomeGroup(
  head: Iterable<readonly [group: string | undefined, fingerprint: string]>,
  base: Iterable<readonly [group: string | undefined, fingerprint: string]>,
): Set<string> {
  const pair = ([group, fingerprint]: readonly [string | undefined, string]) => `${group}\0${fingerprint}`;
  const before = new Set([...base].map(pair));
  const newInSome = new Set<string>();
  for (const found of head) if (!before.has(pair(found))) newInSome.add(found[1]);
  return newInSome;
}
