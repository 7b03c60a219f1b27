import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import { ownValue } from '../../src/common/own-key.js';
import { BINDING_KINDS } from './support/rbac.js';

/**
 * The identities the cluster itself binds to cluster-admin: the group `system:masters` and the control plane's own
 * users (`system:kube-controller-manager`, ...). Other `system:` names are who anyone can be: `system:anonymous`,
 * `system:unauthenticated`, `system:authenticated`, every service account's groups and users, the nodes.
 */
function isClusterOwnIdentity(subject: Record<string, unknown>): boolean {
  const name = typeof subject.name === 'string' ? subject.name : '';
  if (subject.kind === 'Group') return name === 'system:masters';
  return subject.kind === 'User' && (name.startsWith('system:kube-') || name === 'system:apiserver');
}

/** Who a wide `system:` subject stands for, said in the finding (the name alone reads like a system identity). */
const WHO: Record<string, string> = {
  'system:anonymous': 'anyone who can reach the API server, without credentials',
  'system:unauthenticated': 'anyone who can reach the API server, without credentials',
  'system:authenticated': 'every identity that signs in, every service account too',
  'system:serviceaccounts': 'every service account',
};

function describe(subject: Record<string, unknown>): string {
  const name = typeof subject.name === 'string' ? subject.name : '';
  const who = ownValue(WHO, name) ?? (name.startsWith('system:serviceaccounts:') ? `every service account of \`${name.slice('system:serviceaccounts:'.length)}\`` : undefined);
  return `${String(subject.kind ?? 'subject')} \`${[subject.namespace, subject.name].filter(Boolean).join('/')}\`${who ? ` (${who})` : ''}`;
}

export default defineRule({
  id: 'k8s/rbac-cluster-admin-binding',
  severity: 'critical',
  title: 'Binding to cluster-admin',
  fixable: false,
  scope: 'resource',
  kinds: BINDING_KINDS,
  docs: {
    why:
      '`cluster-admin` can do anything to any object in any namespace. Bound to a model-serving service account, ' +
      'a user or a CI group, one stolen token (from a compromised model server, a notebook or a pipeline log) owns ' +
      'the whole cluster: every model, every Secret, every node.',
    fix:
      'Bind a Role scoped to the namespace with the verbs the subject needs. If the subject manages CRDs cluster-wide ' +
      '(an operator), give it a ClusterRole listing those resources. Only the identities the cluster itself binds ' +
      '(the group `system:masters`, the control plane\'s `system:kube-*` users) are left alone; a service account never ' +
      'is, even in kube-system, nor a `system:` group anyone can be in (`system:authenticated`, `system:unauthenticated`, ' +
      '`system:serviceaccounts`, the nodes).',
  },
  references: {
    cis: 'CIS Kubernetes 5.1.1 (ensure that the cluster-admin role is only used where required)',
    nist: 'NIST SP 800-190 4.3.2 (unbounded administrative access)',
    kics: '249328b8-5f0f-409f-b1dd-029f07882e11, 17172bc2-56fb-4f17-916f-a014147706cd',
    kubeLinter: 'cluster-admin-role-binding',
  },
  messages: {
    admin: '{{kind}} `{{name}}` gives `cluster-admin` to {{subjects}}: full control of every namespace, model and Secret. Bind a namespaced Role with only the needed verbs.',
  },
  check: (target, ctx) => {
    if (getIn(target.node, ['roleRef', 'name']) !== 'cluster-admin') return;
    const subjects = target.node.subjects;
    const others = (Array.isArray(subjects) ? subjects : []).filter((s): s is Record<string, unknown> => isRecord(s) && !isClusterOwnIdentity(s));
    if (others.length === 0) return;
    ctx.report({
      message: 'admin',
      at: 'roleRef.name',
      data: {
        kind: target.resource.kind,
        name: target.resource.name,
        subjects: others.map(describe).join(', '),
      },
    });
  },
});
