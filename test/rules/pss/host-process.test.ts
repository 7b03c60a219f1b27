import rule from '../../../rules/k8s/host-process.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const windowsPod = `apiVersion: v1
kind: Pod
metadata:
  name: onnx-win
spec:
  os:
    name: windows
  hostNetwork: true
  securityContext:
    windowsOptions:
      hostProcess: true   # node agent?
  containers:
  - name: onnx
    image: mcr.microsoft.com/onnxruntime/server:latest
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: onnx-win
spec:
  template:
    spec:
      hostNetwork: true
      containers:
      - name: onnx
        image: mcr.microsoft.com/onnxruntime/server:latest
        securityContext:
          windowsOptions: {hostProcess: true, runAsUserName: "NT AUTHORITY\\\\SYSTEM"}
      initContainers:
      - name: fetch
        image: mcr.microsoft.com/powershell
        securityContext:
          windowsOptions:
            hostProcess: true
`;

const terraform = `resource "kubernetes_pod" "onnx" {
  metadata {
    name = "onnx-win"
  }
  spec {
    host_network = true
    security_context {
      windows_options {
        host_process = true
      }
    }
    container {
      name  = "onnx"
      image = "mcr.microsoft.com/onnxruntime/server:latest"
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'hostProcess false or absent',
      code: replaced(windowsPod, ['hostProcess: true', 'hostProcess: false']),
    },
    {
      name: 'windowsOptions without hostProcess (gMSA) on a CronJob',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: reindex
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: reindex
            image: example.com/reindex:1
            securityContext:
              windowsOptions:
                gmsaCredentialSpecName: webapp
`,
    },
    {
      name: 'Terraform host_process false',
      file: 'main.tf',
      code: replaced(terraform, ['host_process = true', 'host_process = false']),
    },
  ],
  invalid: [
    {
      name: 'pod-level hostProcess on a Pod',
      code: windowsPod,
      errors: [{ line: 11, message: 'The pod spec runs as a Windows HostProcess container' }],
      output: replaced(windowsPod, ['hostProcess: true   # node agent?', 'hostProcess: false   # node agent?']),
    },
    {
      name: 'container and init container of a Deployment (flow and block style)',
      code: deployment,
      errors: [
        { line: 13, message: 'Container `onnx` runs as a Windows HostProcess container' },
        { line: 19, message: 'Container `fetch`' },
      ],
      output: replaced(
        deployment,
        ['windowsOptions: {hostProcess: true,', 'windowsOptions: {hostProcess: false,'],
        ['            hostProcess: true\n', '            hostProcess: false\n'],
      ),
    },
    {
      name: 'KServe InferenceService model container',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: onnx
spec:
  predictor:
    model:
      modelFormat:
        name: onnx
      securityContext:
        windowsOptions:
          hostProcess: true
`,
      errors: [{ line: 12, message: 'Container `model`' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: onnx
spec:
  predictor:
    model:
      modelFormat:
        name: onnx
      securityContext:
        windowsOptions:
          hostProcess: false
`,
    },
    {
      name: 'Terraform kubernetes_pod',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 9, message: 'The pod spec' }],
      output: replaced(terraform, ['host_process = true', 'host_process = false']),
    },
  ],
});
