import rule from '../../../rules/k8s/image-tag-pinned.js';
import { ruleTester } from '../../rule-tester.js';

const pod = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: ${image}
`;

ruleTester(rule, {
  valid: [
    { name: 'a version tag', code: pod('nvcr.io/nvidia/tritonserver:24.05-py3') },
    { name: 'a digest without a tag', code: pod('vllm/vllm-openai@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef') },
    { name: 'latest with a digest is pinned', code: pod('python:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef') },
    { name: 'a registry port is not a tag, and this one is tagged', code: pod('localhost:5000/models/server:1.2') },
    {
      name: 'a KServe model container without an image (the runtime brings it)',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
`,
    },
  ],
  invalid: [
    { name: 'no tag', code: pod('pytorch/torchserve'), errors: [{ line: 8, message: 'has no tag' }], output: null },
    { name: 'latest', code: pod('ghcr.io/acme/llm-server:latest'), errors: [{ line: 8, message: 'uses `:latest`' }], output: null },
    { name: 'registry port and no tag', code: pod('localhost:5000/models/server'), errors: [{ line: 8, message: 'has no tag' }], output: null },
    {
      name: 'a ServingRuntime container',
      code: `apiVersion: serving.kserve.io/v1alpha1
kind: ClusterServingRuntime
metadata:
  name: kserve-sklearnserver
spec:
  supportedModelFormats:
  - name: sklearn
    version: "1"
  containers:
  - name: kserve-container
    image: kserve/sklearnserver:latest
`,
      errors: [{ line: 11 }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_cron_job_v1',
      file: 'main.tf',
      code: `resource "kubernetes_cron_job_v1" "retrain" {
  metadata {
    name = "retrain"
  }
  spec {
    schedule = "0 3 * * *"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec {
            container {
              name  = "train"
              image = "acme/trainer"
            }
          }
        }
      }
    }
  }
}
`,
      errors: [{ line: 15 }],
      output: null,
    },
  ],
});
