// Pod and container rules over kinds whose pods are written as views (src/engine/views.ts): Tekton steps over their
// stepTemplate (v1's `computeResources`), a TaskRun's podTemplate, a Pipeline's embedded tasks, an Argo Events
// Sensor's or EventSource's template and the objects a Sensor's triggers make (a patch judged for what it sets), a
// TrainJob's trainer, a Tekton StepAction. Findings and fixes land on the field a person writes.
import privileged from '../../../rules/k8s/privileged.js';
import runAsNonRoot from '../../../rules/k8s/run-as-non-root.js';
import hostPathVolumes from '../../../rules/k8s/host-path-volumes.js';
import hostNamespaces from '../../../rules/k8s/host-namespaces.js';
import imageTagPinned from '../../../rules/k8s/image-tag-pinned.js';
import resourceLimits from '../../../rules/k8s/resource-limits.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from '../pss/helpers.js';

const task = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build
  namespace: ci
spec:
  stepTemplate:
    securityContext:
      privileged: true
  steps:
  - name: compile
    image: golang:1.22
  - name: push
    image: gcr.io/kaniko-project/executor:v1.23.0
    securityContext:
      privileged: false
  sidecars:
  - name: docker
    image: docker:27-dind
    securityContext:
      privileged: true
`;

const taskRun = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: build-1
  namespace: ci
spec:
  podTemplate:
    securityContext:
      runAsNonRoot: true
  taskSpec:
    steps:
    - name: compile
      image: golang:1.22
      securityContext:
        privileged: true
`;

const pipeline = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: release
  namespace: ci
spec:
  tasks:
  - name: build
    taskSpec:
      steps:
      - name: compile
        image: golang:1.22
  finally:
  - name: notify
    taskSpec:
      steps:
      - name: send
        image: curlimages/curl:8.8.0
        securityContext: {privileged: true}
`;

const sensor = `apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata:
  name: retrain
  namespace: ml
spec:
  template:
    serviceAccountName: sensor
    container:
      securityContext:
        privileged: true
  dependencies:
  - name: data
    eventSourceName: s3
    eventName: new-data
`;

// A trigger's embedded object is created by the Sensor as written: its pod spec is judged (found by the walk).
const sensorCreatingPod = `${sensor}  triggers:
  - template:
      name: run
      k8s:
        operation: create
        source:
          resource:
            apiVersion: v1
            kind: Pod
            metadata:
              generateName: retrain-
            spec:
              containers:
              - name: train
                image: trainer:1.0
                securityContext:
                  privileged: true
`;

// An Argo Workflow a trigger submits, written inline: judged as a Workflow is (a template's `container`, `script`).
const sensorSubmittingWorkflow = `${sensor}  triggers:
  - template:
      name: retrain
      argoWorkflow:
        operation: submit
        source:
          resource:
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: retrain-
            spec:
              entrypoint: train
              templates:
              - name: train
                container:
                  image: trainer:1.0
                  securityContext:
                    privileged: true
`;

// The same Workflow created by a k8s trigger (with a `script`), and a Pod it deletes (nothing is made of that one).
const sensorCreatingWorkflow = `${replaced(sensorSubmittingWorkflow,
  ['argoWorkflow:\n        operation: submit', 'k8s:\n        operation: create'],
  ['                container:\n                  image: trainer:1.0\n', '                script:\n                  image: python:3.12\n                  source: print("hi")\n'],
)}  - template:
      name: cleanup
      k8s:
        operation: delete
        source:
          resource:
            apiVersion: v1
            kind: Pod
            metadata:
              name: old
            spec:
              containers:
              - name: train
                image: trainer:1.0
                securityContext:
                  privileged: true
`;

// A k8s trigger that patches a live Deployment: what it sets is judged, what it leaves unset is the live object's.
const sensorPatchingDeployment = `${sensor}  triggers:
  - template:
      name: roll
      k8s:
        operation: patch
        source:
          resource:
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: server
            spec:
              template:
                spec:
                  containers:
                  - name: server
                    image: server:2.0
                    securityContext:
                      privileged: true
`;

const eventSource = `apiVersion: argoproj.io/v1alpha1
kind: EventSource
metadata:
  name: s3
  namespace: ml
spec:
  template:
    container:
      securityContext:
        privileged: true
    volumes:
    - name: docker
      hostPath:
        path: /var/run/docker.sock
  webhook:
    new-data:
      port: "12000"
      endpoint: /data
      method: POST
`;

// A StepAction: the container of the steps that name it. Its `params` and `results` are no container's.
const stepAction = `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata:
  name: kaniko-build
  namespace: ci
spec:
  params:
  - name: context
  image: gcr.io/kaniko-project/executor:v1.23.0
  command: [/kaniko/executor]
  args: [--context=$(params.context)]
  securityContext:
    privileged: true
`;

const templateFalse: [string, string] = ['      privileged: true\n  steps', '      privileged: false\n  steps'];
const sidecarFalse: [string, string] = ['docker:27-dind\n    securityContext:\n      privileged: true', 'docker:27-dind\n    securityContext:\n      privileged: false'];

/** A case where the Sensor's own container (line 11) and a container of what it holds are privileged, each fixed where written. */
const besideSensorContainer = (name: string, code: string, line: number, container: string) => ({
  name,
  code,
  errors: [{ line: 11 }, { line, message: container }],
  output: replaced(code, ['privileged: true', 'privileged: false'], ['privileged: true', 'privileged: false']),
});

ruleTester(privileged, {
  valid: [
    { name: 'Tekton Task whose stepTemplate and sidecar are not privileged', code: replaced(task, templateFalse, sidecarFalse) },
    { name: 'a Tekton step\'s own `privileged: false` wins over its stepTemplate\'s', code: replaced(task, ['  - name: compile\n    image: golang:1.22\n', ''], ['  sidecars:\n  - name: docker\n    image: docker:27-dind\n    securityContext:\n      privileged: true\n', '']) },
    { name: 'Tekton TaskRun whose step is not privileged', code: replaced(taskRun, ['privileged: true', 'privileged: false']) },
    { name: 'Argo Events Sensor whose container is not privileged', code: replaced(sensor, ['privileged: true', 'privileged: false']) },
    { name: 'a Tekton StepAction that is not privileged', code: replaced(stepAction, ['privileged: true', 'privileged: false']) },
  ],
  invalid: [
    {
      name: 'a Tekton stepTemplate makes a step privileged (fixed there), and a sidecar',
      code: task,
      errors: [{ line: 9, message: 'compile' }, { line: 21, message: 'docker' }],
      output: replaced(task, templateFalse, sidecarFalse),
    },
    {
      name: 'a privileged step of a TaskRun\'s embedded taskSpec',
      code: taskRun,
      errors: [{ line: 15 }],
      output: replaced(taskRun, ['privileged: true', 'privileged: false']),
    },
    {
      name: 'a privileged step of a Pipeline\'s embedded finally task',
      code: pipeline,
      errors: [{ line: 19, message: 'send' }],
      output: replaced(pipeline, ['{privileged: true}', '{privileged: false}']),
    },
    {
      name: 'an Argo Events Sensor\'s privileged container',
      code: sensor,
      errors: [{ line: 11 }],
      output: replaced(sensor, ['privileged: true', 'privileged: false']),
    },
    besideSensorContainer('a privileged pod an Argo Events Sensor\'s trigger creates, beside its template\'s container', sensorCreatingPod, 32, 'train'),
    {
      name: 'a privileged container of the pod spec under an Argo Events Sensor\'s `template.spec` (before 1.3)',
      code: replaced(sensor, ['    container:\n      securityContext:\n        privileged: true\n', '    spec:\n      containers:\n      - name: sensor\n        image: argoproj/sensor:v1.2.0\n        securityContext:\n          privileged: true\n']),
      errors: [{ line: 14, message: 'sensor' }],
      output: replaced(sensor, ['    container:\n      securityContext:\n        privileged: true\n', '    spec:\n      containers:\n      - name: sensor\n        image: argoproj/sensor:v1.2.0\n        securityContext:\n          privileged: false\n']),
    },
    besideSensorContainer('a privileged container of the Argo Workflow an Argo Events Sensor\'s trigger submits', sensorSubmittingWorkflow, 34, 'main'),
    besideSensorContainer('a privileged script of the Argo Workflow a k8s trigger creates (not of the one it deletes)', sensorCreatingWorkflow, 35, 'main'),
    besideSensorContainer('a privileged container a k8s trigger\'s patch sets', sensorPatchingDeployment, 34, 'server'),
    {
      name: 'a privileged Tekton StepAction (fixed in its spec)',
      code: stepAction,
      errors: [{ line: 13, message: 'kaniko-build' }],
      output: replaced(stepAction, ['privileged: true', 'privileged: false']),
    },
    {
      name: 'an Argo Events EventSource\'s privileged container',
      code: eventSource,
      errors: [{ line: 10 }],
      output: replaced(eventSource, ['privileged: true', 'privileged: false']),
    },
  ],
});

const sensorRunsAsNonRoot: [string, string] = ['        privileged: true\n  dependencies', '        runAsNonRoot: true\n  dependencies'];
const patchSetsImageOnly: [string, string] = ['                    image: server:2.0\n                    securityContext:\n                      privileged: true\n', '                    image: server:2.0\n'];

ruleTester(runAsNonRoot, {
  valid: [
    { name: 'a k8s trigger\'s patch that sets only an image leaves runAsNonRoot to the live Deployment', code: replaced(sensorPatchingDeployment, sensorRunsAsNonRoot, patchSetsImageOnly) },
    { name: 'a TaskRun\'s podTemplate sets runAsNonRoot for its steps', code: taskRun },
    {
      name: 'a Tekton stepTemplate sets runAsNonRoot for every step',
      code: replaced(task, ['      privileged: true\n  steps', '      runAsNonRoot: true\n  steps'], ['      privileged: false\n', '      runAsNonRoot: true\n'], ['      privileged: true\n', '      runAsNonRoot: true\n']),
    },
  ],
  invalid: [
    {
      name: 'the same Deployment created by a k8s trigger runs as root',
      code: replaced(sensorPatchingDeployment, sensorRunsAsNonRoot, patchSetsImageOnly, ['operation: patch', 'operation: create']),
      errors: [{ line: 31, message: 'server' }],
      output: `${replaced(sensorPatchingDeployment, sensorRunsAsNonRoot, patchSetsImageOnly, ['operation: patch', 'operation: create'])}                    securityContext:\n                      runAsNonRoot: true\n`,
    },
    {
      name: 'a TaskRun\'s podTemplate sets runAsNonRoot: false (fixed there)',
      code: replaced(taskRun, ['runAsNonRoot: true', 'runAsNonRoot: false']),
      errors: [{ line: 9 }],
      output: taskRun,
    },
  ],
});

// A run of a Task or Pipeline written elsewhere: its pod template still sets the pods it makes.
const taskRunByRef = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: build-2
  namespace: ci
spec:
  taskRef:
    name: build
  podTemplate:
    volumes:
    - name: docker
      hostPath:
        path: /var/run/docker.sock
`;

const pipelineRunByRef = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: release-1
  namespace: ci
spec:
  pipelineRef:
    name: release
  taskRunTemplate:
    podTemplate:
      volumes:
      - name: docker
        hostPath:
          path: /var/run/docker.sock
`;

ruleTester(hostPathVolumes, {
  valid: [
    { name: 'Argo Events EventSource without hostPath', code: replaced(eventSource, ['      hostPath:\n        path: /var/run/docker.sock\n', '      emptyDir: {}\n']) },
    { name: 'a TaskRun of a Task written elsewhere whose podTemplate mounts no hostPath', code: replaced(taskRunByRef, ['      hostPath:\n        path: /var/run/docker.sock\n', '      emptyDir: {}\n']) },
  ],
  invalid: [
    { name: 'a hostPath volume in an Argo Events EventSource\'s template', code: eventSource, errors: [{ line: 13 }], output: null },
    { name: 'a hostPath volume in the podTemplate of a TaskRun of a Task written elsewhere', code: taskRunByRef, errors: [{ line: 12 }], output: null },
    { name: 'a hostPath volume in the v1 taskRunTemplate of a PipelineRun of a Pipeline written elsewhere', code: pipelineRunByRef, errors: [{ line: 13 }], output: null },
  ],
});

// A pod-level setting the submitted Workflow gives every pod of it.
const workflowOnHostNetwork = replaced(sensorSubmittingWorkflow, ['              entrypoint: train\n', '              entrypoint: train\n              hostNetwork: true\n']);

ruleTester(hostNamespaces, {
  valid: [{ name: 'the Workflow an Argo Events trigger submits is not on the host network', code: sensorSubmittingWorkflow }],
  invalid: [{ name: 'the Workflow an Argo Events trigger submits is on the host network', code: workflowOnHostNetwork, errors: [{ line: 29 }], output: replaced(workflowOnHostNetwork, ['hostNetwork: true', 'hostNetwork: false']) }],
});

const trainJob = `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: finetune
  namespace: ml
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    image: pytorch/pytorch:latest
    numNodes: 2
    resourcesPerNode:
      requests:
        cpu: "8"
        memory: 64Gi
`;

ruleTester(imageTagPinned, {
  valid: [{ name: 'TrainJob trainer with a pinned image', code: replaced(trainJob, ['pytorch/pytorch:latest', 'pytorch/pytorch:2.3.0']) }],
  invalid: [{ name: 'TrainJob trainer image uses latest', code: trainJob, errors: [{ line: 10 }], output: null }],
});

ruleTester(resourceLimits, {
  valid: [
    { name: 'a TrainJob without resourcesPerNode takes its runtime\'s (judged there)', code: replaced(trainJob, ['    resourcesPerNode:\n      requests:\n        cpu: "8"\n        memory: 64Gi\n', '']) },
    { name: 'a Tekton StepAction, whose step\'s computeResources are written in its Task', code: stepAction },
    {
      name: 'a Tekton v1 step\'s computeResources',
      code: replaced(taskRun, ['      image: golang:1.22\n', '      image: golang:1.22\n      computeResources:\n        requests: {cpu: "1"}\n        limits: {memory: 1Gi}\n']),
    },
  ],
  invalid: [
    {
      name: 'a TrainJob\'s resourcesPerNode without a memory limit (fixed there)',
      code: trainJob,
      errors: [{ line: 12 }],
      output: `${trainJob}      limits:\n        memory: 64Gi\n`,
    },
  ],
});
