import rule from '../../../rules/k8s/privileged.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton # serving
spec:
  template:
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
        securityContext:
          privileged: true   # needed?
`;

const terraform = `resource "kubernetes_deployment_v1" "triton" {
  metadata {
    name = "triton"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "triton"
          image = "nvcr.io/nvidia/tritonserver:24.05-py3"
          security_context {
            privileged = true
          }
        }
      }
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    { name: 'unprivileged deployment', code: replaced(deployment, ['privileged: true', 'privileged: false']) },
    {
      name: 'no securityContext on a Pod',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
`,
    },
    { name: 'Terraform privileged = false', file: 'main.tf', code: replaced(terraform, ['privileged = true', 'privileged = false']) },
  ],
  invalid: [
    {
      name: 'privileged container in a Deployment',
      code: deployment,
      errors: [{ line: 12, message: 'Container `triton` runs privileged' }],
      output: replaced(deployment, ['privileged: true   # needed?', 'privileged: false   # needed?']),
    },
    {
      name: 'privileged init container of a Pod and an ephemeral container',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  initContainers:
  - name: nvidia-setup
    image: example.com/nvidia-setup:1
    securityContext: {privileged: true}
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
  ephemeralContainers:
  - name: debug
    image: busybox
    securityContext:
      privileged: true
`,
      errors: [
        { line: 9, message: 'Container `nvidia-setup`' },
        { line: 17, message: 'Container `debug`' },
      ],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  initContainers:
  - name: nvidia-setup
    image: example.com/nvidia-setup:1
    securityContext: {privileged: false}
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
  ephemeralContainers:
  - name: debug
    image: busybox
    securityContext:
      privileged: false
`,
    },
    {
      name: 'KServe InferenceService model container',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      securityContext:
        privileged: true
`,
      errors: [{ line: 11, message: 'Container `model`' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      securityContext:
        privileged: false
`,
    },
    {
      name: 'CronJob container',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: retrain
spec:
  schedule: "@weekly"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: train
            image: example.com/train:1
            securityContext:
              privileged: true
`,
      errors: [{ line: 15 }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: retrain
spec:
  schedule: "@weekly"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: train
            image: example.com/train:1
            securityContext:
              privileged: false
`,
    },
    {
      name: 'Terraform kubernetes_manifest of an InferenceService',
      file: 'main.tf',
      code: `resource "kubernetes_manifest" "llama" {
  manifest = {
    apiVersion = "serving.kserve.io/v1beta1"
    kind       = "InferenceService"
    metadata = {
      name      = "llama"
      namespace = "models"
    }
    spec = {
      predictor = {
        model = {
          modelFormat     = { name = "huggingface" }
          securityContext = { privileged = true }
        }
      }
    }
  }
}
`,
      errors: [{ line: 13, message: 'Container `model` runs privileged' }],
      output: `resource "kubernetes_manifest" "llama" {
  manifest = {
    apiVersion = "serving.kserve.io/v1beta1"
    kind       = "InferenceService"
    metadata = {
      name      = "llama"
      namespace = "models"
    }
    spec = {
      predictor = {
        model = {
          modelFormat     = { name = "huggingface" }
          securityContext = { privileged = false }
        }
      }
    }
  }
}
`,
    },
    {
      name: 'Terraform kubernetes_deployment_v1',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 13 }],
      output: replaced(terraform, ['privileged = true', 'privileged = false']),
    },
  ],
});
