import { defineRule } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';

const unknown = (value: unknown) => typeof value === 'string' && value.includes('${');

export default defineRule({
  id: 'k8s/run-as-non-root',
  severity: 'high',
  title: 'Container may run as root',
  level: 'restricted',
  fixable: true,
  scope: 'podSpec',
  docs: {
    why:
      'Most model-server images (Triton, TorchServe, vLLM, TGI base images) run as root unless told otherwise. ' +
      '`runAsNonRoot: true` makes the kubelet refuse to start a container whose user is root, so a compromise of the ' +
      'server is not root in the container, and one step further from root on the node.',
    fix:
      'Set `securityContext.runAsNonRoot: true` on every container (or once at pod level, and never `false` on a ' +
      'container), and give the image a non-root user (`USER 65532`, or `runAsUser`). Check that the server can ' +
      'still write its model cache: mount an `emptyDir` for it and set `fsGroup` if needed. Pods in a user ' +
      'namespace (`hostUsers: false`) are exempt.',
  },
  references: {
    pss: 'Restricted: Running as Non-root',
    cis: 'CIS Kubernetes Benchmark 5.2.7 (Minimize the admission of root containers)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations)',
    checkov: 'CKV_K8S_23',
    kics: 'cf34805e-3872-4c08-bf92-6ff7bb0cfadb, 4c415497-7410-4559-90e8-f2c8ac64ee38',
    kubeLinter: 'run-as-non-root',
  },
  messages: {
    podFalse: 'The pod of {{kind}} `{{name}}` sets `runAsNonRoot: false`, so its containers may run as root. Set it to `true`.',
    containerFalse: 'Container `{{name}}` sets `runAsNonRoot: false`: it may run as root. Set it to `true`.',
    containerUnset:
      'Container `{{name}}` may run as root: neither it nor the pod sets `runAsNonRoot: true`. Set ' +
      '`securityContext.runAsNonRoot: true` (and make sure the image has a non-root user).',
  },
  check(target, ctx) {
    // PSA (policy v1.35+): root in a user namespace is not root on the node.
    if (target.pod.spec.hostUsers === false) return;
    const pod = getIn(target.pod.spec, ['securityContext', 'runAsNonRoot']);
    if (unknown(pod)) return;
    const fix = { description: 'Set runAsNonRoot to true', applicability: 'unsafe' as const };
    if (pod === false) {
      ctx.report({
        message: 'podFalse',
        at: 'securityContext.runAsNonRoot',
        data: { kind: target.resource.kind, name: target.resource.name },
        fix: { ...fix, ops: [{ op: 'set', path: 'securityContext.runAsNonRoot', value: true }] },
      });
    }
    for (const container of target.pod.containers) {
      const own = getIn(container.container, ['securityContext', 'runAsNonRoot']);
      if (own === true || unknown(own) || (own === undefined && (pod === true || pod === false))) continue;
      // Unset under a pod-level `false`: the pod's finding and its fix cover this container.
      ctx.report({
        message: own === false ? 'containerFalse' : 'containerUnset',
        base: container.path,
        at: 'securityContext.runAsNonRoot',
        data: { name: container.name },
        // On the container, next to the other container-level fixes, so they land in one securityContext.
        fix: { ...fix, ops: [{ op: 'set', base: container.path, path: 'securityContext.runAsNonRoot', value: true }] },
      });
    }
  },
});
