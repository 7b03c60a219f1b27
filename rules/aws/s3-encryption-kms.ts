import { defineRule } from '../../src/engine/define-rule.js';
import { attr, blocks, bucketSatellites, bucketsLeftBy, expansionPath, notCreatedHow, freshName, hasDynamic, isExpanded, isUnknown, newResourceOp, referenceTo, searchedWhere } from '../../src/engine/terraform.js';
import type { Path } from '../../src/model.js';

const KMS = new Set(['aws:kms', 'aws:kms:dsse']);

/** The algorithms an SSE configuration body sets, with their paths. */
function algorithms(config: Record<string, unknown>, base: Path): { path: Path; value: unknown }[] {
  return blocks(config, 'rule').flatMap((rule, r) =>
    blocks(rule, 'apply_server_side_encryption_by_default').map((d, i) => ({
      path: [...base, 'rule', r, 'apply_server_side_encryption_by_default', i, 'sse_algorithm'],
      value: d.sse_algorithm,
    })),
  );
}

export default defineRule({
  id: 'aws/s3-encryption-kms',
  severity: 'medium',
  title: 'S3 bucket without SSE-KMS',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_s3_bucket', 'aws_s3_bucket_server_side_encryption_configuration'],
  docs: {
    why:
      'S3 encrypts every new object with S3-managed keys (SSE-S3) by default, which protects the disks, not the data: ' +
      'anyone with `s3:GetObject` reads the model weights in clear. With SSE-KMS a reader also needs `kms:Decrypt` on your ' +
      'key, every decryption is logged in CloudTrail, and disabling the key cuts off access to a leaked artifact.',
    fix:
      'Add an `aws_s3_bucket_server_side_encryption_configuration` for the bucket with `sse_algorithm = "aws:kms"`, ' +
      '`kms_master_key_id` set to a customer-managed key, and `bucket_key_enabled = true` to keep KMS costs down. Existing ' +
      'objects keep their old encryption until rewritten (S3 Batch Operations copy). Warden\'s fix adds the configuration ' +
      'with the AWS-managed key (`aws/s3`) and bucket keys: an unsafe fix, since readers in other accounts cannot use ' +
      'that key; set `kms_master_key_id` to your own key.',
  },
  references: {
    cis: 'CIS AWS Foundations v1.4.0 2.1.1 (S3 encryption at rest)',
    nist: 'NIST SP 800-53 SC-28, SC-12',
    checkov: 'CKV_AWS_145',
    kics: '5fb49a69-8d46-4495-a2f8-9c8c622b2b6e',
  },
  messages: {
    missing: 'No SSE-KMS configuration for bucket `{{name}}` was found {{where}}: S3 then uses S3-managed keys (SSE-S3), so `s3:GetObject` alone reads its objects.',
    notCreated: 'The encryption configuration `{{name}}` is {{how}}, and it is the only one found for bucket `{{bucket}}`: S3 then uses S3-managed keys (SSE-S3), so `s3:GetObject` alone reads its objects.',
    notKms: '`{{name}}` encrypts with `{{value}}`, not SSE-KMS: `s3:GetObject` alone reads the objects and decryption is not logged against a key you control. Use `sse_algorithm = "aws:kms"` with a customer-managed key.',
  },
  check(target, ctx) {
    const resource = target.resource;
    const reportAlgorithms = (found: { path: Path; value: unknown }[]) => {
      for (const { path, value } of found) {
        if (typeof value === 'string' && !isUnknown(value) && !KMS.has(value)) {
          ctx.report({ message: 'notKms', at: path, data: { name: resource.name, value } });
        }
      }
    };
    if (resource.terraform?.type === 'aws_s3_bucket_server_side_encryption_configuration') {
      // A configuration Terraform may not create encrypts nothing: the buckets it was the only one for are left without.
      for (const bucket of bucketsLeftBy(ctx, resource)) {
        if (bucketSatellites(ctx, bucket, 'aws_s3_bucket_server_side_encryption_configuration').length > 0) continue;
        if (blocks(bucket.body, 'server_side_encryption_configuration').length > 0 || hasDynamic(bucket.body, 'server_side_encryption_configuration')) continue;
        ctx.report({ message: 'notCreated', at: expansionPath(resource), data: { name: resource.name, how: notCreatedHow(resource), bucket: bucket.name } });
      }
      reportAlgorithms(algorithms(target.node, []));
      return;
    }
    // AWS provider v3: the configuration inline in the bucket.
    const inline = blocks(target.node, 'server_side_encryption_configuration');
    if (inline.length > 0 || hasDynamic(target.node, 'server_side_encryption_configuration')) {
      reportAlgorithms(inline.flatMap((c, i) => algorithms(c, ['server_side_encryption_configuration', i])));
      return;
    }
    if (attr(target.node, ['server_side_encryption_configuration']) !== undefined) return;
    if (bucketSatellites(ctx, resource, 'aws_s3_bucket_server_side_encryption_configuration').length > 0) return;
    const name = freshName(ctx, resource, 'aws_s3_bucket_server_side_encryption_configuration', 'encryption');
    const fix = isExpanded(resource)
      ? undefined
      : {
          description: `Add aws_s3_bucket_server_side_encryption_configuration.${name} with SSE-KMS`,
          // New objects then need kms:Decrypt on the key: readers in other accounts lose access to them.
          applicability: 'unsafe' as const,
          ops: [
            newResourceOp('aws_s3_bucket_server_side_encryption_configuration', name, {
              bucket: referenceTo(resource, 'id'),
              rule: [{ bucket_key_enabled: true, apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }] }],
            }),
          ],
        };
    ctx.report({ message: 'missing', data: { name: resource.name, where: searchedWhere(ctx) }, fix });
  },
});
