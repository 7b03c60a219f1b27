import { defineRule } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';
import { ruleIsOff } from '../../src/engine/shapes.js';
import { BASELINE_CAPABILITIES, capabilitiesAddFix } from './capabilities-baseline.js';

const CAPS = ['securityContext', 'capabilities'];

export default defineRule({
  id: 'k8s/drop-all-capabilities',
  severity: 'medium',
  title: 'Capabilities not dropped',
  level: 'restricted',
  fixable: true,
  scope: 'container',
  docs: {
    why:
      'Even as a non-root user, a container starts with the runtime\'s default capabilities (CHOWN, DAC_OVERRIDE, ' +
      'NET_RAW, SETUID, …) unless it drops them. A model server needs none of them to load weights and answer ' +
      'requests; dropping `ALL` removes the tools an attacker would use next (raw sockets for spoofing, changing file ' +
      'ownership, switching uid).',
    fix:
      'Set `securityContext.capabilities.drop: [ALL]` on every container, and add back at most `NET_BIND_SERVICE` ' +
      '(only to listen on a port below 1024, which a model server rarely needs). Windows pods are exempt.',
  },
  references: {
    pss: 'Restricted: Capabilities',
    cis: 'CIS Kubernetes Benchmark 5.2.8, 5.2.9, 5.2.10 (capabilities)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations)',
    checkov: 'CKV_K8S_37',
    kics: '268ca686-7fb7-4ae9-b129-955a2a89064e, 21cef75f-289f-470e-8038-c7cee0664164',
  },
  messages: {
    noDropAll: 'Container `{{name}}` does not drop all capabilities. Add `ALL` to `securityContext.capabilities.drop`.',
    addsMore: 'Container `{{name}}` adds {{items}}: Restricted allows adding only `NET_BIND_SERVICE`. Remove them from `capabilities.add`.',
  },
  check(target, ctx) {
    if (target.pod.windows) return;
    const drop = getIn(target.node, [...CAPS, 'drop']);
    const unknown = (value: unknown) => typeof value === 'string' && value.includes('${');
    if (!unknown(drop) && !(Array.isArray(drop) && drop.some((c) => c === 'ALL' || unknown(c)))) {
      ctx.report({
        message: 'noDropAll',
        at: [...CAPS, 'drop'],
        data: { name: target.container.name },
        // A server that needed a default capability stops working: the author confirms.
        fix: { description: 'Drop ALL capabilities', applicability: 'unsafe', ops: [{ op: 'append', path: [...CAPS, 'drop'], value: 'ALL' }] },
      });
    }
    const add = getIn(target.node, [...CAPS, 'add']);
    if (!Array.isArray(add)) return;
    // Additions outside the Baseline set are k8s/capabilities-baseline's (high) finding, with the same fix: say them once.
    const deferred = (c: unknown) => typeof c !== 'string' || !BASELINE_CAPABILITIES.has(c);
    const othersOn = !ruleIsOff(ctx.config, 'k8s/capabilities-baseline');
    const bad = add
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c !== 'NET_BIND_SERVICE' && !unknown(c) && !(othersOn && deferred(c)));
    if (bad.length === 0) return;
    const names = bad.map(({ c }) => String(c));
    ctx.report({
      message: 'addsMore',
      at: bad.length === 1 ? [...CAPS, 'add', bad[0]!.i] : [...CAPS, 'add'],
      data: { name: target.container.name, items: names.map((n) => `\`${n}\``).join(', ') },
      fix: capabilitiesAddFix(add, target, ctx.config),
    });
  },
});
