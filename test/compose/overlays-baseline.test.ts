// What a pull request does to each overlay is judged against that overlay at base. A finding is known by where its
// value is written (a base shared by overlays), so the same finding in another overlay must not make it look old.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { githubPatch } from '../app/fake-github.js';
import { PLAIN_DEPLOYMENT } from './helpers.js';

// The base runs as root unless an overlay says otherwise; prod's patch hardens it, dev deploys it as written.
const BASE_DEPLOYMENT = PLAIN_DEPLOYMENT.replace('        image:', '        securityContext:\n          privileged: true\n        image:');
const HARDENING = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: server
        securityContext:
          privileged: false
`;
const PROD = 'namespace: prod\nresources:\n- ../../base\npatches:\n- path: harden.yaml\n';
const LAYOUT: Record<string, string> = {
  'app/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'app/base/deployment.yaml': BASE_DEPLOYMENT,
  'app/overlays/dev/kustomization.yaml': 'namespace: dev\nresources:\n- ../../base\n',
  'app/overlays/prod/kustomization.yaml': PROD,
  'app/overlays/prod/harden.yaml': HARDENING,
};

function change(files: Record<string, string>, edits: Record<string, string>) {
  const head = { ...files, ...edits };
  return review({
    files: Object.keys(edits).map((path) => ({ path, headText: edits[path]!, baseText: files[path]!, patch: githubPatch(files[path]!, edits[path]!) })),
    config: DEFAULT_CONFIG,
    reader: memoryReader(head),
  });
}

describe('a composed finding against its own overlay at base', () => {
  it('prod losing its hardening patch gates, though dev deployed the same base value before (and the base changed too)', async () => {
    const result = await change(LAYOUT, {
      'app/overlays/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../../base\n',
      'app/base/deployment.yaml': BASE_DEPLOYMENT.replace('  name: triton\n', '  name: triton\n  labels:\n    team: serving\n'),
    });
    const privileged = result.findings.filter((f) => f.ruleId === 'k8s/privileged');
    expect(privileged.map((f) => [f.file, f.preExisting])).toEqual([['app/base/deployment.yaml', false]]);
    expect(result.gating.some((f) => f.ruleId === 'k8s/privileged')).toBe(true);
  });

  it('prod losing its hardening patch gates when dev is edited in the same change', async () => {
    const result = await change(LAYOUT, {
      'app/overlays/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../../base\n',
      'app/overlays/dev/kustomization.yaml': 'namespace: dev\ncommonLabels:\n  env: dev\nresources:\n- ../../base\n',
    });
    const privileged = result.findings.filter((f) => f.ruleId === 'k8s/privileged');
    expect(privileged.map((f) => [f.file, f.preExisting])).toEqual([['app/base/deployment.yaml', false]]);
  });

  it('a hardening patch entry removed where no line left around it builds anything: prod is built otherwise, and gates', async () => {
    const commented = 'namespace: prod\nresources:\n- ../../base\n# hardening\npatches:\n- path: harden.yaml\n# end\n';
    const result = await change({ ...LAYOUT, 'app/overlays/prod/kustomization.yaml': commented }, { 'app/overlays/prod/kustomization.yaml': commented.replace('patches:\n- path: harden.yaml\n', '') });
    const privileged = result.findings.filter((f) => f.ruleId === 'k8s/privileged');
    expect(privileged.map((f) => [f.file, f.preExisting])).toEqual([['app/base/deployment.yaml', false]]);
    // What prod deployed before is listed as it was: pre-existing, not gating.
    expect(result.findings.filter((f) => f.ruleId === 'k8s/image-digest').map((f) => f.preExisting)).toEqual([true]);
    expect(result.gating.map((f) => f.ruleId)).toEqual(['k8s/privileged']);
  });

  it('a change to the base alone leaves dev\'s finding as it was: pre-existing', async () => {
    const result = await change(LAYOUT, { 'app/base/deployment.yaml': BASE_DEPLOYMENT.replace('  name: triton\n', '  name: triton\n  labels:\n    team: serving\n') });
    const privileged = result.findings.filter((f) => f.ruleId === 'k8s/privileged');
    expect(privileged.map((f) => [f.file, f.preExisting])).toEqual([['app/base/deployment.yaml', true]]);
  });

  it('a new overlay deploying the base deploys its findings anew', async () => {
    const result = await change({ ...LAYOUT, 'app/overlays/staging/kustomization.yaml': '' }, { 'app/overlays/staging/kustomization.yaml': 'namespace: staging\nresources:\n- ../../base\n' });
    const privileged = result.findings.filter((f) => f.ruleId === 'k8s/privileged');
    expect(privileged.map((f) => [f.file, f.preExisting])).toEqual([['app/base/deployment.yaml', false]]);
  });
});
