// A SageMaker serving stack written the way the rules ask must pass every rule Warden has:
// the proof that the cloud rules do not fire on correct, realistic Terraform.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { scanFiles } from '../src/engine/run.js';
import { RULES } from '../rules/index.js';
import { CLOUD_RULES } from '../rules/cloud.js';

const dir = join(import.meta.dirname, 'fixtures', 'hardened-sagemaker');
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.tf'))
  .map((name) => ({ path: `hardened-sagemaker/${name}`, text: readFileSync(join(dir, name), 'utf8') }));

describe('hardened SageMaker stack', () => {
  it('gets zero findings from every rule', async () => {
    const result = await scanFiles(files, { config: resolveConfig({}), rules: RULES });
    expect(result.errors).toEqual([]);
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}: ${f.message}`)).toEqual([]);
    // The stack really has the resources the rules look at.
    const kinds = new Set(result.parsed.flatMap((p) => p.resources.map((r) => r.kind)));
    for (const kind of ['aws_s3_bucket', 'aws_s3_bucket_public_access_block', 'aws_iam_policy', 'aws_sagemaker_model', 'aws_sagemaker_endpoint_configuration', 'aws_cloudwatch_log_group']) {
      expect(kinds.has(kind), kind).toBe(true);
    }
  });

  it('gets findings once a hardening is removed (the rules are not silent on it)', async () => {
    const weakened = files.map((f) =>
      f.path.endsWith('serving.tf') ? { ...f, text: f.text.replace('  enable_network_isolation = true\n', '').replace(/  kms_key_arn = .*\n/, '') } : f,
    );
    const result = await scanFiles(weakened, { config: resolveConfig({}), rules: CLOUD_RULES });
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(['aws/sagemaker-endpoint-kms', 'aws/sagemaker-network-isolation']);
  });
});
