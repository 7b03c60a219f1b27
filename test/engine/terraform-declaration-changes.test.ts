// A change to a variable's `default` or to a local changes every resource of the module that reads it: reviewed,
// though the resource's own lines did not change.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { scanFiles } from '../../src/engine/run.js';
import { review } from '../../src/review.js';
import { RULES } from '../../rules/index.js';

/** A one-line edit of `path` (line `line`, from `before` to `after`), the rest of the repository unchanged. */
function edit(path: string, base: string, line: number, after: string) {
  const lines = base.split('\n');
  const before = lines[line - 1]!;
  lines[line - 1] = after;
  const head = lines.join('\n');
  return { path, headText: head, baseText: base, patch: `@@ -${line},1 +${line},1 @@\n-${before}\n+${after}\n` };
}

async function reviewEdit(repository: Record<string, string>, change: ReturnType<typeof edit>) {
  const files = { ...repository, [change.path]: change.headText };
  const result = await review({ files: [change], config: DEFAULT_CONFIG, reader: memoryReader(files) });
  return result.findings.filter((f) => f.ruleId === 'aws/s3-public-acl');
}

const ACL = 'resource "aws_s3_bucket_acl" "b" {\n  bucket = "x"\n  acl    = var.acl\n}\n';
const VARIABLES = 'variable "acl" {\n  type    = string\n  default = "private"\n}\n';

describe('a changed default or local reviews what reads it', () => {
  it('a variable’s default made public-read', async () => {
    const found = await reviewEdit({ 'infra/main.tf': ACL, 'infra/variables.tf': VARIABLES }, edit('infra/variables.tf', VARIABLES, 3, '  default = "public-read"'));
    expect(found).toHaveLength(1);
    expect(found[0]!.preExisting).toBe(false);
    // Reported where the person edited, with the fix there.
    expect([found[0]!.file, found[0]!.line]).toEqual(['infra/variables.tf', 3]);
    expect(found[0]!.fix?.edits).toEqual([{ file: 'infra/variables.tf', startLine: 3, endLine: 3, replacement: '  default = "private"' }]);
  });

  it('a local made public-read, in another file than the resource', async () => {
    const locals = 'locals {\n  acl = "private"\n}\n';
    const main = ACL.replace('var.acl', 'local.acl');
    const found = await reviewEdit({ 'infra/main.tf': main, 'infra/locals.tf': locals }, edit('infra/locals.tf', locals, 2, '  acl = "public-read"'));
    expect(found).toHaveLength(1);
    expect([found[0]!.file, found[0]!.line]).toEqual(['infra/locals.tf', 2]);
  });

  it('a local read through another local, from a variable', async () => {
    const locals = 'locals {\n  base = "private"\n  acl  = local.base\n}\n';
    const main = ACL.replace('var.acl', 'local.acl');
    const found = await reviewEdit({ 'infra/main.tf': main, 'infra/locals.tf': locals }, edit('infra/locals.tf', locals, 2, '  base = "public-read"'));
    // `local.acl` is an expression, not the line changed: reported on the resource (in the check run).
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual(['infra/main.tf:3']);
  });

  it('a local module’s default', async () => {
    const repository = {
      'infra/main.tf': 'module "store" {\n  source = "./modules/store"\n}\n',
      'infra/modules/store/main.tf': ACL,
      'infra/modules/store/variables.tf': VARIABLES,
    };
    const found = await reviewEdit(repository, edit('infra/modules/store/variables.tf', VARIABLES, 3, '  default = "public-read"'));
    expect(found).toHaveLength(1);
  });

  it('a change elsewhere in the module leaves the resource unchanged', async () => {
    // The public default was there before: editing another variable's makes nothing new.
    const variables = `${VARIABLES.replace('"private"', '"public-read"')}variable "other" {\n  default = "a"\n}\n`;
    const found = await reviewEdit({ 'infra/main.tf': ACL, 'infra/variables.tf': variables }, edit('infra/variables.tf', variables, 6, '  default = "b"'));
    expect(found.filter((f) => !f.preExisting)).toEqual([]);
  });

  it('scanFiles with a change set agrees', async () => {
    const head = VARIABLES.replace('"private"', '"public-read"');
    const result = await scanFiles(
      [
        { path: 'infra/main.tf', text: ACL, changed: new Set() },
        { path: 'infra/variables.tf', text: head, changed: new Set([3]) },
      ],
      { config: DEFAULT_CONFIG, rules: RULES },
    );
    expect(result.findings.map((f) => f.ruleId)).toContain('aws/s3-public-acl');
  });
});
