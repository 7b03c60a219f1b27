import rule from '../../../rules/k8s/host-path-volumes.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'PVC and emptyDir volumes on a Deployment',
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
      volumes:
      - name: weights
        persistentVolumeClaim:
          claimName: llama-weights
      - name: shm
        emptyDir:
          medium: Memory
`,
    },
    {
      name: 'Terraform empty_dir',
      file: 'main.tf',
      code: `resource "kubernetes_pod" "vllm" {
  metadata {
    name = "vllm"
  }
  spec {
    container {
      name  = "vllm"
      image = "vllm/vllm-openai:v0.5.0"
    }
    volume {
      name = "shm"
      empty_dir {
        medium = "Memory"
      }
    }
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'model cache on the node (Deployment)',
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
      volumes:
      - name: hf-cache
        hostPath:
          path: /var/lib/hf-cache
          type: DirectoryOrCreate
      - name: shm
        emptyDir: {}
`,
      errors: [{ line: 13, endLine: 15, message: 'Volume `hf-cache` mounts `/var/lib/hf-cache` from the node' }],
      output: null,
    },
    {
      name: 'two hostPath volumes on a Pod',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: gpu-debug
spec:
  containers:
  - name: debug
    image: busybox
  volumes:
  - hostPath: {path: /dev}
    name: dev
  - name: root
    hostPath:
      path: /
`,
      errors: [{ line: 10, message: '`/dev`' }, { line: 13, message: 'Volume `root` mounts `/`' }],
      output: null,
    },
    {
      name: 'CronJob',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: prune-cache
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: prune
            image: busybox
          volumes:
          - name: cache
            hostPath:
              path: /var/cache/models
`,
      errors: [{ line: 16, message: 'Volume `cache`' }],
      output: null,
    },
    {
      name: 'KServe predictor volumes',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
    volumes:
    - name: weights
      hostPath:
        path: /mnt/models
`,
      errors: [{ line: 12, message: '`/mnt/models`' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_deployment_v1',
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
        volume {
          name = "hf-cache"
          host_path {
            path = "/var/lib/hf-cache"
          }
        }
      }
    }
  }
}
`,
      errors: [{ line: 15, endLine: 17, message: 'Volume `hf-cache` mounts `/var/lib/hf-cache`' }],
      output: null,
    },
  ],
});
