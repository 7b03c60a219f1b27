// A change to a path of a name Warden does not read, which a kustomization deploys (src/unread-deployed.ts).
import { expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config.js';
import { memoryReader } from '../src/engine/repository-index.js';
import { review } from '../src/review.js';

it('an entry without a dot names a folder to kustomize; a changed file (or link) in its place is not reviewed, and said to be a path', async () => {
  const reader = memoryReader({ 'k8s/kustomization.yaml': 'resources:\n- extra\n- pod.txt\n', 'k8s/extra': 'kind: Pod\n', 'k8s/pod.txt': 'kind: Pod\n', 'k8s/notes': 'x\n' });
  const { findings } = await review({ files: [], written: ['k8s/extra', 'k8s/pod.txt', 'k8s/notes'], config: DEFAULT_CONFIG, reader });
  expect(findings.map((f) => [f.file, /deploys (this path|this file)/.exec(f.message)?.[1]])).toEqual([
    ['k8s/extra', 'this path'],
    ['k8s/pod.txt', 'this file'],
  ]);
});
