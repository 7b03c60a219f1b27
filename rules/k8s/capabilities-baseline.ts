import { defineRule } from '../../src/engine/define-rule.js';
import { listExcludes } from '../../src/engine/shapes.js';

/** The capabilities Baseline lets a container add (the container runtime's defaults); compared exactly, as PSA does. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP',
  'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

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
    checkov: 'CKV_K8S_25, CKV_K8S_28, CKV_K8S_39',
    kics: '19ebaa28-fc86-4a58-bcfa-015c9e22fe40, 235236ee-ad78-4065-bd29-61b061f28ce0',
    kubeLinter: 'drop-net-raw-capability',
  },
  messages: {
    extraCapabilities:
      'Container `{{name}}` adds {{items}}, outside the Baseline capability set. Remove them from `capabilities.add`.',
  },
  check: listExcludes({
    path: 'securityContext.capabilities.add',
    message: 'extraCapabilities',
    isBad: (item) => typeof item !== 'string' || !BASELINE_CAPABILITIES.has(item),
    label: (item) => `\`${String(item)}\``,
    // The server may rely on the capability: the author confirms.
    fix: { description: (items) => `Remove ${items.join(', ')} from capabilities.add`, applicability: 'unsafe' },
  }),
});
