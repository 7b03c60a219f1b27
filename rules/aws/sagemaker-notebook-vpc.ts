import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/sagemaker-notebook-vpc',
  severity: 'medium',
  title: 'SageMaker notebook outside a VPC',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_sagemaker_notebook_instance'],
  docs: {
    why:
      'A notebook instance without `subnet_id` runs in a SageMaker-managed network with direct internet access: no security ' +
      'group, VPC endpoint policy or flow log applies to it, and the data scientist\'s credentials, datasets and model artifacts ' +
      'on it can be sent anywhere.',
    fix:
      'Set `subnet_id` to a private subnet and `security_groups` to a group that allows only what the notebook needs; reach S3, ' +
      'ECR and SageMaker through VPC endpoints, and set `direct_internet_access = "Disabled"`.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    links: ['https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html'],
  },
  messages: {
    none: 'SageMaker notebook `{{name}}` is not in a VPC subnet ({{state}}): no security group or VPC endpoint policy applies to it.',
  },
  // Absent is the finding; a set subnet (known or not) is a VPC.
  check: setting({ path: ['subnet_id'], message: 'none', bad: (v) => v === '' || v === null }),
});
