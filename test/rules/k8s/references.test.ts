// Peer references name the check that answers the same question, or none.
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../rules/index.js';

describe('rule references', () => {
  it('no rule cites CKV_K8S_35 (it asks for secretKeyRef values to be mounted as files, not for literals in env)', () => {
    const citing = RULES.filter((rule) => JSON.stringify(rule.references).includes('CKV_K8S_35')).map((rule) => rule.id);
    expect(citing).toEqual([]);
  });

  it('no rule cites CKV_GCP_30 (it checks Compute Engine instances\' default service account, not GKE nodes)', () => {
    const citing = RULES.filter((rule) => JSON.stringify(rule.references).includes('CKV_GCP_30')).map((rule) => rule.id);
    expect(citing).toEqual([]);
  });
});
