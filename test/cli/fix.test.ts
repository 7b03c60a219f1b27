// `warden fix`: proven safe fixes and companions applied to the working tree, in YAML, HCL and .tf.json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warden } from './helpers.js';
import { SERVING } from '../fix/manifests.js';

const STORAGE_TF = `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"
}

resource "aws_s3_bucket_public_access_block" "models" {
  bucket            = aws_s3_bucket.models.id
  block_public_acls = false
}
`;

const DATA_TF_JSON = `{
  "resource": {
    "aws_s3_bucket": { "data": { "bucket": "acme-data" } },
    "aws_s3_bucket_public_access_block": {
      "data": {
        "bucket": "\${aws_s3_bucket.data.id}",
        "block_public_acls": false
      }
    }
  }
}
`;

/** A git work tree with findings in each format. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-fix-'));
  mkdirSync(join(dir, 'k8s'));
  mkdirSync(join(dir, 'tf'));
  writeFileSync(join(dir, 'k8s', 'serving.yaml'), SERVING);
  writeFileSync(join(dir, 'tf', 'storage.tf'), STORAGE_TF);
  writeFileSync(join(dir, 'tf', 'data.tf.json'), DATA_TF_JSON);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

/** Every file below `dir` (not .git) with its text. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else out[rel] = readFileSync(join(dir, rel), 'utf8');
    }
  };
  walk('');
  return out;
}

interface JsonFinding {
  ruleId: string;
  file: string;
  fix: { edits: unknown[] } | null;
  suppressed: unknown;
}

describe('warden fix', () => {
  it('leaves only findings without a safe fix, and a second run changes nothing', async () => {
    const dir = project();
    const before = await warden(['scan', '.', '--format', 'json'], dir);
    const rulesBefore = new Set((JSON.parse(before.stdout).findings as JsonFinding[]).map((f) => f.ruleId));
    for (const id of ['k8s/privileged', 'aws/s3-public-access-block', 'k8s/network-policy-missing']) expect(rulesBefore.has(id), id).toBe(true);

    const fixed = await warden(['fix', '.'], dir);
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toContain('new k8s/network-policies-models.yaml');
    expect(fixed.stdout).toContain('Left for you');
    const files = snapshot(dir);
    expect(Object.keys(files).sort()).toEqual(['k8s/network-policies-models.yaml', 'k8s/serving.yaml', 'tf/data.tf.json', 'tf/storage.tf']);
    expect(files['k8s/serving.yaml']).toContain('privileged: false');
    expect(files['tf/storage.tf']).toMatch(/restrict_public_buckets = true/);
    expect(JSON.parse(files['tf/data.tf.json']!).resource.aws_s3_bucket_public_access_block.data).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });

    // What is left has no safe fix: the scan offers none.
    const after = await warden(['scan', '.', '--format', 'json'], dir);
    const out = JSON.parse(after.stdout) as { findings: JsonFinding[]; fixes: { applicability: string }[]; errors: unknown[] };
    expect(out.errors).toEqual([]);
    for (const id of ['k8s/privileged', 'aws/s3-public-access-block', 'k8s/network-policy-missing', 'warden/parse-error']) {
      expect(out.findings.map((f) => f.ruleId), id).not.toContain(id);
    }
    expect(out.fixes.filter((g) => g.applicability === 'safe')).toEqual([]);
    // Each left finding is listed as left.
    for (const f of out.findings) expect(fixed.stdout).toContain(f.ruleId);

    const again = await warden(['fix', '.'], dir);
    expect(again.stdout).toContain('Nothing to fix automatically.');
    expect(snapshot(dir)).toEqual(files);
  });

  it('--unsafe also applies the fixes that may change how the workload runs', async () => {
    const dir = project();
    await warden(['fix', '.', '--unsafe'], dir);
    const serving = readFileSync(join(dir, 'k8s', 'serving.yaml'), 'utf8');
    expect(serving).toContain('readOnlyRootFilesystem: true');
    expect(serving).toContain('runAsNonRoot: true');
  });

  it('--dry-run changes nothing and prints a patch that git apply turns into what fix writes', async () => {
    const dry = project();
    const wet = project();
    const original = snapshot(dry);
    const { stdout, stderr } = await warden(['fix', '.', '--dry-run'], dry);
    expect(snapshot(dry)).toEqual(original);
    expect(stderr).toContain('Would change 4 files');
    writeFileSync(join(dry, '..', `${dry.split('/').pop()}.patch`), stdout);
    execFileSync('git', ['apply', '--whitespace=nowarn', join(dry, '..', `${dry.split('/').pop()}.patch`)], { cwd: dry });
    await warden(['fix', '.'], wet);
    expect(snapshot(dry)).toEqual(snapshot(wet));
  });

  it('never touches a file that does not parse', async () => {
    const dir = project();
    writeFileSync(join(dir, 'k8s', 'broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec: a: b\n');
    await warden(['fix', '.'], dir);
    expect(readFileSync(join(dir, 'k8s', 'broken.yaml'), 'utf8')).toBe('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec: a: b\n');
  });

  it('--base fixes only what changed since the merge base, as warden diff reviews it', async () => {
    const dir = project();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir });
    // At base: the privileged pod is there already, in a resource the change will not touch.
    writeFileSync(join(dir, 'k8s', 'old.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: old\n  namespace: models\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    securityContext:\n      privileged: true\n');
    git('add', '-A');
    git('commit', '-qm', 'base');
    git('branch', 'base');
    writeFileSync(join(dir, 'tf', 'storage.tf'), STORAGE_TF.replace('acme-models', 'acme-models-v2'));
    const { stdout } = await warden(['fix', '--base', 'base'], dir);
    expect(stdout).toContain('tf/storage.tf');
    const storage = readFileSync(join(dir, 'tf', 'storage.tf'), 'utf8');
    // The changed bucket gets its versioning; the public access block the change did not touch is left as it was.
    expect(storage).toContain('resource "aws_s3_bucket_versioning" "models" {');
    expect(storage).toContain('block_public_acls = false');
    // Unchanged files are not touched.
    expect(readFileSync(join(dir, 'k8s', 'old.yaml'), 'utf8')).toContain('privileged: true');
    expect(readFileSync(join(dir, 'k8s', 'serving.yaml'), 'utf8')).toBe(SERVING);
  });

  it('asks for paths or --base', async () => {
    expect((await warden(['fix'], project())).code).toBe(2);
  });
});
