import endpointPrivate from '../../../rules/gcp/vertex-endpoint-private.js';
import cmek from '../../../rules/gcp/vertex-cmek.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'vertex.tf';
const hardened = `resource "google_vertex_ai_endpoint" "llm" {
  name         = "llm"
  display_name = "llm"
  location     = "europe-west4"
  network      = "projects/\${data.google_project.p.number}/global/networks/\${google_compute_network.vpc.name}"
  encryption_spec {
    kms_key_name = google_kms_crypto_key.vertex.id
  }
}
`;

ruleTester(endpointPrivate, {
  valid: [
    { name: 'private network', file, code: hardened },
    { name: 'Private Service Connect', file, code: `resource "google_vertex_ai_endpoint" "llm" {\n  private_service_connect_config {\n    enable_private_service_connect = true\n    project_allowlist              = [var.project]\n  }\n}\n` },
    { name: 'unknown: PSC from a variable', file, code: `resource "google_vertex_ai_endpoint" "llm" {\n  private_service_connect_config {\n    enable_private_service_connect = var.psc\n  }\n}\n` },
  ],
  invalid: [
    { name: 'public endpoint', file, code: `resource "google_vertex_ai_endpoint" "llm" {\n  name     = "llm"\n  location = "europe-west4"\n}\n`, errors: [{ line: 1, message: 'served on a public address' }], output: null },
  ],
});

ruleTester(cmek, {
  valid: [
    { name: 'endpoint with CMEK', file, code: hardened },
    { name: 'unknown: key from a variable', file, code: `resource "google_vertex_ai_dataset" "d" {\n  encryption_spec {\n    kms_key_name = var.key\n  }\n}\n` },
  ],
  invalid: [
    {
      name: 'dataset and featurestore without encryption_spec',
      file,
      code: `resource "google_vertex_ai_dataset" "d" {\n  display_name = "d"\n}\n\nresource "google_vertex_ai_featurestore" "f" {\n  name = "f"\n}\n`,
      errors: [{ line: 1, message: 'google_vertex_ai_dataset' }, { line: 5 }],
      output: null,
    },
  ],
});
