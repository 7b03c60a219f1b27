// A change that grants an account more than it could do (a new binding to a role that escalates, a role edited to
// escalate) is reported on what granted it: the pods that run as that account may be in files it does not touch.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../src/engine/repository-index.js';
import { review, type ChangedFile } from '../src/review.js';
import { githubPatch } from './app/fake-github.js';

const ROLE = (verbs: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: operator\n  namespace: models\nrules:\n- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ${verbs}\n`;
const BINDING = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: triton-operator\n  namespace: models\nsubjects:\n- kind: ServiceAccount\n  name: triton\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: operator\n';

async function reviewChange(head: Record<string, string>, changed: ChangedFile[]) {
  const repository = await buildRepositoryIndex(memoryReader(head), DEFAULT_CONFIG);
  return review({ files: changed, config: DEFAULT_CONFIG, repository, reader: memoryReader(head) });
}
const granted = (result: Awaited<ReturnType<typeof review>>) => result.findings.filter((f) => f.ruleId === 'k8s/workload-rbac-escalation');

describe('what a change grants to an account', () => {
  it('a new binding to a role that lets its holder create pods: reported on the binding', async () => {
    const result = await reviewChange({ 'rbac/role.yaml': ROLE('["create"]'), 'rbac/binding.yaml': BINDING }, [{ path: 'rbac/binding.yaml', headText: BINDING, baseText: null, patch: githubPatch('', BINDING) }]);
    expect(granted(result)).toEqual([expect.objectContaining({ file: 'rbac/binding.yaml', line: 1, severity: 'high', resource: 'RoleBinding/models/triton-operator' })]);
    expect(granted(result)[0]!.message).toContain('This change lets service account `triton` of `models` create or change pods');
  });

  it('a role edited to escalate, bound as before: reported on the role', async () => {
    const after = ROLE('["get", "create"]');
    const result = await reviewChange({ 'rbac/role.yaml': after, 'rbac/binding.yaml': BINDING }, [{ path: 'rbac/role.yaml', headText: after, baseText: ROLE('["get"]'), patch: githubPatch(ROLE('["get"]'), after) }]);
    expect(granted(result)).toEqual([expect.objectContaining({ file: 'rbac/role.yaml', resource: 'Role/models/operator' })]);
  });

  it('what the account could already do, or a role that grants nothing dangerous: nothing to report', async () => {
    const harmless = await reviewChange({ 'rbac/role.yaml': ROLE('["get", "list"]'), 'rbac/binding.yaml': BINDING }, [{ path: 'rbac/binding.yaml', headText: BINDING, baseText: null, patch: githubPatch('', BINDING) }]);
    expect(granted(harmless)).toEqual([]);
    const second = BINDING.replace('triton-operator', 'triton-operator-2');
    const again = await reviewChange({ 'rbac/role.yaml': ROLE('["create"]'), 'rbac/binding.yaml': BINDING, 'rbac/second.yaml': second }, [{ path: 'rbac/second.yaml', headText: second, baseText: null, patch: githubPatch('', second) }]);
    expect(granted(again)).toEqual([]);
  });

  it('a Terraform file holding a binding the account already had, edited elsewhere: nothing granted', async () => {
    const binding = (replicas: number) =>
      `resource "kubernetes_role_binding_v1" "triton" {\n  metadata {\n    name      = "triton-operator"\n    namespace = "models"\n  }\n  subject {\n    kind      = "ServiceAccount"\n    name      = "triton"\n    namespace = "models"\n  }\n  role_ref {\n    api_group = "rbac.authorization.k8s.io"\n    kind      = "Role"\n    name      = "operator"\n  }\n}\n\nlocals {\n  replicas = ${replicas}\n}\n`;
    const result = await reviewChange({ 'rbac/role.yaml': ROLE('["create"]'), 'rbac/binding.tf': binding(3) }, [{ path: 'rbac/binding.tf', headText: binding(3), baseText: binding(2), patch: githubPatch(binding(2), binding(3)) }]);
    expect(granted(result)).toEqual([]);
  });

  it('a new binding to a group: every service account of the namespace, or of the cluster, is stated once', async () => {
    const toGroup = (group: string, extra = '') => BINDING.replace('- kind: ServiceAccount\n  name: triton\n', `- kind: Group\n  apiGroup: rbac.authorization.k8s.io\n  name: ${group}\n${extra}`);
    const namespaced = toGroup('system:serviceaccounts:models', '- kind: ServiceAccount\n  name: triton\n');
    const result = await reviewChange({ 'rbac/role.yaml': ROLE('["create"]'), 'rbac/binding.yaml': namespaced }, [{ path: 'rbac/binding.yaml', headText: namespaced, baseText: null, patch: githubPatch('', namespaced) }]);
    // The account the binding also names gains nothing the group's finding does not state.
    expect(granted(result)).toEqual([expect.objectContaining({ file: 'rbac/binding.yaml', line: 1, resource: 'RoleBinding/models/triton-operator' })]);
    expect(granted(result)[0]!.message).toContain('This change lets every service account of `models` create or change pods');
    expect(granted(result)[0]!.message).toContain('every pod in `models` inherits that');

    const everyone = toGroup('system:authenticated');
    const cluster = await reviewChange({ 'rbac/role.yaml': ROLE('["create"]'), 'rbac/binding.yaml': everyone }, [{ path: 'rbac/binding.yaml', headText: everyone, baseText: null, patch: githubPatch('', everyone) }]);
    expect(granted(cluster).map((f) => [f.resource, f.message])).toEqual([['RoleBinding/models/triton-operator', expect.stringMatching(/^This change lets every service account in the cluster create or change pods .*: every pod in the cluster inherits that/)]]);
  });

  it('an account the group already held that power through: nothing new for the group or the account', async () => {
    const group = BINDING.replace('triton-operator', 'all-operators').replace('- kind: ServiceAccount\n  name: triton\n', '- kind: Group\n  name: system:serviceaccounts:models\n');
    const result = await reviewChange({ 'rbac/role.yaml': ROLE('["create"]'), 'rbac/group.yaml': group, 'rbac/binding.yaml': BINDING }, [{ path: 'rbac/binding.yaml', headText: BINDING, baseText: null, patch: githubPatch('', BINDING) }]);
    expect(granted(result)).toEqual([]);
  });

  it('a whole-file scan has no before: the workloads themselves are judged, nothing here', async () => {
    const files = { 'rbac/role.yaml': ROLE('["create"]'), 'rbac/binding.yaml': BINDING };
    const repository = await buildRepositoryIndex(memoryReader(files), DEFAULT_CONFIG);
    const result = await review({ files: Object.entries(files).map(([path, headText]) => ({ path, headText })), config: DEFAULT_CONFIG, repository });
    expect(granted(result)).toEqual([]);
  });
});
