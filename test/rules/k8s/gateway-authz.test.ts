import rule from '../../../rules/k8s/gateway-authz.js';
import { ruleTester } from '../../rule-tester.js';

const isvc = (labels = '') => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
  namespace: models
${labels}spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
`;
const virtualService = (gateways: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: llama
  namespace: models
spec:
  hosts: ["llama.models.example.com"]
  gateways: ${gateways}
  http:
  - route:
    - destination:
        host: llama-predictor
`;
const policy = (namespace: string, from = 'principals: ["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"]') => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: callers
  namespace: ${namespace}
spec:
  action: ALLOW
  rules:
  - from:
    - source:
        ${from}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'silent when the repository could not be read',
      code: isvc(),
    },
    {
      name: 'an AuthorizationPolicy in the namespace, elsewhere in the repository',
      code: isvc(),
      repository: { 'mesh/policy.yaml': policy('models') },
    },
    {
      name: 'a policy at the gateway (istio-system) guards every route',
      code: virtualService('["istio-system/public"]'),
      repository: { 'mesh/policy.yaml': policy('istio-system') },
    },
    {
      name: 'an external authorizer counts',
      code: isvc(),
      repository: { 'mesh/policy.yaml': 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ext\n  namespace: models\nspec:\n  action: CUSTOM\n  provider:\n    name: oauth2-proxy\n  rules:\n  - {}\n' },
    },
    {
      name: 'cluster-local models and mesh-only routes are not published',
      code: `${isvc('  labels:\n    networking.kserve.io/visibility: cluster-local\n')}---\n${virtualService('["mesh"]')}`,
      repository: {},
    },
  ],
  invalid: [
    {
      name: 'an InferenceService on KServe\'s default ingress path, no policy anywhere',
      code: isvc(),
      repository: {},
      errors: [{ line: 4, message: 'InferenceService `llama` publishes a model endpoint through KServe\'s ingress gateway (its default)' }],
      output: null,
    },
    {
      name: 'a VirtualService on a gateway, where the only policy lets everyone in',
      code: virtualService('["istio-system/public"]'),
      repository: { 'mesh/policy.yaml': policy('models', 'namespaces: ["*"]') },
      errors: [{ line: 8, message: 'through gateway `istio-system/public`' }],
      output: null,
    },
    {
      name: 'an HTTPRoute attached to a Gateway, with the policy in another namespace',
      code: `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: llama
  namespace: models
spec:
  parentRefs:
  - name: public
    namespace: gateways
  rules:
  - backendRefs:
    - name: llama-predictor
      port: 80
`,
      repository: { 'mesh/policy.yaml': policy('other') },
      errors: [{ line: 7, message: 'through Gateway `public`' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_manifest',
      file: 'main.tf',
      code: `resource "kubernetes_manifest" "llama" {
  manifest = {
    apiVersion = "serving.kserve.io/v1beta1"
    kind       = "InferenceService"
    metadata = {
      name      = "llama"
      namespace = "models"
    }
    spec = {
      predictor = {
        model = { modelFormat = { name = "huggingface" } }
      }
    }
  }
}
`,
      repository: {},
      errors: [{ line: 6, message: 'InferenceService `llama` publishes' }],
      output: null,
    },
  ],
});
