// The namespace an overlay gives counts, through composition: k8s/default-namespace and
// k8s/network-policy-missing judge each build's own object.
import { describe, expect, it } from 'vitest';
import defaultNamespace from '../../rules/k8s/default-namespace.js';
import networkPolicyMissing from '../../rules/k8s/network-policy-missing.js';
import { resolveConfig } from '../../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { HARDENED_DEPLOYMENT } from './helpers.js';

const denyAll = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
`;

const layout = {
  'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'serving/base/deployment.yaml': HARDENED_DEPLOYMENT,
  'serving/overlays/prod/kustomization.yaml': 'namespace: models-prod\nresources:\n- ../../base\n- deny.yaml\n',
  'serving/overlays/prod/deny.yaml': denyAll,
  'serving/overlays/dev/kustomization.yaml': 'namespace: models-dev\nresources:\n- ../../base\n',
};

async function reviewChange(files: Record<string, string>, changed: string[], rules = [defaultNamespace, networkPolicyMissing]) {
  const config = resolveConfig({});
  const reader = memoryReader(files);
  const repository = await buildRepositoryIndex(reader, config);
  return review({ files: changed.map((path) => ({ path, headText: files[path]! })), config, rules, repository, reader });
}

describe('namespaces through composition', () => {
  it('a base built by overlays that give it namespaces is not namespace-less; only the overlay without a default-deny policy is reported', async () => {
    const result = await reviewChange(layout, ['serving/base/deployment.yaml']);
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.resource}`)).toEqual([
      'serving/overlays/dev/kustomization.yaml:1 k8s/network-policy-missing Deployment/models-dev/triton',
    ]);
    expect(result.findings[0]!.message).toContain('`models-dev`');
  });

  it('an overlay that gives no namespace leaves the base namespace-less: reported on the base, once', async () => {
    const files = { ...layout, 'serving/overlays/plain/kustomization.yaml': 'resources:\n- ../../base\n', 'serving/overlays/plain2/kustomization.yaml': 'resources:\n- ../../base\n' };
    const result = await reviewChange(files, ['serving/base/deployment.yaml'], [defaultNamespace]);
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/base/deployment.yaml:4 k8s/default-namespace']);
  });
});
