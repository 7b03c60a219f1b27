// kustomize reads a folder's kustomization from `kustomization.yaml`, `kustomization.yml` or `Kustomization`:
// every one is reviewed, and a folder holding more than one (which kustomize refuses to build) is not guessed at.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { KUSTOMIZATION_NAMES } from '../../src/compose/kustomize.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { isKustomizationFile, KUSTOMIZATION_FILE_NAMES } from '../../src/formats/kustomization-file.js';
import { fileKind } from '../../src/formats/index.js';
import { review } from '../../src/review.js';
import { HARDENED_DEPLOYMENT } from './helpers.js';

const BASE = { 'app/base/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'app/base/deployment.yaml': HARDENED_DEPLOYMENT };
const INLINE_HOST_NETWORK = 'namespace: models\nresources:\n- ../base\npatches:\n- target:\n    kind: Deployment\n  patch: "[{op: add, path: /spec/template/spec/hostNetwork, value: true}]"\n';
const HOST_NETWORK_FILE = '- op: add\n  path: /spec/template/spec/hostNetwork\n  value: true\n';
const NAMING_THE_FILE = 'namespace: models\nresources:\n- ../base\npatches:\n- path: host-network.yaml\n  target:\n    kind: Deployment\n';

function added(path: string, text: string) {
  return { path, headText: text, baseText: null, patch: `@@ -0,0 +1,${text.trimEnd().split('\n').length} @@\n${text.trimEnd().split('\n').map((l) => `+${l}`).join('\n')}` };
}

describe('the kustomization file names', () => {
  it('are one list, `Kustomization` among them, and such a file is YAML to review', () => {
    expect(KUSTOMIZATION_FILE_NAMES).toEqual(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
    expect([...KUSTOMIZATION_NAMES]).toEqual(KUSTOMIZATION_FILE_NAMES);
    expect(isKustomizationFile('app/prod/Kustomization')).toBe(true);
    expect(isKustomizationFile('app/prod/kustomization')).toBe(false);
    expect(fileKind('app/prod/Kustomization')).toBe('yaml');
  });
});

describe('an overlay in a file named `Kustomization`', () => {
  it('is composed: its inline JSON 6902 patch turning host networking on is found on the patch', async () => {
    const files = { ...BASE, 'app/prod/Kustomization': INLINE_HOST_NETWORK };
    const result = await review({ files: [added('app/prod/Kustomization', INLINE_HOST_NETWORK)], config: DEFAULT_CONFIG, reader: memoryReader(files) });
    const hostNetwork = result.findings.filter((f) => f.ruleId === 'k8s/host-namespaces');
    expect(hostNetwork.map((f) => [f.file, f.resource])).toEqual([['app/prod/Kustomization', 'Deployment/models/triton']]);
    expect(result.gating.map((f) => f.ruleId)).toContain('k8s/host-namespaces');
  });

  it('composes the JSON 6902 patch file it names: the change to that file is found where it sets the field', async () => {
    const files = { ...BASE, 'app/prod/Kustomization': NAMING_THE_FILE, 'app/prod/host-network.yaml': HOST_NETWORK_FILE };
    const result = await review({ files: [added('app/prod/host-network.yaml', HOST_NETWORK_FILE)], config: DEFAULT_CONFIG, reader: memoryReader(files) });
    expect(result.findings.filter((f) => f.ruleId === 'k8s/host-namespaces').map((f) => [f.file, f.resource])).toEqual([['app/prod/host-network.yaml', 'Deployment/models/triton']]);
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
  });
});

describe('a folder holding more than one kustomization file', () => {
  it('is not composed (kustomize refuses to build it): the changed files its build reads are not reviewed', async () => {
    const quiet = 'namespace: models\nresources:\n- ../base\n';
    const files = { ...BASE, 'app/prod/kustomization.yaml': quiet, 'app/prod/Kustomization': NAMING_THE_FILE, 'app/prod/host-network.yaml': HOST_NETWORK_FILE };
    for (const changed of ['app/prod/Kustomization', 'app/prod/kustomization.yaml', 'app/base/deployment.yaml']) {
      const result = await review({ files: [added(changed, files[changed as keyof typeof files])], config: DEFAULT_CONFIG, reader: memoryReader(files) });
      const notReviewed = result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');
      expect(notReviewed.map((f) => f.file), changed).toEqual([changed]);
      expect(notReviewed[0]!.message).toContain('more than one kustomization file');
    }
  });
});
