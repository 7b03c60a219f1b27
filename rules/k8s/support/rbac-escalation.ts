// Which RBAC grants let their holder gain more than they were given (k8s/rbac-escalation on a role,
// k8s/workload-rbac-escalation on a workload whose service account holds one).
import type { PolicyRule } from './rbac.js';

/** Workload kinds by API group: who may create or change one runs pods as any service account of the namespace. */
const WORKLOADS: Record<string, readonly string[]> = {
  '': ['pods', 'replicationcontrollers', 'podtemplates'],
  apps: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
  batch: ['jobs', 'cronjobs'],
  'argoproj.io': ['rollouts'],
  'serving.kserve.io': ['inferenceservices', 'servingruntimes', 'clusterservingruntimes', 'inferencegraphs'],
  'machinelearning.seldon.io': ['seldondeployments'],
  'serving.knative.dev': ['services', 'configurations'],
};

/** A grant that lets its holder gain more than it was given. */
interface EscalationGrant {
  groups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
  what: string;
  /** Checked only for what a workload's service account may do (k8s/rbac-pod-exec reports it on the role). */
  shellOnly?: boolean;
}

const ESCALATION_GRANTS: readonly EscalationGrant[] = [
  ...Object.entries(WORKLOADS).map(([group, resources]) => ({
    groups: [group],
    resources,
    verbs: ['create', 'update', 'patch'],
    what: 'create or change pods (directly or through a workload), which run any image as any service account of the namespace',
  })),
  { groups: [''], resources: ['nodes/proxy'], verbs: ['get', 'create'], what: 'reach the kubelet API through `nodes/proxy`, which runs commands in every pod of a node' },
  { groups: ['rbac.authorization.k8s.io'], resources: ['roles', 'clusterroles'], verbs: ['bind'], what: 'bind roles it does not hold (`bind`)' },
  { groups: ['rbac.authorization.k8s.io'], resources: ['roles', 'clusterroles'], verbs: ['escalate'], what: 'give roles permissions it does not hold (`escalate`)' },
  { groups: ['', 'authentication.k8s.io'], resources: ['users', 'groups', 'serviceaccounts', 'uids', 'userextras/scopes'], verbs: ['impersonate'], what: 'act as other users, groups or service accounts (`impersonate`)' },
  { groups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], what: 'mint tokens for the namespace\'s service accounts (`serviceaccounts/token`)' },
  { groups: [''], resources: ['pods/portforward'], verbs: ['create', 'get'], what: 'open a tunnel into any pod of the namespace (`pods/portforward`)' },
  { groups: [''], resources: ['pods/exec', 'pods/attach'], verbs: ['create', 'get'], what: 'run a shell in any pod of the namespace (`pods/exec`, `pods/attach`)', shellOnly: true },
];

function covers(listed: readonly string[], wanted: readonly string[], wildcard: boolean): boolean {
  return listed.some((item) => wanted.includes(item) || (wildcard && item === '*'));
}

/**
 * What a policy rule lets its holder escalate to, in words. `wildcards`: whether `*` counts (k8s/rbac-wildcard
 * reports a role's wildcards itself; for what a service account may do, they count); `shell`: whether
 * `pods/exec` and `pods/attach` count (k8s/rbac-pod-exec reports them on the role).
 */
export function escalationsOf(rule: PolicyRule, options: { wildcards: boolean; shell: boolean }): string[] {
  const groups = rule.apiGroups.map((g) => (g === 'core' ? '' : g));
  const found = ESCALATION_GRANTS.filter((grant) =>
    (options.shell || !grant.shellOnly)
    && covers(groups, grant.groups, options.wildcards)
    && covers(rule.resources, grant.resources, options.wildcards)
    && covers(rule.verbs, grant.verbs, options.wildcards));
  return [...new Set(found.map((grant) => grant.what))];
}

/** What the Kubernetes built-in ClusterRoles that user-facing bindings name grant, in these terms. */
export const BUILT_IN_CLUSTER_ROLES: Readonly<Record<string, string>> = {
  'cluster-admin': 'do anything in the cluster (`cluster-admin`)',
  admin: 'create pods, exec into them and read Secrets in the namespace (`admin`)',
  edit: 'create pods, exec into them and read Secrets in the namespace (`edit`)',
};
