import rule from '../../../rules/k8s/rbac-escalation.js';
import { ruleTester } from '../../rule-tester.js';

const role = (rules: string, kind = 'Role') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: deployer
  namespace: models
rules:
${rules}`;

ruleTester(rule, {
  valid: [
    {
      name: 'observing workloads, reading node metrics',
      code: role(`- apiGroups: ["", "apps", "serving.kserve.io"]
  resources: ["pods", "deployments", "inferenceservices", "pods/log"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["nodes/metrics", "nodes/stats"]
  verbs: ["get"]
`),
    },
    {
      name: 'wildcards and pods/exec are other rules\' (k8s/rbac-wildcard, k8s/rbac-pod-exec)',
      code: role(`- apiGroups: [""]
  resources: ["pods"]
  verbs: ["*"]
- apiGroups: [""]
  resources: ["pods/exec"]
  verbs: ["create"]
`),
    },
    {
      name: 'create pods in an API group that has none',
      code: role(`- apiGroups: ["apps"]
  resources: ["pods"]
  verbs: ["create"]
`),
    },
  ],
  invalid: [
    {
      name: 'workloads, nodes/proxy, bind, escalate, impersonate, tokens, port-forward',
      code: role(`- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "patch"]
- apiGroups: ["serving.kserve.io"]
  resources: ["inferenceservices"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["nodes/proxy"]
  verbs: ["get"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["clusterroles"]
  verbs: ["bind", "escalate"]
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["impersonate"]
- apiGroups: [""]
  resources: ["serviceaccounts/token", "pods/portforward"]
  verbs: ["create"]
`, 'ClusterRole'),
      errors: [
        { line: 7, message: 'ClusterRole `deployer` rule 1 lets its holder create or change pods' },
        { line: 10, message: 'rule 2 lets its holder create or change pods' },
        { line: 13, message: '`nodes/proxy`' },
        { line: 16, message: /`bind`.*; give roles permissions it does not hold \(`escalate`\)/ },
        { line: 19, message: '`impersonate`' },
        { line: 22, message: /`serviceaccounts\/token`.*; open a tunnel into any pod/ },
      ],
      output: null,
    },
    {
      name: 'Terraform kubernetes_role_v1',
      file: 'main.tf',
      code: `resource "kubernetes_role_v1" "ci" {
  metadata {
    name      = "ci"
    namespace = "models"
  }
  rule {
    api_groups = [""]
    resources  = ["pods"]
    verbs      = ["create", "delete"]
  }
}
`,
      errors: [{ line: 6, message: 'lets its holder create or change pods' }],
      output: null,
    },
  ],
});
