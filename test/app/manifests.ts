// Manifests the App tests review.

/** A Deployment whose one container is privileged and sets neither runAsNonRoot nor allowPrivilegeEscalation. */
export function deployment(name = 'triton', securityContext = 'privileged: true'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: models
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: ${name}
          image: nvcr.io/nvidia/tritonserver:24.01-py3
          securityContext:
            ${securityContext}
`;
}

/** A Deployment with two containers, each privileged; the second is `sidecar`. */
export function twoContainers(first = 'privileged: true', second = 'privileged: true'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: models
spec:
  template:
    spec:
      containers:
        - name: triton
          image: nvcr.io/nvidia/tritonserver:24.01-py3
          securityContext:
            ${first}
            runAsNonRoot: true
            allowPrivilegeEscalation: false
        - name: sidecar
          image: envoyproxy/envoy:v1.29
          securityContext:
            ${second}
            runAsNonRoot: true
            allowPrivilegeEscalation: false
`;
}

/** A hardened container: no finding from the test rules. */
export const HARDENED = 'privileged: false\n            runAsNonRoot: true\n            allowPrivilegeEscalation: false';
