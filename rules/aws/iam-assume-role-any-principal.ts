import { defineRule } from '../../src/engine/define-rule.js';
import { policyDocument, publicStatements, sourceNote } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/iam-assume-role-any-principal',
  severity: 'high',
  title: 'IAM role that anyone can assume',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_iam_role'],
  docs: {
    why:
      'A trust policy that allows `Principal: "*"` (or `{ AWS = "*" }`) with no condition (or one that matches everyone: a `ForAllValues:` operator, or ' +
      '`aws:PrincipalArn` like `arn:aws:iam::*`) lets any AWS account in the world ' +
      'call `sts:AssumeRole` and receive the role\'s credentials: for a SageMaker or model-serving role, that is read ' +
      'access to the model bucket, the registry and whatever else the role holds.',
    fix:
      'Name the trusted principal (the `sagemaker.amazonaws.com` service, an account root ARN, an OIDC provider) or, if `*` ' +
      'is required, add conditions such as `aws:PrincipalOrgID` or `sts:ExternalId`.',
  },
  references: {
    cis: 'CIS AWS Foundations 1.x (IAM least privilege)',
    nist: 'NIST SP 800-53 AC-2, AC-3',
    kics: '12b7e704-37f0-4d1e-911a-44bf60c48c21',
  },
  messages: {
    anyone: 'The trust policy of role `{{name}}` lets any AWS principal assume it, with no condition that narrows it{{source}}: name the trusted principal or add a condition such as `aws:PrincipalOrgID`.',
  },
  check(target, ctx) {
    const doc = policyDocument(ctx, target.resource, target.node.assume_role_policy, ['assume_role_policy']);
    if (!doc || doc === 'unknown') return;
    for (const statement of publicStatements(doc)) {
      ctx.report({ message: 'anyone', at: statement.path, data: { name: target.resource.name, source: sourceNote(doc, target.resource, statement) } });
    }
  },
});
