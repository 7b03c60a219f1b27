import { defineRule } from '../../src/engine/define-rule.js';
import { bucketSatellites, policyDocument, searchedWhere, type PolicyDocument, type Statement } from '../../src/engine/terraform.js';

/** `Deny` when `aws:SecureTransport` is false: the statement that refuses plain HTTP. */
function deniesInsecureTransport(statement: Statement): boolean {
  return (
    statement.effect === 'Deny' &&
    statement.conditions.some(
      (c) => typeof c.operator === 'string' && /^Bool(IfExists)?$/i.test(c.operator) && String(c.key).toLowerCase() === 'aws:securetransport' && c.values.some((v) => v === false || v === 'false'),
    )
  );
}

export default defineRule({
  id: 'aws/s3-secure-transport',
  severity: 'medium',
  title: 'S3 bucket accepts requests over plain HTTP',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_s3_bucket'],
  docs: {
    why:
      'S3 answers plain HTTP as well as HTTPS unless the bucket policy refuses it: a client misconfigured with an `http://` ' +
      'endpoint sends model weights, datasets and its request signatures in clear text, readable and alterable on the way.',
    fix:
      'Add a bucket policy statement that denies `s3:*` on the bucket and its objects to `*` when `aws:SecureTransport` is ' +
      '`false` (and, for TLS 1.2 and later only, when `s3:TlsVersion` is below 1.2).',
  },
  references: {
    cis: 'CIS AWS Foundations 2.1.1 (deny HTTP requests)',
    nist: 'NIST SP 800-53 SC-8 (Transmission Confidentiality and Integrity)',
    links: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html'],
  },
  messages: {
    missing: 'No bucket policy of `{{name}}` denies plain HTTP (`aws:SecureTransport = false`) {{where}}: requests without TLS are accepted.',
  },
  check(target, ctx) {
    const resource = target.resource;
    const documents: (PolicyDocument | 'unknown' | undefined)[] = [
      policyDocument(ctx, resource, target.node.policy, ['policy']),
      ...bucketSatellites(ctx, resource, 'aws_s3_bucket_policy').map((p) => policyDocument(ctx, p, p.body.policy, ['policy'])),
    ];
    // A document that cannot be read (a variable, a template) may hold the statement: not judged.
    if (documents.some((d) => d === 'unknown' || d?.partial)) return;
    if (documents.some((d) => d && d !== 'unknown' && d.statements.some(deniesInsecureTransport))) return;
    ctx.report({ message: 'missing', data: { name: resource.name, where: searchedWhere(ctx) } });
  },
});
