// The module around a changed Terraform file, read from the repository (src/module-context.ts).
import { expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config.js';
import { memoryReader } from '../src/engine/repository-index.js';
import { MAX_MODULE_SIBLINGS } from '../src/module-context.js';
import { review } from '../src/review.js';

const BUCKET = 'resource "aws_s3_bucket_acl" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n';

it('reads a changed file’s variables from the other files of its module; past the bound, says which were not read', async () => {
  const change = [{ path: 'infra/acl.tf', headText: BUCKET, baseText: '', patch: '@@ -0,0 +1,4 @@\n+resource "aws_s3_bucket_acl" "models" {\n+  bucket = "models"\n+  acl    = var.acl\n+}\n' }];
  const variables = { 'infra/variables.tf': 'variable "acl" {\n  default = "public-read"\n}\n' };
  const read = await review({ files: change, config: DEFAULT_CONFIG, reader: memoryReader({ ...variables, 'infra/acl.tf': BUCKET }) });
  expect(read.findings.map((f) => f.ruleId)).toContain('aws/s3-public-acl');
  expect(read.notes).toEqual([]);
  // A module of more files than are read: the ones past the bound (here the variables, last in order) are named.
  const crowded: Record<string, string> = { ...variables, 'infra/acl.tf': BUCKET };
  for (let i = 0; i < MAX_MODULE_SIBLINGS; i++) crowded[`infra/a${String(i).padStart(3, '0')}.tf`] = `locals {\n  n${i} = ${i}\n}\n`;
  const cut = await review({ files: change, config: DEFAULT_CONFIG, reader: memoryReader(crowded) });
  expect(cut.findings.map((f) => f.ruleId)).not.toContain('aws/s3-public-acl');
  expect(cut.notes).toEqual([{ file: 'infra/variables.tf', message: expect.stringContaining(`more than ${MAX_MODULE_SIBLINGS} other Terraform files in the modules of the changed files: 1 not read`) }]);
});
