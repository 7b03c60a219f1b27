// Terraform's override files: each block is merged into the module's block of the same address, what it writes
// replacing the original's. Warden reports what an override block writes, never what it leaves to the original.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { isOverrideFile } from '../../src/formats/terraform-overrides.js';
import { RULES } from '../../rules/index.js';
import { review } from '../../src/review.js';
import { githubPatch } from '../app/fake-github.js';

const MAIN = `resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = "ml-models"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "kubernetes_deployment_v1" "triton" {
  metadata {
    name      = "triton"
    namespace = "serving"
  }
  spec {
    template {
      metadata {}
      spec {
        automount_service_account_token = false
        container {
          name  = "triton"
          image = "nvcr.io/nvidia/tritonserver@sha256:${'0'.repeat(64)}"
        }
      }
    }
  }
}
`;

const scan = (override: string, path = 'infra/main_override.tf') =>
  scanFiles(
    [
      { path: 'infra/main.tf', text: MAIN },
      { path, text: override },
    ],
    { config: DEFAULT_CONFIG, rules: RULES, repository: { resources: [], complete: true } },
  );
const inOverride = (findings: { file: string; ruleId: string; line: number }[]) => findings.filter((f) => f.file.startsWith('infra/main_override.tf')).map((f) => `${f.ruleId}:${f.line}`);

describe('Terraform override files', () => {
  it('are the files Terraform calls so', () => {
    expect(['override.tf', 'infra/override.tf', 'infra/main_override.tf', 'infra/override.tf.json', 'infra/main_override.tf.json'].map(isOverrideFile)).toEqual([true, true, true, true, true]);
    expect(['infra/overrides.tf', 'infra/override.tfvars', 'infra/override_main.tf', 'infra/main_override.tf.bak'].map(isOverrideFile)).toEqual([false, false, false, false]);
  });

  it('a block that repeats one setting is not judged for the settings it leaves to the original; what the merge deploys is a part not seen', async () => {
    const override = 'resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_acls = true\n}\n';
    const { findings, parsed } = await scan(override);
    expect(inOverride(findings)).toEqual([]);
    expect(parsed.find((p) => p.file === 'infra/main_override.tf')!.unseen).toEqual([
      { lines: { startLine: 1, endLine: 3 }, reason: expect.stringContaining('what `aws_s3_bucket_public_access_block.models` deploys once Terraform merges this override') },
    ]);
    // A change to the block fails closed there, acknowledgeable as any part not reviewed.
    const before = 'resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_acls = false\n}\n';
    const changed = await review({ files: [{ path: 'infra/main_override.tf', headText: override, baseText: before, patch: githubPatch(before, override) }], config: DEFAULT_CONFIG });
    expect(changed.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 1]]);
  });

  it('what a block writes is judged where it is written', async () => {
    const { findings } = await scan('resource "aws_s3_bucket_public_access_block" "models" {\n  block_public_policy = false\n}\n');
    expect(inOverride(findings)).toEqual(['aws/s3-public-access-block:2']);
  });

  it('in Terraform JSON the same', async () => {
    const json = (setting: string) => JSON.stringify({ resource: { aws_s3_bucket_public_access_block: { models: { [setting]: setting !== 'block_public_policy' } } } }, null, 2);
    expect(inOverride((await scan(json('block_public_acls'), 'infra/main_override.tf.json')).findings)).toEqual([]);
    expect(inOverride((await scan(json('block_public_policy'), 'infra/main_override.tf.json')).findings)).toEqual(['aws/s3-public-access-block:5']);
  });

  it('a kubernetes_* block: a `spec` it writes replaces the original\'s whole, and is judged; the `metadata` it leaves is not', async () => {
    const spec = 'resource "kubernetes_deployment_v1" "triton" {\n  spec {\n    template {\n      metadata {}\n      spec {\n        container {\n          name  = "triton"\n          image = "nvcr.io/nvidia/tritonserver:24.01-py3"\n          security_context {\n            privileged = true\n          }\n        }\n      }\n    }\n  }\n}\n';
    const rules = new Set(inOverride((await scan(spec)).findings).map((f) => f.split(':')[0]));
    expect(rules.has('k8s/privileged')).toBe(true);
    // The namespace is the original's `metadata`: not missing.
    expect(rules.has('k8s/default-namespace')).toBe(false);
  });
});
