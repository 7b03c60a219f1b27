// A changed file that composition takes over but that reaches no composed object was not reviewed: it fails closed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { PLAIN_DEPLOYMENT as DEPLOYMENT, compose } from './helpers.js';
import { COMPOSE_LIMITS } from '../../src/compose/kustomize.js';

const PATCH = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
      - name: server
        securityContext:
          privileged: true
`;
const KUSTOMIZATION = 'resources:\n- deployment.yaml\npatches:\n- path: patch.yaml\nnamespace: models\n';

async function reviewPatch(name: string) {
  const files = { 'app/kustomization.yaml': KUSTOMIZATION, 'app/deployment.yaml': DEPLOYMENT, 'app/patch.yaml': PATCH(name) };
  return review({ files: [{ path: 'app/patch.yaml', headText: PATCH(name), patch: undefined }], config: DEFAULT_CONFIG, reader: memoryReader(files) });
}

describe('a changed patch that composition consumes', () => {
  it('applied: its finding is on the patch line, nothing is not-reviewed', async () => {
    const result = await reviewPatch('triton');
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    expect(result.findings.find((f) => f.ruleId === 'k8s/privileged')).toMatchObject({ file: 'app/patch.yaml', line: 11 });
  });

  it('targeting nothing the kustomization builds: not reviewed, and the gate fails with the reason', async () => {
    const result = await reviewPatch('no-such-deployment');
    const notReviewed = result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');
    expect(notReviewed.map((f) => f.file)).toEqual(['app/patch.yaml']);
    expect(notReviewed[0]!.message).toContain('nothing in it reached a composed object');
  });

  it('deleting an object on purpose (`$patch: delete`) is reviewed: the composed output without it is what rules see', async () => {
    const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  - Egress\n';
    const deletion = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-all\n$patch: delete\n';
    const base = { 'base/kustomization.yaml': 'resources:\n- deployment.yaml\n- deny.yaml\n', 'base/deployment.yaml': DEPLOYMENT, 'base/deny.yaml': deny };
    const files = { ...base, 'prod/kustomization.yaml': 'namespace: models\nresources:\n- ../base\npatches:\n- path: open.yaml\n', 'prod/open.yaml': deletion };
    const result = await review({
      files: [{ path: 'prod/open.yaml', headText: deletion, baseText: null, patch: `@@ -0,0 +1,5 @@\n${deletion.trimEnd().split('\n').map((l) => `+${l}`).join('\n')}` }],
      config: DEFAULT_CONFIG,
      reader: memoryReader(files),
    });
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    // What rules see: the build without the policy, and the rest of it built by the deleting patch too (a change to
    // the patch puts the Deployment under review).
    const composed = await compose(files, ['prod/open.yaml']);
    const resources = composed.files.flatMap((f) => f.resources);
    expect(resources.map((r) => r.id)).toEqual(['Deployment/models/triton']);
    expect(resources[0]!.contributors!.map((c) => c.file)).toContain('prod/open.yaml');
    expect(composed.deleting).toEqual(new Set(['prod/open.yaml']));
  });

  it('a deletion that targets nothing still fails closed', async () => {
    const deletion = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: no-such-policy\n$patch: delete\n';
    const files = { 'app/kustomization.yaml': 'resources:\n- deployment.yaml\npatches:\n- path: open.yaml\n', 'app/deployment.yaml': DEPLOYMENT, 'app/open.yaml': deletion };
    const result = await review({ files: [{ path: 'app/open.yaml', headText: deletion, patch: undefined }], config: DEFAULT_CONFIG, reader: memoryReader(files) });
    expect(result.gating.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => f.file)).toEqual(['app/open.yaml']);
  });
});

/** A unified diff that adds `added` (1-based head lines) to a file whose other lines are unchanged. */
function adding(head: string, added: readonly number[]): string {
  const lines = head.trimEnd().split('\n');
  const before = lines.length - added.length;
  return `@@ -1,${before} +1,${lines.length} @@\n${lines.map((l, i) => `${added.includes(i + 1) ? '+' : ' '}${l}`).join('\n')}`;
}

describe('a composition whose files cannot be read', () => {
  const files: Record<string, string> = { 'app/kustomization.yaml': KUSTOMIZATION, 'app/deployment.yaml': DEPLOYMENT, 'app/patch.yaml': PATCH('triton') };
  const change = [{ path: 'app/patch.yaml', headText: PATCH('triton'), patch: undefined }];
  const failingOn = (broken: string) => ({
    paths: async () => (broken === '(listing)' ? Promise.reject(new Error('HTTP 502')) : Object.keys(files)),
    read: async (path: string) => (path === broken ? Promise.reject(new Error('HTTP 504')) : (files[path] ?? null)),
  });

  it('a base file that cannot be read fails the patch closed, with the failed read, never taken for a file that is not there', async () => {
    for (const broken of ['app/deployment.yaml', 'app/kustomization.yaml']) {
      const { findings, gating } = await review({ files: change, config: DEFAULT_CONFIG, reader: failingOn(broken) });
      const unreviewed = findings.filter((f) => f.ruleId === 'warden/not-reviewed');
      expect(unreviewed.map((f) => f.file), broken).toEqual(['app/patch.yaml']);
      expect(unreviewed[0]!.message).toContain(`composition of this change did not finish (\`${broken}\` could not be read: HTTP 504`);
      expect(gating).toContain(unreviewed[0]);
    }
  });

  it('a repository that cannot be listed stops the review: the patch is not judged as a whole object', async () => {
    await expect(review({ files: change, config: DEFAULT_CONFIG, reader: failingOn('(listing)') })).rejects.toThrow('HTTP 502');
  });
});

describe('a kustomization that adds what cannot be composed', () => {
  const privileged = PATCH('triton');
  async function reviewKustomization(head: string, added: readonly number[], others: Record<string, string> = {}) {
    const files = { 'app/kustomization.yaml': head, 'app/deployment.yaml': privileged, ...others };
    return review({ files: [{ path: 'app/kustomization.yaml', headText: head, baseText: '', patch: adding(head, added) }], config: DEFAULT_CONFIG, reader: memoryReader(files) });
  }
  const notReviewed = (result: Awaited<ReturnType<typeof review>>) => result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');

  it('a resource the change lists that is not there: not reviewed, with why; what was composed is still reviewed', async () => {
    const result = await reviewKustomization('resources:\n- deployment.yaml\n- policies.yaml\n', [2, 3]);
    // At the entry that lists it (a comment on the changed line), saying the rest was reviewed.
    expect(notReviewed(result).map((f) => [f.file, f.line])).toEqual([['app/kustomization.yaml', 3]]);
    expect(notReviewed(result)[0]!.message).toContain('could not review all that this file deploys, only the rest of it');
    expect(notReviewed(result)[0]!.message).toContain('`app/policies.yaml` is neither a file nor a folder with a kustomization that Warden can read (where there is none, kustomize stops the build)');
    expect(result.findings.find((f) => f.ruleId === 'k8s/privileged')).toMatchObject({ file: 'app/deployment.yaml' });
    expect(result.notes.map((n) => n.message).join('\n')).not.toContain('policies.yaml');
  });

  it('the same missing resource on a line the change does not touch: a note, since the change did not add it', async () => {
    const result = await reviewKustomization('resources:\n- deployment.yaml\n- policies.yaml\nnamespace: models\n', [4]);
    expect(notReviewed(result)).toEqual([]);
    expect(result.notes).toContainEqual(expect.objectContaining({ file: 'app/kustomization.yaml', message: expect.stringContaining('`app/policies.yaml` is neither a file') }));
  });

  it('a patch file, a component and a replacement file that are not there: each not reviewed', async () => {
    for (const [entry, says] of [
      ['patches:\n- path: hardening.yaml\n', 'patch file `app/hardening.yaml` cannot be read'],
      ['components:\n- ../security\n', 'component `../security` has no kustomization'],
      ['replacements:\n- path: names.yaml\n', 'replacement file `app/names.yaml` cannot be read'],
    ] as const) {
      const head = `resources:\n- deployment.yaml\n${entry}`;
      const result = await reviewKustomization(head, [3, 4]);
      expect(notReviewed(result).map((f) => f.message)).toEqual([expect.stringContaining(says)]);
    }
  });

  it('a remote base or a chart to inflate the change adds: not reviewed, as Warden fetches neither; already there, a note', async () => {
    const remote = 'resources:\n- deployment.yaml\n- https://github.com/example/policies//base?ref=v1\n';
    expect(notReviewed(await reviewKustomization(remote, [3])).map((f) => [f.line, f.message])).toEqual([[3, expect.stringContaining('remote base `https://github.com/example/policies//base?ref=v1` is not fetched')]]);
    const chart = 'resources:\n- deployment.yaml\nhelmCharts:\n- name: server\n  repo: https://charts.example.com\n';
    expect(notReviewed(await reviewKustomization(chart, [3, 4, 5])).map((f) => f.message)).toEqual([expect.stringContaining('`helmCharts` chart `server` is not inflated: no chart is at `app/charts/server`, so kustomize pulls it from `https://charts.example.com` (Warden fetches nothing)')]);
    const untouched = await reviewKustomization(`${remote}namespace: models\n`, [4]);
    expect(notReviewed(untouched)).toEqual([]);
    expect(untouched.notes.map((n) => n.message)).toContainEqual(expect.stringContaining('remote base'));
  });

  it('a JSON schema its `openapi` reads, changed alone, is not reviewed: JSON is not among the paths reviewed, yet kustomize reads it', async () => {
    const files: Record<string, string> = { 'app/kustomization.yaml': 'resources:\n- deployment.yaml\nopenapi:\n  path: schema.json\n', 'app/deployment.yaml': DEPLOYMENT };
    const schema = (definitions: string) => `{"definitions": {${definitions}}}\n`;
    const head = schema('"x": {}');
    const change = { path: 'app/schema.json', headText: head, baseText: schema(''), patch: '@@ -1 +1 @@\n-{"definitions": {}}\n+{"definitions": {"x": {}}}\n' };
    const result = await review({ files: [change], config: DEFAULT_CONFIG, reader: memoryReader({ ...files, 'app/schema.json': head }) });
    expect(notReviewed(result).map((f) => [f.file, f.message])).toEqual([['app/schema.json', expect.stringContaining('is read by `openapi` of app/kustomization.yaml')]]);
    // Left out by the config's own exclusions, it is not Warden's to review.
    const excluded = await review({ files: [change], config: { ...DEFAULT_CONFIG, paths: { ...DEFAULT_CONFIG.paths, exclude: ['**/*.json'] } }, reader: memoryReader({ ...files, 'app/schema.json': head }) });
    expect(notReviewed(excluded)).toEqual([]);
  });

  it('a build cut at a bound is uncomposed in the whole kustomization where it stopped', async () => {
    // Composed in this thread: the bound is lowered here, not in the pool's workers.
    const many = Array.from({ length: 4 }, (_, i) => DEPLOYMENT.replace('name: triton', `name: triton-${i}`)).join('---\n');
    const saved = COMPOSE_LIMITS.maxObjects;
    COMPOSE_LIMITS.maxObjects = 2;
    try {
      const composed = await compose({ 'app/kustomization.yaml': 'resources:\n- many.yaml\n', 'app/many.yaml': many }, ['app/many.yaml']);
      expect(composed.uncomposed).toEqual([
        { file: 'app/kustomization.yaml', message: expect.stringContaining('builds more than 2 objects: the rest were not composed'), lines: null },
        // The changed file the cut build reads is not reviewed either (src/compose/index.ts).
        { file: 'app/many.yaml', message: expect.stringContaining('a build that reads this file was cut'), lines: null, input: 'file' },
      ]);
    } finally {
      COMPOSE_LIMITS.maxObjects = saved;
    }
  });
});

describe('a change that deletes what a kustomization lists', () => {
  it('the kustomization, changed or not, is not reviewed at the entry that lists it', async () => {
    const kustomization = 'resources:\n- deployment.yaml\npatches:\n- path: patch.yaml\n';
    const head = { 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': DEPLOYMENT };
    const result = await review({ files: [], removed: [{ path: 'app/patch.yaml', baseText: PATCH('triton') }], config: DEFAULT_CONFIG, reader: memoryReader(head) });
    const notReviewed = result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');
    expect(notReviewed.map((f) => [f.file, f.line])).toEqual([['app/kustomization.yaml', 4]]);
    expect(notReviewed[0]!.message).toContain('patch file `app/patch.yaml` cannot be read by Warden (where there is none, kustomize stops the build)');
    expect(notReviewed[0]!.message).toContain('(this change deletes `app/patch.yaml`)');
  });

  it('deleted with its entry: the build holds, nothing is not reviewed', async () => {
    const before = 'resources:\n- deployment.yaml\npatches:\n- path: patch.yaml\n';
    const after = 'resources:\n- deployment.yaml\n';
    const head = { 'app/kustomization.yaml': after, 'app/deployment.yaml': DEPLOYMENT };
    const patch = '@@ -1,4 +1,2 @@\n resources:\n - deployment.yaml\n-patches:\n-- path: patch.yaml';
    const result = await review({ files: [{ path: 'app/kustomization.yaml', headText: after, baseText: before, patch }], removed: [{ path: 'app/patch.yaml', baseText: PATCH('triton') }], config: DEFAULT_CONFIG, reader: memoryReader(head) });
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
  });
});
