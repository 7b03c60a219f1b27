// A finding about a namespace (no default-deny NetworkPolicy, no GPU quota there) is reported by every workload
// deployed to it; a review states it once per namespace, naming the workloads (new or not: the sentence does not
// say the change deployed them all). The one finding keeps what would gate: it is new when any of them is, and as
// severe as the worst.
import { severityRank, statedAlso, type Finding } from './model.js';

/** Workloads a merged finding names; the rest are counted. */
export const MAX_NAMED_WORKLOADS = 10;

/** `Deployment/ml/triton` → `Deployment/triton`: the namespace is said once, in the sentence. */
function workloadName(resource: string): string {
  const parts = resource.split('/');
  return parts.length === 3 ? `${parts[0]}/${parts[2]}` : resource;
}

function sentence(namespace: string, resources: readonly string[]): string {
  const names = [...new Set(resources.map(workloadName))];
  const shown = names.slice(0, MAX_NAMED_WORKLOADS).map((n) => `\`${n}\``).join(', ');
  const more = names.length > MAX_NAMED_WORKLOADS ? `, and ${names.length - MAX_NAMED_WORKLOADS} more` : '';
  return `The same holds for every workload reviewed here that runs in \`${namespace}\` (${names.length}): ${shown}${more}.`;
}

/** The new members first (the one finding sits where the change is), then by file and line. */
function carrierFirst(a: Finding, b: Finding): number {
  return Number(a.preExisting === true) - Number(b.preExisting === true) || a.file.localeCompare(b.file) || a.line - b.line;
}

/**
 * The findings with each rule's open (unsuppressed) findings about one namespace merged into one: the first new
 * workload's finding, its message naming every workload, `also` holding the others' fingerprints (a comment that
 * stated any of them states this one). Findings are otherwise kept as they are, in their order.
 */
export function mergeNamespaceFindings(findings: readonly Finding[]): Finding[] {
  const byNamespace = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.namespace === undefined || f.suppressed) continue;
    const key = `${f.ruleId}\0${f.namespace}`;
    (byNamespace.get(key) ?? byNamespace.set(key, []).get(key)!).push(f);
  }
  const merged = new Map<Finding, Finding | null>();
  for (const members of byNamespace.values()) {
    if (members.length < 2) continue;
    const [carrier, ...others] = [...members].sort(carrierFirst);
    const worst = members.reduce((w, f) => (severityRank(f.severity) > severityRank(w.severity) ? f : w), carrier!);
    merged.set(carrier!, {
      ...carrier!,
      severity: worst.severity,
      message: `${carrier!.message}\n\n${sentence(carrier!.namespace!, [carrier!, ...others].map((f) => f.resource))}`,
      preExisting: members.every((f) => f.preExisting === true) ? carrier!.preExisting : false,
      also: statedAlso(carrier!, others),
    });
    for (const f of others) merged.set(f, null);
  }
  if (merged.size === 0) return [...findings];
  return findings.flatMap((f) => {
    const replaced = merged.get(f);
    return replaced === undefined ? [f] : replaced === null ? [] : [replaced];
  });
}
