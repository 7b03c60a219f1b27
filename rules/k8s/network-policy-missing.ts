import { defineRule } from '../../src/engine/define-rule.js';
import { defaultDenyCoverage } from './support/network.js';
import { landingNamespaces, namespaceOf, runsPods, SYSTEM_NAMESPACES, PLACING_KINDS } from './support/k8s.js';
import { CILIUM_POLICY_KINDS } from './support/cilium.js';
import { visible } from '../../src/engine/visible.js';

function yamlPolicy(namespace: string): string {
  return [
    '```yaml',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: default-deny-all',
    `  namespace: ${namespace}`,
    'spec:',
    '  podSelector: {}',
    '  policyTypes:',
    '  - Ingress',
    '  - Egress',
    '```',
  ].join('\n');
}

function hclPolicy(namespace: string): string {
  return [
    '```hcl',
    'resource "kubernetes_network_policy_v1" "default_deny_all" {',
    '  metadata {',
    '    name      = "default-deny-all"',
    `    namespace = ${JSON.stringify(namespace)}`,
    '  }',
    '  spec {',
    '    pod_selector {}',
    '    policy_types = ["Ingress", "Egress"]',
    '  }',
    '}',
    '```',
  ].join('\n');
}

export default defineRule({
  id: 'k8s/network-policy-missing',
  severity: 'medium',
  title: 'Namespace without a default-deny NetworkPolicy',
  fixable: false,
  about: 'namespace',
  scope: 'resource',
  lookups: ['NetworkPolicy', ...CILIUM_POLICY_KINDS, 'Namespace', ...PLACING_KINDS],
  docs: {
    why:
      'Kubernetes lets every pod talk to every other pod unless a NetworkPolicy selects it. Without a default-deny ' +
      'policy in the namespace, any compromised pod in the cluster can call the model server directly, around the ' +
      'gateway\'s authentication and rate limits, and a compromised model server can reach the cloud metadata ' +
      'endpoint, the API server and the internet to send its weights out.',
    fix:
      'Add a NetworkPolicy to the namespace with an empty `podSelector` and `policyTypes: [Ingress, Egress]` and no ' +
      'rules (the comment carries one ready to commit), then allow what the model service needs with narrower ' +
      'policies: ingress from the gateway, egress to DNS and the model store. Two policies (one per direction) count ' +
      'too, as do CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies that put every pod of the namespace in ' +
      'default deny. A manifest that names no namespace is checked in the one it lands in: its kustomization\'s, ' +
      'else the `destination.namespace` of an Argo CD Application of this repository that deploys it, else `default`; a Helm chart\'s object in its release\'s namespace (chosen at install) is judged in the namespaces an Argo CD Application or Flux HelmRelease of this repository installs it in, and not otherwise. Warden ' +
      'looks for the policy in the whole repository, and stays silent when it could not ' +
      'read the repository. A change that takes a namespace\'s default-deny policy away (deletes its file, cuts it from ' +
      'a file, or edits it to deny less) while nothing else denies for the namespace is reported where it took it away, ' +
      'since the workloads it protected are in files the change does not touch. `warden fix` and the App\'s Fix all write these policies for you, in a new file beside the ' +
      'manifests: default deny, DNS egress, and ingress on their target ports to the pods each Service of the namespace selects.',
  },
  references: {
    cis: 'CIS Kubernetes 5.3.2 (ensure that all namespaces have network policies defined)',
    nist: 'NIST SP 800-190 4.4.2 (unbounded network access from containers)',
    kubeLinter: 'non-isolated-pod',
    links: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies',
      'https://docs.cilium.io/en/stable/security/policy/intro/',
    ],
  },
  messages: {
    missing:
      '{{subject}} but no NetworkPolicy in the repository makes `{{namespace}}` default-deny ({{gap}}), so every ' +
      'pod in the cluster can reach it. Add this policy, then allow the gateway and the model store explicitly:\n\n{{policy}}',
  },
  check: (target, ctx) => {
    const resource = target.resource;
    const creates = resource.kind === 'Namespace';
    if (!creates && !runsPods(resource)) return;
    const seen = visible(ctx);
    const namespaces = seen.ofKind('Namespace');
    const kustomizations = seen.placers();
    // Every namespace it is deployed to (kustomize overlays give several): the first one left open is reported.
    const policies = seen.lasting('NetworkPolicy', ...CILIUM_POLICY_KINDS);
    const open = landingNamespaces(resource, namespaces, kustomizations)
      .filter((ns) => !SYSTEM_NAMESPACES.has(ns))
      .sort()
      .map((ns) => ({ namespace: ns, covered: defaultDenyCoverage(ns, policies, namespaces, kustomizations) }))
      .find(({ covered }) => !(covered.has('ingress') && covered.has('egress')));
    if (!open) return;
    const { namespace, covered } = open;
    // Not knowing the whole repository, Warden would only be guessing.
    if (!ctx.repository.complete) return;
    // The Namespace defined in the same file carries the finding: one comment per namespace, not per workload.
    if (!creates && namespaces.some((r) => r.file === resource.file && namespaceOf(r) === namespace)) return;
    const gap = covered.has('ingress') ? 'egress is open' : covered.has('egress') ? 'ingress is open' : 'neither ingress nor egress is restricted';
    ctx.report({
      message: 'missing',
      at: creates ? 'metadata.name' : 'metadata.namespace',
      data: {
        subject: creates
          ? `Namespace \`${namespace}\` is created here`
          : `${resource.kind} \`${resource.name}\` is deployed to \`${namespace}\`${namespaceOf(resource, namespaces) === null && namespace === 'default' ? ' (it names no namespace)' : ''}`,
        namespace,
        gap,
        policy: resource.format === 'hcl' ? hclPolicy(namespace) : yamlPolicy(namespace),
      },
    });
  },
});
