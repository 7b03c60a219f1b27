// Warden's own deployment (deploy/) passes its own review: zero findings from every rule in rules/index.ts,
// with the cross-resource rules seeing the whole folder, as `warden scan deploy/` does.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { buildRepositoryIndex } from '../src/engine/repository-index.js';
import { scanFiles } from '../src/engine/run.js';
import { localRepositoryReader } from '../src/repository/local.js';
import { closeSharedPool } from '../src/worker/pool.js';
import { RULES } from '../rules/index.js';
import { warden } from './cli/helpers.js';

const ROOT = join(import.meta.dirname, '..', 'deploy');
const files = readdirSync(ROOT).filter((f) => /\.(ya?ml|tf)$/.test(f)).sort();

afterAll(() => closeSharedPool());

async function scan(texts: { path: string; text: string }[]) {
  const config = resolveConfig({});
  const repository = await buildRepositoryIndex(localRepositoryReader(ROOT, config), config);
  expect(repository.complete).toBe(true);
  return scanFiles(texts, { config, rules: RULES, repository });
}

describe('deploy/', () => {
  it('gets zero findings from every rule', async () => {
    const result = await scan(files.map((f) => ({ path: f, text: readFileSync(join(ROOT, f), 'utf8') })));
    expect(result.errors).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.stats.resources).toBeGreaterThanOrEqual(8);
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.message}`)).toEqual([]);
  });

  it('and so does `warden scan deploy/` (exit 0, nothing suppressed)', async () => {
    const { code, stdout } = await warden(['scan', ROOT, '--format', 'json']);
    const out = JSON.parse(stdout) as { findings: unknown[]; errors: { file: string }[] };
    expect(out.findings).toEqual([]);
    // The repository index may note files elsewhere in this repository (test charts, named as the scan names them:
    // absolute, as its argument is); none of deploy/ is noted.
    expect(out.errors.filter((e) => resolve(e.file).startsWith(`${ROOT}${sep}`))).toEqual([]);
    expect(out.errors.every((e) => resolve(e.file).startsWith(`${resolve(ROOT, '..', 'test')}${sep}`))).toBe(true);
    expect(code).toBe(0);
  });

  it("the image starts the server as `npm start` does, with the same Node flags (the benchmark's memory figures depend on them)", () => {
    const dockerfile = readFileSync(join(ROOT, '..', 'Dockerfile'), 'utf8');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    const pkg = JSON.parse(readFileSync(join(ROOT, '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
    expect(cmd).toEqual(pkg.scripts.start.split(' '));
    expect(cmd).toContain('--optimize-for-size');
  });

  it('is not vacuous: without its safeguards the same Deployment is flagged', async () => {
    const deployment = readFileSync(join(ROOT, 'deployment.yaml'), 'utf8')
      .replace('          readOnlyRootFilesystem: true\n', '')
      .replace(/@sha256:[0-9a-f]{64}/, '');
    const result = await scan([{ path: 'deployment.yaml', text: deployment }]);
    const rules = result.findings.map((f) => f.ruleId);
    expect(rules).toContain('k8s/read-only-root-filesystem');
    expect(rules).toContain('k8s/image-digest');
  });
});
