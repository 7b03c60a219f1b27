import { defineRule } from '../../src/engine/define-rule.js';
import { block, hasDynamic } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/sagemaker-model-vpc',
  severity: 'medium',
  title: 'SageMaker model outside a VPC',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_sagemaker_model'],
  docs: {
    why:
      'Without `vpc_config` the model\'s containers run in a SageMaker-managed network with a route to the internet and to ' +
      'public AWS endpoints. Inside your VPC, security groups, VPC endpoints (S3, ECR, CloudWatch) and flow logs decide and ' +
      'record what the model server can reach.',
    fix:
      'Add a `vpc_config` block with private `subnets` and `security_group_ids`, and create VPC endpoints for S3 and ECR so ' +
      'the model and image can still be pulled. Combine with `enable_network_isolation = true` where the container needs no network.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    links: ['https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html'],
  },
  messages: {
    noVpc: 'SageMaker model `{{name}}` has no `vpc_config`: its containers run outside your VPC, where your security groups and VPC endpoints do not apply.',
  },
  check(target, ctx) {
    if (block(target.node, 'vpc_config') || hasDynamic(target.node, 'vpc_config')) return;
    ctx.report({ message: 'noVpc', data: { name: target.resource.name } });
  },
});
