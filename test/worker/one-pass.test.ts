// Files that give the other files of a scan nothing are parsed once, when evaluated; the findings stay those of the
// in-process engine, which sees every file at once.
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { ScanPool } from '../../src/worker/pool.js';
import { mayGiveContext } from '../../src/worker/transfer.js';
import { LOOKED_UP_KINDS, RULES } from '../../rules/index.js';
import { deployment, POLICY } from './manifests.js';

const ALL = RULES.map((rule) => rule.id);
/** The whole repository is these files: the rules that look across it speak. */
const repository = { resources: [], complete: true };
const pool = new ScanPool({ size: 2 });
afterAll(() => pool.close());

describe('which files a scan parses before evaluating the others', () => {
  it('every file but YAML that names no looked-up kind as a word', () => {
    const gives = (path: string, text: string) => mayGiveContext(path, text, LOOKED_UP_KINDS);
    expect(gives('k8s/app.yaml', deployment('app'))).toBe(false);
    // A field name that holds a kind's name is no kind.
    expect(gives('k8s/app.yaml', 'spec:\n  automountServiceAccountToken: false\n')).toBe(false);
    expect(gives('k8s/policy.yaml', POLICY)).toBe(true);
    expect(gives('k8s/sa.yaml', "kind: 'ServiceAccount'\n")).toBe(true);
    expect(gives('k8s/list.yaml', 'items: [{kind: Role}]\n')).toBe(true);
    // An escape could spell a kind without naming it.
    expect(gives('k8s/escaped.yaml', 'kind: "Ro\\x6ce"\n')).toBe(true);
    // A kustomization need not name its kind; Terraform and JSON give declarations and lookups of their own.
    expect(gives('k8s/kustomization.yaml', 'resources: [app.yaml]\n')).toBe(true);
    expect(gives('tf/main.tf', 'locals {}\n')).toBe(true);
    expect(gives('k8s/app.json', '{}')).toBe(true);
  });

  it('a file parsed once still sees what the others hold, and is listed with its parse', async () => {
    const files = [
      { path: 'k8s/a.yaml', text: deployment('a'), changed: new Set([4]) },
      { path: 'k8s/policy.yaml', text: POLICY },
      { path: 'k8s/broken.yaml', text: 'kind: [unclosed\n' },
      { path: 'k8s/b.yaml', text: deployment('b') },
    ];
    const inProcess = await scanFiles(files, { config: DEFAULT_CONFIG, rules: RULES, repository });
    const pooled = await pool.scan(files, { config: DEFAULT_CONFIG, ruleIds: ALL, repository });
    expect(pooled.findings).toEqual(inProcess.findings);
    expect(pooled.files.map((f) => [f.file, f.errors, f.notes, f.resourceCount])).toEqual(inProcess.parsed.map((p) => [p.file, p.errors, p.notes, p.resources.length]));
    expect(pooled.errors).toEqual([]);
    // The policy in another file is what keeps the workloads from the missing-policy finding.
    const withoutPolicy = await pool.scan(
      files.filter((f) => f.path !== 'k8s/policy.yaml'),
      { config: DEFAULT_CONFIG, ruleIds: ALL, repository },
    );
    const missing = (findings: { ruleId: string }[]) => findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').length;
    expect(missing(withoutPolicy.findings)).toBeGreaterThan(0);
    expect(missing(pooled.findings)).toBe(0);
    // A baseline's fingerprints are those of the same scan.
    expect(await pool.fingerprints(files, { config: DEFAULT_CONFIG, ruleIds: ALL, repository })).toEqual(new Set(inProcess.findings.map((f) => f.fingerprint)));
  });

  it('manifests are evaluated before the Terraform files are parsed, unless one writes an object their rules look up: the findings stay the same', async () => {
    const variables = 'variable "acl" {\n  default = "public-read"\n}\n';
    const bucket = 'resource "aws_s3_bucket_acl" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n\nresource "kubernetes_deployment_v1" "batch" {\n  metadata {\n    name      = "batch"\n    namespace = "serving"\n  }\n  spec {\n    template {\n      metadata {}\n      spec {\n        container {\n          name  = "batch"\n          image = "registry.example/batch:1.0"\n        }\n      }\n    }\n  }\n}\n';
    const policy = 'resource "kubernetes_network_policy_v1" "deny" {\n  metadata {\n    name      = "default-deny"\n    namespace = "serving"\n  }\n  spec {\n    pod_selector {}\n    policy_types = ["Ingress", "Egress"]\n  }\n}\n';
    const missing = (findings: { ruleId: string }[]) => findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').length;
    for (const terraform of [[{ path: 'tf/variables.tf', text: variables }, { path: 'tf/main.tf', text: bucket }], [{ path: 'tf/variables.tf', text: variables }, { path: 'tf/main.tf', text: bucket }, { path: 'tf/policy.tf', text: policy }]]) {
      const files = [{ path: 'k8s/a.yaml', text: deployment('a') }, ...terraform, { path: 'k8s/b.yaml', text: deployment('b') }];
      const inProcess = await scanFiles(files, { config: DEFAULT_CONFIG, rules: RULES, repository });
      const pooled = await pool.scan(files, { config: DEFAULT_CONFIG, ruleIds: ALL, repository });
      expect(pooled.findings).toEqual(inProcess.findings);
      expect(await pool.fingerprints(files, { config: DEFAULT_CONFIG, ruleIds: ALL, repository })).toEqual(new Set(inProcess.findings.map((f) => f.fingerprint)));
      // The variable of another Terraform file reached the bucket; the policy Terraform writes reached the manifests.
      expect(pooled.findings.some((f) => f.ruleId === 'aws/s3-public-acl')).toBe(true);
      expect(missing(pooled.findings) === 0).toBe(terraform.length === 3);
    }
  });
});

