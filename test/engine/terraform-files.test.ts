// Terraform's `file()` and `templatefile()`: the files they read are read before the scan, so a policy kept in
// `policy.json` is judged as the resource that reads it; a change to that file alone judges the resource again.
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { UnreadableFile } from '../../src/engine/repository.js';
import { closeSharedPool } from '../../src/worker/pool.js';
import { filesReadBy, keysReadBy, readByTerraform } from '../../src/terraform-files.js';
import { RULES } from '../../rules/index.js';
import { githubPatch } from '../app/fake-github.js';
import { terraformContext } from '../../src/terraform-context.js';

afterAll(() => closeSharedPool());

const MAIN = `resource "aws_iam_policy" "reader" {
  name   = "reader"
  policy = file("\${path.module}/policies/reader.json")
}

resource "aws_iam_role" "serving" {
  name               = "serving"
  assume_role_policy = templatefile("trust.json.tpl", { principal = "*" })
}
`;
const POLICY = (action: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${action}", "Resource": "arn:aws:s3:::models/*"}]}\n`;
const TRUST = (principal: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "${principal}"}}]}\n`;
const found = (findings: { ruleId: string; resource: string; file: string; line: number; preExisting?: boolean }[]) =>
  findings.filter((f) => f.ruleId.startsWith('aws/iam')).map((f) => [f.ruleId, f.resource, `${f.file}:${f.line}`, f.preExisting ?? false]);

describe('what file() and templatefile() read', () => {
  it('names the files their literal paths read, relative to the module, with or without path.module', () => {
    expect(filesReadBy([{ path: 'iam/main.tf', text: MAIN }, { path: 'other/main.tf', text: 'x = file(var.path)\ny = file("/etc/passwd")\n' }])).toEqual(['iam/policies/reader.json', 'iam/trust.json.tpl']);
  });

  it('in the scan: the policy a file holds is judged, a template with the values given; not read, unknown', async () => {
    const files = [{ path: 'iam/main.tf', text: MAIN }];
    const scan = (terraformFiles?: Record<string, string>) => scanFiles(files, { config: DEFAULT_CONFIG, rules: RULES, ...(terraformFiles ? { terraformFiles } : {}) });
    const texts = { 'iam/policies/reader.json': POLICY('s3:*'), 'iam/trust.json.tpl': TRUST('${principal}') };
    expect(found((await scan(texts)).findings)).toEqual([
      ['aws/iam-wildcard-action', 'aws_iam_policy.reader', 'iam/main.tf:3', false],
      ['aws/iam-assume-role-any-principal', 'aws_iam_role.serving', 'iam/main.tf:8', false],
    ]);
    expect(found((await scan({ ...texts, 'iam/policies/reader.json': POLICY('s3:GetObject'), 'iam/trust.json.tpl': TRUST('arn:aws:iam::123456789012:root') })).findings)).toEqual([]);
    expect(found((await scan()).findings)).toEqual([]);
  });

  it('in the review: read from the repository; a change to the file alone judges what reads it, as new', async () => {
    const repository = { 'iam/main.tf': MAIN, 'iam/policies/reader.json': POLICY('s3:*'), 'iam/trust.json.tpl': TRUST('arn:aws:iam::123456789012:root') };
    const change = (path: string, before: string, after: string) =>
      review({ files: [{ path, headText: after, baseText: before, patch: githubPatch(before, after) }], written: [path], config: DEFAULT_CONFIG, reader: memoryReader({ ...repository, [path]: after }) });
    // The policy file alone, made wildcard: reported on the resource that reads it, new, gating.
    const policy = await change('iam/policies/reader.json', POLICY('s3:GetObject'), POLICY('s3:*'));
    expect(found(policy.findings)).toEqual([['aws/iam-wildcard-action', 'aws_iam_policy.reader', 'iam/main.tf:3', false]]);
    expect(policy.gating.map((f) => f.ruleId)).toContain('aws/iam-wildcard-action');
    // The template alone, opened to anyone.
    const trust = await change('iam/trust.json.tpl', TRUST('arn:aws:iam::123456789012:root'), TRUST('${principal}'));
    expect(found(trust.findings)).toEqual([['aws/iam-assume-role-any-principal', 'aws_iam_role.serving', 'iam/main.tf:8', false]]);
    // The Terraform file changed elsewhere: what the policy file held already is pre-existing.
    const renamed = await change('iam/main.tf', MAIN, MAIN.replace('"reader"\n  policy', '"reader-v2"\n  policy'));
    expect(found(renamed.findings)).toEqual([['aws/iam-wildcard-action', 'aws_iam_policy.reader', 'iam/main.tf:3', true]]);
  });

  it('a kubernetes_manifest of yamldecode(templatefile(…)), a kubectl_manifest of templatefile(…): judged as the object the template makes, at that argument', async () => {
    const main = (image: string) => `resource "kubernetes_manifest" "serving" {
  manifest = yamldecode(templatefile("\${path.module}/pod.yaml.tpl", { image = ${image} }))
}

resource "kubernetes_manifest" "plain" {
  manifest = yamldecode(file("\${path.module}/plain.yaml"))
}

resource "kubectl_manifest" "applied" {
  yaml_body = templatefile("\${path.module}/pod.yaml.tpl", { image = ${image} })
}
`;
    const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: models\nspec:\n  containers:\n    - name: srv\n      image: \${image}\n      securityContext:\n        privileged: true\n`;
    const scan = (image: string) =>
      scanFiles([{ path: 'k8s/main.tf', text: main(image) }], { config: DEFAULT_CONFIG, rules: RULES, terraformFiles: { 'k8s/pod.yaml.tpl': pod('serving'), 'k8s/plain.yaml': pod('plain') } });
    const known = await scan('"reg/srv:1"');
    // The object the template makes, named as it names itself; a manifest file read whole is reviewed where it is.
    // Each where a person edits it, the template's line; its fix shown (the template serves every value it is given).
    expect(known.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => [f.resource, `${f.file}:${f.line}`, f.fix?.applicability])).toEqual([
      ['kubernetes_manifest.serving', 'k8s/pod.yaml.tpl:11', 'display'],
      ['kubectl_manifest.applied', 'k8s/pod.yaml.tpl:11', 'display'],
    ]);
    expect(known.findings.find((f) => f.ruleId === 'k8s/seccomp-profile')?.message).toContain('of Pod `serving`');
    expect(known.files[0]!.unseen ?? []).toEqual([]);
    // A value the template is given that is not known: not built, and said so.
    const unknown = await scan('var.image');
    expect(unknown.findings.filter((f) => f.ruleId === 'k8s/privileged')).toEqual([]);
    expect(unknown.files[0]!.unseen?.map((p) => p.lines.startLine)).toEqual([1, 9]);
    // A template that does not read as one YAML document: at the argument.
    const directive = await scanFiles([{ path: 'k8s/main.tf', text: main('"reg/srv:1"') }], { config: DEFAULT_CONFIG, rules: RULES, terraformFiles: { 'k8s/pod.yaml.tpl': `%{ if true }\n${pod('serving')}%{ endif }\n`, 'k8s/plain.yaml': pod('plain') } });
    expect(directive.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => `${f.file}:${f.line}`)).toEqual(['k8s/main.tf:2', 'k8s/main.tf:10']);
  });

  it('a manifest interpolating what is not known, in a module with nothing to evaluate, stays unseen', async () => {
    const text = `resource "kubectl_manifest" "pod" {\n  yaml_body = <<-YAML\n    apiVersion: v1\n    kind: Pod\n    metadata:\n      name: \${var.name}\n  YAML\n}\n`;
    const scanned = await scanFiles([{ path: 'k8s/main.tf', text }], { config: DEFAULT_CONFIG, rules: RULES });
    expect(scanned.files[0]!.unseen?.map((p) => [p.lines.startLine, p.resource])).toEqual([[1, 'kubectl_manifest.pod']]);
  });

  it('in the review: what a templated manifest held is pre-existing when the Terraform file changes, new when its template does', async () => {
    const main = (image: string) => `resource "kubernetes_manifest" "serving" {\n  manifest = yamldecode(templatefile("pod.yaml.tpl", { image = "${image}" }))\n}\n`;
    const pod = (privileged: boolean) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: serving\n  namespace: models\nspec:\n  containers:\n    - name: srv\n      image: \${image}\n      securityContext:\n        privileged: ${privileged}\n`;
    const repository = { 'k8s/main.tf': main('reg/srv:1'), 'k8s/pod.yaml.tpl': pod(true) };
    const change = (path: string, before: string, after: string) =>
      review({ files: [{ path, headText: after, baseText: before, patch: githubPatch(before, after) }], written: [path], config: DEFAULT_CONFIG, reader: memoryReader({ ...repository, [path]: after }), baseReader: memoryReader(repository) });
    const image = await change('k8s/main.tf', main('reg/srv:1'), main('reg/srv:2'));
    expect(image.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => [`${f.file}:${f.line}`, f.preExisting])).toEqual([['k8s/pod.yaml.tpl:11', true]]);
    const opened = await change('k8s/pod.yaml.tpl', pod(false), pod(true));
    expect(opened.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => [`${f.file}:${f.line}`, f.preExisting])).toEqual([['k8s/pod.yaml.tpl:11', false]]);
    // Reviewed in what reads it: the template is not also said not reviewed.
    expect(opened.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
  });

  it('a written file of any name is looked for in the modules up to three folders above it; a Terraform file is not', () => {
    const read = readByTerraform(['iam/policies/reader.json', 'iam/main.tf', 'iam/trust.pol']);
    expect(read.folders).toEqual(['iam/policies', 'iam', '.']);
    expect(read.touched).toEqual(['iam/policies\0file:reader.json', 'iam\0file:policies/reader.json', '.\0file:iam/policies/reader.json', 'iam\0file:trust.pol', '.\0file:iam/trust.pol']);
  });

  it('of those keys, only the ones a scanned Terraform file names in its folder are kept', () => {
    const read = readByTerraform(['iam/policies/reader.json', 'iam/trust.json.tpl', 'k8s/model.yaml']);
    const terraform = [
      { path: 'iam/main.tf', headText: MAIN },
      // A YAML file whose text looks like a call reads nothing: it is not Terraform.
      { path: 'k8s/values.yaml', headText: 'x: file("model.yaml")\n' },
    ];
    expect(keysReadBy(read.touched, terraform)).toEqual(['iam\0file:policies/reader.json', 'iam\0file:trust.json.tpl']);
    expect(keysReadBy(read.touched, [])).toEqual([]);
  });

  it('in the review: a written file no Terraform reads hands the scan no key (each one is weighed for every file)', async () => {
    const repository = { 'iam/main.tf': MAIN, 'iam/policies/reader.json': POLICY('s3:*'), 'k8s/model.yaml': 'kind: ConfigMap\n' };
    const context = (written: string[]) =>
      terraformContext([], [], { reader: memoryReader(repository), admitted: () => true, config: DEFAULT_CONFIG, notReviewed: () => undefined, written });
    expect((await context(['k8s/model.yaml'])).touched).toEqual([]);
    expect((await context(['iam/policies/reader.json', 'k8s/model.yaml'])).touched).toEqual(['iam\0file:policies/reader.json']);
  });

  it('a written file Terraform reads that Warden does not read is not reviewed; one unchanged is a note', async () => {
    const repository = { 'iam/main.tf': MAIN, 'iam/policies/reader.json': POLICY('s3:GetObject'), 'iam/trust.json.tpl': 'x' };
    const reader = { ...memoryReader(repository), read: async (path: string) => (path === 'iam/trust.json.tpl' ? Promise.reject(new UnreadableFile(path, 'not valid UTF-8')) : repository[path as keyof typeof repository] ?? null) };
    const changedTemplate = await review({ files: [], written: ['iam/trust.json.tpl'], config: DEFAULT_CONFIG, reader });
    expect(changedTemplate.gating.map((f) => [f.ruleId, f.file])).toEqual([['warden/not-reviewed', 'iam/trust.json.tpl']]);
    expect(changedTemplate.gating[0]!.message).toContain('Terraform reads this file with `file()` into what it deploys, and Warden did not read it: not valid UTF-8');
    const before = POLICY('s3:ListBucket');
    const changedPolicy = await review({ files: [{ path: 'iam/policies/reader.json', headText: repository['iam/policies/reader.json'], baseText: before, patch: githubPatch(before, repository['iam/policies/reader.json']) }], written: ['iam/policies/reader.json'], config: DEFAULT_CONFIG, reader });
    expect(changedPolicy.gating).toEqual([]);
    expect(changedPolicy.notes).toContainEqual({ file: 'iam/trust.json.tpl', message: expect.stringContaining("read by Terraform's `file()`, not read (not valid UTF-8)") });
  });
});
