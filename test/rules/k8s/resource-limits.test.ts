import rule from '../../../rules/k8s/resource-limits.js';
import { ruleTester } from '../../rule-tester.js';

const sized = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tgi
spec:
  template:
    spec:
      containers:
      - name: tgi
        image: ghcr.io/huggingface/text-generation-inference:2.0
        resources:
          requests:
            cpu: "4"
            memory: 24Gi
          limits:
            memory: 24Gi
            nvidia.com/gpu: 1
`;

ruleTester(rule, {
  valid: [
    { name: 'requests, memory limit and a GPU limit', code: sized },
    {
      name: 'limits alone: the API server copies them into the requests',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: app:1
    resources:
      limits:
        cpu: "1"
        memory: 1Gi
`,
    },
    {
      name: 'a Job is not exempt but this one is sized; a ConfigMap has no containers',
      code: `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  a: b
`,
    },
  ],
  invalid: [
    {
      name: 'no resources at all: placeholders, offered as unsafe',
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
`,
      errors: [{ line: 9, message: 'has no CPU request, memory request or memory limit' }],
      output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    spec:
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.5.0
        resources:
          requests:
            cpu: 500m
            memory: 1Gi
          limits:
            memory: 1Gi
`,
    },
    {
      name: 'memory limit missing: the limit follows the request; values from config otherwise',
      config: { resources: { defaults: { cpu_request: '2' } } },
      code: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
        resources:
          requests:
            memory: 8Gi
`,
      errors: [{ line: 11, message: 'has no CPU request or memory limit' }],
      output: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
        resources:
          requests:
            memory: 8Gi
            cpu: "2"
          limits:
            memory: 8Gi
`,
    },
    {
      name: 'a GPU requested without a limit',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: app:1
    resources:
      requests:
        cpu: "1"
        memory: 1Gi
        nvidia.com/gpu: 2
      limits:
        memory: 1Gi
`,
      errors: [{ line: 13, message: 'requests `nvidia.com/gpu` without a limit' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: app:1
    resources:
      requests:
        cpu: "1"
        memory: 1Gi
        nvidia.com/gpu: 2
      limits:
        memory: 1Gi
        nvidia.com/gpu: 2
`,
    },
    {
      name: 'Terraform kubernetes_deployment_v1 with config defaults',
      file: 'main.tf',
      config: { resources: { defaults: { cpu_request: '1', memory_request: '4Gi', memory_limit: '6Gi' } } },
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
          resources {
            requests = {
              cpu    = "1"
              memory = "4Gi"
            }
            limits = {
              memory = "6Gi"
            }
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
