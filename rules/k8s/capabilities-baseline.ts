import type { Config } from '../../src/config.js';
import { defineRule, type FixSpec, type PodSpecTarget } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';
import { ruleIsOff } from '../../src/engine/shapes.js';

/** The capabilities Baseline lets a container add (the container runtime's defaults); compared exactly, as PSA does. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP',
  'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

const ADD = ['securityContext', 'capabilities', 'add'];
const unknown = (value: unknown) => typeof value === 'string' && value.includes('${');

/**
 * The fix both capability rules offer: set `add` to what the level allows (Baseline: the set above;
 * Restricted, Linux pods: NET_BIND_SERVICE only), or remove it. Both rules, when both fire, then write the
 * same list: applied in any order, the result is the same, and each alone clears its finding.
 */
export function capabilitiesAddFix(add: readonly unknown[], target: Pick<PodSpecTarget, 'pod'>, config: Config): FixSpec {
  const restricted = config.pss_level === 'restricted' && !target.pod.windows && !ruleIsOff(config, 'k8s/drop-all-capabilities');
  const kept = add.filter((c) => unknown(c) || (restricted ? c === 'NET_BIND_SERVICE' : typeof c === 'string' && BASELINE_CAPABILITIES.has(c)));
  const removed = add.filter((c) => !kept.includes(c)).map(String);
  return {
    description: `Remove ${removed.join(', ')} from capabilities.add${restricted ? ' (Restricted allows only NET_BIND_SERVICE)' : ''}`,
    // The server may rely on the capability: the author confirms.
    applicability: 'unsafe',
    ops: kept.length === 0 ? [{ op: 'remove', path: ADD }] : [{ op: 'set', path: ADD, value: kept }],
  };
}

export default defineRule({
  id: 'k8s/capabilities-baseline',
  severity: 'high',
  title: 'Container adds capabilities beyond the Baseline set',
  level: 'baseline',
  fixable: true,
  scope: 'container',
  docs: {
    why:
      'Capabilities such as `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE` or `NET_RAW` hand a container slices of root on the ' +
      'node: mounting file systems, rewriting routes, reading other processes\' memory, spoofing packets. An inference ' +
      'server needs none of them; one that is compromised through a malicious model file or a deserialisation bug then ' +
      'escapes far more easily.',
    fix:
      'Remove every capability from `securityContext.capabilities.add` that is not in the Baseline list (AUDIT_WRITE, ' +
      'CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, ' +
      'SYS_CHROOT). Names are exact: `CAP_CHOWN` or `chown` are not in the list. GPUs are exposed by the device plugin, ' +
      'not by capabilities.',
  },
  references: {
    pss: 'Baseline: Capabilities',
    cis: 'CIS Kubernetes Benchmark 5.2.8, 5.2.9 (NET_RAW, added capabilities)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations)',
  },
  messages: {
    extraCapabilities:
      'Container `{{name}}` adds {{items}}, outside the Baseline capability set. Remove them from `capabilities.add`.',
  },
  check(target, ctx) {
    const add = getIn(target.node, ADD);
    if (!Array.isArray(add)) return;
    const bad = add.map((c, i) => ({ c, i })).filter(({ c }) => !unknown(c) && !(typeof c === 'string' && BASELINE_CAPABILITIES.has(c)));
    if (bad.length === 0) return;
    const names = bad.map(({ c }) => String(c));
    ctx.report({
      message: 'extraCapabilities',
      at: bad.length === 1 ? [...ADD, bad[0]!.i] : ADD,
      data: { name: target.container.name, items: names.map((n) => `\`${n}\``).join(', ') },
      fix: capabilitiesAddFix(add, target, ctx.config),
    });
  },
});
