import { defineRule } from '../../src/engine/define-rule.js';
import { blocks, bucketSatellites, hasDynamic, relatedResources, searchedWhere, surelyCreated } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/s3-access-logging',
  severity: 'low',
  title: 'S3 bucket without access logging',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_s3_bucket'],
  docs: {
    why:
      'Server access logs record who read, wrote or deleted each object. Without them, a download of model weights or a ' +
      'replaced artifact leaves no trace to investigate (CloudTrail logs object reads only when data events are turned on).',
    fix:
      'Add an `aws_s3_bucket_logging` for the bucket with a `target_bucket` dedicated to logs (itself not logged, to avoid a loop), ' +
      'or turn on CloudTrail S3 data events for the bucket and suppress this finding with that reason.',
  },
  references: {
    cis: 'CIS AWS Foundations 3.6 (S3 bucket access logging on the CloudTrail bucket)',
    nist: 'NIST SP 800-53 AU-2, AU-12',
    checkov: 'CKV_AWS_18',
  },
  messages: {
    missing: 'No access logging for bucket `{{name}}` was found {{where}}: reads and deletions of its objects leave no trace.',
  },
  check(target, ctx) {
    const resource = target.resource;
    const body = target.node;
    // AWS provider v3: `logging { target_bucket = … }` inline.
    if (blocks(body, 'logging').length > 0 || hasDynamic(body, 'logging') || body.logging !== undefined) return;
    if (bucketSatellites(ctx, resource, 'aws_s3_bucket_logging').length > 0) return;
    // A bucket that receives other buckets' logs is not itself logged (that would loop).
    if (body.acl === 'log-delivery-write') return;
    if (relatedResources(ctx, resource, ['aws_s3_bucket_logging'], ['target_bucket'], 'bucket', ['id', 'bucket', 'arn']).filter(surelyCreated).length > 0) return;
    ctx.report({ message: 'missing', data: { name: resource.name, where: searchedWhere(ctx) } });
  },
});
