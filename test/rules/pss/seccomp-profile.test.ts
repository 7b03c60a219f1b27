import rule from '../../../rules/k8s/seccomp-profile.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.5.0
      - name: envoy
        image: envoyproxy/envoy:v1.30
        securityContext:
          seccompProfile:
            type: RuntimeDefault
`;

const terraform = `resource "kubernetes_deployment_v1" "vllm" {
  metadata {
    name = "vllm"
  }
  spec {
    template {
      metadata {}
      spec {
        security_context {
          run_as_non_root = true
        }
        container {
          name  = "vllm"
          image = "vllm/vllm-openai:v0.5.0"
        }
      }
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'pod level RuntimeDefault',
      code: replaced(deployment, ['        runAsNonRoot: true\n', '        runAsNonRoot: true\n        seccompProfile:\n          type: RuntimeDefault\n']),
    },
    {
      name: 'every container sets its own (one Localhost)',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
    securityContext:
      seccompProfile: {type: Localhost, localhostProfile: profiles/vllm.json}
  initContainers:
  - name: fetch
    image: example.com/fetch:1
    securityContext:
      seccompProfile:
        type: RuntimeDefault
`,
    },
    {
      // k8s/seccomp-unconfined reports it (high) with the same fix.
      name: 'Unconfined is left to k8s/seccomp-unconfined',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  securityContext:
    seccompProfile:
      type: Unconfined
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
`,
    },
    { name: 'Windows pods are exempt', code: replaced(deployment, ['    spec:\n      securityContext:', '    spec:\n      os: {name: windows}\n      securityContext:']) },
    { name: 'off at pss_level: baseline', config: { pss_level: 'baseline' }, code: deployment },
    {
      name: 'Terraform pod level RuntimeDefault',
      file: 'main.tf',
      code: replaced(terraform, ['          run_as_non_root = true\n', '          run_as_non_root = true\n          seccomp_profile {\n            type = "RuntimeDefault"\n          }\n']),
    },
  ],
  invalid: [
    {
      name: 'Deployment: a container without a profile, none at pod level',
      code: deployment,
      errors: [{ line: 8, message: 'No seccomp profile applies to container `vllm` of Deployment `vllm`' }],
      output: replaced(deployment, ['        runAsNonRoot: true\n', '        runAsNonRoot: true\n        seccompProfile:\n          type: RuntimeDefault\n']),
    },
    {
      name: 'Pod without any securityContext: two containers, one finding on the pod spec',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
  initContainers:
  - name: fetch
    image: example.com/fetch:1
`,
      errors: [{ line: 5, message: 'containers `vllm`, `fetch`' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
  initContainers:
  - name: fetch
    image: example.com/fetch:1
  securityContext:
    seccompProfile:
      type: RuntimeDefault
`,
    },
    {
      name: 'Unconfined too when k8s/seccomp-unconfined is off; an unknown type',
      config: { rules: { 'k8s/seccomp-unconfined': 'off' } },
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  securityContext:
    seccompProfile:
      type: Unconfined
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
    securityContext:
      seccompProfile:
        type: docker/default
`,
      errors: [
        { line: 8, message: 'The pod of Pod `vllm` sets `seccompProfile.type: Unconfined`' },
        { line: 14, message: 'Container `vllm` sets `seccompProfile.type: docker/default`' },
      ],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
    securityContext:
      seccompProfile:
        type: RuntimeDefault
`,
    },
    {
      name: 'KServe predictor',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    serviceAccountName: llama
    model:
      modelFormat:
        name: huggingface
`,
      errors: [{ line: 6, message: 'container `model` of InferenceService `llama`' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    serviceAccountName: llama
    model:
      modelFormat:
        name: huggingface
    securityContext:
      seccompProfile:
        type: RuntimeDefault
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
          securityContext: {runAsNonRoot: true}
          containers:
          - name: train
            image: example.com/train:1
`,
      errors: [{ line: 11, message: 'CronJob `retrain`' }],
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
          securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
          containers:
          - name: train
            image: example.com/train:1
`,
    },
    {
      name: 'Terraform kubernetes_manifest of a Deployment',
      file: 'main.tf',
      code: `resource "kubernetes_manifest" "vllm" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name = "vllm"
    }
    spec = {
      template = {
        spec = {
          securityContext = {
            runAsNonRoot = true
          }
          containers = [{
            name  = "vllm"
            image = "vllm/vllm-openai:v0.5.0"
          }]
        }
      }
    }
  }
}
`,
      errors: [{ line: 11, message: 'container `vllm` of Deployment `vllm`' }],
      output: `resource "kubernetes_manifest" "vllm" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name = "vllm"
    }
    spec = {
      template = {
        spec = {
          securityContext = {
            runAsNonRoot = true
            seccompProfile = {
              type = "RuntimeDefault"
            }
          }
          containers = [{
            name  = "vllm"
            image = "vllm/vllm-openai:v0.5.0"
          }]
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
      errors: [{ line: 9, message: 'container `vllm` of Deployment `vllm`' }],
      output: replaced(terraform, ['          run_as_non_root = true\n', '          run_as_non_root = true\n          seccomp_profile {\n            type = "RuntimeDefault"\n          }\n']),
    },
  ],
});
