import { defineRule } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';

/** Where a container can name a host to connect to: probes and lifecycle hooks, HTTP and TCP handlers. */
const HANDLERS: readonly (readonly string[])[] = [
  ['livenessProbe'],
  ['readinessProbe'],
  ['startupProbe'],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop'],
];
const ACTIONS = ['httpGet', 'tcpSocket'] as const;

export default defineRule({
  id: 'k8s/host-probes',
  severity: 'medium',
  title: 'Probe or lifecycle hook targets another host',
  level: 'baseline',
  fixable: true,
  scope: 'container',
  docs: {
    why:
      'A probe or lifecycle hook with `host` makes the kubelet itself connect to that address, from the node\'s ' +
      'network: a manifest can then aim the kubelet at node-local services, cloud metadata endpoints or other pods, ' +
      'bypassing NetworkPolicies (a server-side request forgery through the kubelet). Without `host`, the kubelet ' +
      'checks the pod\'s own IP, which is what a model server\'s health check means.',
    fix: 'Remove `host` from the probe or hook; for a virtual host, set a `Host` header in `httpGet.httpHeaders` instead.',
  },
  references: {
    pss: 'Baseline: Host Probes / Lifecycle Hooks (policy v1.34+)',
    nist: 'NIST SP 800-190 4.4.2 (unbounded network access from containers)',
    links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  messages: {
    host:
      'Container `{{name}}`: `{{handler}}` connects to host `{{value}}` from the node. Remove `host` so the kubelet ' +
      'checks the pod itself (use a `Host` header for virtual hosts).',
  },
  check(target, ctx) {
    for (const handler of HANDLERS) {
      for (const action of ACTIONS) {
        const path = [...handler, action, 'host'];
        const value = getIn(target.node, path);
        // Undefined and "" mean the pod's own IP.
        if (value === undefined || value === null || value === '') continue;
        if (typeof value === 'string' && value.includes('${')) continue;
        ctx.report({
          message: 'host',
          at: path,
          data: { name: target.container.name, handler: [...handler, action].join('.'), value: String(value) },
          // The check then targets the pod, not the named host: usually the intent, but the author confirms.
          fix: { description: `Remove ${path.join('.')}`, applicability: 'unsafe', ops: [{ op: 'remove', path }] },
        });
      }
    }
  },
});
