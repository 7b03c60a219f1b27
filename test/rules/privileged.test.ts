import privileged from '../../rules/k8s/privileged.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(privileged, {
  valid: [
    {
      name: 'unprivileged deployment',
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
          privileged: false
`,
    },
  ],
  invalid: [
    {
      name: 'privileged container in a Deployment',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton # serving
spec:
  template:
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
        securityContext:
          privileged: true   # needed?
`,
      errors: [{ line: 12, message: 'Container `triton` runs privileged' }],
      output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton # serving
spec:
  template:
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
        securityContext:
          privileged: false   # needed?
`,
    },
    {
      name: 'Terraform kubernetes_deployment_v1',
      file: 'main.tf',
      code: `resource "kubernetes_deployment_v1" "triton" {
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
          security_context {
            privileged = true
          }
        }
      }
    }
  }
}
`,
      errors: [{ line: 13 }],
      output: `resource "kubernetes_deployment_v1" "triton" {
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
          security_context {
            privileged = false
          }
        }
      }
    }
  }
}
`,
    },
  ],
});
