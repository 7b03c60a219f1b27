import { defineRule } from '../../src/engine/define-rule.js';
import { coversCoreGroup, grantsVerb, hasWildcard, policyRules, ROLE_KINDS } from './support/rbac.js';
import { reportedBy } from './support/overlap.js';

export default defineRule({
  id: 'k8s/rbac-secrets-read',
  severity: 'medium',
  title: 'Role that can read Secrets',
  fixable: false,
  scope: 'resource',
  kinds: ROLE_KINDS,
  docs: {
    why:
      'Reading Secrets gives away every credential stored next to the model service: object-storage keys for the ' +
      'weights, registry pull secrets, service account tokens, TLS keys. `list` and `watch` return the values of ' +
      'every Secret in scope, not just names. A ClusterRole with it reads every namespace.',
    fix:
      'Remove `get`/`list`/`watch` on `secrets`; mount the Secrets a pod needs as volumes instead of reading them ' +
      'through the API. Where a controller really needs one Secret, restrict the rule with `resourceNames` ' +
      '(Warden does not flag rules restricted that way).',
  },
  references: {
    cis: 'CIS Kubernetes 5.1.2 (minimize access to secrets)',
    nist: 'NIST SP 800-190 4.3.2 (unbounded administrative access)',
    kics: 'b7bca5c4-1dab-4c2c-8cbe-3050b9d59b14, 056ac60e-fe07-4acc-9b34-8e1d51716ab9',
    kubeLinter: 'access-to-secrets',
  },
  messages: {
    read: '{{kind}} `{{name}}` rule {{index}} can {{verbs}} Secrets, which returns their values. Remove it, or restrict it with `resourceNames` to the one Secret needed.',
  },
  check: (target, ctx) => {
    for (const rule of policyRules(target.node)) {
      // Wildcard resources are k8s/rbac-wildcard's finding; a rule limited to named Secrets is least privilege.
      if (!rule.resources.includes('secrets') || !coversCoreGroup(rule) || rule.resourceNames.length > 0) continue;
      // A wildcard rule: k8s/rbac-wildcard reports it once, saying it reads Secrets too.
      if (hasWildcard(rule) && reportedBy(ctx.config, 'k8s/rbac-wildcard')) continue;
      const verbs = grantsVerb(rule, ['get', 'list', 'watch']);
      if (verbs.length === 0) continue;
      ctx.report({
        message: 'read',
        at: ['rules', rule.index, 'verbs'],
        data: { kind: target.resource.kind, name: target.resource.name, index: rule.index + 1, verbs: verbs.map((v) => `\`${v}\``).join('/') },
      });
    }
  },
});
