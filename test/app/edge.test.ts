// Forks, big files, missing patches, config (invalid, excluded paths, severities, review event), GitHub errors,
// pull requests with no IaC, removed / renamed / binary files, the baseline.
import nock from 'nock';
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import { patchLines } from '../../src/diff.js';
import { defineRule } from '../../src/engine/define-rule.js';
import { fieldIs } from '../../src/engine/shapes.js';
import { planReview } from '../../src/github/comments.js';
import { RERUN_HINT } from '../../src/github/check-run.js';
import { review } from '../../src/review.js';
import { buildRepositoryIndex } from '../../src/engine/repository-index.js';
import { indexRepository } from '../../src/index-repository.js';
import { FakeGitHub, type FakeState } from './fake-github.js';
import { applyPostedSuggestion, fakeState, HEAD, ON_MASTER, makeProbot, pullRequestEvent, serveWithNock, suggestionOf } from './helpers.js';
import { deployment, HARDENED, twoContainers } from './manifests.js';
import { runAsNonRoot, TEST_RULES } from './rules.js';
import { RULES } from '../../rules/index.js';
import { tarGz } from '../render/tar-gz.js';

let fake: FakeGitHub;
function github(state: Partial<FakeState>) {
  fake = new FakeGitHub(fakeState(state));
  serveWithNock(fake);
  return fake;
}

afterEach(() => {
  if (fake) {
    expect(fake.schemaErrors).toEqual([]);
    expect(fake.unexpected).toEqual([]);
  }
  nock.cleanAll();
});

const summaryOf = (body: Record<string, unknown> | undefined) => (body?.output as { summary: string }).summary;

describe('reading the pull request', () => {
  test('a change to an IAM data block alone: the policy in an unchanged file of the module is read from the head tree and gates', async () => {
    const document = (action: string) => `data "aws_iam_policy_document" "reader" {\n  statement {\n    actions   = ["${action}"]\n    resources = ["arn:aws:s3:::models/*"]\n  }\n}\n`;
    github({
      files: [{ path: 'iam/data.tf', base: document('s3:GetObject'), head: document('s3:*') }],
      unchanged: [{ path: 'iam/policy.tf', text: 'resource "aws_iam_policy" "reader" {\n  name   = "reader"\n  policy = data.aws_iam_policy_document.reader.json\n}\n' }],
    });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    // Its line is not in the diff: the finding is in the check run, which it fails.
    expect(fake.reviews).toEqual([]);
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above high' } });
    expect(summaryOf(fake.checkRun)).toContain('| **gates** | high | `iam/policy.tf:3` |');
    expect(summaryOf(fake.checkRun)).toContain('1 file, 1 resource reviewed');
  });

  test('a change to terraform.tfvars alone: the module is read from the head tree, the finding is a suggestion at the assignment', async () => {
    const tfvars = (acl: string) => `region = "eu-west-1"\nacl    = "${acl}"\n`;
    github({
      files: [{ path: 'infra/terraform.tfvars', base: tfvars('private'), head: tfvars('public-read') }],
      unchanged: [
        { path: 'infra/variables.tf', text: 'variable "acl" {\n  default = "private"\n}\n' },
        { path: 'infra/main.tf', text: 'resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n' },
      ],
    });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    const comments = fake.reviews.flatMap((r) => (r.comments as { path: string; line: number; body: string }[]) ?? []);
    const acl = comments.filter((c) => c.body.includes('aws/s3-public-acl'));
    expect(acl.map((c) => [c.path, c.line])).toEqual([['infra/terraform.tfvars', 2]]);
    expect(suggestionOf(acl[0]!.body)).toEqual(['acl    = "private"']);
  });

  test('a pull request that only deletes terraform.tfvars: the module is read from the head tree, the default it falls back to gates', async () => {
    github({
      files: [{ path: 'infra/terraform.tfvars', base: 'region = "eu-west-1"\nacl    = "private"\n', status: 'removed' }],
      unchanged: [
        { path: 'infra/variables.tf', text: 'variable "acl" {\n  default = "public-read"\n}\n' },
        { path: 'infra/main.tf', text: 'resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n' },
      ],
    });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    // Its line is not in the diff: the finding is in the check run, which it fails.
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above high' } });
    expect(summaryOf(fake.checkRun)).toContain('| **gates** | critical | `infra/main.tf:3` |');
  });

  test("a new OpenTofu file: reviewed with its module's `.tf` files read from the head tree, the finding is a comment on it", async () => {
    github({
      files: [{ path: 'infra/main.tofu', head: 'resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n' }],
      unchanged: [{ path: 'infra/variables.tf', text: 'variable "acl" {\n  default = "public-read"\n}\n' }],
    });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    const comments = fake.reviews.flatMap((r) => (r.comments as { path: string; line: number; body: string }[]) ?? []);
    expect(comments.filter((c) => c.body.includes('aws/s3-public-acl')).map((c) => [c.path, c.line])).toEqual([['infra/main.tofu', 3]]);
  });

  test('a changed call of a local module: the module folder is read from the head tree, the finding is at the caller\'s argument', async () => {
    const caller = (acl: string) => `module "models" {\n  source = "../modules/bucket"\n  acl    = "${acl}"\n}\n`;
    github({
      files: [{ path: 'infra/main.tf', base: caller('private'), head: caller('public-read') }],
      unchanged: [{ path: 'modules/bucket/main.tf', text: 'variable "acl" {\n  default = "private"\n}\n\nresource "aws_s3_bucket" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n' }],
    });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    const comments = fake.reviews.flatMap((r) => (r.comments as { path: string; line: number; body: string }[]) ?? []);
    const acl = comments.filter((c) => c.body.includes('aws/s3-public-acl'));
    expect(acl.map((c) => [c.path, c.line])).toEqual([['infra/main.tf', 3]]);
    expect(suggestionOf(acl[0]!.body)).toEqual(['  acl    = "private"']);
  });

  test('a fork: every read goes to the base repository through the git blob API, including a file over 1 MB', async () => {
    // A ConfigMap of 1.2 MB beside the Deployment: the contents API would refuse it, the blob API does not.
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vocab\n  namespace: models\ndata:\n  vocab.txt: "${'a'.repeat(1_200_000)}"\n`;
    github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }, { path: 'k8s/vocab.yaml', head: big }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened', { fork: true }));
    const reads = fake.requests.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(reads.every((p) => p.startsWith('/repos/Codertocat/'))).toBe(true);
    expect(fake.blobQueries.map((q) => (q.body as { variables: { owner: string; name: string } }).variables)).toEqual([expect.objectContaining({ owner: 'Codertocat', name: 'Hello-World' })]);
    // Both blobs in one query; the one over GraphQL's inline text size read again through the REST blob API.
    expect(fake.blobsAsked).toBe(3);
    expect(fake.count('GET', /\/git\/blobs\//)).toBe(1);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).toContain('2 files, 2 resources reviewed');
  });

  test('a file whose patch GitHub omitted is reviewed whole and reported in the check run only', async () => {
    github({ files: [{ path: 'k8s/triton.yaml', head: deployment(), omitPatch: true }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.reviews).toEqual([]);
    const check = fake.checkRun;
    expect(check).toMatchObject({ conclusion: 'failure', output: { title: '2 findings at or above high' } });
    const summary = summaryOf(check);
    expect(summary).toContain('| **gates** | critical | `k8s/triton.yaml:14` | [`k8s/privileged`]');
    expect(summary).toContain('_(not commented inline)_');
    expect(summary).toContain('- `k8s/triton.yaml`: GitHub sent no patch for this file (diff too large): reviewed whole, findings reported in the check run only');
    expect((check.output as { annotations: unknown[] }).annotations).toHaveLength(3);
  });

  test('removed files are ignored, renamed ones followed to their base (pre-existing), binary ones skipped with a note', async () => {
    const old = deployment();
    github({
      files: [
        { path: 'k8s/old.yaml', status: 'removed', base: deployment('old') },
        { path: 'serving/triton.yaml', status: 'renamed', previous: 'k8s/triton.yaml', base: old, head: old },
        { path: 'k8s/blob.yaml', head: Buffer.from([0x61, 0x00, 0x62, 0x0a]) },
      ],
    });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.reviews).toEqual([]);
    // One blob for the renamed file (same content at base and head) and one for the binary file, in one query;
    // none for the removed one. GraphQL says the binary one is binary: read through REST to be sure.
    expect(fake.blobQueries).toHaveLength(1);
    expect(fake.blobsAsked).toBe(3);
    expect(fake.count('GET', /\/git\/blobs\//)).toBe(1);
    const check = fake.checkRun;
    // A changed file Warden cannot read fails closed: one warden/not-reviewed finding, with the reason.
    expect(check).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above high' } });
    expect(summaryOf(check)).toContain('| `k8s/blob.yaml` | 1 | Warden could not review this file, so nothing in it was checked: binary content');
  });

  test('a file renamed into a folder an Argo CD Application deploys, from one none does, is deployed anew: every finding new', async () => {
    const application = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: serving\n  namespace: argocd\nspec:\n  source:\n    repoURL: https://github.com/Codertocat/Hello-World\n    path: k8s\n  destination:\n    namespace: models\n';
    const privileged = deployment();
    const moved = (from: string) => {
      github({ files: [{ path: 'k8s/debug.yaml', status: 'renamed', previous: from, base: privileged, head: privileged }], unchanged: [{ path: 'apps/serving.yaml', text: application }] });
    };
    moved('examples/debug.yaml');
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).toContain('deployed anew by Application `serving` in `apps/serving.yaml`, which deploys its folder, where this change moves it from `examples/debug.yaml`');
    // Moved within what the same Application deploys: its findings stay pre-existing.
    nock.cleanAll();
    moved('k8s/debug-old.yaml');
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
    // Into a folder an ApplicationSet's git directory generator makes an Application of: deployed anew too.
    nock.cleanAll();
    const set = 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: apps\n  namespace: argocd\nspec:\n  generators:\n  - git:\n      repoURL: https://github.com/Codertocat/Hello-World\n      revision: HEAD\n      directories:\n      - path: apps/*\n  template:\n    metadata:\n      name: \'{{path.basename}}\'\n    spec:\n      source:\n        repoURL: https://github.com/Codertocat/Hello-World\n        path: \'{{path}}\'\n      destination:\n        namespace: models\n';
    github({ files: [{ path: 'apps/debug/pod.yaml', status: 'renamed', previous: 'examples/debug.yaml', base: privileged, head: privileged }], unchanged: [{ path: 'apps/set.yaml', text: set }] });
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).toContain('deployed anew by ApplicationSet `apps` in `apps/set.yaml`');
  });

  test('a pull request that only deletes a namespace\'s default-deny policy is reviewed: the lost policy is listed, not annotated', async () => {
    const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\n  namespace: models\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n';
    github({
      files: [{ path: 'k8s/deny.yaml', status: 'removed', base: deny }],
      unchanged: [{ path: 'k8s/triton.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: triton\n  namespace: models\n' }],
      config: 'gate: medium\n',
    });
    const probot = await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => buildRepositoryIndex(reader, config) });
    await probot.receive(pullRequestEvent('opened'));
    const check = fake.checkRun;
    // Not "no Kubernetes changes": the deletion opens `models`, and at `gate: medium` that fails the check.
    expect(check).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above medium' } });
    expect(summaryOf(check)).toContain('This change deletes `k8s/deny.yaml`, and with it NetworkPolicy `default-deny-all`, which made `models` default-deny');
    // Its base text came from the patch: the one blob read is the unchanged file, for the repository index.
    expect(fake.blobsAsked).toBe(1);
    expect((check.output as { annotations?: { path: string }[] }).annotations ?? []).toEqual([]);
    expect(fake.reviews).toEqual([]);
  });

  test.each([
    ['to a name Warden does not read', 'k8s/deny.yaml.off', ''],
    ['into a folder the config excludes', 'archive/deny.yaml', 'paths:\n  exclude: ["archive/**"]\n'],
  ])('a policy renamed %s is gone from what Warden reviews: what it took away is reviewed as for a deleted file', async (_how, renamed, paths) => {
    const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\n  namespace: models\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n';
    github({
      files: [{ path: renamed, status: 'renamed', previous: 'k8s/deny.yaml', base: deny, head: deny }],
      unchanged: [{ path: 'k8s/triton.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: triton\n  namespace: models\n' }],
      config: `gate: medium\n${paths}`,
    });
    const probot = await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => buildRepositoryIndex(reader, config) });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above medium' } });
    expect(summaryOf(fake.checkRun)).toContain('This change deletes `k8s/deny.yaml`, and with it NetworkPolicy `default-deny-all`');
  });

  test('a symbolic link is followed to its target: one to a file Warden reviews deploys it anew, and it is reviewed whole there; one to anything else is not reviewed', async () => {
    const privileged = deployment().replace('containers:', 'containers:').replace(/image: (.*)\n/, 'image: $1\n        securityContext:\n          privileged: true\n');
    github({
      files: [
        // kubectl apply -f k8s/ deploys what these point to.
        { path: 'k8s/shadow.yaml', head: '../docs/example.txt', link: true },
        { path: 'k8s/outside.yaml', head: '../../etc/manifest.yaml', link: true },
        { path: 'k8s/shared.yaml', head: '../base/triton.yaml', link: true },
        // A target with a newline and a colon does not pass for a file of one YAML line.
        { path: 'k8s/folded.yaml', head: '../docs/a\nkind: x.txt', link: true },
      ],
      unchanged: [
        { path: 'docs/example.txt', text: privileged },
        { path: 'base/triton.yaml', text: deployment() },
      ],
    });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    const summary = summaryOf(fake.checkRun);
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summary).toContain('a symbolic link to `docs/example.txt`, a file Warden does not review');
    expect(summary).toContain('a symbolic link out of the repository (to `../../etc/manifest.yaml`)');
    expect(summary).toContain('| `k8s/folded.yaml` |');
    // The link to a manifest Warden reviews deploys it anew, unchanged as it is: its findings are new, on the file
    // where a person edits them (in the check run: it is not in the diff).
    expect(summary).toContain('`base/triton.yaml`: deployed anew through `k8s/shared.yaml`');
    const annotations = (fake.checkRun.output as { annotations: { path: string; title: string }[] }).annotations;
    expect(annotations).toContainEqual(expect.objectContaining({ path: 'base/triton.yaml', title: expect.stringContaining('k8s/privileged') }));
    expect(fake.reviews.flatMap((r) => (r.comments as { path: string }[] | undefined) ?? []).map((c) => c.path)).not.toContain('base/triton.yaml');
  });

  test('a manifest stored in Git LFS is not taken for its pointer: it fails closed, saying why', async () => {
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${'0f'.repeat(32)}\nsize 2048\n`;
    github({ files: [{ path: 'k8s/triton.yaml', base: `version https://git-lfs.github.com/spec/v1\noid sha256:${'e1'.repeat(32)}\nsize 2040\n`, head: pointer }] });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).toContain('a Git LFS pointer: the file it stands for is stored outside the repository');
  });

  test('a symbolic link to a manifest the change does not touch is no way past the gate', async () => {
    github({ files: [{ path: 'k8s/debug.yaml', status: 'added', head: '../examples/debug.yaml', link: true }], unchanged: [{ path: 'examples/debug.yaml', text: deployment('debug') }] });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    const annotations = (fake.checkRun.output as { annotations: { path: string; title: string }[] }).annotations;
    expect(annotations).toContainEqual(expect.objectContaining({ path: 'examples/debug.yaml', title: expect.stringContaining('k8s/privileged') }));
    expect(annotations.filter((a) => a.path === 'k8s/debug.yaml')).toEqual([]);
  });

  test('a one-line file that is no link costs the head tree once and is reviewed as written', async () => {
    github({ files: [{ path: 'k8s/empty.yaml', head: '{}' }] });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.count('GET', /\/git\/trees\//)).toBe(1);
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
  });

  test('a namespace\'s default-deny policy written in a Helm chart counts, as the App builds its index (the chart rendered in the pool)', async () => {
    const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\n  namespace: {{ .Values.namespace }}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n';
    const state = (values: string) => ({
      files: [{ path: 'k8s/triton.yaml', base: deployment('triton', 'privileged: false'), head: deployment('triton', 'privileged: false').replace('replicas: 2', 'replicas: 3') }],
      unchanged: [
        { path: 'charts/guard/Chart.yaml', text: 'apiVersion: v2\nname: guard\nversion: 0.1.0\n' },
        { path: 'charts/guard/values.yaml', text: values },
        { path: 'charts/guard/templates/deny.yaml', text: deny },
      ],
      config: 'gate: medium\n',
    });
    const lost = () => (fake.checkRun.output as { summary: string }).summary;
    github(state('namespace: models\n'));
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(lost()).not.toContain('k8s/network-policy-missing');
    expect(lost()).not.toContain('charts/guard/templates/deny.yaml');
    // The same chart placing it in another namespace: `models` is open.
    nock.cleanAll();
    github(state('namespace: sandbox\n'));
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(lost()).toContain('k8s/network-policy-missing');
  });

  test('a chart’s dependency archive is read as bytes and rendered with the chart: a change to the values it takes is reviewed through it', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: redis\n  namespace: cache\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: redis\n    image: redis:7.2.4\n    securityContext:\n      privileged: {{ .Values.privileged }}\n';
    const archive = Buffer.from(tarGz({ 'redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 18.0.0\n', 'redis/values.yaml': 'privileged: false\n', 'redis/templates/pod.yaml': pod }));
    const values = (privileged: boolean) => `replicas: 1\nredis:\n  privileged: ${privileged}\n`;
    github({
      files: [{ path: 'charts/model/values.yaml', base: values(false), head: values(true) }],
      unchanged: [
        { path: 'charts/model/Chart.yaml', text: 'apiVersion: v2\nname: model\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: 18.0.0\n  repository: https://charts.bitnami.com/bitnami\n' },
        { path: 'charts/model/charts/redis-18.0.0.tgz', text: archive },
      ],
    });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    expect(fake.count('GET', /\/git\/blobs\//)).toBe(1);
    const annotations = (fake.checkRun.output as { annotations: { path: string; start_line: number; message: string }[] }).annotations;
    expect(annotations.filter((a) => /privileged/i.test(a.message)).map((a) => [a.path, a.start_line])).toEqual([['charts/model/values.yaml', 3]]);
    expect(summaryOf(fake.checkRun)).not.toContain('warden/not-reviewed');
    // Kept between runs by its SHA: the next run reads it at no request.
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('synchronize'));
    expect(fake.count('GET', /\/git\/blobs\//)).toBe(1);
    const completed = fake.checkRunUpdates.filter((b) => b.status === 'completed');
    expect(completed).toHaveLength(2);
    expect(summaryOf(completed[1])).toContain('k8s/privileged');
  });

  test('a dependency bumped with its archive: the chart is rendered with the new archive against the old one, read from the base tree', async () => {
    const pod = (extra: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: redis\n  namespace: cache\nspec:\n  automountServiceAccountToken: false${extra}\n  containers:\n  - name: redis\n    image: redis:7.2.4\n`;
    const archive = (version: string, extra: string) => Buffer.from(tarGz({ 'redis/Chart.yaml': `apiVersion: v2\nname: redis\nversion: ${version}\n`, 'redis/templates/pod.yaml': pod(extra) }));
    const chart = (version: string) => `apiVersion: v2\nname: model\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: ${version}\n  repository: https://charts.bitnami.com/bitnami\n`;
    github({
      files: [
        { path: 'charts/model/Chart.yaml', base: chart('18.0.0'), head: chart('18.1.0') },
        { path: 'charts/model/charts/redis-18.0.0.tgz', status: 'removed', base: archive('18.0.0', '\n  hostNetwork: true') },
        { path: 'charts/model/charts/redis-18.1.0.tgz', status: 'added', head: archive('18.1.0', '\n  hostNetwork: true\n  hostPID: true') },
      ],
      unchanged: [{ path: 'charts/model/values.yaml', text: 'replicas: 1\n' }],
    });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    const annotations = (fake.checkRun.output as { annotations: { path: string; title: string; annotation_level: string; message: string }[] }).annotations;
    const onArchive = annotations.filter((a) => a.path === 'charts/model/charts/redis-18.1.0.tgz');
    // What the new archive adds gates; what the old one held already is listed as pre-existing.
    expect(onArchive.filter((a) => !a.title.startsWith('[pre-existing]')).map((a) => [a.annotation_level, /hostPID/.test(a.message)])).toEqual([['failure', true]]);
    expect(onArchive.some((a) => a.title.startsWith('[pre-existing]') && /hostNetwork/.test(a.message))).toBe(true);
    expect(summaryOf(fake.checkRun)).not.toContain('warden/not-reviewed');
    // The merge base (one comparison) and its tree, listed for the archive it replaces; each archive read once.
    expect(fake.count('GET', /\/compare\//)).toBe(1);
    expect(fake.count('GET', /\/git\/blobs\//)).toBe(2);
  });

  test('a change to a file a kustomization deploys under a name Warden does not read fails closed; other such files do not matter', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n';
    github({
      files: [
        { path: 'k8s/extra.txt', base: pod, head: pod.replace('image: busybox', 'image: busybox\n    securityContext:\n      privileged: true') },
        { path: 'docs/notes.txt', base: 'a\n', head: 'b\n' },
        // Looked for in a change that has manifests, whose review lists the repository anyway.
        { path: 'apps/triton.yaml', base: deployment('triton', 'privileged: false'), head: deployment('triton', 'privileged: false').replace('replicas: 2', 'replicas: 3') },
      ],
      unchanged: [{ path: 'k8s/kustomization.yaml', text: 'resources:\n- extra.txt\n' }],
    });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    const summary = summaryOf(fake.checkRun);
    expect(summary).toContain('`k8s/kustomization.yaml` deploys this file, whose name Warden does not read as a manifest');
    expect(summary).not.toContain('docs/notes.txt');
    // A change of nothing but that file (and docs) fails closed all the same: it deploys the privileged Pod.
    nock.cleanAll();
    github({
      files: [
        { path: 'k8s/extra.txt', base: pod, head: pod.replace('image: busybox', 'image: busybox\n    securityContext:\n      privileged: true') },
        { path: 'docs/notes.txt', base: 'a\n', head: 'b\n' },
      ],
      unchanged: [{ path: 'k8s/kustomization.yaml', text: 'resources:\n- extra.txt\n' }],
    });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).toContain('`k8s/kustomization.yaml` deploys this file, whose name Warden does not read as a manifest');
    // Without the kustomization, a change of no manifest is what it was: nothing to review.
    nock.cleanAll();
    github({ files: [{ path: 'docs/notes.txt', base: 'a\n', head: 'b\n' }] });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success', output: { title: 'No Kubernetes or Terraform changes' } });
  });

  test('a change to nothing but a values file an Argo CD Application installs its chart with fails closed, found among the manifests the index read', async () => {
    const application = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: triton\n  namespace: argocd\nspec:\n  source:\n    repoURL: https://github.com/Codertocat/Hello-World\n    path: charts/triton\n    helm:\n      valueFiles:\n      - ../../envs/prod/triton.yaml\n';
    github({
      files: [{ path: 'envs/prod/triton.yaml', base: 'replicas: 1\n', head: 'replicas: 1\nsecurityContext:\n  privileged: true\n' }],
      unchanged: [{ path: 'apps/triton.yaml', text: application }],
    });
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).toContain('`apps/triton.yaml` installs a Helm chart with the values in this file (Application `triton` lists it)');
    // Read once, by the index's batch: nothing more for this.
    expect(fake.blobQueries.length).toBe(2);
  });

  /** A chart of the repository whose pod is privileged as its values say (false in its values.yaml). */
  const TRITON_CHART = [
    { path: 'charts/triton/Chart.yaml', text: 'apiVersion: v2\nname: triton\nversion: 0.1.0\n' },
    { path: 'charts/triton/values.yaml', text: 'privileged: false\n' },
    {
      path: 'charts/triton/templates/pod.yaml',
      text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: triton\nspec:\n  containers:\n  - name: triton\n    image: nvcr.io/nvidia/tritonserver@sha256:${'a'.repeat(64)}\n    securityContext:\n      privileged: {{ .Values.privileged }}\n`,
    },
  ];

  test('a values file an Argo CD Application installs this repository\'s chart with is reviewed with the chart: commented where it is written, with a suggestion', async () => {
    const application = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: triton\n  namespace: argocd\nspec:\n  source:\n    repoURL: git@github.com:Codertocat/Hello-World.git\n    path: charts/triton\n    helm:\n      valueFiles:\n      - ../../envs/prod/triton.yaml\n';
    github({
      files: [{ path: 'envs/prod/triton.yaml', base: 'privileged: false\n', head: 'privileged: true\n' }],
      unchanged: [
        { path: 'apps/triton.yaml', text: application },
        ...TRITON_CHART,
      ],
    });
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).not.toContain('installs a Helm chart with the values in this file');
    const comments = fake.reviews.flatMap((r) => (r.comments as { path: string; line: number; body: string }[]) ?? []);
    const privileged = comments.find((c) => c.body.includes('k8s/privileged'));
    expect(privileged).toMatchObject({ path: 'envs/prod/triton.yaml', line: 1 });
    expect(privileged!.body).toContain('```suggestion\nprivileged: false\n```');
  });

  test('a new Argo CD Application installing this repository\'s chart with values it sets itself: the chart rendered with them, the finding commented on the Application\'s line', async () => {
    const application = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: triton\n  namespace: argocd\nspec:\n  source:\n    repoURL: https://github.com/Codertocat/Hello-World.git\n    path: charts/triton\n    helm:\n      valuesObject:\n        privileged: true\n';
    github({
      files: [{ path: 'apps/triton.yaml', head: application }],
      unchanged: [
        ...TRITON_CHART,
      ],
    });
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).toContain('installed anew by Application `triton` in `apps/triton.yaml`');
    const comments = fake.reviews.flatMap((r) => (r.comments as { path: string; line: number; body: string }[]) ?? []);
    expect(comments.find((c) => c.body.includes('k8s/privileged'))).toMatchObject({ path: 'apps/triton.yaml', line: 12 });
  });

  test('an image updater\'s write-back (Argo CD parameter overrides in the chart\'s folder for the Application) is reviewed with the chart: the parameter it sets commented on its line', async () => {
    const application = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: triton\n  namespace: argocd\nspec:\n  source:\n    repoURL: https://github.com/Codertocat/Hello-World.git\n    path: charts/triton\n';
    const override = (tag: string, privileged: string) => `helm:\n  parameters:\n  - name: image.tag\n    value: ${tag}\n    forceString: true\n  - name: privileged\n    value: "${privileged}"\n`;
    github({
      files: [{ path: 'charts/triton/.argocd-source-triton.yaml', base: override('v1', 'false'), head: override('v2', 'true') }],
      unchanged: [{ path: 'apps/triton.yaml', text: application }, ...TRITON_CHART],
    });
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).not.toContain('Argo CD merges this file');
    const comments = fake.reviews.flatMap((r) => (r.comments as { path: string; line: number; body: string }[]) ?? []);
    expect(comments.find((c) => c.body.includes('k8s/privileged'))).toMatchObject({ path: 'charts/triton/.argocd-source-triton.yaml', line: 7 });
    // Only the image bumped: it passes.
    nock.cleanAll();
    github({
      files: [{ path: 'charts/triton/.argocd-source-triton.yaml', base: override('v1', 'false'), head: override('v2', 'false') }],
      unchanged: [{ path: 'apps/triton.yaml', text: application }, ...TRITON_CHART],
    });
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
  });

  test('a Flux HelmRelease of this repository\'s chart: a change to a values file it lists is reviewed with the chart, commented where it is written', async () => {
    const gitRepository = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: platform\n  namespace: flux-system\nspec:\n  url: ssh://git@github.com/Codertocat/Hello-World\n';
    const release = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: triton\n  namespace: flux-system\nspec:\n  chart:\n    spec:\n      chart: ./charts/triton\n      sourceRef:\n        kind: GitRepository\n        name: platform\n      valuesFiles:\n        - charts/triton/values.yaml\n        - envs/prod/triton.yaml\n';
    github({
      files: [{ path: 'envs/prod/triton.yaml', base: 'privileged: false\n', head: 'privileged: true\n' }],
      unchanged: [
        { path: 'clusters/prod/source.yaml', text: gitRepository },
        { path: 'apps/triton.yaml', text: release },
        ...TRITON_CHART,
      ],
    });
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).not.toContain('installs a Helm chart with the values in this file');
    const comments = fake.reviews.flatMap((r) => (r.comments as { path: string; line: number; body: string }[]) ?? []);
    expect(comments.find((c) => c.body.includes('k8s/privileged'))).toMatchObject({ path: 'envs/prod/triton.yaml', line: 1 });
  });

  test('a pull request moving a git submodule a kustomization deploys from fails closed; one nothing deploys from passes', async () => {
    const [before, after] = ['1111111111111111111111111111111111111111', '2222222222222222222222222222222222222222'];
    const state = (kustomization: string): Partial<FakeState> => ({
      files: [
        { path: 'vendor/upstream', submodule: true, base: before, head: after },
        { path: 'docs/notes.txt', base: 'a\n', head: 'b\n' },
      ],
      unchanged: [{ path: 'deploy/kustomization.yaml', text: kustomization }],
    });
    github(state('resources:\n- ../vendor/upstream/config/default\n'));
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    const summary = summaryOf(fake.checkRun);
    expect(summary).toContain('`vendor/upstream`');
    expect(summary).toContain('`deploy/kustomization.yaml` deploys from this git submodule (`vendor/upstream/config/default`)');
    expect(summary).not.toContain('docs/notes.txt');
    // Deployed from another folder: the submodule's move changes nothing Warden reviews.
    nock.cleanAll();
    github(state('resources:\n- ../apps/upstream\n'));
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success', output: { title: 'No Kubernetes or Terraform changes' } });
  });

  test('a pull request of more files than GitHub lists is read whole from its trees: a file past the listing is reviewed', async () => {
    // GitHub lists at most 3,000 files; here the listing stops at 2 of 3, and the privileged Deployment is the third.
    github({ files: [{ path: 'docs/a.md', head: 'a\n' }, { path: 'docs/b.md', head: 'b\n' }, { path: 'zz/triton.yaml', head: deployment() }], listLimit: 2 });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened', { changedFiles: 3 }));
    expect(fake.count('GET', /\/compare\//)).toBe(1);
    const check = fake.checkRun;
    expect(check).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(check)).toContain('`zz/triton.yaml:14`');
  });

  const argoApplication = (version: string, acknowledged = false) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: triton\n  namespace: argocd\nspec:\n  project: default\n` +
    `${acknowledged ? '  # warden:ignore warden/not-reviewed -- the chart is reviewed where it is built\n' : ''}` +
    `  source:\n    repoURL: https://helm.ngc.nvidia.com/nvidia\n    chart: triton-inference-server\n    targetRevision: ${version}\n  destination:\n    namespace: models\n`;

  test('an Argo CD Application whose Helm chart the change bumps: not reviewed, annotated and commented on its source; the rest of the file counts as reviewed', async () => {
    github({ files: [{ path: 'apps/triton.yaml', base: argoApplication('2.2.0'), head: argoApplication('2.3.0') }] });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    const annotations = (fake.checkRun.output as { annotations: { path: string; start_line: number; annotation_level: string; message: string }[] }).annotations;
    expect(annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([['apps/triton.yaml', 8, 'failure']]);
    expect(annotations[0]!.message).toContain('could not review all that this file deploys, only the rest of it: what Application `triton` deploys: the Helm chart `triton-inference-server` `2.3.0`');
    expect(summaryOf(fake.checkRun)).toContain('1 file, 1 resource reviewed');
    // Commented inline on that line too, as a finding of the file's reviewed rest is.
    const comments = fake.reviews[0]!.comments as { path: string; line: number; body: string }[];
    expect(comments.map((c) => [c.path, c.line])).toEqual([['apps/triton.yaml', 8]]);
    expect(comments[0]!.body).toContain('`warden:ignore warden/not-reviewed` with a reason above this line acknowledges it');
  });

  test('the same bump, acknowledged above the source on the base branch: it passes', async () => {
    github({ files: [{ path: 'apps/triton.yaml', base: argoApplication('2.2.0', true), head: argoApplication('2.3.0', true) }] });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
  });

  test('a new Argo CD Application deploying another repository\'s manifests fails closed on its source; one deploying this repository\'s (by its ssh URL) passes', async () => {
    const application = (repoURL: string) => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: serving\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: ${repoURL}\n    path: k8s/serving\n  destination:\n    namespace: models\n`;
    github({ files: [{ path: 'apps/serving.yaml', head: application('https://github.com/someone-else/manifests.git') }] });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    const annotations = (fake.checkRun.output as { annotations: { path: string; start_line: number; message: string }[] }).annotations;
    expect(annotations.map((a) => [a.path, a.start_line])).toEqual([['apps/serving.yaml', 8]]);
    expect(annotations[0]!.message).toContain('of `https://github.com/someone-else/manifests.git`: manifests of a repository other than this one');
    nock.cleanAll();
    github({ files: [{ path: 'apps/serving.yaml', head: application('git@github.com:Codertocat/Hello-World.git') }] });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'success' });
  });

  test('a new Argo CD Application of this repository\'s examples folder deploys it anew: its unchanged privileged pod fails the check, annotated where it is written', async () => {
    const application = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: debug\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/Codertocat/Hello-World\n    path: examples/debug\n  destination:\n    namespace: models\n`;
    github({ files: [{ path: 'apps/debug.yaml', head: application }], unchanged: [{ path: 'examples/debug/pod.yaml', text: deployment('debug') }] });
    await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    const annotations = (fake.checkRun.output as { annotations: { path: string; message: string }[] }).annotations;
    expect(annotations.filter((a) => a.message.includes('privileged')).map((a) => a.path)).toContain('examples/debug/pod.yaml');
    expect(summaryOf(fake.checkRun)).toContain('deployed anew by Application `debug` in `apps/debug.yaml`');
  });

  test('a manifest naming no namespace that an Argo CD Application of this repository deploys is judged in its destination namespace', async () => {
    const application = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: serving\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: git@github.com:Codertocat/Hello-World.git\n    path: k8s/serving\n  destination:\n    namespace: models\n`;
    const pod = deployment('triton').replace('  namespace: models\n', '');
    // Its own rule's, and the NetworkPolicy rule's for the namespace it lands in.
    const namespaceFindings = () => ((fake.checkRun.output as { annotations: { message: string }[] }).annotations ?? []).flatMap((a) => /names no namespace, so it lands|is deployed to `\w+`/.exec(a.message) ?? []);
    github({ files: [{ path: 'k8s/serving/pod.yaml', head: pod }], unchanged: [{ path: 'apps/serving.yaml', text: application }] });
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(namespaceFindings()).toEqual(['is deployed to `models`']);
    nock.cleanAll();
    github({ files: [{ path: 'k8s/serving/pod.yaml', head: pod }], unchanged: [{ path: 'apps/serving.yaml', text: application.replace('Codertocat/Hello-World', 'someone/else') }] });
    await (await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => indexRepository(reader, config) })).receive(pullRequestEvent('opened'));
    expect(namespaceFindings().sort()).toEqual(['is deployed to `default`', 'names no namespace, so it lands']);
  });

  test('a pull request GitHub counts past 3,000 files is read from its trees without listing the 3,000 first', async () => {
    github({ files: [{ path: 'docs/a.md', head: 'a\n' }, { path: 'zz/triton.yaml', head: deployment() }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened', { changedFiles: 3001 }));
    expect(fake.count('GET', /\/pulls\/\d+\/files/)).toBe(0);
    expect(fake.count('GET', /\/compare\//)).toBe(1);
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).toContain('`zz/triton.yaml:14`');
  });

  test('a default-deny policy cut from a file that stays: commented inline where its lines were removed', async () => {
    const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\n  namespace: models\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n';
    const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: models\ndata:\n  level: info\n';
    github({ files: [{ path: 'k8s/models.yaml', base: `${config}---\n${deny}`, head: config }], config: 'gate: medium\n' });
    const probot = await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => buildRepositoryIndex(reader, config) });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    const comments = fake.reviews[0]!.comments as { path: string; line: number; body: string }[];
    expect(comments.map((c) => [c.path, c.line])).toEqual([['k8s/models.yaml', 7]]);
    expect(comments[0]!.body).toContain('This change removes NetworkPolicy `default-deny-all`');
  });

  test('a renamed file with edits: findings that were there under the old name are pre-existing and never gate', async () => {
    github({
      files: [{ path: 'serving/triton.yaml', status: 'renamed', previous: 'k8s/triton.yaml', base: deployment(), head: deployment().replace('replicas: 2', 'replicas: 3') }],
    });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.reviews).toEqual([]);
    const check = fake.checkRun;
    expect(check).toMatchObject({ conclusion: 'success' });
    expect(summaryOf(check)).toContain('### Pre-existing (already at the base branch; listed, never gating)');
    expect((check.output as { annotations: { annotation_level: string }[] }).annotations.map((a) => a.annotation_level)).toEqual(['notice', 'notice', 'notice']);
  });

  test('a file renamed into a reviewed name from one Warden does not review has no baseline: reviewed whole, every finding new', async () => {
    // Never reviewed as `examples/triton.yaml.txt` (nor gated), deployed as `k8s/triton.yaml`: its findings are not the base branch's.
    github({ files: [{ path: 'k8s/triton.yaml', status: 'renamed', previous: 'examples/triton.yaml.txt', base: deployment(), head: deployment() }] });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    const check = fake.checkRun;
    expect(check).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(check)).not.toContain('### Pre-existing');
    expect(summaryOf(check)).toContain('by its rename from `examples/triton.yaml.txt`, which Warden does not review');
    expect((check.output as { annotations: { annotation_level: string }[] }).annotations.map((a) => a.annotation_level)).toContain('failure');
  });

  test('a file renamed out of a folder the config excludes is reviewed as new too; a copy of a reviewed file as well', async () => {
    const config = 'paths:\n  exclude: ["examples/**"]\n';
    github({ config, files: [{ path: 'k8s/triton.yaml', status: 'renamed', previous: 'examples/triton.yaml', base: deployment(), head: deployment() }] });
    await (await makeProbot()).receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    nock.cleanAll();
    github({ files: [{ path: 'prod/triton.yaml', status: 'copied', previous: 'k8s/triton.yaml', base: deployment(), head: deployment() }] });
    await (await makeProbot()).receive(pullRequestEvent('opened', { delivery: 'delivery-2' }));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summaryOf(fake.checkRun)).toContain('as a copy of `k8s/triton.yaml`');
  });

  test('a pull request with no Kubernetes or Terraform change gets a success run, so the check can be required', async () => {
    github({ files: [{ path: 'README.md', head: '# models\n' }, { path: 'src/serve.py', head: 'print(1)\n' }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.reviews).toEqual([]);
    expect(fake.checkRunCreates).toEqual([
      {
        name: 'Warden',
        head_sha: HEAD,
        external_id: `warden:review:delivery-1@${ON_MASTER}`,
        status: 'completed',
        conclusion: 'success',
        completed_at: '2026-03-01T12:00:00Z',
        output: {
          title: 'No Kubernetes or Terraform changes',
          summary: 'None of the 2 changed files is a Kubernetes manifest or Terraform file that `.github/warden.yml` includes.',
        },
      },
    ]);
    // One listing of the head tree, to look for a kustomization that deploys a changed file (there is none); no blob.
    expect(fake.count('GET', /\/git\/trees\//)).toBe(1);
    expect(fake.blobsAsked).toBe(0);
  });
});

describe('config', () => {
  test('an invalid config fails the check run naming the key, and nothing else happens', async () => {
    github({ config: 'gate: hgih\n', files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.reviews).toEqual([]);
    expect(fake.count('GET', /\/pulls\/2\/files$/)).toBe(0);
    expect(fake.checkRunCreates).toEqual([
      {
        name: 'Warden',
        head_sha: HEAD,
        external_id: `warden:review:delivery-1@${ON_MASTER}`,
        status: 'completed',
        conclusion: 'failure',
        completed_at: '2026-03-01T12:00:00Z',
        output: {
          title: 'Invalid .github/warden.yml: gate',
          summary:
            '`.github/warden.yml` (read from the default branch) is invalid: `gate` must be one of: low, medium, high, critical.\n\n' +
            'Fix the configuration on the default branch, then re-run this check.',
        },
      },
    ]);
  });

  test('a misspelt key and a file that is not YAML are named too', async () => {
    github({ config: 'review:\n  max_coments: 3\n', files: [] });
    let probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: 'Invalid .github/warden.yml: review.max_coments' } });
    nock.cleanAll();
    github({ config: 'gate: [high\n', files: [] });
    probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: 'Invalid .github/warden.yml: (file)' } });
  });

  test('config sets the gate, the review event, the comment cap, excluded paths and rule severities', async () => {
    github({
      config: [
        'gate: critical',
        'review:',
        '  event: REQUEST_CHANGES',
        '  max_comments: 1',
        'paths:',
        '  exclude: ["vendor/**"]',
        'rules:',
        '  test/no-privilege-escalation: "off"',
      ].join('\n'),
      files: [
        { path: 'k8s/a.yaml', head: deployment('a') },
        { path: 'k8s/b.yaml', head: deployment('b') },
        { path: 'vendor/c.yaml', head: deployment('c') },
      ],
    });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    const posted = fake.reviews[0]!;
    expect(posted.event).toBe('REQUEST_CHANGES');
    expect((posted.comments as unknown[]).length).toBe(1);
    expect(posted.body).toContain('2 more findings are in the check run only (at most 1 comment per review).');
    expect(JSON.stringify(posted)).not.toContain('no-privilege-escalation');
    expect(fake.requests.some((r) => r.path.includes('vendor'))).toBe(false);
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '2 findings at or above critical' } });
  });
});

describe('GitHub errors', () => {
  test('a 500 on the review request: the check run still completes, as a failure with the reason', async () => {
    github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }], reviewStatus: 500 });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    // Sent, found not created among the reviews, sent again.
    expect(fake.count('POST', /\/reviews$/)).toBe(2);
    expect(fake.count('GET', /\/pulls\/2\/reviews$/)).toBe(1);
    const check = fake.checkRun;
    expect(check).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Warden could not finish' },
    });
    // The reason once, with what to do.
    expect(summaryOf(check)).toContain(`> **the review could not be posted (GitHub answered 500: Server Error)**\n\n${RERUN_HINT}`);
    expect(summaryOf(check).split('Server Error')).toHaveLength(2);
    // The findings are all still in the run.
    expect((check.output as { annotations: unknown[] }).annotations).toHaveLength(3);
  });

  test('an error before the findings are known still completes the run, with the reason', async () => {
    // Without a patch the base text must come from the base commit's tree, which GitHub does not know: 404.
    // (A missing head blob only skips its file: faults.test.ts.)
    github({ files: [{ path: 'k8s/triton.yaml', base: deployment(), head: deployment().replace('replicas: 2', 'replicas: 3'), omitPatch: true }] });
    fake.state.baseSha = '0'.repeat(40);
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRunCreates).toEqual([
      expect.objectContaining({
        status: 'completed',
        conclusion: 'failure',
        output: {
          title: 'Warden could not finish',
          summary: `The review of ${HEAD} stopped: GitHub answered 404: Not Found.\n\n${RERUN_HINT}`,
        },
      }),
    ]);
  });
});

describe('review comments', () => {
  test('a suggestion whose text holds a code fence is wrapped in a longer fence', async () => {
    const fence = defineRule({
      id: 'test/note',
      severity: 'high',
      title: 'Placeholder note',
      docs: { why: 'test', fix: 'test' },
      references: {},
      fixable: true,
      scope: 'resource',
      messages: { todo: 'The note is a placeholder.' },
      check: fieldIs({
        path: 'metadata.annotations.note',
        isBad: (value) => value === 'todo',
        message: 'todo',
        fix: () => ({ description: 'Write the note', ops: [{ op: 'set', path: 'metadata.annotations.note', value: 'run ```make serve``` first' }] }),
      }),
    });
    const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n  namespace: models\n  annotations:\n    note: todo\ndata: {}\n';
    github({ files: [{ path: 'k8s/notes.yaml', head }] });
    const probot = await makeProbot({ rules: [fence] });
    await probot.receive(pullRequestEvent('opened'));
    const comment = (fake.reviews[0]!.comments as { line: number; start_line?: number; body: string }[])[0]!;
    expect(comment.body).toMatch(/^````suggestion\n {4}note: .*```make serve```.*\n````$/m);
    const after = applyPostedSuggestion(head, comment);
    const rescan = await review({ files: [{ path: 'k8s/notes.yaml', headText: after }], config: DEFAULT_CONFIG, rules: [fence] });
    expect(rescan.scan.files[0]!.errors).toEqual([]);
    expect(rescan.findings).toEqual([]);
  });

  test('a fix reaching outside the hunks is shown as a diff block on a commentable line; a resource the diff does not touch: check run only', async () => {
    const head = deployment();
    // Only lines 10–13 are in the diff: the finding (line 13) is, the fix's edit (line 14) is not.
    const patch = '@@ -10,4 +10,4 @@\n       containers:\n         - name: triton\n           image: nvcr.io/nvidia/tritonserver:24.01-py3\n-          securityContext: {}\n+          securityContext:';
    const result = await review({ files: [{ path: 'k8s/triton.yaml', headText: head, patch }], config: DEFAULT_CONFIG, rules: [runAsNonRoot] });
    const plan = await planReview({ findings: result.findings, patches: result.patches, files: result.scan.files, config: DEFAULT_CONFIG, rules: [runAsNonRoot], alreadyCommented: new Set() });
    expect(plan.comments).toHaveLength(1);
    const [comment] = plan.comments;
    expect(comment).toMatchObject({ path: 'k8s/triton.yaml', line: 13, kind: 'diff' });
    expect(suggestionOf(comment!.body)).toBeNull();
    expect(comment!.body).toContain('```diff\n@@ -14,1 +14,2 @@\n             privileged: true\n+            runAsNonRoot: true\n```');

    // The same finding when the diff only touches line 3: no line of the finding or its fix is commentable, but
    // line 3 is of its Deployment, so the comment sits there (issue #12: anchors where the change is).
    const far = await review({ files: [{ path: 'k8s/triton.yaml', headText: head, patch: '@@ -3,1 +3,1 @@\n-metadata: {}\n+metadata:' }], config: DEFAULT_CONFIG, rules: [runAsNonRoot] });
    const near = await planReview({ findings: far.findings, patches: far.patches, files: far.scan.files, config: DEFAULT_CONFIG, rules: [runAsNonRoot], alreadyCommented: new Set() });
    expect(near.comments.map((c) => [c.line, c.kind])).toEqual([[3, 'diff']]);
    expect(near.checkRunOnly).toEqual([]);

    // A resource the diff does not touch at all (only the ConfigMap above it changed): the check run only.
    const two = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n---\n${head}`;
    const whole = await review({ files: [{ path: 'k8s/triton.yaml', headText: two }], config: DEFAULT_CONFIG, rules: [runAsNonRoot] });
    const patches = new Map([['k8s/triton.yaml', patchLines('@@ -4,1 +4,1 @@\n-  name: old\n+  name: notes')]]);
    const none = await planReview({ findings: whole.findings, patches, files: whole.scan.files, config: DEFAULT_CONFIG, rules: [runAsNonRoot], alreadyCommented: new Set() });
    expect(none.comments).toEqual([]);
    expect(none.checkRunOnly.map((f) => f.ruleId)).toEqual(['test/run-as-non-root']);
  });

  test('baseline: a finding already at base is listed apart and does not gate; gate_on: all makes it gate', async () => {
    const base = twoContainers('privileged: true', 'privileged: false');
    const head = twoContainers('privileged: true', 'privileged: true');
    github({ files: [{ path: 'k8s/serving.yaml', base, head }] });
    let probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect((fake.reviews[0]!.comments as { line: number }[]).map((c) => c.line)).toEqual([19]);
    let summary = summaryOf(fake.checkRun);
    expect(fake.checkRun).toMatchObject({ output: { title: '1 finding at or above high' } });
    expect(summary).toContain('| `k8s/serving.yaml:13` | critical | [`k8s/privileged`]');

    nock.cleanAll();
    github({ files: [{ path: 'k8s/serving.yaml', base, head }], config: 'gate_on: all\n' });
    probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    summary = summaryOf(fake.checkRun);
    expect(fake.checkRun).toMatchObject({ output: { title: '2 findings at or above high' } });
    expect(summary).toContain('### Pre-existing (already at the base branch; they gate too)');
  });

  test('baseline is the version the diff is against: the head text with its patch undone, no base read', async () => {
    const base = twoContainers('privileged: true', 'privileged: false');
    const head = twoContainers('privileged: true', 'privileged: true');
    github({ files: [{ path: 'k8s/serving.yaml', base, head }] });
    // The base branch has moved on to a commit GitHub would answer 404 for: nothing reads it.
    fake.state.baseSha = '0'.repeat(40);
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above high' } });
    expect(summaryOf(fake.checkRun)).toContain('| `k8s/serving.yaml:13` | critical | [`k8s/privileged`]');
  });

  test('every planned anchor is on a commentable line, multi-line spans inside one hunk', async () => {
    const config = resolveConfig({ review: { max_comments: 100 } });
    const files = [
      { path: 'a.yaml', headText: deployment('a'), patch: '@@ -0,0 +1,14 @@\n' + deployment('a').trimEnd().split('\n').map((l) => `+${l}`).join('\n') },
      { path: 'b.yaml', headText: twoContainers('privileged: true', HARDENED.split('\n')[0]!), patch: '@@ -17,1 +17,1 @@\n-x\n+        - name: sidecar' },
    ];
    const result = await review({ files, config, rules: TEST_RULES });
    const plan = await planReview({ findings: result.findings, patches: result.patches, files: result.scan.files, config, rules: TEST_RULES, alreadyCommented: new Set() });
    for (const c of plan.comments) {
      const lines = result.patches.get(c.path)!;
      expect(lines.commentable.has(c.line)).toBe(true);
      if (c.startLine !== undefined) expect(lines.hunks.some((h) => h.start <= c.startLine! && c.line <= h.end)).toBe(true);
    }
    expect(plan.comments.length + plan.checkRunOnly.length).toBeGreaterThan(0);
  });
});
