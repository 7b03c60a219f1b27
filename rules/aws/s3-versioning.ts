import { defineRule } from '../../src/engine/define-rule.js';
import { block, blocks, bucketSatellites, freshName, hasDynamic, isExpanded, isTrue, isUnknown, newResourceOp, referenceTo, searchedWhere } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/s3-versioning',
  severity: 'low',
  title: 'S3 bucket without versioning',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_s3_bucket', 'aws_s3_bucket_versioning'],
  docs: {
    why:
      'Without versioning, an overwritten or deleted model artifact is gone: a bad upload, a compromised pipeline or ' +
      'ransomware replaces the weights an endpoint loads, with no previous version to roll back to or to compare against.',
    fix:
      'Add an `aws_s3_bucket_versioning` for the bucket with `versioning_configuration { status = "Enabled" }`, and a lifecycle ' +
      'rule that expires noncurrent versions after a retention period. Warden\'s fix adds the versioning resource after the ' +
      'bucket, or sets a suspended one to `Enabled`.',
  },
  references: {
    cis: 'CIS AWS Foundations 2.1.2 (MFA delete relies on versioning)',
    nist: 'NIST SP 800-53 CP-9, SI-7',
    checkov: 'CKV_AWS_21',
    kics: '568a4d22-3517-44a6-a7ad-6a7eed88722c',
  },
  messages: {
    missing: 'No versioning for bucket `{{name}}` was found {{where}}: an overwritten or deleted model artifact cannot be recovered.',
    disabled: 'Versioning of `{{name}}` is `{{value}}`: an overwritten or deleted model artifact cannot be recovered. Set it to `Enabled`.',
  },
  check(target, ctx) {
    const resource = target.resource;
    const name = resource.name;
    if (resource.terraform?.type === 'aws_s3_bucket_versioning') {
      const status = block(target.node, 'versioning_configuration')?.status;
      if (typeof status === 'string' && !isUnknown(status) && status !== 'Enabled') {
        ctx.report({
          message: 'disabled',
          at: ['versioning_configuration', 0, 'status'],
          data: { name, value: status },
          fix: { description: 'Set the versioning status to Enabled', ops: [{ op: 'set', path: ['versioning_configuration', 0, 'status'], value: 'Enabled' }] },
        });
      }
      return;
    }
    // AWS provider v3: `versioning { enabled = true }` inline.
    const inline = blocks(target.node, 'versioning');
    if (hasDynamic(target.node, 'versioning')) return;
    if (inline.length > 0) {
      const enabled = inline[0]!.enabled;
      if (isTrue(enabled) || isUnknown(enabled)) return;
      // An inline `enabled = false` with a separate aws_s3_bucket_versioning: the latter wins.
      if (bucketSatellites(ctx, resource, 'aws_s3_bucket_versioning').length > 0) return;
      ctx.report({ message: 'disabled', at: ['versioning', 0, 'enabled'], data: { name, value: enabled === undefined ? 'not enabled' : String(enabled) } });
      return;
    }
    if (bucketSatellites(ctx, resource, 'aws_s3_bucket_versioning').length > 0) return;
    // A companion resource: versioning only keeps old versions, so adding it never changes what readers get.
    const versioning = freshName(ctx, resource, 'aws_s3_bucket_versioning', 'versioning');
    const fix = isExpanded(resource)
      ? undefined
      : {
          description: `Add aws_s3_bucket_versioning.${versioning} with versioning Enabled`,
          ops: [newResourceOp('aws_s3_bucket_versioning', versioning, { bucket: referenceTo(resource, 'id'), versioning_configuration: [{ status: 'Enabled' }] })],
        };
    ctx.report({ message: 'missing', data: { name, where: searchedWhere(ctx) }, fix });
  },
});
