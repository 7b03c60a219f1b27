import rule from '../../../rules/k8s/host-namespaces.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: models
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: triton
    spec:
      hostNetwork: true # for NCCL
      hostPID: yes
      hostIPC: true
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
`;

const terraform = `resource "kubernetes_deployment_v1" "triton" {
  metadata {
    name      = "triton"
    namespace = "models"
  }
  spec {
    template {
      metadata {
        labels = { app = "triton" }
      }
      spec {
        host_network = true
        host_ipc     = true
        container {
          name  = "triton"
          image = "nvcr.io/nvidia/tritonserver:24.05-py3"
        }
      }
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    { name: 'all false', code: replaced(deployment, ['hostNetwork: true', 'hostNetwork: false'], ['hostPID: yes', 'hostPID: no'], ['hostIPC: true', 'hostIPC: false']) },
    {
      name: 'unset on a Pod',
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
    { name: 'Terraform false', file: 'main.tf', code: replaced(terraform, ['host_network = true', 'host_network = false'], ['host_ipc     = true', 'host_ipc     = false']) },
  ],
  invalid: [
    {
      // `yes` is true in YAML 1.1, as Kubernetes reads it.
      name: 'all three on a Deployment, one as YAML 1.1 `yes`',
      code: deployment,
      errors: [
        { line: 13, message: '`hostNetwork: true` gives the pod of Deployment `triton` the node\'s network' },
        { line: 14, message: '`hostPID: true`' },
        { line: 15, message: '`hostIPC: true`' },
      ],
      output: replaced(deployment, ['hostNetwork: true # for NCCL', 'hostNetwork: false # for NCCL'], ['hostPID: yes', 'hostPID: false'], ['hostIPC: true', 'hostIPC: false']),
    },
    {
      name: 'hostPID on a CronJob',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: gpu-stats
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          hostPID: true
          containers:
          - name: stats
            image: example.com/gpu-stats:1
`,
      errors: [{ line: 11, message: '`hostPID: true` gives the pod of CronJob `gpu-stats`' }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: gpu-stats
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          hostPID: false
          containers:
          - name: stats
            image: example.com/gpu-stats:1
`,
    },
    {
      name: 'hostNetwork on a KServe predictor',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-iris
spec:
  predictor:
    hostNetwork: true
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
`,
      errors: [{ line: 7, message: 'InferenceService `sklearn-iris`' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-iris
spec:
  predictor:
    hostNetwork: false
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
`,
    },
    {
      name: 'Terraform kubernetes_deployment_v1',
      file: 'main.tf',
      code: terraform,
      errors: [
        { line: 12, message: '`hostNetwork: true`' },
        { line: 13, message: '`hostIPC: true`' },
      ],
      output: replaced(terraform, ['host_network = true', 'host_network = false'], ['host_ipc     = true', 'host_ipc     = false']),
    },
  ],
});
