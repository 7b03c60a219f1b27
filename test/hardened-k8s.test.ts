// A hardened model-serving stack gets zero findings from every rule Warden runs, with default config:
// precision matters as much as recall.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { buildRepositoryIndex } from '../src/engine/repository-index.js';
import { scanFiles } from '../src/engine/run.js';
import { localRepositoryReader } from '../src/repository/local.js';
import { RULES } from '../rules/index.js';

const ROOT = join(import.meta.dirname, 'fixtures', 'hardened');

describe('hardened model-serving stack', () => {
  it('gets no findings from any rule', async () => {
    const config = resolveConfig({});
    const repository = await buildRepositoryIndex(localRepositoryReader(ROOT, config), config);
    expect(repository.complete).toBe(true);
    const files = readdirSync(ROOT).filter((f) => /\.(ya?ml|tf)$/.test(f)).sort();
    expect(files.length).toBeGreaterThanOrEqual(6);
    const result = await scanFiles(
      files.map((f) => ({ path: f, text: readFileSync(join(ROOT, f), 'utf8') })),
      { config, rules: RULES, repository },
    );
    expect(result.errors).toEqual([]);
    expect(result.stats.resources).toBeGreaterThanOrEqual(10);
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.message}`)).toEqual([]);
  });

  it('is not vacuous: the same stack with its safeguards removed is flagged by the cross-resource rules', async () => {
    const config = resolveConfig({});
    const text = (f: string) => readFileSync(join(ROOT, f), 'utf8');
    const files: Record<string, string> = { 'namespace.yaml': text('namespace.yaml').replace(/^ {4}pod-security.*\n/gm, ''), 'deployment.yaml': text('deployment.yaml') };
    const reader = { paths: async () => Object.keys(files), read: async (p: string) => files[p] ?? null };
    const repository = await buildRepositoryIndex(reader, config);
    const result = await scanFiles(Object.entries(files).map(([path, t]) => ({ path, text: t })), { config, rules: RULES, repository });
    const ids = new Set(result.findings.map((f) => f.ruleId));
    expect(ids).toContain('k8s/network-policy-missing');
    expect(ids).toContain('k8s/namespace-pss-enforce');
    expect(ids).toContain('k8s/gpu-namespace-quota');
  });
});
