// What a change grants to files it does not touch: a binding that ties a service account to a role that can
// escalate, or a role edited so that it can, gives every pod that runs as that account that power, wherever the pod
// is defined. `k8s/workload-rbac-escalation` judges the pods the change touches; here each account a changed
// binding or role reaches is judged before and after the change, and what it may newly do is a finding of that
// rule on the binding or role that granted it. The mirror of src/lost-protections.ts.
import type { Config } from './config.js';
import type { AnyRule } from './engine/define-rule.js';
import type { RepositoryIndex } from './engine/repository.js';
import { effectiveSeverity } from './engine/run.js';
import { getIn } from './common/path.js';
import type { Finding, Resource } from './model.js';
import { nameOf, namespacesOf } from '../rules/k8s/support/k8s.js';
import { BINDING_KINDS, holderCovers, ROLE_KINDS, subjectHolders, type AccountHolder } from '../rules/k8s/support/rbac.js';
import { accountGrants, type Grant } from '../rules/k8s/support/rbac-grants.js';
import { changeFinding, type ChangedBefore } from './lost-protections.js';

const RULE_ID = 'k8s/workload-rbac-escalation';
const RBAC_KINDS = new Set<string>([...BINDING_KINDS, ...ROLE_KINDS]);

export interface GainedPrivilegesInput {
  /** The changed files as they were (a new file with an empty text) and the deleted ones. */
  files: readonly ChangedBefore[];
  /** What the repository index keeps of those files as they were (src/review.ts parses them once, for both views). */
  was: readonly Resource[];
  repository: RepositoryIndex;
  config: Config;
  rules: readonly AnyRule[];
}

export function gainedEscalations(input: GainedPrivilegesInput): Finding[] {
  const rule = input.rules.find((r) => r.id === RULE_ID);
  const severity = rule && effectiveSeverity(rule, input.config);
  if (!rule || !severity || !input.repository.complete) return [];
  const touched = new Set(input.files.map((f) => f.path));
  const after = input.repository.resources;
  const rbacAfter = after.filter((r) => RBAC_KINDS.has(r.kind));
  const changedAfter = rbacAfter.filter((r) => touched.has(r.file));
  const changedBefore = input.was.filter((r) => RBAC_KINDS.has(r.kind));
  if (changedAfter.length === 0 && changedBefore.length === 0) return [];
  const rbacBefore = [...rbacAfter.filter((r) => !touched.has(r.file)), ...changedBefore];
  const namespaces = after.filter((r) => r.kind === 'Namespace');
  const kustomizations = after.filter((r) => r.kind === 'Kustomization');
  const bindings = (objects: readonly Resource[]) => objects.filter((r) => (BINDING_KINDS as readonly string[]).includes(r.kind));
  const roles = (objects: readonly Resource[]) => objects.filter((r) => (ROLE_KINDS as readonly string[]).includes(r.kind));
  // The accounts a changed binding names, or a binding of a changed role names: only theirs can have changed.
  const changedRoles = new Set([...changedAfter, ...changedBefore].filter((r) => (ROLE_KINDS as readonly string[]).includes(r.kind)).map((r) => `${r.kind}/${nameOf(r)}`));
  const reaching = [...bindings(changedAfter), ...bindings(changedBefore), ...bindings(rbacAfter).filter((b) => changedRoles.has(`${getIn(b.body, ['roleRef', 'kind'])}/${getIn(b.body, ['roleRef', 'name'])}`))];
  const holders = new Map<string, AccountHolder>();
  for (const binding of reaching) {
    const own = binding.kind === 'RoleBinding' ? namespacesOf(binding, namespaces, kustomizations) : [];
    const subjects = getIn(binding.body, ['subjects']);
    for (const subject of Array.isArray(subjects) ? subjects : []) {
      for (const holder of subjectHolders(subject, own)) holders.set(`${holder.namespace ?? '*'}/${holder.account ?? '*'}`, holder);
    }
  }
  const gains: { holder: AccountHolder; grant: Grant }[] = [];
  // The same lists for every holder: accountGrants reads them once.
  const [bindingsBefore, rolesBefore, bindingsAfter, rolesAfter] = [bindings(rbacBefore), roles(rbacBefore), bindings(rbacAfter), roles(rbacAfter)];
  for (const holder of holders.values()) {
    const before = new Set(accountGrants(holder, bindingsBefore, rolesBefore, namespaces, kustomizations).map((g) => g.what));
    const gained = accountGrants(holder, bindingsAfter, rolesAfter, namespaces, kustomizations).filter((g) => !before.has(g.what));
    const grant = gained.find((g) => touched.has(g.binding.file)) ?? gained[0];
    if (grant) gains.push({ holder, grant });
  }
  // A binding that names a group and an account of it states the account's gain with the group's.
  const stated = gains.filter(({ holder, grant }) => !gains.some((other) => other.holder !== holder && holderCovers(other.holder, holder) && other.grant.binding === grant.binding && other.grant.what === grant.what));
  return stated.map(({ holder, grant }) => {
    // On the binding when the change touched it, else on the changed role it refers to.
    const at = touched.has(grant.binding.file) ? grant.binding : (changedAfter.find((r) => (ROLE_KINDS as readonly string[]).includes(r.kind) && nameOf(r) === grant.role) ?? grant.binding);
    const how = `${grant.what} (${grant.binding.kind} \`${grant.binding.name}\`, role \`${grant.role}\`)`;
    const message =
      holder.account === null
        ? `This change lets ${whom(holder)} ${how}: every pod ${holder.namespace === null ? 'in the cluster' : `in \`${holder.namespace}\``} inherits that, ` +
          'those in files this change does not touch too. Bind the account that needs it instead of a group, to a role without that.'
        : `This change lets ${whom(holder)} ${how}: every pod that runs as it inherits that, those in files this change does not touch too. ` +
          'Bind it to a role without that, or give the pods that need it an account of their own.';
    const file = input.files.find((f) => f.path === at.file);
    return changeFinding({ ruleId: RULE_ID, severity, title: rule.title }, message, at, at.range.startLine, file, holderId(holder), ['granted', grant.what]);
  });
}

function whom(holder: AccountHolder): string {
  if (holder.namespace === null) return 'every service account in the cluster';
  return holder.account === null ? `every service account of \`${holder.namespace}\`` : `service account \`${holder.account}\` of \`${holder.namespace}\``;
}

/** What a finding is about: the account, or the group that stands for every account of a namespace or the cluster. */
function holderId(holder: AccountHolder): string {
  if (holder.namespace === null) return 'Group/system:serviceaccounts';
  return holder.account === null ? `Group/system:serviceaccounts:${holder.namespace}` : `ServiceAccount/${holder.namespace}/${holder.account}`;
}
