import rule from '../../../rules/k8s/proc-mount.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const userNamespacePod = `apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  hostUsers: false
  containers:
  - name: buildkit
    image: moby/buildkit:rootless
    securityContext:
      procMount: Unmasked
`;

const terraform = `resource "kubernetes_pod" "builder" {
  metadata {
    name = "builder"
  }
  spec {
    container {
      name  = "buildkit"
      image = "moby/buildkit:rootless"
      security_context {
        proc_mount = "Unmasked"
        run_as_user = "1000"
      }
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'Default and unset',
      code: `apiVersion: apps/v1
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
          procMount: Default
      - name: sidecar
        image: envoyproxy/envoy:v1.30
`,
    },
    { name: 'Baseline: Unmasked in a user namespace (hostUsers: false)', config: { pss_level: 'baseline' }, code: userNamespacePod },
    { name: 'Terraform Default', file: 'main.tf', code: replaced(terraform, ['"Unmasked"', '"Default"']) },
  ],
  invalid: [
    {
      name: 'Restricted: Unmasked even in a user namespace',
      code: userNamespacePod,
      errors: [{ line: 11, message: 'The pod uses a user namespace (`hostUsers: false`), which Baseline accepts but Restricted does not' }],
      // The only setting of securityContext: the emptied securityContext goes too.
      output: replaced(userNamespacePod, ['    securityContext:\n      procMount: Unmasked\n', '']),
    },
    {
      name: 'Baseline: Unmasked with host users (CronJob init container)',
      config: { pss_level: 'baseline' },
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: build-model-image
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          hostUsers: true
          initContainers:
          - name: build
            image: moby/buildkit:latest
            securityContext:
              procMount: Unmasked
              runAsUser: 1000
          containers:
          - name: push
            image: example.com/push:1
`,
      errors: [{ line: 16, message: 'Container `build` sets `procMount: Unmasked`, exposing the node\'s unmasked /proc' }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: build-model-image
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          hostUsers: true
          initContainers:
          - name: build
            image: moby/buildkit:latest
            securityContext:
              runAsUser: 1000
          containers:
          - name: push
            image: example.com/push:1
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
      securityContext: {procMount: Unmasked, runAsNonRoot: true}
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
      securityContext: {runAsNonRoot: true}
`,
    },
    {
      name: 'Terraform kubernetes_pod',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 10 }],
      output: replaced(terraform, ['        proc_mount = "Unmasked"\n', '']),
    },
  ],
});
