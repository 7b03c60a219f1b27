// A changed file that composition takes over but that reaches no composed object was not reviewed: it fails closed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';

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
});
