import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { git, warden } from './helpers.js';

const pod = (name: string, privileged: boolean) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: models
spec:
  containers:
  - name: server
    image: registry.example.com/${name}:1.0
    securityContext:
      privileged: ${privileged}
`;


/** A new repository whose `main` holds `files` (repository paths), committed. */
function committed(files: Record<string, string>): string {
  const repo = mkdtempSync(join(tmpdir(), 'warden-diff-'));
  git(repo, 'init', '-q', '-b', 'main');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'base');
  return repo;
}

describe('warden scan in a GitOps repository', () => {
  it('puts what an Argo CD Application of this repository (by its git remote) deploys in its destination namespace', async () => {
    const application = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: serving\nspec:\n  source:\n    repoURL: https://github.com/acme/platform.git\n    path: k8s/serving\n  destination:\n    namespace: models\n';
    const deployment = pod('triton', false).replace('  namespace: models\n', '');
    const repo = committed({ 'apps/serving.yaml': application, 'k8s/serving/pod.yaml': deployment });
    const namespaceFindings = async () => JSON.parse((await warden(['scan', '.', '--format', 'json'], repo)).stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'k8s/default-namespace').map((f: { file: string }) => f.file);
    // Without a remote, no repoURL is this repository: the pod names no namespace.
    expect(await namespaceFindings()).toEqual(['k8s/serving/pod.yaml']);
    git(repo, 'remote', 'add', 'origin', 'git@github.com:acme/platform.git');
    expect(await namespaceFindings()).toEqual([]);
    // Named otherwise (from another folder, absolutely): the same.
    const absolute = JSON.parse((await warden(['scan', join(repo, 'k8s'), join(repo, 'apps'), '--format', 'json'], tmpdir())).stdout).findings;
    expect(absolute.filter((f: { ruleId: string }) => f.ruleId === 'k8s/default-namespace')).toEqual([]);
    expect(absolute.some((f: { file: string }) => f.file === join(repo, 'k8s/serving/pod.yaml'))).toBe(true);
  });
});

describe('warden diff', () => {
  it('knows the repository by its git remotes: an Argo CD Application of its manifests passes, one of another repository\'s is not reviewed', async () => {
    const application = (repoURL: string) => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: serving\nspec:\n  source:\n    repoURL: ${repoURL}\n    path: k8s/serving\n  destination:\n    namespace: models\n`;
    const repo = committed({ 'README.md': 'platform\n' });
    git(repo, 'remote', 'add', 'origin', 'git@github.com:acme/platform.git');
    writeFileSync(join(repo, 'serving.yaml'), application('https://github.com/acme/platform'));
    git(repo, 'add', 'serving.yaml');
    const ours = await warden(['diff', '--base', 'main', '--format', 'json'], repo);
    expect([ours.code, JSON.parse(ours.stdout).findings]).toEqual([0, []]);
    writeFileSync(join(repo, 'serving.yaml'), application('https://github.com/acme/platform-fork'));
    git(repo, 'add', 'serving.yaml');
    const theirs = await warden(['diff', '--base', 'main', '--format', 'json'], repo);
    expect(theirs.code).toBe(1);
    expect(JSON.parse(theirs.stdout).findings.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 6]]);
  });

  it('ends the git process it reads both refs’ blobs through when it finishes', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-diff-'));
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'serving.yaml'), pod('triton', false));
    writeFileSync(join(repo, 'other.yaml'), pod('router', false));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    writeFileSync(join(repo, 'serving.yaml'), pod('triton', true));
    git(repo, 'commit', '-qam', 'make triton privileged');
    expect((await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo)).code).toBe(1);
    const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)]).toString();
    expect(children.split('\n').filter((command) => command.includes(repo))).toEqual([]);
  });

  it('reports only the resource whose container changed, and keeps pre-existing findings apart', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-diff-'));
    git(repo, 'init', '-q', '-b', 'main');
    // Three resources in one file: `legacy` is already privileged at base.
    writeFileSync(join(repo, 'serving.yaml'), [pod('legacy', true), pod('triton', false), pod('router', false)].join('---\n'));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    writeFileSync(join(repo, 'serving.yaml'), [pod('legacy', true), pod('triton', true), pod('router', false)].join('---\n'));
    git(repo, 'commit', '-qam', 'make triton privileged');

    const { code, stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const out = JSON.parse(stdout);
    const privileged = out.findings.filter((f: { ruleId: string }) => f.ruleId === 'k8s/privileged');
    expect(privileged.map((f: { resource: string; file: string; line: number }) => [f.resource, f.file, f.line])).toEqual([
      ['Pod/models/triton', 'serving.yaml', 23],
    ]);
    expect(out.findings.every((f: { resource: string }) => f.resource === 'Pod/models/triton')).toBe(true);
    // Each finding says whether it was there at base: what gates is the change's own.
    const had = (ruleId: string) => out.findings.find((f: { ruleId: string }) => f.ruleId === ruleId)?.preExisting;
    expect([had('k8s/privileged'), had('k8s/run-as-non-root')]).toEqual([false, true]);
    expect(code).toBe(1);

    // The working tree mode sees the same change against main.
    git(repo, 'checkout', '-q', 'main');
    writeFileSync(join(repo, 'serving.yaml'), [pod('legacy', true), pod('triton', false), pod('router', true)].join('---\n'));
    const worktree = JSON.parse((await warden(['diff', '--base', 'main', '--format', 'json'], repo)).stdout);
    expect([...new Set(worktree.findings.map((f: { resource: string }) => f.resource))]).toEqual(['Pod/models/router']);
  });

  const DENY_ALL = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-all', namespace: 'models' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
  // YAML, and a JSON manifest (`kubectl get -o json`): a deleted file of either is read as it was.
  it.each([
    ['deny.yaml', stringify(DENY_ALL)],
    ['deny.json', JSON.stringify(DENY_ALL, null, 2)],
  ])('a deleted default-deny policy is reported, in the deleted file, when nothing else denies for its namespace: %s', async (file, text) => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-diff-'));
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'serving.yaml'), pod('triton', false));
    writeFileSync(join(repo, file), text);
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    git(repo, 'rm', '-q', file);
    git(repo, 'commit', '-qm', 'drop the policy');
    const out = JSON.parse((await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo)).stdout);
    expect(out.findings.map((f: { ruleId: string; file: string; line: number }) => [f.ruleId, f.file, f.line])).toEqual([['k8s/network-policy-missing', file, 1]]);
    expect(out.findings[0].message).toContain(`This change deletes \`${file}\``);
  });

  it('a change to an IAM data block alone is reported on the policy that reads it, in another file of the module', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-diff-'));
    git(repo, 'init', '-q', '-b', 'main');
    const document = (action: string) => `data "aws_iam_policy_document" "reader" {\n  statement {\n    actions   = ["${action}"]\n    resources = ["arn:aws:s3:::models/*"]\n  }\n}\n`;
    mkdirSync(join(repo, 'iam'));
    writeFileSync(join(repo, 'iam', 'data.tf'), document('s3:GetObject'));
    writeFileSync(join(repo, 'iam', 'policy.tf'), 'resource "aws_iam_policy" "reader" {\n  name   = "reader"\n  policy = data.aws_iam_policy_document.reader.json\n}\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    writeFileSync(join(repo, 'iam', 'data.tf'), document('s3:*'));
    git(repo, 'commit', '-qam', 'widen the reader');

    const { code, stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const out = JSON.parse(stdout) as { findings: { file: string; ruleId: string }[] };
    expect(out.findings.map((f) => [f.file, f.ruleId])).toEqual([['iam/policy.tf', 'aws/iam-wildcard-action']]);
    // New at head (the base document had no wildcard), so it gates.
    expect(code).toBe(1);
  });

  it('a change to terraform.tfvars alone makes the module\'s resources that use the value changed, reported at the assignment', async () => {
    const repo = committed({
      'infra/variables.tf': 'variable "acl" {\n  default = "private"\n}\n',
      'infra/main.tf': 'resource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n',
      'infra/terraform.tfvars': 'region = "eu-west-1"\nacl    = "private"\n',
    });
    git(repo, 'checkout', '-qb', 'change');
    writeFileSync(join(repo, 'infra', 'terraform.tfvars'), 'region = "eu-west-1"\nacl    = "public-read"\n');
    git(repo, 'commit', '-qam', 'open the bucket');

    const { code, stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const out = JSON.parse(stdout) as { findings: { file: string; line: number; ruleId: string; resource: string; fix: { edits: unknown[] } | null }[] };
    const acl = out.findings.filter((f) => f.ruleId === 'aws/s3-public-acl');
    expect(acl.map((f) => [f.file, f.line, f.resource])).toEqual([['infra/terraform.tfvars', 2, 'aws_s3_bucket.models']]);
    expect(acl[0]!.fix?.edits).toEqual([{ file: 'infra/terraform.tfvars', startLine: 2, endLine: 2, replacement: 'acl    = "private"' }]);
    // The bucket is changed, so its other findings are listed too, as pre-existing: they were there at base.
    const sarif = JSON.parse((await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'sarif'], repo)).stdout) as {
      runs: { results: { ruleId: string; properties?: { preExisting?: boolean } }[] }[];
    };
    const results = sarif.runs[0]!.results;
    expect(results.filter((r) => r.ruleId !== 'aws/s3-public-acl').length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.properties?.preExisting).map((r) => r.ruleId)).toEqual(['aws/s3-public-acl']);
    expect(code).toBe(1);
  });

  it('a deleted terraform.tfvars takes its values with it: the resources that read them (through a local too) are reviewed with the defaults', async () => {
    const repo = committed({
      'infra/variables.tf': 'variable "acl" {\n  default = "public-read"\n}\n',
      'infra/main.tf': 'locals {\n  bucket_acl = var.acl\n}\n\nresource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = local.bucket_acl\n}\n',
      'infra/terraform.tfvars': 'region = "eu-west-1"\nacl    = "private"\n',
      // Not read by Terraform unless named with -var-file (and not named in the config): deleting it changes nothing.
      'infra/staging.tfvars': 'acl = "private"\n',
    });
    git(repo, 'checkout', '-qb', 'unused');
    git(repo, 'rm', '-q', 'infra/staging.tfvars');
    git(repo, 'commit', '-qm', 'drop the staging values');
    const unused = await warden(['diff', '--base', 'main', '--head', 'unused', '--format', 'json'], repo);
    expect(JSON.parse(unused.stdout).findings).toEqual([]);
    expect(unused.code).toBe(0);

    git(repo, 'checkout', '-qb', 'change', 'main');
    git(repo, 'rm', '-q', 'infra/terraform.tfvars');
    git(repo, 'commit', '-qm', 'drop the values');
    const { code, stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'sarif'], repo);
    const results = (JSON.parse(stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; properties?: { preExisting?: boolean } }[] }[] }).runs[0]!.results;
    const place = (r: (typeof results)[number]) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`;
    // New: the ACL the default gives; the bucket's other findings were there with the file too.
    expect(results.filter((r) => !r.properties?.preExisting).map((r) => [r.ruleId, place(r)])).toEqual([['aws/s3-public-acl', 'infra/main.tf:7']]);
    expect(results.filter((r) => r.properties?.preExisting).length).toBeGreaterThan(0);
    expect(code).toBe(1);

    // The same when only the assignment's line is deleted, the file kept.
    git(repo, 'checkout', '-qb', 'unassigned', 'main');
    writeFileSync(join(repo, 'infra', 'terraform.tfvars'), 'region = "eu-west-1"\n');
    git(repo, 'commit', '-qam', 'drop the acl');
    const unassigned = await warden(['diff', '--base', 'main', '--head', 'unassigned', '--format', 'json'], repo);
    const open = (JSON.parse(unassigned.stdout) as { findings: { ruleId: string; file: string; line: number; preExisting?: boolean }[] }).findings;
    expect(open.filter((f) => f.ruleId === 'aws/s3-public-acl').map((f) => `${f.file}:${f.line}`)).toEqual(['infra/main.tf:7']);
    expect(unassigned.code).toBe(1);
  });

  it('a change to the root.hcl Terragrunt units include alone is judged in them: new where it opens a bucket, pre-existing where base did', async () => {
    const root = (acl: string, team: string) => `inputs = {\n  acl  = "${acl}"\n  tags = { team = "${team}" }\n}\n`;
    const repo = committed({
      'modules/bucket/main.tf': 'variable "acl" {\n  default = "private"\n}\nvariable "tags" {\n  default = {}\n}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n',
      'live/prod/bucket/terragrunt.hcl': 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\nterraform {\n  source = "../../../modules//bucket"\n}\n',
      'live/root.hcl': root('private', 'ml'),
    });
    const acl = async (branch: string, text: string) => {
      git(repo, 'checkout', '-qb', branch, 'main');
      writeFileSync(join(repo, 'live', 'root.hcl'), text);
      git(repo, 'commit', '-qam', branch);
      const { code, stdout } = await warden(['diff', '--base', 'main', '--head', branch, '--format', 'sarif'], repo);
      const results = (JSON.parse(stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; properties?: { preExisting?: boolean } }[] }[] }).runs[0]!.results;
      const place = (r: (typeof results)[number]) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`;
      return { code, found: results.map((r) => `${r.ruleId} ${place(r)}${r.properties?.preExisting ? ' pre-existing' : ''}`) };
    };
    expect(await acl('open', root('public-read', 'ml'))).toEqual({ code: 1, found: ['aws/s3-public-acl live/root.hcl:2'] });
    git(repo, 'checkout', '-q', 'open');
    git(repo, 'branch', '-qf', 'main', 'open');
    expect(await acl('retag', root('public-read', 'platform'))).toEqual({ code: 0, found: ['aws/s3-public-acl live/root.hcl:2 pre-existing'] });
  });

  it('a changed call of a local module is reviewed with its inputs: the module folder is read from the repository', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-diff-'));
    git(repo, 'init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'modules', 'bucket'), { recursive: true });
    mkdirSync(join(repo, 'infra'));
    writeFileSync(join(repo, 'modules', 'bucket', 'main.tf'), 'variable "acl" {\n  default = "private"\n}\n\nresource "aws_s3_bucket" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n');
    const caller = (acl: string) => `module "models" {\n  source = "../modules/bucket"\n  acl    = "${acl}"\n}\n`;
    writeFileSync(join(repo, 'infra', 'main.tf'), caller('private'));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    writeFileSync(join(repo, 'infra', 'main.tf'), caller('public-read'));
    git(repo, 'commit', '-qam', 'open the bucket');

    const { stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const out = JSON.parse(stdout) as { findings: { file: string; line: number; ruleId: string; resource: string; fix: { edits: unknown[] } | null }[] };
    const acl = out.findings.filter((f) => f.ruleId === 'aws/s3-public-acl');
    expect(acl.map((f) => [f.file, f.line, f.resource])).toEqual([['infra/main.tf', 3, 'module.models.aws_s3_bucket.this']]);
    expect(acl[0]!.fix?.edits).toEqual([{ file: 'infra/main.tf', startLine: 3, endLine: 3, replacement: '  acl    = "private"' }]);
  });

  it('a symbolic link: one to a file Warden does not review is not reviewed, one to a manifest has it reviewed whole; at a ref as in the working tree', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-diff-'));
    git(repo, 'init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'k8s'));
    mkdirSync(join(repo, 'docs'));
    writeFileSync(join(repo, 'docs', 'example.txt'), pod('shadow', true));
    writeFileSync(join(repo, 'k8s', 'serving.yaml'), pod('triton', false));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'change');
    symlinkSync('../docs/example.txt', join(repo, 'k8s', 'shadow.yaml'));
    symlinkSync('serving.yaml', join(repo, 'k8s', 'alias.yaml'));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'deploy the example');
    const atRef = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const found = (JSON.parse(atRef.stdout) as { findings: { ruleId: string; file: string; message: string }[] }).findings;
    const unreviewed = found.filter((f) => f.ruleId === 'warden/not-reviewed');
    expect(unreviewed.map((f) => f.file)).toEqual(['k8s/shadow.yaml']);
    expect(unreviewed[0]!.message).toContain('a symbolic link to `docs/example.txt`, a file Warden does not review');
    // The link to a manifest deploys it anew: what it holds is reviewed where it is written, never at the link.
    expect(new Set(found.filter((f) => f.ruleId !== 'warden/not-reviewed').map((f) => f.file))).toEqual(new Set(['k8s/serving.yaml']));
    expect(atRef.code).toBe(1);
    // The working tree (no --head) tells its links the same way.
    const worktree = JSON.parse((await warden(['diff', '--base', 'main', '--format', 'json'], repo)).stdout) as { findings: { ruleId: string; file: string; message: string }[] };
    expect(worktree.findings.map((f) => [f.ruleId, f.file, f.message])).toEqual(found.map((f) => [f.ruleId, f.file, f.message]));
  });

  it('a change to a file a kustomization deploys under a name Warden does not read is not reviewed, and says so', async () => {
    const repo = committed({ 'k8s/kustomization.yaml': 'resources:\n- extra.txt\n', 'k8s/extra.txt': pod('extra', false), 'apps/triton.yaml': pod('triton', false) });
    git(repo, 'checkout', '-qb', 'change');
    writeFileSync(join(repo, 'k8s', 'extra.txt'), pod('extra', true));
    // Looked for in a change that has manifests (one of code or docs alone lists nothing).
    writeFileSync(join(repo, 'apps', 'triton.yaml'), pod('triton', false).replace('name: triton', 'name: triton-2'));
    git(repo, 'commit', '-qam', 'privileged');
    const { code, stdout } = await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo);
    const found = (JSON.parse(stdout) as { findings: { ruleId: string; file: string; message: string }[] }).findings;
    expect(found.filter((f) => f.file === 'k8s/extra.txt').map((f) => f.ruleId)).toEqual(['warden/not-reviewed']);
    expect(found.find((f) => f.file === 'k8s/extra.txt')!.message).toContain('`k8s/kustomization.yaml` deploys this file');
    expect(code).toBe(1);
  });

  it('reviews files whose names git quotes (past ASCII, a quote, a backslash), at a ref and in the working tree', async () => {
    const repo = committed({ 'k8s/base.yaml': pod('base', false) });
    const names = ['k8s/dé ploy.yaml', 'k8s/q"uote.yaml', 'k8s/back\\slash.yaml'];
    git(repo, 'checkout', '-qb', 'change');
    for (const [i, name] of names.entries()) writeFileSync(join(repo, name), pod(`p${i}`, true));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'three privileged pods');
    const atRef = JSON.parse((await warden(['diff', '--base', 'main', '--head', 'change', '--format', 'json'], repo)).stdout);
    const privileged = (out: { findings: { ruleId: string; file: string }[] }) => out.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => f.file).sort();
    expect(privileged(atRef)).toEqual([...names].sort());
    expect(atRef.findings.filter((f: { ruleId: string }) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    git(repo, 'checkout', '-q', 'main');
    for (const [i, name] of names.entries()) writeFileSync(join(repo, name), pod(`p${i}`, true));
    git(repo, 'add', '.');
    const inTree = JSON.parse((await warden(['diff', '--base', 'main', '--format', 'json'], repo)).stdout);
    expect(privileged(inTree)).toEqual([...names].sort());
  });

  it('exits 2 for an unknown ref', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-diff-'));
    git(repo, 'init', '-q', '-b', 'main');
    const { code, stderr } = await warden(['diff', '--base', 'nope'], repo);
    expect(code).toBe(2);
    expect(stderr).toContain('git');
  });
});
