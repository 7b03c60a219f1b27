import rule from '../../../rules/k8s/host-ports.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
        ports:
        - containerPort: 8000
          hostPort: 8000
          name: http
        - hostPort: 8001
          containerPort: 8001
        - containerPort: 8002
          hostPort: 0
`;

const terraform = `resource "kubernetes_deployment_v1" "triton" {
  metadata {
    name = "triton"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "triton"
          image = "nvcr.io/nvidia/tritonserver:24.05-py3"
          port {
            container_port = 8000
            host_port      = 8000
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
      name: 'containerPort only, hostPort 0',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: triton
spec:
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.05-py3
    ports:
    - containerPort: 8000
    - containerPort: 8001
      hostPort: 0
`,
    },
    { name: 'Terraform without host_port', file: 'main.tf', code: replaced(terraform, ['            host_port      = 8000\n', '']) },
  ],
  invalid: [
    {
      name: 'Deployment: two host ports, one on the dash line',
      code: deployment,
      errors: [
        { line: 13, message: 'Container `triton` binds port 8000 on the node' },
        { line: 15, message: 'binds port 8001' },
      ],
      output: replaced(deployment, ['          hostPort: 8000\n', ''], ['        - hostPort: 8001\n          containerPort: 8001', '        - containerPort: 8001']),
    },
    {
      name: 'init container of a CronJob',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: warmup
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
          - name: warmup
            image: example.com/warmup:1
            ports: [{containerPort: 9000, hostPort: 9000}]
          containers:
          - name: main
            image: example.com/main:1
`,
      errors: [{ line: 14, message: 'Container `warmup` binds port 9000' }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: warmup
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
          - name: warmup
            image: example.com/warmup:1
            ports: [{containerPort: 9000}]
          containers:
          - name: main
            image: example.com/main:1
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
      ports:
      - containerPort: 8080
        hostPort: 80
        protocol: TCP
`,
      errors: [{ line: 12, message: 'Container `model` binds port 80' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      ports:
      - containerPort: 8080
        protocol: TCP
`,
    },
    {
      name: 'Terraform kubernetes_deployment_v1',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 14 }],
      output: replaced(terraform, ['            host_port      = 8000\n', '']),
    },
  ],
});
