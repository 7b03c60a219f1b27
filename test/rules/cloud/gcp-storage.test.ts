import storagePublic from '../../../rules/gcp/storage-public.js';
import uniformAccess from '../../../rules/gcp/storage-uniform-access.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'storage.tf';

ruleTester(storagePublic, {
  valid: [
    {
      name: 'a service account reader',
      file,
      code: `resource "google_storage_bucket_iam_member" "reader" {\n  bucket = google_storage_bucket.models.name\n  role   = "roles/storage.objectViewer"\n  member = "serviceAccount:\${google_service_account.serving.email}"\n}\n`,
    },
    { name: 'unknown: members from a variable', file, code: `resource "google_storage_bucket_iam_binding" "b" {\n  bucket  = google_storage_bucket.models.name\n  role    = "roles/storage.objectViewer"\n  members = var.members\n}\n` },
  ],
  invalid: [
    {
      name: 'allUsers binding, allAuthenticatedUsers member, ACL entity, policy data',
      file,
      code: `resource "google_storage_bucket_iam_binding" "public" {
  bucket  = google_storage_bucket.models.name
  role    = "roles/storage.objectViewer"
  members = ["group:ml@example.com", "allUsers"]
}

resource "google_storage_bucket_iam_member" "any_google" {
  bucket = google_storage_bucket.models.name
  role   = "roles/storage.objectViewer"
  member = "allAuthenticatedUsers"
}

resource "google_storage_bucket_access_control" "acl" {
  bucket = google_storage_bucket.models.name
  role   = "READER"
  entity = "allUsers"
}

data "google_iam_policy" "open" {
  binding {
    role    = "roles/storage.objectViewer"
    members = ["allUsers"]
  }
}

resource "google_storage_bucket_iam_policy" "policy" {
  bucket      = google_storage_bucket.models.name
  policy_data = data.google_iam_policy.open.policy_data
}
`,
      errors: [
        { line: 4, message: 'to `allUsers`: anyone on the internet' },
        { line: 10, message: 'every Google account' },
        { line: 16, message: '`READER`' },
        { line: 28, message: '`roles/storage.objectViewer` to `allUsers`' },
      ],
      output: null,
    },
  ],
});

ruleTester(uniformAccess, {
  valid: [
    { name: 'uniform access', file, code: `resource "google_storage_bucket" "models" {\n  name                        = "acme-models"\n  uniform_bucket_level_access = true\n}\n` },
    { name: 'unknown: a variable', file, code: `resource "google_storage_bucket" "models" {\n  uniform_bucket_level_access = var.uniform\n}\n` },
  ],
  invalid: [
    {
      name: 'absent: the default is false',
      file,
      code: `resource "google_storage_bucket" "models" {
  name     = "acme-models"
  location = "EU"

  versioning {
    enabled = true
  }
}
`,
      errors: [{ line: 1, message: "the provider's default is false" }],
      output: `resource "google_storage_bucket" "models" {
  name                        = "acme-models"
  location                    = "EU"
  uniform_bucket_level_access = true

  versioning {
    enabled = true
  }
}
`,
    },
    {
      name: 'explicit false',
      file,
      code: `resource "google_storage_bucket" "models" {\n  uniform_bucket_level_access = false\n}\n`,
      errors: [{ line: 2 }],
      output: `resource "google_storage_bucket" "models" {\n  uniform_bucket_level_access = true\n}\n`,
    },
  ],
});
