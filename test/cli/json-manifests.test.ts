// Kubernetes manifests in JSON are read by the command line as the App reads them: reviewed when changed, and looked
// up by the cross-resource rules anywhere in the repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warden } from './helpers.js';

const POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'models' }, spec: { containers: [{ name: 'shell', image: 'busybox:1.36' }] } };
const DEFAULT_DENY = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'models' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };

describe('warden scan: JSON manifests', () => {
  it('reviews a JSON manifest and finds a JSON NetworkPolicy elsewhere in the repository', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'warden-json-'));
    execFileSync('git', ['init', '-q', repo]);
    mkdirSync(join(repo, 'apps'));
    mkdirSync(join(repo, 'policies'));
    writeFileSync(join(repo, 'apps', 'pod.json'), `${JSON.stringify(POD, null, 2)}\n`);
    const rules = async () => (JSON.parse((await warden(['scan', 'apps', '--format', 'json'], repo)).stdout) as { findings: { ruleId: string; file: string }[] }).findings;

    const before = await rules();
    expect(before.map((f) => f.file)).toContain('apps/pod.json');
    expect(before.map((f) => f.ruleId)).toContain('k8s/network-policy-missing');

    writeFileSync(join(repo, 'policies', 'deny.json'), `${JSON.stringify(DEFAULT_DENY, null, 2)}\n`);
    const after = await rules();
    expect(after.map((f) => f.ruleId)).not.toContain('k8s/network-policy-missing');
    expect(after.length).toBe(before.length - 1);
  });
});
