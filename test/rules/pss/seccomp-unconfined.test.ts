import rule from '../../../rules/k8s/seccomp-unconfined.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  securityContext:
    seccompProfile:
      type: Unconfined # io_uring
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
  initContainers:
  - name: fetch
    image: example.com/fetch:1
    securityContext:
      seccompProfile: {type: Unconfined}
`;

const terraform = `resource "kubernetes_cron_job_v1" "eval" {
  metadata {
    name = "eval"
  }
  spec {
    schedule = "@daily"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec {
            container {
              name  = "eval"
              image = "example.com/eval:1"
              security_context {
                seccomp_profile {
                  type = "Unconfined"
                }
              }
            }
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
      name: 'RuntimeDefault, Localhost and unset (Baseline does not require one)',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    spec:
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.5.0
        securityContext:
          seccompProfile:
            type: Localhost
            localhostProfile: profiles/vllm.json
      - name: envoy
        image: envoyproxy/envoy:v1.30
`,
    },
    { name: 'Terraform RuntimeDefault', file: 'main.tf', code: replaced(terraform, ['"Unconfined"', '"RuntimeDefault"']) },
  ],
  invalid: [
    {
      name: 'Pod: pod level and an init container',
      code: pod,
      errors: [
        { line: 8, message: 'The pod spec sets `seccompProfile.type: Unconfined`' },
        { line: 16, message: 'Container `fetch` sets `seccompProfile.type: Unconfined`' },
      ],
      output: replaced(pod, ['type: Unconfined # io_uring', 'type: RuntimeDefault # io_uring'], ['{type: Unconfined}', '{type: RuntimeDefault}']),
    },
    {
      name: 'Deployment container',
      code: `apiVersion: apps/v1
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
          seccompProfile:
            type: Unconfined
`,
      errors: [{ line: 13, message: 'Container `tgi`' }],
      output: `apiVersion: apps/v1
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
          seccompProfile:
            type: RuntimeDefault
`,
    },
    {
      name: 'KServe transformer pod level',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
  transformer:
    securityContext:
      seccompProfile:
        type: Unconfined
    containers:
    - name: tokenizer
      image: example.com/tokenizer:1
`,
      errors: [{ line: 13, message: 'The pod spec' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
  transformer:
    securityContext:
      seccompProfile:
        type: RuntimeDefault
    containers:
    - name: tokenizer
      image: example.com/tokenizer:1
`,
    },
    {
      name: 'Terraform kubernetes_cron_job_v1',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 18, message: 'Container `eval`' }],
      output: replaced(terraform, ['"Unconfined"', '"RuntimeDefault"']),
    },
  ],
});
