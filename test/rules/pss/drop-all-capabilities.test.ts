import rule from '../../../rules/k8s/drop-all-capabilities.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tgi
spec:
  template:
    spec:
      containers:
      - name: tgi
        image: ghcr.io/huggingface/text-generation-inference:2.0
        securityContext:
          allowPrivilegeEscalation: false
      - name: envoy
        image: envoyproxy/envoy:v1.30
        securityContext:
          capabilities:
            drop:
            - NET_RAW   # was enough once
`;

const terraform = `resource "kubernetes_pod" "tgi" {
  metadata {
    name = "tgi"
  }
  spec {
    container {
      name  = "tgi"
      image = "ghcr.io/huggingface/text-generation-inference:2.0"
      security_context {
        capabilities {
          add = ["CHOWN", "NET_BIND_SERVICE"]
        }
      }
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'drop ALL, add only NET_BIND_SERVICE',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: tgi
spec:
  containers:
  - name: tgi
    image: ghcr.io/huggingface/text-generation-inference:2.0
    securityContext:
      capabilities:
        drop: [ALL]
        add: [NET_BIND_SERVICE]
  initContainers:
  - name: fetch
    image: example.com/fetch:1
    securityContext:
      capabilities:
        drop:
        - ALL
`,
    },
    {
      // k8s/capabilities-baseline reports it (high) with the same fix.
      name: 'an addition outside the Baseline set is left to k8s/capabilities-baseline',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: tgi
spec:
  containers:
  - name: tgi
    image: ghcr.io/huggingface/text-generation-inference:2.0
    securityContext:
      capabilities:
        drop: [ALL]
        add: [SYS_ADMIN]
`,
    },
    { name: 'Windows pods are exempt', code: replaced(deployment, ['    spec:\n      containers:', '    spec:\n      os:\n        name: windows\n      containers:']) },
    { name: 'off at pss_level: baseline', config: { pss_level: 'baseline' }, code: deployment },
    { name: 'Terraform drop ALL', file: 'main.tf', code: replaced(terraform, ['add = ["CHOWN", "NET_BIND_SERVICE"]', 'drop = ["ALL"]']) },
  ],
  invalid: [
    {
      name: 'Deployment: no capabilities at all; a drop list without ALL',
      code: deployment,
      errors: [
        { line: 11, message: 'Container `tgi` does not drop all capabilities' },
        { line: 17, message: 'Container `envoy` does not drop all capabilities' },
      ],
      output: replaced(
        deployment,
        ['          allowPrivilegeEscalation: false\n', '          allowPrivilegeEscalation: false\n          capabilities:\n            drop:\n            - ALL\n'],
        ['            - NET_RAW   # was enough once\n', '            - NET_RAW   # was enough once\n            - ALL\n'],
      ),
    },
    {
      name: 'Pod: a Baseline capability added (drop ALL present)',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: tgi
spec:
  containers:
  - name: tgi
    image: ghcr.io/huggingface/text-generation-inference:2.0
    securityContext:
      capabilities:
        add:
        - CHOWN
        - NET_BIND_SERVICE
        - SETUID
        drop:
        - ALL
`,
      errors: [{ line: 11, message: 'Container `tgi` adds `CHOWN`, `SETUID`: Restricted allows adding only `NET_BIND_SERVICE`' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: tgi
spec:
  containers:
  - name: tgi
    image: ghcr.io/huggingface/text-generation-inference:2.0
    securityContext:
      capabilities:
        add:
        - NET_BIND_SERVICE
        drop:
        - ALL
`,
    },
    {
      name: 'KServe model container with a flow map',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      securityContext: {runAsNonRoot: true, capabilities: {drop: [NET_RAW]}}
`,
      errors: [{ line: 10, message: 'Container `model`' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      securityContext: {runAsNonRoot: true, capabilities: {drop: [NET_RAW, ALL]}}
`,
    },
    {
      name: 'CronJob init container without securityContext',
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
          initContainers:
          - name: fetch
            image: example.com/fetch:1
          containers:
          - name: train
            image: example.com/train:1
            securityContext:
              capabilities: {drop: [ALL]}
`,
      errors: [{ line: 12, message: 'Container `fetch`' }],
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
          initContainers:
          - name: fetch
            image: example.com/fetch:1
            securityContext:
              capabilities:
                drop:
                - ALL
          containers:
          - name: train
            image: example.com/train:1
            securityContext:
              capabilities: {drop: [ALL]}
`,
    },
    {
      name: 'Terraform kubernetes_pod: no drop, CHOWN added',
      file: 'main.tf',
      code: terraform,
      errors: [
        { line: 10, message: 'does not drop all capabilities' },
        { line: 11, message: 'adds `CHOWN`' },
      ],
      output: replaced(terraform, ['          add = ["CHOWN", "NET_BIND_SERVICE"]\n', '          add  = ["NET_BIND_SERVICE"]\n          drop = ["ALL"]\n']),
    },
  ],
});
