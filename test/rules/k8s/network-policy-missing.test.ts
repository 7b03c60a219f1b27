// A cross-resource rule: tested through the repository index, since the answer depends on other files.
import { describe, expect, it } from 'vitest';
import rule from '../../../rules/k8s/network-policy-missing.js';
import { resolveConfig } from '../../../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../../../src/engine/repository-index.js';
import { scanFiles } from '../../../src/engine/run.js';
import { EMPTY_REPOSITORY } from '../../../src/engine/repository.js';

const config = resolveConfig({});

const deployment = (namespace: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: ${namespace}
spec:
  template:
    spec:
      containers:
      - name: triton
        image: triton:1
`;
const namespace = `apiVersion: v1
kind: Namespace
metadata:
  name: models
`;
const denyAll = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: models
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
`;

async function scan(changed: Record<string, string>, repo: Record<string, string>, index = true) {
  const repository = index ? await buildRepositoryIndex(memoryReader({ ...repo, ...changed }), config) : EMPTY_REPOSITORY;
  const result = await scanFiles(Object.entries(changed).map(([path, text]) => ({ path, text })), { config, rules: [rule], repository });
  return result.findings;
}

describe('k8s/network-policy-missing', () => {
  it('is satisfied by a default-deny policy elsewhere in the repository', async () => {
    expect(await scan({ 'apps/triton.yaml': deployment('models') }, { 'platform/policies.yaml': denyAll })).toEqual([]);
  });

  it('counts only a policy that stays deployed: not a hook deleted when it ends, run only on upgrade, or never applied', async () => {
    const annotated = (annotations: string) => denyAll.replace('  namespace: models\n', `  namespace: models\n  annotations:\n${annotations}`);
    const open = async (annotations: string) => (await scan({ 'apps/triton.yaml': deployment('models') }, { 'platform/policies.yaml': annotated(annotations) })).map((f) => f.resource);
    const flagged = ['Deployment/models/triton'];
    expect(await open('    helm.sh/hook: pre-install\n    helm.sh/hook-delete-policy: hook-succeeded\n')).toEqual(flagged);
    expect(await open('    helm.sh/hook: post-upgrade\n')).toEqual(flagged);
    expect(await open('    helm.sh/hook: test\n')).toEqual(flagged);
    expect(await open('    argocd.argoproj.io/hook: Skip\n')).toEqual(flagged);
    expect(await open('    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n')).toEqual(flagged);
    // Created on install (or sync) and kept until the hook runs again: it stays.
    expect(await open('    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-delete-policy: before-hook-creation\n')).toEqual([]);
    expect(await open('    argocd.argoproj.io/hook: PostSync\n')).toEqual([]);
  });

  it('accepts one policy per direction', async () => {
    const ingressOnly = denyAll.replace('default-deny-all', 'deny-ingress').replace('  - Egress\n', '');
    const egressOnly = denyAll.replace('default-deny-all', 'deny-egress').replace('  - Ingress\n', '');
    expect(await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': `${ingressOnly}---\n${egressOnly}` })).toEqual([]);
  });

  it('flags a workload deployed to a namespace with no default-deny, with a ready policy in the message', async () => {
    const findings = await scan({ 'apps/triton.yaml': deployment('models') }, { 'other.yaml': denyAll.replace('namespace: models', 'namespace: other') });
    expect(findings.map((f) => [f.line, f.resource])).toEqual([[5, 'Deployment/models/triton']]);
    expect(findings[0]!.message).toContain('Deployment `triton` is deployed to `models`');
    expect(findings[0]!.message).toContain('neither ingress nor egress is restricted');
    expect(findings[0]!.message).toContain('```yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\n  namespace: models\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  - Egress\n```');
  });

  it('says which direction is open', async () => {
    const ingressOnly = denyAll.replace('  - Egress\n', '');
    const findings = await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': ingressOnly });
    expect(findings[0]!.message).toContain('egress is open');
  });

  it('does not count a default-deny that an allow-all rule reopens', async () => {
    const reopened = `${denyAll}  ingress:\n  - {}\n`;
    const findings = await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': reopened });
    expect(findings[0]!.message).toContain('ingress is open');
  });

  it('reports a created Namespace once, not each workload of the same file', async () => {
    const findings = await scan({ 'models.yaml': `${namespace}---\n${deployment('models')}` }, {});
    expect(findings.map((f) => [f.line, f.resource])).toEqual([[4, 'Namespace/models']]);
    expect(findings[0]!.message).toContain('Namespace `models` is created here');
  });

  it('stays silent when the repository could not be read, or the namespace is the cluster\'s', async () => {
    expect(await scan({ 'a.yaml': deployment('models') }, {}, false)).toEqual([]);
    expect(await scan({ 'a.yaml': deployment('kube-system') }, {})).toEqual([]);
  });

  it('checks a workload that names no namespace in the one it lands in: default, or its kustomization\'s', async () => {
    const bare = deployment('models').replace('  namespace: models\n', '');
    const findings = await scan({ 'a.yaml': bare }, {});
    expect(findings.map((f) => [f.line, f.resource])).toEqual([[3, 'Deployment/triton']]);
    expect(findings[0]!.message).toContain('is deployed to `default` (it names no namespace)');
    expect(await scan({ 'a.yaml': bare }, { 'p.yaml': denyAll.replace('namespace: models', 'namespace: default') })).toEqual([]);
    const kustomization = 'resources:\n- a.yaml\nnamespace: models\n';
    expect(await scan({ 'app/a.yaml': bare }, { 'app/kustomization.yaml': kustomization, 'p.yaml': denyAll })).toEqual([]);
    const other = await scan({ 'app/a.yaml': bare }, { 'app/kustomization.yaml': kustomization.replace('models', 'serving'), 'p.yaml': denyAll });
    expect(other[0]!.message).toContain('is deployed to `serving`');
  });

  describe('Cilium policies', () => {
    const cilium = (spec: string, kind = 'CiliumNetworkPolicy') =>
      `apiVersion: cilium.io/v2\nkind: ${kind}\nmetadata:\n  name: deny\n${kind === 'CiliumNetworkPolicy' ? '  namespace: models\n' : ''}${spec}`;

    it('counts a CiliumNetworkPolicy that selects every pod and allows nothing as default-deny', async () => {
      const both = cilium('spec:\n  endpointSelector: {}\n  ingress:\n  - {}\n  egress:\n  - {}\n');
      expect(await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': both })).toEqual([]);
      const explicit = cilium('spec:\n  endpointSelector: {}\n  enableDefaultDeny:\n    ingress: true\n    egress: true\n');
      expect(await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': explicit })).toEqual([]);
      const ingressOnly = cilium('spec:\n  endpointSelector: {}\n  ingress:\n  - {}\n');
      expect((await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': ingressOnly }))[0]!.message).toContain('egress is open');
    });

    it('counts a cluster-wide policy for the namespaces its selector takes', async () => {
      const allButSystem = cilium(
        'spec:\n  endpointSelector:\n    matchExpressions:\n    - key: io.kubernetes.pod.namespace\n      operator: NotIn\n      values: [kube-system]\n  ingress:\n  - {}\n  egress:\n  - toEndpoints:\n    - matchLabels:\n        k8s:io.kubernetes.pod.namespace: kube-system\n        k8s-app: kube-dns\n',
        'CiliumClusterwideNetworkPolicy',
      );
      expect(await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': allButSystem })).toEqual([]);
      const elsewhere = allButSystem.replace('NotIn', 'In').replace('[kube-system]', '[other]');
      expect(await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': elsewhere })).toHaveLength(1);
    });

    it('does not count one that selects some pods, sits elsewhere, or reopens to the world', async () => {
      const some = cilium('spec:\n  endpointSelector:\n    matchLabels:\n      app: triton\n  ingress:\n  - {}\n  egress:\n  - {}\n');
      expect(await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': some })).toHaveLength(1);
      const elsewhere = cilium('spec:\n  endpointSelector: {}\n  ingress:\n  - {}\n  egress:\n  - {}\n').replace('namespace: models', 'namespace: other');
      expect(await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': elsewhere })).toHaveLength(1);
      const world = cilium('specs:\n- endpointSelector: {}\n  ingress:\n  - {}\n- endpointSelector: {}\n  egress:\n  - toEntities: [world]\n');
      expect((await scan({ 'a.yaml': deployment('models') }, { 'p.yaml': world }))[0]!.message).toContain('egress is open');
    });
  });

  it('still reports when a Helm template in the repository may hold the policy, and the index names the template', async () => {
    const helm = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Values.namespace }}\n';
    const repo = { 'chart/Chart.yaml': 'apiVersion: v2\nname: chart\n', 'chart/templates/np.yaml': helm };
    const index = await buildRepositoryIndex(memoryReader({ ...repo, 'a.yaml': deployment('models') }), config);
    expect(index).toMatchObject({ complete: true, unread: [{ file: 'chart/templates/np.yaml', reason: "a Helm chart's template, whose objects only its own chart's review looks up", kinds: ['NetworkPolicy'] }] });
    expect((await scan({ 'a.yaml': deployment('models') }, repo)).map((f) => f.ruleId)).toEqual(['k8s/network-policy-missing']);
  });

  it('resolves Terraform namespace references and offers the policy in HCL', async () => {
    const tf = `resource "kubernetes_namespace_v1" "models" {
  metadata {
    name = "models"
  }
}

resource "kubernetes_deployment_v1" "triton" {
  metadata {
    name      = "triton"
    namespace = kubernetes_namespace_v1.models.metadata[0].name
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "triton"
          image = "triton:1"
        }
      }
    }
  }
}
`;
    const findings = await scan({ 'main.tf': tf }, {});
    expect(findings.map((f) => [f.line, f.resource])).toEqual([[3, 'kubernetes_namespace_v1.models']]);
    expect(findings[0]!.message).toContain('resource "kubernetes_network_policy_v1" "default_deny_all"');

    const policy = `resource "kubernetes_network_policy_v1" "deny" {
  metadata {
    name      = "default-deny-all"
    namespace = kubernetes_namespace_v1.models.metadata[0].name
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}
`;
    expect(await scan({ 'main.tf': tf }, { 'policies.tf': policy })).toEqual([]);
  });

  it('covers the ML-serving kinds: an InferenceService and a kubernetes_manifest', async () => {
    const isvc = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
  namespace: models
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
`;
    expect((await scan({ 'isvc.yaml': isvc }, {})).map((f) => f.resource)).toEqual(['InferenceService/models/iris']);
    const manifest = `resource "kubernetes_manifest" "isvc" {
  manifest = {
    apiVersion = "serving.kserve.io/v1beta1"
    kind       = "InferenceService"
    metadata = {
      name      = "iris"
      namespace = "models"
    }
    spec = {
      predictor = {
        model = { modelFormat = { name = "sklearn" } }
      }
    }
  }
}
`;
    expect((await scan({ 'isvc.tf': manifest }, {})).map((f) => f.line)).toEqual([7]);
    expect(await scan({ 'isvc.tf': manifest }, { 'p.yaml': denyAll })).toEqual([]);
  });
});
