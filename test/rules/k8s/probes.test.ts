import rule from '../../../rules/k8s/probes.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'both probes; init containers and Jobs are not serving containers',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      initContainers:
      - name: fetch
        image: fetch:1
      containers:
      - name: triton
        image: triton:1
        readinessProbe:
          httpGet:
            path: /v2/health/ready
            port: 8000
        livenessProbe:
          httpGet:
            path: /v2/health/live
            port: 8000
---
apiVersion: batch/v1
kind: Job
metadata:
  name: warmup
spec:
  template:
    spec:
      containers:
      - name: warmup
        image: warmup:1
`,
    },
    {
      name: 'a KServe model-format container gets its probes from the ServingRuntime',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
`,
    },
    {
      name: 'a Knative Service gets a default readiness probe',
      code: `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: llm
spec:
  template:
    spec:
      containers:
      - image: llm:1
        livenessProbe:
          httpGet:
            path: /health
`,
    },
    {
      name: 'only the configured serving containers are asked',
      config: { probes: { serving_containers: ['triton*'] } },
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: log-shipper
        image: fluent-bit:3
`,
    },
  ],
  invalid: [
    {
      name: 'a Deployment container without probes, and one without liveness',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    spec:
      containers:
      - name: vllm
        image: vllm:1
      - name: router
        image: router:1
        readinessProbe:
          tcpSocket:
            port: 8080
`,
      errors: [{ line: 9, message: 'has no readinessProbe and no livenessProbe' }, { line: 11, message: 'has no livenessProbe' }],
      output: null,
    },
    {
      name: 'a bare Pod restarts for ever, so it serves; one that never restarts is a task',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: server
spec:
  containers:
  - name: server
    image: server:1
---
apiVersion: v1
kind: Pod
metadata:
  name: task
spec:
  restartPolicy: Never
  containers:
  - name: task
    image: task:1
`,
      errors: [{ line: 7 }],
      output: null,
    },
    {
      name: 'a Knative Configuration asks for liveness only',
      code: `apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: llm
spec:
  template:
    spec:
      containers:
      - name: llm
        image: llm:1
`,
      errors: [{ line: 9, message: 'has no livenessProbe' }],
      output: null,
    },
    {
      name: 'an Argo Rollout',
      code: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: llm
spec:
  template:
    spec:
      containers:
      - name: llm
        image: llm:1
`,
      errors: [{ line: 9 }],
      output: null,
    },
    {
      name: 'a custom KServe predictor container',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: custom
spec:
  predictor:
    containers:
    - name: kserve-container
      image: acme/custom-model:1
`,
      errors: [{ line: 8 }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_deployment_v1',
      file: 'main.tf',
      code: `resource "kubernetes_deployment_v1" "vllm" {
  metadata {
    name = "vllm"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "vllm"
          image = "vllm:1"
          readiness_probe {
            http_get {
              path = "/health"
              port = 8000
            }
          }
        }
      }
    }
  }
}
`,
      errors: [{ line: 9, message: 'has no livenessProbe' }],
      output: null,
    },
  ],
});
