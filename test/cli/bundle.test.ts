// `warden` as installed runs the bundle `npm run build` makes (scripts/bundle.ts), its scan worker bundled beside it.
// It must answer what the command line from the sources answers: YAML, Terraform (hcl2json and the HCL grammar load
// their WebAssembly from outside the bundle), a Helm chart, and its exit code. npm ci builds it (`prepare`); after
// changing the sources, `npm run build` makes this test current.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PRIVILEGED_POD, warden } from './helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'warden.js');

async function installed(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number' || failed.stdout === undefined) throw error;
    if (failed.code > 1) throw new Error(`bin/warden.js exited with ${failed.code}: ${failed.stderr}`);
    return { code: failed.code, stdout: failed.stdout };
  }
}

/** The JSON report without its timing. */
function report(stdout: string): unknown {
  const out = JSON.parse(stdout) as { stats: Record<string, unknown> };
  delete out.stats.ms;
  return out;
}

describe('the installed command (bin/warden.js, bundled)', () => {
  it('answers a scan of YAML, Terraform and a chart as the sources do, in its worker pool', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-bundle-'));
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'hardened-sagemaker'), join(dir, 'tf'), { recursive: true });
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'charts', 'model-server'), join(dir, 'chart'), { recursive: true });
    writeFileSync(join(dir, 'pod.yaml'), PRIVILEGED_POD);
    writeFileSync(join(dir, 'tf', 'bucket.tf'), 'resource "aws_s3_bucket" "scratch" {\n  bucket = "scratch"\n}\n');
    const args = ['scan', dir, '--format', 'json'];
    const [bundled, sources] = [await installed(args), await warden(args)];
    expect(bundled.code).toBe(1);
    const findings = (JSON.parse(bundled.stdout) as { findings: { file: string; ruleId: string }[] }).findings;
    expect(findings).toContainEqual(expect.objectContaining({ file: join(dir, 'pod.yaml'), ruleId: 'k8s/privileged' }));
    expect(findings.some((f) => f.file === join(dir, 'tf', 'bucket.tf'))).toBe(true);
    expect(report(bundled.stdout)).toEqual(report(sources.stdout));
    expect(bundled.code).toBe(sources.code);
  });

  it('prints its version', async () => {
    const { code, stdout } = await installed(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
