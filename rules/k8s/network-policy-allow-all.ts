import { defineRule } from '../../src/engine/define-rule.js';
import { allowAllRules } from './support/network.js';

export default defineRule({
  id: 'k8s/network-policy-allow-all',
  severity: 'medium',
  title: 'NetworkPolicy rule that allows everything',
  fixable: false,
  scope: 'resource',
  kinds: ['NetworkPolicy'],
  docs: {
    why:
      'NetworkPolicies only add permissions: one rule that allows every source or destination cancels the ' +
      'default-deny of the namespace for the pods it selects. For a model server that means any pod in the ' +
      'cluster (or the internet, with `0.0.0.0/0`) can call the inference endpoint directly, skipping the gateway\'s ' +
      'authentication and rate limits, and a compromised server can send its weights anywhere.',
    fix:
      'Name the peers: the gateway or client pods (`namespaceSelector` with `kubernetes.io/metadata.name` plus a ' +
      '`podSelector`), or a specific `ipBlock` CIDR; for egress list the model store and DNS. An empty rule `{}`, ' +
      'an empty peer, an empty `namespaceSelector` without `podSelector`, `0.0.0.0/0` and `::/0` all mean "everyone".',
  },
  references: {
    cis: 'CIS Kubernetes 5.3.2 (ensure that all namespaces have network policies defined)',
    nist: 'NIST SP 800-190 4.4.2 (unbounded network access from containers)',
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/'],
  },
  messages: {
    allowAll: 'NetworkPolicy `{{name}}` {{direction}}: {{why}}. Name the peers this model service needs instead.',
  },
  check: (target, ctx) => {
    for (const hit of allowAllRules(target.node)) {
      ctx.report({ message: 'allowAll', at: hit.path, data: { name: target.resource.name, direction: hit.direction, why: hit.why } });
    }
  },
});
