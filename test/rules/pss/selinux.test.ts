import rule from '../../../rules/k8s/selinux.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: triton
spec:
  securityContext:
    seLinuxOptions:
      type: spc_t
      level: "s0:c123,c456"
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.05-py3
    securityContext:
      seLinuxOptions:
        user: system_u
        role: system_r
        type: container_t
`;

const terraform = `resource "kubernetes_pod" "triton" {
  metadata {
    name = "triton"
  }
  spec {
    security_context {
      se_linux_options {
        type  = "unconfined_t"
        level = "s0:c1,c2"
      }
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
      name: 'the container types and a level',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      securityContext:
        seLinuxOptions:
          type: container_t
          level: "s0:c1,c2"
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
        securityContext:
          seLinuxOptions: {type: container_engine_t, user: ""}
      initContainers:
      - name: init
        image: busybox
        securityContext:
          seLinuxOptions:
            type: container_kvm_t
            role: ""
`,
    },
    { name: 'Terraform container_init_t', file: 'main.tf', code: replaced(terraform, ['"unconfined_t"', '"container_init_t"']) },
  ],
  invalid: [
    {
      name: 'Pod: pod-level type, container user and role',
      code: pod,
      errors: [
        { line: 8, message: 'The pod spec sets SELinux type `spc_t`' },
        { line: 15, message: 'Container `triton` sets SELinux `user: system_u`' },
        { line: 16, message: '`role: system_r`' },
      ],
      output: replaced(pod, ['      type: spc_t\n', ''], ['        user: system_u\n        role: system_r\n', '']),
    },
    {
      name: 'CronJob container with only a bad type: the emptied seLinuxOptions goes',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: eval
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: eval
            image: example.com/eval:1
            securityContext:
              runAsNonRoot: true
              seLinuxOptions:
                type: super_t
`,
      errors: [{ line: 17, message: 'Container `eval` sets SELinux type `super_t`' }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: eval
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: eval
            image: example.com/eval:1
            securityContext:
              runAsNonRoot: true
`,
    },
    {
      name: 'KServe predictor pod-level (flow map)',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    securityContext:
      seLinuxOptions: {type: spc_t, level: "s0"}
    model:
      modelFormat:
        name: huggingface
`,
      errors: [{ line: 8, message: 'The pod spec sets SELinux type `spc_t`' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    securityContext:
      seLinuxOptions: {level: s0}
    model:
      modelFormat:
        name: huggingface
`,
    },
    {
      name: 'Terraform kubernetes_pod',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 8, message: '`unconfined_t`' }],
      output: replaced(terraform, ['        type  = "unconfined_t"\n', '']),
    },
  ],
});
