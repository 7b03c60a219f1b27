// What protects a bucket names it exactly: a whole `bucket = aws_s3_bucket.<name>.id` (or `.bucket`, `.arn`, of one
// instance), or its literal name; a mention inside another expression, or a longer name, links nothing.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { RULES } from '../../rules/index.js';

const buckets = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\nresource "aws_s3_bucket" "b-logs" {\n  bucket = "b-logs"\n}\nresource "aws_s3_bucket" "c" {\n  bucket = "c"\n}\n';
const pab = (name: string, bucket: string) => `
resource "aws_s3_bucket_public_access_block" "${name}" {
  bucket                  = ${bucket}
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;

async function unprotected(text: string): Promise<string[]> {
  const result = await scanFiles([{ path: 'infra/main.tf', text }], { config: DEFAULT_CONFIG, rules: RULES.filter((r) => r.id === 'aws/s3-public-access-block') });
  return result.findings.map((f) => f.resource).sort();
}

describe('a public access block protects the bucket it names exactly', () => {
  it('a block for `b-logs` does not protect `b`', async () => {
    expect(await unprotected(buckets + pab('logs', 'aws_s3_bucket.b-logs.id') + pab('c', 'aws_s3_bucket.c.id'))).toEqual(['aws_s3_bucket.b']);
  });

  it('a mention inside another expression protects nothing', async () => {
    const tricky = pab('x', '"${aws_s3_bucket.b.id}" == "" ? "" : aws_s3_bucket.c.id') + pab('l', 'aws_s3_bucket.b-logs.bucket');
    expect(await unprotected(buckets + tricky)).toEqual(['aws_s3_bucket.b', 'aws_s3_bucket.c']);
  });

  it('exact references still link: id, bucket, an instance, the literal name', async () => {
    const linked = pab('b', 'aws_s3_bucket.b[0].id') + pab('l', 'aws_s3_bucket.b-logs.bucket') + pab('c', '"c"');
    expect(await unprotected(buckets + linked)).toEqual([]);
  });
});
