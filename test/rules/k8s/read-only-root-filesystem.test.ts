import rule from '../../../rules/k8s/read-only-root-filesystem.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'read-only root in every container',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    spec:
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.5.0
        securityContext:
          readOnlyRootFilesystem: true
`,
    },
    {
      name: 'a Terraform variable is not judged',
      file: 'main.tf',
      code: `resource "kubernetes_pod_v1" "p" {
  metadata {
    name = "p"
  }
  spec {
    container {
      name  = "app"
      image = "app:1"
      security_context {
        read_only_root_filesystem = var.read_only
      }
    }
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'missing in a Deployment container, present in its init container',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    spec:
      initContainers:
      - name: fetch
        image: busybox:1.36
        securityContext:
          readOnlyRootFilesystem: true
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.5.0
        securityContext:
          runAsNonRoot: true
`,
      errors: [{ line: 16, message: 'Container `vllm` can write to its root filesystem' }],
      output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    spec:
      initContainers:
      - name: fetch
        image: busybox:1.36
        securityContext:
          readOnlyRootFilesystem: true
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.5.0
        securityContext:
          runAsNonRoot: true
          readOnlyRootFilesystem: true
`,
    },
    {
      name: 'explicitly false in a KServe predictor model container',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
      securityContext:
        readOnlyRootFilesystem: false
`,
      errors: [{ line: 12, message: 'Container `model`' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
      securityContext:
        readOnlyRootFilesystem: true
`,
    },
    {
      name: 'Terraform kubernetes_deployment_v1 without a security context',
      file: 'main.tf',
      code: `resource "kubernetes_deployment_v1" "vllm" {
  metadata {
    name = "vllm"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "vllm"
          image = "vllm/vllm-openai:v0.5.0"
        }
      }
    }
  }
}
`,
      errors: [{ line: 9 }],
      output: `resource "kubernetes_deployment_v1" "vllm" {
  metadata {
    name = "vllm"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "vllm"
          image = "vllm/vllm-openai:v0.5.0"
          security_context {
            read_only_root_filesystem = true
          }
        }
      }
    }
  }
}
`,
    },
  ],
});
