// The App's review (in the worker pool) judges Terraform as `scanFiles` does: the cross-resource rules see the
// resources they look up with variables and locals filled in, never as written.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../../src/engine/repository-index.js';
import { scanFiles } from '../../src/engine/run.js';
import { review } from '../../src/review.js';
import { RULES } from '../../rules/index.js';

/** A pull request that adds these files (every line changed). */
function added(files: Record<string, string>) {
  return Object.entries(files).map(([path, text]) => {
    const lines = text.replace(/\n$/, '').split('\n');
    return { path, headText: text, baseText: null, patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n` };
  });
}

/** The review's rules, without and with the repository index (which holds the same files, parsed each alone). */
async function reviewed(files: Record<string, string>): Promise<string[]> {
  const reader = memoryReader(files);
  const plain = await review({ files: added(files), config: DEFAULT_CONFIG, reader });
  const repository = await buildRepositoryIndex(reader, DEFAULT_CONFIG);
  const indexed = await review({ files: added(files), config: DEFAULT_CONFIG, reader, repository });
  const ids = (found: { ruleId: string }[]) => [...new Set(found.map((f) => f.ruleId))].sort();
  expect(ids(indexed.findings)).toEqual(ids(plain.findings));
  return plain.findings.map((f) => f.ruleId);
}

async function scanned(files: Record<string, string>): Promise<string[]> {
  const result = await scanFiles(Object.entries(files).map(([path, text]) => ({ path, text })), { config: DEFAULT_CONFIG, rules: RULES });
  return result.findings.map((f) => f.ruleId);
}

const policyFor = (principals: string, extra = '') => `
data "aws_iam_policy_document" "pub" {
  statement {
    principals {
      type        = "AWS"
      identifiers = ${principals}
    }
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

resource "aws_s3_bucket_policy" "p" {
  bucket = "x"
  policy = data.aws_iam_policy_document.pub.json
}
${extra}`;

describe('cross-resource rules in the review see evaluated Terraform', () => {
  it('a policy document whose principals are a variable’s default', async () => {
    const files = { 'infra/main.tf': `variable "who" {\n  default = ["*"]\n}\n${policyFor('var.who')}` };
    expect(await scanned(files)).toContain('aws/s3-policy-public');
    expect(await reviewed(files)).toContain('aws/s3-policy-public');
  });

  it('a policy document written without expressions that an override file of the module opens', async () => {
    const files = {
      'infra/main.tf': policyFor('["arn:aws:iam::123456789012:root"]'),
      'infra/main_override.tf': 'data "aws_iam_policy_document" "pub" {\n  statement {\n    principals {\n      type        = "AWS"\n      identifiers = ["*"]\n    }\n    actions   = ["s3:GetObject"]\n    resources = ["*"]\n  }\n}\n',
    };
    expect(await scanned(files)).toContain('aws/s3-policy-public');
    expect(await reviewed(files)).toContain('aws/s3-policy-public');
  });

  it('a policy document whose principals are a local, in another file of the module', async () => {
    const files = { 'infra/main.tf': policyFor('[local.anyone]'), 'infra/locals.tf': 'locals {\n  anyone = "*"\n}\n' };
    expect(await scanned(files)).toContain('aws/s3-policy-public');
    expect(await reviewed(files)).toContain('aws/s3-policy-public');
  });

  it('an assume-role document trusting a variable’s "*"', async () => {
    const files = {
      'infra/main.tf': `variable "who" {\n  default = ["*"]\n}\n
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = var.who
    }
  }
}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`,
    };
    expect(await scanned(files)).toContain('aws/iam-assume-role-any-principal');
    expect(await reviewed(files)).toContain('aws/iam-assume-role-any-principal');
  });

  it('a policy document whose action is a variable’s "*"', async () => {
    const files = {
      'infra/main.tf': `variable "act" {\n  default = "*"\n}\n
data "aws_iam_policy_document" "d" {
  statement {
    actions   = [var.act]
    resources = ["arn:aws:s3:::models/*"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
`,
    };
    expect(await scanned(files)).toContain('aws/iam-wildcard-action');
    expect(await reviewed(files)).toContain('aws/iam-wildcard-action');
  });

  it('an account public access block turned off by a variable covers no bucket', async () => {
    const files = {
      'infra/main.tf': `variable "block" {\n  default = false\n}\n
resource "aws_s3_account_public_access_block" "all" {
  block_public_acls       = var.block
  block_public_policy     = var.block
  ignore_public_acls      = var.block
  restrict_public_buckets = var.block
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}
`,
    };
    expect(await scanned(files)).toContain('aws/s3-public-access-block');
    expect(await reviewed(files)).toContain('aws/s3-public-access-block');
  });
});
