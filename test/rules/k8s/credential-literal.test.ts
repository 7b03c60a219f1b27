import rule from '../../../rules/k8s/credential-literal.js';
import { ruleTester } from '../../rule-tester.js';

// Built from parts so that no complete token sits in the source.
const AWS_KEY_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const HF_TOKEN = 'hf_' + 'abcdefghijklmnopqrstuvwxyzABCDEFGH';
const GITHUB_TOKEN = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0a1B2c3D4e5F6g7H8';

ruleTester(rule, {
  valid: [
    {
      name: 'configuration, paths, references and placeholders',
      code: `apiVersion: v1
kind: ConfigMap
metadata:
  name: serving
  annotations:
    serving.kserve.io/deploymentMode: RawDeployment
data:
  MODEL_ID: meta-llama/Llama-3-8B
  MAX_TOKENS: "4096"
  KAFKA_CLIENT_SASL_PASSWORD_LOCATION: /etc/kafka/password
  HF_TOKEN_FILE: hf-token
  DB_URL: postgres://ml:$(DB_PASSWORD)@db:5432/features
  password-policy.json: |
    {"minLength": 12}
`,
    },
    {
      name: 'environment variables are k8s/secret-env-literal\'s, Secrets k8s/secret-committed\'s',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: tgi
spec:
  containers:
  - name: tgi
    image: tgi:2
    env:
    - name: HF_TOKEN
      value: ${HF_TOKEN}
---
apiVersion: v1
kind: Secret
metadata:
  name: hf
stringData:
  token: ${HF_TOKEN}
`,
    },
    {
      name: 'a kustomization\'s secretGenerator makes a Secret: k8s/secret-committed\'s',
      file: 'serving/kustomization.yaml',
      code: `secretGenerator:
- name: hf
  literals:
  - HF_TOKEN=${HF_TOKEN}
`,
    },
  ],
  invalid: [
    {
      name: 'a ConfigMap: by value, and by a key named like a credential',
      code: `apiVersion: v1
kind: ConfigMap
metadata:
  name: serving
data:
  AWS_ACCESS_KEY: ${AWS_KEY_ID}
  db.password: hunter2
  FEATURE_STORE: redis://:s3cr3t-pw@features:6379/0
`,
      errors: [
        { line: 6, message: '`data.AWS_ACCESS_KEY` of ConfigMap `serving` holds an AWS access key id' },
        { line: 7, message: 'Key `db.password` of ConfigMap `serving` holds a credential' },
        { line: 8, message: 'holds a password in a URL' },
      ],
      output: null,
    },
    {
      name: 'an annotation, a container argument and a model URI',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
  annotations:
    example.com/git-token: ${GITHUB_TOKEN}
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      storageUri: https://models:pa55word@minio.internal/llama
      args:
      - --hf-token=${HF_TOKEN}
`,
      errors: [
        { line: 6, message: '`metadata.annotations["example.com/git-token"]` of InferenceService `llama` holds a GitHub token' },
        { line: 12, message: '`spec.predictor.model.storageUri` of InferenceService `llama` holds a password in a URL' },
        { line: 14, message: 'holds a Hugging Face token' },
      ],
      output: null,
    },
    {
      name: 'a kustomization has no name of its own: named by its file',
      file: 'serving/kustomization.yaml',
      code: `helmCharts:
- name: tgi
  valuesInline:
    token: ${HF_TOKEN}
`,
      errors: [{ line: 4, message: '`helmCharts[0].valuesInline.token` of Kustomization `serving/kustomization.yaml` holds a Hugging Face token' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_config_map_v1',
      file: 'main.tf',
      code: `resource "kubernetes_config_map_v1" "serving" {
  metadata {
    name = "serving"
    annotations = {
      "example.com/token" = "${HF_TOKEN}"
    }
  }
  data = {
    MODEL_ID = "meta-llama/Llama-3-8B"
    API_KEY  = "not-so-secret"
    TOKEN    = var.token
  }
}
`,
      errors: [
        { line: 5, message: 'holds a Hugging Face token' },
        { line: 10, message: 'Key `API_KEY` of ConfigMap `serving`' },
      ],
      output: null,
    },
  ],
});
