import rule from '../../../rules/gcp/vertex-workbench-public-ip.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'a Workbench instance without a public IP; an older notebooks instance with no_public_ip',
      file: 'main.tf',
      code: `resource "google_workbench_instance" "research" {
  name     = "research"
  location = "us-central1-a"
  gce_setup {
    machine_type      = "n1-standard-4"
    disable_public_ip = true
  }
}

resource "google_notebooks_instance" "legacy" {
  name         = "legacy"
  location     = "us-central1-a"
  machine_type = "n1-standard-4"
  no_public_ip = true
}
`,
    },
    { name: 'unknown: a variable', file: 'main.tf', code: `resource "google_workbench_instance" "research" {\n  gce_setup {\n    disable_public_ip = var.private\n  }\n}\n` },
  ],
  invalid: [
    {
      name: 'gce_setup without disable_public_ip',
      file: 'main.tf',
      code: `resource "google_workbench_instance" "research" {
  name     = "research"
  location = "us-central1-a"
  gce_setup {
    machine_type = "n1-standard-4"
  }
}
`,
      errors: [{ line: 4, message: 'Vertex AI Workbench instance `research` gets a public IP address (`disable_public_ip` is not set, and the provider\'s default is false)' }],
      output: `resource "google_workbench_instance" "research" {
  name     = "research"
  location = "us-central1-a"
  gce_setup {
    machine_type      = "n1-standard-4"
    disable_public_ip = true
  }
}
`,
    },
    {
      name: 'no gce_setup at all; an older notebooks instance with no_public_ip = false',
      file: 'main.tf',
      code: `resource "google_workbench_instance" "research" {
  name     = "research"
  location = "us-central1-a"
}

resource "google_notebooks_instance" "legacy" {
  name         = "legacy"
  no_public_ip = false
}
`,
      errors: [{ line: 1 }, { line: 8, message: '`no_public_ip = false`' }],
      output: `resource "google_workbench_instance" "research" {
  name     = "research"
  location = "us-central1-a"
  gce_setup {
    disable_public_ip = true
  }
}

resource "google_notebooks_instance" "legacy" {
  name         = "legacy"
  no_public_ip = true
}
`,
    },
  ],
});
