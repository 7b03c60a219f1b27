import rule from '../../../rules/k8s/secret-env-literal.js';
import { ruleTester } from '../../rule-tester.js';

const pod = (env: string) => `apiVersion: v1
kind: Pod
metadata:
  name: tgi
spec:
  containers:
  - name: tgi
    image: tgi:2
    env:
${env}`;

// Built from parts so that no complete token sits in the source.
const AWS_KEY_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const HF_TOKEN = 'hf_' + 'abcdefghijklmnopqrstuvwxyzABCDEFGH';

ruleTester(rule, {
  valid: [
    {
      name: 'names ending _FILE, _PATH, _LOCATION are never flagged by the name alone',
      code: pod(`    - name: KAFKA_CLIENT_SASL_PASSWORD_LOCATION
      value: password
    - name: DB_PASSWORD_FILE
      value: db-password
    - name: HF_TOKEN_PATH
      value: hf-token
`),
    },
    {
      name: 'inference settings that merely contain "token", references, paths and flags',
      code: pod(`    - name: MAX_TOTAL_TOKENS
      value: "4096"
    - name: TOKENIZERS_PARALLELISM
      value: "false"
    - name: HF_TOKENIZER
      value: bert-base-uncased
    - name: HF_TOKEN
      valueFrom:
        secretKeyRef:
          name: hf
          key: token
    - name: AWS_WEB_IDENTITY_TOKEN_FILE
      value: /var/run/secrets/eks.amazonaws.com/serviceaccount/token
    - name: AWS_ACCESS_KEY_ID
      value: AKIAEXAMPLE
    - name: SECRET_NAME
      value: model-store
    - name: API_KEY
      value: $(API_KEY_FROM_SECRET)
    - name: PASSWORD
      value: ""
`),
    },
  ],
  invalid: [
    {
      name: 'a credential recognised by its value, whatever the variable is called',
      code: pod(`    - name: DB_URL
      value: ${AWS_KEY_ID}
    - name: MODEL_STORE
      value: postgres://ml:s3cr3t-pw@db.internal:5432/features
    - name: HF_TOKEN_FILE
      value: ${HF_TOKEN}
`),
      errors: [
        { line: 11, message: '`DB_URL` of container `tgi` holds an AWS access key id' },
        { line: 13, message: 'holds a password in a URL' },
        { line: 15, message: '`HF_TOKEN_FILE` of container `tgi` holds a Hugging Face token' },
      ],
      output: null,
    },
    {
      name: 'tokens, passwords and keys as literals',
      code: pod(`    - name: HF_TOKEN
      value: hf_abcdefghijklmnop
    - name: openaiApiKey
      value: sk-abc123
    - name: AWS_SECRET_ACCESS_KEY
      value: wJalrXUtnFEMI
    - name: DB_PASSWORD
      value: hunter2
`),
      errors: [
        { line: 11, message: 'Environment variable `HF_TOKEN` of container `tgi`' },
        { line: 13, message: '`openaiApiKey`' },
        { line: 15, message: '`AWS_SECRET_ACCESS_KEY`' },
        { line: 17, message: '`DB_PASSWORD`' },
      ],
      output: null,
    },
    {
      name: 'Terraform kubernetes_deployment',
      file: 'main.tf',
      code: `resource "kubernetes_deployment" "tgi" {
  metadata {
    name = "tgi"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "tgi"
          image = "tgi:2"
          env {
            name  = "HUGGING_FACE_HUB_TOKEN"
            value = "hf_abcdefghijklmnop"
          }
          env {
            name  = "API_TOKEN"
            value = var.api_token
          }
        }
      }
    }
  }
}
`,
      errors: [{ line: 14 }],
      output: null,
    },
  ],
});
