// A composition reviewed in batches of roots gives the review it would give whole: findings once, fixes offered
// only where every batch proved the same, and each build judged new or not against itself at base.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { reviewComposition, type CompositionRequest } from '../../src/composed-review.js';
import { ComposedBatches } from '../../src/composed-batches.js';
import { EMPTY_REPOSITORY } from '../../src/engine/repository.js';
import type { Finding } from '../../src/model.js';
import { RULES } from '../../rules/index.js';
import { HARDENED_DEPLOYMENT } from './helpers.js';

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

function finding(fingerprint: string, fix: Finding['fix']): Finding {
  return { ruleId: 'k8s/privileged', severity: 'high', title: 't', message: 'm', file: 'base/deployment.yaml', line: 1, endLine: 1, resource: 'Deployment/triton', fingerprint, fix } as Finding;
}

const FIX = (replacement: string): Finding['fix'] => ({ description: 'd', applicability: 'safe', ops: [], edits: [{ file: 'base/deployment.yaml', startLine: 2, endLine: 2, replacement }] });

describe('putting batches together', () => {
  it('offers a fix only where every batch that found it proved the same, and not the group it was proven with', () => {
    const batches = new ComposedBatches([]);
    const grouped = { ...FIX('a\n')!, rendered: { members: ['lead', 'member'], edit: FIX('a\n')!.edits[0]! } };
    batches.reviewed([finding('lead', grouped), finding('member', FIX('b\n')), finding('same', FIX('c\n'))], [], []);
    // The second batch proved the member's fix otherwise (its own builds), and the same one for `same`.
    batches.reviewed([finding('member', { ...FIX('b\n')!, applicability: 'display', edits: [] }), finding('same', FIX('c\n'))], [], []);
    const byFingerprint = new Map(batches.result().findings.map((f) => [f.fingerprint, f.fix!]));
    expect(byFingerprint.get('same')).toEqual(FIX('c\n'));
    expect(byFingerprint.get('member')).toMatchObject({ applicability: 'display', edits: [] });
    // Its group's edit was proven with it: not offered either.
    expect(byFingerprint.get('lead')).toMatchObject({ applicability: 'display', edits: [], rendered: { members: ['lead', 'member'], edit: null } });
  });

  it('takes a finding as there before only when no build of any batch has it new', () => {
    const batches = new ComposedBatches([]);
    const at = (build: string, fingerprint: string) => ({ ...finding(fingerprint, null), build });
    batches.reviewed([], [at('a', 'x'), at('a', 'y')], [at('a', 'y')]);
    batches.reviewed([], [at('b', 'x'), at('b', 'y')], [at('b', 'x'), at('b', 'y')]);
    expect(batches.result().existed).toEqual(['y']);
  });
});
