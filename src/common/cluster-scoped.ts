// Kinds without a namespace: a kustomization's `namespace:`, a Helm release's namespace or a GitOps destination
// leaves them alone, and they are what they are wherever they are deployed.
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass',
  'PriorityClass', 'ClusterServingRuntime', 'ClusterStorageContainer', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'APIService', 'ClusterIssuer', 'IngressClass', 'RuntimeClass', 'PodSecurityPolicy',
  'CSIDriver', 'ClusterPolicy', 'ClusterTrainingRuntime', 'CiliumClusterwideNetworkPolicy',
]);
