// Peer references name the check that answers the same question, or none.
import { describe, expect, it } from 'vitest';
import gkeDefaultServiceAccount from '../../../rules/gcp/gke-default-service-account.js';
import gkeWorkloadIdentity from '../../../rules/gcp/gke-workload-identity.js';
import { CLOUD_RULES } from '../../../rules/cloud.js';

describe('cloud rule references', () => {
  it('GKE rules do not cite Checkov checks of other things (CKV_GCP_30: Compute Engine instances; CKV_GCP_69: the node metadata server)', () => {
    expect(gkeDefaultServiceAccount.references.checkov ?? '').not.toContain('CKV_GCP_30');
    expect(gkeWorkloadIdentity.references.checkov ?? '').not.toContain('CKV_GCP_69');
  });

  it('every Checkov reference is a list of CKV ids', () => {
    for (const rule of CLOUD_RULES) {
      if (rule.references.checkov === undefined) continue;
      expect(rule.references.checkov, rule.id).toMatch(/^CKV2?_(AWS|GCP|AZURE)_\d+(, CKV2?_(AWS|GCP|AZURE)_\d+)*$/);
    }
  });
});
