// KICS Kubernetes query tests (../shared/corpus/kics/k8s, and the Terraform `kubernetes` provider's
// under kics/terraform/kubernetes) against the Warden rule that covers the same concern.
// Per query: positive files flagged, expected lines matched, negative files clean; queries where
// Warden deliberately disagrees with KICS are listed with the reason. The corpus is read at run time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { RULES } from '../../rules/index.js';

interface Entry {
  path: string;
  source: string;
  platform: 'k8s' | 'terraform';
  provider: string | null;
  expect: 'flag' | 'pass';
  lines: number[];
  kics_query: string;
  concept: string;
}

/** KICS query folder → the Warden rules that answer the same question. */
const MAPPED: Record<string, string[]> = {
  cluster_admin_role_binding_with_super_user_permissions: ['k8s/rbac-cluster-admin-binding'],
  cluster_allows_unsafe_sysctls: ['k8s/unsafe-sysctls'],
  container_is_privileged: ['k8s/privileged'],
  container_runs_unmasked: ['k8s/proc-mount'],
  containers_running_as_root: ['k8s/run-as-non-root', 'k8s/run-as-root-user'],
  containers_with_sys_admin_capabilities: ['k8s/capabilities-baseline'],
  containers_with_added_capabilities: ['k8s/drop-all-capabilities'],
  container_with_added_capabilities: ['k8s/drop-all-capabilities'],
  cpu_requests_not_set: ['k8s/resource-limits'],
  docker_daemon_socket_is_exposed_to_containers: ['k8s/host-path-volumes'],
  image_without_digest: ['k8s/image-digest'],
  invalid_image: ['k8s/image-tag-pinned'],
  liveness_probe_is_not_defined: ['k8s/probes'],
  readiness_probe_is_not_configured: ['k8s/probes'],
  memory_limits_not_defined: ['k8s/resource-limits'],
  memory_requests_not_defined: ['k8s/resource-limits'],
  net_raw_capabilities_not_being_dropped: ['k8s/drop-all-capabilities'],
  no_drop_capabilities_for_containers: ['k8s/drop-all-capabilities'],
  non_kube_system_pod_with_host_mount: ['k8s/host-path-volumes'],
  workload_mounting_with_sensitive_os_directory: ['k8s/host-path-volumes'],
  volume_mount_with_os_directory_write_permissions: ['k8s/host-path-volumes'],
  privilege_escalation_allowed: ['k8s/allow-privilege-escalation'],
  rbac_roles_with_exec_permission: ['k8s/rbac-pod-exec'],
  rbac_roles_with_read_secrets_permissions: ['k8s/rbac-secrets-read'],
  service_account_allows_access_secrets: ['k8s/rbac-secrets-read'],
  rbac_wildcard_in_rule: ['k8s/rbac-wildcard'],
  root_container_not_mounted_as_read_only: ['k8s/read-only-root-filesystem'],
  seccomp_profile_is_not_configured: ['k8s/seccomp-profile'],
  secoomp_profile_is_not_configured: ['k8s/seccomp-profile'],
  service_account_token_automount_not_disabled: ['k8s/automount-service-account-token'],
  service_type_is_nodeport: ['k8s/service-public-exposure'],
  service_with_external_load_balancer: ['k8s/service-public-exposure'],
  shared_host_ipc_namespace: ['k8s/host-namespaces'],
  shared_host_network_namespace: ['k8s/host-namespaces'],
  shared_host_pid_namespace: ['k8s/host-namespaces'],
  container_host_pid_is_true: ['k8s/host-namespaces'],
  using_unrecommended_namespace: ['k8s/default-namespace'],
  using_default_namespace: ['k8s/default-namespace'],
  workload_host_port_not_specified: ['k8s/host-ports'],
};

/** Where one Warden rule answers several KICS queries, the part of its message that answers this one. */
const MESSAGE_FILTER: Record<string, RegExp> = {
  cpu_requests_not_set: /CPU request/,
  memory_requests_not_defined: /memory request/,
  memory_limits_not_defined: /memory limit/,
  liveness_probe_is_not_defined: /livenessProbe/,
  readiness_probe_is_not_configured: /readinessProbe/,
  service_type_is_nodeport: /NodePort/,
  service_with_external_load_balancer: /LoadBalancer/,
};

/** Known, deliberate differences on queries Warden does follow. */
const NOTES: Record<string, string> = {
  cpu_requests_not_set: 'a limit without a request is not flagged: the API server sets the request to the limit',
  memory_requests_not_defined: 'a limit without a request is not flagged: the API server sets the request to the limit',
  service_account_allows_access_secrets: 'Warden flags a role that reads Secrets whoever holds it; KICS only roles bound to service accounts (its negatives are such roles)',
  using_unrecommended_namespace: 'Warden flags `default` and a missing namespace; kube-system/kube-public legitimately hold cluster add-ons (GPU device plugins)',
  'tf/root_container_not_mounted_as_read_only':
    'its negative writes nested blocks as object attributes (`security_context = {…}`), which the provider\'s schema does not accept; Warden does not read them as the block',
  service_type_is_nodeport: 'its negative is a public LoadBalancer, which k8s/service-public-exposure flags too (counted only for NodePort here)',
};

/** KICS queries Warden deliberately does not follow, and why. */
const DISAGREES: Record<string, string> = {
  containers_run_with_low_uid:
    'KICS wants UIDs >= 10000; the Pod Security Standards (and k8s/run-as-root-user) forbid only UID 0, and runAsNonRoot covers the rest',
  cpu_limits_not_set:
    'CPU limits throttle latency-sensitive model servers (CFS quota): Warden asks for CPU requests and memory limits, not CPU limits',
  image_pull_policy_of_container_is_not_always:
    'pull policy is not a control: k8s/image-digest pins the bytes; Always adds a registry dependency to every GPU-node restart',
  missing_app_armor_config:
    'an absent AppArmor profile means the runtime default, which the Pod Security Standards accept; k8s/apparmor flags only Unconfined',
  pod_or_container_without_security_context:
    'an empty securityContext is not a finding by itself: the specific rules (run-as-non-root, seccomp, capabilities, …) say what is missing',
  secrets_as_environment_variables:
    'KICS flags secretKeyRef env vars; Warden recommends them over literals (k8s/secret-env-literal flags credentials written as values)',
  network_policy_is_not_targeting_any_pod:
    'needs the labels of every pod in the namespace; Warden instead asks for a namespace default-deny (k8s/network-policy-missing)',
  pod_misconfigured_network_policy:
    'per-pod policy targeting; Warden asks for a default-deny policy per namespace, read from the whole repository (k8s/network-policy-missing), and these files name no namespace',
  ingress_controller_exposes_workload:
    'exposing a ClusterIP Service through an Ingress is the intended design; Warden checks that Ingress for TLS and rate limiting instead',
  root_containers_admitted:
    'a PodSecurityPolicy check: PSP was removed in Kubernetes 1.25; Warden checks pods and the namespace Pod Security label',
};

function noteOf(key: string): string | undefined {
  return NOTES[key] ?? NOTES[key.slice(key.indexOf('/') + 1)];
}

function pad(text: string | number, width: number): string {
  return String(text).padEnd(width);
}

export async function corpusKicsK8s(root: string): Promise<boolean> {
  const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as Entry[];
  const entries = index.filter((e) => e.source === 'kics' && (e.platform === 'k8s' || e.provider === 'kubernetes'));
  const config = resolveConfig({});
  const byQuery = new Map<string, Entry[]>();
  for (const e of entries) {
    const key = `${e.platform === 'k8s' ? 'k8s' : 'tf'}/${e.kics_query}`;
    byQuery.set(key, [...(byQuery.get(key) ?? []), e]);
  }

  console.log(`kics k8s: ${byQuery.size} queries, ${entries.length} files (Kubernetes YAML and Terraform kubernetes provider)`);
  console.log(`${pad('query', 62)} ${pad('rule(s)', 46)} ${pad('pos flagged', 12)} ${pad('lines', 8)} neg clean`);
  const totals = { queries: 0, pos: 0, posFlagged: 0, lines: 0, linesHit: 0, neg: 0, negClean: 0 };
  const disagreements: string[] = [];
  const missing: string[] = [];
  const misses: string[] = [];
  let ok = true;

  for (const [key, files] of [...byQuery].sort(([a], [b]) => a.localeCompare(b))) {
    const query = key.slice(key.indexOf('/') + 1);
    if (DISAGREES[query]) {
      disagreements.push(`  ${key}: ${DISAGREES[query]}`);
      continue;
    }
    const ruleIds = MAPPED[query];
    if (!ruleIds) {
      disagreements.push(`  ${key}: no Warden rule covers it`);
      continue;
    }
    const rules = RULES.filter((r) => ruleIds.includes(r.id));
    if (rules.length === 0) {
      missing.push(`  ${key}: ${ruleIds.join(', ')} not in rules/index.ts yet`);
      continue;
    }
    const row = { pos: 0, posFlagged: 0, lines: 0, linesHit: 0, neg: 0, negClean: 0 };
    for (const entry of files) {
      const text = readFileSync(join(root, entry.path), 'utf8');
      const result = await scanFiles([{ path: entry.path, text }], { config, rules, repository: { resources: [], complete: true }, renderFixes: false });
      const filter = MESSAGE_FILTER[query];
      const findings = result.findings.filter((f) => ruleIds.includes(f.ruleId) && (!filter || filter.test(f.message)));
      if (entry.expect === 'flag') {
        row.pos++;
        if (findings.length > 0) row.posFlagged++;
        else misses.push(`  ${entry.path}: not flagged (expected lines ${entry.lines.join(', ')})`);
        const expected = [...new Set(entry.lines)];
        row.lines += expected.length;
        const hit = expected.filter((line) => findings.some((f) => f.line <= line && line <= f.endLine));
        row.linesHit += hit.length;
        const lost = expected.filter((line) => !hit.includes(line));
        if (lost.length > 0 && findings.length > 0) {
          misses.push(`  ${entry.path}: expected lines ${lost.join(', ')} not matched (Warden: ${[...new Set(findings.map((f) => f.line))].join(', ')})`);
        }
      } else {
        row.neg++;
        if (findings.length === 0) row.negClean++;
        else misses.push(`  ${entry.path}: negative flagged by ${findings.map((f) => `${f.ruleId}@${f.line}`).join(', ')}`);
      }
    }
    // A known, explained difference does not fail the run; anything else does.
    if ((row.posFlagged < row.pos || row.negClean < row.neg) && !noteOf(key)) ok = false;
    totals.queries++;
    for (const k of Object.keys(row) as (keyof typeof row)[]) totals[k] += row[k];
    console.log(`${pad(key, 62)} ${pad(ruleIds.join(', '), 46)} ${pad(`${row.posFlagged}/${row.pos}`, 12)} ${pad(`${row.linesHit}/${row.lines}`, 8)} ${row.negClean}/${row.neg}`);
  }
  console.log(
    `${pad(`total: ${totals.queries} queries`, 62)} ${pad('', 46)} ${pad(`${totals.posFlagged}/${totals.pos}`, 12)} ${pad(`${totals.linesHit}/${totals.lines}`, 8)} ${totals.negClean}/${totals.neg}`,
  );
  const notes = [...byQuery.keys()].map((key) => [key, noteOf(key)] as const).filter(([, note]) => note);
  if (notes.length > 0) console.log(`known differences on followed queries:\n${notes.map(([key, note]) => `  ${key}: ${note}`).join('\n')}`);
  console.log('lines: an expected KICS line counts when a Warden finding of the rule spans it; for a missing setting KICS names a parent line, Warden the nearest existing parent of the setting');
  if (misses.length > 0) console.log(`differences (${misses.length}):\n${misses.join('\n')}`);
  if (missing.length > 0) console.log(`queries whose Warden rule is not written yet (${missing.length}):\n${missing.join('\n')}`);
  console.log(`queries Warden deliberately does not follow (${disagreements.length}):\n${disagreements.join('\n')}`);
  return ok;
}
