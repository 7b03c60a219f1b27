import rule from '../../../rules/k8s/secret-committed.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'a Secret without values; a SealedSecret',
      code: `apiVersion: v1
kind: Secret
metadata:
  name: filled-by-eso
type: Opaque
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: s3
spec:
  encryptedData:
    key: AgBy3i4OJSWK
`,
    },
    {
      name: 'Terraform values from variables are not committed',
      file: 'main.tf',
      code: `resource "kubernetes_secret_v1" "s3" {
  metadata {
    name = "s3"
  }
  data = {
    AWS_SECRET_ACCESS_KEY = var.s3_secret
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'data and stringData',
      code: `apiVersion: v1
kind: Secret
metadata:
  name: storage-config
data:
  key: d0phbHJYVXRuRkVNSQ==
stringData:
  token: hf_abcdefghijklmnop
`,
      errors: [{ line: 5, message: 'commits 1 value(s) (`key`) in `data`' }, { line: 7, message: '`stringData`' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_secret with a literal',
      file: 'main.tf',
      code: `resource "kubernetes_secret" "hf" {
  metadata {
    name = "hf"
  }
  data = {
    token = "hf_abcdefghijklmnop"
    other = var.other
  }
}
`,
      errors: [{ line: 5, message: '`token`' }],
      output: null,
    },
  ],
});
