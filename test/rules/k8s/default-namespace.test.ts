import rule from '../../../rules/k8s/default-namespace.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'a namespaced object with its namespace; cluster-scoped kinds need none',
      code: `apiVersion: v1
kind: Service
metadata:
  name: triton
  namespace: models
---
apiVersion: v1
kind: Namespace
metadata:
  name: models
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules: []
---
apiVersion: serving.kserve.io/v1alpha1
kind: ClusterServingRuntime
metadata:
  name: rt
spec:
  containers: []
`,
    },
    {
      name: 'Terraform with a namespace reference',
      file: 'main.tf',
      code: `resource "kubernetes_service_v1" "triton" {
  metadata {
    name      = "triton"
    namespace = kubernetes_namespace_v1.models.metadata[0].name
  }
  spec {
    port {
      port = 8000
    }
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'no namespace, and the default namespace',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
`,
      errors: [{ line: 3, message: 'InferenceService `iris` names no namespace' }, { line: 15, message: 'is in the `default` namespace' }],
      output: null,
    },
    {
      name: 'a Knative Configuration in default',
      code: `apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: llm
  namespace: default
spec:
  template:
    spec:
      containers:
      - image: llm:1
`,
      errors: [{ line: 5 }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_deployment_v1 without a namespace goes to default',
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
        }
      }
    }
  }
}
`,
      errors: [{ line: 2 }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_manifest in default',
      file: 'main.tf',
      code: `resource "kubernetes_manifest" "isvc" {
  manifest = {
    apiVersion = "serving.kserve.io/v1beta1"
    kind       = "InferenceService"
    metadata = {
      name      = "iris"
      namespace = "default"
    }
    spec = {
      predictor = {
        model = {
          modelFormat = { name = "sklearn" }
        }
      }
    }
  }
}
`,
      errors: [{ line: 7 }],
      output: null,
    },
  ],
});
