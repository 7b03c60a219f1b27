import { defineRule } from '../../src/engine/define-rule.js';
import { policyRules, readsSecrets, ROLE_KINDS } from './support/rbac.js';

export default defineRule({
  id: 'k8s/rbac-wildcard',
  severity: 'high',
  title: 'RBAC rule with a wildcard',
  fixable: false,
  scope: 'resource',
  kinds: ROLE_KINDS,
  docs: {
    why:
      'A `*` in verbs, resources or apiGroups grants everything that exists now and everything added later ' +
      '(new CRDs such as InferenceServices, `pods/exec`, `secrets`, `escalate`, `impersonate`). A model-serving ' +
      'controller or CI account with a wildcard role is one token away from owning the namespace or the cluster.',
    fix:
      'List the exact apiGroups, resources and verbs the subject needs (for example `serving.kserve.io`, ' +
      '`inferenceservices`, `get`/`list`/`watch`). `kubectl auth can-i --list --as=system:serviceaccount:<ns>:<sa>` ' +
      'and audit logs show what is really used.',
  },
  references: {
    cis: 'CIS Kubernetes 5.1.3 (minimize wildcard use in Roles and ClusterRoles)',
    nist: 'NIST SP 800-190 4.3.2 (unbounded administrative access)',
    checkov: 'CKV_K8S_49',
    kics: '6b896afb-ca07-467a-b256-1a0077a1c08e',
    kubeLinter: 'wildcard-in-rules',
  },
  messages: {
    wildcard: '{{kind}} `{{name}}` rule {{index}} grants `*` in {{fields}}: that includes everything added to the cluster later. List the exact {{fields}}.',
    wildcardSecrets:
      '{{kind}} `{{name}}` rule {{index}} grants `*` in {{fields}}: that includes everything added to the cluster later, and it reads the values of Secrets. List the exact {{fields}}, without `secrets`.',
  },
  check: (target, ctx) => {
    for (const rule of policyRules(target.node)) {
      const fields = (['verbs', 'resources', 'apiGroups'] as const).filter((f) => rule[f].includes('*'));
      if (fields.length === 0) continue;
      ctx.report({
        message: readsSecrets(rule) ? 'wildcardSecrets' : 'wildcard',
        at: ['rules', rule.index, fields[0]!],
        data: { kind: target.resource.kind, name: target.resource.name, index: rule.index + 1, fields: fields.join(', ') },
      });
    }
  },
});
