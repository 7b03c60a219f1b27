// A label selector naming a key that JavaScript objects inherit (`constructor`, `toString`): to kustomize a label
// like any other, absent unless the object has it. A patch it targets reaches the objects kustomize patches.
import { describe, expect, it } from 'vitest';
import { getIn } from '../../src/common/path.js';
import { PLAIN_DEPLOYMENT, compose } from './helpers.js';

const HOST_NETWORK = '  patch: |-\n    - op: add\n      path: /spec/template/spec/hostNetwork\n      value: true\n';

/** hostNetwork of the Deployment (no labels) once a patch targeting `labelSelector` is composed. */
async function hostNetwork(labelSelector: string): Promise<unknown> {
  const kustomization = `resources:\n- deployment.yaml\npatches:\n- target:\n    labelSelector: ${JSON.stringify(labelSelector)}\n${HOST_NETWORK}`;
  const composed = await compose({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': PLAIN_DEPLOYMENT });
  const deployment = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'Deployment')!;
  return getIn(deployment.body, ['spec', 'template', 'spec', 'hostNetwork']);
}

describe('a label selector on a label the object does not have', () => {
  it.each(['!constructor', '!toString', 'constructor!=x', 'hasOwnProperty notin (x)'])('`%s` selects it: patched', async (selector) => {
    expect(await hostNetwork(selector)).toBe(true);
  });

  it.each(['constructor', 'toString', 'valueOf in (x)', 'constructor=x'])('`%s` does not: not patched', async (selector) => {
    expect(await hostNetwork(selector)).toBeUndefined();
  });
});
