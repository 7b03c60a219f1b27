// A composition reviewed in batches of roots (src/composed-review.ts), put back together as if it had been reviewed
// whole: a batch's builds are let go before the next is composed, so memory stays bounded by a batch however many
// roots a change reaches. Builds never span batches, so what is judged per build (new or not, made otherwise) is
// exact; what spans builds is merged here: a finding several batches found is reported once, as the first found it,
// and its fix is offered only where every batch that found it proved the same fix.
import { newInSomeGroup } from './engine/made-otherwise.js';
import type { UncomposedPart } from './compose/kustomize.js';
import { withoutRepeats } from './compose/index.js';
import type { Finding, Fix, Note } from './model.js';

/** Notes of the builds, at most (a composer keeps as many): past them, the rest are not said. */
const MAX_BUILD_NOTES = 200;

export interface BatchSummary {
  consumed: Iterable<string>;
  reached: Iterable<string>;
  notes: readonly Note[];
  uncomposed: readonly UncomposedPart[];
}

export class ComposedBatches {
  private readonly consumed = new Set<string>();
  private readonly reached = new Set<string>();
  private readonly notes: Note[] = [];
  private readonly noted = new Set<string>();
  private uncomposed: UncomposedPart[] = [];
  private readonly findings = new Map<string, Finding>();
  /** Each fingerprint's fix as the first batch that found it left it, to compare the others' with. */
  private readonly fixes = new Map<string, string>();
  /** Fingerprints whose fix differs between batches. */
  private readonly unsettled = new Set<string>();
  /** The groups whose fix was proven together, in any batch: a member unsettled unsettles the group. */
  private readonly groups: string[][] = [];
  private readonly atBase = new Set<string>();
  private readonly newSomewhere = new Set<string>();

  constructor(private readonly layoutNotes: readonly Note[]) {}

  /** What a batch's builds consumed, reached and could not compose. */
  composed(batch: BatchSummary): void {
    for (const file of batch.consumed) this.consumed.add(file);
    for (const file of batch.reached) this.reached.add(file);
    for (const note of batch.notes) {
      const key = `${note.file}\0${note.message}`;
      if (this.notes.length < MAX_BUILD_NOTES && !this.noted.has(key)) (this.noted.add(key), this.notes.push(note));
    }
    this.uncomposed.push(...batch.uncomposed);
  }

  /**
   * A batch's findings (one per fingerprint, their fixes proven on its builds), each build's (`byBuild`), and each
   * base build's, of the same roots.
   */
  reviewed(findings: readonly Finding[], byBuild: readonly Finding[], baseByBuild: readonly Finding[]): void {
    for (const finding of findings) {
      const fix = JSON.stringify(finding.fix ?? null);
      const members = finding.fix?.rendered?.members;
      if (members) this.groups.push(members);
      if (!this.findings.has(finding.fingerprint)) {
        this.findings.set(finding.fingerprint, finding);
        this.fixes.set(finding.fingerprint, fix);
      } else if (this.fixes.get(finding.fingerprint) !== fix) this.unsettled.add(finding.fingerprint);
    }
    const pairs = (found: readonly Finding[]) => found.map((f) => [f.build, f.fingerprint] as const);
    for (const fingerprint of newInSomeGroup(pairs(byBuild), pairs(baseByBuild))) this.newSomewhere.add(fingerprint);
    for (const finding of baseByBuild) this.atBase.add(finding.fingerprint);
  }

  /** Changed files behind the cut of the plan (past MAX_ROOTS), said after the builds' own. */
  cut(behind: readonly UncomposedPart[]): void {
    this.uncomposed.push(...behind);
  }

  result(): { findings: Finding[]; existed: string[]; consumed: string[]; reached: string[]; notes: Note[]; uncomposed: UncomposedPart[] } {
    const unproven = this.unprovenFingerprints();
    const findings = [...this.findings.values()].map((finding) => (finding.fix && unproven.has(finding.fingerprint) ? { ...finding, fix: shownOnly(finding.fix) } : finding));
    return {
      findings,
      // In some build at base, and new in none at head: each build is judged against itself at base.
      existed: [...this.atBase].filter((fingerprint) => !this.newSomewhere.has(fingerprint)),
      consumed: [...this.consumed],
      reached: [...this.reached],
      notes: [...this.layoutNotes, ...this.notes],
      uncomposed: withoutRepeats(this.uncomposed),
    };
  }

  /** The unsettled fingerprints and every one proven in a group with one, in any batch. */
  private unprovenFingerprints(): Set<string> {
    const unproven = new Set(this.unsettled);
    for (let grew = unproven.size > 0; grew; ) {
      grew = false;
      for (const members of this.groups) {
        if (!members.some((fingerprint) => unproven.has(fingerprint))) continue;
        for (const fingerprint of members) if (!unproven.has(fingerprint)) (unproven.add(fingerprint), (grew = true));
      }
    }
    return unproven;
  }
}

/** A fix shown, not offered: neither its own edits nor its group's nor a placed one. */
function shownOnly(fix: Fix): Fix {
  return {
    ...fix,
    applicability: 'display',
    edits: [],
    ...(fix.rendered ? { rendered: { ...fix.rendered, edit: null } } : {}),
    ...(fix.placed ? { placed: { ...fix.placed, edit: null } } : {}),
  };
}
