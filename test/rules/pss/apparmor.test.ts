import rule from '../../../rules/k8s/apparmor.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: vllm
  annotations:
    container.apparmor.security.beta.kubernetes.io/vllm: unconfined
    container.apparmor.security.beta.kubernetes.io/fetch: localhost/fetch-profile
spec:
  securityContext:
    appArmorProfile:
      type: Unconfined
  initContainers:
  - name: fetch
    image: example.com/fetch:1
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
    securityContext:
      appArmorProfile:
        type: Unconfined
`;

const terraform = `resource "kubernetes_deployment_v1" "vllm" {
  metadata {
    name = "vllm"
  }
  spec {
    template {
      metadata {
        annotations = {
          "container.apparmor.security.beta.kubernetes.io/vllm" = "unconfined"
        }
      }
      spec {
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
      name: 'RuntimeDefault and Localhost fields, runtime/default and localhost/ annotations',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/vllm: runtime/default
        container.apparmor.security.beta.kubernetes.io/fetch: localhost/fetch
    spec:
      securityContext:
        appArmorProfile:
          type: RuntimeDefault
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.5.0
        securityContext:
          appArmorProfile:
            type: Localhost
            localhostProfile: vllm
`,
    },
    {
      // The Deployment's own annotations do not reach its pods: only the template's count.
      name: 'annotation on the Deployment, not on its pod template',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
  annotations:
    container.apparmor.security.beta.kubernetes.io/vllm: unconfined
spec:
  template:
    spec:
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.5.0
`,
    },
    { name: 'Terraform runtime/default', file: 'main.tf', code: replaced(terraform, ['= "unconfined"', '= "runtime/default"']) },
  ],
  invalid: [
    {
      name: 'Pod: annotation, pod field and container field',
      code: pod,
      errors: [
        { line: 6, message: 'Annotation `container.apparmor.security.beta.kubernetes.io/vllm: unconfined` runs container `vllm`' },
        { line: 11, message: 'The pod spec sets AppArmor profile `Unconfined`' },
        { line: 20, message: 'Container `vllm` sets AppArmor profile `Unconfined`' },
      ],
      output: replaced(
        pod,
        ['beta.kubernetes.io/vllm: unconfined', 'beta.kubernetes.io/vllm: runtime/default'],
        ['      type: Unconfined', '      type: RuntimeDefault'],
        ['        type: Unconfined', '        type: RuntimeDefault'],
      ),
    },
    {
      name: 'CronJob pod template annotation',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: eval
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            container.apparmor.security.beta.kubernetes.io/eval: "unconfined"
        spec:
          containers:
          - name: eval
            image: example.com/eval:1
`,
      errors: [{ line: 12, message: 'runs container `eval` without AppArmor confinement' }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: eval
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            container.apparmor.security.beta.kubernetes.io/eval: runtime/default
        spec:
          containers:
          - name: eval
            image: example.com/eval:1
`,
    },
    {
      name: 'KServe model container field',
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
        appArmorProfile: {type: Unconfined}
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
        appArmorProfile: {type: RuntimeDefault}
`,
    },
    {
      name: 'Terraform kubernetes_deployment_v1 template annotation',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 9, message: 'runs container `vllm`' }],
      output: replaced(terraform, ['= "unconfined"', '= "runtime/default"']),
    },
  ],
});
