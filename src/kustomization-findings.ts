// A value a kustomization writes into the objects it composes (an image's `newName`, a patch, a generator's literal)
// is judged twice by a rule that reads every object (k8s/credential-literal): in the kustomization itself, and in
// the object composed from it, both at the kustomization's line. A review states it once, in the object deployed.
import { statedAlso, type Finding } from './model.js';
import { isKustomizationFile } from './formats/kustomization-file.js';

const place = (f: Finding) => `${f.ruleId}\0${f.file}\0${f.line}\0${f.suppressed ? 'suppressed' : 'open'}`;

function onKustomization(f: Finding): boolean {
  return (f.resource === 'Kustomization' || f.resource.startsWith('Kustomization/')) && isKustomizationFile(f.file);
}

/**
 * The findings but a kustomization's own where a composed object's finding of the same rule sits at the same line
 * (the object's keeps the other's fingerprint in `also`: a comment that stated it states this one). Otherwise as they are.
 */
export function withoutKustomizationRepeats(findings: readonly Finding[]): Finding[] {
  // Only the kustomizations' files can hold a repeat: a review of thousands of findings looks no further (one turn of
  // the App's event loop).
  const files = new Set(findings.filter(onKustomization).map((f) => f.file));
  if (files.size === 0) return [...findings];
  const composed = new Map<string, Finding>();
  for (const f of findings) {
    if (!files.has(f.file) || onKustomization(f)) continue;
    const at = place(f);
    if (!composed.has(at)) composed.set(at, f);
  }
  const repeated = new Map<Finding, Finding[]>();
  for (const f of findings) {
    const kept = files.has(f.file) && onKustomization(f) ? composed.get(place(f)) : undefined;
    if (kept) (repeated.get(kept) ?? repeated.set(kept, []).get(kept)!).push(f);
  }
  if (repeated.size === 0) return [...findings];
  const dropped = new Set([...repeated.values()].flat());
  return findings.flatMap((f) => {
    if (dropped.has(f)) return [];
    const others = repeated.get(f);
    return others ? [{ ...f, also: statedAlso(f, others) }] : [f];
  });
}
