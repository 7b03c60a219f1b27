// Pod settings Warden does not read as pod specs: a Spark application's driver and executor, an Argo workflow's
// `podSpecPatch`. Said where they are written, and not reviewed where the change touches them.
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/formats/index.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { review } from '../../src/review.js';
import { githubPatch } from '../app/fake-github.js';

const SPARK = `apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata:
  name: features
  namespace: ml
spec:
  type: Python
  mode: cluster
  image: spark:3.5.0
  mainApplicationFile: local:///opt/app/features.py
  sparkVersion: 3.5.0
  driver:
    cores: 1
    memory: 2g
    serviceAccount: spark
  executor:
    instances: 4
    cores: 2
    memory: 8g
`;

const WORKFLOW = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: train
spec:
  entrypoint: train
  templates:
  - name: train
    podSpecPatch: '{"containers":[{"name":"main","securityContext":{"privileged":true}}]}'
    container:
      image: pytorch/pytorch:2.3.0
`;

async function unseen(path: string, text: string) {
  return ((await parseFile(path, text))!.unseen ?? []).map((u) => [u.lines.startLine, u.lines.endLine, u.reason]);
}

describe('pod settings Warden does not read as pod specs', () => {
  it('a SparkApplication\'s driver and executor; an Argo template\'s podSpecPatch', async () => {
    expect(await unseen('spark.yaml', SPARK)).toEqual([
      [12, 15, 'the driver pods of SparkApplication `features`: the Spark operator makes them from its own settings (`driver`), which Warden does not read as a pod spec'],
      [16, 19, 'the executor pods of SparkApplication `features`: the Spark operator makes them from its own settings (`executor`), which Warden does not read as a pod spec'],
    ]);
    expect(await unseen('wf.yaml', WORKFLOW)).toEqual([[9, 9, 'what the `podSpecPatch` of Workflow `train` writes into its pods: a patch written as text, which Warden does not apply']]);
    const trainJob = 'apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata:\n  name: tune\nspec:\n  runtimeRef:\n    name: torch-distributed\n  podTemplateOverrides:\n  - targetJobs:\n    - name: node\n    spec:\n      securityContext:\n        runAsUser: 0\n';
    expect(await unseen('train.yaml', trainJob)).toEqual([[8, 13, 'what `podTemplateOverrides` of TrainJob `tune` sets in the pods its runtime makes: Warden does not apply it']]);
    // Another group's SparkApplication is not the operator's.
    expect(await unseen('spark.yaml', SPARK.replace('sparkoperator.k8s.io', 'example.com'))).toEqual([]);
  });

  it('not reviewed where the change touches them, only a note elsewhere', async () => {
    const before = SPARK;
    const bumped = SPARK.replace('memory: 8g', 'memory: 16g');
    const touched = await review({ files: [{ path: 'jobs/spark.yaml', headText: bumped, baseText: before, patch: githubPatch(before, bumped) }], config: DEFAULT_CONFIG });
    expect(touched.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 16]]);
    const renamed = SPARK.replace('image: spark:3.5.0', 'image: spark:3.5.1');
    const elsewhere = await review({ files: [{ path: 'jobs/spark.yaml', headText: renamed, baseText: before, patch: githubPatch(before, renamed) }], config: DEFAULT_CONFIG });
    expect(elsewhere.findings.map((f) => f.ruleId)).toEqual([]);
  });
});
