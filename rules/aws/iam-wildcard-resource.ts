import { defineRule } from '../../src/engine/define-rule.js';
import { allows, IDENTITY_POLICY_TYPES, identityPolicies, listText, sensitiveAction, sourceNote } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/iam-wildcard-resource',
  severity: 'medium',
  title: 'IAM policy allows writes or data reads on every resource',
  fixable: false,
  scope: 'resource',
  kinds: IDENTITY_POLICY_TYPES,
  docs: {
    why:
      '`Resource: "*"` on `s3:GetObject`, `s3:PutObject`, `kms:Decrypt` or `secretsmanager:GetSecretValue` reaches every ' +
      'bucket, key and secret of the account, not just the model prefix the workload uses: one compromised inference ' +
      'container reads every other team\'s models and data. Listing and describing actions are not flagged: many of them ' +
      'only exist on `*`. `NotResource` in an Allow is the same: every resource but those it lists.',
    fix:
      'Scope `Resource` to the ARNs the workload needs, e.g. `"${aws_s3_bucket.models.arn}/llm/*"` for object reads and the ' +
      'bucket ARN with an `s3:prefix` condition for `s3:ListBucket`.',
  },
  references: {
    nist: 'NIST SP 800-53 AC-6 (Least Privilege)',
    checkov: 'CKV_AWS_289, CKV_AWS_290, CKV_AWS_355',
  },
  messages: {
    wildcard: '`{{name}}` allows {{actions}} on every resource (`Resource: "*"`){{source}}: scope it to the ARNs the workload uses.',
    allBut: '`{{name}}` allows {{actions}} on every resource but {{excluded}} (`NotResource`){{source}}: list the ARNs the workload uses in `Resource` instead.',
  },
  check(target, ctx) {
    for (const doc of identityPolicies(ctx, target.resource)) {
      for (const statement of doc.statements) {
        // `NotResource`: every resource but those it lists, as wide as `*` for what the workload reaches.
        const allBut = statement.notResources !== null && statement.notResources.every((r) => typeof r === 'string');
        if (!allows(statement) || (!statement.resources.includes('*') && !allBut)) continue;
        // `*` on `*` is administrator access: aws/iam-wildcard-action and aws/iam-admin-policy say so.
        if (statement.actions.includes('*')) continue;
        const sensitive = statement.actions.filter(sensitiveAction);
        if (sensitive.length === 0) continue;
        const data = { name: target.resource.name, actions: listText(sensitive), source: sourceNote(doc, target.resource, statement) };
        if (allBut) ctx.report({ message: 'allBut', at: statement.path, data: { ...data, excluded: listText(statement.notResources!) } });
        else ctx.report({ message: 'wildcard', at: statement.path, data });
      }
    }
  },
});
