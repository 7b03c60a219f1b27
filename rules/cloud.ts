// The Terraform cloud rules: AWS, Google Cloud, Azure.
import type { AnyRule } from '../src/engine/define-rule.js';
import awsCloudwatchLogKms from './aws/cloudwatch-log-kms.js';
import awsEcrImmutableTags from './aws/ecr-immutable-tags.js';
import awsEcrPolicyPublic from './aws/ecr-policy-public.js';
import awsEcrScanOnPush from './aws/ecr-scan-on-push.js';
import awsEksControlPlaneLogging from './aws/eks-control-plane-logging.js';
import awsEksPublicEndpoint from './aws/eks-public-endpoint.js';
import awsEksSecretsEncryption from './aws/eks-secrets-encryption.js';
import awsIamAdminPolicy from './aws/iam-admin-policy.js';
import awsIamAssumeRoleAnyPrincipal from './aws/iam-assume-role-any-principal.js';
import awsIamWildcardAction from './aws/iam-wildcard-action.js';
import awsIamWildcardResource from './aws/iam-wildcard-resource.js';
import awsS3EncryptionKms from './aws/s3-encryption-kms.js';
import awsS3PolicyPublic from './aws/s3-policy-public.js';
import awsS3PublicAccessBlock from './aws/s3-public-access-block.js';
import awsS3PublicAcl from './aws/s3-public-acl.js';
import awsS3Versioning from './aws/s3-versioning.js';
import awsSagemakerEndpointKms from './aws/sagemaker-endpoint-kms.js';
import awsSagemakerModelVpc from './aws/sagemaker-model-vpc.js';
import awsSagemakerNetworkIsolation from './aws/sagemaker-network-isolation.js';
import awsSagemakerNotebookDirectInternet from './aws/sagemaker-notebook-direct-internet.js';
import awsSagemakerNotebookKms from './aws/sagemaker-notebook-kms.js';
import awsSagemakerNotebookRootAccess from './aws/sagemaker-notebook-root-access.js';
import awsSecurityGroupOpenIngress from './aws/security-group-open-ingress.js';
import gcpGkeBinaryAuthorization from './gcp/gke-binary-authorization.js';
import gcpGkeDefaultServiceAccount from './gcp/gke-default-service-account.js';
import gcpGkeLegacyAbac from './gcp/gke-legacy-abac.js';
import gcpGkeMasterAuthorizedNetworks from './gcp/gke-master-authorized-networks.js';
import gcpGkeNetworkPolicy from './gcp/gke-network-policy.js';
import gcpGkePrivateNodes from './gcp/gke-private-nodes.js';
import gcpGkeShieldedNodes from './gcp/gke-shielded-nodes.js';
import gcpGkeWorkloadIdentity from './gcp/gke-workload-identity.js';
import gcpStoragePublic from './gcp/storage-public.js';
import gcpStorageUniformAccess from './gcp/storage-uniform-access.js';
import gcpVertexCmek from './gcp/vertex-cmek.js';
import gcpVertexEndpointPrivate from './gcp/vertex-endpoint-private.js';
import azureAcrAdminUser from './azure/acr-admin-user.js';
import azureAksNetworkPolicy from './azure/aks-network-policy.js';
import azureAksPrivateCluster from './azure/aks-private-cluster.js';
import azureAksRbac from './azure/aks-rbac.js';
import azureMlComputePublicIp from './azure/ml-compute-public-ip.js';
import azureMlWorkspacePublicNetwork from './azure/ml-workspace-public-network.js';
import azureStoragePublicBlob from './azure/storage-public-blob.js';

import awsIamPrivilegeEscalation from './aws/iam-privilege-escalation.js';
import awsIamOidcTrustUnscoped from './aws/iam-oidc-trust-unscoped.js';
import awsSagemakerDomainDirectInternet from './aws/sagemaker-domain-direct-internet.js';
import gcpVertexWorkbenchPublicIp from './gcp/vertex-workbench-public-ip.js';
import awsOpensearchPolicyPublic from './aws/opensearch-policy-public.js';
import awsPolicyDocumentInvalid from './aws/policy-document-invalid.js';
import awsS3AccessLogging from './aws/s3-access-logging.js';
import awsS3SecureTransport from './aws/s3-secure-transport.js';
import awsSagemakerNotebookImdsv2 from './aws/sagemaker-notebook-imdsv2.js';
import awsSagemakerNotebookVpc from './aws/sagemaker-notebook-vpc.js';
import gcpArtifactRegistryPublic from './gcp/artifact-registry-public.js';
import gcpFirewallOpenIngress from './gcp/firewall-open-ingress.js';
import gcpSqlPublicNetwork from './gcp/sql-public-network.js';
import gcpStoragePublicAccessPrevention from './gcp/storage-public-access-prevention.js';
import gcpVertexIndexEndpointPublic from './gcp/vertex-index-endpoint-public.js';
import azureAcrPublic from './azure/acr-public.js';
import azureAksLocalAccounts from './azure/aks-local-accounts.js';
import azureAksNodePublicIp from './azure/aks-node-public-ip.js';
import azureCustomRoleWildcard from './azure/custom-role-wildcard.js';
import azureNsgOpenIngress from './azure/nsg-open-ingress.js';
import azureSqlFirewallOpen from './azure/sql-firewall-open.js';
import azureStorageSecureTransfer from './azure/storage-secure-transfer.js';
import azureStorageNetworkOpen from './azure/storage-network-open.js';
import azureAksAzurePolicy from './azure/aks-azure-policy.js';
import gcpStorageVersioning from './gcp/storage-versioning.js';

export const CLOUD_RULES: readonly AnyRule[] = [
  awsCloudwatchLogKms,
  awsEcrImmutableTags,
  awsEcrPolicyPublic,
  awsEcrScanOnPush,
  awsEksControlPlaneLogging,
  awsEksPublicEndpoint,
  awsEksSecretsEncryption,
  awsIamAdminPolicy,
  awsIamAssumeRoleAnyPrincipal,
  awsIamWildcardAction,
  awsIamWildcardResource,
  awsS3EncryptionKms,
  awsS3PolicyPublic,
  awsS3PublicAccessBlock,
  awsS3PublicAcl,
  awsS3Versioning,
  awsSagemakerEndpointKms,
  awsSagemakerModelVpc,
  awsSagemakerNetworkIsolation,
  awsSagemakerNotebookDirectInternet,
  awsSagemakerNotebookKms,
  awsSagemakerNotebookRootAccess,
  awsSecurityGroupOpenIngress,
  gcpGkeBinaryAuthorization,
  gcpGkeDefaultServiceAccount,
  gcpGkeLegacyAbac,
  gcpGkeMasterAuthorizedNetworks,
  gcpGkeNetworkPolicy,
  gcpGkePrivateNodes,
  gcpGkeShieldedNodes,
  gcpGkeWorkloadIdentity,
  gcpStoragePublic,
  gcpStorageUniformAccess,
  gcpVertexCmek,
  gcpVertexEndpointPrivate,
  azureAcrAdminUser,
  azureAksNetworkPolicy,
  azureAksPrivateCluster,
  azureAksRbac,
  azureMlComputePublicIp,
  azureMlWorkspacePublicNetwork,
  azureStoragePublicBlob,
  awsIamPrivilegeEscalation,
  awsIamOidcTrustUnscoped,
  awsSagemakerDomainDirectInternet,
  gcpVertexWorkbenchPublicIp,
  awsOpensearchPolicyPublic,
  awsPolicyDocumentInvalid,
  awsS3AccessLogging,
  awsS3SecureTransport,
  awsSagemakerNotebookImdsv2,
  awsSagemakerNotebookVpc,
  gcpArtifactRegistryPublic,
  gcpFirewallOpenIngress,
  gcpSqlPublicNetwork,
  gcpStoragePublicAccessPrevention,
  gcpVertexIndexEndpointPublic,
  azureAcrPublic,
  azureAksLocalAccounts,
  azureAksNodePublicIp,
  azureCustomRoleWildcard,
  azureNsgOpenIngress,
  azureSqlFirewallOpen,
  azureStorageSecureTransfer,
  azureStorageNetworkOpen,
  azureAksAzurePolicy,
  gcpStorageVersioning,
];
