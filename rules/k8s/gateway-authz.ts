import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import { isUnknown } from '../../src/engine/shapes.js';
import { visible } from '../../src/engine/visible.js';
import { memoByIdentity } from '../../src/common/memo.js';
import type { Path, Resource } from '../../src/model.js';
import { apiGroup, landingNamespaces, SYSTEM_NAMESPACES, PLACING_KINDS } from './support/k8s.js';
import { openRules } from './mesh-authz-allow-all.js';

/** Istio's root namespace: policies there guard the ingress gateway, and without a selector the whole mesh. */
export const ISTIO_ROOT = 'istio-system';
const LOCAL_ONLY = ['networking.kserve.io/visibility', 'networking.knative.dev/visibility', 'serving.knative.dev/visibility'];

/** How an object publishes a model endpoint at the edge, and where that is said; null when it does not. */
function publication(resource: Resource): { via: string; at: Path } | null {
  const body = resource.body;
  const group = apiGroup(resource);
  if (resource.kind === 'VirtualService' && group === 'networking.istio.io') {
    const gateways = getIn(body, ['spec', 'gateways']);
    // Without gateways, or with only `mesh`, the routes apply inside the mesh.
    const edge = Array.isArray(gateways) ? gateways.filter((g): g is string => typeof g === 'string' && g !== 'mesh' && !isUnknown(g)) : [];
    return edge.length > 0 ? { via: `gateway \`${edge[0]}\``, at: ['spec', 'gateways'] } : null;
  }
  if ((resource.kind === 'HTTPRoute' || resource.kind === 'GRPCRoute') && group === 'gateway.networking.k8s.io') {
    const parents = getIn(body, ['spec', 'parentRefs']);
    const gateway = Array.isArray(parents) ? parents.find((p) => isRecord(p) && (p.kind === undefined || p.kind === 'Gateway')) : undefined;
    return isRecord(gateway) ? { via: `Gateway \`${String(gateway.name)}\``, at: ['spec', 'parentRefs'] } : null;
  }
  if (resource.kind === 'InferenceService' && group === 'serving.kserve.io') {
    const labels = getIn(body, ['metadata', 'labels']);
    if (isRecord(labels) && LOCAL_ONLY.some((key) => labels[key] === 'cluster-local')) return null;
    // Raw deployments are published by an Ingress or route of their own (k8s/ingress-tls and this rule see those).
    const mode = getIn(body, ['metadata', 'annotations', 'serving.kserve.io/deploymentMode']);
    if (mode === 'RawDeployment' || mode === 'ModelMesh' || mode === 'Standard') return null;
    return { via: 'KServe\'s ingress gateway (its default)', at: ['metadata', 'name'] };
  }
  return null;
}

/** Whether an AuthorizationPolicy decides who may call: ALLOW with no rule open to everyone, or CUSTOM (external authorization). */
export function guards(policy: Resource): boolean {
  if (apiGroup(policy) !== 'security.istio.io') return false;
  const action = getIn(policy.body, ['spec', 'action']) ?? 'ALLOW';
  if (action === 'CUSTOM') return true;
  return action === 'ALLOW' && openRules(policy.body).length === 0;
}

/** The namespaces a policy that guards lands in: judged once per job's lists, asked for every route. */
export const guardedNamespaces = memoByIdentity(
  (policies: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]): ReadonlySet<string> =>
    new Set(policies.filter(guards).flatMap((p) => landingNamespaces(p, namespaces, kustomizations))),
);

function policyYaml(namespace: string): string {
  return [
    '```yaml',
    'apiVersion: security.istio.io/v1',
    'kind: AuthorizationPolicy',
    'metadata:',
    '  name: callers',
    `  namespace: ${namespace}`,
    'spec:',
    '  action: ALLOW',
    '  rules:',
    '  - from:',
    '    - source:',
    '        principals: ["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"]',
    '    when:  # with a RequestAuthentication for your identity provider',
    '    - key: request.auth.claims[iss]',
    '      values: ["https://issuer.example.com"]',
    '```',
  ].join('\n');
}

export default defineRule({
  id: 'k8s/gateway-authz',
  severity: 'high',
  title: 'Model endpoint published without an AuthorizationPolicy',
  fixable: false,
  scope: 'resource',
  kinds: ['VirtualService', 'HTTPRoute', 'GRPCRoute', 'InferenceService'],
  lookups: ['AuthorizationPolicy', 'Namespace', ...PLACING_KINDS],
  docs: {
    why:
      'An InferenceService is published through the cluster\'s ingress gateway by default (KServe\'s serverless ' +
      'mode), and an Istio VirtualService bound to a gateway or a Gateway API HTTPRoute publishes whatever it ' +
      'routes to. Neither authenticates anyone: without an Istio AuthorizationPolicy that names the callers, anyone ' +
      'who reaches the gateway can query the model, run up GPU time and extract the model through its answers. ' +
      'Warden counts an ALLOW policy that names its callers (k8s/mesh-authz-allow-all reports those that do not) or ' +
      'a CUSTOM (external authorization) policy, in the route\'s namespace or in `istio-system` (which guards the ' +
      'gateway), anywhere in the repository; it stays silent when it could not read the repository. A change that ' +
      'deletes or weakens the policy that guarded a namespace, while nothing else does, is reported where it did so. An ' +
      'InferenceService labelled `networking.kserve.io/visibility: cluster-local`, or deployed in RawDeployment ' +
      'mode, is not published by the gateway.',
    fix:
      'Add a RequestAuthentication for your identity provider and an AuthorizationPolicy that allows the gateway\'s ' +
      'principal with a condition on the token (the comment carries one), or an external authorizer ' +
      '(`action: CUSTOM`). Keep internal models `cluster-local`.',
  },
  references: {
    nist: 'NIST SP 800-204B (attribute-based access control for microservices); NIST AI 100-2 (model extraction)',
    links: ['https://istio.io/latest/docs/tasks/security/authorization/authz-jwt/'],
  },
  messages: {
    unguarded:
      '{{kind}} `{{name}}` publishes a model endpoint through {{via}}, but no Istio AuthorizationPolicy in the ' +
      'repository decides who may call it in `{{namespace}}` or at the gateway: anyone who reaches the gateway can ' +
      'query the model. Add one that names the callers:\n\n{{policy}}',
  },
  check: (target, ctx) => {
    const { resource } = target;
    const published = publication(resource);
    if (!published || !ctx.repository.complete) return;
    const seen = visible(ctx);
    const namespaces = seen.ofKind('Namespace');
    const kustomizations = seen.placers();
    const guarding = guardedNamespaces(seen.lasting('AuthorizationPolicy'), namespaces, kustomizations);
    if (guarding.has(ISTIO_ROOT)) return;
    const open = landingNamespaces(resource, namespaces, kustomizations)
      .filter((ns) => !SYSTEM_NAMESPACES.has(ns))
      .sort()
      .find((ns) => !guarding.has(ns));
    if (open === undefined) return;
    ctx.report({
      message: 'unguarded',
      at: published.at,
      data: { kind: resource.kind, name: resource.name, via: published.via, namespace: open, policy: policyYaml(open) },
    });
  },
});
