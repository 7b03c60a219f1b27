// What a change takes away from files it does not touch: the default-deny NetworkPolicy of a namespace, deleted
// with its file, cut from a file, or edited so that it no longer denies. The workloads it protected are in other
// files, so no rule on the changed files sees them lose it. Here the namespace's default-deny is judged from every
// policy of the repository as it was before the change and as it is after; a direction that was denied and no
// longer is becomes a `k8s/network-policy-missing` finding where the change took the policy away.
import type { Config } from './config.js';
import type { AnyRule } from './engine/define-rule.js';
import type { RepositoryIndex } from './engine/repository.js';
import { indexFile } from './engine/repository-index.js';
import { fileKind } from './formats/index.js';
import { isKustomizationFile } from './engine/kustomize.js';
import { pacer } from './common/pace.js';
import { effectiveSeverity, fingerprint } from './engine/run.js';
import type { PatchLines } from './diff.js';
import type { Finding, Resource } from './model.js';
import { defaultDenyCoverage, type Direction } from '../rules/k8s/support/network.js';
import { namespacesOf, SYSTEM_NAMESPACES } from '../rules/k8s/support/k8s.js';
import { CILIUM_POLICY_KINDS } from '../rules/k8s/support/cilium.js';

const RULE_ID = 'k8s/network-policy-missing';
const POLICY_KINDS = new Set(['NetworkPolicy', ...CILIUM_POLICY_KINDS]);
const NAMES_A_POLICY = /\bkind:\s*["']?(NetworkPolicy|CiliumNetworkPolicy|CiliumClusterwideNetworkPolicy)\b/;

/** A file of the change as it was before it: still there (changed), or deleted (`headText` null). */
export interface ChangedBefore {
  path: string;
  baseText: string;
  headText: string | null;
}

export interface LostProtectionsInput {
  files: readonly ChangedBefore[];
  /** The repository after the change (the rules' index). */
  repository: RepositoryIndex;
  patches: ReadonlyMap<string, PatchLines>;
  config: Config;
  rules: readonly AnyRule[];
}

export async function lostDefaultDeny(input: LostProtectionsInput): Promise<Finding[]> {
  const rule = input.rules.find((r) => r.id === RULE_ID);
  const severity = rule && effectiveSeverity(rule, input.config);
  // Not knowing the whole repository, Warden would only be guessing (as the rule itself stays silent).
  if (!rule || !severity || !input.repository.complete) return [];
  // Only the policies and kustomizations are parsed (on the main thread: a file at a time, giving way in between):
  // a kustomization as it was gives the namespace a base's policy had (the change may drop its entry too).
  const removedPolicies: Resource[] = [];
  const kustomizationsWere: Resource[] = [];
  const pause = pacer();
  for (const f of input.files) {
    const kustomization = isKustomizationFile(f.path);
    if (!kustomization && (fileKind(f.path) !== 'yaml' || !NAMES_A_POLICY.test(f.baseText))) continue;
    await pause();
    const resources = (await indexFile(f.path, f.baseText)).resources;
    removedPolicies.push(...resources.filter((r) => POLICY_KINDS.has(r.kind)));
    kustomizationsWere.push(...resources.filter((r) => r.kind === 'Kustomization'));
  }
  if (removedPolicies.length === 0) return [];
  const after = input.repository.resources;
  const touched = new Set(input.files.map((f) => f.path));
  const namespaces = after.filter((r) => r.kind === 'Namespace');
  const kustomizations = after.filter((r) => r.kind === 'Kustomization');
  const policiesAfter = after.filter((r) => POLICY_KINDS.has(r.kind));
  // Before: the same repository, with the changed and deleted files as they were.
  const policiesBefore = [...policiesAfter.filter((r) => !touched.has(r.file)), ...removedPolicies];
  const kustomizationsBefore = [...kustomizations.filter((r) => !touched.has(r.file)), ...kustomizationsWere];
  const findings: Finding[] = [];
  const judged = new Set<string>();
  for (const policy of removedPolicies) {
    for (const namespace of namespacesOf(policy, namespaces, kustomizationsBefore)) {
      if (judged.has(namespace) || SYSTEM_NAMESPACES.has(namespace)) continue;
      judged.add(namespace);
      const was = defaultDenyCoverage(namespace, policiesBefore, namespaces, kustomizationsBefore);
      const is = defaultDenyCoverage(namespace, policiesAfter, namespaces, kustomizations);
      const lost = [...was].filter((d) => !is.has(d));
      if (lost.length === 0) continue;
      // The policies of the namespace the change touched, the one that denied what is lost first.
      const takenAway = removedPolicies.filter((p) => namespacesOf(p, namespaces, kustomizationsBefore).includes(namespace));
      const culprit = takenAway.find((p) => lost.some((d) => defaultDenyCoverage(namespace, [p], namespaces, kustomizationsBefore).has(d))) ?? takenAway[0]!;
      findings.push(finding(culprit, namespace, lost, is, policiesAfter, input, severity, rule.title));
    }
  }
  return findings;
}

function finding(policy: Resource, namespace: string, lost: Direction[], still: Set<Direction>, after: readonly Resource[], input: LostProtectionsInput, severity: Finding['severity'], title: string): Finding {
  const file = input.files.find((f) => f.path === policy.file)!;
  // Where the change took it away: the policy as it is now, if the file still holds it; else where its lines were
  // removed from the file; else (the file is deleted) its line in the deleted file.
  const now = file.headText === null ? undefined : after.find((r) => r.file === policy.file && r.kind === policy.kind && r.id === policy.id);
  const line = now ? now.range.startLine : file.headText === null ? policy.range.startLine : removalLine(input.patches.get(policy.file), policy.name);
  const how = file.headText === null ? `deletes \`${policy.file}\`, and with it` : now ? 'changes' : 'removes';
  const open = still.size === 0 ? 'neither ingress nor egress is restricted' : `${lost.join(' and ')} ${lost.length > 1 ? 'are' : 'is'} open`;
  const message =
    `This change ${how} ${policy.kind} \`${policy.name}\`, which made \`${namespace}\` default-deny for ${lost.join(' and ')}; no policy left in the ` +
    `repository does (${open}), so every pod in the cluster can reach the workloads of \`${namespace}\`, which this change ` +
    `does not touch. Keep the policy, or add another default-deny policy for \`${namespace}\`.`;
  return {
    ruleId: RULE_ID,
    severity,
    title,
    message,
    file: policy.file,
    line,
    endLine: line,
    resource: policy.id,
    path: [],
    fingerprint: fingerprint(RULE_ID, policy.file, `Namespace/${namespace}`, ['default-deny', ...lost]),
    fix: null,
    suppressed: null,
    preExisting: false,
  };
}

/** The head line where the change removed the policy's lines: the removal that held its name, else the first. */
function removalLine(patch: PatchLines | undefined, name: string): number {
  const removals = patch?.removals ?? [];
  const held = removals.find((r) => r.lines.some((l) => new RegExp(`^\\s*name:\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`).test(l))) ?? removals[0];
  return Math.max(1, held?.after ?? 1);
}
