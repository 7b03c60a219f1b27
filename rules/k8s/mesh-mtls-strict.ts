import { defineRule, type RelativeOp } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import type { Path } from '../../src/model.js';
import { apiGroup } from './support/k8s.js';

const WEAK = new Set(['PERMISSIVE', 'DISABLE']);

export default defineRule({
  id: 'k8s/mesh-mtls-strict',
  severity: 'medium',
  title: 'Istio mTLS not strict',
  fixable: true,
  scope: 'resource',
  kinds: ['PeerAuthentication'],
  docs: {
    why:
      'In PERMISSIVE (or DISABLE) mode the sidecar also accepts plain-text connections: any pod, including ones ' +
      'outside the mesh, can call the model server without a workload identity, so AuthorizationPolicies keyed on ' +
      'principals are bypassed and inference traffic crosses the network unencrypted.',
    fix:
      'Set `spec.mtls.mode: STRICT` (and any `portLevelMtls` entries). Move clients without sidecars into the mesh ' +
      'first; PERMISSIVE is a migration step, not a resting state.',
  },
  references: {
    nist: 'NIST SP 800-190 4.4.2 (network traffic protection); NIST SP 800-204A (service mesh security)',
    links: ['https://istio.io/latest/docs/reference/config/security/peer_authentication/'],
  },
  messages: {
    weak: 'PeerAuthentication `{{name}}` sets mTLS to `{{mode}}`{{port}}: plain-text callers without a workload identity reach the model server. Set `STRICT`.',
  },
  check: (target, ctx) => {
    if (apiGroup(target.resource) !== 'security.istio.io') return;
    const places: { path: Path; port: string }[] = [{ path: ['spec', 'mtls', 'mode'], port: '' }];
    const ports = getIn(target.node, ['spec', 'portLevelMtls']);
    if (isRecord(ports)) for (const port of Object.keys(ports)) places.push({ path: ['spec', 'portLevelMtls', port, 'mode'], port: ` on port ${port}` });
    for (const { path, port } of places) {
      const mode = getIn(target.node, path);
      if (typeof mode !== 'string' || !WEAK.has(mode.toUpperCase())) continue;
      const ops: RelativeOp[] = [{ op: 'set', path, value: 'STRICT' }];
      ctx.report({
        message: 'weak',
        at: path,
        data: { name: target.resource.name, mode, port },
        // Callers without a sidecar lose access: offered, not safe.
        fix: { description: 'Set mTLS mode to STRICT', applicability: 'unsafe', ops },
      });
    }
  },
});
