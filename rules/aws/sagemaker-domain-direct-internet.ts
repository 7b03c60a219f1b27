import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/sagemaker-domain-direct-internet',
  severity: 'high',
  title: 'SageMaker Studio domain with direct internet access',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_sagemaker_domain'],
  docs: {
    why:
      'A SageMaker Studio domain runs every user\'s notebooks, code editors and jobs with their execution roles, next to the ' +
      'training data and model artifacts. With `app_network_access_type = "PublicInternetOnly"` (the default) their traffic ' +
      'goes through a VPC SageMaker manages, with a route to the internet that bypasses yours: anything that runs in Studio ' +
      'can send data out unobserved, and no security group or VPC endpoint policy of yours applies.',
    fix:
      'Set `app_network_access_type = "VpcOnly"`: all traffic then goes through the domain\'s `subnet_ids` and security groups. ' +
      'Give those subnets VPC endpoints for the AWS services Studio uses (SageMaker API and runtime, STS, S3, CloudWatch), and a ' +
      'NAT gateway you control if users need package mirrors.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    links: ['https://docs.aws.amazon.com/sagemaker/latest/dg/studio-notebooks-and-internet-access.html'],
  },
  messages: {
    direct: 'SageMaker Studio domain `{{name}}` gives its apps direct internet access ({{state}}). Set `app_network_access_type = "VpcOnly"`.',
  },
  check: setting({
    path: ['app_network_access_type'],
    message: 'direct',
    defaultValue: 'PublicInternetOnly',
    bad: (v) => v !== 'VpcOnly',
    fix: { description: 'Set app_network_access_type = "VpcOnly"', value: 'VpcOnly', applicability: 'unsafe' },
  }),
});
