// A change to a `data` block alone changes the resources that read it: a policy document made wildcard in its
// data block is a finding on the policy that uses it, in the same file or another file of the module.
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { closeSharedPool } from '../../src/worker/pool.js';
import { RULES } from '../../rules/index.js';
import { githubPatch } from '../app/fake-github.js';

afterAll(() => closeSharedPool());

const DOCUMENT = (actions: string) => `data "aws_iam_policy_document" "reader" {
  statement {
    actions   = [${actions}]
    resources = ["arn:aws:s3:::models/*"]
  }
}

data "aws_iam_policy_document" "unused" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::logs/*"]
  }
}
`;
const POLICY = `resource "aws_iam_policy" "reader" {
  name   = "model-reader"
  policy = data.aws_iam_policy_document.reader.json
}
`;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const wildcards = (findings: { ruleId: string; resource: string }[]) => findings.filter((f) => f.ruleId === 'aws/iam-wildcard-action').map((f) => f.resource);

describe('a resource reads the data blocks it references', () => {
  it('in one file: a change inside the data block reviews the policy that reads it, a change to another data block does not', async () => {
    const text = `${DOCUMENT('"s3:*"')}\n${POLICY}`;
    const scan = (line: number) => scanFiles([{ path: 'iam/main.tf', text, changed: new Set([line]) }], { config: DEFAULT_CONFIG, rules: RULES });
    expect(wildcards((await scan(lineOf(text, '"s3:*"'))).findings)).toEqual(['aws_iam_policy.reader']);
    expect(wildcards((await scan(lineOf(text, 'logs/*'))).findings)).toEqual([]);
  });

  it('across files of one module, through review() and the worker pool: the finding is new and gates', async () => {
    const base = DOCUMENT('"s3:GetObject"');
    const head = DOCUMENT('"s3:*"');
    // Another module has a data block of the same name, untouched (its wildcard was there before), read by a
    // policy in a file whose change is elsewhere: that policy is not reviewed as changed.
    const otherData = DOCUMENT('"s3:*"');
    const otherDataHead = otherData.replace('logs/*', 'logs/v2/*');
    const bucket = (name: string) => `\nresource "aws_s3_bucket" "logs" {\n  bucket = "${name}"\n}\n`;
    const file = (path: string, before: string, after: string) => ({ path, headText: after, baseText: before, patch: githubPatch(before, after) });
    const result = await review({
      files: [
        file('iam/data.tf', base, head),
        file('iam/policy.tf', POLICY + bucket('a'), POLICY + bucket('b')),
        file('other/data.tf', otherData, otherDataHead),
        file('other/policy.tf', POLICY + bucket('a'), POLICY + bucket('b')),
      ],
      config: DEFAULT_CONFIG,
    });
    const found = result.findings.filter((f) => f.ruleId === 'aws/iam-wildcard-action');
    expect(found.map((f) => [f.file, f.resource, f.preExisting])).toEqual([['iam/policy.tf', 'aws_iam_policy.reader', false]]);
    expect(result.gating.map((f) => f.ruleId)).toContain('aws/iam-wildcard-action');
  });

  it('a change to the data block alone: the module\'s other files are read from the repository, and only what reads it is reported', async () => {
    const base = DOCUMENT('"s3:GetObject"');
    const head = DOCUMENT('"s3:*"');
    const repository = {
      'iam/data.tf': head,
      'iam/policy.tf': POLICY,
      // Unchanged files of the module are context: a broken one adds no parse error, a bucket in one no finding.
      'iam/broken.tf': 'resource "aws_s3_bucket" "x" {\n',
      'iam/bucket.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n',
      'other/policy.tf': POLICY,
    };
    const files = [{ path: 'iam/data.tf', headText: head, baseText: base, patch: githubPatch(base, head) }];
    const result = await review({ files, config: DEFAULT_CONFIG, reader: memoryReader(repository) });
    expect(result.findings.map((f) => [f.file, f.ruleId, f.preExisting])).toEqual([['iam/policy.tf', 'aws/iam-wildcard-action', false]]);
    expect([result.errors, result.notes, result.stats.files]).toEqual([[], [], 1]);
    // Without the repository, the policy is not known.
    expect(wildcards((await review({ files, config: DEFAULT_CONFIG })).findings)).toEqual([]);
    // A change to another data block of the module reviews nothing that does not read it.
    const before = head.replace('logs/*', 'logs/v1/*');
    const other = await review({ files: [{ path: 'iam/data.tf', headText: head, baseText: before, patch: githubPatch(before, head) }], config: DEFAULT_CONFIG, reader: memoryReader(repository) });
    expect(other.findings).toEqual([]);
  });

  it('a module whose other files cannot be listed or read stops the review rather than pass it without them', async () => {
    const base = DOCUMENT('"s3:GetObject"');
    const head = DOCUMENT('"s3:*"');
    const files = [{ path: 'iam/data.tf', headText: head, baseText: base, patch: githubPatch(base, head) }];
    const repository = memoryReader({ 'iam/data.tf': head, 'iam/policy.tf': POLICY });
    const unlisted = { ...repository, paths: async () => Promise.reject(new Error('HTTP 502')) };
    await expect(review({ files, config: DEFAULT_CONFIG, reader: unlisted })).rejects.toThrow('HTTP 502');
    const unread = { ...repository, read: async (path: string) => (path === 'iam/policy.tf' ? Promise.reject(new Error('HTTP 504')) : repository.read(path)) };
    await expect(review({ files, config: DEFAULT_CONFIG, reader: unread })).rejects.toThrow('HTTP 504');
  });
});

describe('what a data block or a local reads passes the change on to the resources reading them', () => {
  const TRUST = (identifiers: string) => `data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ${identifiers}
    }
  }
}
`;
  const ROLE = (policy: string) => `resource "aws_iam_role" "serving" {
  name               = "serving"
  assume_role_policy = ${policy}
}
`;
  const VARIABLES = (principals: string) => `variable "principals" {
  type    = list(string)
  default = ${principals}
}

variable "unrelated" {
  default = "a"
}
`;
  const anyPrincipal = (findings: { ruleId: string; resource: string; preExisting?: boolean }[]) =>
    findings.filter((f) => f.ruleId === 'aws/iam-assume-role-any-principal').map((f) => [f.resource, f.preExisting ?? false]);

  it('in one file: a variable\'s default read by the data block reviews the role that reads the data block', async () => {
    const text = `${VARIABLES('["*"]')}\n${TRUST('var.principals')}\n${ROLE('data.aws_iam_policy_document.trust.json')}`;
    const scan = (line: number) => scanFiles([{ path: 'iam/main.tf', text, changed: new Set([line]) }], { config: DEFAULT_CONFIG, rules: RULES });
    expect(anyPrincipal((await scan(lineOf(text, '["*"]'))).findings)).toEqual([['aws_iam_role.serving', false]]);
    expect(anyPrincipal((await scan(lineOf(text, '"a"'))).findings)).toEqual([]);
  });

  const changedAlone = async (files: Record<string, string>, path: string, before: string) => {
    const head = files[path]!;
    return review({ files: [{ path, headText: head, baseText: before, patch: githubPatch(before, head) }], config: DEFAULT_CONFIG, reader: memoryReader(files) });
  };

  it('across files, the others unchanged: a default, through a data block, through a data block that includes it, through a local', async () => {
    const variables = VARIABLES('["*"]');
    const before = VARIABLES('["arn:aws:iam::123456789012:role/ml"]');
    const direct = { 'iam/variables.tf': variables, 'iam/trust.tf': TRUST('var.principals'), 'iam/role.tf': ROLE('data.aws_iam_policy_document.trust.json') };
    const result = await changedAlone(direct, 'iam/variables.tf', before);
    expect(anyPrincipal(result.findings)).toEqual([['aws_iam_role.serving', false]]);
    expect(result.gating.map((f) => f.ruleId)).toContain('aws/iam-assume-role-any-principal');
    // The same default changed in another module reviews nothing here.
    expect(anyPrincipal((await changedAlone({ ...direct, 'other/variables.tf': variables }, 'other/variables.tf', before)).findings)).toEqual([]);

    const combined = `data "aws_iam_policy_document" "combined" {\n  source_policy_documents = [data.aws_iam_policy_document.trust.json]\n}\n`;
    const throughTwo = { ...direct, 'iam/combined.tf': combined, 'iam/role.tf': ROLE('data.aws_iam_policy_document.combined.json') };
    expect(anyPrincipal((await changedAlone(throughTwo, 'iam/variables.tf', before)).findings)).toEqual([['aws_iam_role.serving', false]]);

    const throughLocal = { ...direct, 'iam/locals.tf': 'locals {\n  trust = data.aws_iam_policy_document.trust.json\n}\n', 'iam/role.tf': ROLE('local.trust') };
    expect(anyPrincipal((await changedAlone(throughLocal, 'iam/variables.tf', before)).findings)).toEqual([['aws_iam_role.serving', false]]);
  });

  it('a definitions file\'s assignment, read by the data block', async () => {
    const files = { 'iam/variables.tf': VARIABLES('[]'), 'iam/terraform.tfvars': 'principals = ["*"]\n', 'iam/trust.tf': TRUST('var.principals'), 'iam/role.tf': ROLE('data.aws_iam_policy_document.trust.json') };
    const result = await changedAlone(files, 'iam/terraform.tfvars', 'principals = ["arn:aws:iam::123456789012:role/ml"]\n');
    expect(anyPrincipal(result.findings)).toEqual([['aws_iam_role.serving', false]]);
  });
});
