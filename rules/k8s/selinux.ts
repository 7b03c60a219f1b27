import { defineRule } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';
import { securityContexts } from '../../src/engine/shapes.js';

/** SELinux types Baseline allows (container_engine_t since policy v1.31). */
export const SELINUX_TYPES: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

const unknown = (value: unknown) => typeof value === 'string' && value.includes('${');

export default defineRule({
  id: 'k8s/selinux',
  severity: 'medium',
  title: 'Custom SELinux user, role or type',
  level: 'baseline',
  fixable: true,
  scope: 'podSpec',
  docs: {
    why:
      'SELinux labels are what keep a container\'s processes away from the node\'s files on SELinux nodes. A custom ' +
      '`type` such as `spc_t` (super-privileged container) or `unconfined_t`, or a custom `user`/`role`, lifts that ' +
      'confinement: a compromised model server could then read the node\'s files and other pods\' volumes.',
    fix:
      'Remove `seLinuxOptions.user` and `seLinuxOptions.role`, and keep `seLinuxOptions.type` empty or one of ' +
      '`container_t`, `container_init_t`, `container_kvm_t`, `container_engine_t`. `level` (the MCS categories) may stay.',
  },
  references: {
    pss: 'Baseline: SELinux',
    cis: 'CIS Kubernetes Benchmark 5.7.2 (apply security context to pods and containers)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations)',
  },
  messages: {
    type:
      '{{who}} sets SELinux type `{{value}}`, which is not a container type. Remove it (or use `container_t`).',
    userOrRole: '{{who}} sets SELinux `{{field}}: {{value}}`: a custom SELinux {{field}} is not allowed. Remove it.',
  },
  check(target, ctx) {
    for (const where of securityContexts(target)) {
      const options = where.context.seLinuxOptions;
      if (!isRecord(options)) continue;
      for (const field of ['type', 'user', 'role'] as const) {
        const value = options[field];
        if (value === undefined || value === null || unknown(value)) continue;
        const bad = field === 'type' ? !SELINUX_TYPES.has(String(value)) : value !== '';
        if (!bad) continue;
        const path = ['securityContext', 'seLinuxOptions', field];
        ctx.report({
          message: field === 'type' ? 'type' : 'userOrRole',
          base: where.base,
          at: path,
          data: { who: where.who, field, value: String(value) },
          // The workload's file labels may depend on it: the author confirms.
          fix: { description: `Remove seLinuxOptions.${field}`, applicability: 'unsafe', ops: [{ op: 'remove', base: where.base, path }] },
        });
      }
    }
  },
});
