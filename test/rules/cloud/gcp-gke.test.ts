// The GKE cluster rules, each with flagged, clean, unknown-value and (where offered) fixed-output cases.
import privateNodes from '../../../rules/gcp/gke-private-nodes.js';
import authorizedNetworks from '../../../rules/gcp/gke-master-authorized-networks.js';
import networkPolicy from '../../../rules/gcp/gke-network-policy.js';
import workloadIdentity from '../../../rules/gcp/gke-workload-identity.js';
import legacyAbac from '../../../rules/gcp/gke-legacy-abac.js';
import shieldedNodes from '../../../rules/gcp/gke-shielded-nodes.js';
import defaultSa from '../../../rules/gcp/gke-default-service-account.js';
import binaryAuthorization from '../../../rules/gcp/gke-binary-authorization.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'gke.tf';
const hardened = `resource "google_container_cluster" "serving" {
  name                     = "serving"
  location                 = "europe-west4"
  remove_default_node_pool = true
  initial_node_count       = 1
  datapath_provider        = "ADVANCED_DATAPATH"
  enable_shielded_nodes    = true

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = "172.16.0.0/28"
  }
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block   = "10.0.0.0/8"
      display_name = "vpn"
    }
  }
  workload_identity_config {
    workload_pool = "\${var.project}.svc.id.goog"
  }
  binary_authorization {
    evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE"
  }
}

resource "google_container_node_pool" "gpu" {
  cluster = google_container_cluster.serving.id
  node_config {
    machine_type    = "g2-standard-8"
    service_account = google_service_account.nodes.email
  }
}
`;
const bare = `resource "google_container_cluster" "serving" {
  name     = "serving"
  location = "europe-west4"
}
`;
const unknowns = `resource "google_container_cluster" "serving" {
  name                     = "serving"
  remove_default_node_pool = var.remove_default
  enable_legacy_abac       = var.abac
  enable_shielded_nodes    = var.shielded
  datapath_provider        = var.datapath

  private_cluster_config {
    enable_private_nodes = var.private
  }
  dynamic "master_authorized_networks_config" {
    for_each = var.networks
    content {}
  }
  dynamic "workload_identity_config" {
    for_each = var.wi ? [1] : []
    content {
      workload_pool = "x.svc.id.goog"
    }
  }
  binary_authorization {
    evaluation_mode = var.binauthz_mode
  }
}
`;

const valid = [
  { name: 'hardened cluster', file, code: hardened },
  { name: 'unknown: settings from variables and dynamic blocks', file, code: unknowns },
];

/** A cluster without its default pool, whose nodes are the pools written after it. */
const pooled = (pools: string) => `resource "google_container_cluster" "c" {\n  name                     = "c"\n  remove_default_node_pool = true\n}\n${pools}`;
const pool = (name: string, settings: string) =>
  `\nresource "google_container_node_pool" "${name}" {\n  cluster = google_container_cluster.c.name\n${settings}  network_config {\n    enable_private_nodes = ${name === 'public' ? 'false' : 'true'}\n  }\n}\n`;

ruleTester(privateNodes, {
  valid: [
    ...valid,
    { name: 'every pool private', file, code: pooled(pool('private', '')) },
    { name: 'a public pool Terraform does not create (count = 0)', file, code: pooled(pool('private', '') + pool('public', '  count = 0\n')) },
  ],
  invalid: [
    { name: 'a public pool that may be created (count unknown)', file, code: pooled(pool('private', '') + pool('public', '  count = var.public_pools\n')), errors: [{ line: 1 }], output: null },
    { name: 'no private_cluster_config', file, code: bare, errors: [{ line: 1, message: 'no `private_cluster_config`' }], output: null },
    {
      name: 'enable_private_nodes = false',
      file,
      code: `resource "google_container_cluster" "c" {\n  private_cluster_config {\n    enable_private_nodes = false\n  }\n}\n`,
      errors: [{ line: 3 }],
      output: null,
    },
  ],
});

ruleTester(authorizedNetworks, {
  valid: [
    ...valid,
    {
      name: 'private endpoint: no public address to restrict',
      file,
      code: `resource "google_container_cluster" "c" {\n  private_cluster_config {\n    enable_private_nodes    = true\n    enable_private_endpoint = true\n  }\n}\n`,
    },
    {
      name: 'unknown: endpoint from a variable',
      file,
      code: `resource "google_container_cluster" "c" {\n  private_cluster_config {\n    enable_private_endpoint = var.private_endpoint\n  }\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'private nodes, public endpoint, no authorized networks: reported at the endpoint setting',
      file,
      code: `resource "google_container_cluster" "c" {\n  private_cluster_config {\n    enable_private_nodes    = true\n    enable_private_endpoint = false\n  }\n}\n`,
      errors: [{ line: 4, message: 'public control-plane endpoint' }],
      output: null,
    },
    {
      name: 'private_cluster_config without enable_private_endpoint: reported at the block',
      file,
      code: `resource "google_container_cluster" "c" {\n  private_cluster_config {\n    enable_private_nodes = true\n  }\n}\n`,
      errors: [{ line: 2, message: 'public control-plane endpoint' }],
      output: null,
    },
    { name: 'none', file, code: bare, errors: [{ line: 1, message: 'no `master_authorized_networks_config`' }], output: null },
    {
      name: '0.0.0.0/0 authorized',
      file,
      code: `resource "google_container_cluster" "c" {\n  master_authorized_networks_config {\n    cidr_blocks {\n      cidr_block = "0.0.0.0/0"\n    }\n  }\n}\n`,
      errors: [{ line: 4, message: '`0.0.0.0/0`' }],
      output: null,
    },
  ],
});

// Calico needs the add-on for the master as well as `network_policy` for the nodes (the provider's docs:
// "This must be enabled in order to enable network policy for the nodes"); the add-on defaults to disabled.
const calico = (addons: string) =>
  `resource "google_container_cluster" "c" {\n  network_policy {\n    enabled = true\n  }\n${addons}}\n`;

ruleTester(networkPolicy, {
  valid: [
    ...valid,
    { name: 'Calico with its add-on', file, code: calico('  addons_config {\n    network_policy_config {\n      disabled = false\n    }\n  }\n') },
    { name: 'Calico, add-on state unknown', file, code: calico('  addons_config {\n    network_policy_config {\n      disabled = var.np_addon_disabled\n    }\n  }\n') },
    { name: 'Calico, add-on written dynamically', file, code: calico('  dynamic "addons_config" {\n    for_each = var.addons\n    content {}\n  }\n') },
  ],
  invalid: [
    { name: 'neither', file, code: bare, errors: [{ line: 1, message: 'neither `network_policy` nor Dataplane V2' }], output: null },
    { name: 'disabled', file, code: `resource "google_container_cluster" "c" {\n  network_policy {\n    enabled = false\n  }\n}\n`, errors: [{ line: 3 }], output: null },
    { name: 'Calico without addons_config', file, code: calico(''), errors: [{ line: 1, message: 'add-on' }], output: null },
    { name: 'Calico, addons_config without the add-on', file, code: calico('  addons_config {\n  }\n'), errors: [{ line: 5, message: 'add-on' }], output: null },
    {
      name: 'Calico, add-on disabled',
      file,
      code: calico('  addons_config {\n    network_policy_config {\n      disabled = true\n    }\n  }\n'),
      errors: [{ line: 7, message: '`addons_config.network_policy_config.disabled = true`' }],
      output: null,
    },
  ],
});

ruleTester(workloadIdentity, {
  valid: [...valid, { name: 'Autopilot', file, code: `resource "google_container_cluster" "c" {\n  enable_autopilot = true\n}\n` }],
  invalid: [{ name: 'none', file, code: bare, errors: [{ line: 1, message: 'no `workload_identity_config`' }], output: null }],
});

ruleTester(legacyAbac, {
  valid: [...valid, { name: 'absent: the default is false', file, code: bare }],
  invalid: [
    {
      name: 'enabled',
      file,
      code: `resource "google_container_cluster" "c" {\n  name               = "c"\n  enable_legacy_abac = true\n}\n`,
      errors: [{ line: 3, message: 'enables legacy ABAC' }],
      output: `resource "google_container_cluster" "c" {\n  name               = "c"\n  enable_legacy_abac = false\n}\n`,
    },
  ],
});

ruleTester(shieldedNodes, {
  valid: [...valid, { name: 'absent: the default is true', file, code: bare }],
  invalid: [
    {
      name: 'disabled',
      file,
      code: `resource "google_container_cluster" "c" {\n  name                  = "c"\n  enable_shielded_nodes = false\n}\n`,
      errors: [{ line: 3 }],
      output: `resource "google_container_cluster" "c" {\n  name                  = "c"\n  enable_shielded_nodes = true\n}\n`,
    },
  ],
});

ruleTester(defaultSa, {
  valid: [
    ...valid,
    { name: 'unknown: service account from a variable', file, code: `resource "google_container_node_pool" "p" {\n  node_config {\n    service_account = var.sa\n  }\n}\n` },
  ],
  invalid: [
    { name: 'cluster default pool without a service account', file, code: bare, errors: [{ line: 1, message: 'sets no `node_config.service_account`' }], output: null },
    {
      name: 'node pool with the default compute account',
      file,
      code: `resource "google_container_node_pool" "gpu" {\n  node_config {\n    service_account = "123456789-compute@developer.gserviceaccount.com"\n  }\n}\n`,
      errors: [{ line: 3, message: 'the Compute Engine default service account' }],
      output: null,
    },
  ],
});

ruleTester(binaryAuthorization, {
  valid,
  invalid: [
    { name: 'no block', file, code: bare, errors: [{ line: 1, message: 'no `binary_authorization` block' }], output: null },
    { name: 'disabled', file, code: `resource "google_container_cluster" "c" {\n  binary_authorization {\n    evaluation_mode = "DISABLED"\n  }\n}\n`, errors: [{ line: 2 }], output: null },
  ],
});
