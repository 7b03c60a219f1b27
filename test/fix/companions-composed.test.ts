// Companions are planned from findings on objects written in a file: a composed object's finding sits on its
// kustomization, which holds no such object, so none is planned and no file is parsed for it.
import { describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { planCompanions } from '../../src/companions.js';
import { buildRepositoryIndex, memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import * as pooled from '../../src/worker/pooled.js';
import { RULES } from '../../rules/index.js';
import { SERVING } from './manifests.js';

vi.mock('../../src/worker/pooled.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/worker/pooled.js')>();
  return { ...real, resourcesPooled: vi.fn(real.resourcesPooled) };
});

const config = resolveConfig({});

describe('companions of composed objects', () => {
  it('plans none from a finding on a kustomization, parsing nothing, and still plans one for the manifest beside it', async () => {
    const deployment = SERVING.split('---\n').find((d) => d.includes('kind: Deployment'))!.replace('  namespace: models\n', '');
    const files = {
      'base/deployment.yaml': deployment,
      'base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'overlay/kustomization.yaml': 'namespace: scoring\nresources:\n- ../base\n',
    };
    const repository = await buildRepositoryIndex(memoryReader(files), config);
    const reviewed = await review({ files: Object.entries(files).map(([path, headText]) => ({ path, headText })), config, rules: RULES, repository, reader: memoryReader(files), selected: true });
    const missing = reviewed.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing');
    expect(missing.map((f) => [f.file, f.namespace])).toEqual([['overlay/kustomization.yaml', 'scoring']]);

    const texts = new Map(Object.entries(files));
    vi.mocked(pooled.resourcesPooled).mockClear();
    expect(await planCompanions(reviewed.findings, texts, (p) => p in files, { config, rules: RULES, repository })).toEqual([]);
    expect(pooled.resourcesPooled).not.toHaveBeenCalled();

    // The same object written in a file of its own: its companion is planned.
    const written = { ...files, 'apps/serving.yaml': SERVING };
    const own = await review({ files: Object.entries(written).map(([path, headText]) => ({ path, headText })), config, rules: RULES, repository: await buildRepositoryIndex(memoryReader(written), config), reader: memoryReader(written), selected: true });
    const planned = await planCompanions(own.findings, new Map(Object.entries(written)), (p) => p in written, { config, rules: RULES, repository });
    expect(planned.map((c) => c.file)).toEqual(['apps/network-policies-models.yaml']);
  });
});
