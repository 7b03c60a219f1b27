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
