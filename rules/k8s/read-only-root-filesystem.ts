import { defineRule } from '../../src/engine/define-rule.js';
import { fieldRequired, isUnknown } from '../../src/engine/shapes.js';

export default defineRule({
  id: 'k8s/read-only-root-filesystem',
  severity: 'medium',
  title: 'Writable root filesystem',
  fixable: true,
  scope: 'container',
  docs: {
    why:
      'A writable root filesystem lets an attacker who reaches the model server drop tools, patch the server code or ' +
      'swap the model files it loads from its image, and the change survives until the pod is replaced. Model ' +
      'servers only need to write to a few known places (a model cache, /tmp), which can be mounted explicitly.',
    fix:
      'Set `securityContext.readOnlyRootFilesystem: true` on the container. Where the server needs scratch space ' +
      '(downloaded weights, compilation caches such as `~/.cache`, `/tmp`), mount an `emptyDir` volume there ' +
      '(`volumes: [{name: tmp, emptyDir: {}}]` and `volumeMounts: [{name: tmp, mountPath: /tmp}]`).',
  },
  references: {
    cis: 'CIS Kubernetes 5.7.3 (apply security context to pods and containers)',
    nist: 'NIST SP 800-190 4.4.4 (app vulnerabilities: immutable containers)',
    checkov: 'CKV_K8S_22',
    kics: 'a9c2f49d-0671-4fc9-9ece-f4e261e128d0',
    kubeLinter: 'no-read-only-root-fs',
  },
  messages: {
    writable:
      'Container `{{name}}` can write to its root filesystem. Set `securityContext.readOnlyRootFilesystem: true` and ' +
      'mount an `emptyDir` at the paths the server writes to (for example `/tmp` or the model cache).',
  },
  check: (target, ctx) => {
    // Ephemeral debug containers are attached by hand, not declared in manifests worth gating.
    if (target.container.list === 'ephemeralContainers') return;
    fieldRequired<'container', 'writable'>({
      path: 'securityContext.readOnlyRootFilesystem',
      message: 'writable',
      isGood: (value) => value === true || isUnknown(value),
      fix: () => ({
        description: 'Set readOnlyRootFilesystem to true (mount an emptyDir where the server writes)',
        applicability: 'unsafe',
        ops: [{ op: 'set', path: 'securityContext.readOnlyRootFilesystem', value: true }],
      }),
    })(target, ctx);
  },
});
