// What a change takes away from files it does not touch. A namespace's protections are objects of their own: its
// default-deny NetworkPolicy, the AuthorizationPolicy that decides who may call the model endpoints published
// there, the quota that caps its accelerators, the ServiceAccounts that keep their token out of their pods. Deleted with their file, cut from a file, or edited to give less,
// they leave the workloads in other files unprotected, and no rule on the changed files sees those. Here each
// namespace such an object was in is judged from every object of the repository as it was before the change and as
// it is after; what was given and no longer is becomes a finding of the rule that asks for it, where the change
// took it away.
import type { Config } from './config.js';
import type { AnyRule } from './engine/define-rule.js';
import type { RepositoryIndex } from './engine/repository.js';
import { effectiveSeverity } from './engine/run.js';
import { fingerprint } from './engine/meta-findings.js';
import { Suppressions } from './engine/suppressions.js';
import type { PatchLines } from './diff.js';
import type { Finding, Resource } from './model.js';
import { defaultDenyCoverage } from '../rules/k8s/support/network.js';
import { landingNamespaces, nameOf, namespacesOf, SYSTEM_NAMESPACES } from '../rules/k8s/support/k8s.js';
import { getIn } from './common/path.js';
import { guardedNamespaces, ISTIO_ROOT } from '../rules/k8s/gateway-authz.js';
import { memoByIdentity } from './common/memo.js';
import { cappedByNamespace } from '../rules/k8s/gpu-namespace-quota.js';
import { escapeRegExp } from './common/reg-exp.js';

/** A file of the change as it was before it: still there (changed), or deleted (`headText` null). */
export interface ChangedBefore {
  path: string;
  baseText: string;
  headText: string | null;
  /** A chart's template, whose objects were the chart's for the index (src/charts-before.ts): that chart's folder. */
  chart?: string;
  /** The files whose change changes how GitOps sources install that chart (src/charts-before.ts). */
  installedBy?: readonly string[];
}

export interface LostProtectionsInput {
  files: readonly ChangedBefore[];
  /** What the repository index keeps of those files as they were (src/review.ts parses them once, for both views). */
  was: readonly Resource[];
  /** The repository after the change (the rules' index). */
  repository: RepositoryIndex;
  patches: ReadonlyMap<string, PatchLines>;
  config: Config;
  rules: readonly AnyRule[];
}

/** The Namespaces and kustomizations that place objects, on one side of the change. */
interface Placing {
  namespaces: readonly Resource[];
  kustomizations: readonly Resource[];
}

/** What one rule asks of a namespace; the objects that give it are the kinds it looks up that place nothing. */
interface Protection {
  ruleId: string;
  /** What these objects give `namespace` (default-deny directions, callers decided, accelerators capped). */
  given(namespace: string, objects: readonly Resource[], placing: Placing): ReadonlySet<string>;
  /** What the finding says was taken away (`how`: the change deletes, changes or removes the object). */
  message(how: string, object: Resource, namespace: string, lost: readonly string[]): string;
  /**
   * Whether what was given went with its object, harmlessly: the object is gone and nothing can use it without it.
   * Absent: never (what an object gave is lost with it).
   */
  goesWithIt?(given: string, namespace: string, after: readonly Resource[], placing: Placing): boolean;
}

const PROTECTIONS: readonly Protection[] = [
  {
    ruleId: 'k8s/network-policy-missing',
    given: (namespace, objects, { namespaces, kustomizations }) => defaultDenyCoverage(namespace, objects, namespaces, kustomizations),
    message: (how, object, namespace, lost) =>
      `This change ${how} ${object.kind} \`${object.name}\`, which made \`${namespace}\` default-deny for ${lost.join(' and ')}; no policy left in the ` +
      `repository does (${lost.length > 1 ? 'neither ingress nor egress is restricted' : `${lost[0]} is open`}), so every pod in the cluster can reach the workloads of \`${namespace}\`. Keep the ` +
      `policy, or add another default-deny policy for \`${namespace}\`.`,
  },
  {
    ruleId: 'k8s/gateway-authz',
    // A guarding policy in Istio's root namespace guards the gateway, so every namespace behind it.
    given: (namespace, objects, { namespaces, kustomizations }) => {
      const guarded = guardedNamespaces(objects, namespaces, kustomizations);
      return guarded.has(namespace) || guarded.has(ISTIO_ROOT) ? CALLERS : NOTHING;
    },
    message: (how, object, namespace) =>
      `This change ${how} AuthorizationPolicy \`${object.name}\`, which decided who may call the model endpoints published ` +
      `${namespace === ISTIO_ROOT ? `through the gateway (\`${ISTIO_ROOT}\`)` : `in \`${namespace}\``}; no AuthorizationPolicy left in the repository ` +
      `does${namespace === ISTIO_ROOT ? ' for a namespace without one of its own' : ', there or at the gateway'}, so anyone who reaches the gateway can query ` +
      'them. Keep the policy, or add another that names the callers.',
  },
  {
    ruleId: 'k8s/automount-service-account-token',
    // The ServiceAccounts of the namespace that keep their token out of the pods that use them.
    given: (namespace, objects, { namespaces, kustomizations }) => unmountingAccounts(objects, namespaces, kustomizations).get(namespace) ?? NOTHING,
    message: (how, object, namespace) =>
      `This change ${how} ServiceAccount \`${object.name}\`, which kept its token out of the pods in \`${namespace}\` that use it; now every such pod ` +
      'that does not set `automountServiceAccountToken: false` itself mounts a token the API server accepts as that account. Keep ' +
      '`automountServiceAccountToken: false` on the account.',
    // A deleted named account takes its pods with it (they no longer start); the namespace's `default` one comes
    // back without the setting.
    goesWithIt: (name, namespace, after, { namespaces, kustomizations }) =>
      name !== 'default' && !after.some((sa) => nameOf(sa) === name && namespacesOf(sa, namespaces, kustomizations).includes(namespace)),
  },
  {
    ruleId: 'k8s/gpu-namespace-quota',
    given: (namespace, objects, { namespaces, kustomizations }) => cappedByNamespace(objects, namespaces, kustomizations).get(namespace) ?? NOTHING,
    message: (how, object, namespace, lost) =>
      `This change ${how} ${object.kind} \`${object.name}\`, which capped ${lost.map((g) => `\`${g}\``).join(' and ')} in \`${namespace}\`; nothing left ` +
      `in the repository caps ${lost.length > 1 ? 'them' : 'it'} there, so one workload or a stolen token can take every accelerator of the ` +
      `cluster from \`${namespace}\`. Keep it, or add another ResourceQuota for \`${namespace}\`.`,
  },
];

const CALLERS: ReadonlySet<string> = new Set(['callers']);
const NOTHING: ReadonlySet<string> = new Set();

// What each side's objects give, by namespace: found once per list (the same lists for every namespace judged, and
// one list per object when looking for the object that gave what is lost), not once per namespace. Quotas:
// rules/k8s/gpu-namespace-quota.ts cappedByNamespace; AuthorizationPolicies: rules/k8s/gateway-authz.ts guardedNamespaces.

/** The ServiceAccounts' names that keep their token out of the pods, by the namespaces they are in, in their order. */
const unmountingAccounts = memoByIdentity((objects: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]): ReadonlyMap<string, ReadonlySet<string>> => {
  const byNamespace = new Map<string, Set<string>>();
  for (const account of objects) {
    const name = nameOf(account);
    if (name === null || getIn(account.body, ['automountServiceAccountToken']) !== false) continue;
    for (const namespace of namespacesOf(account, namespaces, kustomizations)) {
      const found = byNamespace.get(namespace);
      if (found) found.add(name);
      else byNamespace.set(namespace, new Set([name]));
    }
  }
  return byNamespace;
});

/** Looked-up kinds that place objects (in a namespace) rather than protect them. */
const PLACING_KINDS = new Set(['Namespace', 'Kustomization']);

export function lostProtections(input: LostProtectionsInput): Finding[] {
  const protections = PROTECTIONS.flatMap((protection) => {
    const rule = input.rules.find((r) => r.id === protection.ruleId);
    const severity = rule && effectiveSeverity(rule, input.config);
    const kinds = new Set((rule?.lookups ?? []).filter((kind) => !PLACING_KINDS.has(kind)));
    return rule && severity ? [{ protection, kinds, severity, title: rule.title }] : [];
  });
  // Not knowing the whole repository, Warden would only be guessing (as the rules themselves stay silent).
  if (protections.length === 0 || !input.repository.complete) return [];
  const protecting = new Set(protections.flatMap((p) => [...p.kinds]));
  const taken = input.was.filter((r) => protecting.has(r.kind));
  // A kustomization as it was gives the namespace a base's object had (the change may drop its entry too).
  const kustomizationsWere = input.was.filter((r) => r.kind === 'Kustomization');
  if (taken.length === 0) return [];
  const touched = new Set(input.files.map((f) => f.path));
  const after = input.repository.resources;
  const namespaces = after.filter((r) => r.kind === 'Namespace');
  const placedAfter: Placing = { namespaces, kustomizations: after.filter((r) => r.kind === 'Kustomization') };
  // Before: the same repository, with the changed and deleted files as they were.
  const placedBefore: Placing = { namespaces, kustomizations: [...placedAfter.kustomizations.filter((r) => !touched.has(r.file)), ...kustomizationsWere] };
  const findings: Finding[] = [];
  // Each taken object on its own, the same list every time it is asked about.
  const alone = new Map(taken.map((o) => [o, [o]] as const));
  for (const { protection, kinds, severity, title } of protections) {
    const objectsAfter = after.filter((r) => kinds.has(r.kind));
    const takenHere = taken.filter((r) => kinds.has(r.kind));
    const objectsBefore = [...objectsAfter.filter((r) => !touched.has(r.file)), ...takenHere];
    const judged = new Set<string>();
    for (const object of takenHere) {
      for (const namespace of landingNamespaces(object, namespaces, placedBefore.kustomizations)) {
        if (judged.has(namespace) || (SYSTEM_NAMESPACES.has(namespace) && namespace !== ISTIO_ROOT)) continue;
        judged.add(namespace);
        const is = protection.given(namespace, objectsAfter, placedAfter);
        const lost = [...protection.given(namespace, objectsBefore, placedBefore)].filter((given) => !is.has(given) && protection.goesWithIt?.(given, namespace, objectsAfter, placedAfter) !== true);
        if (lost.length === 0) continue;
        // The object the change touched that gave what is lost (the first, when several did).
        const gave = takenHere.find((o) => lost.some((l) => protection.given(namespace, alone.get(o)!, placedBefore).has(l))) ?? object;
        findings.push(findingOf(protection, gave, namespace, lost, objectsAfter, input, severity, title));
      }
    }
  }
  return findings;
}

function findingOf(protection: Protection, object: Resource, namespace: string, lost: string[], after: readonly Resource[], input: LostProtectionsInput, severity: Finding['severity'], title: string): Finding {
  const file = input.files.find((f) => f.path === object.file)!;
  // Where the change took it away: the object as it is now, if the file still holds it; else where its lines were
  // removed from the file; else (the file is deleted) its line in the deleted file.
  const now = file.headText === null ? undefined : after.find((r) => r.file === object.file && r.kind === object.kind && r.id === object.id);
  // A chart's object no longer deployed alike by every values file: at its template line, where it still is.
  const line = now ? now.range.startLine : file.headText === null || file.chart !== undefined ? object.range.startLine : removalLine(input.patches.get(object.file), object.name);
  const how =
    file.headText === null ? `deletes \`${object.file}\`, and with it`
    : now ? 'changes'
    : file.installedBy ? `changes how chart \`${file.chart}\` is installed (${file.installedBy.map((path) => `\`${path}\``).join(', ')}) so that not every install deploys`
    : file.chart !== undefined ? `changes chart \`${file.chart}\` so that not every values file installs` : 'removes';
  const message = protection.message(how, object, namespace, lost);
  return changeFinding({ ruleId: protection.ruleId, severity, title }, message, object, line, file, `Namespace/${namespace}`, ['taken away', ...lost]);
}

/**
 * A finding on what a change did to the files it does not touch, at `line` of the object's file as the change left
 * it (`file`, absent for a new one's): new by construction, with no fix, and suppressed by a comment above that
 * line as any finding is (a deleted file has none to read). Known by the rule, the file and `subject`.
 */
export function changeFinding(rule: Pick<Finding, 'ruleId' | 'severity' | 'title'>, message: string, object: Resource, line: number, file: ChangedBefore | undefined, subject: string, path: string[]): Finding {
  const suppression = file?.headText ? Suppressions.of(file.headText).above(line, rule.ruleId) : null;
  return {
    ...rule,
    message,
    file: object.file,
    line,
    endLine: line,
    resource: object.id,
    path: [],
    fingerprint: fingerprint(rule.ruleId, object.file, subject, path),
    fix: null,
    suppressed: suppression ? { reason: suppression.reason, line: suppression.line } : null,
    preExisting: false,
  };
}

/** The head line where the change removed the object's lines: the removal that held its name, else the first. */
function removalLine(patch: PatchLines | undefined, name: string): number {
  const removals = patch?.removals ?? [];
  const named = new RegExp(`^\\s*name\\s*[:=]\\s*["']?${escapeRegExp(name)}["']?\\s*$`);
  const held = removals.find((r) => r.lines.some((l) => named.test(l))) ?? removals[0];
  return Math.max(1, held?.after ?? 1);
}
