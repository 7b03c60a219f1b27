import rule from '../../../rules/k8s/capabilities-baseline.js';
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
          capabilities:
            add:
            - NET_ADMIN   # tc shaping
            - CHOWN
            - NET_BIND_SERVICE
            drop:
            - ALL
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
          add  = ["SYS_PTRACE", "NET_BIND_SERVICE"]
          drop = ["ALL"]
        }
      }
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'the whole Baseline list',
      config: { pss_level: 'baseline' },
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
        add: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]
`,
    },
    { name: 'drop only', code: replaced(deployment, ['            add:\n            - NET_ADMIN   # tc shaping\n            - CHOWN\n            - NET_BIND_SERVICE\n', '']) },
    { name: 'Terraform NET_BIND_SERVICE only', file: 'main.tf', code: replaced(terraform, ['"SYS_PTRACE", ', '']) },
  ],
  invalid: [
    {
      name: 'Baseline level: the fix keeps the Baseline capabilities',
      config: { pss_level: 'baseline' },
      code: deployment,
      errors: [{ line: 14, message: 'Container `tgi` adds `NET_ADMIN`, outside the Baseline capability set' }],
      output: replaced(deployment, ['            - NET_ADMIN   # tc shaping\n', '']),
    },
    {
      name: 'Restricted level: the fix keeps only NET_BIND_SERVICE (as k8s/drop-all-capabilities would)',
      code: deployment,
      errors: [{ line: 14, message: '`NET_ADMIN`' }],
      output: replaced(deployment, ['            - NET_ADMIN   # tc shaping\n            - CHOWN\n', '']),
    },
    {
      name: 'names are exact: CAP_ prefix and lower case are outside the set (Pod, flow list)',
      config: { pss_level: 'baseline' },
      code: `apiVersion: v1
kind: Pod
metadata:
  name: triton
spec:
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.05-py3
    securityContext:
      capabilities:
        add: [CAP_CHOWN, chown]
        drop: [ALL]
`,
      errors: [{ line: 11, message: 'adds `CAP_CHOWN`, `chown`' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: triton
spec:
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.05-py3
    securityContext:
      capabilities:
        drop: [ALL]
`,
    },
    {
      name: 'KServe model container adding SYS_ADMIN',
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
        capabilities:
          add: ["SYS_ADMIN"]
`,
      errors: [{ line: 12, message: 'Container `model` adds `SYS_ADMIN`' }],
      // The only entry removed: the emptied parents go too.
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
`,
    },
    {
      name: 'init container of a CronJob',
      config: { pss_level: 'baseline' },
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: sync-models
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
          - name: mount
            image: example.com/s3fs:1
            securityContext:
              capabilities:
                add:
                - SYS_ADMIN
                - SETUID
          containers:
          - name: sync
            image: example.com/sync:1
`,
      errors: [{ line: 17, message: 'Container `mount` adds `SYS_ADMIN`' }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: sync-models
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
          - name: mount
            image: example.com/s3fs:1
            securityContext:
              capabilities:
                add:
                - SETUID
          containers:
          - name: sync
            image: example.com/sync:1
`,
    },
    {
      name: 'Terraform kubernetes_pod',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 11, message: '`SYS_PTRACE`' }],
      output: replaced(terraform, ['add  = ["SYS_PTRACE", "NET_BIND_SERVICE"]', 'add  = ["NET_BIND_SERVICE"]']),
    },
  ],
});
