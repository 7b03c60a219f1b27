// KICS Terraform queries for AWS, Google Cloud and Azure (../shared/corpus/kics/terraform/{aws,gcp,azure})
// against the Warden cloud rules that answer the same question: the mapping, and the reasons where Warden
// deliberately answers differently, each in one place. The harness is kics.ts.
import { CLOUD_RULES } from '../../rules/cloud.js';
import { runKicsPart, type Followed, type KicsPart, type Reasons } from './kics.js';

/** KICS query folder → the Warden rules that answer it. */
const FOLLOWED: Record<string, Followed> = {
  cloudwatch_log_group_not_encrypted: { rules: ['aws/cloudwatch-log-kms'] },
  ecr_image_tag_not_immutable: { rules: ['aws/ecr-immutable-tags'] },
  ecr_repository_is_publicly_accessible: { rules: ['aws/ecr-policy-public'] },
  eks_cluster_encryption_disabled: { rules: ['aws/eks-secrets-encryption'] },
  eks_cluster_has_public_access: { rules: ['aws/eks-public-endpoint'] },
  eks_cluster_has_public_access_cidrs: { rules: ['aws/eks-public-endpoint'] },
  eks_cluster_log_disabled: { rules: ['aws/eks-control-plane-logging'] },
  iam_policies_with_full_privileges: { rules: ['aws/iam-wildcard-action', 'aws/iam-admin-policy'] },
  iam_policy_grants_full_permissions: { rules: ['aws/iam-wildcard-action', 'aws/iam-wildcard-resource', 'aws/iam-admin-policy'] },
  iam_role_allows_all_principals_to_assume: { rules: ['aws/iam-assume-role-any-principal'] },
  iam_role_with_full_privileges: { rules: ['aws/iam-admin-policy', 'aws/iam-wildcard-action'] },
  s3_bucket_access_to_any_principal: { rules: ['aws/s3-policy-public'] },
  s3_bucket_acl_allows_read_or_write_to_all_users: { rules: ['aws/s3-public-acl'] },
  s3_bucket_allows_public_acl: { rules: ['aws/s3-public-access-block'] },
  s3_bucket_public_acl_overridden_by_public_access_block: { rules: ['aws/s3-public-acl'] },
  s3_bucket_with_public_policy: { rules: ['aws/s3-public-access-block'] },
  s3_bucket_without_ignore_public_acl: { rules: ['aws/s3-public-access-block'] },
  s3_bucket_without_restriction_of_public_bucket: { rules: ['aws/s3-public-access-block'] },
  s3_bucket_without_versioning: { rules: ['aws/s3-versioning'] },
  sagemaker_endpoint_configuration_encryption_disabled: { rules: ['aws/sagemaker-endpoint-kms'] },
  sagemaker_notebook_instance_without_kms: { rules: ['aws/sagemaker-notebook-kms'] },
  security_group_with_unrestricted_access_to_ssh: { rules: ['aws/security-group-open-ingress'] },
  unrestricted_security_group_ingress: { rules: ['aws/security-group-open-ingress'] },
  unscanned_ecr_image: { rules: ['aws/ecr-scan-on-push'] },
  cloud_storage_anonymous_or_publicly_accessible: { rules: ['gcp/storage-public'] },
  cloud_storage_bucket_is_publicly_accessible: { rules: ['gcp/storage-public'] },
  gke_legacy_authorization_enabled: { rules: ['gcp/gke-legacy-abac'] },
  gke_using_default_service_account: { rules: ['gcp/gke-default-service-account'] },
  cloud_storage_bucket_versioning_disabled: { rules: ['gcp/storage-versioning'] },
  google_storage_bucket_level_access_disabled: { rules: ['gcp/storage-uniform-access'] },
  network_policy_disabled: { rules: ['gcp/gke-network-policy'] },
  private_cluster_disabled: { rules: ['gcp/gke-private-nodes', 'gcp/gke-master-authorized-networks'] },
  shielded_gke_nodes_disabled: { rules: ['gcp/gke-shielded-nodes'] },
  admin_user_enabled_for_container_registry: { rules: ['azure/acr-admin-user'] },
  aks_network_policy_misconfigured: { rules: ['azure/aks-network-policy'] },
  aks_private_cluster_disabled: { rules: ['azure/aks-private-cluster'] },
  aks_rbac_disabled: { rules: ['azure/aks-rbac'] },
  aks_uses_azure_policies_addon_disabled: { rules: ['azure/aks-azure-policy'] },
  public_storage_account: { rules: ['azure/storage-public-blob', 'azure/storage-network-open'] },
  default_azure_storage_account_network_access_is_too_permissive: { rules: ['azure/storage-network-open'] },
  storage_container_is_publicly_accessible: { rules: ['azure/storage-public-blob'] },
};

const MODULE_BLOCKS =
  'the missed positives write `ingress { … }` blocks inside a `module` block of terraform-aws-modules/security-group: a module block ' +
  'takes arguments only, so `terraform validate` refuses them and nothing is created (the module\'s inputs for this are ' +
  '`ingress_with_cidr_blocks` / `ingress_cidr_blocks`, which Warden reads through rules/registry-modules.ts)';
const ALL_FOUR =
  'Warden asks for all four public access block settings (RULES.md), where this KICS query checks one: a negative block that sets only ' +
  'that one is flagged (a resource, or a terraform-aws-modules/s3-bucket block before 4.0, whose other settings default to false), ' +
  'and so is a bucket whose block refers to another bucket';

/** Deliberate differences on followed queries, with why. */
const REASONS: Record<string, Reasons> = {
  iam_policies_with_full_privileges: {
    positives:
      'the missed line is a `data "aws_iam_policy_document"` no policy uses: it grants nothing; Warden reports a document where a policy ' +
      'resource attaches it (the identity that gets the permissions)',
  },
  iam_policy_grants_full_permissions: {
    negatives: 'RULES.md makes `<service>:*` a finding (aws/iam-wildcard-action); KICS only flags `*` on `*`, so its negatives with `s3:*`/`ec2:*` are Warden positives',
  },
  iam_role_allows_all_principals_to_assume: {
    positives: 'KICS treats the malformed principal `arn:aws:iam::root` as everyone; Warden flags only `*` / `{ AWS = "*" }`',
  },
  s3_bucket_access_to_any_principal: {
    positives: 'RULES.md flags `Principal: "*"` only without a condition; these positives carry a condition (aws:SourceIp), which narrows who gets in',
  },
  security_group_with_unrestricted_access_to_ssh: { positives: MODULE_BLOCKS },
  s3_bucket_allows_public_acl: { negatives: ALL_FOUR },
  s3_bucket_public_acl_overridden_by_public_access_block: {
    negatives:
      'KICS asks whether a public access block neutralises a public ACL (an inconsistency); Warden flags every public ACL (aws/s3-public-acl), ' +
      'blocked or not, because the ACL becomes public as soon as someone relaxes the block: its negatives are public ACLs with a relaxed block',
  },
  s3_bucket_with_public_policy: { negatives: ALL_FOUR },
  s3_bucket_without_ignore_public_acl: { negatives: ALL_FOUR },
  s3_bucket_without_restriction_of_public_bucket: { negatives: ALL_FOUR },
  gke_using_default_service_account: {
    positives: 'the positives set `remove_default_node_pool = true`: the cluster\'s `node_config` then only shapes a pool that is deleted, so Warden checks the node pools instead',
  },
  cloud_storage_anonymous_or_publicly_accessible: {
    positives: 'the missed binding has `members = []`: it grants the role to no one, so nothing is public',
  },
  cloud_storage_bucket_is_publicly_accessible: {
    positives: 'the missed resource writes `members` on a `google_storage_bucket_iam_member`, which has only `member`: `terraform validate` refuses it, so nothing is granted',
  },
  aks_network_policy_misconfigured: {
    positives: '`network_policy = "roxanne"` is not a value the azurerm provider accepts (azure, calico, cilium): the plan fails, so no cluster runs without a policy engine',
  },
  public_storage_account: {
    negatives:
      'the flagged negatives leave `allow_nested_items_to_be_public` unset, and the azurerm provider\'s default allows public containers ' +
      '(RULES.md: an insecure provider default counts, and the message says so); and they have no network rules or a ' +
      '`default_action = "Allow"` rule, which KICS\'s own default_azure_storage_account_network_access_is_too_permissive flags (its positive4 ' +
      'is such an account): azure/storage-network-open agrees with that query',
  },
};

/** KICS queries Warden deliberately does not follow, and why. */
const NOT_FOLLOWED: Record<string, string> = {
  s3_bucket_object_not_encrypted: 'aws_s3_object encryption: objects inherit the bucket default, which aws/s3-encryption-kms checks',
  google_project_iam_member_service_account_has_admin_role: 'project IAM roles are outside the catalog',
  legacy_client_certificate_auth_enabled: 'not in RULES.md',
};

export const KICS_TERRAFORM: KicsPart = {
  title: 'KICS Terraform queries (aws, gcp, azure) against the cloud rules',
  select: (e) => e.platform === 'terraform' && ['aws', 'gcp', 'azure'].includes(e.provider ?? ''),
  key: (e) => `${e.provider}/${e.kics_query}`,
  followed: FOLLOWED,
  reasons: REASONS,
  notFollowed: NOT_FOLLOWED,
  rules: CLOUD_RULES,
};

export function corpusKicsTerraform(root: string): Promise<boolean> {
  return runKicsPart(root, KICS_TERRAFORM);
}
