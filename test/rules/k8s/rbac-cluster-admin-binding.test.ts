import rule from '../../../rules/k8s/rbac-cluster-admin-binding.js';
import { ruleTester } from '../../rule-tester.js';

/** A ClusterRoleBinding of cluster-admin to users and groups (`[kind, name]`), each with the RBAC API group. */
const clusterAdminFor = (name: string, subjects: [string, string][]) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${name}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
${subjects.map(([kind, subject]) => `- apiGroup: rbac.authorization.k8s.io\n  kind: ${kind}\n  name: ${subject}\n`).join('')}`;

ruleTester(rule, {
  valid: [
    {
      name: 'system subjects, and bindings to other roles',
      code: `${clusterAdminFor('cluster-admin', [['Group', 'system:masters'], ['User', 'system:kube-controller-manager']])}---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: view
  namespace: models
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: triton
  namespace: models
`,
    },
  ],
  invalid: [
    {
      name: 'a model-serving service account as cluster-admin',
      code: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: kserve-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: ServiceAccount
  name: kserve-controller
  namespace: kserve
`,
      errors: [{ line: 8, message: 'gives `cluster-admin` to ServiceAccount `kserve/kserve-controller`' }],
      output: null,
    },
    {
      name: 'system: names anyone can be are not the cluster\'s own: every signed-in identity, anonymous, an account as its user',
      code: clusterAdminFor('everyone-admin', [
        ['Group', 'system:masters'],
        ['Group', 'system:authenticated'],
        ['User', 'system:anonymous'],
        ['User', 'system:serviceaccount:models:triton'],
      ]),
      errors: [
        {
          line: 8,
          message:
            'gives `cluster-admin` to Group `system:authenticated` (every identity that signs in, every service account too), ' +
            'User `system:anonymous` (anyone who can reach the API server, without credentials), User `system:serviceaccount:models:triton`:',
        },
      ],
      output: null,
    },
    {
      name: 'a user named as what every JavaScript object inherits is a user like any other',
      code: clusterAdminFor('odd-admin', [['User', 'constructor'], ['User', 'toString']]),
      errors: [{ line: 8, message: 'gives `cluster-admin` to User `constructor`, User `toString`:' }],
      output: null,
    },
    {
      name: 'a service account in kube-system is not a system subject (Helm 2 tiller)',
      code: `kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  name: tiller
subjects:
- kind: ServiceAccount
  name: tiller
  namespace: kube-system
roleRef:
  kind: ClusterRole
  name: cluster-admin
  apiGroup: rbac.authorization.k8s.io
`,
      errors: [{ line: 11, message: 'ServiceAccount `kube-system/tiller`' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_cluster_role_binding_v1 to a group',
      file: 'main.tf',
      code: `resource "kubernetes_cluster_role_binding_v1" "ml" {
  metadata {
    name = "ml-admins"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "cluster-admin"
  }
  subject {
    kind      = "Group"
    name      = "ml-engineers"
    api_group = "rbac.authorization.k8s.io"
  }
}
`,
      errors: [{ line: 8, message: 'Group `ml-engineers`' }],
      output: null,
    },
  ],
});
