import rule from '../../../rules/k8s/image-registry-allowed.js';
import { ruleTester } from '../../rule-tester.js';

const pod = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: ${image}
`;
const config = { images: { allowed_registries: ['ghcr.io/acme', '*.dkr.ecr.*.amazonaws.com', 'docker.io/library'] } };

ruleTester(rule, {
  valid: [
    { name: 'off without an allow-list', code: pod('evil.example.com/x:1') },
    { name: 'a path prefix', code: pod('ghcr.io/acme/triton:1'), config },
    { name: 'a host pattern', code: pod('123456789012.dkr.ecr.eu-west-1.amazonaws.com/models/server:2'), config },
    { name: 'an official Docker Hub image written without registry', code: pod('python:3.12'), config },
  ],
  invalid: [
    { name: 'another owner on the same registry', code: pod('ghcr.io/acmex/triton:1'), config, errors: [{ line: 8, message: 'comes from `ghcr.io`' }], output: null },
    { name: 'a Docker Hub user image', code: pod('someone/llm:1'), config, errors: [{ line: 8, message: 'comes from `docker.io`' }], output: null },
    {
      name: 'Terraform kubernetes_daemon_set_v1',
      file: 'main.tf',
      config,
      code: `resource "kubernetes_daemon_set_v1" "exporter" {
  metadata {
    name = "exporter"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "dcgm"
          image = "nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5"
        }
      }
    }
  }
}
`,
      errors: [{ line: 11, message: 'comes from `nvcr.io`' }],
      output: null,
    },
  ],
});
