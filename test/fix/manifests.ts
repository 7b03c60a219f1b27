// A namespace serving one model: a privileged Deployment (safe and unsafe fixes), the Service in front of it, and
// no NetworkPolicy (a companion). Shared by the companion, `warden fix` and Fix all tests.
export const SERVING = `apiVersion: v1
kind: Namespace
metadata:
  name: models
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: models
spec:
  selector:
    matchLabels:
      app: triton
  template:
    metadata:
      labels:
        app: triton
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.01-py3
        securityContext:
          privileged: true
---
apiVersion: v1
kind: Service
metadata:
  name: triton
  namespace: models
spec:
  selector:
    app: triton
  ports:
  - port: 80
    targetPort: 8000
`;

/** An Ingress routing to the Service. */
export const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: triton
  namespace: models
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: triton
            port:
              number: 80
`;
