// A changed file that composition takes over but that reaches no composed object was not reviewed: it fails closed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { compose } from './helpers.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: server
        image: nvcr.io/nvidia/tritonserver:24.05-py3
`;
const PATCH = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
      - name: server
        securityContext:
          privileged: true
`;
const KUSTOMIZATION = 'resources:\n- deployment.yaml\npatches:\n- path: patch.yaml\nnamespace: models\n';

async function reviewPatch(name: string) {
  const files = { 'app/kustomization.yaml': KUSTOMIZATION, 'app/deployment.yaml': DEPLOYMENT, 'app/patch.yaml': PATCH(name) };
  return review({ files: [{ path: 'app/patch.yaml', headText: PATCH(name), patch: undefined }], config: DEFAULT_CONFIG, reader: memoryReader(files) });
}

describe('a changed patch that composition consumes', () => {
  it('applied: its finding is on the patch line, nothing is not-reviewed', async () => {
    const result = await reviewPatch('triton');
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    expect(result.findings.find((f) => f.ruleId === 'k8s/privileged')).toMatchObject({ file: 'app/patch.yaml', line: 11 });
  });

  it('targeting nothing the kustomization builds: not reviewed, and the gate fails with the reason', async () => {
    const result = await reviewPatch('no-such-deployment');
    const notReviewed = result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');
    expect(notReviewed.map((f) => f.file)).toEqual(['app/patch.yaml']);
    expect(notReviewed[0]!.message).toContain('nothing in it reached a composed object');
  });

  it('deleting an object on purpose (`$patch: delete`) is reviewed: the composed output without it is what rules see', async () => {
    const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  - Egress\n';
    const deletion = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\n$patch: delete\n';
    const base = { 'base/kustomization.yaml': 'resources:\n- deployment.yaml\n- deny.yaml\n', 'base/deployment.yaml': DEPLOYMENT, 'base/deny.yaml': deny };
    const files = { ...base, 'prod/kustomization.yaml': 'namespace: models\nresources:\n- ../base\npatches:\n- path: open.yaml\n', 'prod/open.yaml': deletion };
    const result = await review({
      files: [{ path: 'prod/open.yaml', headText: deletion, baseText: null, patch: `@@ -0,0 +1,5 @@\n${deletion.trimEnd().split('\n').map((l) => `+${l}`).join('\n')}` }],
      config: DEFAULT_CONFIG,
      reader: memoryReader(files),
    });
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    // What rules see: the build without the policy, and the rest of it built by the deleting patch too (a change to
    // the patch puts the Deployment under review).
    const composed = await compose(files, ['prod/open.yaml']);
    const resources = composed.files.flatMap((f) => f.resources);
    expect(resources.map((r) => r.id)).toEqual(['Deployment/models/triton']);
    expect(resources[0]!.contributors!.map((c) => c.file)).toContain('prod/open.yaml');
    expect(composed.deleting).toEqual(new Set(['prod/open.yaml']));
  });

  it('a deletion that targets nothing still fails closed', async () => {
    const deletion = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: no-such-policy\n$patch: delete\n';
    const files = { 'app/kustomization.yaml': 'resources:\n- deployment.yaml\npatches:\n- path: open.yaml\n', 'app/deployment.yaml': DEPLOYMENT, 'app/open.yaml': deletion };
    const result = await review({ files: [{ path: 'app/open.yaml', headText: deletion, patch: undefined }], config: DEFAULT_CONFIG, reader: memoryReader(files) });
    expect(result.gating.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => f.file)).toEqual(['app/open.yaml']);
  });
});
