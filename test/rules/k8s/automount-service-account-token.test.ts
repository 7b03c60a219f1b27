import rule from '../../../rules/k8s/automount-service-account-token.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'disabled in the pod spec',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
      - name: app
        image: app:1
`,
    },
    {
      name: 'inherited from its ServiceAccount in the same file',
      code: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: triton
  namespace: models
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: models
spec:
  template:
    spec:
      serviceAccountName: triton
      containers:
      - name: triton
        image: triton:1
`,
    },
    {
      name: 'a ServingRuntime has no such field: its InferenceService carries it',
      code: `apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata:
  name: rt
spec:
  containers:
  - name: kserve-container
    image: rt:1
`,
    },
  ],
  invalid: [
    {
      name: 'a Deployment without it',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1
`,
      errors: [{ line: 7, message: 'mounts a Kubernetes API token' }],
      output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1
      automountServiceAccountToken: false
`,
    },
    {
      name: 'the pod turns it back on although the ServiceAccount disables it',
      code: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  serviceAccountName: sa
  automountServiceAccountToken: true
  containers:
  - name: app
    image: app:1
`,
      errors: [{ line: 13 }],
      output: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  serviceAccountName: sa
  automountServiceAccountToken: false
  containers:
  - name: app
    image: app:1
`,
    },
    {
      name: 'a KServe predictor',
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
      errors: [{ line: 6 }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
    automountServiceAccountToken: false
`,
    },
    {
      name: 'Terraform kubernetes_job_v1',
      file: 'main.tf',
      code: `resource "kubernetes_job_v1" "warmup" {
  metadata {
    name = "warmup"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "warmup"
          image = "warmup:1"
        }
      }
    }
  }
}
`,
      errors: [{ line: 8 }],
      output: `resource "kubernetes_job_v1" "warmup" {
  metadata {
    name = "warmup"
  }
  spec {
    template {
      metadata {}
      spec {
        automount_service_account_token = false
        container {
          name  = "warmup"
          image = "warmup:1"
        }
      }
    }
  }
}
`,
    },
  ],
});
