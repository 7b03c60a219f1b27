// The App on a Terragrunt layout: a unit (`live/prod/bucket/terragrunt.hcl`) deploys a local module with its inputs,
// merged under those of the `root.hcl` it includes. A pull request that makes the bucket public through the unit's
// inputs is commented on that input; one that changes only the included `root.hcl` is judged in the unit, and commented
// on the line of root.hcl that set the input.
import nock from 'nock';
import { afterEach, expect, test } from 'vitest';
import { RULES } from '../../rules/index.js';
import { FakeGitHub } from './fake-github.js';
import { fakeState, makeProbot, pullRequestEvent, serveWithNock } from './helpers.js';

let fake: FakeGitHub;
afterEach(() => {
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

const UNIT = 'live/prod/bucket/terragrunt.hcl';
const unit = (acl: string) => `include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\nterraform {\n  source = "../../../modules//bucket"\n}\n\ninputs = {\n  acl = "${acl}"\n}\n`;
const root = (tags: string) => `inputs = {\n  tags = { team = "${tags}" }\n}\n`;
const module = 'variable "acl" {\n  default = "private"\n}\nvariable "tags" {\n  default = {}\n}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n';
const summaryOf = (body: Record<string, unknown> | undefined) => (body?.output as { summary: string }).summary;
const commentsOf = (review: Record<string, unknown> | undefined) => (review?.comments ?? []) as { path: string; line: number; body: string }[];

test("a pull request that makes a bucket public through a unit's inputs: an inline comment on the input line, and a failing check", async () => {
  fake = new FakeGitHub(fakeState({ files: [{ path: UNIT, base: unit('private'), head: unit('public-read') }], unchanged: [{ path: 'live/root.hcl', text: root('ml') }, { path: 'modules/bucket/main.tf', text: module }] }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));

  expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above high' } });
  expect(fake.reviews).toHaveLength(1);
  const comments = commentsOf(fake.reviews[0]);
  expect(comments.map((c) => `${c.path}:${c.line} ${/`(aws\/[a-z0-9-]+)`/.exec(c.body)?.[1]}`)).toEqual([`${UNIT}:10 aws/s3-public-acl`]);
  expect(summaryOf(fake.checkRun)).not.toContain('warden/not-reviewed');
});

test("the module folder's own terraform.tfvars wins over the unit's inputs (they are TF_VAR_ variables): a public input it overrides passes", async () => {
  const unchanged = [{ path: 'live/root.hcl', text: root('ml') }, { path: 'modules/bucket/main.tf', text: module }, { path: 'modules/bucket/terraform.tfvars', text: 'acl = "private"\n' }];
  fake = new FakeGitHub(fakeState({ files: [{ path: UNIT, base: unit('private'), head: unit('public-read') }], unchanged }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));

  expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
  expect(fake.reviews.flatMap(commentsOf)).toEqual([]);
});

test('a pull request that changes only the root.hcl units include: judged in the unit, an input it opens a bucket with commented at its line there', async () => {
  const rootWith = (acl: string) => `inputs = {\n  tags = { team = "ml" }\n  acl  = "${acl}"\n}\n`;
  const unchanged = [{ path: UNIT, text: 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\nterraform {\n  source = "../../../modules//bucket"\n}\n' }, { path: 'modules/bucket/main.tf', text: module }];
  fake = new FakeGitHub(fakeState({ files: [{ path: 'live/root.hcl', base: rootWith('private'), head: rootWith('public-read') }], unchanged }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));

  expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above high' } });
  const comments = commentsOf(fake.reviews[0]);
  expect(comments.map((c) => `${c.path}:${c.line} ${/`(aws\/[a-z0-9-]+)`/.exec(c.body)?.[1]}`)).toEqual(['live/root.hcl:3 aws/s3-public-acl']);
  expect(summaryOf(fake.checkRun)).not.toContain('warden/not-reviewed');
});

test('a pull request that changes only the root.hcl units include, to nothing they deploy insecurely: the check passes', async () => {
  fake = new FakeGitHub(fakeState({ files: [{ path: 'live/root.hcl', base: root('ml'), head: root('platform') }], unchanged: [{ path: UNIT, text: unit('private') }, { path: 'modules/bucket/main.tf', text: module }] }));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));

  expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
  expect(fake.reviews.flatMap(commentsOf)).toEqual([]);
});
