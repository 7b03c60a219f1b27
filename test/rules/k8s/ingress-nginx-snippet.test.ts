import rule from '../../../rules/k8s/ingress-nginx-snippet.js';
import { ruleTester } from '../../rule-tester.js';

const ingress = (annotations: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: llm
  annotations:
${annotations}spec:
  ingressClassName: nginx
  rules:
  - host: llm.example.com
`;

ruleTester(rule, {
  valid: [
    {
      name: 'dedicated annotations',
      code: ingress(`    nginx.ingress.kubernetes.io/limit-rps: "10"
    nginx.ingress.kubernetes.io/auth-url: https://auth.example.com/check
    example.com/server-snippet: not the controller's
`),
    },
  ],
  invalid: [
    {
      name: 'configuration-snippet and server-snippet',
      code: ingress(`    nginx.ingress.kubernetes.io/limit-rps: "10"
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Model: llama";
    nginx.ingress.kubernetes.io/server-snippet: "location /metrics { deny all; }"
`),
      errors: [
        { line: 7, message: 'Ingress `llm` sets `nginx.ingress.kubernetes.io/configuration-snippet`' },
        { line: 9, message: '`nginx.ingress.kubernetes.io/server-snippet`' },
      ],
      output: ingress(`    nginx.ingress.kubernetes.io/limit-rps: "10"
`),
    },
    {
      name: 'Terraform kubernetes_ingress_v1',
      file: 'main.tf',
      code: `resource "kubernetes_ingress_v1" "llm" {
  metadata {
    name = "llm"
    annotations = {
      "nginx.ingress.kubernetes.io/rewrite-target" = "/"
      "nginx.ingress.kubernetes.io/auth-snippet"   = "proxy_set_header X-Debug 1;"
    }
  }
  spec {
    ingress_class_name = "nginx"
  }
}
`,
      errors: [{ line: 6, message: '`nginx.ingress.kubernetes.io/auth-snippet`' }],
      output: `resource "kubernetes_ingress_v1" "llm" {
  metadata {
    name = "llm"
    annotations = {
      "nginx.ingress.kubernetes.io/rewrite-target" = "/"
    }
  }
  spec {
    ingress_class_name = "nginx"
  }
}
`,
    },
  ],
});
