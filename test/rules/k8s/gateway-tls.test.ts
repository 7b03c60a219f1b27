import rule from '../../../rules/k8s/gateway-tls.js';
import { ruleTester } from '../../rule-tester.js';

const istio = (servers: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: kserve-ingress
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
${servers}`;
const https = `  - port:
      number: 443
      name: https
      protocol: HTTPS
    tls:
      mode: SIMPLE
      credentialName: models-cert
    hosts: ["*.models.example.com"]
`;
const gatewayApi = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: llm
  namespace: serving
spec:
  gatewayClassName: istio
  listeners:
${listeners}`;
const httpListener = `  - name: http
    port: 80
    protocol: HTTP
`;
const route = (filters: boolean) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${filters ? 'to-https' : 'llm'}
  namespace: serving
spec:
  parentRefs:
  - name: llm
    sectionName: http
  rules:
  - ${filters ? 'filters:\n    - type: RequestRedirect\n      requestRedirect:\n        scheme: https\n        statusCode: 301' : 'backendRefs:\n    - name: llm-predictor\n      port: 80'}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'Istio: HTTPS, and HTTP that redirects',
      code: istio(`${https}  - port:
      number: 80
      name: http
      protocol: HTTP
    tls:
      httpsRedirect: true
    hosts: ["*.models.example.com"]
`),
    },
    {
      name: 'Gateway API: a port-80 listener whose only route redirects to https',
      code: `${gatewayApi(httpListener)}---\n${route(true)}`,
    },
  ],
  invalid: [
    {
      name: 'Istio: plain HTTP beside HTTPS gets the redirect',
      code: istio(`${https}  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts: ["*.models.example.com"]
`),
      errors: [{ line: 21, message: 'Gateway `kserve-ingress` server 2 serves HTTP without TLS' }],
      output: istio(`${https}  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts: ["*.models.example.com"]
    tls:
      httpsRedirect: true
`),
    },
    {
      name: 'Istio: HTTP only (nothing to redirect to: no fix)',
      code: istio(`  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts: ["*"]
`),
      errors: [{ line: 13 }],
      output: null,
    },
    {
      name: 'Gateway API: an HTTP listener with a route that serves the model',
      code: `${gatewayApi(httpListener)}---\n${route(false)}`,
      errors: [{ line: 11, message: 'listener `http` serves HTTP without TLS (HTTPRoute `llm` serves on it)' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_manifest',
      file: 'main.tf',
      code: `resource "kubernetes_manifest" "gateway" {
  manifest = {
    apiVersion = "gateway.networking.k8s.io/v1"
    kind       = "Gateway"
    metadata = {
      name      = "llm"
      namespace = "serving"
    }
    spec = {
      gatewayClassName = "istio"
      listeners = [
        {
          name     = "http"
          port     = 80
          protocol = "HTTP"
        }
      ]
    }
  }
}
`,
      errors: [{ line: 15, message: 'listener `http` serves HTTP without TLS' }],
      output: null,
    },
  ],
});
