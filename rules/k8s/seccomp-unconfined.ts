import { defineRule } from '../../src/engine/define-rule.js';
import { securityFieldIs } from '../../src/engine/shapes.js';

export default defineRule({
  id: 'k8s/seccomp-unconfined',
  severity: 'high',
  title: 'Seccomp explicitly disabled',
  level: 'baseline',
  fixable: true,
  scope: 'podSpec',
  docs: {
    why:
      'Seccomp filters the system calls a container may make; the runtime\'s default profile blocks the rarely ' +
      'needed, frequently exploited ones (`keyctl`, `unshare`, `bpf`, `ptrace` …). `Unconfined` opens the whole ' +
      'kernel interface to a model server that parses untrusted input, which is how most container escapes start.',
    fix:
      'Set `seccompProfile.type: RuntimeDefault` (or `Localhost` with a profile you ship). Inference servers, ' +
      'including GPU ones, run under the runtime default profile.',
  },
  references: {
    pss: 'Baseline: Seccomp',
    cis: 'CIS Kubernetes Benchmark 5.7.2 (ensure that the seccomp profile is set to docker/default)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations), 4.5.2 (shared kernel)',
  },
  messages: {
    unconfined: '{{who}} sets `seccompProfile.type: Unconfined`: every system call is allowed. Set it to `RuntimeDefault`.',
  },
  check: securityFieldIs({
    path: 'seccompProfile.type',
    isBad: (value) => value === 'Unconfined',
    message: 'unconfined',
    fix: () => ({
      description: 'Set seccompProfile.type to RuntimeDefault',
      ops: [{ op: 'set', path: 'securityContext.seccompProfile.type', value: 'RuntimeDefault' }],
    }),
  }),
});
