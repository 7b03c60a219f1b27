import rule from '../../../rules/k8s/allow-privilege-escalation.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: torchserve
spec:
  template:
    spec:
      containers:
      - name: torchserve
        image: pytorch/torchserve:0.11.0
        ports:
        - containerPort: 8080
      - name: metrics
        image: prom/statsd-exporter:v0.26.0
        securityContext:
          allowPrivilegeEscalation: true
          runAsNonRoot: true
`;

const terraform = `resource "kubernetes_deployment_v1" "torchserve" {
  metadata {
    name = "torchserve"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "torchserve"
          image = "pytorch/torchserve:0.11.0"
        }
      }
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'false on every container',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: torchserve
spec:
  initContainers:
  - name: fetch
    image: example.com/fetch:1
    securityContext: {allowPrivilegeEscalation: false}
  containers:
  - name: torchserve
    image: pytorch/torchserve:0.11.0
    securityContext:
      allowPrivilegeEscalation: false
`,
    },
    { name: 'off at pss_level: baseline', config: { pss_level: 'baseline' }, code: deployment },
    {
      name: 'Windows pods are exempt',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: onnx-win
spec:
  os:
    name: windows
  containers:
  - name: onnx
    image: mcr.microsoft.com/onnxruntime/server:latest
`,
    },
    {
      name: 'Terraform false',
      file: 'main.tf',
      code: replaced(terraform, ['          image = "pytorch/torchserve:0.11.0"\n', '          image = "pytorch/torchserve:0.11.0"\n          security_context {\n            allow_privilege_escalation = false\n          }\n']),
    },
  ],
  invalid: [
    {
      name: 'Deployment: unset on one container, true on another',
      code: deployment,
      errors: [
        { line: 9, message: 'Container `torchserve` does not set `allowPrivilegeEscalation: false`' },
        { line: 16, message: 'Container `metrics` sets `allowPrivilegeEscalation: true`' },
      ],
      output: replaced(
        deployment,
        ['        - containerPort: 8080\n', '        - containerPort: 8080\n        securityContext:\n          allowPrivilegeEscalation: false\n'],
        ['allowPrivilegeEscalation: true', 'allowPrivilegeEscalation: false'],
      ),
    },
    {
      name: 'Pod: init container with an empty securityContext',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: torchserve
spec:
  initContainers:
  - name: fetch
    image: example.com/fetch:1
    securityContext: {}
  containers:
  - name: torchserve
    image: pytorch/torchserve:0.11.0
    securityContext:
      allowPrivilegeEscalation: false
`,
      errors: [{ line: 9, message: 'Container `fetch`' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: torchserve
spec:
  initContainers:
  - name: fetch
    image: example.com/fetch:1
    securityContext: {allowPrivilegeEscalation: false}
  containers:
  - name: torchserve
    image: pytorch/torchserve:0.11.0
    securityContext:
      allowPrivilegeEscalation: false
`,
    },
    {
      name: 'KServe model container of a Linux pod',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    os:
      name: linux
    model:
      modelFormat:
        name: huggingface
      storageUri: s3://models/llama
`,
      errors: [{ line: 9, message: 'Container `model`' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    os:
      name: linux
    model:
      modelFormat:
        name: huggingface
      storageUri: s3://models/llama
      securityContext:
        allowPrivilegeEscalation: false
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
            securityContext:
              runAsNonRoot: true
`,
      // Reported on the securityContext that should hold it.
      errors: [{ line: 14 }],
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
              allowPrivilegeEscalation: false
`,
    },
    {
      name: 'Terraform kubernetes_deployment_v1: the security_context block is created',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 9, message: 'Container `torchserve`' }],
      output: replaced(terraform, ['          image = "pytorch/torchserve:0.11.0"\n', '          image = "pytorch/torchserve:0.11.0"\n          security_context {\n            allow_privilege_escalation = false\n          }\n']),
    },
  ],
});
