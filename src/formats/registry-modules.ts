// Well-known Terraform Registry modules, as data: which resources each creates and which input sets which of their
// settings, with the inputs' defaults in the version named. Warden never downloads a module; a `module` block whose
// `source` is listed here is reviewed as these resources (src/formats/hcl-modules.ts), so the cloud rules judge it and
// report at the input in the block. A module not listed is not judged (its resources are not known).
import type { RegistryModule } from './hcl-modules.js';

const S3_PUBLIC_ACCESS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

export const REGISTRY_MODULES: readonly RegistryModule[] = [
  {
    source: 'terraform-aws-modules/s3-bucket/aws',
    version: '4.x',
    defaults: { attach_public_policy: true, attach_policy: false, attach_deny_insecure_transport_policy: false, ...Object.fromEntries(S3_PUBLIC_ACCESS.map((s) => [s, true])) },
    // Before 4.0 the four settings defaulted to false: left out, as the provider's own default (off) then holds.
    before: { major: 4, defaults: Object.fromEntries(S3_PUBLIC_ACCESS.map((s) => [s, null])) },
    resources: [
      {
        type: 'aws_s3_bucket',
        name: 'this',
        inputs: [
          { path: ['bucket'], input: ['bucket'] },
          { path: ['acl'], input: ['acl'] },
          { path: ['versioning', 0, 'enabled'], input: ['versioning', 'enabled'] },
          { path: ['versioning', 0, 'mfa_delete'], input: ['versioning', 'mfa_delete'] },
          { path: ['logging', 0, 'target_bucket'], input: ['logging', 'target_bucket'] },
          { path: ['logging', 0, 'target_prefix'], input: ['logging', 'target_prefix'] },
          {
            path: ['server_side_encryption_configuration', 0, 'rule', 0, 'apply_server_side_encryption_by_default', 0, 'sse_algorithm'],
            input: ['server_side_encryption_configuration', 'rule', 'apply_server_side_encryption_by_default', 'sse_algorithm'],
          },
          {
            path: ['server_side_encryption_configuration', 0, 'rule', 0, 'apply_server_side_encryption_by_default', 0, 'kms_master_key_id'],
            input: ['server_side_encryption_configuration', 'rule', 'apply_server_side_encryption_by_default', 'kms_master_key_id'],
          },
        ],
      },
      {
        type: 'aws_s3_bucket_public_access_block',
        name: 'this',
        when: 'attach_public_policy',
        fixed: { bucket: '${{self:aws_s3_bucket.this}.id}' },
        inputs: S3_PUBLIC_ACCESS.map((s) => ({ path: [s], input: [s] })),
      },
      {
        // What `attach_deny_insecure_transport_policy = true` adds to the bucket policy.
        type: 'aws_s3_bucket_policy',
        name: 'deny_insecure_transport',
        when: 'attach_deny_insecure_transport_policy',
        fixed: {
          bucket: '${{self:aws_s3_bucket.this}.id}',
          policy: JSON.stringify({
            Statement: [{ Sid: 'denyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
          }),
        },
        inputs: [],
      },
      {
        type: 'aws_s3_bucket_policy',
        name: 'this',
        when: 'attach_policy',
        fixed: { bucket: '${{self:aws_s3_bucket.this}.id}' },
        inputs: [{ path: ['policy'], input: ['policy'] }],
      },
    ],
  },
  {
    source: 'terraform-aws-modules/security-group/aws',
    version: '5.x',
    defaults: {},
    resources: [
      // The module applies these ranges to every named rule in `ingress_rules` (and to `ingress_with_cidr_blocks`
      // entries without their own): an open range here opens every port the group lists, now or later.
      {
        type: 'aws_security_group_rule',
        name: 'ingress_rules',
        fixed: { type: 'ingress' },
        inputs: [
          { path: ['cidr_blocks'], input: ['ingress_cidr_blocks'] },
          { path: ['ipv6_cidr_blocks'], input: ['ingress_ipv6_cidr_blocks'] },
        ],
      },
    ],
  },
  {
    source: 'terraform-aws-modules/iam/aws//modules/iam-policy',
    version: '5.x',
    defaults: {},
    resources: [{ type: 'aws_iam_policy', name: 'policy', inputs: [{ path: ['policy'], input: ['policy'] }] }],
  },
  {
    source: 'terraform-aws-modules/iam/aws//modules/iam-assumable-role',
    version: '5.x',
    defaults: { create_custom_role_trust_policy: false },
    resources: [
      { type: 'aws_iam_role', name: 'this', when: 'create_custom_role_trust_policy', inputs: [{ path: ['assume_role_policy'], input: ['custom_role_trust_policy'] }] },
      { type: 'aws_iam_role_policy_attachment', name: 'custom', each: 'custom_role_policy_arns', inputs: [{ path: ['policy_arn'], input: ['custom_role_policy_arns', '{each}'] }] },
    ],
  },
  {
    source: 'terraform-aws-modules/eks/aws',
    version: '20.x',
    defaults: {
      cluster_endpoint_public_access: false,
      cluster_endpoint_private_access: true,
      cluster_endpoint_public_access_cidrs: ['0.0.0.0/0'],
      cluster_enabled_log_types: ['audit', 'api', 'authenticator'],
    },
    // Before 19.0 the cluster endpoint was public by default.
    before: { major: 19, defaults: { cluster_endpoint_public_access: true, cluster_endpoint_private_access: false } },
    resources: [
      {
        type: 'aws_eks_cluster',
        name: 'this',
        inputs: [
          { path: ['name'], input: ['cluster_name'] },
          { path: ['vpc_config', 0, 'endpoint_public_access'], input: ['cluster_endpoint_public_access'] },
          { path: ['vpc_config', 0, 'endpoint_private_access'], input: ['cluster_endpoint_private_access'] },
          { path: ['vpc_config', 0, 'public_access_cidrs'], input: ['cluster_endpoint_public_access_cidrs'] },
          { path: ['enabled_cluster_log_types'], input: ['cluster_enabled_log_types'] },
        ],
      },
    ],
  },
  {
    source: 'terraform-google-modules/cloud-storage/google//modules/simple_bucket',
    version: '6.x',
    defaults: { bucket_policy_only: true, public_access_prevention: 'inherited' },
    resources: [
      {
        type: 'google_storage_bucket',
        name: 'bucket',
        inputs: [
          { path: ['name'], input: ['name'] },
          { path: ['uniform_bucket_level_access'], input: ['bucket_policy_only'] },
          { path: ['public_access_prevention'], input: ['public_access_prevention'] },
        ],
      },
      {
        type: 'google_storage_bucket_iam_member',
        name: 'members',
        each: 'iam_members',
        inputs: [
          { path: ['role'], input: ['iam_members', '{each}', 'role'] },
          { path: ['member'], input: ['iam_members', '{each}', 'member'] },
        ],
      },
    ],
  },
  {
    source: 'terraform-google-modules/kubernetes-engine/google//modules/private-cluster',
    version: '33.x',
    defaults: { enable_private_nodes: false, enable_shielded_nodes: true },
    resources: [
      {
        type: 'google_container_cluster',
        name: 'primary',
        inputs: [
          { path: ['name'], input: ['name'] },
          { path: ['private_cluster_config', 0, 'enable_private_nodes'], input: ['enable_private_nodes'] },
          { path: ['enable_shielded_nodes'], input: ['enable_shielded_nodes'] },
        ],
      },
    ],
  },
  {
    source: 'Azure/avm-res-storage-storageaccount/azurerm',
    version: '0.x',
    defaults: { allow_nested_items_to_be_public: false, https_traffic_only_enabled: true, min_tls_version: 'TLS1_2' },
    resources: [
      {
        type: 'azurerm_storage_account',
        name: 'this',
        inputs: [
          { path: ['name'], input: ['name'] },
          { path: ['allow_nested_items_to_be_public'], input: ['allow_nested_items_to_be_public'] },
          { path: ['https_traffic_only_enabled'], input: ['https_traffic_only_enabled'] },
          { path: ['min_tls_version'], input: ['min_tls_version'] },
        ],
      },
    ],
  },
  {
    source: 'Azure/aks/azurerm',
    version: '9.x',
    defaults: { private_cluster_enabled: false, role_based_access_control_enabled: false },
    resources: [
      {
        type: 'azurerm_kubernetes_cluster',
        name: 'main',
        inputs: [
          { path: ['private_cluster_enabled'], input: ['private_cluster_enabled'] },
          { path: ['api_server_access_profile', 0, 'authorized_ip_ranges'], input: ['api_server_authorized_ip_ranges'] },
          { path: ['role_based_access_control_enabled'], input: ['role_based_access_control_enabled'] },
          { path: ['local_account_disabled'], input: ['local_account_disabled'] },
          { path: ['network_profile', 0, 'network_policy'], input: ['network_policy'] },
        ],
      },
    ],
  },
];
