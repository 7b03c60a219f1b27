import rule from '../../../rules/k8s/host-probes.js';
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
        livenessProbe:
          httpGet:
            host: 169.254.169.254   # metadata endpoint
            path: /v2/health/live
            port: 8000
        readinessProbe:
          tcpSocket:
            port: 8001
            host: "127.0.0.1"
        startupProbe:
          httpGet:
            path: /v2/health/ready
            port: 8000
            host: ""
        lifecycle:
          preStop:
            httpGet: {host: drain.internal, path: /drain, port: 80}
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
          liveness_probe {
            http_get {
              host = "10.0.0.1"
              path = "/v2/health/live"
              port = 8000
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
      name: 'probes without host (or an empty one), exec and grpc probes',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: triton
spec:
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.05-py3
    livenessProbe:
      httpGet:
        path: /v2/health/live
        port: 8000
        httpHeaders:
        - name: Host
          value: triton.models.svc
    readinessProbe:
      tcpSocket:
        port: 8001
        host: ""
    startupProbe:
      grpc:
        port: 8001
    lifecycle:
      preStop:
        exec:
          command: [sleep, "5"]
`,
    },
    { name: 'Terraform without host', file: 'main.tf', code: replaced(terraform, ['              host = "10.0.0.1"\n', '']) },
  ],
  invalid: [
    {
      name: 'Deployment: liveness, readiness and preStop hosts; an empty host is fine',
      code: deployment,
      errors: [
        { line: 13, message: 'Container `triton`: `livenessProbe.httpGet` connects to host `169.254.169.254` from the node' },
        { line: 19, message: '`readinessProbe.tcpSocket` connects to host `127.0.0.1`' },
        { line: 27, message: '`lifecycle.preStop.httpGet` connects to host `drain.internal`' },
      ],
      output: replaced(
        deployment,
        ['            host: 169.254.169.254   # metadata endpoint\n', ''],
        ['            host: "127.0.0.1"\n', ''],
        ['{host: drain.internal, path: /drain, port: 80}', '{path: /drain, port: 80}'],
      ),
    },
    {
      name: 'Pod init container (a sidecar) with a postStart hook',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  initContainers:
  - name: proxy
    image: envoyproxy/envoy:v1.30
    restartPolicy: Always
    lifecycle:
      postStart:
        tcpSocket:
          host: ::1
          port: 9901
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
`,
      errors: [{ line: 13, message: 'Container `proxy`: `lifecycle.postStart.tcpSocket` connects to host `::1`' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  initContainers:
  - name: proxy
    image: envoyproxy/envoy:v1.30
    restartPolicy: Always
    lifecycle:
      postStart:
        tcpSocket:
          port: 9901
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
`,
    },
    {
      name: 'KServe model container readiness probe',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      readinessProbe:
        httpGet:
          path: /health
          port: 8080
          host: bad.host
`,
      errors: [{ line: 14, message: 'Container `model`' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      readinessProbe:
        httpGet:
          path: /health
          port: 8080
`,
    },
    {
      name: 'CronJob container',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: batch-infer
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: infer
            image: example.com/infer:1
            livenessProbe:
              tcpSocket: {host: 10.0.0.5, port: 5000}
`,
      errors: [{ line: 15 }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: batch-infer
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: infer
            image: example.com/infer:1
            livenessProbe:
              tcpSocket: {port: 5000}
`,
    },
    {
      name: 'Terraform kubernetes_deployment_v1',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 14, message: 'connects to host `10.0.0.1`' }],
      output: replaced(terraform, ['              host = "10.0.0.1"\n', '']),
    },
  ],
});
