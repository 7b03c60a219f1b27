// A composition reviewed in batches of roots (src/composed-review.ts), put back together as if it had been reviewed
// whole: a batch's builds are let go before the next is composed, so memory stays bounded by a batch however many
// roots a change reaches. Builds never span batches, so what is judged per build (new or not, made otherwise) is
// exact; what spans builds is merged here: a finding several batches found is reported once, as the first found it,
// with the fix that batch proved, which every later batch that builds a file it edits proves again on its own builds
// (src/composed-fixes.ts `proveAgain`): a fix that does not hold in one of them is shown, not offered.
import { newInSomeGroup } from './engine/made-otherwise.js';
import type { UncomposedPart } from './compose/kustomize.js';
import { withoutRepeats } from './compose/index.js';
import type { ProvenFix } from './composed-fixes.js';
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
  private readonly uncomposed: UncomposedPart[] = [];
  private readonly findings = new Map<string, Finding>();
  /** The fixes the batches proved, for the later ones to prove again. */
  readonly proven: ProvenFix[] = [];
  /** Fingerprints whose fix a later batch's builds did not prove again. */
  private readonly unproven = new Set<string>();
  /** The first members of fixes whose placed variant a later batch did not prove again. */
  private readonly unplaced = new Set<string>();
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

  /** Whether an earlier batch found it: its fix is that batch's, proven again here (`proveAgain`), not this one's. */
  found(fingerprint: string): boolean {
    return this.findings.has(fingerprint);
  }

  /**
   * A batch's findings no earlier batch found (one per fingerprint) and the fixes it proved of them; the earlier
   * batches' fixes its builds did not prove again; each build's findings (`byBuild`), and each base build's, of the
   * same roots.
   */
  reviewed(fresh: readonly Finding[], proven: readonly ProvenFix[], notAgain: ReadonlySet<ProvenFix>, byBuild: readonly Finding[], baseByBuild: readonly Finding[]): void {
    for (const finding of fresh) this.findings.set(finding.fingerprint, finding);
    this.proven.push(...proven);
    for (const fix of notAgain) {
      if (fix.placed) this.unplaced.add(fix.findings[0]!.fingerprint);
      else for (const finding of fix.findings) this.unproven.add(finding.fingerprint);
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
    const findings = [...this.findings.values()].map((finding) => {
      if (!finding.fix) return finding;
      if (this.unproven.has(finding.fingerprint)) return { ...finding, fix: shownOnly(finding.fix) };
      if (this.unplaced.has(finding.fingerprint) && finding.fix.placed) return { ...finding, fix: { ...finding.fix, placed: { ...finding.fix.placed, edit: null } } };
      return finding;
    });
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
