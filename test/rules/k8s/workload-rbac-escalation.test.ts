import { describe, expect, it } from 'vitest';
import rule from '../../../rules/k8s/workload-rbac-escalation.js';
import { LOOKED_UP_KINDS } from '../../../rules/index.js';
import { resolveConfig } from '../../../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../../../src/engine/repository-index.js';
import { scanFiles } from '../../../src/engine/run.js';
import { ruleTester } from '../../rule-tester.js';

const deployment = (account: string | null, namespace = 'models') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: ${namespace}
spec:
  template:
    spec:
${account === null ? '' : `      serviceAccountName: ${account}\n`}      containers:
      - name: triton
        image: triton:1
`;
const binding = (role: string, roleKind = 'ClusterRole', subject = 'triton', kind = 'RoleBinding') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: triton-${role}
  namespace: models
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ${roleKind}
  name: ${role}
subjects:
- kind: ServiceAccount
  name: ${subject}
${kind === 'ClusterRoleBinding' ? '  namespace: models\n' : ''}`;
/** A binding of the built-in `edit` role to the subjects written out (YAML list items). */
const editFor = (subjects: string, kind = 'RoleBinding', namespace = 'models') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: edit-for-some
${kind === 'RoleBinding' ? `  namespace: ${namespace}\n` : ''}roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
${subjects}`;
const deployer = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: deployer
  namespace: models
rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["create", "patch"]
`;
const viewer = deployer.replace('deployer', 'viewer').replace('["create", "patch"]', '["get", "list"]');

ruleTester(rule, {
  valid: [
    {
      name: 'bound to a role that only reads',
      code: `${deployment('triton')}---\n${viewer}---\n${binding('viewer', 'Role')}`,
    },
    {
      name: 'another account is bound, or the binding is in another namespace',
      code: `${deployment('triton')}---\n${binding('edit', 'ClusterRole', 'ci')}---\n${binding('edit').replace('namespace: models', 'namespace: other')}`,
    },
    {
      name: 'a group of another namespace, or a user that is no service account',
      code: `${deployment('triton')}---\n${editFor('- kind: Group\n  name: system:serviceaccounts:other\n- kind: User\n  name: alice\n- kind: User\n  name: system:serviceaccount:other:triton\n')}`,
    },
    {
      name: 'a ClusterRole named `constructor` or `toString` is judged by its rules, as any role the repository holds (not taken for a built-in one)',
      code: `${deployment('triton')}---\n${viewer.replace('kind: Role', 'kind: ClusterRole').replace('name: viewer', 'name: constructor')}---\n${binding('constructor')}---\n${binding('toString')}`,
    },
    {
      name: 'a role the repository does not hold is not guessed at',
      code: `${deployment('triton')}---\n${binding('custom-role')}`,
    },
    {
      name: "a Role is the binding's namespace's: one of the same name elsewhere that can deploy grants nothing here",
      code: `${deployment('triton')}---\n${deployer.replace('namespace: models', 'namespace: ci')}---\n${deployer.replace('["create", "patch"]', '["get"]')}---\n${binding('deployer', 'Role')}`,
    },
  ],
  invalid: [
    {
      name: 'bound to a Role that can deploy',
      code: `${deployment('triton')}---\n${deployer}---\n${binding('deployer', 'Role')}`,
      errors: [{ line: 9, message: 'runs as service account `triton`, which RoleBinding `triton-deployer` lets create or change pods' }],
      output: null,
    },
    {
      name: 'the default service account, bound cluster-wide to the built-in edit role',
      code: `${deployment(null)}---\n${binding('edit', 'ClusterRole', 'default', 'ClusterRoleBinding')}`,
      errors: [{ line: 8, message: 'service account `default`, which ClusterRoleBinding `triton-edit` lets create pods, exec into them' }],
      output: null,
    },
    {
      name: 'every account of the namespace, bound as its group',
      code: `${deployment('triton')}---\n${editFor('- kind: Group\n  apiGroup: rbac.authorization.k8s.io\n  name: system:serviceaccounts:models\n')}`,
      errors: [{ line: 9, message: 'which RoleBinding `edit-for-some` lets create pods' }],
      output: null,
    },
    {
      name: 'every authenticated identity (every service account is one), bound cluster-wide',
      code: `${deployment('triton')}---\n${editFor('- kind: Group\n  apiGroup: rbac.authorization.k8s.io\n  name: system:authenticated\n', 'ClusterRoleBinding')}`,
      errors: [{ line: 9, message: 'which ClusterRoleBinding `edit-for-some` lets create pods' }],
      output: null,
    },
    {
      name: 'the account named as the user its token authenticates as',
      code: `${deployment('triton')}---\n${editFor('- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: system:serviceaccount:models:triton\n')}`,
      errors: [{ line: 9, message: 'which RoleBinding `edit-for-some` lets create pods' }],
      output: null,
    },
    {
      name: 'an account of this namespace bound in another (the power is there)',
      code: `${deployment('triton')}---\n${editFor('- kind: ServiceAccount\n  name: triton\n  namespace: models\n', 'RoleBinding', 'ci')}`,
      errors: [{ line: 9, message: 'which RoleBinding `edit-for-some` lets create pods' }],
      output: null,
    },
    {
      name: 'several bindings reach the account: the first written is named, whichever way it names the account',
      code: `${deployment('triton')}---\n${binding('view', 'ClusterRole')}---\n${editFor('- kind: Group\n  name: system:serviceaccounts\n', 'ClusterRoleBinding')}---\n${deployer}---\n${binding('deployer', 'Role')}`,
      errors: [{ line: 9, message: 'which ClusterRoleBinding `edit-for-some` lets create pods' }],
      output: null,
    },
    {
      name: 'the same, the account itself bound first',
      code: `${deployment('triton')}---\n${deployer}---\n${binding('deployer', 'Role')}---\n${editFor('- kind: Group\n  name: system:serviceaccounts\n', 'ClusterRoleBinding')}`,
      errors: [{ line: 9, message: 'which RoleBinding `triton-deployer` lets create or change pods' }],
      output: null,
    },
    {
      name: 'a ClusterRole with wildcards counts here',
      code: `${deployment('triton')}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: everything
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
---
${binding('everything')}`,
      errors: [{ line: 9, message: /bind roles it does not hold/ }],
      output: null,
    },
    {
      name: 'Terraform: a kubernetes_deployment_v1 and its binding',
      file: 'main.tf',
      code: `resource "kubernetes_deployment_v1" "triton" {
  metadata {
    name      = "triton"
    namespace = "models"
  }
  spec {
    template {
      metadata {}
      spec {
        service_account_name = "triton"
        container {
          name  = "triton"
          image = "triton:1"
        }
      }
    }
  }
}

resource "kubernetes_cluster_role_binding_v1" "triton" {
  metadata {
    name = "triton-admin"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "cluster-admin"
  }
  subject {
    kind      = "ServiceAccount"
    name      = "triton"
    namespace = "models"
  }
}
`,
      errors: [{ line: 10, message: 'do anything in the cluster (`cluster-admin`)' }],
      output: null,
    },
  ],
});

describe('k8s/workload-rbac-escalation across the repository', () => {
  const config = resolveConfig({});
  async function scan(changed: Record<string, string>, repo: Record<string, string>) {
    const repository = await buildRepositoryIndex(memoryReader({ ...repo, ...changed }), config, { kinds: LOOKED_UP_KINDS });
    const result = await scanFiles(Object.entries(changed).map(([path, text]) => ({ path, text })), { config, rules: [rule], repository });
    return result.findings;
  }

  it('follows a binding and a role kept in other files', async () => {
    const findings = await scan({ 'apps/triton.yaml': deployment('triton') }, { 'rbac/role.yaml': deployer, 'rbac/binding.yaml': binding('deployer', 'Role') });
    expect(findings.map((f) => [f.line, f.resource])).toEqual([[9, 'Deployment/models/triton']]);
    expect(findings[0]!.message).toContain('RoleBinding `triton-deployer` (rbac/binding.yaml)');
  });

  it('follows a kustomization that puts both in the same namespace', async () => {
    const bare = (text: string) => text.replace(/  namespace: models\n/g, '');
    const repo = { 'app/kustomization.yaml': 'namespace: models\nresources:\n- triton.yaml\n- rbac.yaml\n', 'app/rbac.yaml': `${bare(deployer)}---\n${bare(binding('deployer', 'Role'))}` };
    expect(await scan({ 'app/triton.yaml': bare(deployment('triton')) }, repo)).toHaveLength(1);
  });
});
