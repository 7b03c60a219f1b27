import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import { isUnknown } from '../../src/engine/shapes.js';
import { apiGroup } from './support/k8s.js';

/** Cloud annotations that make a LoadBalancer internal, with the values that mean "internal". */
const INTERNAL_ANNOTATIONS: Record<string, RegExp> = {
  'service.beta.kubernetes.io/aws-load-balancer-internal': /^(true|0\.0\.0\.0\/0)$/i,
  'service.beta.kubernetes.io/aws-load-balancer-scheme': /^internal$/i,
  'networking.gke.io/load-balancer-type': /^internal$/i,
  'cloud.google.com/load-balancer-type': /^internal$/i,
  'service.beta.kubernetes.io/azure-load-balancer-internal': /^true$/i,
  'service.beta.kubernetes.io/oci-load-balancer-internal': /^true$/i,
  'service.beta.kubernetes.io/openstack-internal-load-balancer': /^true$/i,
  'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': /^intranet$/i,
  'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type': /^private$/i,
};
const ANY = new Set(['0.0.0.0/0', '::/0']);

function restricted(ranges: unknown): boolean {
  if (isUnknown(ranges)) return true;
  const list = typeof ranges === 'string' ? ranges.split(',') : Array.isArray(ranges) ? ranges : [];
  const cidrs = list.filter((c): c is string => typeof c === 'string').map((c) => c.trim()).filter(Boolean);
  return cidrs.length > 0 && cidrs.every((c) => !ANY.has(c));
}

export default defineRule({
  id: 'k8s/service-public-exposure',
  severity: 'medium',
  title: 'Service exposed outside the cluster',
  fixable: false,
  scope: 'resource',
  kinds: ['Service'],
  docs: {
    why:
      'A LoadBalancer Service gets a public address by default on every major cloud, and a NodePort opens the ' +
      'port on every node: the model server is then reachable without the gateway that authenticates callers, ' +
      'enforces rate limits and terminates TLS. Public inference endpoints get scraped, abused for free compute, ' +
      'and probed for model extraction.',
    fix:
      'Use `type: ClusterIP` behind the ingress gateway. If a load balancer is required, make it internal with the ' +
      'cloud\'s annotation (`service.beta.kubernetes.io/aws-load-balancer-scheme: internal`, ' +
      '`networking.gke.io/load-balancer-type: Internal`, `service.beta.kubernetes.io/azure-load-balancer-internal: ' +
      '"true"`), or restrict it with `loadBalancerSourceRanges` to known CIDRs (not `0.0.0.0/0`).',
  },
  references: {
    cis: 'CIS Kubernetes 5.7 (general policies: minimize exposure)',
    nist: 'NIST SP 800-190 4.4.2 (unbounded network access)',
    kics: '26763a1c-5dda-4772-b507-5fca7fb5f165, 845acfbe-3e10-4b8e-b656-3b404d36dfb2, 2a52567c-abb8-4651-a038-52fa27c77aed',
    kubeLinter: 'exposed-services',
  },
  messages: {
    loadBalancer: 'Service `{{name}}` is a LoadBalancer with no `loadBalancerSourceRanges` and no internal-load-balancer annotation: the model endpoint gets a public address. Make it internal or restrict its source ranges.',
    nodePort: 'Service `{{name}}` is a NodePort: the port opens on every node, around the gateway. Use ClusterIP behind the ingress gateway.',
  },
  check: (target, ctx) => {
    const resource = target.resource;
    if (apiGroup(resource) !== '') return; // a Knative Service is not a core Service
    const type = getIn(target.node, ['spec', 'type']);
    const data = { name: resource.name };
    if (type === 'NodePort') {
      ctx.report({ message: 'nodePort', at: 'spec.type', data });
      return;
    }
    if (type !== 'LoadBalancer') return;
    const annotations = getIn(target.node, ['metadata', 'annotations']);
    const internal = isRecord(annotations) && Object.entries(INTERNAL_ANNOTATIONS).some(([key, value]) => {
      const actual = annotations[key];
      return isUnknown(actual) || (typeof actual === 'string' && value.test(actual.trim())) || (actual === true && value.test('true'));
    });
    if (internal) return;
    if (restricted(getIn(target.node, ['spec', 'loadBalancerSourceRanges']))) return;
    if (isRecord(annotations) && restricted(annotations['service.beta.kubernetes.io/load-balancer-source-ranges'])) return;
    ctx.report({ message: 'loadBalancer', at: 'spec.type', data });
  },
});
