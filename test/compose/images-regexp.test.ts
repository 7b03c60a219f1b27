// kustomize (v5) matches an `images:` entry's name as a Go regular expression: Warden matches it the same way, and
// fails closed on a name whose Go meaning it cannot reproduce in JavaScript, never comparing it literally.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { getIn } from '../../src/common/path.js';
import { review } from '../../src/review.js';
import { compose, HARDENED_DEPLOYMENT } from './helpers.js';

const BASE = { 'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'serving/base/deployment.yaml': HARDENED_DEPLOYMENT };
const overlay = (images: string) => ({ ...BASE, 'serving/prod/kustomization.yaml': `namespace: models\nresources:\n- ../base\nimages:\n${images}` });

async function composedImage(images: string): Promise<unknown> {
  const composed = await compose(overlay(images));
  const deployment = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'Deployment')!;
  return getIn(deployment.body, ['spec', 'template', 'spec', 'containers', 0, 'image']);
}

async function reviewAdded(images: string) {
  const files = overlay(images);
  const text = files['serving/prod/kustomization.yaml'];
  const patch = `@@ -0,0 +1,${text.trimEnd().split('\n').length} @@\n${text.trimEnd().split('\n').map((l) => `+${l}`).join('\n')}`;
  return review({ files: [{ path: 'serving/prod/kustomization.yaml', headText: text, baseText: null, patch }], config: DEFAULT_CONFIG, reader: memoryReader(files) });
}

describe('an images: entry whose name is a regular expression', () => {
  it('`.*` retags every image, and the unpinned tag is found on the entry\'s `newTag`', async () => {
    const images = '- name: ".*"\n  newName: docker.io/evil/miner\n  newTag: latest\n';
    expect(await composedImage(images)).toBe('docker.io/evil/miner:latest');
    const result = await reviewAdded(images);
    expect(result.findings.filter((f) => f.ruleId === 'k8s/image-tag-pinned').map((f) => `${f.file}:${f.line}`)).toEqual(['serving/prod/kustomization.yaml:7']);
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
  });

  it('a prefix with `.*` matches as kustomize does (the name is not split off first), a near miss does not', async () => {
    expect(await composedImage('- name: nvcr.io/nvidia/triton.*\n  newTag: latest\n')).toBe('nvcr.io/nvidia/tritonserver:latest');
    // Anchored at the start: a name matching only inside the image changes nothing.
    expect(await composedImage('- name: nvidia/tritonserver\n  newTag: latest\n')).toMatch(/^nvcr\.io\/nvidia\/tritonserver:24\.05-py3@sha256:/);
  });

  it('Go syntax JavaScript reads otherwise, written as Go reads it: `(?i)` holds for the rest of the pattern, `\\s` is ASCII space', async () => {
    expect(await composedImage('- name: "(?i)NVCR.IO/nvidia/tritonserver"\n  newTag: latest\n')).toBe('nvcr.io/nvidia/tritonserver:latest');
    expect(await composedImage('- name: "nvcr.io/nvidia/tritonserver\\\\s*"\n  newTag: latest\n')).toBe('nvcr.io/nvidia/tritonserver:latest');
  });

  it('Go syntax Warden cannot match exactly (`(?U)`, `[[:alpha:]]`, `(?i)` on part of it) or that does not compile: the entry is not composed, and the change to it is not reviewed', async () => {
    for (const name of ['"(?U)nvcr.io/nvidia/tritonserver"', '"[[:alpha:]]+.*"', '"nvcr.io/(?i)NVIDIA/tritonserver"', '"nvcr.io/(nvidia"']) {
      const images = `- name: ${name}\n  newName: docker.io/evil/miner\n  newTag: latest\n`;
      expect(await composedImage(images), name).toMatch(/^nvcr\.io\/nvidia\/tritonserver:24\.05-py3@sha256:/);
      const result = await reviewAdded(images);
      const notReviewed = result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');
      expect(notReviewed.map((f) => `${f.file}:${f.line}`), name).toEqual(['serving/prod/kustomization.yaml:5']);
      expect(notReviewed[0]!.message).toContain('Go regular expression');
    }
  });
});
