// The charts a change touches, as the repository index held them before it (src/render/chart-index.ts): what a
// chart deployed whatever values file installed it. A change to a values file or a template can take such an object
// away from the files it does not touch (a default-deny policy the chart no longer deploys in every install), and
// src/lost-protections.ts judges that from these objects as it judges a plain manifest's.
import type { Config } from './config.js';
import { filesBelow, skipUnreadable, type RepositoryIndex, type RepositoryReader } from './engine/repository.js';
import { INDEXED_KINDS } from './engine/repository-index.js';
import type { ChangedBefore } from './lost-protections.js';
import type { Note, Resource } from './model.js';
import { chartIndexer, chartInstallsOf } from './render/chart-index.js';
import { chartRootOf } from './formats/templates.js';
import { indexChartPooled, parseForIndexPooled } from './worker/pooled.js';
import { chartFile } from './render/chart-file.js';

export interface ChartsBefore {
  /** The objects the touched charts' templates deployed before the change. */
  was: Resource[];
  /** Those templates, each as it was and is (`chart`: its chart's folder). */
  files: ChangedBefore[];
  /** The touched charts judged (their folders): what their templates deploy after the change is in the index. */
  roots: string[];
  notes: Note[];
}

/** A file the change adds: its patch's only hunk starts from nothing. */
function added(file: { patch?: string | null }): boolean {
  return typeof file.patch === 'string' && /^@@ -0,0 \+/m.test(file.patch) && (file.patch.match(/^@@ /gm) ?? []).length === 1;
}

/**
 * `files`: every file of the change (a chart's templates included), with its text at base (null: added); only a
 * change has a before (a whole-file scan, without patches, has none). `removed`: the files it deletes, as they were.
 */
export async function chartsBefore(
  files: readonly { path: string; headText: string | null; baseText?: string | null; patch?: string | null }[],
  removed: readonly { path: string; baseText: string | null }[],
  reader: RepositoryReader,
  config: Config,
  /** The repository index: its GitOps sources' installs of a chart are rendered as the index renders them. */
  repository: Pick<RepositoryIndex, 'resources' | 'urls'> = { resources: [] },
): Promise<ChartsBefore> {
  const none: ChartsBefore = { was: [], files: [], roots: [], notes: [] };
  const changed = files.filter((f) => f.patch !== undefined);
  if (changed.length === 0 && removed.length === 0) return none;
  // A listing that fails stops the review (fail closed): without it, what the change took away is not judged.
  const paths = await reader.paths();
  const rootOf = chartRootOf([...paths, ...removed.map((r) => r.path)]);
  const result: ChartsBefore = { was: [], files: [], roots: [], notes: [] };
  // The charts GitOps sources installed as they were, and those whose installs the change changes.
  const installs = await installsBefore(changed, removed, repository, result.notes);
  const reinstalled = new Map([...installs.changedBy].filter(([folder]) => rootOf(`${folder}/Chart.yaml`) === folder));
  const touched = [...new Set([...changed.map((f) => f.path), ...removed.map((r) => r.path)].flatMap((p) => rootOf(p) ?? []).concat([...reinstalled.keys()]))].sort();
  if (touched.length === 0) return none;
  const changedAt = new Map(changed.map((f) => [f.path, f]));
  const removedAt = new Map(removed.map((r) => [r.path, r.baseText]));
  // A file the change does not touch is the same before and after it. One Warden does not read is left out, and
  // said; a read that fails stops the review, or the chart's render as it was (said too).
  const unreadable = new Set<string>();
  const unread = (path: string, why: string) => {
    if (!unreadable.has(path) && unreadable.add(path)) result.notes.push({ file: path, message: `not read (${why}): the chart is judged as it was without it` });
  };
  const unchanged = (path: string) => reader.read(path).catch(skipUnreadable((error) => unread(path, error.reason)));
  const atBase = (path: string): Promise<string | null> =>
    changedAt.has(path) ? Promise.resolve(changedAt.get(path)!.baseText ?? null) : removedAt.has(path) ? Promise.resolve(removedAt.get(path)!) : unchanged(path);
  const atHead = (path: string): Promise<string | null> =>
    changedAt.has(path) ? Promise.resolve(changedAt.get(path)!.headText) : removedAt.has(path) ? Promise.resolve(null) : unchanged(path);
  const index = chartIndexer(config, [...INDEXED_KINDS], indexChartPooled, repository.urls ?? []);
  for (const root of touched) {
    const prefix = root === '.' ? '' : `${root}/`;
    const atHeadNow = await filesBelow(reader, root, paths);
    // A changed file of the chart whose text before is unknown (not added, yet not read): the chart as it was is too.
    const unknown = changed.find((f) => f.path.startsWith(prefix) && typeof f.baseText !== 'string' && !added(f));
    if (unknown) {
      result.notes.push({ file: unknown.path, message: 'not read as it was before the change: what the change took through its chart from the files it does not touch is not reviewed' });
      continue;
    }
    // Before: what is there now, less what the change added, plus what it deleted.
    const before = [...new Set([...atHeadNow.filter((p) => !(changedAt.has(p) && added(changedAt.get(p)!))), ...[...removedAt.keys()].filter((p) => p.startsWith(prefix))])];
    // A local dependency's folder as it is now, its files as they were.
    const indexed = await index(root, before, atBase, (dir) => filesBelow(reader, dir, paths), reader.readBytes?.bind(reader), installs.objects).catch((error: unknown) => ({ failed: (error as Error).message ?? String(error) }));
    if ('failed' in indexed) {
      result.notes.push({ file: `${prefix}Chart.yaml`, message: `not rendered as it was before the change (${indexed.failed}): what the change took from the files it does not touch through it is not reviewed` });
      continue;
    }
    // Each object with its template as it was and is (one that cannot be read again is left out with its objects).
    const known = new Set<string>();
    for (const template of new Set(indexed.resources.map((r) => r.file))) {
      const [baseText, headText] = await Promise.all([atBase(template), atHead(template)]);
      if (baseText === null) continue;
      known.add(template);
      result.files.push({ path: template, baseText, headText, chart: root, ...(reinstalled.has(root) ? { installedBy: reinstalled.get(root)! } : {}) });
    }
    result.was.push(...indexed.resources.filter((r) => known.has(r.file)));
    result.roots.push(root);
  }
  return result;
}

/** A file that may hold a GitOps object installing a chart (src/render/gitops-installs.ts reads them). */
const INSTALLING = /\b(?:Application|ApplicationSet|HelmRelease|GitRepository)\b/;

/**
 * The GitOps objects as they were before the change (the index's, with those of the changed and deleted files as
 * they were), and by chart folder the files whose change changes how GitOps installs it: an Application, an
 * ApplicationSet or a HelmRelease edited, added or deleted so that its installs of the chart differ, or a values file
 * outside the chart an install lists. Without the repository's URLs no install is known to be of this repository.
 */
async function installsBefore(
  changed: readonly { path: string; headText: string | null; baseText?: string | null; patch?: string | null }[],
  removed: readonly { path: string; baseText: string | null }[],
  repository: Pick<RepositoryIndex, 'resources' | 'urls'>,
  notes: Note[],
): Promise<{ objects: readonly Resource[]; changedBy: Map<string, string[]> }> {
  const urls = repository.urls ?? [];
  const changedBy = new Map<string, string[]>();
  if (urls.length === 0) return { objects: repository.resources, changedBy };
  const sides = [...changed.map((f) => ({ path: f.path, base: f.baseText, head: f.headText, known: typeof f.baseText === 'string' || added(f) })), ...removed.map((r) => ({ path: r.path, base: r.baseText, head: null, known: r.baseText !== null }))];
  const installing = sides.filter((f) => INSTALLING.test(f.base ?? '') || INSTALLING.test(f.head ?? ''));
  // One whose text before is unknown is taken as it is now: what its change did to the installs is not judged (said).
  for (const f of installing.filter((f) => !f.known)) notes.push({ file: f.path, message: 'not read as it was before the change: what it took, through the charts it installs, from the files it does not touch is not reviewed' });
  const asWas = installing.filter((f) => f.known);
  const was = await Promise.all(asWas.map((f) => (typeof f.base === 'string' ? parseForIndexPooled(f.path, f.base).catch(() => null) : Promise.resolve({ resources: [] }))));
  was.forEach((parsed, i) => parsed === null && notes.push({ file: asWas[i]!.path, message: 'not parsed as it was before the change: what it took, through the charts it installs, from the files it does not touch is not reviewed' }));
  const replaced = new Set(asWas.filter((_, i) => was[i] !== null).map((f) => f.path));
  // No GitOps file changed: the installs before are the index's own, made once.
  const objects = replaced.size === 0 ? repository.resources : [...repository.resources.filter((r) => !replaced.has(r.file)), ...was.flatMap((parsed) => parsed?.resources ?? [])];
  // After the change, the index's own (made once for it); before, its objects with the changed files' as they were.
  const [before, after] = [chartInstallsOf(objects, urls), chartInstallsOf(repository.resources, urls)];
  const touched = new Set(sides.map((f) => f.path));
  for (const folder of new Set([...before.keys(), ...after.keys()])) {
    const [then, now] = [before.get(folder) ?? [], after.get(folder) ?? []];
    const by = [...new Set([...then, ...now].flatMap((install) => [...install.values.map((rel) => chartFile(folder, rel)), ...(install.inline ? [install.inline.file] : [])]).filter((path) => touched.has(path)))];
    const sources = JSON.stringify(then) === JSON.stringify(now) ? [] : [...replaced].filter((path) => [...then, ...now].some((install) => install.by.includes(`\`${path}\``)));
    if (by.length > 0 || sources.length > 0) changedBy.set(folder, [...new Set([...sources, ...by])].sort());
  }
  return { objects, changedBy };
}

/**
 * The templates of the judged charts that deploy something after the change but nothing before it (a binding the
 * change adds to a chart): touched too, as a new file is, with no text before.
 */
export function chartsAfter(charts: Pick<ChartsBefore, 'files' | 'roots'>, after: readonly Resource[]): ChangedBefore[] {
  const known = new Set(charts.files.map((f) => f.path));
  const rootOf = (file: string) => charts.roots.find((root) => root === '.' || file.startsWith(`${root}/`));
  const fresh = new Map<string, ChangedBefore>();
  for (const { file } of after) {
    const chart = known.has(file) || fresh.has(file) ? undefined : rootOf(file);
    if (chart !== undefined) fresh.set(file, { path: file, baseText: '', headText: '', chart });
  }
  return [...fresh.values()];
}
