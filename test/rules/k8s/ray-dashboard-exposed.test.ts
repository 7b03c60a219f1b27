import rule from '../../../rules/k8s/ray-dashboard-exposed.js';
import { ruleTester } from '../../rule-tester.js';

/** A RayCluster whose head group spec has `head` (lines indented for headGroupSpec) and the cluster spec `extra`. */
const rayCluster = (head: string, extra = '') => `apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: llm
  namespace: ray
spec:
${extra}  headGroupSpec:
${head}    rayStartParams: {}
    template:
      spec:
        containers:
        - name: ray-head
          image: rayproject/ray:2.52.0
`;

ruleTester(rule, {
  valid: [
    {
      name: 'ClusterIP head (the default); a LoadBalancer with token authentication, an Ingress with RAY_AUTH_MODE=token; another kind named RayCluster',
      code: `${rayCluster('    serviceType: ClusterIP\n')}---
${rayCluster('    serviceType: LoadBalancer\n', '  authOptions:\n    mode: token\n')}---
apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: finetune
spec:
  rayClusterSpec:
    headGroupSpec:
      enableIngress: true
      template:
        spec:
          containers:
          - name: ray-head
            image: rayproject/ray:2.52.0
            env:
            - name: RAY_AUTH_MODE
              value: token
---
apiVersion: example.com/v1
kind: RayCluster
metadata:
  name: other
spec:
  headGroupSpec:
    serviceType: LoadBalancer
`,
    },
  ],
  invalid: [
    {
      name: 'a LoadBalancer head and an Ingress: one finding, the fix sets both back',
      code: rayCluster('    serviceType: LoadBalancer\n    enableIngress: true\n'),
      errors: [{ line: 8, message: 'RayCluster `llm` exposes its Ray head as a `LoadBalancer` service and through an Ingress (`enableIngress: true`), without token authentication' }],
      output: rayCluster('    serviceType: ClusterIP\n    enableIngress: false\n'),
    },
    {
      name: 'a RayService\'s cluster with a NodePort head and authentication disabled',
      code: `apiVersion: ray.io/v1
kind: RayService
metadata:
  name: serve-llm
spec:
  rayClusterConfig:
    authOptions:
      mode: disabled
    headGroupSpec:
      serviceType: NodePort
      rayStartParams: {}
`,
      errors: [{ line: 10, message: 'RayService `serve-llm` exposes its Ray head as a `NodePort` service' }],
      output: `apiVersion: ray.io/v1
kind: RayService
metadata:
  name: serve-llm
spec:
  rayClusterConfig:
    authOptions:
      mode: disabled
    headGroupSpec:
      serviceType: ClusterIP
      rayStartParams: {}
`,
    },
  ],
});
