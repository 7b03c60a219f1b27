import { defineRule, type FixSpec } from '../../src/engine/define-rule.js';
import { bucketSatellites, bucketsLeftBy, expansionPath, notCreatedHow, freshName, isExpanded, isTrue, isUnknown, newResourceOp, referenceTo, searchedWhere, surelyCreated } from '../../src/engine/terraform.js';
import type { RuleContext } from '../../src/engine/define-rule.js';
import { visible } from '../../src/engine/visible.js';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

export default defineRule({
  id: 'aws/s3-public-access-block',
  severity: 'high',
  title: 'S3 bucket without a complete public access block',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_s3_bucket', 'aws_s3_bucket_public_access_block'],
  docs: {
    why:
      'Model artifacts, training data and inference logs live in S3. The public access block is the guard rail that ' +
      'overrides any later ACL or bucket policy that would make them public: one `public-read` ACL or `Principal: "*"` ' +
      'statement, added by a script or a hurried fix, then publishes nothing. Each of its four settings defaults to false.',
    fix:
      'Add an `aws_s3_bucket_public_access_block` for the bucket with `block_public_acls`, `block_public_policy`, ' +
      '`ignore_public_acls` and `restrict_public_buckets` all true (or enable them account-wide with ' +
      '`aws_s3_account_public_access_block`). Warden\'s fix adds the block or sets the false settings to true.',
  },
  references: {
    cis: 'CIS AWS Foundations 2.1.4 (S3 Block Public Access, bucket and account level)',
    nist: 'NIST SP 800-53 AC-3, AC-21, SC-7',
    checkov: 'CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56',
    kics: '4fa66806-0dd9-4f8d-9480-3174d39c7c91 (ignore public ACL), 1ec253ab-c220-4d63-b2de-5b40e0af9293 (restrict public buckets), d0cc8694-fcad-43ff-ac86-32331d7e867f (public ACL)',
    links: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html'],
  },
  messages: {
    missing: 'No `aws_s3_bucket_public_access_block` for bucket `{{name}}` was found {{where}}: nothing stops a later ACL or bucket policy from making its objects public.',
    incomplete: 'The public access block `{{name}}` leaves {{settings}} off (an absent setting defaults to false): set all four to true.',
    notCreated: 'The public access block `{{name}}` is {{how}}, and it is the only one found for bucket `{{bucket}}`: nothing stops a later ACL or bucket policy from making its objects public.',
  },
  check(target, ctx) {
    const resource = target.resource;
    const body = target.node;
    if (resource.terraform?.type === 'aws_s3_bucket_public_access_block') {
      // A block Terraform may not create protects nothing: the buckets it was the only one for are left open.
      for (const bucket of bucketsLeftBy(ctx, resource)) {
        if (bucketSatellites(ctx, bucket, 'aws_s3_bucket_public_access_block').length > 0 || accountCovers(ctx)) continue;
        ctx.report({ message: 'notCreated', at: expansionPath(resource), data: { name: resource.name, how: notCreatedHow(resource), bucket: bucket.name } });
      }
      const off = SETTINGS.filter((s) => body[s] === undefined || (!isTrue(body[s]) && !isUnknown(body[s])));
      if (off.length === 0) return;
      const fix: FixSpec = { description: `Set ${off.join(', ')} to true`, ops: off.map((s) => ({ op: 'set' as const, path: [s], value: true })) };
      const at = off.find((s) => body[s] !== undefined) ?? [];
      ctx.report({ message: 'incomplete', at: typeof at === 'string' ? [at] : at, data: { name: resource.name, settings: off.map((s) => `\`${s}\``).join(', ') }, fix });
      return;
    }
    if (bucketSatellites(ctx, resource, 'aws_s3_bucket_public_access_block').length > 0) return;
    if (accountCovers(ctx)) return;
    const name = freshName(ctx, resource, 'aws_s3_bucket_public_access_block', 'public_access');
    const fix: FixSpec | undefined = isExpanded(resource)
      ? undefined
      : {
          description: `Add aws_s3_bucket_public_access_block.${name} with all four settings true`,
          ops: [newResourceOp('aws_s3_bucket_public_access_block', name, { bucket: referenceTo(resource, 'id'), ...Object.fromEntries(SETTINGS.map((s) => [s, true])) })],
        };
    ctx.report({ message: 'missing', data: { name: resource.name, where: searchedWhere(ctx) }, fix });
  },
});

/** An account-wide block with every setting on (or unknown) covers every bucket, if Terraform surely creates it. */
function accountCovers(ctx: Pick<RuleContext, 'scanned' | 'repository' | 'lookups'>): boolean {
  const accounts = visible(ctx).ofKind('aws_s3_account_public_access_block').filter(surelyCreated);
  return accounts.some((account) => SETTINGS.every((s) => isTrue(account.body[s]) || isUnknown(account.body[s])));
}

