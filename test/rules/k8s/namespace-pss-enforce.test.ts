import { describe, expect, it } from 'vitest';
import rule from '../../../rules/k8s/namespace-pss-enforce.js';
import { resolveConfig } from '../../../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../../../src/engine/repository-index.js';
import { scanFiles } from '../../../src/engine/run.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'restricted; kube-system is the cluster\'s own',
      code: `apiVersion: v1
kind: Namespace
metadata:
  name: models
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: kube-system
`,
    },
    {
      name: 'baseline is enough when the policy asks for baseline',
      config: { pss_level: 'baseline' },
      code: `apiVersion: v1
kind: Namespace
metadata:
  name: models
  labels:
    pod-security.kubernetes.io/enforce: baseline
`,
    },
    {
      name: 'Terraform: labelled by a kubernetes_labels resource',
      file: 'main.tf',
      code: `resource "kubernetes_namespace_v1" "models" {
  metadata {
    name = "models"
  }
}

resource "kubernetes_labels" "models_pss" {
  api_version = "v1"
  kind        = "Namespace"
  metadata {
    name = "models"
  }
  labels = {
    "pod-security.kubernetes.io/enforce" = "restricted"
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'no label',
      code: `apiVersion: v1
kind: Namespace
metadata:
  name: models
`,
      errors: [{ line: 3, message: 'Namespace `models` does not enforce Pod Security' }],
      output: `apiVersion: v1
kind: Namespace
metadata:
  name: models
  labels:
    pod-security.kubernetes.io/enforce: restricted
`,
    },
    {
      name: 'a weaker level than the policy',
      code: `apiVersion: v1
kind: Namespace
metadata:
  name: models
  labels:
    team: ml
    pod-security.kubernetes.io/enforce: privileged
`,
      errors: [{ line: 7, message: 'enforces only `privileged`' }],
      output: `apiVersion: v1
kind: Namespace
metadata:
  name: models
  labels:
    team: ml
    pod-security.kubernetes.io/enforce: restricted
`,
    },
    {
      name: 'Terraform kubernetes_namespace',
      file: 'main.tf',
      code: `resource "kubernetes_namespace" "models" {
  metadata {
    name = "models"
  }
}
`,
      errors: [{ line: 2 }],
      output: `resource "kubernetes_namespace" "models" {
  metadata {
    name = "models"
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
  }
}
`,
    },
  ],
});

describe('k8s/namespace-pss-enforce across the repository', () => {
  it('accepts a kubernetes_labels resource in another file of the repository', async () => {
    const config = resolveConfig({});
    const files = {
      'ns.tf': 'resource "kubernetes_namespace_v1" "models" {\n  metadata {\n    name = "models"\n  }\n}\n',
      'labels.tf':
        'resource "kubernetes_labels" "pss" {\n  api_version = "v1"\n  kind        = "Namespace"\n  metadata {\n    name = "models"\n  }\n  labels = {\n    "pod-security.kubernetes.io/enforce" = "restricted"\n  }\n}\n',
    };
    const repository = await buildRepositoryIndex(memoryReader(files), config);
    const result = await scanFiles([{ path: 'ns.tf', text: files['ns.tf'] }], { config, rules: [rule], repository });
    expect(result.findings).toEqual([]);
  });
});
