// Pod and container rules over custom resources whose pod specs are found by their shape (src/common/pod-walk.ts)
// or listed (Argo Workflows): findings at the right lines, fixes rendered at those paths and proven by re-scanning.
import privileged from '../../../rules/k8s/privileged.js';
import runAsNonRoot from '../../../rules/k8s/run-as-non-root.js';
import hostNamespaces from '../../../rules/k8s/host-namespaces.js';
import automount from '../../../rules/k8s/automount-service-account-token.js';
import hostPathVolumes from '../../../rules/k8s/host-path-volumes.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from '../pss/helpers.js';

const rayCluster = `apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: llm
  namespace: ml
spec:
  headGroupSpec:
    rayStartParams: {}
    template:
      spec:
        containers:
        - name: ray-head
          image: rayproject/ray:2.9.0
  workerGroupSpecs:
  - groupName: gpu
    template:
      spec:
        containers:
        - name: ray-worker
          image: rayproject/ray:2.9.0-gpu
          securityContext:
            privileged: true # for the GPU driver
`;

const lws = `apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: vllm
  namespace: ml
spec:
  leaderWorkerTemplate:
    size: 2
    leaderTemplate:
      spec:
        containers:
        - name: leader
          image: vllm/vllm-openai:v0.6.0
          securityContext: {privileged: true}
    workerTemplate:
      spec:
        containers:
        - name: worker
          image: vllm/vllm-openai:v0.6.0
`;

const manifest = `resource "kubernetes_manifest" "ray" {
  manifest = {
    apiVersion = "ray.io/v1"
    kind       = "RayCluster"
    metadata   = { name = "llm", namespace = "ml" }
    spec = {
      headGroupSpec = {
        template = {
          spec = {
            containers = [{
              name            = "ray-head"
              image           = "rayproject/ray:2.9.0"
              securityContext = { privileged = true }
            }]
          }
        }
      }
    }
  }
}
`;

const widget = `apiVersion: widgets.example.com/v1
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
          securityContext:
            privileged: true
`;

ruleTester(privileged, {
  valid: [
    { name: 'RayCluster without privileged containers', code: replaced(rayCluster, ['privileged: true', 'privileged: false']) },
    { name: 'a CustomResourceDefinition is not a pod', code: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.widgets.example.com
spec:
  group: widgets.example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
        default:
          spec:
            template:
              spec:
                containers:
                - name: w
                  image: w:1
                  securityContext:
                    privileged: true
` },
    { name: 'a Kyverno pattern is not a pod', code: `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: no-privileged
spec:
  rules:
  - name: r
    mutate:
      patchStrategicMerge:
        spec:
          template:
            spec:
              containers:
              - (name): "*"
                securityContext:
                  privileged: true
` },
  ],
  invalid: [
    {
      name: 'privileged worker of a RayCluster',
      code: rayCluster,
      errors: [{ line: 22, message: 'ray-worker' }],
      output: replaced(rayCluster, ['privileged: true', 'privileged: false']),
    },
    {
      name: 'privileged leader of a LeaderWorkerSet, in a flow map',
      code: lws,
      errors: [{ line: 14 }],
      output: replaced(lws, ['{privileged: true}', '{privileged: false}']),
    },
    {
      name: 'an unknown kind with a pod template',
      code: widget,
      errors: [{ line: 13 }],
      output: replaced(widget, ['privileged: true', 'privileged: false']),
    },
    {
      name: 'Terraform kubernetes_manifest of a RayCluster',
      file: 'main.tf',
      code: manifest,
      errors: [{ line: 13 }],
      output: replaced(manifest, ['privileged = true', 'privileged = false']),
    },
  ],
});

const pytorchJob = `apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: finetune
  namespace: ml
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        spec:
          securityContext:
            runAsNonRoot: false
          containers:
          - name: pytorch
            image: pytorch/pytorch:2.3.0
`;

ruleTester(runAsNonRoot, {
  valid: [{ name: 'PyTorchJob running as non-root', code: replaced(pytorchJob, ['runAsNonRoot: false', 'runAsNonRoot: true']) }],
  invalid: [
    {
      name: 'PyTorchJob master pod sets runAsNonRoot: false',
      code: pytorchJob,
      errors: [{ line: 13 }],
      output: replaced(pytorchJob, ['runAsNonRoot: false', 'runAsNonRoot: true']),
    },
  ],
});

const workflow = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: train
  namespace: ml
spec:
  entrypoint: train
  hostNetwork: true
  templates:
  - name: train
    container:
      image: pytorch/pytorch:2.3.0
`;

const jobSet = `apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata:
  name: tpu
  namespace: ml
spec:
  replicatedJobs:
  - name: workers
    template:
      spec:
        template:
          spec:
            hostIPC: true
            containers:
            - name: jax
              image: jax:0.4
`;

ruleTester(hostNamespaces, {
  valid: [
    { name: 'Argo workflow without host namespaces', code: replaced(workflow, ['  hostNetwork: true\n', '']) },
    { name: 'JobSet without host namespaces', code: replaced(jobSet, ['hostIPC: true', 'hostIPC: false']) },
  ],
  invalid: [
    {
      name: 'Argo workflow-wide hostNetwork',
      code: workflow,
      errors: [{ line: 8 }],
      output: replaced(workflow, ['hostNetwork: true', 'hostNetwork: false']),
    },
    {
      name: 'hostIPC in a JobSet\'s replicated job',
      code: jobSet,
      errors: [{ line: 13 }],
      output: replaced(jobSet, ['hostIPC: true', 'hostIPC: false']),
    },
  ],
});

const argoTemplate = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: report
  namespace: ml
spec:
  templates:
  - name: report
    script:
      image: python:3.12
      source: print(1)
`;

const notebook = `apiVersion: kubeflow.org/v1
kind: Notebook
metadata:
  name: lab
  namespace: ml
spec:
  template:
    spec:
      containers:
      - name: lab
        image: jupyter/minimal-notebook:2024-05-27
`;

ruleTester(automount, {
  valid: [
    { name: 'Kubeflow Notebook that does not mount the token', code: replaced(notebook, ['    spec:\n      containers:', '    spec:\n      automountServiceAccountToken: false\n      containers:']) },
  ],
  invalid: [
    {
      name: 'Kubeflow Notebook pod mounts the token',
      code: notebook,
      errors: [{ line: 8 }],
      output: `${notebook}      automountServiceAccountToken: false\n`,
    },
    {
      name: 'Argo script template mounts the token',
      code: argoTemplate,
      errors: [{ line: 8 }],
      output: `${argoTemplate}    automountServiceAccountToken: false\n`,
    },
  ],
});

const volcano = `apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata:
  name: mpi
  namespace: ml
spec:
  tasks:
  - name: master
    template:
      spec:
        containers:
        - name: mpimaster
          image: mpi:1
        volumes:
        - name: nccl
          hostPath:
            path: /usr/lib/nccl
`;

ruleTester(hostPathVolumes, {
  valid: [{ name: 'Volcano job without hostPath', code: replaced(volcano, ['          hostPath:\n            path: /usr/lib/nccl\n', '          emptyDir: {}\n']) }],
  invalid: [{ name: 'hostPath volume in a Volcano job\'s task (Volcano\'s kind is Job too)', code: volcano, errors: [{ line: 16 }], output: null }],
});
