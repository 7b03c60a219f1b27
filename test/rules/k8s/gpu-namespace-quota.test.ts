import { describe, expect, it } from 'vitest';
import rule from '../../../rules/k8s/gpu-namespace-quota.js';
import { resolveConfig } from '../../../src/config.js';
import { scanFiles } from '../../../src/engine/run.js';
import { ruleTester } from '../../rule-tester.js';

const deployment = (namespace: string | null, resources = 'limits:\n            nvidia.com/gpu: 1') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
${namespace === null ? '' : `  namespace: ${namespace}\n`}spec:
  template:
    spec:
      containers:
      - name: vllm
        image: vllm:1
        resources:
          ${resources}
`;
const quota = (namespace: string, key = 'requests.nvidia.com/gpu') => `apiVersion: v1
kind: ResourceQuota
metadata:
  name: accelerators
  namespace: ${namespace}
spec:
  hard:
    ${key}: "4"
`;

ruleTester(rule, {
  valid: [
    {
      name: 'a ResourceQuota on the GPU in the namespace, elsewhere in the repository',
      code: deployment('llm'),
      repository: { 'platform/quota.yaml': quota('llm') },
    },
    {
      name: 'a LimitRange maximum counts too',
      code: deployment('llm'),
      repository: {
        'platform/limits.yaml': 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: gpu\n  namespace: llm\nspec:\n  limits:\n  - type: Container\n    max:\n      nvidia.com/gpu: "2"\n',
      },
    },
    {
      name: 'no accelerator asked for',
      code: deployment('llm', 'limits:\n            memory: 1Gi'),
      repository: {},
    },
  ],
  invalid: [
    {
      name: 'no quota anywhere, with a ready one in the message',
      code: deployment('llm'),
      repository: {},
      errors: [{ line: 14, message: 'Deployment `vllm` uses `nvidia.com/gpu` in namespace `llm`, where no ResourceQuota' }],
      output: null,
    },
    {
      name: 'a quota that caps something else, or another namespace',
      code: deployment('llm', 'requests:\n            amd.com/gpu: 1'),
      repository: { 'a.yaml': quota('llm', 'requests.cpu'), 'b.yaml': quota('other', 'requests.amd.com/gpu') },
      errors: [{ line: 14, message: '`amd.com/gpu` in namespace `llm`' }],
      output: null,
    },
    {
      name: 'a workload that names no namespace lands in default',
      code: deployment(null),
      repository: { 'a.yaml': quota('llm') },
      errors: [{ line: 13, message: 'in namespace `default`' }],
      output: null,
    },
    {
      name: 'Terraform: a kubernetes_deployment_v1, with a quota offered in HCL',
      file: 'main.tf',
      code: `resource "kubernetes_deployment_v1" "vllm" {
  metadata {
    name      = "vllm"
    namespace = "llm"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "vllm"
          image = "vllm:1"
          resources {
            limits = {
              "nvidia.com/gpu" = 1
            }
          }
        }
      }
    }
  }
}
`,
      repository: {},
      errors: [{ line: 15, message: 'resource "kubernetes_resource_quota_v1" "accelerators"' }],
      output: null,
    },
  ],
});

describe('k8s/gpu-namespace-quota', () => {
  it('is satisfied by a kubernetes_resource_quota_v1, and stays silent when the repository could not be read', async () => {
    const tfQuota = 'resource "kubernetes_resource_quota_v1" "q" {\n  metadata {\n    name      = "q"\n    namespace = "llm"\n  }\n  spec {\n    hard = {\n      "requests.nvidia.com/gpu" = 4\n    }\n  }\n}\n';
    const config = resolveConfig({});
    const both = await scanFiles([{ path: 'a.yaml', text: deployment('llm') }, { path: 'q.tf', text: tfQuota }], { config, rules: [rule], repository: { resources: [], complete: true } });
    expect(both.findings).toEqual([]);
    const unread = await scanFiles([{ path: 'a.yaml', text: deployment('llm') }], { config, rules: [rule] });
    expect(unread.findings).toEqual([]);
  });
});
