import { defineRule } from '../../src/engine/define-rule.js';
import { publicPolicyStatements } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/ecr-policy-public',
  severity: 'critical',
  title: 'ECR repository policy open to anyone',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_ecr_repository_policy'],
  docs: {
    why:
      'Inference images often bake in the model weights, tokenizer and proprietary pre-processing code. A repository policy ' +
      'that allows `*` without a condition lets any AWS account pull them, and with push actions replace the image that ' +
      'your serving cluster will run next.',
    fix:
      'Grant the accounts or roles that pull (node roles, SageMaker execution roles) by ARN, or keep `*` with an ' +
      '`aws:PrincipalOrgID` condition. Use ECR Public for images that are meant to be public.',
  },
  references: {
    nist: 'NIST SP 800-190 4.2.x (image risks), SP 800-53 AC-3',
    checkov: 'CKV_AWS_32',
    kics: 'e86e26fc-489e-44f0-9bcd-97305e4ba69a',
  },
  messages: {
    open: 'The policy of ECR repository `{{name}}` allows anyone (`Principal: "*"`) to {{actions}} with no condition that narrows it{{source}}: every AWS account can pull the model images.',
  },
  check: publicPolicyStatements('open'),
});
