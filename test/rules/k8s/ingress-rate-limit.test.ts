import rule from '../../../rules/k8s/ingress-rate-limit.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'a rate-limited model endpoint, and an Ingress for something else',
      code: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: llm
  annotations:
    nginx.ingress.kubernetes.io/limit-rps: "10"
spec:
  rules:
  - host: llm.example.com
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: grafana
spec:
  rules:
  - host: grafana.example.com
`,
    },
  ],
  invalid: [
    {
      name: 'a predictor behind an Ingress without limits',
      code: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: public
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  rules:
  - host: api.example.com
    http:
      paths:
      - path: /v2/models/sentiment/infer
        pathType: Prefix
        backend:
          service:
            name: sentiment-predictor
            port:
              number: 80
`,
      errors: [{ line: 5, message: 'fronts a model endpoint without a rate limit' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_ingress_v1',
      file: 'main.tf',
      code: `resource "kubernetes_ingress_v1" "triton" {
  metadata {
    name = "triton"
  }
  spec {
    rule {
      host = "triton.example.com"
    }
  }
}
`,
      errors: [{ line: 2 }],
      output: null,
    },
  ],
});
