import rule from '../../../rules/k8s/rbac-pod-exec.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'read pods and logs only',
      code: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: viewer
  namespace: models
rules:
- apiGroups: [""]
  resources: ["pods", "pods/log"]
  verbs: ["get", "list"]
`,
    },
  ],
  invalid: [
    {
      name: 'create pods/exec and pods/attach',
      code: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debugger
  namespace: models
rules:
- apiGroups: [""]
  resources: ["pods/exec", "pods/attach"]
  verbs: ["create"]
`,
      errors: [{ line: 8, message: 'can `create` `pods/exec`, `pods/attach`' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_cluster_role',
      file: 'main.tf',
      code: `resource "kubernetes_cluster_role" "debug" {
  metadata {
    name = "debug"
  }
  rule {
    api_groups = [""]
    resources  = ["pods/exec"]
    verbs      = ["get", "create"]
  }
}
`,
      errors: [{ line: 7 }],
      output: null,
    },
  ],
});
