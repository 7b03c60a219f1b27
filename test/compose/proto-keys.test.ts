// Keys that JavaScript objects inherit (`constructor`, `toString`) in what kustomize reads: to kustomize a label or a
// field like any other, absent unless the object has it. A patch reaches, and merges into, what kustomize patches.
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

describe('a strategic-merge patch of a field named constructor', () => {
  it('replaces the list as kustomize does a field with no merge key (it was merged by an inherited function and threw)', async () => {
    const deployment = PLAIN_DEPLOYMENT.replace('spec:\n  template:', 'spec:\n  constructor:\n  - name: a\n  template:');
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: triton\nspec:\n  constructor:\n  - name: b\n  toString: null\n';
    const composed = await compose({ 'app/kustomization.yaml': 'resources:\n- deployment.yaml\npatches:\n- path: patch.yaml\n', 'app/deployment.yaml': deployment, 'app/patch.yaml': patch });
    const body = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'Deployment')!.body;
    expect(getIn(body, ['spec', 'constructor'])).toEqual([{ name: 'b' }]);
    expect(Object.keys(body.spec as object)).toEqual(['constructor', 'template']);
  });
});
