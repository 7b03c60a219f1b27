import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config.js';
import type { Finding } from '../src/model.js';
import { mergeNamespaceFindings } from '../src/namespace-findings.js';
import { isGating } from '../src/review.js';

function finding(name: string, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'k8s/network-policy-missing',
    severity: 'medium',
    title: 'Namespace without a default-deny NetworkPolicy',
    message: `Deployment \`${name}\` is deployed to \`ml\` but no NetworkPolicy makes it default-deny.`,
    file: `k8s/${name}.yaml`,
    line: 5,
    endLine: 5,
    resource: `Deployment/ml/${name}`,
    path: ['metadata', 'namespace'],
    fingerprint: Buffer.from(name).toString('hex'),
    fix: null,
    suppressed: null,
    preExisting: false,
    namespace: 'ml',
    ...extra,
  };
}

describe('namespace findings', () => {
  it('merges a rule’s findings about one namespace into the first new one, naming every workload', () => {
    const old = finding('a-old', { preExisting: true });
    const b = finding('b');
    const c = finding('c');
    const other = finding('d', { namespace: 'serving', message: 'other namespace' });
    const quota = finding('e', { ruleId: 'k8s/gpu-namespace-quota' });
    const merged = mergeNamespaceFindings([old, b, other, c, quota]);
    expect(merged.map((f) => f.fingerprint)).toEqual([b.fingerprint, other.fingerprint, quota.fingerprint]);
    expect(merged[0]).toMatchObject({ file: 'k8s/b.yaml', preExisting: false, also: [c.fingerprint, old.fingerprint] });
    expect(merged[0]!.message).toBe(`${b.message}\n\nThe same holds for every workload reviewed here that runs in \`ml\` (3): \`Deployment/b\`, \`Deployment/c\`, \`Deployment/a-old\`.`);
    // Findings on their own, and those of other rules or namespaces, are kept as they were.
    expect(merged[1]).toBe(other);
    expect(merged[2]).toBe(quota);
  });

  it('keeps suppressed findings apart, and findings of rules about their resource untouched', () => {
    const hidden = finding('b', { suppressed: { reason: 'lab', line: 1 } });
    const plain = { ...finding('x'), ruleId: 'k8s/default-namespace', namespace: undefined };
    const merged = mergeNamespaceFindings([finding('a'), hidden, plain, { ...plain, fingerprint: 'ff' }]);
    expect(merged).toHaveLength(4);
    expect(merged[0]!.also).toBeUndefined();
  });

  it('is pre-existing only when every workload’s finding was, and gates when any of them would', () => {
    const config = { ...DEFAULT_CONFIG, gate: 'medium' as const };
    const all = mergeNamespaceFindings([finding('a', { preExisting: true }), finding('b', { preExisting: true })]);
    expect(all).toHaveLength(1);
    expect(all[0]!.preExisting).toBe(true);
    expect(isGating(all[0]!, config)).toBe(false);
    const one = mergeNamespaceFindings([finding('a', { preExisting: true }), finding('b')]);
    expect(one[0]!.preExisting).toBe(false);
    expect(isGating(one[0]!, config)).toBe(true);
    // A severity raised for one of them (it cannot differ within a rule today, but the merge must not lower it).
    const worst = mergeNamespaceFindings([finding('a'), finding('b', { severity: 'high' })]);
    expect(worst[0]!.severity).toBe('high');
  });

  it('names at most ten workloads and counts the rest', () => {
    const many = Array.from({ length: 25 }, (_, i) => finding(`w${String(i).padStart(2, '0')}`));
    const [merged] = mergeNamespaceFindings(many);
    expect(merged!.message).toContain('(25): `Deployment/w00`,');
    expect(merged!.message).toContain('`Deployment/w09`, and 15 more.');
    expect(merged!.message).not.toContain('w10');
    expect(merged!.also).toHaveLength(24);
  });
});
