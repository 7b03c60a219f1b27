// Which directions a namespace's policies make default-deny is asked for every workload of a job with the same
// lists: each namespace is judged once per lists (judging every policy for every workload made a job quadratic).
import { describe, expect, it } from 'vitest';
import { defaultDenyCoverage } from '../../../rules/k8s/support/network.js';
import { parseFile } from '../../../src/formats/index.js';
import type { Resource } from '../../../src/model.js';

const policy = (namespace: string, types: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: ${namespace}\nspec:\n  podSelector: {}\n  policyTypes: [${types}]\n`;

async function resources(...texts: string[]): Promise<Resource[]> {
  const parsed = await Promise.all(texts.map((text, i) => parseFile(`p${i}.yaml`, text)));
  return parsed.flatMap((p) => p!.resources);
}

describe('default-deny coverage of a namespace', () => {
  it('is judged once per namespace for the same lists, and afresh for other lists', async () => {
    const policies = await resources(policy('models', 'Ingress, Egress'), policy('staging', 'Ingress'));
    const namespaces: Resource[] = [];
    const first = defaultDenyCoverage('models', policies, namespaces);
    expect([...first].sort()).toEqual(['egress', 'ingress']);
    expect(defaultDenyCoverage('models', policies, namespaces)).toBe(first);
    expect([...defaultDenyCoverage('staging', policies, namespaces)]).toEqual(['ingress']);
    // Another job's lists (the staging policy now denies egress too) are judged on their own.
    const others = await resources(policy('models', 'Ingress, Egress'), policy('staging', 'Ingress, Egress'));
    expect([...defaultDenyCoverage('staging', others, namespaces)].sort()).toEqual(['egress', 'ingress']);
  });
});
