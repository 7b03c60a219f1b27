import { defineRule } from '../../src/engine/define-rule.js';
import { blocks } from '../../src/engine/terraform.js';

const PUBLIC = new Set(['public-read', 'public-read-write', 'authenticated-read']);
const PUBLIC_GROUPS = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

export default defineRule({
  id: 'aws/s3-public-acl',
  severity: 'critical',
  title: 'S3 bucket ACL grants public access',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_s3_bucket', 'aws_s3_bucket_acl'],
  docs: {
    why:
      'A `public-read` ACL lets anyone on the internet list and download the bucket: model weights, fine-tuning data, ' +
      'evaluation sets. `authenticated-read` is no narrower: it means any AWS account, not yours. `public-read-write` lets ' +
      'anyone also replace a model artifact that a serving endpoint will load.',
    fix:
      'Set the ACL to `private`, or better disable ACLs (`aws_s3_bucket_ownership_controls` with `BucketOwnerEnforced`) and ' +
      'grant access with IAM and bucket policies. Serve public files through CloudFront with origin access control instead.',
  },
  references: {
    cis: 'CIS AWS Foundations 2.1.4',
    nist: 'NIST SP 800-53 AC-3, AC-21',
    checkov: 'CKV_AWS_20, CKV_AWS_57',
    kics: '38c5ee0d-7f22-4260-ab72-5073048df100',
    links: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl'],
  },
  messages: {
    canned: '`{{name}}` sets the canned ACL `{{value}}`: {{who}} can read the bucket\'s objects. Set `acl = "private"`.',
    grant: '`{{name}}` grants {{permission}} to the `{{group}}` group: the bucket is open to {{who}}.',
  },
  check(target, ctx) {
    const name = target.resource.name;
    const who = (group: string) => (group.startsWith('authenticated') || group === 'AuthenticatedUsers' ? 'every AWS account' : 'anyone on the internet');
    const acl = target.node.acl;
    if (typeof acl === 'string' && PUBLIC.has(acl)) {
      ctx.report({
        message: 'canned',
        at: ['acl'],
        data: { name, value: acl, who: who(acl) },
        fix: { description: 'Set acl = "private"', applicability: 'unsafe', ops: [{ op: 'set', path: ['acl'], value: 'private' }] },
      });
    }
    // Explicit grants: aws_s3_bucket_acl's access_control_policy, or the v3 bucket's inline `grant`.
    const grants: { path: (string | number)[]; uri: unknown; permission: unknown }[] = [];
    blocks(target.node, 'access_control_policy').forEach((policy, p) =>
      blocks(policy, 'grant').forEach((grant, g) =>
        blocks(grant, 'grantee').forEach((grantee, e) =>
          grants.push({ path: ['access_control_policy', p, 'grant', g, 'grantee', e, 'uri'], uri: grantee.uri, permission: grant.permission }),
        ),
      ),
    );
    blocks(target.node, 'grant').forEach((grant, g) => grants.push({ path: ['grant', g, 'uri'], uri: grant.uri, permission: grant.permissions }));
    for (const grant of grants) {
      const match = typeof grant.uri === 'string' ? PUBLIC_GROUPS.exec(grant.uri) : null;
      if (!match) continue;
      const permission = Array.isArray(grant.permission) ? grant.permission.join(', ') : String(grant.permission ?? 'access');
      ctx.report({ message: 'grant', at: grant.path, data: { name, permission, group: match[1]!, who: who(match[1]!) } });
    }
  },
});
