import { defineRule } from '../../src/engine/define-rule.js';
import type { Resource } from '../../src/model.js';
import { allows, identityPolicies, isUnknown, policyDocument, referencesIn, resolveAddress, sourceNote, type PolicyDocument, type Statement } from '../../src/engine/terraform.js';

const ADMIN_ARN = /:iam::aws:policy\/AdministratorAccess$/;
const ATTACHMENTS: Record<string, string> = {
  aws_iam_role_policy_attachment: 'policy_arn',
  aws_iam_user_policy_attachment: 'policy_arn',
  aws_iam_group_policy_attachment: 'policy_arn',
  aws_iam_policy_attachment: 'policy_arn',
  aws_iam_role: 'managed_policy_arns',
  aws_iam_role_policy_attachments_exclusive: 'policy_arns',
  aws_iam_user_policy_attachments_exclusive: 'policy_arns',
  aws_iam_group_policy_attachments_exclusive: 'policy_arns',
};
const INLINE = ['aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role'];

function fullAccess(doc: PolicyDocument): Statement | undefined {
  return doc.statements.find((s) => allows(s) && s.actions.includes('*') && s.resources.includes('*'));
}

export default defineRule({
  id: 'aws/iam-admin-policy',
  severity: 'critical',
  title: 'Administrator access attached to an identity',
  fixable: false,
  scope: 'resource',
  kinds: [...new Set([...Object.keys(ATTACHMENTS), ...INLINE])],
  docs: {
    why:
      '`AdministratorAccess`, or any policy that allows `*` on `*`, attached to a role, user or group makes every credential ' +
      'of that identity an account administrator. A model server, notebook or training job that runs as such a role turns ' +
      'any code-execution bug, or a malicious model file, into a full account compromise.',
    fix:
      'Attach a policy with the actions and resources the workload needs (for SageMaker, start from ' +
      '`AmazonSageMakerFullAccess` only in sandboxes, and a scoped custom policy in production). Keep administrator access ' +
      'for break-glass roles behind MFA, outside the serving stack.',
  },
  references: {
    cis: 'CIS AWS Foundations 1.16',
    nist: 'NIST SP 800-53 AC-6 (Least Privilege), AC-6(5) (Privileged Accounts)',
    checkov: 'CKV_AWS_274',
    kics: 'b1ffa705-19a3-4b73-b9d0-0c97d0663842 (role with full privileges), 2f37c4a3-58b9-4afe-8a87-d7f1d2286f84',
  },
  messages: {
    managed: '`{{name}}` attaches `AdministratorAccess`: the identity becomes an account administrator.',
    custom: '`{{name}}` attaches `{{policy}}`, which allows `*` on `*`{{source}}: the identity becomes an account administrator.',
    inline: '`{{name}}` grants `*` on `*` in an inline policy{{source}}: the identity becomes an account administrator.',
  },
  check(target, ctx) {
    const resource = target.resource;
    const type = resource.terraform?.type ?? resource.kind;
    const arnAttribute = ATTACHMENTS[type];
    if (arnAttribute) {
      const raw = target.node[arnAttribute];
      // A whole-list reference stays unknown; single ARNs (even references) are read one by one.
      const list = Array.isArray(raw) ? raw : raw === undefined ? undefined : [raw];
      if (list) {
        list.forEach((arn, i) => {
          const at = Array.isArray(target.node[arnAttribute]) ? [arnAttribute, i] : [arnAttribute];
          if (typeof arn !== 'string') return;
          if (ADMIN_ARN.test(arn)) return ctx.report({ message: 'managed', at, data: { name: resource.name } });
          if (!isUnknown(arn)) return;
          // `aws_iam_policy.x.arn`: read the policy it points to.
          for (const ref of referencesIn(arn).filter((r) => r.type === 'aws_iam_policy')) {
            const policy: Resource | undefined = resolveAddress(ctx, resource, ref);
            if (!policy) continue;
            const doc = policyDocument(ctx, policy, policy.body.policy, ['policy']);
            if (!doc || doc === 'unknown') continue;
            const statement = fullAccess(doc);
            if (statement) ctx.report({ message: 'custom', at, data: { name: resource.name, policy: policy.id, source: sourceNote(doc, resource, statement) } });
          }
        });
      }
    }
    if (INLINE.includes(type)) {
      for (const doc of identityPolicies(ctx, resource)) {
        const statement = fullAccess(doc);
        if (statement) ctx.report({ message: 'inline', at: statement.path, data: { name: resource.name, source: sourceNote(doc, resource, statement) } });
      }
    }
  },
});
