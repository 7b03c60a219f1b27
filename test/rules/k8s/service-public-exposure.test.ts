import rule from '../../../rules/k8s/service-public-exposure.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'ClusterIP, an internal load balancer, source ranges, a Knative Service',
      code: `apiVersion: v1
kind: Service
metadata:
  name: triton
spec:
  ports:
  - port: 8000
---
apiVersion: v1
kind: Service
metadata:
  name: internal
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-scheme: internal
spec:
  type: LoadBalancer
---
apiVersion: v1
kind: Service
metadata:
  name: ranged
spec:
  type: LoadBalancer
  loadBalancerSourceRanges:
  - 203.0.113.0/24
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: llm
spec:
  template:
    spec:
      containers:
      - image: llm:1
`,
    },
  ],
  invalid: [
    {
      name: 'a public LoadBalancer, one open to 0.0.0.0/0, and a NodePort',
      code: `apiVersion: v1
kind: Service
metadata:
  name: public
spec:
  type: LoadBalancer
---
apiVersion: v1
kind: Service
metadata:
  name: open
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: ["0.0.0.0/0"]
---
apiVersion: v1
kind: Service
metadata:
  name: np
spec:
  type: NodePort
`,
      errors: [{ line: 6, message: 'is a LoadBalancer' }, { line: 13 }, { line: 21, message: 'is a NodePort' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_service_v1',
      file: 'main.tf',
      code: `resource "kubernetes_service_v1" "triton" {
  metadata {
    name      = "triton"
    namespace = "models"
  }
  spec {
    type = "LoadBalancer"
    port {
      port = 8000
    }
  }
}
`,
      errors: [{ line: 7 }],
      output: null,
    },
  ],
});
