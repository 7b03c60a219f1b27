import { defineRule } from '../../src/engine/define-rule.js';
import { allowsAction, IDENTITY_POLICY_TYPES, identityPolicies, isUnknown, sourceNote, type Statement } from '../../src/engine/terraform.js';

/** Actions that let an identity raise its own permissions, alone. */
const ALONE = [
  'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:AttachUserPolicy', 'iam:AttachGroupPolicy', 'iam:AttachRolePolicy',
  'iam:PutUserPolicy', 'iam:PutGroupPolicy', 'iam:PutRolePolicy', 'iam:AddUserToGroup', 'iam:UpdateAssumeRolePolicy',
  'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'lambda:UpdateFunctionCode',
];
/** Services that run code as a role handed to them with iam:PassRole (the compute the attacker then controls). */
const WITH_PASS_ROLE = [
  'ec2:RunInstances', 'lambda:CreateFunction', 'glue:CreateDevEndpoint', 'glue:CreateJob', 'cloudformation:CreateStack',
  'datapipeline:CreatePipeline', 'ecs:RunTask', 'ecs:RegisterTaskDefinition', 'codebuild:CreateProject', 'states:CreateStateMachine',
  'sagemaker:CreateNotebookInstance', 'sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'sagemaker:CreateModel',
];

/** PassRole of any role: `*` or a wildcard role ARN. A named role is passed on purpose (a SageMaker execution role). */
const anyRole = (statement: Statement) =>
  statement.resources.some((r) => typeof r === 'string' && !isUnknown(r) && (r === '*' || /^arn:aws[\w-]*:iam::[^:]*:(role\/)?\*$/.test(r) || /^arn:aws[\w-]*:iam::\*:/.test(r)));

export default defineRule({
  id: 'aws/iam-privilege-escalation',
  severity: 'high',
  title: 'IAM policy allows privilege escalation',
  fixable: false,
  scope: 'resource',
  kinds: IDENTITY_POLICY_TYPES,
  docs: {
    why:
      'Some IAM actions hand out more permissions than they name: `iam:CreatePolicyVersion`, `iam:Attach*Policy` or ' +
      '`iam:Put*Policy` let an identity rewrite its own policy; `iam:CreateAccessKey` and login profiles take over other users; ' +
      '`iam:PassRole` on any role together with a service that runs code (`ec2:RunInstances`, `lambda:CreateFunction`, ' +
      '`sagemaker:CreateTrainingJob`, `glue:CreateDevEndpoint`, …) runs the attacker\'s code as the strongest role in the account. ' +
      'A model-serving or pipeline role with these is one compromised container away from account administrator.',
    fix:
      'Remove the action, or scope it to named resources: `iam:PassRole` on the one execution role the pipeline passes ' +
      '(with an `iam:PassedToService` condition), policy management only in an administration role behind MFA. IAM Access ' +
      'Analyzer and permission boundaries help contain what remains.',
  },
  references: {
    nist: 'NIST SP 800-53 AC-6 (Least Privilege), AC-6(10)',
    checkov: 'CKV_AWS_286, CKV_AWS_287',
    links: ['https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/'],
  },
  messages: {
    alone: '`{{name}}` allows `{{action}}`{{source}}: it can raise its own permissions (privilege escalation). Remove it or limit it to an administration role.',
    passRole:
      '`{{name}}` allows `iam:PassRole` on any role together with `{{action}}`{{source}}: it can run code as any role in the account (privilege escalation). Pass only the named role the service needs.',
  },
  check(target, ctx) {
    for (const doc of identityPolicies(ctx, target.resource)) {
      const reported = new Set<string>();
      const report = (message: 'alone' | 'passRole', action: string, statement: Statement) => {
        const key = `${message}:${JSON.stringify(statement.path)}`;
        if (reported.has(key)) return;
        reported.add(key);
        ctx.report({ message, at: statement.path, data: { name: target.resource.name, action, source: sourceNote(doc, target.resource, statement) } });
      };
      for (const statement of doc.statements) {
        const action = ALONE.find((a) => allowsAction(statement, a));
        if (action) report('alone', action, statement);
      }
      // PassRole and the service may sit in different statements of one document.
      const passing = doc.statements.find((s) => allowsAction(s, 'iam:PassRole') && anyRole(s));
      if (!passing) continue;
      for (const statement of doc.statements) {
        const action = WITH_PASS_ROLE.find((a) => allowsAction(statement, a));
        if (action) {
          report('passRole', action, passing);
          break;
        }
      }
    }
  },
});
