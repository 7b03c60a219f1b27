import rule from '../../../rules/k8s/rbac-wildcard.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'exact groups, resources and verbs',
      code: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: isvc-reader
  namespace: models
rules:
- apiGroups: ["serving.kserve.io"]
  resources: ["inferenceservices"]
  verbs: ["get", "list", "watch"]
`,
    },
  ],
  invalid: [
    {
      name: 'wildcards in a ClusterRole',
      code: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: serving-operator
rules:
- apiGroups: ["serving.kserve.io"]
  resources: ["inferenceservices"]
  verbs: ["get"]
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["pods"]
  verbs:
  - "*"
`,
      errors: [
        { line: 10, message: 'rule 2 grants `*` in resources, apiGroups: that includes everything added to the cluster later, and it reads the values of Secrets' },
        { line: 14, message: 'rule 3 grants `*` in verbs: that includes everything added to the cluster later. List' },
      ],
      output: null,
    },
    {
      name: 'every verb on Secrets: one finding that says both (k8s/rbac-secrets-read stands back)',
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
      errors: [{ line: 9, message: 'rule 1 grants `*` in verbs: that includes everything added to the cluster later, and it reads the values of Secrets' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_cluster_role_v1',
      file: 'main.tf',
      code: `resource "kubernetes_cluster_role_v1" "ops" {
  metadata {
    name = "ops"
  }
  rule {
    api_groups = [""]
    resources  = ["pods"]
    verbs      = ["*"]
  }
}
`,
      errors: [{ line: 8 }],
      output: null,
    },
  ],
});
