import { defineRule } from '../../src/engine/define-rule.js';
import { isTrue, setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/sagemaker-network-isolation',
  severity: 'medium',
  title: 'SageMaker model without network isolation',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_sagemaker_model'],
  docs: {
    why:
      'A model container runs third-party code: the inference image, its Python packages, and the pickled model itself, ' +
      'which can execute code on load. Without network isolation that code can reach the internet and any AWS service ' +
      'the network allows, so a poisoned model can exfiltrate inputs, outputs or its own weights.',
    fix:
      'Set `enable_network_isolation = true`. The container then has no outbound network at all: SageMaker still downloads ' +
      'the model artifact from S3 for it. Containers that fetch weights or packages at start-up must bake them into the ' +
      'image or the model artifact instead.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    links: [
      'https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-model-isolation-enabled.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html'],
  },
  messages: {
    notIsolated: 'SageMaker model `{{name}}` runs without network isolation ({{state}}): the model container can reach the network. Set `enable_network_isolation = true`.',
  },
  check: setting({
    path: ['enable_network_isolation'],
    message: 'notIsolated',
    defaultValue: false,
    bad: (v) => !isTrue(v),
    fix: { description: 'Set enable_network_isolation = true', value: true, applicability: 'unsafe' },
  }),
});
