import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/sagemaker-notebook-direct-internet',
  severity: 'high',
  title: 'SageMaker notebook with direct internet access',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_sagemaker_notebook_instance'],
  docs: {
    why:
      'A notebook instance holds the execution role\'s credentials and usually the training data and model artifacts. With ' +
      'direct internet access (the default) it gets a SageMaker-managed network interface with a route to the internet that ' +
      'bypasses your VPC: anything that runs in the notebook can send data out unobserved.',
    fix:
      'Set `direct_internet_access = "Disabled"` and give the notebook a `subnet_id` and `security_groups` in your VPC; reach ' +
      'package mirrors and AWS services through a NAT gateway or VPC endpoints that you control.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    checkov: 'CKV_AWS_122',
    // AWS Security Hub (FSBP) SageMaker.1
    links: [
      'https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html',
     'https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html'],
  },
  messages: {
    direct: 'SageMaker notebook `{{name}}` has direct internet access ({{state}}). Set `direct_internet_access = "Disabled"` and place it in a VPC subnet.',
  },
  check: setting({
    path: ['direct_internet_access'],
    message: 'direct',
    defaultValue: 'Enabled',
    bad: (v) => v !== 'Disabled',
    fix: { description: 'Set direct_internet_access = "Disabled"', value: 'Disabled', applicability: 'unsafe' },
  }),
});
