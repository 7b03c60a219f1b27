import rule from '../../../rules/k8s/rbac-secrets-read.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'one named Secret; secrets of another API group; write-only',
      code: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: storage-initializer
  namespace: models
rules:
- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: ["s3-credentials"]
  verbs: ["get"]
- apiGroups: ["example.io"]
  resources: ["secrets"]
  verbs: ["list"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["create"]
`,
    },
    {
      name: 'every verb on Secrets is k8s/rbac-wildcard\'s finding, which names the Secrets too',
      code: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: secret-admin
  namespace: models
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["*"]
`,
    },
  ],
  invalid: [
    {
      name: 'with k8s/rbac-wildcard off, every verb on Secrets is reported here',
      config: { rules: { 'k8s/rbac-wildcard': 'off' } },
      code: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: secret-admin
  namespace: models
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["*"]
`,
      errors: [{ line: 9, message: 'can `*` Secrets' }],
      output: null,
    },
    {
      name: 'list and watch Secrets',
      code: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: model-controller
rules:
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["get", "list", "watch"]
`,
      errors: [{ line: 8, message: 'can `get`/`list`/`watch` Secrets' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_role',
      file: 'main.tf',
      code: `resource "kubernetes_role" "reader" {
  metadata {
    name      = "reader"
    namespace = "models"
  }
  rule {
    api_groups = [""]
    resources  = ["secrets"]
    verbs      = ["get"]
  }
}
`,
      errors: [{ line: 9 }],
      output: null,
    },
  ],
});
