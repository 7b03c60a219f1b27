import { defineRule } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';
import { securityContexts } from '../../src/engine/shapes.js';

/** The deprecated (still enforced) per-container annotation. */
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const GOOD_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** Annotation values PSA accepts: empty, `runtime/default`, or a `localhost/<profile>`. */
function goodAnnotation(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  return typeof value === 'string' && (value === 'runtime/default' || value.startsWith('localhost/') || value.includes('${'));
}

export default defineRule({
  id: 'k8s/apparmor',
  severity: 'medium',
  title: 'AppArmor profile overridden',
  level: 'baseline',
  fixable: true,
  scope: 'podSpec',
  docs: {
    why:
      'AppArmor confines what a container may do even as root: which files it may write, whether it may mount or use ' +
      'raw sockets. `Unconfined` switches that off, so a remote-code-execution bug in a model server (pickle loading, ' +
      'a template injection in a prompt pipeline) lands in an unconfined process.',
    fix:
      'Set `securityContext.appArmorProfile.type: RuntimeDefault` (or `Localhost` with a profile you ship), or drop ' +
      'the override. With the older annotation `container.apparmor.security.beta.kubernetes.io/<container>`, use ' +
      '`runtime/default` or `localhost/<profile>`.',
  },
  references: {
    pss: 'Baseline: AppArmor',
    cis: 'CIS Kubernetes Benchmark 5.7.2 (apply security context to pods and containers)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations)',
    links: ['https://kubernetes.io/docs/tutorials/security/apparmor/'],
  },
  messages: {
    field: '{{who}} sets AppArmor profile `{{value}}`: the container runs unconfined. Set `appArmorProfile.type: RuntimeDefault`.',
    annotation:
      'Annotation `{{key}}: {{value}}` runs container `{{container}}` without AppArmor confinement. Set it to ' +
      '`runtime/default` (or `localhost/<profile>`).',
  },
  check(target, ctx) {
    for (const where of securityContexts(target)) {
      const profile = where.context.appArmorProfile;
      const type = isRecord(profile) ? profile.type : undefined;
      if (type === undefined || (typeof type === 'string' && (GOOD_TYPES.has(type) || type.includes('${')))) continue;
      ctx.report({
        message: 'field',
        base: where.base,
        at: ['securityContext', 'appArmorProfile', 'type'],
        data: { who: where.who, value: String(type) },
        fix: {
          description: 'Set appArmorProfile.type to RuntimeDefault',
          ops: [{ op: 'set', base: where.base, path: ['securityContext', 'appArmorProfile', 'type'], value: 'RuntimeDefault' }],
        },
      });
    }
    const annotations = target.pod.metadata.annotations;
    if (!isRecord(annotations) || !target.pod.metadataPath) return;
    // Only AppArmor's annotations are read: what the pod's others hold says nothing here.
    for (const key of Object.keys(annotations).filter((name) => name.startsWith(APPARMOR_ANNOTATION_PREFIX))) {
      const value = annotations[key];
      if (goodAnnotation(value)) continue;
      const at = ['annotations', key];
      ctx.report({
        message: 'annotation',
        base: target.pod.metadataPath,
        at,
        data: { key, value: String(value), container: key.slice(APPARMOR_ANNOTATION_PREFIX.length) },
        fix: {
          description: `Set ${key} to runtime/default`,
          ops: [{ op: 'set', base: target.pod.metadataPath, path: at, value: 'runtime/default' }],
        },
      });
    }
  },
});
