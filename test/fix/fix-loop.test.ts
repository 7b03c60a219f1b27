// The fix loop's last guard: a file whose proven edits do not parse together is left as it was, said once, and
// the other files' fixes are still applied.
import { describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../../src/engine/repository-index.js';
import { fixTexts } from '../../src/fix-loop.js';
import { appliedLine } from '../../src/output/text.js';
import { review } from '../../src/review.js';
import { RULES } from '../../rules/index.js';
import { SERVING } from './manifests.js';
import { BROKEN } from './unparseable-together.js';

vi.mock('../../src/fixes.js', async (importOriginal) => (await import('./unparseable-together.js')).withUnclosedEdit(await importOriginal()));

const config = resolveConfig({});

async function reviewOf(texts: ReadonlyMap<string, string>) {
  const repository = await buildRepositoryIndex(memoryReader(Object.fromEntries(texts)), config);
  return { result: await review({ files: [...texts].map(([path, headText]) => ({ path, headText })), config, rules: RULES, repository, selected: true }), repository };
}

describe('the fix loop', () => {
  it('leaves a file whose fixes together would not parse unchanged, says so once, and fixes the other files', async () => {
    const files = new Map([
      ['k8s/serving.yaml', SERVING],
      [BROKEN, SERVING],
    ]);
    const run = await fixTexts(files, { config, rules: RULES, unsafe: true, review: reviewOf, exists: () => false });

    const changed = run.changes.map((c) => c.file);
    expect(changed).toContain('k8s/serving.yaml');
    expect(changed).not.toContain(BROKEN);
    expect(run.changes.find((c) => c.file === 'k8s/serving.yaml')!.after).not.toContain('privileged: true');
    // A round changed the other file, so the loop tried this one again in the next: said once all the same.
    expect(run.rounds).toBeGreaterThanOrEqual(1);
    expect(run.refused).toEqual([{ file: BROKEN, reason: 'its fixes together would leave it unparseable: left unchanged' }]);
    // Nothing of the refused file counts as applied, and its findings are still there in the final review.
    expect(run.applied.filter((a) => a.file === BROKEN)).toEqual([]);
    expect(run.result.findings.some((f) => f.file === BROKEN && f.ruleId === 'k8s/privileged')).toBe(true);
  });

  it('names the object of each fix, so two objects fixed alike in one file are told apart', async () => {
    const documents = SERVING.split('---\n');
    const deployment = documents.find((d) => d.includes('kind: Deployment'))!;
    const twice = [...documents, deployment.replace(/triton/g, 'vllm')].join('---\n');
    const run = await fixTexts(new Map([['k8s/serving.yaml', twice]]), { config, rules: RULES, unsafe: false, review: reviewOf, exists: () => false });
    const fixes = run.applied.filter((a) => !a.created);
    expect(fixes.map((a) => a.resources)).toEqual([['Deployment/models/triton'], ['Deployment/models/vllm']]);
    expect(fixes[0]!.description).toBe(fixes[1]!.description);
    expect(fixes.map(appliedLine)).toEqual(fixes.map((a) => `k8s/serving.yaml (${a.resources[0]!}): ${a.description} (${a.ruleIds.join(', ')})`));
  });
});
