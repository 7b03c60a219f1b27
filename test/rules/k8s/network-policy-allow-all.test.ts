import rule from '../../../rules/k8s/network-policy-allow-all.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'default deny, gateway-only ingress and DNS egress',
      code: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: models
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: gateway
  namespace: models
spec:
  podSelector:
    matchLabels:
      app: triton
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: istio-system
      podSelector:
        matchLabels:
          istio: ingressgateway
  egress:
  - ports:
    - port: 53
      protocol: UDP
  - to:
    - ipBlock:
        cidr: 10.20.0.0/16
`,
    },
  ],
  invalid: [
    {
      name: 'an empty rule, an empty namespaceSelector and 0.0.0.0/0',
      code: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: open
  namespace: models
spec:
  podSelector: {}
  ingress:
  - {}
  - from:
    - namespaceSelector: {}
  egress:
  - to:
    - ipBlock:
        cidr: 0.0.0.0/0
        except:
        - 169.254.169.254/32
`,
      errors: [
        { line: 9, message: 'an empty ingress rule allows all sources' },
        { line: 11, message: 'every pod of every namespace' },
        { line: 14, message: '`0.0.0.0/0` is every address' },
      ],
      output: null,
    },
    {
      name: 'Terraform kubernetes_network_policy_v1 with an empty ingress block',
      file: 'main.tf',
      code: `resource "kubernetes_network_policy_v1" "open" {
  metadata {
    name      = "open"
    namespace = "models"
  }
  spec {
    pod_selector {}
    ingress {}
    policy_types = ["Ingress"]
  }
}
`,
      errors: [{ line: 8 }],
      output: null,
    },
  ],
});
