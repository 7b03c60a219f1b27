// What a GitOps source of this repository deploys anew (an Argo CD Application's or ApplicationSet's, a Flux
// Kustomization's). A source of a folder of this repository's manifests deploys that folder's files as they are
// written; one the change adds, or points at another folder, deploys them anew whatever the change does to them: an
// examples folder whose findings were pre-existing (nothing deployed it) is deployed now. Those files are reviewed
// whole, every finding new, where they are written (as a symbolic link's target is, src/repository/links.ts). A chart
// of this repository an Argo CD source installs anew (a folder with a Chart.yaml, or a Helm source Warden renders as
// Argo CD does: argoChartInstall) is handed to the chart review (`charts`), rendered with what the source installs.
// What Argo CD would make of the folder another way (Jsonnet), or a file of it Warden does not review (the config's
// paths), is not reviewed at the source.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { isMap, isScalar, type Node } from 'yaml';
import { readYamlDocuments } from './formats/yaml-documents.js';
import { repositoryKey } from './common/repository-url.js';
import { isRecord } from './common/path.js';
import { filesBelow, skipUnreadable, type RepositoryReader } from './engine/repository.js';
import { fileKind } from './formats/index.js';
import { argoFolder, argoSourceInstalls, argoSourcesOf, deploysFolderAsWritten, fillTemplate, generatorParameterSets, gitDirectories, fluxChartInstall, fluxSourceUrl, gitRepositoryUrl, installsRepository, isFluxKustomization, type ArgoChartInstall, type InlineForm } from './common/argo.js';
import type { BuildEnvironment } from './common/argo-environment.js';
import type { DeploysFrom, Path, Range } from './model.js';
import { releasesOf, withReleasesOf, type ChartDeployment, type Release } from './render/gitops-installs.js';
import { inlineValuesText } from './render/inline-values.js';
import type { ChangedFile } from './review.js';
import { KUSTOMIZATION_FILE_NAMES } from './formats/kustomization-file.js';

/** Files one change may deploy anew through its sources; past it, the sources are not reviewed (fail closed). */
export const MAX_DEPLOYED_FILES = 500;
/** Charts one change may install anew (each a whole render, its fixes proven); past it, none is (fail closed). */
export const MAX_DEPLOYED_CHARTS = 20;

export interface GitOpsDeployment {
  /** The change's files with those its sources deploy anew (`deployedAnew`). */
  files: ChangedFile[];
  /** The charts of this repository its Argo CD sources install anew, or with other values: rendered whole (src/render/charts.ts). */
  charts: ChartDeployment[];
  /** By the file that holds them, the lines of the sources that were followed: what they select is reviewed now. */
  followed: Map<string, Range[]>;
  /** What a source deploys that is not reviewed, said at the source. */
  refused: { file: string; line: number; reason: string }[];
}

/** Values a source sets itself: where, how written, what they are, and what fills them in (src/render/inline-values.ts). */
interface SetBySource {
  path: Path;
  form: InlineForm;
  value: unknown;
  fill?: Readonly<Record<string, string>>;
  environment?: BuildEnvironment;
}

/** A chart a source installs: its folder, its values files, and the values it sets itself (where, and what). */
interface SourceChart {
  folder: string;
  values: string[];
  ignoreMissing?: true;
  /** The values files are read in place of the chart's values.yaml (Flux). */
  withoutDefaults?: true;
  inline?: SetBySource;
  /** Helm parameters over `inline` (a text or an object). */
  parameters?: SetBySource;
  /** Its releases, where its source says their namespaces. */
  releases?: Release[];
}

interface Source {
  /** Which tool deploys it: Argo CD reads a folder's top (or all, recursing), Flux all below it. */
  tool: 'argo' | 'flux';
  /** The object and the source's place in it: the same source at base has the same key. */
  key: string;
  kind: string;
  name: string;
  repoURL: string;
  path: string;
  /** What selects the folder's files: compared with base to tell a source pointed elsewhere. */
  selects: string;
  recurse: boolean;
  /** Argo CD detects its type from the folder (it names none: no `directory` or `kustomize` settings). */
  detected?: true;
  include?: string;
  exclude?: string;
  lines: Range;
  /** An ApplicationSet's generators, and whether its template is a Go template: what fills a templated `path`. */
  generators?: { list: unknown[]; goTemplate: boolean };
  /** A Flux Kustomization, whose GitRepository gives `repoURL`. */
  kustomization?: { namespace: string | null; body: Record<string, unknown> };
  /** A Helm source Warden renders (argoSourceInstalls, fluxChartInstall): each chart it installs, of one repository. */
  charts?: SourceChart[];
  /** A Flux HelmRelease's GitRepository, which gives `repoURL`. */
  gitRepository?: { name: string; namespace: string | null };
}

const code = (value: unknown) => `\`${String(value)}\``;
// Only a file that holds such an object at the top of a document is parsed here, on the main thread: a CRD bundle
// (Argo CD's own install manifests name `kind: Application` indented, in its CRD) is not.
// A JSON manifest (`kubectl get -o json`) names its kind as `"kind": "Application"`, at any indentation.
const SOURCE_KINDS = /^kind:[ \t]*["']?(Application|ApplicationSet|Kustomization|HelmRelease)["']?[ \t]*(#.*)?$|"kind"[ \t\r\n]*:[ \t\r\n]*"(Application|ApplicationSet|Kustomization|HelmRelease)"/m;
const GIT_REPOSITORY_KIND = /^kind:[ \t]*["']?GitRepository["']?[ \t]*(#.*)?$|"kind"[ \t\r\n]*:[ \t\r\n]*"GitRepository"/m;
/** YAML, and JSON manifests, which parse as YAML. */
const isManifest = (path: string) => fileKind(path) === 'yaml' || fileKind(path) === 'json';

export async function gitOpsDeployed(
  files: readonly ChangedFile[],
  reader: RepositoryReader,
  options: {
    isThisRepository: (url: string) => boolean;
    admitted: (path: string) => boolean;
    /** Flux GitRepositories of the repository index and the change (gitRepositoriesIn): a Flux Kustomization's source. */
    gitRepositories: readonly GitRepository[];
  },
): Promise<GitOpsDeployment> {
  const followed = new Map<string, Range[]>();
  const follow = (file: string, lines: Range) => followed.set(file, [...(followed.get(file) ?? []), lines]);
  const refused: GitOpsDeployment['refused'] = [];
  const charts: ChartDeployment[] = [];
  const deployed = new Map<string, string[]>();
  /** Each source followed, to be refused whole if the change deploys too much. */
  const sources: { file: string; source: Source }[] = [];
  let listing: Promise<string[]> | null = null;
  let whole: Promise<boolean> | null = null;
  // Only a change: a whole-file scan deploys nothing anew.
  const changes = files.filter((f): f is ChangedFile & { headText: string } => f.patch !== undefined && typeof f.headText === 'string' && isManifest(f.path) && SOURCE_KINDS.test(f.headText));
  const parsed = changes.map((f) => parsedGitOps(f.headText));
  const gitRepositories = options.gitRepositories;
  for (const [i, file] of changes.entries()) {
    // Flux names its source, not its URL: a Kustomization deploys from the GitRepository it names, a HelmRelease's
    // chart is of the one its chart names (found in the change or the repository index; else not known to be this one).
    const located = (source: Source) => {
      if (source.kustomization) source.repoURL = fluxSourceUrl(source.kustomization, gitRepositories) ?? '';
      if (source.gitRepository) source.repoURL = gitRepositoryUrl(source.gitRepository, gitRepositories) ?? '';
      return source;
    };
    const before = new Map((typeof file.baseText === 'string' && SOURCE_KINDS.test(file.baseText) ? parsedGitOps(file.baseText).sources : []).map((s) => [s.key, located(s)]));
    for (const source of parsed[i]!.sources.map(located)) {
      if (!options.isThisRepository(source.repoURL)) continue;
      const was = before.get(source.key);
      if (source.charts) {
        // A chart of this repository: what it installs was reviewed where it is written, unless this change installs
        // it anew (or with other values): then its render is reviewed whole (src/render/charts.ts). What it installed
        // the same before is not (another release name, another element of an ApplicationSet's list).
        follow(file.path, source.lines);
        if (was?.selects === source.selects) continue;
        const earlier = was?.charts && repositoryKey(was.repoURL) === repositoryKey(source.repoURL) ? was.charts : [];
        const same = (a: SourceChart, b: SourceChart) => a.folder === b.folder && JSON.stringify([a.values, a.withoutDefaults ?? null, a.inline?.value ?? null, a.parameters?.value ?? null]) === JSON.stringify([b.values, b.withoutDefaults ?? null, b.inline?.value ?? null, b.parameters?.value ?? null]);
        const inlineIn = (text: string, inline: NonNullable<SourceChart['inline']>) => ({ file: file.path, form: inline.form, text: inlineValuesText(text, { kind: source.kind, name: source.name, ...inline }) });
        for (const install of source.charts) {
          if (earlier.some((e) => same(e, install))) continue;
          const unseen = leftOut(install.folder, install.values, options.admitted);
          if (unseen) {
            refused.push({ file: file.path, line: source.lines.startLine, reason: `what ${source.kind} ${code(source.name)} deploys: ${unseen}` });
            continue;
          }
          // One chart before and now, of the same folder: the same Application given other values.
          const was = earlier.length === 1 && source.charts.length === 1 && earlier[0]!.folder === install.folder ? earlier[0]! : null;
          charts.push({
            file: file.path,
            line: source.lines.startLine,
            folder: install.folder,
            values: install.values,
            before: was?.values ?? null,
            by: `${source.kind} ${code(source.name)} in ${code(file.path)}`,
            ...(source.tool === 'argo' ? { argo: source.kind === 'Application' ? source.name : '*' } : {}),
            ...(install.ignoreMissing ? { ignoreMissing: true } : {}),
            ...(install.withoutDefaults ? { withoutDefaults: true } : {}),
            ...(was?.withoutDefaults ? { beforeWithoutDefaults: true } : {}),
            ...(install.inline ? { inline: inlineIn(file.headText, install.inline) } : {}),
            ...(was?.inline && typeof file.baseText === 'string' ? { inlineBefore: inlineIn(file.baseText, was.inline) } : {}),
            ...(install.parameters ? { parameters: inlineIn(file.headText, install.parameters) } : {}),
            ...(was?.parameters && typeof file.baseText === 'string' ? { parametersBefore: inlineIn(file.baseText, was.parameters) } : {}),
            ...(install.releases ? { releases: install.releases } : {}),
          });
        }
        continue;
      }
      if (was?.selects === source.selects) continue;
      const templated = argoFolder(source.path) === null && source.generators !== undefined;
      // A path Warden cannot follow (out of the repository, a template outside an ApplicationSet) stays what the
      // source says of it (src/formats/rendered-elsewhere.ts).
      if (argoFolder(source.path) === null && !templated) continue;
      follow(file.path, source.lines);
      sources.push({ file: file.path, source });
      const refuse = (reason: string) => refused.push({ file: file.path, line: source.lines.startLine, reason: `what ${source.kind} ${code(source.name)} deploys from ${code(source.path)}: ${reason}` });
      // A tree listed only in part (the App's, of a huge repository) may leave out what the folder holds.
      if (!(await (whole ??= reader.complete?.() ?? Promise.resolve(true)))) {
        refuse(`the repository's tree is too large to list whole, so what the folder holds was not learned`);
        continue;
      }
      const listed = await (listing ??= reader.paths());
      const folders = templated ? generatedFolders(source, listed, options.isThisRepository) : { folders: [argoFolder(source.path)!] };
      if ('refused' in folders) {
        refuse(folders.refused);
        continue;
      }
      for (const folder of folders.folders) {
        const below = await filesBelow(reader, folder, listed);
        // A folder of a chart: Argo CD renders it with its values.yaml (src/render/charts.ts reviews that render), when
        // the source names no other type and the folder holds no kustomization (Argo CD builds that first).
        if (source.tool === 'argo' && source.detected && holdsChart(folder, below) && !holdsKustomization(folder, below)) {
          const unseen = leftOut(folder, [], options.admitted);
          if (unseen) {
            refuse(unseen);
            continue;
          }
          charts.push({ file: file.path, line: source.lines.startLine, folder, values: [], before: null, by: `${source.kind} ${code(source.name)} in ${code(file.path)}`, argo: source.kind === 'Application' ? source.name : '*' });
          continue;
        }
        const selected = selectedFiles(folder, below, source);
        if ('refused' in selected) {
          refuse(`${templated ? `${code(folder)}: ` : ''}${selected.refused}`);
          continue;
        }
        const unreviewed = selected.files.filter((path) => !options.admitted(path));
        if (unreviewed.length > 0) {
          refuse(`${unreviewed.slice(0, 3).map(code).join(', ')}${unreviewed.length > 3 ? ` and ${unreviewed.length - 3} more` : ''}, which the config's paths leave out, so what it deploys is unseen`);
          continue;
        }
        const how = `by ${source.kind} ${code(source.name)} in ${code(file.path)}, which this change adds or points at ${code(folder)}`;
        for (const path of selected.files) deployed.set(path, [...(deployed.get(path) ?? []), how]);
      }
    }
  }
  if (charts.length > MAX_DEPLOYED_CHARTS) {
    for (const chart of charts) refused.push({ file: chart.file, line: chart.line, reason: `what ${chart.by} deploys: the Helm chart \`${chart.folder}\`, one of ${charts.length} charts this change installs anew through its GitOps sources, more than the ${MAX_DEPLOYED_CHARTS} Warden renders for one change` });
    charts.splice(0);
  }
  if (deployed.size > MAX_DEPLOYED_FILES) {
    // None is reviewed then: every source followed fails closed.
    for (const { file, source } of sources) {
      refused.push({ file, line: source.lines.startLine, reason: `what ${source.kind} ${code(source.name)} deploys from ${code(source.path)}: this change deploys ${deployed.size} files anew through its GitOps sources, more than the ${MAX_DEPLOYED_FILES} Warden reads for one change` });
    }
    return { files: [...files], charts, followed, refused };
  }
  if (deployed.size === 0) return { files: [...files], charts, followed, refused };
  const paths = [...deployed.keys()];
  const unreadable = new Map<string, string>();
  const texts = await Promise.all(paths.map((path) => reader.read(path).catch(skipUnreadable((error) => unreadable.set(path, error.reason)))));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const out = [...files];
  paths.forEach((path, i) => {
    const deployedAnew = deployed.get(path)!;
    const changed = byPath.get(path);
    if (changed) {
      // An added file is reviewed whole and new already, on the lines its patch writes.
      const added = typeof changed.baseText !== 'string';
      out[out.indexOf(changed)] = added ? { ...changed, deployedAnew } : { ...changed, baseText: null, patch: null, deployedAnew };
    } else if (unreadable.has(path)) out.push({ path, headText: null, unreadable: unreadable.get(path), baseText: null, patch: null, deployedAnew });
    else if (typeof texts[i] === 'string') out.push({ path, headText: texts[i], baseText: null, patch: null, deployedAnew });
  });
  return { files: out, charts, followed, refused };
}

/** Why a chart installed with these values files is not reviewed when the config's paths leave it or one out; else null. */
function leftOut(folder: string, values: readonly string[], admitted: (path: string) => boolean): string | null {
  const excluded = [folder === '.' ? 'Chart.yaml' : `${folder}/Chart.yaml`, ...values].filter((path) => !admitted(path));
  return excluded.length === 0 ? null : `the Helm chart ${code(folder)} with ${excluded.slice(0, 3).map(code).join(', ')}, which the config's paths leave out, so what it deploys is unseen`;
}

/** Whether a folder (its files `below`) is a chart's: a `Chart.yaml` at its top. */
function holdsChart(folder: string, below: readonly string[]): boolean {
  return below.some((path) => /^Chart\.ya?ml$/.test(folder === '.' ? path : path.slice(folder.length + 1)));
}

/** Whether a folder (its files `below`) holds a kustomization at its top, by a name Argo CD reads. */
function holdsKustomization(folder: string, below: readonly string[]): boolean {
  return below.some((path) => KUSTOMIZATION_FILE_NAMES.includes(folder === '.' ? path : path.slice(folder.length + 1)));
}

/**
 * Whether a part not seen deploys from this repository, by its `from` (src/model.ts UnseenPart): a URL, or a Flux
 * GitRepository found among `gitRepositories` by namespace and name; one not found is taken as this repository's.
 */
export function deploysFromThisRepository(isThisRepository: (url: string) => boolean, gitRepositories: readonly GitRepository[]): (from: DeploysFrom) => boolean {
  return (from) => {
    if ('url' in from) return isThisRepository(from.url);
    const url = gitRepositoryUrl(from.gitRepository, gitRepositories);
    return url === null ? !from.strict : isThisRepository(url);
  };
}

/** The Flux GitRepositories the changed files define, at head. */
export function gitRepositoriesIn(files: readonly ChangedFile[]): GitRepository[] {
  return files.flatMap((f) => (typeof f.headText === 'string' && isManifest(f.path) && GIT_REPOSITORY_KIND.test(f.headText) ? parsedGitOps(f.headText).gitRepositories : []));
}

/** A Flux GitRepository, as fluxSourceUrl reads it. */
export interface GitRepository {
  kind: string;
  name: string;
  namespace?: string | null;
  body: Record<string, unknown>;
}

/**
 * The GitOps sources of a YAML text that deploy a folder as written there, with their lines (Argo CD's, and Flux
 * Kustomizations', whose repository is learned later), and the Flux GitRepositories it defines.
 */
function parsedGitOps(text: string): { sources: Source[]; gitRepositories: GitRepository[] } {
  const read = readYamlDocuments(text);
  const { docs, lines: lineCounter } = read.parsed();
  const found: Source[] = [];
  const gitRepositories: GitRepository[] = [];
  const linesOf = (node: Node | undefined, key: unknown) => {
    const start = isScalar(key) && key.range ? key.range[0] : node?.range?.[0];
    return start === undefined || !node?.range ? null : { startLine: lineCounter.linePos(start).line, endLine: lineCounter.linePos(Math.max(start, node.range[1] - 1)).line };
  };
  for (const [index, body] of read.values.entries()) {
    const doc = docs[index];
    if (!doc || !isRecord(body)) continue;
    const metadata = isRecord(body.metadata) ? body.metadata : {};
    const identity = { name: String(metadata.name ?? ''), namespace: typeof metadata.namespace === 'string' ? metadata.namespace : null };
    if (body.kind === 'GitRepository' && String(body.apiVersion ?? '').startsWith('source.toolkit.fluxcd.io/')) gitRepositories.push({ kind: 'GitRepository', ...identity, body });
    if (isFluxKustomization({ kind: String(body.kind), apiVersion: String(body.apiVersion ?? '') })) {
      const spec = isRecord(body.spec) ? body.spec : {};
      const lines = linesOf(doc.get('spec', true) as Node | undefined, keyOf(doc.contents, 'spec'));
      const path = typeof spec.path === 'string' ? spec.path : './';
      if (lines) found.push({ tool: 'flux', key: `Kustomization/${identity.namespace ?? ''}/${identity.name}`, kind: 'Kustomization', name: identity.name, repoURL: '', path, selects: JSON.stringify([spec.sourceRef ?? null, argoFolder(path) ?? path]), recurse: true, lines, kustomization: { ...identity, body } });
      continue;
    }
    if (body.kind === 'HelmRelease' && String(body.apiVersion ?? '').startsWith('helm.toolkit.fluxcd.io/')) {
      // What its chart installs, said from its `spec` (src/formats/rendered-elsewhere.ts); its repository learned later.
      const install = fluxChartInstall({ namespace: identity.namespace, body });
      const lines = linesOf(doc.get('spec', true) as Node | undefined, keyOf(doc.contents, 'spec'));
      if (!install || !lines) continue;
      const chart: SourceChart = {
        folder: install.folder,
        values: install.values,
        ...(install.values.length > 0 ? { withoutDefaults: true as const } : {}),
        ...(install.inline ? { inline: { path: ['spec', 'values'], form: 'block', value: install.inline.value } } : {}),
        ...releasesOf(install),
      };
      const selects = JSON.stringify([install.source, [chart.folder, chart.values, chart.inline?.value ?? null]]);
      found.push({ tool: 'flux', key: `HelmRelease/${identity.namespace ?? ''}/${identity.name}`, kind: 'HelmRelease', name: identity.name, repoURL: '', path: install.folder, selects, recurse: false, lines, charts: [chart], gitRepository: install.source });
      continue;
    }
    if (!String(body.apiVersion ?? '').startsWith('argoproj.io/') || (body.kind !== 'Application' && body.kind !== 'ApplicationSet')) continue;
    const spec = isRecord(body.spec) ? body.spec : {};
    const generators = body.kind === 'ApplicationSet' ? { list: Array.isArray(spec.generators) ? spec.generators : [], goTemplate: spec.goTemplate === true } : undefined;
    for (const { path: at, source, installs } of argoSourceInstalls(body.kind, body)) {
      const repoURL = installsRepository(installs);
      if ((repoURL === null && !deploysFolderAsWritten(source)) || typeof source.path !== 'string') continue;
      // From its key (`source:`), where what Warden says of a source is said (src/formats/rendered-elsewhere.ts).
      const lines = linesOf(doc.getIn(at, true) as Node | undefined, typeof at.at(-1) === 'string' ? keyOf(doc.getIn(at.slice(0, -1), true), at.at(-1) as string) : undefined);
      if (!lines) continue;
      const key = `${body.kind}/${String(metadata.namespace ?? '')}/${String(metadata.name ?? '')}#${at.join('.')}`;
      if (repoURL !== null) {
        const setBy = (c: ArgoChartInstall, key: string, form: InlineForm, value: unknown): SetBySource => ({
          path: [...at, 'helm', key],
          form,
          value,
          ...(c.filledBy ? { fill: c.filledBy } : {}),
          ...(c.environment ? { environment: c.environment } : {}),
        });
        const each = installs!.map((c): SourceChart => ({
          folder: c.folder,
          values: c.values,
          ...(c.ignoreMissing ? { ignoreMissing: true as const } : {}),
          ...(c.inline ? { inline: setBy(c, c.inline.key, c.inline.form, c.inline.value) } : {}),
          ...(c.parameters ? { parameters: setBy(c, 'parameters', 'parameters', c.parameters.value) } : {}),
          ...releasesOf(c),
        }));
        // An ApplicationSet's Applications that install the same are one install anew (their names aside), in each
        // of their releases.
        const ofSource: SourceChart[] = [];
        for (const c of each) {
          const { releases: _, ...install } = c;
          const same = ofSource.findIndex(({ releases: __, ...known }) => JSON.stringify(known) === JSON.stringify(install));
          if (same < 0) ofSource.push(c);
          else ofSource[same] = withReleasesOf(ofSource[same]!, c);
        }
        const selects = JSON.stringify([repositoryKey(repoURL), ofSource.map((c) => [c.folder, c.values, c.inline?.value ?? null, c.parameters?.value ?? null])]);
        found.push({ tool: 'argo', key, kind: body.kind, name: String(metadata.name ?? ''), repoURL, path: source.path, selects, recurse: false, lines, charts: ofSource });
        continue;
      }
      const directory = isRecord(source.directory) ? source.directory : {};
      found.push({
        tool: 'argo',
        key,
        kind: body.kind,
        name: String(metadata.name ?? ''),
        repoURL: String(source.repoURL ?? ''),
        path: source.path,
        selects: JSON.stringify([repositoryKey(String(source.repoURL ?? '')), argoFolder(source.path) ?? source.path, directory.recurse === true, directory.include ?? null, directory.exclude ?? null, generators ?? null]),
        recurse: directory.recurse === true,
        ...(source.directory === undefined && source.kustomize === undefined ? { detected: true as const } : {}),
        ...(typeof directory.include === 'string' ? { include: directory.include } : {}),
        ...(typeof directory.exclude === 'string' ? { exclude: directory.exclude } : {}),
        lines,
        ...(generators ? { generators } : {}),
      });
    }
  }
  return { sources: found, gitRepositories };
}

/** The key node of `key` in a YAML mapping (its line is where a part of the mapping is said to start). */
function keyOf(map: unknown, key: string): unknown {
  return isMap(map) ? map.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key : undefined;
}

/**
 * The folders an ApplicationSet's templated `path` takes: each set of parameters its generators give, put in the
 * path. Followed: a git directory generator of this repository (its `directories` globs, `*` within a folder as
 * Argo CD matches them, `exclude` entries taken away) and a list generator (its elements), the parameters named as
 * Argo CD names them (`{{path}}`, `{{path.basename}}`, `{{path[0]}}`; `{{.path.path}}` with `goTemplate`), each
 * generator's `selector` applied as Argo CD applies it. Any other generator, a selector Warden cannot apply exactly,
 * or a path still templated once filled, is refused.
 */
function generatedFolders(source: Source, listed: readonly string[], isThisRepository: (url: string) => boolean): { folders: string[] } | { refused: string } {
  const { list, goTemplate } = source.generators!;
  const unfollowed = `the folders its generators give, which Warden follows only for a git directory generator of this repository and a list generator, filling the path with their parameters alone`;
  const sets = list.length === 0 ? [] : generatorParameterSets(list, goTemplate, { listed, isThisRepository });
  if (sets === null) return { refused: unfollowed };
  const folders = new Set<string>();
  for (const parameters of sets) {
    const filled = fillTemplate(source.path, parameters) as string;
    const folder = argoFolder(filled);
    if (folder === null) return { refused: unfollowed };
    folders.add(folder);
  }
  return { folders: [...folders].sort() };
}

/**
 * The ApplicationSets among `objects` whose git directory generators (of this repository) make an Application of the
 * file's folder, deploying it as plain manifests (a template's source `path` that is the folder: `{{path}}`, or
 * `{{.path.path}}` with `goTemplate`), each named as its object: what reads the file besides the sources
 * src/engine/kustomize.ts knows by their literal folders.
 */
export function generatedSourcesReading(file: string, objects: readonly { kind: string; apiVersion?: string; name: string; file: string; body: Record<string, unknown> }[], isThisRepository: (url: string) => boolean): string[] {
  const folder = posix.dirname(file);
  const found: string[] = [];
  for (const object of objects) {
    if (object.kind !== 'ApplicationSet' || !String(object.apiVersion ?? '').startsWith('argoproj.io/') || !isRecord(object.body.spec)) continue;
    const spec = object.body.spec;
    const generators = Array.isArray(spec.generators) ? spec.generators : [];
    const folderParameter = spec.goTemplate === true ? /^\{\{-?\s*\.path\.path\s*-?\}\}\/?$/ : /^\{\{-?\s*path\s*-?\}\}\/?$/;
    const readsFolder = argoSourcesOf('ApplicationSet', object.body).some(([, source]) => deploysFolderAsWritten(source) && typeof source.path === 'string' && folderParameter.test(source.path));
    if (!readsFolder) continue;
    const selects = generators.some((generator) => isRecord(generator) && isRecord(generator.git) && Array.isArray(generator.git.directories) && isThisRepository(String(generator.git.repoURL ?? '')) && gitDirectories(generator.git.directories, [file]).includes(folder));
    if (selects) found.push(`ApplicationSet \`${object.name}\` in \`${object.file}\``);
  }
  return found;
}



/**
 * The files Argo CD deploys from a folder of plain manifests (its top level, or all below it with `recurse`; YAML and
 * JSON; `include`, `exclude` matched against the path below the folder, `*` across folders as Argo CD's globs do),
 * or its kustomization, which Kustomize composition then builds; or why none is reviewed (a chart, Jsonnet).
 */
function selectedFiles(folder: string, below: readonly string[], source: Source): { files: string[] } | { refused: string } {
  const inFolder = (path: string) => (folder === '.' ? path : path.slice(folder.length + 1));
  const top = new Set(below.map(inFolder).filter((name) => !name.includes('/')));
  const kustomization = KUSTOMIZATION_FILE_NAMES.find((name) => top.has(name));
  if (kustomization) return { files: [folder === '.' ? kustomization : `${folder}/${kustomization}`] };
  const globs = { dot: true, bash: true };
  const include = source.include ? picomatch(source.include, globs) : () => true;
  const exclude = source.exclude ? picomatch(source.exclude, globs) : () => false;
  // Flux generates a kustomization of every manifest below the folder (YAML and JSON); Argo CD reads Jsonnet too.
  const kinds = source.tool === 'flux' ? /\.(ya?ml|json)$/i : /\.(ya?ml|json|jsonnet)$/i;
  const files = below.filter((path) => {
    const name = inFolder(path);
    return (source.recurse || !name.includes('/')) && kinds.test(name) && include(name) && !exclude(name);
  });
  const jsonnet = files.filter((path) => /\.jsonnet$/i.test(path));
  if (jsonnet.length > 0) return { refused: `${jsonnet.slice(0, 3).map(code).join(', ')}, Jsonnet that Argo CD evaluates` };
  return { files };
}
