// KICS Terraform query tests for AWS, Google Cloud and Azure (../shared/corpus/kics/terraform/{aws,gcp,azure})
// against the Warden cloud rules that answer the same question. As KICS does, all positive files of
// a query are scanned together and must be flagged at the expected lines, and all negative files
// together must give no finding of the mapped rules. Queries where Warden deliberately disagrees are
// listed with the reason. The corpus is read at run time, never copied.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import type { Finding } from '../../src/model.js';
import { CLOUD_RULES } from '../../rules/cloud.js';

interface Entry {
  path: string;
  source: string;
  platform: string;
  provider?: string | null;
  expect: 'flag' | 'pass';
  lines: number[];
  kics_query: string;
}

/** KICS query folder → the Warden rules that cover it. */
const MAPPED: Record<string, string[]> = {
  cloudwatch_log_group_not_encrypted: ['aws/cloudwatch-log-kms'],
  ecr_image_tag_not_immutable: ['aws/ecr-immutable-tags'],
  ecr_repository_is_publicly_accessible: ['aws/ecr-policy-public'],
  eks_cluster_encryption_disabled: ['aws/eks-secrets-encryption'],
  eks_cluster_has_public_access: ['aws/eks-public-endpoint'],
  eks_cluster_has_public_access_cidrs: ['aws/eks-public-endpoint'],
  eks_cluster_log_disabled: ['aws/eks-control-plane-logging'],
  iam_policies_with_full_privileges: ['aws/iam-wildcard-action', 'aws/iam-admin-policy'],
  iam_policy_grants_full_permissions: ['aws/iam-wildcard-action', 'aws/iam-wildcard-resource', 'aws/iam-admin-policy'],
  iam_role_allows_all_principals_to_assume: ['aws/iam-assume-role-any-principal'],
  iam_role_with_full_privileges: ['aws/iam-admin-policy', 'aws/iam-wildcard-action'],
  s3_bucket_access_to_any_principal: ['aws/s3-policy-public'],
  s3_bucket_acl_allows_read_or_write_to_all_users: ['aws/s3-public-acl'],
  s3_bucket_allows_public_acl: ['aws/s3-public-access-block'],
  s3_bucket_with_public_policy: ['aws/s3-public-access-block'],
  s3_bucket_without_ignore_public_acl: ['aws/s3-public-access-block'],
  s3_bucket_without_restriction_of_public_bucket: ['aws/s3-public-access-block'],
  s3_bucket_without_versioning: ['aws/s3-versioning'],
  sagemaker_endpoint_configuration_encryption_disabled: ['aws/sagemaker-endpoint-kms'],
  sagemaker_notebook_instance_without_kms: ['aws/sagemaker-notebook-kms'],
  security_group_with_unrestricted_access_to_ssh: ['aws/security-group-open-ingress'],
  unrestricted_security_group_ingress: ['aws/security-group-open-ingress'],
  unscanned_ecr_image: ['aws/ecr-scan-on-push'],
  cloud_storage_anonymous_or_publicly_accessible: ['gcp/storage-public'],
  cloud_storage_bucket_is_publicly_accessible: ['gcp/storage-public'],
  gke_legacy_authorization_enabled: ['gcp/gke-legacy-abac'],
  gke_using_default_service_account: ['gcp/gke-default-service-account'],
  google_storage_bucket_level_access_disabled: ['gcp/storage-uniform-access'],
  network_policy_disabled: ['gcp/gke-network-policy'],
  private_cluster_disabled: ['gcp/gke-private-nodes'],
  shielded_gke_nodes_disabled: ['gcp/gke-shielded-nodes'],
  admin_user_enabled_for_container_registry: ['azure/acr-admin-user'],
  aks_network_policy_misconfigured: ['azure/aks-network-policy'],
  aks_private_cluster_disabled: ['azure/aks-private-cluster'],
  aks_rbac_disabled: ['azure/aks-rbac'],
  public_storage_account: ['azure/storage-public-blob'],
  storage_container_is_publicly_accessible: ['azure/storage-public-blob'],
};

/** Queries with no Warden rule: outside the catalog on purpose. */
const UNMAPPED: Record<string, string> = {
  s3_bucket_object_not_encrypted: 'aws_s3_object encryption: objects inherit the bucket default, which aws/s3-encryption-kms checks',
  s3_bucket_public_acl_overridden_by_public_access_block: 'flags a public ACL that a public access block neutralises (an inconsistency, not an exposure); aws/s3-public-acl already flags the ACL itself',
  cloud_storage_bucket_versioning_disabled: 'no gcp versioning rule in RULES.md',
  google_project_iam_member_service_account_has_admin_role: 'project IAM roles are outside the catalog',
  legacy_client_certificate_auth_enabled: 'not in RULES.md',
  aks_uses_azure_policies_addon_disabled: 'Azure Policy add-on is not in RULES.md',
  default_azure_storage_account_network_access_is_too_permissive: 'storage network rules are not in RULES.md (azure/storage-public-blob covers anonymous blob access)',
};

const MODULE_INPUTS =
  'positives that configure a Terraform Registry module (terraform-aws-modules/...) are judged by KICS on the module\'s inputs; ' +
  'Warden judges resources (in the module\'s folder when it is in the repository), never the inputs of a remote module';
const ALL_FOUR =
  'Warden asks for all four public access block settings (RULES.md), where this KICS query checks one: negatives that set only that one, ' +
  'or whose block refers to a different bucket, are flagged; and ' + MODULE_INPUTS;

/** Where Warden deliberately answers differently, per query: the reason is printed with the figures. */
const DISAGREEMENTS: Record<string, string> = {
  eks_cluster_has_public_access_cidrs: 'same clusters flagged; Warden reports at `endpoint_public_access` (the line its fix changes), KICS at `public_access_cidrs`',
  iam_policy_grants_full_permissions: 'RULES.md makes `<service>:*` a finding (aws/iam-wildcard-action); KICS only flags `*` on `*`, so its negatives with `s3:*`/`ec2:*` are Warden positives',
  iam_policies_with_full_privileges: 'a `data "aws_iam_policy_document"` is reported on the policy resource that uses it (the identity that gets the permissions), not on the data block',
  iam_role_with_full_privileges: 'KICS flags `Action: "*"` in a role\'s trust policy (assume_role_policy); a trust policy grants no permissions, so Warden does not treat it as administrator access',
  iam_role_allows_all_principals_to_assume: 'KICS treats the malformed principal `arn:aws:iam::root` as everyone; Warden flags only `*` / `{ AWS = "*" }`',
  s3_bucket_access_to_any_principal: 'RULES.md flags `Principal: "*"` only without a condition; these positives carry a condition (aws:SourceIp), which narrows who gets in',
  gke_using_default_service_account: 'the positives set `remove_default_node_pool = true`: the cluster\'s `node_config` then only shapes a pool that is deleted, so Warden checks the node pools instead',
  s3_bucket_acl_allows_read_or_write_to_all_users: MODULE_INPUTS,
  s3_bucket_without_versioning: MODULE_INPUTS,
  security_group_with_unrestricted_access_to_ssh: MODULE_INPUTS,
  unrestricted_security_group_ingress: MODULE_INPUTS,
  s3_bucket_allows_public_acl: ALL_FOUR,
  s3_bucket_with_public_policy: ALL_FOUR,
  s3_bucket_without_ignore_public_acl: ALL_FOUR,
  s3_bucket_without_restriction_of_public_bucket: ALL_FOUR,
};

interface Tally {
  query: string;
  rules: string[];
  expected: number;
  matched: number;
  misses: string[];
  negatives: number;
  cleanNegatives: number;
  falsePositives: string[];
}

async function scan(root: string, entries: Entry[], rules: string[]): Promise<Finding[]> {
  const files = entries.map((e) => ({ path: e.path, text: readFileSync(join(root, e.path), 'utf8') }));
  const active = CLOUD_RULES.filter((r) => rules.includes(r.id));
  const result = await scanFiles(files, { config: resolveConfig({}), rules: active, renderFixes: false });
  return result.findings.filter((f) => rules.includes(f.ruleId) && !f.suppressed);
}

export async function corpusKicsTerraform(root: string): Promise<boolean> {
  const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as Entry[];
  const entries = index.filter((e) => e.source === 'kics' && e.platform === 'terraform' && ['aws', 'gcp', 'azure'].includes(e.provider ?? ''));
  const queries = [...new Set(entries.map((e) => e.kics_query))].sort();
  const tallies: Tally[] = [];
  for (const query of queries) {
    const rules = MAPPED[query];
    if (!rules) continue;
    const own = entries.filter((e) => e.kics_query === query);
    const positives = own.filter((e) => e.expect === 'flag');
    const negatives = own.filter((e) => e.expect === 'pass');
    const tally: Tally = { query, rules, expected: 0, matched: 0, misses: [], negatives: negatives.length, cleanNegatives: 0, falsePositives: [] };
    const found = await scan(root, positives, rules);
    for (const entry of positives) {
      // Expected lines are a multiset: each needs its own finding on that line.
      const lines = found.filter((f) => f.file === entry.path).map((f) => f.line);
      for (const line of entry.lines) {
        tally.expected++;
        const i = lines.indexOf(line);
        if (i >= 0) {
          tally.matched++;
          lines.splice(i, 1);
        } else tally.misses.push(`${entry.path.split('/').pop()}:${line}${lines.length ? ` (Warden: ${lines.join(', ')})` : ''}`);
      }
    }
    const flaggedNegatives = await scan(root, negatives, rules);
    for (const entry of negatives) {
      const own = flaggedNegatives.filter((f) => f.file === entry.path);
      if (own.length === 0) tally.cleanNegatives++;
      else tally.falsePositives.push(`${entry.path.split('/').pop()}:${own.map((f) => `${f.line} ${f.ruleId}`).join(', ')}`);
    }
    tallies.push(tally);
  }

  console.log('\nKICS Terraform (aws, gcp, azure) against the cloud rules');
  console.log('query | rules | positives at expected lines | negatives clean');
  let ok = true;
  for (const t of tallies) {
    const exact = t.matched === t.expected && t.cleanNegatives === t.negatives;
    const note = DISAGREEMENTS[t.query];
    if (!exact && !note) ok = false;
    console.log(`${exact ? 'ok ' : note ? 'dis' : 'BAD'} ${t.query} | ${t.rules.join(', ')} | ${t.matched}/${t.expected} | ${t.cleanNegatives}/${t.negatives}`);
    if (t.misses.length) console.log(`      missed: ${t.misses.join('; ')}`);
    if (t.falsePositives.length) console.log(`      flagged negatives: ${t.falsePositives.join('; ')}`);
    if (!exact && note) console.log(`      deliberate: ${note}`);
  }
  const sum = (f: (t: Tally) => number) => tallies.reduce((n, t) => n + f(t), 0);
  console.log(
    `totals: ${tallies.length} queries mapped, ${tallies.filter((t) => t.matched === t.expected && t.cleanNegatives === t.negatives).length} agree exactly; ` +
      `positives ${sum((t) => t.matched)}/${sum((t) => t.expected)} expected lines flagged; negatives ${sum((t) => t.cleanNegatives)}/${sum((t) => t.negatives)} clean`,
  );
  console.log('queries without a Warden rule:');
  for (const [query, reason] of Object.entries(UNMAPPED)) if (queries.includes(query)) console.log(`  ${query}: ${reason}`);
  return ok;
}
