import { defineRule } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';

export default defineRule({
  id: 'k8s/host-ports',
  severity: 'medium',
  title: 'Container binds a host port',
  level: 'baseline',
  fixable: true,
  scope: 'container',
  docs: {
    why:
      'A `hostPort` opens the port on the node\'s own address, outside any Service, NetworkPolicy or ingress ' +
      'authentication: the model endpoint becomes reachable by anything that can reach the node, and only one such ' +
      'pod fits on each node.',
    fix:
      'Remove `hostPort` and expose the model through a Service (ClusterIP behind an authenticated ingress or a mesh ' +
      'gateway). Keep `containerPort`.',
  },
  references: {
    pss: 'Baseline: Host Ports',
    cis: 'CIS Kubernetes Benchmark 5.2.13 (Minimize the admission of containers which use HostPorts)',
    nist: 'NIST SP 800-190 4.4.2 (unbounded network access from containers)',
    checkov: 'CKV_K8S_26',
    kics: '2b1836f1-dcce-416e-8e16-da8c71920633',
  },
  messages: {
    hostPort:
      'Container `{{name}}` binds port {{port}} on the node (`hostPort`), bypassing Services and NetworkPolicies. ' +
      'Remove `hostPort` and expose the port through a Service.',
  },
  check(target, ctx) {
    const ports = target.node.ports;
    if (!Array.isArray(ports)) return;
    ports.forEach((port, i) => {
      if (!isRecord(port)) return;
      const hostPort = port.hostPort;
      // Undefined and 0 mean "no host port"; an unresolved Terraform expression is not judged.
      if (hostPort === undefined || hostPort === null || hostPort === 0 || hostPort === '0') return;
      if (typeof hostPort === 'string' && hostPort.includes('${')) return;
      ctx.report({
        message: 'hostPort',
        at: ['ports', i, 'hostPort'],
        data: { name: target.container.name, port: String(hostPort) },
        // Clients that reach the node's port stop working: the author confirms.
        fix: { description: `Remove hostPort ${String(hostPort)}`, applicability: 'unsafe', ops: [{ op: 'remove', path: ['ports', i, 'hostPort'] }] },
      });
    });
  },
});
