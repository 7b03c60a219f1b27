// What kustomize applies and Warden does not (transformer and generator configs, charts' values, schemas, patches it
// matches to nothing or that change a kind, builds cut at a bound) is `warden/not-reviewed` where the change
// touches it: in the kustomization's entry, and in the file or folder it reads. Never a silent pass.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { COMPOSE_LIMITS } from '../../src/compose/kustomize.js';
import { PLAIN_DEPLOYMENT as DEPLOYMENT, compose } from './helpers.js';

const HOST_NETWORK = `apiVersion: builtin
kind: PatchTransformer
metadata:
  name: host-network
target:
  kind: Deployment
patch: |-
  - op: add
    path: /spec/template/spec/hostNetwork
    value: true
`;

/** A unified diff that adds `added` (1-based head lines) to a file whose other lines are unchanged. */
function adding(head: string, added: readonly number[]): string {
  const lines = head.trimEnd().split('\n');
  const before = lines.length - added.length;
  return `@@ -1,${before} +1,${lines.length} @@\n${lines.map((l, i) => `${added.includes(i + 1) ? '+' : ' '}${l}`).join('\n')}`;
}

/** Review a change to `path` (its `added` lines, or the whole file when null) in a repository of `files`. */
async function notReviewedOf(files: Record<string, string>, path: string, added: readonly number[] | null) {
  const head = files[path]!;
  const change = added === null ? { path, headText: head, patch: undefined } : { path, headText: head, baseText: '', patch: adding(head, added) };
  const result = await review({ files: [change], config: DEFAULT_CONFIG, reader: memoryReader(files) });
  return { result, notReviewed: result.gating.filter((f) => f.ruleId === 'warden/not-reviewed') };
}

describe('transformer, generator and validator configs', () => {
  it('a change to a built-in transformer config alone (a PatchTransformer adding hostNetwork) is not reviewed', async () => {
    const files = { 'app/kustomization.yaml': 'resources:\n- deployment.yaml\ntransformers:\n- tune.yaml\n', 'app/deployment.yaml': DEPLOYMENT, 'app/tune.yaml': HOST_NETWORK };
    const { notReviewed } = await notReviewedOf(files, 'app/tune.yaml', null);
    expect(notReviewed.map((f) => f.file)).toEqual(['app/tune.yaml']);
    expect(notReviewed[0]!.message).toContain('`app/tune.yaml` is read by `transformers` of app/kustomization.yaml, which Warden does not apply: `transformers` are not applied (Warden applies no transformer config, built-in or plugin). The check fails');
  });

  it('an inline transformer config the change adds is not reviewed at its entry; one already there is a note', async () => {
    const inline = HOST_NETWORK.split('\n').filter(Boolean).map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n');
    const head = `resources:\n- deployment.yaml\ntransformers:\n${inline}\n`;
    const files = { 'app/kustomization.yaml': head, 'app/deployment.yaml': DEPLOYMENT };
    const { notReviewed } = await notReviewedOf(files, 'app/kustomization.yaml', [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(notReviewed.map((f) => [f.file, f.line])).toEqual([['app/kustomization.yaml', 3]]);
    expect(notReviewed[0]!.message).toContain('`transformers` are not applied');
    const untouched = { 'app/kustomization.yaml': `namespace: models\n${head}`, 'app/deployment.yaml': DEPLOYMENT };
    const { result, notReviewed: none } = await notReviewedOf(untouched, 'app/kustomization.yaml', [1]);
    expect(none).toEqual([]);
    expect(result.notes.map((n) => n.message)).toContainEqual(expect.stringContaining('`transformers` are not applied'));
  });

  it('a generator config file and a folder of validator configs: a change to either alone is not reviewed', async () => {
    const files = {
      'app/kustomization.yaml': 'resources:\n- deployment.yaml\ngenerators:\n- gen.yaml\nvalidators:\n- checks\n',
      'app/deployment.yaml': DEPLOYMENT,
      'app/gen.yaml': 'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: settings\nliterals:\n- A=b\n',
      'app/checks/kustomization.yaml': 'resources:\n- check.yaml\n',
      'app/checks/check.yaml': 'apiVersion: example.com/v1\nkind: Validator\nmetadata:\n  name: check\n',
    };
    expect((await notReviewedOf(files, 'app/gen.yaml', null)).notReviewed.map((f) => f.file)).toEqual(['app/gen.yaml']);
    expect((await notReviewedOf(files, 'app/checks/check.yaml', null)).notReviewed.map((f) => f.message)).toEqual([expect.stringContaining('the files below `app/checks` are read by `validators`')]);
  });
});

describe('an inline patch Warden matches to no object', () => {
  it('(a name an earlier build step gave it) is not reviewed at its lines, as a patch file would be', async () => {
    const head = 'resources:\n- deployment.yaml\npatches:\n- target:\n    kind: Deployment\n    name: old-triton\n  patch: |-\n    - op: add\n      path: /spec/template/spec/hostNetwork\n      value: true\n';
    const files = { 'app/kustomization.yaml': head, 'app/deployment.yaml': DEPLOYMENT };
    const { notReviewed } = await notReviewedOf(files, 'app/kustomization.yaml', [3, 4, 5, 6, 7, 8, 9, 10]);
    expect(notReviewed.map((f) => [f.file, f.line])).toEqual([['app/kustomization.yaml', 7]]);
    expect(notReviewed[0]!.message).toContain('inline patch at `patches[0]` targets kind `Deployment`, name `old-triton`');
  });

  it('a strategic-merge one naming an object by a name Warden does not know it by: not reviewed', async () => {
    const head = 'resources:\n- deployment.yaml\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: old-triton\n    spec:\n      template:\n        spec:\n          hostPID: true\n';
    const files = { 'app/kustomization.yaml': head, 'app/deployment.yaml': DEPLOYMENT };
    const { notReviewed } = await notReviewedOf(files, 'app/kustomization.yaml', [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(notReviewed.map((f) => [f.file, f.line])).toEqual([['app/kustomization.yaml', 4]]);
  });
});

describe('what helmCharts reads', () => {
  const files = {
    'app/kustomization.yaml': 'resources:\n- deployment.yaml\nhelmCharts:\n- name: server\n  valuesFile: values-prod.yaml\n',
    'app/deployment.yaml': DEPLOYMENT,
    'app/values-prod.yaml': 'securityContext:\n  privileged: true\n',
    'app/charts/server/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n',
  };
  it('a change to its values file alone, or to a file of the chart in the chart home, is not reviewed', async () => {
    const values = await notReviewedOf(files, 'app/values-prod.yaml', null);
    expect(values.notReviewed.map((f) => f.message)).toEqual([expect.stringContaining('`app/values-prod.yaml` is read by `helmCharts` of app/kustomization.yaml')]);
    const chart = await notReviewedOf(files, 'app/charts/server/templates/pod.yaml', null);
    expect(chart.notReviewed.map((f) => f.file)).toEqual(['app/charts/server/templates/pod.yaml']);
  });
});

describe('a build cut at a bound', () => {
  it('nested deeper than the depth limit: a changed file behind the cut is not reviewed', async () => {
    const files: Record<string, string> = {};
    const depth = COMPOSE_LIMITS.maxDepth + 3;
    for (let i = 0; i < depth; i++) files[`l${i}/kustomization.yaml`] = `resources:\n- ../l${i + 1}\n`;
    files[`l${depth}/kustomization.yaml`] = 'resources:\n- deployment.yaml\n';
    files[`l${depth}/deployment.yaml`] = DEPLOYMENT;
    const { notReviewed } = await notReviewedOf(files, `l${depth}/deployment.yaml`, null);
    expect(notReviewed.map((f) => f.file)).toEqual([`l${depth}/deployment.yaml`]);
    expect(notReviewed[0]!.message).toContain(`nests kustomizations deeper than ${COMPOSE_LIMITS.maxDepth}`);
  });

  it('past the kustomization bound: the changed files the cut build reads are uncomposed', async () => {
    const files = {
      'app/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n',
      'app/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: triton\n',
      'base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'base/deployment.yaml': DEPLOYMENT,
    };
    // Composed in this thread: the bound is lowered here, not in the pool's workers.
    const saved = COMPOSE_LIMITS.maxKustomizations;
    COMPOSE_LIMITS.maxKustomizations = 1;
    try {
      const composed = await compose(files, ['base/deployment.yaml']);
      expect(composed.uncomposed.filter((p) => p.input !== undefined)).toEqual([{ file: 'base/deployment.yaml', message: expect.stringContaining('more than 1 kustomizations in one build'), lines: null, input: 'file' }]);
    } finally {
      COMPOSE_LIMITS.maxKustomizations = saved;
    }
  });
});

describe('patches that change a kind, and schemas', () => {
  it('a patch allowed to change the kind (a ConfigMap made a privileged Pod) is not reviewed at its entry', async () => {
    const head = 'resources:\n- deployment.yaml\npatches:\n- path: pod.yaml\n  options:\n    allowKindChange: true\n';
    const files = { 'app/kustomization.yaml': head, 'app/deployment.yaml': DEPLOYMENT, 'app/pod.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: triton\n' };
    const { notReviewed } = await notReviewedOf(files, 'app/kustomization.yaml', [3, 4, 5, 6]);
    expect(notReviewed.map((f) => [f.file, f.line, f.message])).toEqual([['app/kustomization.yaml', 4, expect.stringContaining('`allowKindChange`')]]);
    // The patch file changed alone reaches nothing, so it fails closed too.
    expect((await notReviewedOf(files, 'app/pod.yaml', null)).notReviewed.map((f) => f.file)).toEqual(['app/pod.yaml']);
  });

  it('an openapi schema the change adds is not reviewed at its entry; a change to its file alone is not reviewed', async () => {
    const head = 'resources:\n- deployment.yaml\nopenapi:\n  path: schema.yaml\n';
    const files = { 'app/kustomization.yaml': head, 'app/deployment.yaml': DEPLOYMENT, 'app/schema.yaml': 'definitions: {}\n' };
    expect((await notReviewedOf(files, 'app/kustomization.yaml', [3, 4])).notReviewed.map((f) => [f.line, f.message])).toEqual([[3, expect.stringContaining('`openapi` is not read')]]);
    expect((await notReviewedOf(files, 'app/schema.yaml', null)).notReviewed.map((f) => f.file)).toEqual(['app/schema.yaml']);
  });
});
