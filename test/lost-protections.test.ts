// A change that takes a namespace's default-deny policy away from workloads it does not touch (deleting the policy's
// file, cutting it from a file, editing it open) is reported where it took it away; one that leaves the namespace
// covered (the policy moved, another still denies) is not.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../src/engine/repository-index.js';
import { review, type ChangedFile } from '../src/review.js';
import { githubPatch } from './app/fake-github.js';

const WORKLOAD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: triton\n  namespace: models\nspec:\n  template:\n    spec:\n      containers:\n      - name: server\n        image: triton\n';
const DENY = (name = 'default-deny-all', types = '[Ingress, Egress]') =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: models\nspec:\n  podSelector: {}\n  policyTypes: ${types}\n`;

/** The repository after the change (`head`), reviewed with the files it changes and deletes. */
async function reviewChange(head: Record<string, string>, changed: ChangedFile[], removed: { path: string; baseText: string | null }[] = [], config = DEFAULT_CONFIG) {
  const repository = await buildRepositoryIndex(memoryReader(head), config);
  return review({ files: changed, removed, config, repository, reader: memoryReader(head) });
}
const lost = (result: Awaited<ReturnType<typeof review>>) => result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing');

describe('a default-deny policy the change takes away', () => {
  it('its file deleted: reported in the deleted file, naming the namespace and what is now open', async () => {
    const result = await reviewChange({ 'apps/triton.yaml': WORKLOAD }, [], [{ path: 'policies/deny.yaml', baseText: DENY() }]);
    expect(lost(result)).toEqual([
      expect.objectContaining({ file: 'policies/deny.yaml', line: 1, severity: 'medium', preExisting: false, resource: 'NetworkPolicy/models/default-deny-all' }),
    ]);
    expect(lost(result)[0]!.message).toContain('This change deletes `policies/deny.yaml`, and with it NetworkPolicy `default-deny-all`, which made `models` default-deny for ingress and egress');
    expect(lost(result)[0]!.message).toContain('neither ingress nor egress is restricted');
  });

  it('cut from a file that stays: reported where its lines were removed', async () => {
    const before = `${WORKLOAD.replace('triton', 'gateway')}---\n${DENY()}`;
    const after = WORKLOAD.replace('triton', 'gateway');
    // The policy's document, the file's last lines, removed after its last line.
    const kept = after.trimEnd().split('\n');
    const result = await reviewChange({ 'apps/triton.yaml': WORKLOAD, 'apps/gateway.yaml': after }, [{ path: 'apps/gateway.yaml', headText: after, baseText: before, patch: githubPatch(before, after) }]);
    const [found] = lost(result).filter((f) => f.resource === 'NetworkPolicy/models/default-deny-all');
    expect(found).toMatchObject({ file: 'apps/gateway.yaml', line: kept.length });
    expect(found!.message).toContain('This change removes NetworkPolicy `default-deny-all`');
  });

  it('edited to deny less: reported on the policy, naming the direction now open', async () => {
    const after = DENY('default-deny-all', '[Ingress]');
    const result = await reviewChange({ 'apps/triton.yaml': WORKLOAD, 'policies/deny.yaml': after }, [{ path: 'policies/deny.yaml', headText: after, baseText: DENY(), patch: githubPatch(DENY(), after) }]);
    expect(lost(result)).toEqual([expect.objectContaining({ file: 'policies/deny.yaml', line: 1 })]);
    expect(lost(result)[0]!.message).toContain('changes NetworkPolicy `default-deny-all`, which made `models` default-deny for egress; no policy left in the repository does (egress is open)');
  });

  it('a base\'s policy that an overlay namespaces, deleted with its entry: judged in the namespace the overlay gave it', async () => {
    const policy = DENY().replace('  namespace: models\n', '');
    const kustomization = (entries: string) => `resources:\n${entries}`;
    const before = kustomization('- deployment.yaml\n- deny.yaml\n');
    const after = kustomization('- deployment.yaml\n');
    const head = { 'base/kustomization.yaml': after, 'base/deployment.yaml': WORKLOAD.replace('  namespace: models\n', ''), 'prod/kustomization.yaml': 'namespace: models\nresources:\n- ../base\n' };
    const result = await reviewChange(head, [{ path: 'base/kustomization.yaml', headText: after, baseText: before, patch: githubPatch(before, after) }], [{ path: 'base/deny.yaml', baseText: policy }]);
    // Beside the overlay's workload, which the changed kustomization builds and which is reported as open too.
    const taken = lost(result).filter((f) => f.file === 'base/deny.yaml');
    expect(taken.map((f) => f.resource)).toEqual(['NetworkPolicy/default-deny-all']);
    expect(taken[0]!.message).toContain('which made `models` default-deny');
  });

  it('written in Terraform: the same, from the deleted file\'s declarations', async () => {
    const policy = 'resource "kubernetes_network_policy_v1" "deny" {\n  metadata {\n    name      = "default-deny-all"\n    namespace = "models"\n  }\n  spec {\n    pod_selector {}\n    policy_types = ["Ingress", "Egress"]\n  }\n}\n';
    const result = await reviewChange({ 'apps/triton.yaml': WORKLOAD }, [], [{ path: 'network/deny.tf', baseText: policy }]);
    expect(lost(result)).toEqual([expect.objectContaining({ file: 'network/deny.tf', line: 1, resource: 'kubernetes_network_policy_v1.deny' })]);
  });

  it('written as a JSON manifest or as Terraform JSON: the same, from the deleted file as it was', async () => {
    const manifest = JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-all', namespace: 'models' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }, null, 2);
    const json = await reviewChange({ 'apps/triton.yaml': WORKLOAD }, [], [{ path: 'policies/deny.json', baseText: manifest }]);
    expect(lost(json)).toEqual([expect.objectContaining({ file: 'policies/deny.json', resource: 'NetworkPolicy/models/default-deny-all' })]);
    const terraform = JSON.stringify({ resource: { kubernetes_network_policy_v1: { deny: { metadata: { name: 'default-deny-all', namespace: 'models' }, spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'] } } } } }, null, 2);
    const tfjson = await reviewChange({ 'apps/triton.yaml': WORKLOAD }, [], [{ path: 'network/deny.tf.json', baseText: terraform }]);
    expect(lost(tfjson)).toEqual([expect.objectContaining({ file: 'network/deny.tf.json', resource: 'kubernetes_network_policy_v1.deny' })]);
  });

  it('a suppression above the policy the change edits holds, as above any finding', async () => {
    const after = `# warden:ignore k8s/network-policy-missing -- egress is denied by the cluster-wide Cilium policy\n${DENY('default-deny-all', '[Ingress]')}`;
    const change: ChangedFile = { path: 'policies/deny.yaml', headText: after, baseText: DENY(), patch: githubPatch(DENY(), after) };
    const medium = resolveConfig({ gate: 'medium' });
    const result = await reviewChange({ 'apps/triton.yaml': WORKLOAD, 'policies/deny.yaml': after }, [change], [], medium);
    expect(lost(result)).toEqual([expect.objectContaining({ line: 2, suppressed: expect.objectContaining({ line: 1, reason: 'egress is denied by the cluster-wide Cilium policy' }) })]);
    expect(result.gating).toEqual([]);
    // Without it, the same change gates at `gate: medium`.
    const plain = DENY('default-deny-all', '[Ingress]');
    const unsuppressed = await reviewChange({ 'apps/triton.yaml': WORKLOAD, 'policies/deny.yaml': plain }, [{ ...change, headText: plain, patch: githubPatch(DENY(), plain) }], [], medium);
    expect(unsuppressed.gating.map((f) => f.ruleId)).toEqual(['k8s/network-policy-missing']);
  });

  it('moved to another file, or another policy still denying: nothing to report', async () => {
    const moved = await reviewChange({ 'apps/triton.yaml': WORKLOAD, 'security/deny.yaml': DENY() }, [{ path: 'security/deny.yaml', headText: DENY(), baseText: null, patch: githubPatch('', DENY()) }], [{ path: 'policies/deny.yaml', baseText: DENY() }]);
    expect(lost(moved)).toEqual([]);
    const another = await reviewChange({ 'apps/triton.yaml': WORKLOAD, 'policies/other.yaml': DENY('deny-everything') }, [], [{ path: 'policies/deny.yaml', baseText: DENY() }]);
    expect(lost(another)).toEqual([]);
  });

  it('stays silent when the rule is off or the repository could not be read whole', async () => {
    const off = resolveConfig({ rules: { 'k8s/network-policy-missing': 'off' } });
    expect(lost(await reviewChange({ 'apps/triton.yaml': WORKLOAD }, [], [{ path: 'policies/deny.yaml', baseText: DENY() }], off))).toEqual([]);
    const result = await review({ files: [], removed: [{ path: 'policies/deny.yaml', baseText: DENY() }], config: DEFAULT_CONFIG });
    expect(lost(result)).toEqual([]);
  });
});

describe('the other protections a change can take away', () => {
  const authz = (namespace: string) =>
    `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: callers\n  namespace: ${namespace}\nspec:\n  action: ALLOW\n  rules:\n  - from:\n    - source:\n        principals: ["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"]\n`;
  const quota = (hard: string) => `apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: accelerators\n  namespace: models\nspec:\n  hard:\n    ${hard}\n`;
  const byRule = (result: Awaited<ReturnType<typeof review>>, ruleId: string) => result.findings.filter((f) => f.ruleId === ruleId);

  it('the AuthorizationPolicy that decided who may call a namespace\'s endpoints, unless the gateway\'s still does', async () => {
    const deleted = await reviewChange({ 'apps/triton.yaml': WORKLOAD }, [], [{ path: 'mesh/callers.yaml', baseText: authz('models') }]);
    expect(byRule(deleted, 'k8s/gateway-authz')).toEqual([expect.objectContaining({ file: 'mesh/callers.yaml', severity: 'high', resource: 'AuthorizationPolicy/models/callers' })]);
    expect(byRule(deleted, 'k8s/gateway-authz')[0]!.message).toContain('which decided who may call the model endpoints published in `models`');
    const gateway = await reviewChange({ 'apps/triton.yaml': WORKLOAD, 'mesh/gateway.yaml': authz('istio-system') }, [], [{ path: 'mesh/callers.yaml', baseText: authz('models') }]);
    expect(byRule(gateway, 'k8s/gateway-authz')).toEqual([]);
  });

  it('the quota that capped a namespace\'s accelerators, edited to cap only memory', async () => {
    const before = quota('requests.nvidia.com/gpu: "4"');
    const after = quota('requests.memory: 64Gi');
    const result = await reviewChange({ 'apps/triton.yaml': WORKLOAD, 'quota.yaml': after }, [{ path: 'quota.yaml', headText: after, baseText: before, patch: githubPatch(before, after) }]);
    expect(byRule(result, 'k8s/gpu-namespace-quota')).toEqual([expect.objectContaining({ file: 'quota.yaml', line: 1 })]);
    expect(byRule(result, 'k8s/gpu-namespace-quota')[0]!.message).toContain('This change changes ResourceQuota `accelerators`, which capped `nvidia.com/gpu` in `models`');
  });
});

describe('a ServiceAccount that kept its token out of its pods', () => {
  const account = (name: string, automount: boolean) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: models\nautomountServiceAccountToken: ${automount}\n`;
  const tokens = (result: Awaited<ReturnType<typeof review>>) => result.findings.filter((f) => f.ruleId === 'k8s/automount-service-account-token');

  it('edited to mount it: reported on the account, for the pods elsewhere that use it', async () => {
    const result = await reviewChange({ 'apps/triton.yaml': WORKLOAD, 'accounts.yaml': account('triton', true) }, [{ path: 'accounts.yaml', headText: account('triton', true), baseText: account('triton', false), patch: githubPatch(account('triton', false), account('triton', true)) }]);
    expect(tokens(result)).toEqual([expect.objectContaining({ file: 'accounts.yaml', line: 1, resource: 'ServiceAccount/models/triton' })]);
    expect(tokens(result)[0]!.message).toContain('This change changes ServiceAccount `triton`, which kept its token out of the pods in `models` that use it');
  });

  it('deleted: a named account takes its pods with it (nothing to report); the namespace\'s `default` one comes back mounting', async () => {
    const named = await reviewChange({ 'apps/triton.yaml': WORKLOAD }, [], [{ path: 'accounts.yaml', baseText: account('triton', false) }]);
    expect(tokens(named)).toEqual([]);
    const fallback = await reviewChange({ 'apps/triton.yaml': WORKLOAD }, [], [{ path: 'accounts.yaml', baseText: account('default', false) }]);
    expect(tokens(fallback)).toEqual([expect.objectContaining({ file: 'accounts.yaml', resource: 'ServiceAccount/models/default' })]);
  });
});

describe('what could not be read as it was', () => {
  it('a deleted file without its text, or one whose old text does not parse, is said in a note, not passed over', async () => {
    const result = await reviewChange({ 'apps/triton.yaml': WORKLOAD }, [], [{ path: 'policies/gone.yaml', baseText: null }]);
    expect(result.notes).toContainEqual({ file: 'policies/gone.yaml', message: expect.stringContaining('not read as it was before the change (a deleted file whose text could not be read)') });
    const broken = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: [unclosed\n';
    const changed = await reviewChange({ 'apps/triton.yaml': WORKLOAD, 'policies/deny.yaml': DENY() }, [{ path: 'policies/deny.yaml', headText: DENY(), baseText: broken, patch: githubPatch(broken, DENY()) }]);
    expect(changed.notes).toContainEqual({ file: 'policies/deny.yaml', message: expect.stringContaining('not read as it was before the change') });
  });
});
