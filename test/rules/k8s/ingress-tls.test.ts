import rule from '../../../rules/k8s/ingress-tls.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'tls with a certificate',
      code: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: models
spec:
  tls:
  - hosts: [models.example.com]
    secretName: models-tls
`,
    },
  ],
  invalid: [
    {
      name: 'no tls',
      code: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: models
spec:
  rules:
  - host: models.example.com
`,
      errors: [{ line: 5, message: 'Ingress `models` has no `tls`' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_ingress_v1',
      file: 'main.tf',
      code: `resource "kubernetes_ingress_v1" "models" {
  metadata {
    name      = "models"
    namespace = "models"
  }
  spec {
    rule {
      host = "models.example.com"
    }
  }
}
`,
      errors: [{ line: 6 }],
      output: null,
    },
  ],
});
