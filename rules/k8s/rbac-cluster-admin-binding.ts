import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import { BINDING_KINDS } from './support/rbac.js';

/**
 * Subjects the cluster itself binds to cluster-admin: `system:` users and groups (`system:masters`).
 * No service account is: the built-in controllers have their own roles, and an account placed in
 * kube-system with cluster-admin (Helm 2's tiller) is exactly the risk.
 */
function isSystemSubject(subject: Record<string, unknown>): boolean {
  const name = typeof subject.name === 'string' ? subject.name : '';
  return subject.kind !== 'ServiceAccount' && name.startsWith('system:');
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
      '(an operator), give it a ClusterRole listing those resources. Only the system users and groups ' +
      '(`system:*`, such as `system:masters`) are left alone; a service account never is, even in kube-system.',
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
    const others = (Array.isArray(subjects) ? subjects : []).filter((s): s is Record<string, unknown> => isRecord(s) && !isSystemSubject(s));
    if (others.length === 0) return;
    ctx.report({
      message: 'admin',
      at: 'roleRef.name',
      data: {
        kind: target.resource.kind,
        name: target.resource.name,
        subjects: others.map((s) => `${String(s.kind ?? 'subject')} \`${[s.namespace, s.name].filter(Boolean).join('/')}\``).join(', '),
      },
    });
  },
});
