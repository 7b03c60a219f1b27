import { defineRule } from '../../src/engine/define-rule.js';
import { securityFieldIs } from '../../src/engine/shapes.js';

/** The uid the fix proposes: the conventional "nonroot" user of distroless images. */
export const NON_ROOT_UID = 65532;

export default defineRule({
  id: 'k8s/run-as-root-user',
  severity: 'high',
  title: 'Container runs as uid 0',
  level: 'restricted',
  fixable: true,
  scope: 'podSpec',
  docs: {
    why:
      '`runAsUser: 0` runs the process as root whatever the image says, and overrides `runAsNonRoot` in spirit: ' +
      'a model server compromised through a malicious model file is then root in the container, with root\'s ' +
      'access to mounted volumes and one kernel bug away from the node.',
    fix:
      'Set `runAsUser` to a non-zero uid (65532 is the distroless "nonroot" user) or remove it and let the image\'s ' +
      'non-root user apply. Give the model cache directory to that uid (`fsGroup`, or an `emptyDir`). Pods in a ' +
      'user namespace (`hostUsers: false`) are exempt.',
  },
  references: {
    pss: 'Restricted: Running as Non-root user',
    cis: 'CIS Kubernetes Benchmark 5.2.7 (Minimize the admission of root containers)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations)',
  },
  messages: {
    root: '{{who}} sets `runAsUser: 0`: it runs as root. Set a non-zero uid such as `runAsUser: ' + NON_ROOT_UID + '`.',
  },
  check: securityFieldIs({
    path: 'runAsUser',
    // Terraform's provider types runAsUser as a string: "0" is root too.
    isBad: (value, _where, target) => target.pod.spec.hostUsers !== false && (value === 0 || value === '0'),
    message: 'root',
    // The image's files may belong to root: the author confirms.
    fix: (value) => ({
      description: `Set runAsUser to ${NON_ROOT_UID}`,
      applicability: 'unsafe',
      // Keep the value's type: a string in Terraform's provider, an integer in a manifest.
      ops: [{ op: 'set', path: 'securityContext.runAsUser', value: typeof value === 'string' ? String(NON_ROOT_UID) : NON_ROOT_UID }],
    }),
  }),
});
