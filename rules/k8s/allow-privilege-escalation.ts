import { defineRule } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';

export default defineRule({
  id: 'k8s/allow-privilege-escalation',
  severity: 'high',
  title: 'Privilege escalation not disabled',
  level: 'restricted',
  fixable: true,
  scope: 'container',
  docs: {
    why:
      'Unless `allowPrivilegeEscalation` is explicitly `false`, a process in the container can gain more privileges ' +
      'than its parent through setuid binaries or file capabilities (`no_new_privs` is not set). A model server that ' +
      'runs as a non-root user can then become root inside the container, which undoes `runAsNonRoot`.',
    fix:
      'Set `securityContext.allowPrivilegeEscalation: false` on every container, init container and ephemeral ' +
      'container (there is no pod-level field). Windows pods are exempt.',
  },
  references: {
    pss: 'Restricted: Privilege Escalation',
    cis: 'CIS Kubernetes Benchmark 5.2.6 (Minimize the admission of containers with allowPrivilegeEscalation)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations)',
    checkov: 'CKV_K8S_20',
    kics: '5572cc5e-1e4c-4113-92a6-7a8a3bd25e6d, c878abb4-cca5-4724-92b9-289be68bd47c',
    kubeLinter: 'privilege-escalation-container',
  },
  messages: {
    notFalse: 'Container `{{name}}` does not set `allowPrivilegeEscalation: false`: setuid binaries can make it root. Set it to `false`.',
    isTrue: 'Container `{{name}}` sets `allowPrivilegeEscalation: true`: setuid binaries can make it root. Set it to `false`.',
  },
  check(target, ctx) {
    if (target.pod.windows) return;
    const value = getIn(target.node, ['securityContext', 'allowPrivilegeEscalation']);
    if (value === false || (typeof value === 'string' && value.includes('${'))) return;
    ctx.report({
      message: value === true ? 'isTrue' : 'notFalse',
      at: 'securityContext.allowPrivilegeEscalation',
      data: { name: target.container.name },
      fix: {
        description: 'Set allowPrivilegeEscalation to false',
        ops: [{ op: 'set', path: 'securityContext.allowPrivilegeEscalation', value: false }],
      },
    });
  },
});
