import rule from '../../../rules/k8s/model-uri-plaintext.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'object-store and https URIs',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: s3://models/iris
---
apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: income
spec:
  predictors:
  - name: default
    graph:
      name: classifier
      implementation: SKLEARN_SERVER
      modelUri: https://models.example.com/income
`,
    },
  ],
  invalid: [
    {
      name: 'KServe storageUri, a custom container env, and Seldon modelUri in a child',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: http://minio.models.svc:9000/iris
  transformer:
    containers:
    - name: transformer
      image: t:1
      env:
      - name: STORAGE_URI
        value: http://minio.models.svc:9000/tokenizer
---
apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: income
spec:
  predictors:
  - name: default
    graph:
      name: router
      children:
      - name: classifier
        implementation: SKLEARN_SERVER
        modelUri: HTTP://models.example.com/income
`,
      errors: [
        { line: 10, message: 'InferenceService `iris` downloads its model from `http://minio.models.svc:9000/iris`' },
        { line: 17 },
        { line: 31, message: 'SeldonDeployment `income`' },
      ],
      output: null,
    },
    {
      name: 'Terraform kubernetes_manifest InferenceService',
      file: 'main.tf',
      code: `resource "kubernetes_manifest" "isvc" {
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
          storageUri  = "http://minio:9000/iris"
        }
      }
    }
  }
}
`,
      errors: [{ line: 13 }],
      output: null,
    },
  ],
});
