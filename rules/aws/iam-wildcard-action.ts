import { defineRule } from '../../src/engine/define-rule.js';
import { allButActions, allows, IDENTITY_POLICY_TYPES, identityPolicies, listText, policyDocument, sourceNote, wildcardAction } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/iam-wildcard-action',
  severity: 'high',
  title: 'IAM policy allows every action of a service',
  fixable: false,
  scope: 'resource',
  kinds: IDENTITY_POLICY_TYPES,
  docs: {
    why:
      'An Allow of `*` or `s3:*` grants every present and future action of the service: a serving role that needs to ' +
      'read one model prefix can then delete buckets, change their policies, or, with `iam:*`, make itself administrator. ' +
      'A leaked credential of such a role is as good as the account. An Allow with `NotAction` is wider still: every ' +
      'action of every service but those it lists, present and future.',
    fix:
      'List the actions the workload calls (`s3:GetObject`, `s3:ListBucket` for a model reader); IAM Access Analyzer can ' +
      'generate a policy from CloudTrail activity. In a role\'s trust policy, allow `sts:AssumeRole` (or `sts:AssumeRoleWithWebIdentity` / ' +
      '`sts:AssumeRoleWithSAML`), and `sts:TagSession` only where session tags are meant to be set.',
  },
  references: {
    cis: 'CIS AWS Foundations 1.16 (no full *:* administrative privileges)',
    nist: 'NIST SP 800-53 AC-6 (Least Privilege)',
    checkov: 'CKV_AWS_1, CKV_AWS_62, CKV_AWS_63',
    kics: '575a2155-6af1-4026-b1af-d5bc8fe2a904, 2f37c4a3-58b9-4afe-8a87-d7f1d2286f84',
  },
  messages: {
    wildcard: '`{{name}}` allows {{actions}}: every action of the service, present and future{{source}}. List the actions the workload needs.',
    allBut:
      '`{{name}}` allows every action but {{excluded}} (`NotAction`){{source}}: every other action of every service, present and future. ' +
      'List the actions the workload needs (`Action`), and deny what it must never do in a Deny statement.',
    trust:
      'The trust policy of `{{name}}` allows {{actions}} to its principal{{source}}: every STS action on the role, not only assuming it ' +
      '(`sts:TagSession` sets session tags that attribute-based policies trust, `sts:SetSourceIdentity` rewrites what CloudTrail attributes). ' +
      'Allow `sts:AssumeRole` (or the web-identity / SAML variant the principal uses).',
  },
  check(target, ctx) {
    for (const doc of identityPolicies(ctx, target.resource)) {
      for (const statement of doc.statements) {
        const allBut = allButActions(statement);
        if (allBut) {
          ctx.report({ message: 'allBut', at: statement.path, data: { name: target.resource.name, excluded: allBut.length > 0 ? listText(allBut) : 'none', source: sourceNote(doc, target.resource, statement) } });
          continue;
        }
        const wild = statement.actions.filter(wildcardAction);
        if (!allows(statement) || wild.length === 0) continue;
        ctx.report({ message: 'wildcard', at: statement.path, data: { name: target.resource.name, actions: listText(wild), source: sourceNote(doc, target.resource, statement) } });
      }
    }
    // A role's trust policy grants STS actions on the role itself: a wildcard there is more than "may assume".
    if (target.resource.kind !== 'aws_iam_role') return;
    const trust = policyDocument(ctx, target.resource, target.node.assume_role_policy, ['assume_role_policy']);
    if (!trust || trust === 'unknown') return;
    for (const statement of trust.statements) {
      const wild = statement.actions.filter(wildcardAction);
      if (!allows(statement) || wild.length === 0) continue;
      ctx.report({ message: 'trust', at: statement.path, data: { name: target.resource.name, actions: listText(wild), source: sourceNote(trust, target.resource, statement) } });
    }
  },
});
