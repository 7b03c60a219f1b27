import { defineRule } from '../../src/engine/define-rule.js';
import { coversCoreGroup, grantsVerb, policyRules, ROLE_KINDS } from './support/rbac.js';

const SHELL_RESOURCES = ['pods/exec', 'pods/attach', 'pods/*'];

export default defineRule({
  id: 'k8s/rbac-pod-exec',
  severity: 'medium',
  title: 'Role that can exec into pods',
  fixable: false,
  scope: 'resource',
  kinds: ROLE_KINDS,
  docs: {
    why:
      'A shell in a model server reads its weights from disk or memory, its mounted credentials and its ' +
      'service account token, and can tamper with the model it serves. `pods/exec` and `pods/attach` hand that ' +
      'shell to whoever holds the role, bypassing every admission control.',
    fix:
      'Remove `create` (and `get`, which WebSocket clients use) on `pods/exec` and `pods/attach`. For debugging, ' +
      'grant it temporarily to named people through a just-in-time access tool, in a namespace without model weights.',
  },
  references: {
    cis: 'CIS Kubernetes 5.1 (RBAC and service accounts: least privilege)',
    nist: 'NIST SP 800-190 4.3.2 (unbounded administrative access)',
    kics: 'c589f42c-7924-4871-aee2-1cede9bc7cbc',
  },
  messages: {
    exec: '{{kind}} `{{name}}` rule {{index}} can {{verbs}} `{{resources}}`: a shell in the model server reads its weights and credentials. Remove it.',
  },
  check: (target, ctx) => {
    for (const rule of policyRules(target.node)) {
      const resources = rule.resources.filter((r) => SHELL_RESOURCES.includes(r));
      if (resources.length === 0 || !coversCoreGroup(rule)) continue;
      const verbs = grantsVerb(rule, ['create', 'get']);
      if (verbs.length === 0) continue;
      ctx.report({
        message: 'exec',
        at: ['rules', rule.index, 'resources'],
        data: { kind: target.resource.kind, name: target.resource.name, index: rule.index + 1, verbs: verbs.map((v) => `\`${v}\``).join('/'), resources: resources.join('`, `') },
      });
    }
  },
});
