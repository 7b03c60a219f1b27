// Pod specs in kinds scopes.ts does not list: custom resources are walked for what has a pod's shape
// (src/common/pod-walk.ts); objects that are not deployed as written are not.
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/formats/index.js';
import { podSpecs } from '../../../src/engine/scopes.js';
import { pathKey } from '../../../src/engine/path.js';
import { MAX_WALK_DEPTH } from '../../../src/common/pod-walk.js';
import { runsPods } from '../../../rules/k8s/support/k8s.js';

async function walk(file: string, text: string) {
  const parsed = await parseFile(file, text);
  return parsed!.resources.map((r) => ({
    id: r.id,
    pods: podSpecs(r).map((p) => ({
      spec: pathKey(p.path),
      metadata: p.metadataPath === null ? null : pathKey(p.metadataPath),
      containers: p.containers.map((c) => `${c.list}:${c.name}@${pathKey(c.path)}`),
    })),
  }));
}

const specs = async (file: string, text: string) => (await walk(file, text)).map((w) => w.pods.map((p) => p.spec));

describe('pod specs of custom resources found by their shape', () => {
  it('KubeRay RayCluster: the head group and every worker group, each with its template metadata', async () => {
    const text = `apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: llm
spec:
  rayVersion: "2.9.0"
  headGroupSpec:
    rayStartParams:
      dashboard-host: "0.0.0.0"
    template:
      metadata:
        labels: {app: ray}
      spec:
        containers:
        - name: ray-head
          image: rayproject/ray:2.9.0
  workerGroupSpecs:
  - groupName: gpu
    replicas: 2
    rayStartParams: {}
    template:
      spec:
        initContainers:
        - name: wait
          image: busybox:1.36
        containers:
        - name: ray-worker
          image: rayproject/ray:2.9.0-gpu
`;
    expect(await walk('ray.yaml', text)).toEqual([{
      id: 'RayCluster/llm',
      pods: [
        { spec: '.spec.headGroupSpec.template.spec', metadata: '.spec.headGroupSpec.template.metadata', containers: ['containers:ray-head@.spec.headGroupSpec.template.spec.containers[0]'] },
        {
          spec: '.spec.workerGroupSpecs[0].template.spec',
          metadata: '.spec.workerGroupSpecs[0].template.metadata',
          containers: ['containers:ray-worker@.spec.workerGroupSpecs[0].template.spec.containers[0]', 'initContainers:wait@.spec.workerGroupSpecs[0].template.spec.initContainers[0]'],
        },
      ],
    }]);
  });

  it('KubeRay RayJob and RayService: the cluster they make and the submitter pod', async () => {
    const text = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: finetune
spec:
  entrypoint: python train.py
  rayClusterSpec:
    headGroupSpec:
      template:
        spec:
          containers:
          - name: ray-head
            image: rayproject/ray:2.9.0
  submitterPodTemplate:
    spec:
      restartPolicy: Never
      containers:
      - name: submitter
        image: rayproject/ray:2.9.0
---
apiVersion: ray.io/v1
kind: RayService
metadata:
  name: serve
spec:
  serveConfigV2: |
    applications: []
  rayClusterConfig:
    workerGroupSpecs:
    - groupName: w
      template:
        spec:
          containers:
          - name: ray-worker
            image: rayproject/ray:2.9.0
`;
    expect(await specs('rayjob.yaml', text)).toEqual([
      ['.spec.rayClusterSpec.headGroupSpec.template.spec', '.spec.submitterPodTemplate.spec'],
      ['.spec.rayClusterConfig.workerGroupSpecs[0].template.spec'],
    ]);
  });

  it('LeaderWorkerSet, Kubeflow PyTorchJob and Notebook, JobSet, Volcano Job, TrainingRuntime', async () => {
    const text = `apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: vllm
spec:
  replicas: 2
  leaderWorkerTemplate:
    size: 4
    leaderTemplate:
      metadata: {}
      spec:
        containers:
        - name: leader
          image: vllm/vllm-openai:v0.6.0
    workerTemplate:
      spec:
        containers:
        - name: worker
          image: vllm/vllm-openai:v0.6.0
---
apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: train
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        spec:
          containers:
          - name: pytorch
            image: pytorch/pytorch:2.3.0
    Worker:
      replicas: 3
      template:
        spec:
          containers:
          - name: pytorch
            image: pytorch/pytorch:2.3.0
---
apiVersion: kubeflow.org/v1
kind: Notebook
metadata:
  name: lab
spec:
  template:
    spec:
      containers:
      - name: lab
        image: jupyter/minimal-notebook:2024-05-27
---
apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata:
  name: tpu
spec:
  replicatedJobs:
  - name: workers
    replicas: 2
    template:
      spec:
        parallelism: 4
        template:
          metadata:
            annotations: {a: b}
          spec:
            containers:
            - name: jax
              image: jax:0.4
---
apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata:
  name: mpi
spec:
  minAvailable: 3
  tasks:
  - name: master
    replicas: 1
    template:
      spec:
        containers:
        - name: mpimaster
          image: mpi:1
---
apiVersion: trainer.kubeflow.org/v1alpha1
kind: ClusterTrainingRuntime
metadata:
  name: torch-distributed
spec:
  template:
    spec:
      replicatedJobs:
      - name: node
        template:
          spec:
            template:
              spec:
                containers:
                - name: node
                  image: pytorch/pytorch:2.3.0
`;
    const walked = await walk('ml.yaml', text);
    expect(walked.map((w) => w.pods.map((p) => [p.spec, p.metadata]))).toEqual([
      [['.spec.leaderWorkerTemplate.leaderTemplate.spec', '.spec.leaderWorkerTemplate.leaderTemplate.metadata'], ['.spec.leaderWorkerTemplate.workerTemplate.spec', '.spec.leaderWorkerTemplate.workerTemplate.metadata']],
      [['.spec.pytorchReplicaSpecs.Master.template.spec', '.spec.pytorchReplicaSpecs.Master.template.metadata'], ['.spec.pytorchReplicaSpecs.Worker.template.spec', '.spec.pytorchReplicaSpecs.Worker.template.metadata']],
      [['.spec.template.spec', '.spec.template.metadata']],
      [['.spec.replicatedJobs[0].template.spec.template.spec', '.spec.replicatedJobs[0].template.spec.template.metadata']],
      // Volcano's kind is `Job` too: not batch/v1's shape, found by its own.
      [['.spec.tasks[0].template.spec', '.spec.tasks[0].template.metadata']],
      [['.spec.template.spec.replicatedJobs[0].template.spec.template.spec', '.spec.template.spec.replicatedJobs[0].template.spec.template.metadata']],
    ]);
  });

  it('KServe LLMInferenceService and Seldon Core 2 Server: pod specs with no template metadata', async () => {
    const text = `apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: llama
spec:
  model:
    uri: hf://meta-llama/Llama-3.1-8B-Instruct
  template:
    containers:
    - name: main
      resources:
        limits: {nvidia.com/gpu: "1"}
  worker:
    containers:
    - name: main
  prefill:
    template:
      containers:
      - name: main
  router:
    scheduler:
      template:
        containers:
        - name: main
---
apiVersion: mlops.seldon.io/v1alpha1
kind: Server
metadata:
  name: mlserver
spec:
  serverConfig: mlserver
  podSpec:
    containers:
    - name: mlserver
      image: seldonio/mlserver:1.5.0
`;
    expect((await walk('llm.yaml', text)).map((w) => w.pods.map((p) => [p.spec, p.metadata]))).toEqual([
      [['.spec.template', null], ['.spec.worker', null], ['.spec.prefill.template', null], ['.spec.router.scheduler.template', null]],
      [['.spec.podSpec', null]],
    ]);
  });

  it('an unknown kind with a pod template is judged; in Terraform kubernetes_manifest too', async () => {
    const yaml = `apiVersion: widgets.example.com/v1
kind: Widget
metadata:
  name: w
spec:
  runner:
    template:
      spec:
        containers:
        - name: w
          image: w:1
`;
    expect(await walk('w.yaml', yaml)).toEqual([{ id: 'Widget/w', pods: [{ spec: '.spec.runner.template.spec', metadata: '.spec.runner.template.metadata', containers: ['containers:w@.spec.runner.template.spec.containers[0]'] }] }]);
    const tf = `resource "kubernetes_manifest" "ray" {
  manifest = {
    apiVersion = "ray.io/v1"
    kind       = "RayCluster"
    metadata   = { name = "llm", namespace = "ml" }
    spec = {
      headGroupSpec = {
        template = {
          spec = {
            containers = [{ name = "ray-head", image = "rayproject/ray:2.9.0" }]
          }
        }
      }
    }
  }
}
`;
    expect(await specs('main.tf', tf)).toEqual([['.spec.headGroupSpec.template.spec']]);
  });

  it('Argo Workflows: each template that runs a pod, its single containers, and the workflow-wide pod settings', async () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: train-
spec:
  entrypoint: main
  hostNetwork: true
  templates:
  - name: main
    steps:
    - - name: a
        template: train
  - name: train
    metadata:
      annotations: {a: b}
    initContainers:
    - name: fetch
      image: fetch:1
    container:
      image: pytorch/pytorch:2.3.0
    sidecars:
    - name: nccl
      image: nccl:1
  - name: report
    script:
      image: python:3.12
      source: print(1)
  - name: set
    containerSet:
      containers:
      - name: a
        image: a:1
      - name: b
        image: b:1
---
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  workflowSpec:
    templates:
    - name: train
      container:
        name: trainer
        image: t:1
`;
    expect(await walk('wf.yaml', text)).toEqual([
      {
        id: 'Workflow/train-*',
        pods: [
          { spec: '.spec', metadata: '.spec.podMetadata', containers: [] },
          {
            spec: '.spec.templates[1]',
            metadata: '.spec.templates[1].metadata',
            containers: ['containers:main@.spec.templates[1].container', 'containers:nccl@.spec.templates[1].sidecars[0]', 'initContainers:fetch@.spec.templates[1].initContainers[0]'],
          },
          { spec: '.spec.templates[2]', metadata: '.spec.templates[2].metadata', containers: ['containers:main@.spec.templates[2].script'] },
          { spec: '.spec.templates[3]', metadata: '.spec.templates[3].metadata', containers: ['containers:a@.spec.templates[3].containerSet.containers[0]', 'containers:b@.spec.templates[3].containerSet.containers[1]'] },
        ],
      },
      { id: 'CronWorkflow/nightly', pods: [{ spec: '.spec.workflowSpec.templates[0]', metadata: '.spec.workflowSpec.templates[0].metadata', containers: ['containers:trainer@.spec.workflowSpec.templates[0].container'] }] },
    ]);
  });

  it('template kinds run no pods of their own', async () => {
    const parsed = await parseFile('t.yaml', `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: t
spec:
  templates:
  - name: a
    container:
      image: a:1
---
apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: r
spec:
  headGroupSpec:
    template:
      spec:
        containers:
        - name: h
          image: h:1
`);
    expect(parsed!.resources.map((r) => [podSpecs(r).length, runsPods(r)])).toEqual([[1, false], [1, true]]);
  });

  it('a template kind by its API group: another operator\'s kind of the same name runs its pods', async () => {
    const parsed = await parseFile('t.yaml', `apiVersion: v1
kind: PodTemplate
metadata:
  name: p
template:
  spec:
    containers:
    - name: a
      image: a:1
---
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  steps:
  - name: a
    image: a:1
---
apiVersion: batch.example.com/v1
kind: Task
metadata:
  name: e
spec:
  template:
    spec:
      containers:
      - name: a
        image: a:1
`);
    expect(parsed!.resources.map((r) => [r.kind, podSpecs(r).length, runsPods(r)])).toEqual([['PodTemplate', 1, false], ['Task', 1, false], ['Task', 1, true]]);
  });
});

describe('what is not judged as a pod', () => {
  it('a CustomResourceDefinition, even with pod-shaped defaults in its schema', async () => {
    const text = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            default:
              containers:
              - name: default
                image: busybox:latest
                securityContext: {privileged: true}
            properties:
              containers:
                type: array
                items: {type: object}
`;
    expect(await specs('crd.yaml', text)).toEqual([[]]);
  });

  it('a schema-like object, what the cluster reports, a TrainJob\'s overrides', async () => {
    const text = `apiVersion: schemas.example.com/v1
kind: Schema
metadata:
  name: s
spec:
  properties:
    containers:
      type: array
      items:
        type: object
        properties:
          name: {type: string}
          image: {type: string}
---
apiVersion: widgets.example.com/v1
kind: Widget
metadata:
  name: reported
status:
  template:
    spec:
      containers:
      - name: w
        image: w:1
---
apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: tune
spec:
  runtimeRef:
    name: torch-distributed
  podTemplateOverrides:
  - targetJobs:
    - name: node
    spec:
      containers:
      - name: node
        env:
        - name: A
          value: b
`;
    expect(await specs('s.yaml', text)).toEqual([[], [], []]);
  });

  it('policies, Helm values and Kustomize patches that other tools apply', async () => {
    const pod = `template:
      spec:
        containers:
        - name: x
          image: x:latest
`;
    const text = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: p
spec:
  rules:
  - name: r
    validate:
      pattern:
        spec:
          ${pod.replace(/\n(?=.)/g, '\n      ')}---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: h
spec:
  chart:
    spec: {chart: c}
  values:
    ${pod}---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: k
spec:
  patches:
  - patch: |
      kind: Deployment
  patchesStrategicMerge:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      ${pod.replace(/\n(?=.)/g, '\n  ')}`;
    const walked = await walk('gitops.yaml', text);
    expect(walked.map((w) => w.id)).toEqual(['ClusterPolicy/p', 'HelmRelease/h', 'Kustomization/k']);
    expect(walked.map((w) => w.pods)).toEqual([[], [], []]);
  });

  it('a list deploys its items, each judged once as itself', async () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: ray.io/v1
  kind: RayCluster
  metadata:
    name: a
  spec:
    headGroupSpec:
      template:
        spec:
          containers:
          - name: h
            image: h:1
`;
    expect(await walk('list.yaml', text)).toEqual([{ id: 'RayCluster/a', pods: [{ spec: '.spec.headGroupSpec.template.spec', metadata: '.spec.headGroupSpec.template.metadata', containers: ['containers:h@.spec.headGroupSpec.template.spec.containers[0]'] }] }]);
  });

  it('the walk is bounded in depth', async () => {
    const nest = (depth: number) => {
      let body = 'containers:\n- name: deep\n  image: d:1\n';
      for (let i = 0; i < depth; i++) body = `k${i}:\n${body.replace(/^/gm, '  ')}`;
      return `apiVersion: deep.example.com/v1\nkind: Deep\nmetadata:\n  name: d\nspec:\n${body.replace(/^/gm, '  ')}`;
    };
    expect(await specs('deep.yaml', nest(MAX_WALK_DEPTH - 2))).toEqual([[`.spec${Array.from({ length: MAX_WALK_DEPTH - 2 }, (_, i) => `.k${MAX_WALK_DEPTH - 3 - i}`).join('')}`]]);
    expect(await specs('deep.yaml', nest(MAX_WALK_DEPTH + 2))).toEqual([[]]);
    // Not judged there, so not reviewed: said where the walk stopped.
    const deep = await parseFile('deep.yaml', nest(MAX_WALK_DEPTH + 2));
    expect(deep!.unseen?.map((u) => u.reason)).toEqual([expect.stringContaining(`nested deeper than ${MAX_WALK_DEPTH} levels`)]);
    expect((await parseFile('deep.yaml', nest(MAX_WALK_DEPTH - 2)))!.unseen ?? []).toEqual([]);
    // Deep maps without containers below are nothing to say.
    expect((await parseFile('deep.yaml', nest(MAX_WALK_DEPTH + 2).replace(/containers:/g, 'sidecars:')))!.unseen ?? []).toEqual([]);
  });
});
