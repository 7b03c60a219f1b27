// Kustomize in a review: the kustomizations that build the changed files are composed (src/compose) at head and
// at base, and the composed objects are reviewed. One is changed when a line of any file that built it is (its
// manifest, a patch, a kustomization entry); the baseline is the same composition with the changed files as
// they were at base. Composition and the rules run in the worker pool, as a scan does: the main thread only
// reads files for it, so the server stays responsive during a big review.
import { unreadFor } from '../rules/index.js';
import { posix } from 'node:path';
import type { Config } from './config.js';
import type { AnyRule } from './engine/define-rule.js';
import { skipUnreadable, type RepositoryIndex, type RepositoryReader } from './engine/repository.js';
import { evaluate } from './engine/run.js';
import { keysMadeOtherwise } from './engine/made-otherwise.js';
import { composePlanned, planComposition, type Composed } from './compose/index.js';
import { ComposedBatches } from './composed-batches.js';
import type { DocumentCache } from './compose/sources.js';
import type { ReadText, UncomposedPart } from './compose/kustomize.js';
import { fileKind } from './formats/index.js';
import { isKustomizationFile } from './formats/kustomization-file.js';
import { checkText } from './formats/text.js';
import type { Finding, Note, ParsedFile, Resource } from './model.js';
import { keepRebuiltResults } from './engine/fix-groups.js';
import { proofBudget, proveAgain, proveComposedFixes } from './composed-fixes.js';
import { patchLines, type PatchLines } from './diff.js';
import { layoutNaming } from './compose/layout.js';
import { inflateChart } from './render/kustomize-charts.js';
import { reviewCompositionPooled } from './worker/pooled.js';
// A listing or a read that fails, to learn which kustomizations read the changed files of other names, stops the
// review (fail closed), saying what could not be learned, as it does there.
import { failing } from './unread-deployed.js';

/** A changed file as composition sees it: its texts, and the lines the change touches (null: all of them). */
export interface CompositionChange {
  path: string;
  headText: string;
  /** Null: the file is new (or unreadable at base). */
  baseText: string | null;
  lines: number[] | null;
  /**
   * The head lines after which the change removed lines: a fix of a composed object in this file is also rendered
   * with the keys it sets placed there (where the pull request removed them), for a suggestion inside the diff.
   */
  removals?: number[];
}

export interface CompositionRequest {
  /** Every path of the repository that the config admits. */
  paths: string[];
  changed: CompositionChange[];
  /** Whether there is a base revision to compare with (a baseline is composed). */
  hasBase: boolean;
  /**
   * Files the change deletes, with their base text: the kustomizations that list one are composed (one that still
   * does cannot be built) and read it at base for the baseline.
   */
  removed?: { path: string; baseText: string | null }[];
}

/**
 * A changed file the review does not read as a manifest (`app.env`, `settings.properties`, a JSON config), which a
 * kustomization's generator may read as data; its texts and patch when the caller has them (the command line),
 * else read here (the App lists only a path).
 */
export interface OtherChange {
  path: string;
  headText?: string | null;
  baseText?: string | null;
  patch?: string | null;
}

/** A changed file a kustomization's generator reads, composed as changed: its head text (null: it could not be read). */
export interface GeneratorInput {
  path: string;
  headText: string | null;
  patch: string | null;
}

/** What a composed review gives back: plain data, so that it can come from a worker. */
export interface CompositionReview {
  findings: Finding[];
  /** Fingerprints of the findings of the same composition at base. */
  existed: string[];
  /** Manifests, patch files and generators' files composition took over: reviewed through the composed objects, not alone. */
  consumed: string[];
  /** Files whose content reached a composed object (or removed one on purpose). */
  reached: string[];
  notes: Note[];
  /** What the kustomizations add that could not be composed (a missing base): not reviewed where the change touches it. */
  uncomposed: UncomposedPart[];
  /** Why composition could not finish (a time limit, a worker that died): the files it may own fail closed. */
  failed?: string;
}

export interface CompositionOptions {
  config: Config;
  rules: readonly AnyRule[];
  repository: RepositoryIndex;
}

/**
 * Roots composed and reviewed together, at most: a batch's builds are let go before the next is composed, so a change
 * that hundreds of overlays build is reviewed in the memory of a hundred (src/composed-batches.ts).
 */
export const ROOTS_PER_BATCH = 100;

/** Compose and review, in this thread: `readOther` reads the files that did not change. */
export async function reviewComposition(
  request: CompositionRequest,
  readOther: ReadText,
  options: CompositionOptions,
  /** `stepDone`: told after the plan and after each batch (the pool's clock starts again, src/worker/compose-task.ts). */
  { rootsPerBatch = ROOTS_PER_BATCH, stepDone }: { rootsPerBatch?: number; stepDone?: () => void } = {},
): Promise<CompositionReview> {
  const changed = new Map(request.changed.map((c) => [c.path, c]));
  const removed = new Map((request.removed ?? []).map((r) => [r.path, r.baseText]));
  const atHead: ReadText = (path) => (changed.has(path) ? Promise.resolve(changed.get(path)!.headText) : removed.has(path) ? Promise.resolve(null) : readOther(path));
  const atBase: ReadText = (path) => (changed.has(path) ? Promise.resolve(changed.get(path)!.baseText) : removed.has(path) ? Promise.resolve(removed.get(path)!) : readOther(path));
  const touched = new Set([...changed.keys(), ...removed.keys()]);
  // The kustomizations' parses, as the plans read them: each batch starts from these and parses what else it reads.
  const kustomizations: DocumentCache = new Map();
  const baseKustomizations: DocumentCache = new Map();
  // CustomResourceDefinitions are read only as far as their identity when no rule reads them (src/compose/index.ts).
  const unread = unreadFor(options.rules);
  const head = await planComposition(request.paths, touched, atHead, kustomizations);
  if (!head) return { findings: [], existed: [], consumed: [], reached: [], notes: [], uncomposed: [] };
  // A build is judged against the same root at base, when it was a root there: one that was not makes its findings new.
  const base = request.hasBase ? await planComposition(request.paths, touched, atBase, baseKustomizations) : null;
  const rootsAtBase = new Set(base?.roots ?? []);
  stepDone?.();
  const changedOf = new Map(request.changed.map((c) => [c.path, c.lines && new Set(c.lines)]));
  const removals = new Map(request.changed.flatMap((c) => (c.removals?.length ? [[c.path, c.removals] as const] : [])));
  const batches = new ComposedBatches(head.layout.notes);
  const budget = proofBudget();
  // No root at all is still one (empty) batch: a changed kustomization in a folder kustomize refuses is said so.
  for (let from = 0; from === 0 || from < head.roots.length; from += rootsPerBatch) {
    const roots = head.roots.slice(from, from + rootsPerBatch);
    // A batch's parses are let go with it (read whole where a finding is located, they outweigh the objects built):
    // a base several batches build is parsed by each. They are shared with the batch's proofs, which parse only the
    // files a fix edits.
    const documents: DocumentCache = new Map(kustomizations);
    const composed = await composePlanned(head, roots, request.paths, touched, atHead, documents, inflateChart, unread);
    batches.composed({ ...composed, reached: reachedFiles(composed) });
    if (composed.files.length === 0) {
      stepDone?.();
      continue;
    }
    const was = base ? await composePlanned(base, roots.filter((root) => rootsAtBase.has(root)), request.paths, touched, atBase, new Map(baseKustomizations), inflateChart, unread) : null;
    // An object a build makes otherwise than at base is changed, whichever line did it: a patch entry removed between
    // lines that build nothing leaves no changed line on the objects it hardened.
    const changedResources = was ? builtOtherwise(composed.files, was.files) : undefined;
    // Each build's findings, kept apart: a finding is known by where its value is written, which overlays share.
    const byBuild = evaluate(composed.files, changedOf, { ...options, perBuild: true, ...(changedResources ? { changedResources } : {}) }).findings;
    const { findings, buildOf } = onePerFingerprint(byBuild);
    // What an earlier batch found keeps the fix it proved there, proven again on these builds; the rest are this batch's.
    const site = { composed, read: atHead, options, documents, budget };
    const notAgain = await proveAgain(batches.proven, site);
    const fresh = findings.filter((f) => !batches.found(f.fingerprint));
    const proven = await proveComposedFixes(fresh, site, removals, buildOf);
    const everything = new Map<string, ReadonlySet<number> | null>([...(was?.read ?? [])].map((file) => [file, null]));
    batches.reviewed(fresh, proven, notAgain, byBuild, was ? evaluate(was.files, everything, { ...options, renderFixes: false, perBuild: true }).findings : []);
    stepDone?.();
  }
  batches.cut(head.behindCut);
  return batches.result();
}

/** The composed objects of `head` that the same build at base did not make the same (or did not make). */
function builtOtherwise(head: readonly ParsedFile[], base: readonly ParsedFile[]): Set<Resource> {
  const key = (file: ParsedFile, resource: Resource) => `${file.file}\0${resource.id}`;
  const objects = (files: readonly ParsedFile[]) => files.flatMap((file) => file.resources.map((resource) => [key(file, resource), resource.body] as const));
  const otherwise = keysMadeOtherwise(objects(head), objects(base));
  return new Set(head.flatMap((file) => file.resources.filter((resource) => otherwise.has(key(file, resource)))));
}

/** The first finding of each fingerprint (builds sharing a base find the same), without its build; and that build. */
function onePerFingerprint(byBuild: readonly Finding[]): { findings: Finding[]; buildOf: Map<string, string | undefined> } {
  const kept = new Map<string, Finding>();
  const buildOf = new Map<string, string | undefined>();
  for (const finding of byBuild) {
    if (kept.has(finding.fingerprint)) continue;
    const { build, ...rest } = finding;
    kept.set(finding.fingerprint, rest);
    buildOf.set(finding.fingerprint, build);
  }
  return { findings: [...kept.values()], buildOf };
}

function reachedFiles(composed: Composed): string[] {
  const reached = new Set(composed.deleting);
  for (const file of composed.files) for (const resource of file.resources) for (const c of resource.contributors ?? []) reached.add(c.file);
  return [...reached];
}

/**
 * The composed review of a change: the repository listed and read through `reader` (or, without one, only the
 * changed files), in the worker pool when it can be. Returns nothing composed when no kustomization is in reach.
 */
export async function reviewComposed(
  files: readonly { path: string; headText: string; baseText?: string | null; patch?: string | null }[],
  patches: ReadonlyMap<string, PatchLines>,
  reader: RepositoryReader | undefined,
  admitted: (path: string) => boolean,
  options: CompositionOptions,
  removed: readonly { path: string; baseText: string | null }[] = [],
  /** Changed files of other names, and the repository at base to read them there when their base text is not given. */
  others: { changes: readonly OtherChange[]; base?: RepositoryReader } = { changes: [] },
): Promise<CompositionReview & { existedSet: Set<string>; unfinished?: string[]; inputs: GeneratorInput[] }> {
  const none = { findings: [], existed: [], consumed: [], reached: [], notes: [], uncomposed: [], existedSet: new Set<string>(), inputs: [] };
  // Only YAML and JSON are composed or read by a kustomization, and what generators read: a change without any needs
  // no listing of the repository.
  if (![...files, ...removed].some((f) => fileKind(f.path) === 'yaml' || fileKind(f.path) === 'json') && others.changes.length === 0) return none;
  // A listing or a read that fails stops the review (fail closed): a patch reviewed as a whole object, without the
  // kustomization that builds it, is not what is deployed.
  const listed = reader ? await (others.changes.length > 0 ? failing(reader.paths(), 'the repository could not be listed') : reader.paths()) : files.map((f) => f.path);
  const paths = [...new Set([...listed, ...files.map((f) => f.path)])].filter(admitted);
  if (!paths.some(isKustomizationFile)) return none;
  // Each unchanged file is read once for both revisions, within the same size limits as a changed one. One Warden
  // does not read is none to the composition (which fails closed where an entry names it), and said with why.
  const texts = new Map<string, Promise<string | null>>();
  const unreadable: Note[] = [];
  const unread = (path: string, why: string) => unreadable.push({ file: path, message: `not read (${why}): a kustomization that names it is not composed` });
  const readOther: ReadText = (path) => {
    let text = texts.get(path);
    if (!text) {
      text = reader
        ? reader.read(path).then(
            (t) => {
              const checked = t === null ? null : checkText(t);
              if (checked && 'skipped' in checked) unread(path, checked.skipped);
              return checked && 'text' in checked ? checked.text : null;
            },
            skipUnreadable((error) => unread(path, error.reason)),
          )
        : Promise.resolve(null);
      texts.set(path, text);
    }
    return text;
  };
  const inputs = await generatorInputs(others, paths, readOther);
  const request: CompositionRequest = {
    paths,
    changed: [
      ...files.map((f) => ({
        path: f.path,
        headText: f.headText,
        baseText: typeof f.baseText === 'string' ? f.baseText : null,
        lines: patches.has(f.path) ? [...patches.get(f.path)!.changed] : null,
        ...(patches.get(f.path)?.removals.length ? { removals: patches.get(f.path)!.removals.map((r) => r.after) } : {}),
      })),
      // One that cannot be read is none to the composition: its generator fails closed, and so does the file.
      ...inputs.flatMap(({ headText, patch, ...change }) => (headText === null ? [] : [{ ...change, headText }])),
    ],
    hasBase: [...files, ...inputs].some((f) => typeof f.baseText === 'string' || f.patch !== undefined) || removed.length > 0,
    ...(removed.length > 0 ? { removed: [...removed] } : {}),
  };
  const composedInputs = inputs.map(({ path, headText, patch }) => ({ path, headText, patch: patch ?? null }));
  const review = await reviewCompositionPooled(request, readOther, options);
  // Not finished: every changed file it may own fails closed (it is not known which it would have taken over).
  if (review.failed !== undefined) return { ...none, failed: review.failed, unfinished: [...composableFiles(files.map((f) => f.path), paths), ...inputs.map((i) => i.path)] };
  // A proven composed edit is known as such by the fix planner, which would otherwise re-scan one file alone.
  // A member of a group proved only the group's edit, not its own.
  keepRebuiltResults(review.findings, 'alone');
  return { ...review, notes: [...review.notes, ...unreadable], existedSet: new Set(review.existed), inputs: composedInputs };
}

/**
 * The changed files of other names that a kustomization's generator reads (`envs`, `files`), or that are below the
 * folder of a chart its `helmCharts` inflate (a template, a helper), with their texts at
 * head and base (read here when not given: the App lists only their paths). Only the kustomizations whose text
 * names such a file (or holds an escape that could spell it) are parsed, here on the main thread, as
 * src/unread-deployed.ts does; their texts are read once for the composition too.
 */
async function generatorInputs(
  others: { changes: readonly OtherChange[]; base?: RepositoryReader },
  paths: readonly string[],
  read: ReadText,
): Promise<(Omit<CompositionChange, 'headText'> & { headText: string | null; patch?: string | null })[]> {
  if (others.changes.length === 0) return [];
  const layout = await layoutNaming(
    paths,
    others.changes.map((c) => c.path),
    (path) => failing(read(path), `\`${path}\` could not be read`),
  );
  const readByGenerators = new Set<string>();
  const charts = new Set<string>();
  for (const node of layout.kustomizations.values()) {
    for (const file of node.data) readByGenerators.add(file);
    for (const folder of node.charts) charts.add(folder);
  }
  const inChart = (path: string) => [...charts].some((folder) => path.startsWith(`${folder}/`));
  const checked = (text: string | null | undefined) => {
    const result = typeof text === 'string' ? checkText(text) : null;
    return result && 'text' in result ? result.text : null;
  };
  const inputs = await Promise.all(
    others.changes
      .filter((change) => readByGenerators.has(change.path) || inChart(change.path))
      .map(async (change) => {
        const headText = change.headText !== undefined ? checked(change.headText) : await read(change.path);
        // Not known at base (a failed read): taken as new, every finding in it new; never as unchanged.
        const baseText = change.baseText !== undefined ? checked(change.baseText) : others.base ? checked(await others.base.read(change.path).catch(() => null)) : null;
        const lines = typeof change.patch === 'string' ? patchLines(change.patch) : null;
        return {
          path: change.path,
          headText,
          baseText,
          lines: lines ? [...lines.changed] : null,
          ...(lines?.removals.length ? { removals: lines.removals.map((r) => r.after) } : {}),
          ...(change.patch !== undefined ? { patch: change.patch } : {}),
        };
      }),
  );
  // A chart's file Warden does not read as text (an icon) is left out of its render, as of the review.
  return inputs.filter((input) => input.headText !== null || readByGenerators.has(input.path));
}

/** The changed files a composition that did not finish may own: YAML in or below a folder with a kustomization. */
export function composableFiles(changed: readonly string[], paths: readonly string[]): string[] {
  const dirs = new Set(paths.filter(isKustomizationFile).map((p) => posix.dirname(p)));
  const within = (path: string) => {
    for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
      if (dirs.has(dir)) return true;
      if (dir === '.' || dir === '/' || dir === '') return false;
    }
  };
  return changed.filter((p) => fileKind(p) === 'yaml' && within(p));
}
