// The ML-serving kinds as first-class scopes: where each one keeps its pod specs and containers.
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/formats/index.js';
import { podSpecs } from '../../../src/engine/scopes.js';
import { pathKey } from '../../../src/engine/path.js';

async function walk(file: string, text: string) {
  const parsed = await parseFile(file, text);
  return parsed!.resources.map((r) => ({
    id: r.id,
    pods: podSpecs(r).map((p) => ({ spec: pathKey(p.path), containers: p.containers.map((c) => `${c.list}:${c.name}@${pathKey(c.path)}`) })),
  }));
}

describe('scopes of the ML-serving kinds', () => {
  it('KServe InferenceService: predictor, transformer and explainer, with framework keys and containers', async () => {
    const text = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llm
spec:
  predictor:
    initContainers:
    - name: warm
      image: warm:1
    huggingface:
      args: ["--model_name=llm"]
    workerSpec:
      containers:
      - name: worker
        image: worker:1
  transformer:
    containers:
    - name: tokenizer
      image: tok:1
  explainer:
    alibi:
      type: AnchorTabular
`;
    expect(await walk('isvc.yaml', text)).toEqual([{
      id: 'InferenceService/llm',
      pods: [
        { spec: '.spec.predictor', containers: ['initContainers:warm@.spec.predictor.initContainers[0]', 'containers:huggingface@.spec.predictor.huggingface'] },
        { spec: '.spec.predictor.workerSpec', containers: ['containers:worker@.spec.predictor.workerSpec.containers[0]'] },
        { spec: '.spec.transformer', containers: ['containers:tokenizer@.spec.transformer.containers[0]'] },
        { spec: '.spec.explainer', containers: ['containers:alibi@.spec.explainer.alibi'] },
      ],
    }]);
  });

  it('KServe ServingRuntime and ClusterServingRuntime; the KFServing group too', async () => {
    const text = `apiVersion: serving.kserve.io/v1alpha1
kind: ClusterServingRuntime
metadata:
  name: vllm
spec:
  supportedModelFormats:
  - name: huggingface
  containers:
  - name: kserve-container
    image: vllm:1
---
apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata:
  name: triton
spec:
  containers:
  - name: kserve-container
    image: triton:1
---
apiVersion: serving.kubeflow.org/v1beta1
kind: InferenceService
metadata:
  name: old
spec:
  predictor:
    sklearn:
      storageUri: gs://x
`;
    const walked = await walk('rt.yaml', text);
    expect(walked.map((w) => w.pods.flatMap((p) => p.containers))).toEqual([
      ['containers:kserve-container@.spec.containers[0]'],
      ['containers:kserve-container@.spec.containers[0]'],
      ['containers:sklearn@.spec.predictor.sklearn'],
    ]);
  });

  it('Seldon SeldonDeployment: every componentSpec of every predictor', async () => {
    const text = `apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: income
spec:
  predictors:
  - name: a
    componentSpecs:
    - spec:
        containers:
        - name: classifier
          image: c:1
    - spec:
        containers:
        - name: explainer
          image: e:1
  - name: b
    componentSpecs:
    - spec:
        containers:
        - name: canary
          image: c:2
`;
    const [walked] = await walk('sd.yaml', text);
    expect(walked!.pods.map((p) => p.spec)).toEqual([
      '.spec.predictors[0].componentSpecs[0].spec',
      '.spec.predictors[0].componentSpecs[1].spec',
      '.spec.predictors[1].componentSpecs[0].spec',
    ]);
  });

  it('Knative Service and Argo Rollout; a core Service holds no pods, another group\'s Rollout only what has a pod\'s shape', async () => {
    const text = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: llm
spec:
  template:
    spec:
      containers:
      - image: llm:1
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: triton
        image: triton:1
---
apiVersion: v1
kind: Service
metadata:
  name: plain
spec:
  ports:
  - port: 80
---
apiVersion: example.com/v1
kind: Rollout
metadata:
  name: other
spec:
  template:
    spec:
      containers:
      - name: x
        image: x:1
`;
    const configuration = `apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: llm
spec:
  template:
    spec:
      containers:
      - name: llm
        image: llm:1
`;
    expect((await walk('c.yaml', configuration))[0]!.pods.map((p) => p.spec)).toEqual(['.spec.template.spec']);
    const revision = `apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: llm-00001
spec:
  containerConcurrency: 1
  containers:
  - name: llm
    image: llm:1
`;
    expect((await walk('r.yaml', revision))[0]!.pods.map((p) => [p.spec, ...p.containers])).toEqual([['.spec', 'containers:llm@.spec.containers[0]']]);
    // Another group's Revision is not Knative's: judged only because its spec has a pod spec's shape (src/common/pod-walk.ts).
    expect((await walk('r.yaml', revision.replace('serving.knative.dev', 'example.com')))[0]!.pods.map((p) => [p.spec, ...p.containers])).toEqual([['.spec', 'containers:llm@.spec.containers[0]']]);
    expect((await walk('r.yaml', revision.replace('serving.knative.dev', 'example.com').replace(/ {2}containers:\n.*\n.*\n/, '  revisionHistory: 3\n')))[0]!.pods).toEqual([]);
    expect((await walk('k.yaml', text)).map((w) => w.pods.flatMap((p) => p.containers))).toEqual([
      ['containers:containers[0]@.spec.template.spec.containers[0]'],
      ['containers:triton@.spec.template.spec.containers[0]'],
      [],
      ['containers:x@.spec.template.spec.containers[0]'],
    ]);
  });

  it('Terraform kubernetes_manifest: the manifest object is the body', async () => {
    const text = `resource "kubernetes_manifest" "isvc" {
  manifest = {
    apiVersion = "serving.kserve.io/v1beta1"
    kind       = "InferenceService"
    metadata = {
      name      = "iris"
      namespace = "models"
    }
    spec = {
      predictor = {
        model = {
          modelFormat = { name = "sklearn" }
        }
        containers = [{ name = "sidecar", image = "s:1" }]
      }
    }
  }
}

resource "kubernetes_manifest" "rollout" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Rollout"
    metadata   = { name = "r", namespace = "models" }
    spec = {
      template = {
        spec = {
          containers = [{ name = "app", image = "app:1" }]
        }
      }
    }
  }
}
`;
    expect(await walk('main.tf', text)).toEqual([
      { id: 'kubernetes_manifest.isvc', pods: [{ spec: '.spec.predictor', containers: ['containers:sidecar@.spec.predictor.containers[0]', 'containers:model@.spec.predictor.model'] }] },
      { id: 'kubernetes_manifest.rollout', pods: [{ spec: '.spec.template.spec', containers: ['containers:app@.spec.template.spec.containers[0]'] }] },
    ]);
  });

  it('Terraform kubernetes_cron_job_v1: the job template\'s pod spec', async () => {
    const text = `resource "kubernetes_cron_job_v1" "retrain" {
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
              image = "t:1"
            }
          }
        }
      }
    }
  }
}
`;
    expect((await walk('cron.tf', text))[0]!.pods).toEqual([{ spec: '.spec.jobTemplate.spec.template.spec', containers: ['containers:train@.spec.jobTemplate.spec.template.spec.containers[0]'] }]);
  });
});
