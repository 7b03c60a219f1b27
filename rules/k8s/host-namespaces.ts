import { defineRule } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';

const FIELDS = {
  hostNetwork: 'the node\'s network: it can reach every node-local service and sniff traffic',
  hostPID: 'the node\'s process table: it can see and signal every process on the node, and read their environment',
  hostIPC: 'the node\'s IPC namespace: it can read other processes\' shared memory',
} as const;

export default defineRule({
  id: 'k8s/host-namespaces',
  severity: 'high',
  title: 'Pod shares the host\'s namespaces',
  level: 'baseline',
  fixable: true,
  scope: 'podSpec',
  docs: {
    why:
      'A pod with `hostNetwork`, `hostPID` or `hostIPC` leaves the isolation of its own namespaces: it sees the node\'s ' +
      'network interfaces, processes or shared memory. A model server sharing them can read the kubelet\'s traffic, ' +
      'other pods\' environment variables (API keys, storage credentials) and GPU processes\' shared memory of other tenants.',
    fix:
      'Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to `false`). Expose the model through a Service ' +
      'instead of the node\'s network; collect metrics through the pod\'s own endpoint, not the node\'s processes.',
  },
  references: {
    pss: 'Baseline: Host Namespaces',
    cis: 'CIS Kubernetes Benchmark 5.2.3, 5.2.4, 5.2.5 (hostPID, hostIPC, hostNetwork)',
    nist: 'NIST SP 800-190 4.4.2 (unbounded network access), 4.4.3 (insecure container runtime configurations)',
    checkov: 'CKV_K8S_17, CKV_K8S_18, CKV_K8S_19',
    kics: '302736f4-b16c-41b8-befe-c0baffa0bd9d, cd290efd-6c82-4e9d-a698-be12ae31d536, 6b6bdfb3-c3ae-44cb-88e4-7405c1ba2c8a',
    kubeLinter: 'host-network, host-pid, host-ipc',
  },
  messages: {
    hostNamespace: '`{{field}}: true` gives the pod of {{kind}} `{{name}}` {{what}}. Set `{{field}}: false`.',
  },
  check(target, ctx) {
    for (const [field, what] of Object.entries(FIELDS)) {
      if (getIn(target.node, [field]) !== true) continue;
      ctx.report({
        message: 'hostNamespace',
        at: [field],
        data: { field, what, kind: target.resource.kind, name: target.resource.name },
        // Leaving the node's network changes how the server is reached: offered, never silent.
        fix: { description: `Set ${field} to false`, applicability: 'unsafe', ops: [{ op: 'set', path: [field], value: false }] },
      });
    }
  },
});
