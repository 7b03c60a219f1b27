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
      'only exist on `*`.',
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
  },
  check(target, ctx) {
    for (const doc of identityPolicies(ctx, target.resource)) {
      for (const statement of doc.statements) {
        if (!allows(statement) || !statement.resources.includes('*')) continue;
        // `*` on `*` is administrator access: aws/iam-wildcard-action and aws/iam-admin-policy say so.
        if (statement.actions.includes('*')) continue;
        const sensitive = statement.actions.filter(sensitiveAction);
        if (sensitive.length === 0) continue;
        ctx.report({ message: 'wildcard', at: statement.path, data: { name: target.resource.name, actions: listText(sensitive), source: sourceNote(doc, target.resource, statement) } });
      }
    }
  },
});
