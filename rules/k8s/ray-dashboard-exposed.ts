import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import type { Path } from '../../src/model.js';
import { apiGroup } from './support/k8s.js';

/** Where each KubeRay kind holds the Ray cluster it makes. */
const CLUSTER_SPEC: Readonly<Record<string, Path>> = {
  RayCluster: ['spec'],
  RayService: ['spec', 'rayClusterConfig'],
  RayJob: ['spec', 'rayClusterSpec'],
};

/** Service types that reach the head from outside the cluster. */
const OUTSIDE = new Set(['NodePort', 'LoadBalancer']);

/** Whether Ray asks for a token: KubeRay's `authOptions`, or `RAY_AUTH_MODE=token` on the head container. */
function authenticated(cluster: Record<string, unknown>): boolean {
  if (getIn(cluster, ['authOptions', 'mode']) === 'token') return true;
  const containers = getIn(cluster, ['headGroupSpec', 'template', 'spec', 'containers']);
  return (Array.isArray(containers) ? containers : []).some(
    (c) => isRecord(c) && Array.isArray(c.env) && c.env.some((e) => isRecord(e) && e.name === 'RAY_AUTH_MODE' && e.value === 'token'),
  );
}

export default defineRule({
  id: 'k8s/ray-dashboard-exposed',
  severity: 'critical',
  title: 'Ray dashboard and Jobs API reachable from outside the cluster',
  fixable: true,
  scope: 'resource',
  kinds: Object.keys(CLUSTER_SPEC),
  docs: {
    why:
      'A Ray cluster\'s head serves the dashboard and the Jobs API, which run any code submitted to them on the cluster, ' +
      'with its service account, its GPUs and the models and data it reads; without token authentication (Ray\'s default) ' +
      'they ask no credentials. KubeRay exposes them beyond the cluster when the head service is a `NodePort` or ' +
      '`LoadBalancer` (`headGroupSpec.serviceType`) or when it makes an Ingress for the dashboard ' +
      '(`headGroupSpec.enableIngress`). Clusters exposed so have been taken over to run attackers\' code (the ShadowRay ' +
      'campaign). A cluster with token authentication (`authOptions.mode: token`, or `RAY_AUTH_MODE=token` on the head) ' +
      'is left alone.',
    fix:
      'Keep the head service `ClusterIP` and `enableIngress` off, and reach the dashboard with `kubectl port-forward`; or ' +
      'turn on token authentication (`authOptions: { mode: token }`, KubeRay 1.5.1 and Ray 2.52 or later) and put the ' +
      'dashboard behind an authenticating proxy.',
  },
  references: {
    nist: 'NIST SP 800-53 AC-3, SC-7',
    links: ['https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/kuberay-auth.html', 'https://docs.ray.io/en/latest/ray-security/index.html'],
  },
  messages: {
    exposed:
      '{{kind}} `{{name}}` exposes its Ray head {{how}}, without token authentication: anyone who reaches it can run code ' +
      'on the cluster through the Jobs API. Keep it `ClusterIP` without an Ingress, or turn on `authOptions: { mode: token }`.',
  },
  check: (target, ctx) => {
    const base = CLUSTER_SPEC[target.resource.kind];
    if (!base || apiGroup(target.resource) !== 'ray.io') return;
    const cluster = getIn(target.node, base);
    if (!isRecord(cluster) || authenticated(cluster)) return;
    const serviceType = getIn(cluster, ['headGroupSpec', 'serviceType']);
    const outside = typeof serviceType === 'string' && OUTSIDE.has(serviceType);
    const ingress = getIn(cluster, ['headGroupSpec', 'enableIngress']) === true;
    if (!outside && !ingress) return;
    const how = [outside ? `as a \`${serviceType}\` service` : '', ingress ? 'through an Ingress (`enableIngress: true`)' : ''].filter(Boolean).join(' and ');
    ctx.report({
      message: 'exposed',
      at: [...base, 'headGroupSpec', outside ? 'serviceType' : 'enableIngress'],
      data: { kind: target.resource.kind, name: target.resource.name, how },
      fix: {
        description: [outside ? 'Set serviceType: ClusterIP' : '', ingress ? 'Set enableIngress: false' : ''].filter(Boolean).join(', '),
        applicability: 'unsafe',
        ops: [
          ...(outside ? [{ op: 'set' as const, path: [...base, 'headGroupSpec', 'serviceType'], value: 'ClusterIP' }] : []),
          ...(ingress ? [{ op: 'set' as const, path: [...base, 'headGroupSpec', 'enableIngress'], value: false }] : []),
        ],
      },
    });
  },
});
