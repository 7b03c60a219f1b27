import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/sagemaker-notebook-imdsv2',
  severity: 'medium',
  title: 'SageMaker notebook allows IMDSv1',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_sagemaker_notebook_instance'],
  docs: {
    why:
      'With IMDSv1 allowed (the default, minimum version "1"), any server-side request forgery in a notebook, a Jupyter ' +
      'extension or a model served from it can read the instance\'s metadata and the SageMaker execution role\'s credentials, ' +
      'which usually reach the model and data buckets.',
    fix:
      'Set `instance_metadata_service_configuration { minimum_instance_metadata_service_version = "2" }`. Libraries that use ' +
      'the AWS SDKs already speak IMDSv2.',
  },
  references: {
    nist: 'NIST SP 800-53 AC-3, SC-7',
    checkov: 'CKV_AWS_371',
    links: ['https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-update-imds.html'],
  },
  messages: {
    v1: 'SageMaker notebook `{{name}}` allows IMDSv1 ({{state}}): a request forgery can read its role\'s credentials.',
  },
  check: setting({
    path: ['instance_metadata_service_configuration', 0, 'minimum_instance_metadata_service_version'],
    message: 'v1',
    defaultValue: '1',
    bad: (v) => String(v) !== '2',
    fix: { description: 'Require IMDSv2', value: '2', applicability: 'unsafe' },
  }),
});
