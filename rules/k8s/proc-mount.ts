import { defineRule } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';

export default defineRule({
  id: 'k8s/proc-mount',
  severity: 'medium',
  title: 'Unmasked /proc mount',
  level: 'baseline',
  fixable: true,
  scope: 'container',
  docs: {
    why:
      'The container runtime masks sensitive parts of `/proc` (kernel keys, `/proc/sysrq-trigger`, timer lists) so ' +
      'that a container cannot read or poke the node\'s kernel through them. `procMount: Unmasked` removes those masks. ' +
      'Baseline allows it only inside a user namespace (`hostUsers: false`), where root in the container is not root ' +
      'on the node; Restricted never allows it.',
    fix:
      'Remove `securityContext.procMount` (or set it to `Default`). Nested container builds inside a model pipeline ' +
      'that need it should run in a user-namespaced pod (`hostUsers: false`) at Baseline, not in the serving namespace.',
  },
  references: {
    pss: 'Baseline: /proc Mount Type; Restricted: /proc Mount Type (procMount_restricted)',
    cis: 'CIS Kubernetes Benchmark 5.7.2 (apply security context to pods and containers)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations), 4.5.2 (shared kernel)',
    kics: 'f922827f-aab6-447c-832a-e1ff63312bd3',
    kubeLinter: 'unsafe-proc-mount',
  },
  messages: {
    procMount: 'Container `{{name}}` sets `procMount: {{value}}`, exposing the node\'s unmasked /proc. Remove `procMount`.',
    procMountUserNamespace:
      'Container `{{name}}` sets `procMount: {{value}}`. The pod uses a user namespace (`hostUsers: false`), which ' +
      'Baseline accepts but Restricted does not. Remove `procMount`.',
  },
  check(target, ctx) {
    const value = getIn(target.node, ['securityContext', 'procMount']);
    if (value === undefined || value === null || value === 'Default') return;
    if (typeof value === 'string' && value.includes('${')) return;
    // PSA (policy v1.35+): Baseline skips user-namespaced pods, Restricted re-applies the plain check.
    const userNamespace = target.pod.spec.hostUsers === false;
    if (userNamespace && ctx.config.pss_level === 'baseline') return;
    ctx.report({
      message: userNamespace ? 'procMountUserNamespace' : 'procMount',
      at: 'securityContext.procMount',
      data: { name: target.container.name, value: String(value) },
      fix: { description: 'Remove procMount', ops: [{ op: 'remove', path: 'securityContext.procMount' }] },
    });
  },
});
