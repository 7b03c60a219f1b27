// What a review could not review, and where it fails closed: each file (or part of one) becomes a
// `warden/not-reviewed` finding that gates. The whole file (its first reason), or each part of it (`line`: what that
// line adds; the rest was reviewed, and keeps its findings): one part acknowledged must not hide another.
import type { Config } from './config.js';
import type { CompositionReview, GeneratorInput } from './composed-review.js';
import { rangeTouches, type PatchLines } from './diff.js';
import { type ScannedFile } from './engine/run.js';
import { notReviewedFinding, partAcknowledged } from './engine/meta-findings.js';
import { Suppressions } from './engine/suppressions.js';
import type { DeploysFrom, Finding, Note, Range } from './model.js';
import type { ChangedFile } from './review.js';

export type NotReviewed = (file: string, reason: string, line?: number) => void;

export class Unreviewed {
  private readonly parts = new Map<string, { reason: string; line?: number }[]>();
  /**
   * Texts of files the change does not touch where a part not reviewed is said (a chart's dependency entry), for an
   * acknowledgement above it.
   */
  private readonly unchangedTexts = new Map<string, string>();

  add(file: string, reason: string, line?: number): void {
    // The finding says itself that the file was not reviewed: a reason's own closing words to that effect go.
    const entry = { reason: reason.replace(/^not reviewed: /, '').replace(/:? (?:its change is |the change of its commit is )?not reviewed$/, ''), line };
    const known = this.parts.get(file) ?? [];
    if (known.some((e) => e.line === undefined)) return;
    if (line === undefined) this.parts.set(file, [entry]);
    else if (!known.some((e) => e.line === line)) this.parts.set(file, [...known, entry]);
  }

  /** A file the change does not touch, where a part is said: an acknowledgement may sit above it. */
  saidIn(file: string, text: string): void {
    this.unchangedTexts.set(file, text);
  }

  /** Whether nothing of the file was reviewed. */
  isWhole(file: string): boolean {
    return this.parts.get(file)?.some((e) => e.line === undefined) === true;
  }

  /**
   * The findings, by file and line. What was not reviewed of a file that was (what another tool renders, a
   * kustomization entry) may be acknowledged with a suppression above its line (in `texts`, the changed files' own),
   * under the policy of any suppression; a whole file not reviewed may not (the comment would sit in what Warden
   * could not read).
   */
  findings(config: Config, texts: ReadonlyMap<string, string>): Finding[] {
    const acknowledged = (file: string, line: number | undefined) => {
      const text = line === undefined ? undefined : (texts.get(file) ?? this.unchangedTexts.get(file));
      return text === undefined ? null : partAcknowledged(Suppressions.of(text), line!);
    };
    return [...this.parts]
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([file, parts]) => [...parts].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).map(({ reason, line }) => ({ ...notReviewedFinding(file, reason, config, line), suppressed: acknowledged(file, line), preExisting: false })));
  }
}

/**
 * What a file deploys that Warden cannot see (a module it does not fetch, a chart Argo CD or Flux renders:
 * `ParsedFile.unseen`) is not reviewed where the change touches it; elsewhere it stays a note: the change did not
 * add it. A part that only an edit makes select something else (`whenEdited`) is not reviewed where a change to a
 * file that `existed` (had a text before) writes it, and is nothing otherwise; and, when the review follows the GitOps
 * sources a change adds (`followed`: src/gitops-deployed.ts), where the change adds one it did not follow (inside a
 * `List`, a templated path outside an ApplicationSet, a Flux GitRepository not found): what that deploys nobody
 * reviewed. Said once per source there, at its first such part.
 */
export function failClosedOnUnseen(
  files: readonly ScannedFile[],
  patches: ReadonlyMap<string, PatchLines>,
  existed: ReadonlySet<string>,
  isThisRepository: (from: DeploysFrom) => boolean,
  /** Sources whose folder was followed, by file (src/gitops-deployed.ts): what they select was reviewed. Null: none was looked for. */
  followed: ReadonlyMap<string, readonly Range[]> | null,
  notReviewed: NotReviewed,
  notes: Note[],
): void {
  const added = new Set<string>();
  for (const f of files) {
    const changed = patches.get(f.file)?.changed;
    for (const { lines, reason, whenEdited, from, overFolder } of f.unseen ?? []) {
      // A part that deploys from a repository counts as selecting or applied over its folder (this one) or as unseen
      // (another): not both.
      if (from !== undefined && isThisRepository(from) !== (whenEdited === true || overFolder === true)) continue;
      if (whenEdited) {
        if (followed?.get(f.file)?.some((source) => source.startLine <= lines.endLine && lines.startLine <= source.endLine)) continue;
        // Written by the change, not beside a line it removed: the setting itself was edited.
        const written = patches.get(f.file)?.added;
        if (!written || !rangeTouches(lines, written)) continue;
        if (existed.has(f.file)) notReviewed(f.file, reason, lines.startLine);
        else if (followed !== null && !added.has(`${f.file}\0${reason}`) && added.add(`${f.file}\0${reason}`)) notReviewed(f.file, reason, lines.startLine);
        continue;
      }
      if (!changed || rangeTouches(lines, changed)) notReviewed(f.file, reason, lines.startLine);
      else notes.push({ file: f.file, message: `line ${lines.startLine}: not reviewed, ${reason}` });
    }
  }
}

/**
 * What Kustomize composition could not review fails closed. A changed file composition took over (so it is not
 * reviewed alone) whose content reached no composed object (a patch that targets nothing, an operation that
 * stopped, a build cut short) was not reviewed; nor was every file a composition that could not finish may own.
 * What a kustomization adds that could not be composed (a base that is not there, a build cut at a bound) is not
 * reviewed when the change touches the entry that adds it (or the file, for a bound), nor when the change broke it
 * by deleting what it lists, wherever the kustomization is; otherwise it stays a note: the change did not add it.
 * Returns the files composition took over.
 */
export function failClosedOnComposition(
  kustomize: CompositionReview & { unfinished?: string[]; inputs?: readonly GeneratorInput[] },
  readable: readonly ChangedFile[],
  patches: ReadonlyMap<string, PatchLines>,
  removed: readonly { path: string }[],
  notReviewed: NotReviewed,
  notes: Note[],
  /** The repository's git submodules: a path in one is not missing, it is another repository's. */
  submodules: ReadonlySet<string>,
): Set<string> {
  const consumed = new Set(kustomize.consumed);
  const reached = new Set(kustomize.reached);
  for (const path of kustomize.unfinished ?? []) notReviewed(path, `Kustomize composition of this change did not finish (${kustomize.failed})`);
  const inputs = kustomize.inputs ?? [];
  const reviewedPaths = new Set([...readable, ...inputs].map((f) => f.path));
  const deleted = (path: string) => removed.some((f) => f.path === path || f.path.startsWith(`${path}/`));
  for (const uncomposed of kustomize.uncomposed) {
    // What an uncomposed part reads (a transformer config, a values file, a file behind a cut build): not reviewed
    // where the change touches it; untouched, the kustomization's own entry says it.
    if (uncomposed.input !== undefined) {
      for (const path of reviewedPaths) {
        if (uncomposed.input === 'file' ? path === uncomposed.file : path.startsWith(`${uncomposed.file}/`)) notReviewed(path, uncomposed.message);
      }
      continue;
    }
    const module = uncomposed.missing === undefined ? undefined : [...submodules].find((m) => uncomposed.missing === m || uncomposed.missing!.startsWith(`${m}/`));
    const part = module === undefined ? uncomposed : { ...uncomposed, message: `\`${uncomposed.missing}\` is in git submodule \`${module}\`, another repository's files, which Warden does not read (as it fetches no remote base): what it adds was not composed` };
    const changed = patches.get(part.file)?.changed;
    const touched = !changed || !part.lines || rangeTouches(part.lines, changed);
    const broke = part.missing !== undefined && deleted(part.missing);
    if ((reviewedPaths.has(part.file) && touched) || broke) notReviewed(part.file, broke ? `${part.message} (this change deletes \`${part.missing}\`)` : part.message, part.lines?.startLine ?? 1);
    else notes.push({ file: part.file, message: part.message });
  }
  for (const f of readable) {
    if (!consumed.has(f.path) || reached.has(f.path)) continue;
    const why = kustomize.notes.filter((n) => n.file === f.path).map((n) => n.message);
    notReviewed(f.path, `Kustomize composes this file, but nothing in it reached a composed object${why.length > 0 ? ` (${why.join('; ')})` : ''}`);
  }
  // A file a generator reads is reviewed only in what it generates: when nothing was generated from it (it could not
  // be read, the generator was not composed), its change was not reviewed.
  for (const f of inputs) {
    if (reached.has(f.path)) continue;
    notReviewed(f.path, f.headText === null ? 'a kustomization\'s generator reads this file, which could not be read: what it generates was not composed' : 'a kustomization\'s generator reads this file, but nothing generated from it was composed');
  }
  return consumed;
}

