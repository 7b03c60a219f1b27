// A composition reviewed in batches of roots gives the review it would give whole: findings once, fixes offered
// only where every batch proved the same, and each build judged new or not against itself at base.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { reviewComposition, type CompositionRequest, type CompositionReview } from '../../src/composed-review.js';
import { ComposedBatches } from '../../src/composed-batches.js';
import { EMPTY_REPOSITORY } from '../../src/engine/repository.js';
import type { Finding } from '../../src/model.js';
import { RULES } from '../../rules/index.js';
import { HARDENED_DEPLOYMENT, PLAIN_DEPLOYMENT, envPatch, localChart } from './helpers.js';

const OPTIONS = { config: DEFAULT_CONFIG, rules: RULES, repository: EMPTY_REPOSITORY };
const PRIVILEGED = HARDENED_DEPLOYMENT.replace('          allowPrivilegeEscalation: false\n', '          allowPrivilegeEscalation: false\n          privileged: true\n');
const HOST_NETWORK = (text: string) => text.replace('    spec:\n', '    spec:\n      hostNetwork: true\n');

/**
 * A base built by five overlays. At base it ran on the host's network; the change makes its container privileged
 * too, and (with `newOverlay`) adds a sixth overlay (built first: roots are built in order), whose build is new: everything it deploys is new.
 */
function change(newOverlay: boolean): { request: CompositionRequest; read: (path: string) => Promise<string | null> } {
  const unchanged: Record<string, string> = { 'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n' };
  for (let i = 0; i < 5; i++) unchanged[`fan/o${i}/kustomization.yaml`] = `namespace: n${i}\nresources:\n- ../../serving/base\n`;
  const changed: CompositionRequest['changed'] = [{ path: 'serving/base/deployment.yaml', headText: HOST_NETWORK(PRIVILEGED), baseText: HOST_NETWORK(HARDENED_DEPLOYMENT), lines: null }];
  if (newOverlay) changed.push({ path: 'fan/a-new/kustomization.yaml', headText: 'namespace: n5\nresources:\n- ../../serving/base\n', baseText: null, lines: null });
  return {
    request: { paths: [...Object.keys(unchanged), ...changed.map((c) => c.path)], changed, hasBase: true },
    read: async (path) => unchanged[path] ?? null,
  };
}

describe('a composition reviewed in batches of roots', () => {
  for (const newOverlay of [false, true]) {
    it(`gives the review it gives whole${newOverlay ? ', a build new at head making what it deploys new' : ''}`, async () => {
      const { request, read } = change(newOverlay);
      const whole = await reviewComposition(request, read, OPTIONS, { rootsPerBatch: 1000 });
      for (const rootsPerBatch of [1, 2, 4]) {
        let steps = 0;
        expect(await reviewComposition(request, read, OPTIONS, { rootsPerBatch, stepDone: () => steps++ })).toEqual(whole);
        // The plan and each batch told as done (the pool's clock starts again for the next).
        expect(steps).toBe(1 + Math.ceil((newOverlay ? 6 : 5) / rootsPerBatch));
      }
      const byRule = new Map(whole.findings.map((f) => [f.ruleId, f]));
      // Each found once, on the base, whichever overlays built it.
      expect(whole.findings.filter((f) => f.ruleId === 'k8s/privileged')).toHaveLength(1);
      const privileged = byRule.get('k8s/privileged')!;
      expect(privileged.file).toBe('serving/base/deployment.yaml');
      expect(privileged.fix?.applicability).not.toBe('display');
      expect(privileged.fix?.edits.length).toBeGreaterThan(0);
      // The host network was there in every build at base; the new overlay's build did not exist then.
      const hostNetwork = whole.findings.find((f) => f.message.toLowerCase().includes('host') && f.message.toLowerCase().includes('network'))!;
      expect(hostNetwork).toBeDefined();
      expect(whole.existed.includes(hostNetwork.fingerprint)).toBe(!newOverlay);
      expect(whole.existed).not.toContain(privileged.fingerprint);
    });
  }
});

/**
 * Roots of every kind of input at once: overlays of a shared base with patch files, inline JSON 6902 patches and a
 * component; one inflating a local chart; one generating a ConfigMap from an env file; and a patch file the change
 * deletes while a kustomization still lists it.
 */
function manyKinds(): { request: CompositionRequest; read: (path: string) => Promise<string | null> } {
  const files: Record<string, string> = {
    ...localChart('charted/charts/server'),
    'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
    'serving/base/deployment.yaml': PLAIN_DEPLOYMENT,
    'serving/gpu/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/template/spec/hostNetwork\n      value: true\n',
    'charted/kustomization.yaml': 'namespace: charted\nhelmCharts:\n- name: server\n  releaseName: prod\n  valuesInline:\n    securityContext:\n      privileged: true\n',
    'generated/kustomization.yaml': 'namespace: gen\nresources:\n- ../serving/base\nconfigMapGenerator:\n- name: settings\n  envs:\n  - app.env\n',
    'generated/app.env': 'LOG_LEVEL=debug\n',
  };
  for (let i = 0; i < 6; i++) {
    const more = i % 2 ? '        securityContext:\n          privileged: true\n' : '';
    files[`overlays/o${i}/kustomization.yaml`] =
      `namespace: n${i}\nresources:\n- ../../serving/base\n${i % 3 === 0 ? 'components:\n- ../../serving/gpu\n' : ''}patches:\n- path: patch.yaml\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/replicas\n      value: ${i + 1}\n`;
    files[`overlays/o${i}/patch.yaml`] = envPatch(more).replace('name: triton\n', 'name: triton\n').replace('- name: triton', '- name: server');
  }
  const changedPaths = ['serving/base/deployment.yaml', 'overlays/o1/patch.yaml', 'overlays/o4/kustomization.yaml', 'charted/charts/server/values.yaml', 'generated/app.env'];
  const changed: CompositionRequest['changed'] = changedPaths.map((path) => ({ path, headText: files[path]!, baseText: path === 'overlays/o4/kustomization.yaml' ? null : files[path]!.replace('privileged: true', 'privileged: false'), lines: null }));
  const removed = [{ path: 'overlays/o2/patch.yaml', baseText: files['overlays/o2/patch.yaml']! }];
  delete files['overlays/o2/patch.yaml'];
  const unchanged = Object.fromEntries(Object.entries(files).filter(([path]) => !changedPaths.includes(path)));
  return {
    request: { paths: [...Object.keys(files), 'overlays/o2/patch.yaml'], changed, hasBase: true, removed },
    read: async (path) => unchanged[path] ?? null,
  };
}

describe('a composition of every kind of input, in batches', () => {
  it('gives the review it gives whole', async () => {
    const { request, read } = manyKinds();
    const whole = await reviewComposition(request, read, OPTIONS, { rootsPerBatch: 1000 });
    // Something of each kind was composed and found: else this would compare nothing.
    expect(whole.consumed).toEqual(expect.arrayContaining(['overlays/o1/patch.yaml', 'serving/base/deployment.yaml', 'generated/app.env']));
    expect(whole.findings.map((f) => f.file)).toEqual(expect.arrayContaining(['overlays/o1/patch.yaml', 'charted/kustomization.yaml', 'serving/base/deployment.yaml']));
    expect(whole.uncomposed.map((u) => u.file)).toContain('overlays/o2/kustomization.yaml');
    expect(whole.existed.length).toBeGreaterThan(0);
    // The base's fixes, grouped otherwise by the overlays whose patches harden part of it: offered, proven on every build.
    const inBase = whole.findings.filter((f) => f.file === 'serving/base/deployment.yaml' && f.fix?.rendered);
    expect(inBase.map((f) => f.fix!.rendered!.edit?.file)).toEqual(['serving/base/deployment.yaml']);
    for (const rootsPerBatch of [1, 2, 3]) expect(inOrder(await reviewComposition(request, read, OPTIONS, { rootsPerBatch }))).toEqual(inOrder(whole));
  });
});

/** A review with its lists in one order: the batches find in their own order what the whole finds in its. */
function inOrder(review: CompositionReview): CompositionReview {
  const sorted = <T>(items: readonly T[], key: (item: T) => string) => [...items].sort((a, b) => key(a).localeCompare(key(b)));
  return { ...review, findings: sorted(review.findings, (f) => f.fingerprint), existed: sorted(review.existed, (f) => f), consumed: sorted(review.consumed, (f) => f), reached: sorted(review.reached, (f) => f) };
}

function finding(fingerprint: string, fix: Finding['fix']): Finding {
  return { ruleId: 'k8s/privileged', severity: 'high', title: 't', message: 'm', file: 'base/deployment.yaml', line: 1, endLine: 1, resource: 'Deployment/triton', fingerprint, fix } as Finding;
}

const FIX = (replacement: string): Finding['fix'] => ({ description: 'd', applicability: 'safe', ops: [], edits: [{ file: 'base/deployment.yaml', startLine: 2, endLine: 2, replacement }] });

describe('putting batches together', () => {
  it('offers a fix only where every later batch whose builds read what it edits proved it again: a group not again, none of it', () => {
    const batches = new ComposedBatches([]);
    const edit = FIX('a\n')!.edits[0]!;
    const lead = finding('lead', { ...FIX('a\n')!, rendered: { members: ['lead', 'member'], edit } });
    const member = finding('member', FIX('b\n'));
    const same = finding('same', FIX('c\n'));
    const group = { findings: [lead, member], edits: [edit], ops: [], placed: false };
    const alone = { findings: [same], edits: FIX('c\n')!.edits, ops: [], placed: false };
    batches.reviewed([lead, member, same], [group, alone], new Set(), [], []);
    expect(batches.found('member')).toBe(true);
    expect(batches.proven).toEqual([group, alone]);
    // The second batch's builds did not prove the group's edit again; they did the other one.
    batches.reviewed([], [], new Set([group]), [], []);
    const byFingerprint = new Map(batches.result().findings.map((f) => [f.fingerprint, f.fix!]));
    expect(byFingerprint.get('same')).toEqual(FIX('c\n'));
    expect(byFingerprint.get('lead')).toMatchObject({ applicability: 'display', edits: [], rendered: { members: ['lead', 'member'], edit: null } });
    expect(byFingerprint.get('member')).toMatchObject({ applicability: 'display', edits: [] });
  });

  it('a placed variant a later batch did not prove again is not offered; the fix itself still is', () => {
    const batches = new ComposedBatches([]);
    const placedEdit = FIX('p\n')!.edits[0]!;
    const fixed = finding('one', { ...FIX('a\n')!, placed: { members: ['one'], insertAfter: [3], edit: placedEdit } });
    const placed = { findings: [fixed], edits: [placedEdit], ops: [], placed: true };
    batches.reviewed([fixed], [{ findings: [fixed], edits: FIX('a\n')!.edits, ops: [], placed: false }, placed], new Set(), [], []);
    batches.reviewed([], [], new Set([placed]), [], []);
    expect(batches.result().findings[0]!.fix).toEqual({ ...FIX('a\n'), placed: { members: ['one'], insertAfter: [3], edit: null } });
  });

  it('takes a finding as there before only when no build of any batch has it new', () => {
    const batches = new ComposedBatches([]);
    const at = (build: string, fingerprint: string) => ({ ...finding(fingerprint, null), build });
    batches.reviewed([], [], new Set(), [at('a', 'x'), at('a', 'y')], [at('a', 'y')]);
    batches.reviewed([], [], new Set(), [at('b', 'x'), at('b', 'y')], [at('b', 'x'), at('b', 'y')]);
    expect(batches.result().existed).toEqual(['y']);
  });
});
