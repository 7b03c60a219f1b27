// Manifests the worker tests scan: a Deployment in `serving` (its token already kept out, so the findings that
// differ are the cross-resource ones) and the default-deny policy of `serving`.

export const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: serving
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      automountServiceAccountToken: false
      containers:
        - name: server
          image: registry.example/triton:1.0
`;

export const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: serving
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;
