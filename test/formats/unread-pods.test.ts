// Pod settings Warden does not read as pod specs: a Spark application's driver and executor, an Argo workflow's
// `podSpecPatch`, what an Argo Events Sensor's triggers make from objects it does not hold or write from the event.
// Said where they are written, and not reviewed where the change touches them.
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

const SENSOR = `apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata:
  name: retrain
spec:
  dependencies:
  - name: data
    eventSourceName: s3
    eventName: new-data
  triggers:
  - template:
      name: from-bucket
      k8s:
        operation: create
        source:
          s3:
            bucket:
              name: manifests
              key: job.yaml
            endpoint: minio:9000
  - template:
      name: from-git
      argoWorkflow:
        source:
          git:
            url: https://example.com/flows.git
            filePath: train.yaml
  - template:
      name: cleanup
      k8s:
        operation: delete
        source:
          url:
            path: https://example.com/job.yaml
  - template:
      name: train
      argoWorkflow:
        operation: submit
        source:
          resource:
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: train-
            spec:
              entrypoint: train
              arguments:
                parameters:
                - name: data
                  value: none
              templates:
              - name: train
                container:
                  image: trainer:1.0
        parameters:
        - src: {dependencyName: data, dataKey: body.key}
          dest: spec.arguments.parameters.0.value
        - src: {dependencyName: data, dataKey: body.name}
          dest: metadata.generateName
        - src: {dependencyName: data, dataKey: body.image}
          dest: spec.templates.0.container.image
  - template:
      name: serve
      k8s:
        source:
          resource:
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: server
            spec:
              replicas: 1
              template:
                spec:
                  containers:
                  - name: server
                    image: server:1.0
        parameters:
        - src: {dependencyName: data, dataKey: body.replicas}
          dest: spec.replicas
        - src: {dependencyName: data, dataKey: body.context, useRawData: true}
          dest: spec.template.spec.containers.0.securityContext
    parameters:
    - src: {dependencyName: data, dataKey: body.tag}
      dest: k8s.source.resource.spec.template.spec.containers.0.image
    - src: {dependencyName: data, dataKey: body.name}
      dest: k8s.source.resource.metadata.name
    - src: {dependencyName: data, dataKey: body.operation}
      dest: k8s.operation
  - template:
      name: bump
      k8s:
        operation: patch
        patchStrategy: application/json-patch+json
        source:
          resource:
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: server
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

  it('what an Argo Events Sensor\'s triggers make from objects it does not hold, or set from the event in their pods', async () => {
    expect(await unseen('sensor.yaml', SENSOR)).toEqual([
      [16, 20, 'the object a `k8s` trigger of Sensor `retrain` makes from its `s3` source: Warden does not read it there'],
      [25, 27, 'the object a `argoWorkflow` trigger of Sensor `retrain` makes from its `git` source: Warden does not read it there'],
      [60, 61, 'what `spec.templates.0.container.image` of the object a `argoWorkflow` trigger of Sensor `retrain` makes is set to from the event: known only when it comes'],
      [81, 82, 'what `spec.template.spec.containers.0.securityContext` of the object a `k8s` trigger of Sensor `retrain` makes is set to from the event: known only when it comes'],
      [96, 100, 'the JSON patch a `k8s` trigger of Sensor `retrain` applies to a live object: Warden does not apply it'],
      [84, 85, 'what `k8s.source.resource.spec.template.spec.containers.0.image` of a trigger of Sensor `retrain` is set to from the event, and so the object a `k8s` trigger of Sensor `retrain` makes: known only when it comes'],
      [88, 89, 'what `k8s.operation` of a trigger of Sensor `retrain` is set to from the event, and so the object a `k8s` trigger of Sensor `retrain` makes: known only when it comes'],
    ]);
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

  it('a Sensor trigger\'s parameter that writes into a pod is not reviewed when edited; one that writes a workflow argument is reviewed', async () => {
    const notReviewed = async (after: string) => {
      const result = await review({ files: [{ path: 'events/sensor.yaml', headText: after, baseText: SENSOR, patch: githubPatch(SENSOR, after) }], config: DEFAULT_CONFIG });
      return result.findings.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => f.line);
    };
    expect(await notReviewed(SENSOR.replace('dataKey: body.image}', 'dataKey: body.img}'))).toEqual([60]);
    expect(await notReviewed(SENSOR.replace('dataKey: body.key}', 'dataKey: body.path}'))).toEqual([]);
  });
});
