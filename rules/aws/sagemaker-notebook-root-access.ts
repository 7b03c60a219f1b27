import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/sagemaker-notebook-root-access',
  severity: 'medium',
  title: 'SageMaker notebook with root access',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_sagemaker_notebook_instance'],
  docs: {
    why:
      'Root on a notebook instance lets any user or any package they install change the instance itself: install system ' +
      'software, read other users\' files and the instance metadata, and tamper with the lifecycle configuration. Root ' +
      'access is enabled by default.',
    fix: 'Set `root_access = "Disabled"`; install system packages in a lifecycle configuration, which still runs as root.',
  },
  references: {
    nist: 'NIST SP 800-53 AC-6 (Least Privilege)',
    // AWS Security Hub (FSBP) SageMaker.3
    links: [
      'https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html',
     'https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-root-access.html'],
  },
  messages: {
    root: 'SageMaker notebook `{{name}}` gives its users root ({{state}}). Set `root_access = "Disabled"`.',
  },
  check: setting({
    path: ['root_access'],
    message: 'root',
    defaultValue: 'Enabled',
    bad: (v) => v !== 'Disabled',
    fix: { description: 'Set root_access = "Disabled"', value: 'Disabled' },
  }),
});
