import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import { BINDING_KINDS } from './support/rbac.js';

/** Who anyone is, without credentials: the user `system:anonymous` in the group `system:unauthenticated`. */
const ANONYMOUS = new Set(['User:system:anonymous', 'Group:system:unauthenticated']);

/** The one role the cluster itself gives them: the API server's health and version. */
const PUBLIC_INFO = 'system:public-info-viewer';

export default defineRule({
  id: 'k8s/rbac-anonymous-binding',
  severity: 'high',
  title: 'Role bound to anonymous requests',
  fixable: true,
  scope: 'resource',
  kinds: BINDING_KINDS,
  docs: {
    why:
      'A request to the API server without credentials is the user `system:anonymous` in the group ' +
      '`system:unauthenticated`. A binding of any role to either gives that role to anyone who can reach the API server: ' +
      'to read InferenceServices, their model URIs and Secrets, or to change them, no token is needed. The cluster binds ' +
      'them only `system:public-info-viewer` (health and version), which is left alone; `cluster-admin` bound to them is ' +
      'k8s/rbac-cluster-admin-binding\'s.',
    fix:
      'Remove the anonymous subject, and bind the role to the service accounts, users or groups that need it. Where a ' +
      'health endpoint must be public, bind only `system:public-info-viewer`.',
  },
  references: {
    cis: 'CIS Kubernetes 5.1 (RBAC and service accounts); 1.2.1 (ensure anonymous requests are not authorised)',
    nist: 'NIST SP 800-53 AC-3, AC-14',
  },
  messages: {
    anonymous:
      '{{kind}} `{{name}}` gives {{role}} to {{subject}}: anyone who can reach the API server gets it, without credentials. ' +
      'Bind it to the identities that need it.',
  },
  check: (target, ctx) => {
    const role = getIn(target.node, ['roleRef', 'name']);
    if (typeof role !== 'string' || role === PUBLIC_INFO || role === 'cluster-admin') return;
    const subjects = Array.isArray(target.node.subjects) ? target.node.subjects : [];
    const anonymous = subjects.flatMap((s, i) => (isRecord(s) && ANONYMOUS.has(`${String(s.kind)}:${String(s.name)}`) ? [i] : []));
    if (anonymous.length === 0) return;
    const first = subjects[anonymous[0]!] as Record<string, unknown>;
    ctx.report({
      message: 'anonymous',
      at: ['subjects', anonymous[0]!],
      data: { kind: target.resource.kind, name: target.resource.name, role: `\`${getIn(target.node, ['roleRef', 'kind']) ?? 'role'}/${role}\``, subject: `${String(first.kind)} \`${String(first.name)}\`` },
      // The subjects kept, as a list: removing by index would remove another subject when applied again.
      fix: { description: 'Remove the anonymous subjects', applicability: 'unsafe', ops: [{ op: 'set', path: ['subjects'], value: subjects.filter((_, i) => !anonymous.includes(i)) }] },
    });
  },
});
