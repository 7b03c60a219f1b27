import rule from '../../../rules/k8s/run-as-root-user.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: torchserve
spec:
  securityContext:
    runAsUser: 0   # model store owned by root
    runAsNonRoot: true
  containers:
  - name: torchserve
    image: pytorch/torchserve:0.11.0
    securityContext:
      runAsUser: 0
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
          security_context {
            run_as_user = "0"
          }
        }
      }
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'non-zero uids and unset',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: torchserve
spec:
  template:
    spec:
      securityContext:
        runAsUser: 1000
      containers:
      - name: torchserve
        image: pytorch/torchserve:0.11.0
        securityContext:
          runAsUser: 65532
      - name: sidecar
        image: envoyproxy/envoy:v1.30
`,
    },
    { name: 'a user-namespaced pod (hostUsers: false) is exempt', code: replaced(pod, ['spec:\n  securityContext:', 'spec:\n  hostUsers: false\n  securityContext:']) },
    { name: 'off at pss_level: baseline', config: { pss_level: 'baseline' }, code: pod },
    { name: 'Terraform uid 1000', file: 'main.tf', code: replaced(terraform, ['run_as_user = "0"', 'run_as_user = "1000"']) },
  ],
  invalid: [
    {
      name: 'Pod: pod level and container',
      code: pod,
      errors: [
        { line: 7, message: 'The pod spec sets `runAsUser: 0`: it runs as root' },
        { line: 13, message: 'Container `torchserve` sets `runAsUser: 0`' },
      ],
      output: replaced(pod, ['runAsUser: 0   # model store', 'runAsUser: 65532   # model store'], ['      runAsUser: 0\n', '      runAsUser: 65532\n']),
    },
    {
      name: 'CronJob init container',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: sync
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
          - name: chown
            image: busybox
            securityContext: {runAsUser: 0}
          containers:
          - name: sync
            image: example.com/sync:1
`,
      errors: [{ line: 14, message: 'Container `chown`' }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: sync
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
          - name: chown
            image: busybox
            securityContext: {runAsUser: 65532}
          containers:
          - name: sync
            image: example.com/sync:1
`,
    },
    {
      name: 'KServe model container',
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
        runAsUser: 0
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
        runAsUser: 65532
`,
    },
    {
      // kubectl, Helm and Flux read YAML with go-yaml, which reads an integer as Go does: `0o0` is 0 as deployed.
      name: 'written with a prefix only Go reads as a number (0o0, 0X0)',
      code: replaced(pod, ['runAsUser: 0   # model store', 'runAsUser: 0o0   # model store'], ['      runAsUser: 0\n', '      runAsUser: +0X0\n']),
      errors: [
        { line: 7, message: 'The pod spec sets `runAsUser: 0`: it runs as root' },
        { line: 13, message: 'Container `torchserve` sets `runAsUser: 0`' },
      ],
      output: replaced(pod, ['runAsUser: 0   # model store', 'runAsUser: 65532   # model store'], ['      runAsUser: 0\n', '      runAsUser: 65532\n']),
    },
    {
      // The provider types run_as_user as a string.
      name: 'Terraform kubernetes_deployment_v1 with "0"',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 13, message: 'Container `torchserve`' }],
      output: replaced(terraform, ['run_as_user = "0"', 'run_as_user = "65532"']),
    },
  ],
});
