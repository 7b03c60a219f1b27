import rule from '../../../rules/k8s/mesh-mtls-strict.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'STRICT, and UNSET (inherits)',
      code: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: models
spec:
  mtls:
    mode: STRICT
---
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata:
  name: triton
  namespace: models
spec:
  selector:
    matchLabels:
      app: triton
`,
    },
  ],
  invalid: [
    {
      name: 'PERMISSIVE, and DISABLE on a port',
      code: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: models
spec:
  mtls:
    mode: PERMISSIVE # migrating
  portLevelMtls:
    "8002":
      mode: DISABLE
`,
      errors: [{ line: 8, message: 'sets mTLS to `PERMISSIVE`' }, { line: 11, message: 'on port 8002' }],
      output: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: models
spec:
  mtls:
    mode: STRICT # migrating
  portLevelMtls:
    "8002":
      mode: STRICT
`,
    },
    {
      name: 'Terraform kubernetes_manifest',
      file: 'main.tf',
      code: `resource "kubernetes_manifest" "peer" {
  manifest = {
    apiVersion = "security.istio.io/v1"
    kind       = "PeerAuthentication"
    metadata = {
      name      = "default"
      namespace = "models"
    }
    spec = {
      mtls = {
        mode = "PERMISSIVE"
      }
    }
  }
}
`,
      errors: [{ line: 11 }],
      output: `resource "kubernetes_manifest" "peer" {
  manifest = {
    apiVersion = "security.istio.io/v1"
    kind       = "PeerAuthentication"
    metadata = {
      name      = "default"
      namespace = "models"
    }
    spec = {
      mtls = {
        mode = "STRICT"
      }
    }
  }
}
`,
    },
  ],
});
