// A protective block deleted from another file than the bucket it protected leaves the bucket open: the bucket is
// judged again, and the finding is new (the baseline reads the deleted file at base).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';

const MAIN = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n';
const PAB = `resource "aws_s3_bucket_public_access_block" "b" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;
const VERSIONING = 'resource "aws_s3_bucket_versioning" "b" {\n  bucket = aws_s3_bucket.b.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n';

const newPabFindings = (findings: { ruleId: string; preExisting?: boolean; resource: string }[]) =>
  findings.filter((f) => f.ruleId === 'aws/s3-public-access-block' && !f.preExisting).map((f) => f.resource);

describe('a removed protection in another file', () => {
  it('deleting the file that held the bucket’s public access block', async () => {
    const result = await review({
      files: [],
      removed: [{ path: 'infra/pab.tf', baseText: PAB }],
      config: DEFAULT_CONFIG,
      reader: memoryReader({ 'infra/main.tf': MAIN }),
    });
    expect(newPabFindings(result.findings)).toEqual(['aws_s3_bucket.b']);
  });

  it('cutting the block from a file that keeps other blocks', async () => {
    const base = PAB + '\n' + VERSIONING;
    const lines = PAB.split('\n').length; // the block and the blank line after it
    const patch = `@@ -1,${lines} +0,0 @@\n${(PAB + '\n').split('\n').slice(0, lines).map((l) => `-${l}`).join('\n')}\n`;
    const result = await review({
      files: [{ path: 'infra/satellites.tf', headText: VERSIONING, baseText: base, patch }],
      config: DEFAULT_CONFIG,
      reader: memoryReader({ 'infra/main.tf': MAIN, 'infra/satellites.tf': VERSIONING }),
    });
    expect(newPabFindings(result.findings)).toEqual(['aws_s3_bucket.b']);
  });

  it('a block moved to another file of the module leaves the bucket protected', async () => {
    const result = await review({
      files: [{ path: 'infra/moved.tf', headText: PAB, baseText: null, patch: `@@ -0,0 +1,7 @@\n${PAB.replace(/\n$/, '').split('\n').map((l) => `+${l}`).join('\n')}\n` }],
      removed: [{ path: 'infra/pab.tf', baseText: PAB }],
      config: DEFAULT_CONFIG,
      reader: memoryReader({ 'infra/main.tf': MAIN, 'infra/moved.tf': PAB }),
    });
    expect(newPabFindings(result.findings)).toEqual([]);
  });
});
