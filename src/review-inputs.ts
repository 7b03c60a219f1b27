// What of a change Warden reads (src/review.ts starts from here): the changed files the config admits, with what
// GitOps sources and renames deploy anew, their texts within the limits, and what besides its manifests a
// kustomization may read (JSON, the files its generators read).
import { sameRepository } from './common/repository-url.js';
import type { Pause } from './common/pace.js';
import { deploysFromThisRepository, generatedSourcesReading, gitOpsDeployed, gitRepositoriesIn, type GitOpsDeployment } from './gitops-deployed.js';
import type { NotReviewed } from './fail-closed.js';
import type { RepositoryIndex, RepositoryReader } from './engine/repository.js';
import { gitOpsSourcesReading, placingObjects } from './engine/kustomize.js';
import type { OtherChange } from './composed-review.js';
import { fileKind } from './formats/index.js';
import { isJsonManifest } from './formats/json-manifest.js';
import { chartTemplateTest } from './formats/templates.js';
import { checkText } from './formats/text.js';
import type { Note } from './model.js';
import type { ChangedFile, ReviewInput } from './review.js';

/** A changed file whose head text Warden reads. */
export type ReadableFile = ChangedFile & { headText: string };

export interface AdmittedChanges {
  /** The change's files, with those its GitOps sources and renames deploy anew (`deployedAnew`). */
  changedFiles: readonly ChangedFile[];
  /** Those reviewed: of a format Warden reads and admitted by the config (or chosen by the caller). */
  files: readonly ChangedFile[];
  /** Those whose text is read, within the limits; a chart's templates left out. */
  readable: readonly ReadableFile[];
  /** The changed templates of Helm charts: reviewed only as their chart renders them. */
  templates: ReadonlySet<string>;
  gitOps: GitOpsDeployment | null;
  /** Whether a GitOps source's URL is one of the repository's. */
  isThisRepository: (url: string) => boolean;
  /** Whether a GitOps source deploys from this repository (Flux names its GitRepository, not a URL). */
  deploysFromHere: ReturnType<typeof deploysFromThisRepository>;
}

/** A file's base text when Warden reads it (within the limits, not binary), else null: what it held is not known. */
export function readBase(f: { baseText?: string | null }): string | null {
  return typeof f.baseText === 'string' && 'text' in checkText(f.baseText) ? f.baseText : null;
}

/**
 * The changed files Warden reviews, and their texts. What cannot be read is not reviewed (`notReviewed`); a JSON file
 * that could not be read is only noted.
 */
export async function admitChanges(
  input: ReviewInput,
  admitted: (path: string) => boolean,
  { notReviewed, notes, pause }: { notReviewed: NotReviewed; notes: Note[]; pause: Pause },
): Promise<AdmittedChanges> {
  // Other JSON than Kubernetes manifests is not Warden's: skipped quietly. One that could not be read is noted, not
  // failed: what it holds is unknown, and most JSON (a lock file, a dashboard) is not a manifest.
  const isOurs = (f: ChangedFile) => {
    if (fileKind(f.path) !== 'json') return true;
    if (f.headText === null) notes.push({ file: f.path, message: `not read (${f.unreadable ?? 'it could not be read'}); a JSON file is reviewed only when it holds a Kubernetes manifest` });
    return f.headText !== null && isJsonManifest(f.headText);
  };
  // A GitOps source from one of the repository's URLs (RepositoryIndex.urls) deploys its files; none known: no source does.
  const isThisRepository = sameRepository(input.repository?.urls ?? []);
  // What an Argo CD source the change adds or points elsewhere deploys anew: reviewed whole, every finding new.
  // Flux names its source, not its URL: the GitRepositories of the repository and of the change tell which it is.
  const gitRepositories = [...(input.repository?.resources ?? []).filter((r) => r.kind === 'GitRepository'), ...gitRepositoriesIn(input.files)];
  const deploysFromHere = deploysFromThisRepository(isThisRepository, gitRepositories);
  const gitOps = input.reader && !input.selected ? await gitOpsDeployed(input.files, input.reader, { isThisRepository, admitted, gitRepositories }) : null;
  const changedFiles = movedIntoDeployment(gitOps?.files ?? input.files, input.repository, isThisRepository);
  const files = (input.selected ? changedFiles.filter((f) => fileKind(f.path) !== null) : changedFiles.filter((f) => admitted(f.path))).filter(isOurs);
  for (const f of files) if (f.headText === null) notReviewed(f.path, f.unreadable ?? 'it could not be read');
  for (const { file, reason, line } of gitOps?.refused ?? []) notReviewed(file, reason, line);
  // Size and binary content are checked here too, so every caller gets the same limits (src/engine/limits.ts).
  const read: ReadableFile[] = [];
  for (const f of files) {
    await pause();
    if (f.headText === null) continue;
    const checked = checkText(f.headText);
    if ('skipped' in checked) notReviewed(f.path, checked.skipped);
    else read.push({ ...f, headText: checked.text, baseText: readBase(f) });
  }
  // A Helm chart's templates are never scanned as YAML: rendered with their chart (src/render/charts.ts), or else a
  // finding says so.
  const templates = await chartTemplates(read, files, input.reader);
  const readable = templates.size > 0 ? read.filter((f) => !templates.has(f.path)) : read;
  return { changedFiles, files, readable, templates, gitOps, isThisRepository, deploysFromHere };
}

/**
 * Changed JSON that holds no manifest is not scanned, but a kustomization may read it (an `openapi` schema, a
 * transformer config): composition is told of it, and fails closed where one does. As for a chart's files, only
 * `paths.exclude` leaves one out: JSON is not among the default `paths.include`, yet kustomize reads it.
 */
export function kustomizeJsonInputs(changedFiles: readonly ChangedFile[], excluded: (path: string) => boolean): ReadableFile[] {
  return changedFiles.flatMap((f) => {
    if (fileKind(f.path) !== 'json' || excluded(f.path) || typeof f.headText !== 'string' || isJsonManifest(f.headText)) return [];
    const checked = checkText(f.headText);
    return 'text' in checked ? [{ ...f, headText: checked.text, baseText: readBase(f) }] : [];
  });
}

/**
 * Changed files of other names (an env file, a properties file) a kustomization's generator may read: composed as
 * changed when one does, so what it generates is reviewed (their texts read there when not at hand). Neither the
 * files reviewed already (`reviewed`) nor those the change deletes.
 */
export function changesGeneratorsMayRead(
  changedFiles: readonly ChangedFile[],
  reviewed: readonly { path: string }[],
  { written, writtenPatches }: Pick<ReviewInput, 'written' | 'writtenPatches'>,
  removed: readonly { path: string }[],
  excluded: (path: string) => boolean,
): OtherChange[] {
  const reviewedPaths = new Set(reviewed.map((f) => f.path));
  const removedPaths = new Set(removed.map((f) => f.path));
  const otherChanges = new Map<string, OtherChange>();
  for (const f of changedFiles) if (!reviewedPaths.has(f.path)) otherChanges.set(f.path, { path: f.path, headText: f.headText, ...(f.baseText !== undefined ? { baseText: f.baseText } : {}), ...(f.patch !== undefined ? { patch: f.patch } : {}) });
  for (const path of written ?? []) if (!reviewedPaths.has(path) && !otherChanges.has(path)) otherChanges.set(path, { path, patch: writtenPatches?.get(path) ?? null });
  return [...otherChanges.values()].filter((c) => !removedPaths.has(c.path) && !excluded(c.path));
}

/**
 * The changed files that are templates of a Helm chart (a `Chart.yaml` above their `templates/` folder, among the
 * changed files or in the repository) and hold template actions. The repository is listed only when a changed
 * file could be one.
 */
async function chartTemplates(readable: readonly ReadableFile[], files: readonly ChangedFile[], reader: RepositoryReader | undefined): Promise<Set<string>> {
  const candidates = readable.filter((f) => fileKind(f.path) === 'yaml' && f.path.split('/').includes('templates') && f.headText.includes('{{'));
  if (candidates.length === 0) return new Set();
  const listed = reader ? await reader.paths() : [];
  const isTemplate = chartTemplateTest([...files.map((f) => f.path), ...listed]);
  return new Set(candidates.filter((f) => isTemplate(f.path)).map((f) => f.path));
}

/**
 * The files a rename moves into a folder a GitOps source of this repository deploys as plain manifests (the
 * repository index's Argo CD Applications and Flux Kustomizations) when no such source deployed them where they were:
 * an examples file moved into a deployed folder is deployed anew, whatever its findings were at its old path.
 * Reviewed whole, every finding new, as a file a new source deploys is (src/gitops-deployed.ts).
 */
function movedIntoDeployment(files: readonly ChangedFile[], repository: RepositoryIndex | undefined, isThisRepository: (url: string) => boolean): readonly ChangedFile[] {
  if (!repository || !files.some((f) => f.previousPath !== undefined && typeof f.baseText === 'string')) return files;
  const ofKind = (...kinds: string[]) => repository.resources.filter((r) => kinds.includes(r.kind));
  const placers = placingObjects(ofKind('Kustomization'), ofKind('Application', 'ApplicationSet', 'GitRepository'), { isThisRepository, root: repository.root ?? '.' });
  const appSets = ofKind('ApplicationSet');
  const reading = (path: string) => [...gitOpsSourcesReading(path, placers), ...generatedSourcesReading(path, appSets, isThisRepository)];
  return files.map((f) => {
    if (f.previousPath === undefined || typeof f.baseText !== 'string') return f;
    const before = new Set(reading(f.previousPath));
    const anew = reading(f.path).filter((by) => !before.has(by));
    if (anew.length === 0) return f;
    const how = anew.map((by) => `by ${by}, which deploys its folder, where this change moves it from \`${f.previousPath}\``);
    return { ...f, baseText: null, patch: null, deployedAnew: [...(f.deployedAnew ?? []), ...how] };
  });
}
