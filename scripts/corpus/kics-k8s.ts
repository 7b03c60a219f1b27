// KICS Kubernetes queries (../shared/corpus/kics/k8s, and the Terraform `kubernetes` provider's under
// kics/terraform/kubernetes) against the Warden rules that answer the same question: the mapping, and the
// reasons where Warden deliberately answers differently, each in one place. The harness is kics.ts.
import { RULES } from '../../rules/index.js';
import { runKicsPart, type Followed, type KicsPart, type Reasons } from './kics.js';

/** KICS query folder → the Warden rules that answer it (for the YAML and the Terraform tests alike). */
const FOLLOWED: Record<string, Followed> = {
  cluster_admin_role_binding_with_super_user_permissions: { rules: ['k8s/rbac-cluster-admin-binding'] },
  cluster_allows_unsafe_sysctls: { rules: ['k8s/unsafe-sysctls'] },
  container_is_privileged: { rules: ['k8s/privileged'] },
  container_runs_unmasked: { rules: ['k8s/proc-mount'] },
  containers_running_as_root: { rules: ['k8s/run-as-non-root', 'k8s/run-as-root-user'] },
  containers_with_sys_admin_capabilities: { rules: ['k8s/capabilities-baseline'] },
  containers_with_added_capabilities: { rules: ['k8s/drop-all-capabilities', 'k8s/capabilities-baseline'], only: / adds / },
  container_with_added_capabilities: { rules: ['k8s/drop-all-capabilities', 'k8s/capabilities-baseline'], only: / adds / },
  cpu_requests_not_set: { rules: ['k8s/resource-limits'], only: /CPU request/ },
  docker_daemon_socket_is_exposed_to_containers: { rules: ['k8s/host-path-volumes'] },
  // A mutable tag with no digest is one finding, k8s/image-tag-pinned's, that gives the digest advice too.
  image_without_digest: { rules: ['k8s/image-digest', 'k8s/image-tag-pinned'] },
  invalid_image: { rules: ['k8s/image-tag-pinned'] },
  liveness_probe_is_not_defined: { rules: ['k8s/probes'], only: /livenessProbe/ },
  readiness_probe_is_not_configured: { rules: ['k8s/probes'], only: /readinessProbe/ },
  memory_limits_not_defined: { rules: ['k8s/resource-limits'], only: /memory limit/ },
  memory_requests_not_defined: { rules: ['k8s/resource-limits'], only: /memory request/ },
  net_raw_capabilities_not_being_dropped: { rules: ['k8s/drop-all-capabilities'], only: /does not drop all/ },
  no_drop_capabilities_for_containers: { rules: ['k8s/drop-all-capabilities'], only: /does not drop all/ },
  non_kube_system_pod_with_host_mount: { rules: ['k8s/host-path-volumes'] },
  workload_mounting_with_sensitive_os_directory: { rules: ['k8s/host-path-volumes'] },
  privilege_escalation_allowed: { rules: ['k8s/allow-privilege-escalation'] },
  rbac_roles_with_exec_permission: { rules: ['k8s/rbac-pod-exec'] },
  rbac_roles_with_read_secrets_permissions: { rules: ['k8s/rbac-secrets-read'] },
  // A wildcard rule that reads Secrets is one finding, k8s/rbac-wildcard's, naming the Secrets.
  service_account_allows_access_secrets: { rules: ['k8s/rbac-secrets-read', 'k8s/rbac-wildcard'] },
  rbac_wildcard_in_rule: { rules: ['k8s/rbac-wildcard'] },
  root_container_not_mounted_as_read_only: { rules: ['k8s/read-only-root-filesystem'] },
  seccomp_profile_is_not_configured: { rules: ['k8s/seccomp-profile', 'k8s/seccomp-unconfined'] },
  secoomp_profile_is_not_configured: { rules: ['k8s/seccomp-profile', 'k8s/seccomp-unconfined'] },
  service_account_token_automount_not_disabled: { rules: ['k8s/automount-service-account-token'] },
  service_type_is_nodeport: { rules: ['k8s/service-public-exposure'], only: /NodePort/ },
  service_with_external_load_balancer: { rules: ['k8s/service-public-exposure'], only: /LoadBalancer/ },
  shared_host_ipc_namespace: { rules: ['k8s/host-namespaces'], only: /`hostIPC/ },
  shared_host_network_namespace: { rules: ['k8s/host-namespaces'], only: /`hostNetwork/ },
  shared_host_pid_namespace: { rules: ['k8s/host-namespaces'], only: /`hostPID/ },
  container_host_pid_is_true: { rules: ['k8s/host-namespaces'], only: /`hostPID/ },
  using_unrecommended_namespace: { rules: ['k8s/default-namespace'] },
  using_default_namespace: { rules: ['k8s/default-namespace'] },
  workload_host_port_not_specified: { rules: ['k8s/host-ports'] },
};

const PSP = 'a PodSecurityPolicy (removed in Kubernetes 1.25) admits nothing today; Warden checks the pods and the namespace Pod Security label';
const HOST_PATH = 'the Pod Security Standards (Baseline) forbid every hostPath volume, whatever the path or namespace; KICS flags only some of them';
const PERSISTENT_VOLUMES = 'a PersistentVolume is not a pod: its hostPath is the storage backend the cluster admin chose, not a mount a workload asks for';
const REQUEST_DEFAULTS = 'a limit without a request is not flagged: the API server sets the request to the limit';
const SECCOMP_ANNOTATIONS =
  'KICS reads the seccomp annotations (deprecated since Kubernetes 1.19, no longer applied; `defaultProfileName` is a PodSecurityPolicy ' +
  'annotation that never applied to pods) and names the annotation or metadata; Warden reads `securityContext.seccompProfile`, flags the same pods at their spec';

/**
 * Deliberate differences on followed queries, with why. `tf/<query>` keys hold what differs for the Terraform tests
 * only; a bare key covers both.
 */
const REASONS: Record<string, Reasons> = {
  cluster_allows_unsafe_sysctls: {
    positives: `the missed line is a PodSecurityPolicy's allowedUnsafeSysctls: ${PSP}`,
    negatives:
      'the Pod Security admission compares sysctl names as written, so the slash form `net/ipv4/tcp_syncookies` is refused at Baseline ' +
      'though the kubelet reads it as a safe sysctl; Warden follows the admission (write `net.ipv4.tcp_syncookies`)',
  },
  container_runs_unmasked: { positives: `the positive is a PodSecurityPolicy allowing Unmasked: ${PSP}` },
  containers_running_as_root: {
    positives: 'the pod-level `runAsUser: 1000` with `runAsNonRoot: true` is not root; Warden flags the container that overrides it with `runAsUser: 0`, at that line',
    negatives:
      'the Pod Security Standards (Restricted) refuse `runAsNonRoot: false` on a container even with a non-zero runAsUser, and a pod-level ' +
      '`runAsUser: 0` even when its containers override it; KICS accepts both',
  },
  cpu_requests_not_set: { positives: REQUEST_DEFAULTS },
  memory_requests_not_defined: { positives: REQUEST_DEFAULTS },
  docker_daemon_socket_is_exposed_to_containers: { negatives: HOST_PATH },
  no_drop_capabilities_for_containers: {
    negatives: 'the Pod Security admission (Restricted) requires the literal `ALL` in capabilities.drop and refuses lowercase `all`; Warden follows it',
  },
  non_kube_system_pod_with_host_mount: {
    positives: `${PERSISTENT_VOLUMES}; a Knative Revision is generated from its Configuration or Service, which Warden checks`,
    negatives: `${HOST_PATH} (kube-system is exempt only where the cluster's admission configuration says so)`,
  },
  'tf/non_kube_system_pod_with_host_mount': {
    positives: `the missed resources are kubernetes_persistent_volume blocks with a pod-shaped spec the provider's schema does not have: ${PERSISTENT_VOLUMES}`,
  },
  workload_mounting_with_sensitive_os_directory: { positives: PERSISTENT_VOLUMES, negatives: HOST_PATH },
  rbac_wildcard_in_rule: {
    positives: 'Warden reports each RBAC rule entry once, at its first wildcard field, and names every wildcard field in the message; KICS reports each field',
  },
  seccomp_profile_is_not_configured: { positives: SECCOMP_ANNOTATIONS, negatives: SECCOMP_ANNOTATIONS },
  secoomp_profile_is_not_configured: { positives: SECCOMP_ANNOTATIONS, negatives: SECCOMP_ANNOTATIONS },
  service_account_allows_access_secrets: {
    negatives: 'Warden flags a role that reads Secrets whoever holds it; KICS only roles bound to service accounts (its negatives are such roles)',
  },
  service_account_token_automount_not_disabled: {
    positives:
      'KICS flags the ServiceAccount\'s `automountServiceAccountToken: true`; Warden flags the pod that mounts the token (a pod\'s own ' +
      'setting overrides its ServiceAccount\'s), so the finding is on the Deployment',
  },
  service_with_external_load_balancer: {
    positives: 'same Services flagged: KICS names the annotation that fails to make the load balancer internal, Warden `type: LoadBalancer`',
  },
  using_unrecommended_namespace: {
    positives: 'Warden flags `default` and a missing namespace; kube-system/kube-public legitimately hold cluster add-ons (GPU device plugins)',
  },
  'tf/container_with_added_capabilities': {
    positives: 'the Pod Security Standards (Restricted) allow adding `NET_BIND_SERVICE`; Warden flags added capabilities beyond it, KICS any',
  },
  'tf/image_without_digest': {
    positives: 'an empty or missing image is not an unpinned one: the API server refuses such a Pod, so nothing runs from a mutable tag',
  },
  'tf/invalid_image': {
    positives: 'an empty or missing image is not an unpinned one: the API server refuses such a Pod, so nothing runs from a mutable tag',
  },
};

const CPU_LIMITS = 'CPU limits throttle latency-sensitive model servers (CFS quota): Warden asks for CPU requests and memory limits, not CPU limits';
const SECRET_REFS = 'KICS flags secretKeyRef env vars; Warden recommends them over literals (k8s/secret-env-literal flags credentials written as values)';
const POD_SELECTORS = 'needs the labels of every pod in the namespace; Warden instead asks for a namespace default-deny (k8s/network-policy-missing)';

/** KICS queries Warden deliberately does not follow, and why. */
const NOT_FOLLOWED: Record<string, string> = {
  containers_run_with_low_uid:
    'KICS wants UIDs >= 10000; the Pod Security Standards (and k8s/run-as-root-user) forbid only UID 0, and runAsNonRoot covers the rest',
  cpu_limits_not_set: CPU_LIMITS,
  image_pull_policy_of_container_is_not_always:
    'pull policy is not a control: k8s/image-digest pins the bytes; Always adds a registry dependency to every GPU-node restart',
  missing_app_armor_config:
    'an absent AppArmor profile means the runtime default, which the Pod Security Standards accept; k8s/apparmor flags only Unconfined',
  pod_or_container_without_security_context:
    'an empty securityContext is not a finding by itself: the specific rules (run-as-non-root, seccomp, capabilities, …) say what is missing',
  secrets_as_environment_variables: SECRET_REFS,
  network_policy_is_not_targeting_any_pod: POD_SELECTORS,
  pod_misconfigured_network_policy:
    'per-pod policy targeting; Warden asks for a default-deny policy per namespace, read from the whole repository (k8s/network-policy-missing), and these files name no namespace',
  ingress_controller_exposes_workload:
    'exposing a ClusterIP Service through an Ingress is the intended design; Warden checks that Ingress for TLS and rate limiting instead',
  root_containers_admitted: `a PodSecurityPolicy check: ${PSP}`,
  volume_mount_with_os_directory_write_permissions:
    'a writable mount at /bin or /var/run lies in the container\'s own filesystem (these volumes are scaleIO, not the node\'s): it exposes ' +
    'nothing of the node; node directories come only through hostPath, which k8s/host-path-volumes flags',
};

export const KICS_K8S: KicsPart = {
  title: 'KICS Kubernetes queries (YAML, and the Terraform kubernetes provider as tf/…) against the Kubernetes rules',
  select: (e) => e.platform === 'k8s' || (e.platform === 'terraform' && e.provider === 'kubernetes'),
  key: (e) => `${e.platform === 'k8s' ? 'k8s' : 'tf'}/${e.kics_query}`,
  followed: FOLLOWED,
  reasons: REASONS,
  notFollowed: NOT_FOLLOWED,
  rules: RULES,
};

export function corpusKicsK8s(root: string): Promise<boolean> {
  return runKicsPart(root, KICS_K8S);
}
