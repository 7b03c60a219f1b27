// A finding is new when it is new in any Kustomize build or chart install, each judged against its own base.
import { describe, expect, it } from 'vitest';
import { newInSomeGroup } from '../../src/engine/made-otherwise.js';

describe('newInSomeGroup', () => {
  it('is new where one group lacked it at its own base, however many others had it', () => {
    const base = [['dev', 'privileged'], ['prod', 'latest-tag'], ['dev', 'latest-tag']] as const;
    const head = [['dev', 'privileged'], ['prod', 'privileged'], ['prod', 'latest-tag'], ['dev', 'host-network']] as const;
    expect([...newInSomeGroup(head, base)].sort()).toEqual(['host-network', 'privileged']);
    expect(newInSomeGroup(base, base)).toEqual(new Set());
  });
});
