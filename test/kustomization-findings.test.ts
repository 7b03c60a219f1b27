// What a kustomization writes into an object it composes is judged in both by a rule that reads every object
// (k8s/credential-literal): a review states it once, in the object deployed.
import { describe, expect, it } from 'vitest';
import credentialLiteral from '../rules/k8s/credential-literal.js';
import { DEFAULT_CONFIG } from '../src/config.js';
import { memoryReader } from '../src/engine/repository-index.js';
import { review } from '../src/review.js';

const PASSWORD_URL = 'https://ci:' + 'pa55w0rd-x@registry.example.com/bert';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bert\n  namespace: serving\nspec:\n  template:\n    spec:\n      containers:\n      - name: srv\n        image: reg/bert:1\n';

async function reviewed(kustomization: string) {
  const files = { 'serving/kustomization.yaml': kustomization, 'serving/deployment.yaml': DEPLOYMENT };
  const result = await review({ files: Object.entries(files).map(([path, headText]) => ({ path, headText })), config: DEFAULT_CONFIG, rules: [credentialLiteral], reader: memoryReader(files) });
  return result.findings.filter((f) => f.ruleId === 'k8s/credential-literal');
}

describe('a kustomization and what it composes', () => {
  it('a value written into a composed object is stated once, on the object, keeping the kustomization\'s fingerprint', async () => {
    const found = await reviewed(`resources:\n- deployment.yaml\nimages:\n- name: reg/bert\n  newName: ${PASSWORD_URL}\n`);
    expect(found.map((f) => `${f.line} ${f.resource}`)).toEqual(['5 Deployment/serving/bert']);
    expect(found[0]!.also).toHaveLength(1);
  });

  it('a value no object receives stays the kustomization\'s', async () => {
    const found = await reviewed(`resources:\n- deployment.yaml\nimages:\n- name: not-deployed\n  newName: ${PASSWORD_URL}\n`);
    expect(found.map((f) => `${f.line} ${f.resource}`)).toEqual(['5 Kustomization/']);
  });
});
