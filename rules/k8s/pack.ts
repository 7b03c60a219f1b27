// The Kubernetes rules beyond the Pod Security Standards: hardening, namespaces, network, RBAC, exposure.
import type { AnyRule } from '../../src/engine/define-rule.js';
import readOnlyRootFilesystem from './read-only-root-filesystem.js';
import resourceLimits from './resource-limits.js';
import imageTagPinned from './image-tag-pinned.js';
import imageDigest from './image-digest.js';
import imageRegistryAllowed from './image-registry-allowed.js';
import automountServiceAccountToken from './automount-service-account-token.js';
import defaultNamespace from './default-namespace.js';
import secretEnvLiteral from './secret-env-literal.js';
import probes from './probes.js';
import secretCommitted from './secret-committed.js';
import namespacePssEnforce from './namespace-pss-enforce.js';
import networkPolicyMissing from './network-policy-missing.js';
import networkPolicyAllowAll from './network-policy-allow-all.js';
import rbacWildcard from './rbac-wildcard.js';
import rbacClusterAdminBinding from './rbac-cluster-admin-binding.js';
import rbacEveryoneBinding from './rbac-everyone-binding.js';
import rayDashboardExposed from './ray-dashboard-exposed.js';
import rbacSecretsRead from './rbac-secrets-read.js';
import rbacPodExec from './rbac-pod-exec.js';
import servicePublicExposure from './service-public-exposure.js';
import ingressTls from './ingress-tls.js';
import ingressRateLimit from './ingress-rate-limit.js';
import meshMtlsStrict from './mesh-mtls-strict.js';
import meshAuthzAllowAll from './mesh-authz-allow-all.js';
import modelUriPlaintext from './model-uri-plaintext.js';
import credentialLiteral from './credential-literal.js';
import rbacEscalation from './rbac-escalation.js';
import workloadRbacEscalation from './workload-rbac-escalation.js';
import ingressNginxSnippet from './ingress-nginx-snippet.js';
import gpuNamespaceQuota from './gpu-namespace-quota.js';
import gatewayTls from './gateway-tls.js';
import gatewayAuthz from './gateway-authz.js';

export const K8S_RULES: readonly AnyRule[] = [
  readOnlyRootFilesystem,
  resourceLimits,
  imageTagPinned,
  imageDigest,
  imageRegistryAllowed,
  automountServiceAccountToken,
  defaultNamespace,
  secretEnvLiteral,
  probes,
  secretCommitted,
  namespacePssEnforce,
  networkPolicyMissing,
  networkPolicyAllowAll,
  rbacWildcard,
  rbacClusterAdminBinding,
  rbacEveryoneBinding,
  rayDashboardExposed,
  rbacSecretsRead,
  rbacPodExec,
  servicePublicExposure,
  ingressTls,
  ingressRateLimit,
  meshMtlsStrict,
  meshAuthzAllowAll,
  modelUriPlaintext,
  credentialLiteral,
  rbacEscalation,
  workloadRbacEscalation,
  ingressNginxSnippet,
  gpuNamespaceQuota,
  gatewayTls,
  gatewayAuthz,
];
