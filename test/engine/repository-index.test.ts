// The repository index never goes quietly incomplete (issue #11.5): CRD bundles are skipped cheaply, a template is
// listed rather than poisoning the index, what could not be read is named with the rules it affects, and parsing
// happens in the worker pool, off the main thread.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { buildRepositoryIndex, indexedYaml, memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { closeSharedPool, sharedPool } from '../../src/worker/pool.js';
import { parseForIndexPooled } from '../../src/worker/pooled.js';

afterAll(() => closeSharedPool());

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: models
spec:
  template:
    spec:
      containers:
        - name: triton
          image: triton:1
`;

/** A CustomResourceDefinition of about `bytes`, whose schema mentions `kind: NetworkPolicy` in an example. */
function crd(bytes: number): string {
  const head = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: policies.example.com\nspec:\n  versions:\n    - name: v1\n      schema:\n        openAPIV3Schema:\n          properties:\n';
  const property = (i: number) => `            field${i}:\n              type: string\n              description: "an example: kind: NetworkPolicy, and more words to make the schema long"\n`;
  const parts = [head];
  let length = head.length;
  for (let i = 0; length < bytes; i++) {
    const p = property(i);
    parts.push(p);
    length += p.length;
  }
  return `${parts.join('')}            example:\n              kind: NetworkPolicy\n`;
}

const chartTemplate = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "model.fullname" . }}
  namespace: {{ .Release.Namespace }}
spec:
  podSelector: {}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .Values.serviceAccount.name }}
`;

describe('indexedYaml', () => {
  it('keeps only documents that name an indexed kind, blanking the rest so lines hold, and never a CRD', () => {
    const text = `${crd(300)}---\napiVersion: v1\nkind: ConfigMap\n---\n# a policy\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n---\nkind: List\nitems:\n  - kind: ServiceAccount\n`;
    const part = indexedYaml(text)!;
    expect(part.kinds).toEqual(['NetworkPolicy', 'ServiceAccount']);
    const lines = part.text.split('\n');
    expect(lines).toHaveLength(text.split('\n').length);
    expect(lines.filter(Boolean)).toEqual(['---', '# a policy', 'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', '---', 'kind: List', 'items:', '  - kind: ServiceAccount']);
    expect(indexedYaml(crd(10_000))).toBeNull();
    expect(indexedYaml('kind: "Namespace" # quoted\n')?.kinds).toEqual(['Namespace']);
  });
});

describe('a repository holding one Helm template and one 3 MB CRD', () => {
  const repository = {
    'charts/model/Chart.yaml': 'apiVersion: v2\nname: model\nversion: 1.0.0\n',
    'charts/model/templates/policy.yaml': chartTemplate,
    'crds/bundle.yaml': crd(3 * 1024 * 1024),
    'apps/triton.yaml': deployment,
  };

  it('still gets k8s/network-policy-missing findings, and names the template with the rules it may inform', async () => {
    const index = await buildRepositoryIndex(memoryReader(repository), DEFAULT_CONFIG, { parse: parseForIndexPooled });
    expect(index.complete).toBe(true);
    expect(index.unread).toEqual([{ file: 'charts/model/templates/policy.yaml', reason: "a Helm chart's template, whose objects only its own chart's review looks up", kinds: ['NetworkPolicy', 'ServiceAccount'] }]);
    expect(index.stats.parsed).toBe(0);
    const result = await review({ files: [{ path: 'apps/triton.yaml', headText: deployment }], config: DEFAULT_CONFIG, repository: index });
    expect(result.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').map((f) => f.resource)).toEqual(['Deployment/models/triton']);
    expect(result.unindexed).toEqual([
      { file: 'charts/model/templates/policy.yaml', reason: "a Helm chart's template, whose objects only its own chart's review looks up", rules: ['k8s/automount-service-account-token', 'k8s/network-policy-missing'] },
    ]);
    expect(result.notes).toContainEqual({
      file: 'charts/model/templates/policy.yaml',
      message:
        "not read for the rules that look across the repository (a Helm chart's template, whose objects only its own chart's review looks up): `k8s/automount-service-account-token`, `k8s/network-policy-missing` may miss what it holds",
    });
  });

  it('names only the rules that are on', async () => {
    const index = await buildRepositoryIndex(memoryReader(repository), DEFAULT_CONFIG);
    const config = { ...DEFAULT_CONFIG, rules: { 'k8s/automount-service-account-token': 'off' as const } };
    const result = await review({ files: [{ path: 'apps/triton.yaml', headText: deployment }], config, repository: index });
    expect(result.unindexed.map((u) => u.rules)).toEqual([['k8s/network-policy-missing']]);
  });
});

describe('the index parses in the worker pool', () => {
  // Retried: on a machine this loaded, the OS may leave the main thread unscheduled for that long now and then. Parsing
  // on the main thread holds it for seconds here, so no retry hides that.
  it('two 2 MB files of `kind: Namespace` do not hold the event loop for more than 200 ms', { retry: 3, timeout: 120_000 }, async () => {
    const annotations = Array.from({ length: 12 }, (_, i) => `    note-${i}: "${'n'.repeat(24)}"`).join('\n');
    const namespace = (i: number) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-${i}\n  annotations:\n${annotations}\n---\n`;
    const count = Math.ceil((2 * 1024 * 1024) / namespace(0).length);
    const big = Array.from({ length: count }, (_, i) => namespace(i)).join('');
    const files = { 'a/namespaces.yaml': big, 'b/namespaces.yaml': big.replace(/ns-/g, 'nb-') };
    await sharedPool().ready(); // as the server does at boot
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const index = await buildRepositoryIndex(memoryReader(files), DEFAULT_CONFIG, { parse: parseForIndexPooled });
    lag.disable();
    expect(index.unread).toEqual([]);
    expect(index.resources).toHaveLength(2 * count);
    expect(lag.max / 1e6).toBeLessThan(200);
  });
});
