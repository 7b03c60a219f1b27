// A composition reads a CustomResourceDefinition only as far as its identity (its schema is most of a real
// repository's bytes, and no rule reads it), and a build that selects one to patch or copy from is built again,
// reading it whole: what each build deploys is judged as if every document were read whole.
import { describe, expect, it } from 'vitest';
import { composeChanged } from '../../src/compose/index.js';
import { resolveConfig } from '../../src/config.js';
import { evaluate } from '../../src/engine/run.js';
import { blankUnreadBodies } from '../../src/formats/unread-documents.js';
import { RULES, UNREAD_DOCUMENTS } from '../../rules/index.js';
import { crdDocument } from '../fixtures/crd.js';
import { inflateChart } from '../../src/render/kustomize-charts.js';
import { memoryRead } from './helpers.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  selector:
    matchLabels: {app: triton}
  template:
    metadata:
      labels: {app: triton}
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
`;

function layout(patches = '') {
  return {
    'config/crd/bundle.yaml': `${crdDocument('inferenceservices', 12)}${crdDocument('servingruntimes', 8)}`,
    'config/crd/kustomization.yaml': 'resources:\n- bundle.yaml\n',
    'config/app/deployment.yaml': DEPLOYMENT,
    'config/app/kustomization.yaml': 'resources:\n- deployment.yaml\n',
    'config/default/kustomization.yaml': `namespace: serving\ncommonLabels:\n  app.kubernetes.io/part-of: serving\nresources:\n- ../crd\n- ../app\n${patches}`,
  };
}

async function composed(files: Record<string, string>, unread: typeof UNREAD_DOCUMENTS | undefined) {
  const result = await composeChanged(Object.keys(files), new Set(Object.keys(files)), memoryRead(files), new Map(), inflateChart, unread);
  const changedOf = new Map(Object.keys(files).map((f) => [f, null]));
  const findings = evaluate(result.files, changedOf, { config: resolveConfig({}), rules: RULES }).findings;
  const crds = result.files.flatMap((f) => f.resources.filter((r) => r.kind === 'CustomResourceDefinition').map((r) => [f.file, r.id, r.body.metadata, r.body.spec ?? null]));
  return { result, findings: findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.resource}`), crds };
}

describe('CustomResourceDefinitions in a composition', () => {
  it('are read as far as their identity: the same objects, labels and findings as read whole', async () => {
    const files = layout();
    const [lazily, whole] = [await composed(files, UNREAD_DOCUMENTS), await composed(files, undefined)];
    expect(lazily.findings).toEqual(whole.findings);
    expect(lazily.result.uncomposed).toEqual(whole.result.uncomposed);
    expect(lazily.crds.map(([file, id, metadata]) => [file, id, metadata])).toEqual(whole.crds.map(([file, id, metadata]) => [file, id, metadata]));
    // The root's two CRDs, labelled by the build, without their schema.
    expect(lazily.crds.length).toBe(2);
    for (const [, , metadata, spec] of lazily.crds) {
      expect(metadata).toMatchObject({ labels: expect.anything() });
      expect(spec).toBeNull();
    }
    for (const [, , , spec] of whole.crds) expect(spec).toMatchObject({ group: 'serving.example.io' });
  });

  it('are read whole when a patch or a replacement selects one: nothing it reads or writes is missing', async () => {
    const patches = [
      // A JSON 6902 patch into the schema: with the schema unread, its path would not be there.
      'patches:\n- target:\n    kind: CustomResourceDefinition\n    name: inferenceservices.serving.example.io\n  patch: |-\n    - op: replace\n      path: /spec/versions/0/served\n      value: false\n',
      // A replacement copying the CRD's group into the Deployment.
      'replacements:\n- source:\n    kind: CustomResourceDefinition\n    name: servingruntimes.serving.example.io\n    fieldPath: spec.group\n  targets:\n  - select:\n      kind: Deployment\n    fieldPaths:\n    - metadata.annotations.group\n    options:\n      create: true\n',
    ];
    for (const patch of patches) {
      const files = layout(patch);
      const [lazily, whole] = [await composed(files, UNREAD_DOCUMENTS), await composed(files, undefined)];
      expect(lazily.result.uncomposed).toEqual([]);
      expect(lazily.result.notes).toEqual(whole.result.notes);
      expect(lazily.findings).toEqual(whole.findings);
      expect(lazily.crds).toEqual(whole.crds);
      const deployed = lazily.result.files.flatMap((f) => f.resources).filter((r) => r.kind === 'Deployment');
      if (patch.startsWith('replacements')) for (const d of deployed) expect(d.body.metadata).toMatchObject({ annotations: { group: 'serving.example.io' } });
    }
  });

  it('a document is kept to its apiVersion, kind and metadata only when its top level says surely what it is', () => {
    const crd = crdDocument('inferenceservices', 2).slice(4);
    const kept = blankUnreadBodies(crd, UNREAD_DOCUMENTS);
    expect(kept.split('\n').length).toBe(crd.split('\n').length);
    expect(kept).toContain('  name: inferenceservices.serving.example.io');
    expect(kept).not.toContain('openAPIV3Schema');
    // A flow mapping on the key's own line is read as written; so is a CRD whose text may hold a credential.
    const flow = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a.example.io\nspec: {group: example.io,\n  scope: Namespaced}\n';
    expect(blankUnreadBodies(flow, UNREAD_DOCUMENTS)).toBe(flow);
    const credential = `${crd}  # token: ghp_${'a'.repeat(36)}\n`;
    expect(blankUnreadBodies(credential, UNREAD_DOCUMENTS)).toBe(credential);
  });
});
