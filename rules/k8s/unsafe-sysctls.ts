import { defineRule } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';
import { listExcludes } from '../../src/engine/shapes.js';

/**
 * The Pod Security Standards' safe sysctls at the latest policy version (v1.37): namespaced in the pod and
 * isolated from other pods. v1.0 five, + ip_local_reserved_ports (1.27), + keepalive/fin_timeout (1.29),
 * + tcp_rmem/wmem (1.32), + tcp_slow_start_after_idle/tcp_notsent_lowat (1.37).
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

const nameOf = (item: unknown): unknown => (isRecord(item) ? item.name : undefined);

export default defineRule({
  id: 'k8s/unsafe-sysctls',
  severity: 'medium',
  title: 'Unsafe sysctl',
  level: 'baseline',
  fixable: true,
  scope: 'podSpec',
  docs: {
    why:
      'A sysctl outside the safe set either is not namespaced (it changes the whole node: `vm.*`, `kernel.*` memory ' +
      'and scheduler knobs that GPU-serving guides like to tune) or can starve or weaken other pods on the node. ' +
      'The kubelet refuses such pods unless it was started with `--allowed-unsafe-sysctls`, and where it was, one ' +
      'tenant\'s tuning becomes everyone\'s.',
    fix:
      'Remove the sysctl from `securityContext.sysctls`. Node-wide tuning belongs in the node image or a node ' +
      'configuration DaemonSet owned by the platform team. The safe set: kernel.shm_rmid_forced, ' +
      'net.ipv4.ip_local_port_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_syncookies, ' +
      'net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_keepalive_time, ' +
      'net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_rmem, ' +
      'net.ipv4.tcp_wmem, net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat.',
  },
  references: {
    pss: 'Baseline: Sysctls',
    cis: 'CIS Kubernetes Benchmark 5.7.2 (apply security context to pods and containers)',
    nist: 'NIST SP 800-190 4.5.2 (shared kernel)',
    kics: '9127f0d9-2310-42e7-866f-5fd9d20dcbad',
    kubeLinter: 'unsafe-sysctls',
    links: ['https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/'],
  },
  messages: {
    unsafe: 'The pod of {{kind}} `{{name}}` sets {{items}}, outside the safe sysctl set. Remove them from `securityContext.sysctls`.',
  },
  check: listExcludes({
    path: 'securityContext.sysctls',
    message: 'unsafe',
    isBad: (item) => {
      const name = nameOf(item);
      if (typeof name === 'string' && name.includes('${')) return false;
      return typeof name !== 'string' || !SAFE_SYSCTLS.has(name);
    },
    label: (item) => `\`${String(nameOf(item))}\``,
    // The server may depend on the tuning (and the node may allow it): the author confirms.
    fix: { description: (items) => `Remove ${items.map((i) => String(nameOf(i))).join(', ')} from sysctls`, applicability: 'unsafe' },
  }),
});
