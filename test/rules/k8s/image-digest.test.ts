import rule from '../../../rules/k8s/image-digest.js';
import { ruleTester } from '../../rule-tester.js';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

ruleTester(rule, {
  valid: [
    {
      name: 'tag and digest',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nvcr.io/nvidia/tritonserver:24.05-py3@${DIGEST}
`,
    },
    {
      name: 'an image from a Terraform variable is not judged',
      file: 'main.tf',
      code: `resource "kubernetes_pod" "p" {
  metadata {
    name = "p"
  }
  spec {
    container {
      name  = "app"
      image = var.image
    }
  }
}
`,
    },
    {
      name: 'no tag or :latest is k8s/image-tag-pinned\'s finding (one finding on the line, digest advice included)',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nvcr.io/nvidia/tritonserver:latest
  - name: sidecar
    image: envoyproxy/envoy
`,
    },
  ],
  invalid: [
    {
      name: 'with k8s/image-tag-pinned off, :latest is reported here',
      config: { rules: { 'k8s/image-tag-pinned': 'off' } },
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nvcr.io/nvidia/tritonserver:latest
`,
      errors: [{ line: 8, message: 'is not pinned by digest' }],
      output: null,
    },
    {
      name: 'a tag only, in a Seldon component spec',
      code: `apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: income
spec:
  predictors:
  - name: default
    graph:
      name: classifier
      type: MODEL
    componentSpecs:
    - spec:
        containers:
        - name: classifier
          image: seldonio/income-classifier:0.1
`,
      errors: [{ line: 15, message: 'is not pinned by digest' }],
      output: null,
    },
    {
      name: 'a malformed digest',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: app:1@sha256:abc
`,
      errors: [{ line: 8 }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_stateful_set_v1',
      file: 'main.tf',
      code: `resource "kubernetes_stateful_set_v1" "triton" {
  metadata {
    name = "triton"
  }
  spec {
    service_name = "triton"
    template {
      metadata {}
      spec {
        container {
          name  = "triton"
          image = "nvcr.io/nvidia/tritonserver:24.05-py3"
        }
      }
    }
  }
}
`,
      errors: [{ line: 12 }],
      output: null,
    },
  ],
});
