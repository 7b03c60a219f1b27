import rule from '../../../rules/k8s/rbac-everyone-binding.js';
import { ruleTester } from '../../rule-tester.js';

/** A binding of a role to subjects (`[kind, name]`). */
const binding = (kind: string, role: string, subjects: [string, string][]) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: models-read
  namespace: models
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ${role}
subjects:
${subjects.map(([subjectKind, name]) => `- apiGroup: rbac.authorization.k8s.io\n  kind: ${subjectKind}\n  name: ${name}\n`).join('')}`;

ruleTester(rule, {
  valid: [
    {
      name: 'the cluster\'s own bindings to everyone; named subjects; cluster-admin (k8s/rbac-cluster-admin-binding\'s)',
      code: `${binding('ClusterRoleBinding', 'system:public-info-viewer', [['Group', 'system:authenticated'], ['Group', 'system:unauthenticated']])}---
${binding('ClusterRoleBinding', 'system:discovery', [['Group', 'system:authenticated']])}---
${binding('RoleBinding', 'view', [['Group', 'ml-engineers'], ['User', 'system:serviceaccount:models:triton']])}---
${binding('ClusterRoleBinding', 'cluster-admin', [['User', 'system:anonymous']])}`,
    },
  ],
  invalid: [
    {
      name: 'a role bound to anonymous requests: reported at the subject, the fix removes every anonymous subject',
      code: binding('RoleBinding', 'view', [['Group', 'ml-engineers'], ['User', 'system:anonymous'], ['Group', 'system:unauthenticated']]),
      errors: [{ line: 14, message: 'RoleBinding `models-read` gives `ClusterRole/view` to User `system:anonymous`: anyone who can reach the API server, without credentials.' }],
      output: binding('RoleBinding', 'view', [['Group', 'ml-engineers']]),
    },
    {
      name: 'every signed-in identity: on GKE, any Google account',
      code: binding('ClusterRoleBinding', 'model-reader', [['Group', 'system:authenticated']]),
      errors: [{ line: 11, message: 'gives `ClusterRole/model-reader` to Group `system:authenticated`: every identity that signs in: every service account of the cluster, and on GKE any Google account.' }],
      output: binding('ClusterRoleBinding', 'model-reader', []).replace('subjects:\n', 'subjects: []\n'),
    },
    {
      name: 'Terraform kubernetes_cluster_role_binding_v1',
      file: 'main.tf',
      code: `resource "kubernetes_cluster_role_binding_v1" "models" {
  metadata {
    name = "models-read"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "model-reader"
  }
  subject {
    kind      = "Group"
    name      = "system:unauthenticated"
    api_group = "rbac.authorization.k8s.io"
  }
  subject {
    kind      = "ServiceAccount"
    name      = "triton"
    namespace = "models"
  }
}
`,
      errors: [{ line: 10, message: 'gives `ClusterRole/model-reader` to Group `system:unauthenticated`' }],
      output: `resource "kubernetes_cluster_role_binding_v1" "models" {
  metadata {
    name = "models-read"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "model-reader"
  }
  subject {
    kind      = "ServiceAccount"
    name      = "triton"
    namespace = "models"
  }
}
`,
    },
  ],
});
