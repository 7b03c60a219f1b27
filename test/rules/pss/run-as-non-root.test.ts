import rule from '../../../rules/k8s/run-as-non-root.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
        securityContext:
          allowPrivilegeEscalation: false
      - name: envoy
        image: envoyproxy/envoy:v1.30
        securityContext:
          runAsNonRoot: false
`;

const terraform = `resource "kubernetes_pod" "triton" {
  metadata {
    name = "triton"
  }
  spec {
    security_context {
      run_as_non_root = false
    }
    container {
      name  = "triton"
      image = "nvcr.io/nvidia/tritonserver:24.05-py3"
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'pod level true, a container repeats it',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: triton
spec:
  securityContext:
    runAsNonRoot: true
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.05-py3
  initContainers:
  - name: fetch
    image: example.com/fetch:1
    securityContext: {runAsNonRoot: true}
`,
    },
    {
      name: 'every container true, pod unset',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: triton
spec:
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.05-py3
    securityContext:
      runAsNonRoot: true
`,
    },
    {
      name: 'a user-namespaced pod (hostUsers: false) is exempt',
      code: replaced(deployment, ['    spec:\n      containers:', '    spec:\n      hostUsers: false\n      containers:']),
    },
    { name: 'off at pss_level: baseline', config: { pss_level: 'baseline' }, code: deployment },
    { name: 'Terraform pod level true', file: 'main.tf', code: replaced(terraform, ['run_as_non_root = false', 'run_as_non_root = true']) },
  ],
  invalid: [
    {
      name: 'Deployment: one container unset, one false',
      code: deployment,
      errors: [
        { line: 11, message: 'Container `triton` may run as root: neither it nor the pod sets `runAsNonRoot: true`' },
        { line: 16, message: 'Container `envoy` sets `runAsNonRoot: false`' },
      ],
      output: replaced(
        deployment,
        ['          allowPrivilegeEscalation: false\n', '          allowPrivilegeEscalation: false\n          runAsNonRoot: true\n'],
        ['runAsNonRoot: false', 'runAsNonRoot: true'],
      ),
    },
    {
      name: 'Pod: pod level false covers its unset containers (one finding, one fix)',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: triton
spec:
  securityContext:
    runAsNonRoot: false
    fsGroup: 1000
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.05-py3
  - name: envoy
    image: envoyproxy/envoy:v1.30
`,
      errors: [{ line: 7, message: 'The pod of Pod `triton` sets `runAsNonRoot: false`' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: triton
spec:
  securityContext:
    runAsNonRoot: true
    fsGroup: 1000
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.05-py3
  - name: envoy
    image: envoyproxy/envoy:v1.30
`,
    },
    {
      name: 'KServe model container, and an init container in a flow map',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    initContainers:
    - name: storage-initializer
      image: kserve/storage-initializer:v0.13.0
      securityContext: {allowPrivilegeEscalation: false}
    model:
      modelFormat:
        name: huggingface
      storageUri: s3://models/llama
`,
      errors: [
        { line: 10, message: 'Container `storage-initializer`' },
        { line: 11, message: 'Container `model` may run as root' },
      ],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    initContainers:
    - name: storage-initializer
      image: kserve/storage-initializer:v0.13.0
      securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}
    model:
      modelFormat:
        name: huggingface
      storageUri: s3://models/llama
      securityContext:
        runAsNonRoot: true
`,
    },
    {
      name: 'CronJob',
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
`,
      errors: [{ line: 12, message: 'Container `train`' }],
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
              runAsNonRoot: true
`,
    },
    {
      name: 'Terraform kubernetes_pod: pod level false',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 7, message: 'sets `runAsNonRoot: false`' }],
      output: replaced(terraform, ['run_as_non_root = false', 'run_as_non_root = true']),
    },
    {
      name: 'Terraform kubernetes_cron_job_v1: unset',
      file: 'main.tf',
      code: `resource "kubernetes_cron_job_v1" "retrain" {
  metadata {
    name = "retrain"
  }
  spec {
    schedule = "@weekly"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec {
            container {
              name  = "train"
              image = "example.com/train:1"
            }
          }
        }
      }
    }
  }
}
`,
      errors: [{ line: 13, message: 'Container `train` may run as root' }],
      output: `resource "kubernetes_cron_job_v1" "retrain" {
  metadata {
    name = "retrain"
  }
  spec {
    schedule = "@weekly"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec {
            container {
              name  = "train"
              image = "example.com/train:1"
              security_context {
                run_as_non_root = true
              }
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
