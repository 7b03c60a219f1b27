import rule from '../../../rules/k8s/mesh-authz-allow-all.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'gateway-only, allow-nothing, DENY, and a JWT condition',
      code: `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: gateway-only
  namespace: models
spec:
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-nothing
  namespace: models
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: deny-all
  namespace: models
spec:
  action: DENY
  rules:
  - {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: jwt
  namespace: models
spec:
  rules:
  - when:
    - key: request.auth.claims[groups]
      values: ["ml-clients"]
`,
    },
  ],
  invalid: [
    {
      name: 'an empty rule, a rule without from, and a wildcard source',
      code: `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: open
  namespace: models
spec:
  action: ALLOW
  rules:
  - {}
  - to:
    - operation:
        paths: ["/v2/models/*"]
  - from:
    - source:
        namespaces: ["*"]
`,
      errors: [
        { line: 9, message: 'rule 1 allows every request from every source' },
        { line: 10, message: 'rule 2 allows the listed operations' },
        { line: 13, message: 'rule 3' },
      ],
      output: null,
    },
    {
      name: 'Terraform kubernetes_manifest',
      file: 'main.tf',
      code: `resource "kubernetes_manifest" "authz" {
  manifest = {
    apiVersion = "security.istio.io/v1"
    kind       = "AuthorizationPolicy"
    metadata = {
      name      = "open"
      namespace = "models"
    }
    spec = {
      rules = [{}]
    }
  }
}
`,
      errors: [{ line: 10 }],
      output: null,
    },
  ],
});
