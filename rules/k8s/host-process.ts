import { defineRule } from '../../src/engine/define-rule.js';
import { securityFieldIs } from '../../src/engine/shapes.js';

export default defineRule({
  id: 'k8s/host-process',
  severity: 'high',
  title: 'Windows HostProcess container',
  level: 'baseline',
  fixable: true,
  scope: 'podSpec',
  docs: {
    why:
      'A Windows HostProcess container runs as a process on the node itself, with the node\'s file system, network ' +
      'and administrator rights: a model server started that way is the node, and reads every other workload\'s ' +
      'weights and credentials. Serving never needs it; node agents that do belong in a dedicated, reviewed namespace.',
    fix:
      'Remove `windowsOptions.hostProcess` (or set it to `false`) at pod level and on every container. If the ' +
      'workload truly is a node agent, run it in a namespace whose Pod Security level is `privileged`, not next to models.',
  },
  references: {
    pss: 'Baseline: HostProcess',
    cis: 'CIS Kubernetes Benchmark 5.2.11 (Minimize the admission of Windows HostProcess containers)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations), 4.5.2 (shared kernel)',
    links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  messages: {
    hostProcess:
      '{{who}} runs as a Windows HostProcess container (`windowsOptions.hostProcess: true`): it runs on the node with ' +
      'administrator rights. Set `hostProcess: false`.',
  },
  check: securityFieldIs({
    path: 'windowsOptions.hostProcess',
    isBad: (value) => value === true,
    message: 'hostProcess',
    // A HostProcess workload will not run as an ordinary container: the change is deliberate, not automatic.
    fix: () => ({
      description: 'Set windowsOptions.hostProcess to false',
      applicability: 'unsafe',
      ops: [{ op: 'set', path: 'securityContext.windowsOptions.hostProcess', value: false }],
    }),
  }),
});
