import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import { BINDING_KINDS } from './support/rbac.js';

/**
 * Subjects everyone is: a request without credentials is the user `system:anonymous` in the group
 * `system:unauthenticated`; every identity that signs in is in `system:authenticated`. Each with the roles the
 * cluster itself gives it (health and version; discovery and self-review to signed-in ones), left alone.
 */
const EVERYONE: Readonly<Record<string, { who: string; builtIn: ReadonlySet<string> }>> = {
  'User:system:anonymous': { who: 'anyone who can reach the API server, without credentials', builtIn: new Set(['system:public-info-viewer']) },
  'Group:system:unauthenticated': { who: 'anyone who can reach the API server, without credentials', builtIn: new Set(['system:public-info-viewer']) },
  'Group:system:authenticated': {
    who: 'every identity that signs in: every service account of the cluster, and on GKE any Google account',
    builtIn: new Set(['system:public-info-viewer', 'system:discovery', 'system:basic-user']),
  },
};

export default defineRule({
  id: 'k8s/rbac-everyone-binding',
  severity: 'high',
  title: 'Role bound to everyone',
  fixable: true,
  scope: 'resource',
  kinds: BINDING_KINDS,
  docs: {
    why:
      'A request to the API server without credentials is the user `system:anonymous` in the group ' +
      '`system:unauthenticated`; every identity that signs in is in the group `system:authenticated`: every service ' +
      'account of every namespace, and on GKE any Google account, inside the organisation or not. A role bound to them is ' +
      'given to all of these: to read InferenceServices, their model URIs and Secrets, or to change them, no credential of ' +
      'the cluster\'s own is needed. The roles the cluster itself binds them (`system:public-info-viewer`, and for ' +
      'signed-in identities `system:discovery` and `system:basic-user`) are left alone; `cluster-admin` bound to them is ' +
      'k8s/rbac-cluster-admin-binding\'s.',
    fix:
      'Remove the subject, and bind the role to the service accounts, users or groups that need it. Where a health ' +
      'endpoint must be public, bind only `system:public-info-viewer`.',
  },
  references: {
    cis: 'CIS Kubernetes 5.1 (RBAC and service accounts); 1.2.1 (ensure anonymous requests are not authorised)',
    nist: 'NIST SP 800-53 AC-3, AC-14',
    links: ['https://cloud.google.com/kubernetes-engine/docs/best-practices/rbac#default-users-groups'],
  },
  messages: {
    everyone: '{{kind}} `{{name}}` gives {{role}} to {{subject}}: {{who}}. Bind it to the identities that need it.',
  },
  check: (target, ctx) => {
    const role = getIn(target.node, ['roleRef', 'name']);
    if (typeof role !== 'string' || role === 'cluster-admin') return;
    const subjects = Array.isArray(target.node.subjects) ? target.node.subjects : [];
    const everyone = subjects.flatMap((s, i) => {
      const known = isRecord(s) ? EVERYONE[`${String(s.kind)}:${String(s.name)}`] : undefined;
      return known && !known.builtIn.has(role) ? [{ i, subject: s as Record<string, unknown>, who: known.who }] : [];
    });
    const first = everyone[0];
    if (!first) return;
    ctx.report({
      message: 'everyone',
      at: ['subjects', first.i],
      data: { kind: target.resource.kind, name: target.resource.name, role: `\`${String(getIn(target.node, ['roleRef', 'kind']) ?? 'role')}/${role}\``, subject: `${String(first.subject.kind)} \`${String(first.subject.name)}\``, who: first.who },
      // The subjects kept, as a list: removing by index would remove another subject when applied again.
      fix: { description: 'Remove the subjects that are everyone', applicability: 'unsafe', ops: [{ op: 'set', path: ['subjects'], value: subjects.filter((_, i) => !everyone.some((e) => e.i === i)) }] },
    });
  },
});
