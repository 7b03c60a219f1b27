import { defineRule } from '../../src/engine/define-rule.js';
import { policyRules, ROLE_KINDS } from './support/rbac.js';
import { escalationsOf } from './support/rbac-escalation.js';

export default defineRule({
  id: 'k8s/rbac-escalation',
  severity: 'high',
  title: 'Role that lets its holder gain more privileges',
  fixable: false,
  scope: 'resource',
  kinds: ROLE_KINDS,
  docs: {
    why:
      'Some permissions are worth more than they say. Creating or changing pods (or any workload that makes them: ' +
      'Deployments, Jobs, InferenceServices, …) runs any image as any service account of the namespace, with its ' +
      'token and mounted Secrets; `nodes/proxy` reaches the kubelet, which runs commands in every pod of the node; ' +
      '`bind` and `escalate` hand out roles their holder does not have; `impersonate` acts as anyone; creating ' +
      '`serviceaccounts/token` mints other accounts\' tokens; `pods/portforward` opens a tunnel to a model server ' +
      'around its gateway and NetworkPolicies. Held by a CI robot or a model server\'s service account, any of them ' +
      'turns one compromised token into the namespace, or the cluster. Wildcards are k8s/rbac-wildcard\'s and ' +
      '`pods/exec`/`pods/attach` k8s/rbac-pod-exec\'s; a workload whose service account holds any of these is ' +
      'k8s/workload-rbac-escalation\'s.',
    fix:
      'Grant the narrowest verbs the holder needs: `get`/`list`/`watch` to observe, and leave deploying to the ' +
      'GitOps controller or CI identity alone. Give `bind`, `escalate` and `impersonate` only with `resourceNames` ' +
      'that name what may be bound or impersonated, and `nodes/proxy` to no one but monitoring that needs it.',
  },
  references: {
    cis: 'CIS Kubernetes 5.1.8 (limit use of the Bind, Impersonate and Escalate permissions), 5.1.4 (minimize access to create pods), 5.1.10 (minimize access to the proxy sub-resource of nodes), 5.1.13 (minimize access to the service account token creation)',
    nist: 'NIST SP 800-190 4.3.2 (unbounded administrative access)',
    checkov: 'CKV_K8S_157 (bind), CKV_K8S_158 (escalate)',
    kubeLinter: 'access-to-create-pods, bind-verb-in-role, escalate-verb-in-role, impersonate-without-resource-names',
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks'],
  },
  messages: {
    escalation: '{{kind}} `{{name}}` rule {{index}} lets its holder {{what}}. Grant only the verbs it needs.',
  },
  check: (target, ctx) => {
    for (const rule of policyRules(target.node)) {
      const what = escalationsOf(rule, { wildcards: false, shell: false });
      if (what.length === 0) continue;
      ctx.report({
        message: 'escalation',
        at: ['rules', rule.index],
        data: { kind: target.resource.kind, name: target.resource.name, index: rule.index + 1, what: what.join('; ') },
      });
    }
  },
});
