// Kustomize gives namespaces: a kustomization's `namespace:` is set on every resource it builds, over what
// the manifests say, and an overlay's over its bases'. Manifests in a kustomize layout usually name no
// namespace at all, so without this Warden would call them namespace-less (k8s/default-namespace) and could
// not tell which NetworkPolicies cover them (k8s/network-policy-missing). GitOps gives one too: an Argo CD
// Application's `destination.namespace` goes to what its source deploys that names none (after Kustomize, if it
// builds it); a Flux Kustomization's `targetNamespace` to all it deploys, as a kustomization's `namespace` does.
import { posix } from 'node:path';
import type { Path, Resource } from '../model.js';

/** What the placing of manifests reads of an object (a Resource, or an object as another index holds it). */
export type PlacingObject = Pick<Resource, 'kind' | 'apiVersion' | 'name' | 'file' | 'body'> & { namespace?: string | null };
import { isKustomizationFile } from '../formats/kustomization-file.js';
import { argoDestinationNamespace, argoFolder, argoSourcesOf, deploysFolderAsWritten, fluxSourceRef, isFluxKustomization } from '../common/argo.js';
import { isRecord } from '../common/path.js';
import { commonMetadataOf, holdsVariables, mayHoldVariables, optsOut, putVariablesIn, substitutionOf, type CommonMetadata, type NotPut, type Substitution } from '../common/flux-variables.js';

export { isKustomizationFile } from '../formats/kustomization-file.js';

interface Kustomization {
  dir: string;
  namespace: string | undefined;
  /** What it builds: files and folders (other kustomizations), as repository paths. */
  includes: string[];
}

function kustomizationOf(resource: PlacingObject): Kustomization | null {
  if (resource.kind !== 'Kustomization' || !isKustomizationFile(resource.file) || isFluxKustomization(resource)) return null;
  const dir = posix.dirname(resource.file.replace(/\\/g, '/'));
  const body = resource.body;
  const entries = ['resources', 'bases'].flatMap((key) => (Array.isArray(body[key]) ? (body[key] as unknown[]) : []));
  const includes = entries.filter((e): e is string => typeof e === 'string' && !/^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i.test(e)).map((e) => posix.normalize(posix.join(dir, e)).replace(/\/$/, ''));
  const namespace = typeof body.namespace === 'string' && body.namespace !== '' ? body.namespace : undefined;
  return { dir, namespace, includes };
}

export interface KustomizedNamespaces {
  /** The namespaces the resource ends up in, one per kustomization chain that sets one. */
  namespaces: string[];
  /** Whether some chain sets none (the resource keeps its own namespace there). */
  unset: boolean;
  /**
   * The namespaces Argo CD deploys it to where nothing else sets one: its own namespace if it names one, else
   * these (an Application's `destination.namespace`, deploying its folder or building a kustomization above it).
   */
  fallback: string[];
}

/** A GitOps source of this repository deploying a folder (Argo CD's, Flux's), and the namespaces it gives. */
export interface GitOpsSource {
  /** Argo CD's `destination.namespace`: for what names none. */
  destination: string | undefined;
  /** Argo CD's `kustomize.namespace`, Flux's `targetNamespace`: set on all it deploys, as a kustomization's is. */
  kustomized: string | undefined;
  /** Whether it deploys the manifests of the folders below too (Flux always does). */
  recurse: boolean;
  /** Which object it is, for a note: `Application \`serving\` in \`apps/serving.yaml\``. */
  by: string;
  /** Flux's post-build variables, put into all it deploys (src/common/flux-variables.ts); null: none. */
  substitution: Substitution | null;
  /** Flux's common metadata, set on all it deploys; null: none. */
  commonMetadata: CommonMetadata | null;
  /** A Flux Kustomization's source: the object as written, and its name for a note (`by` may say how it was deployed). */
  kustomization?: { resource: PlacingObject; name: string };
}

/** The kustomizations of one list, read once: by folder, and who includes each path. */
interface KustomizationIndex {
  /** The kustomizations that include a path (a file or a folder), by the path. */
  includers: Map<string, Kustomization[]>;
  /** Each kustomization's chain namespaces, once known (undefined: a chain that sets none). */
  chains: Map<Kustomization, ReadonlySet<string | undefined>>;
  /** The GitOps sources of this repository, by the folder they deploy. */
  gitOps: Map<string, GitOpsSource[]>;
  /** Folders holding a kustomization (Argo CD builds it, rather than reading the folder's files). */
  kustomized: Set<string>;
  /** Each kustomization by its folder. */
  byDir: Map<string, Kustomization>;
  /** The GitOps sources building each kustomization, once known (gitOpsSourcesDeploying). */
  deployers: Map<Kustomization, readonly GitOpsSource[]>;
  /** Sources that may deploy any file of the repository: a Flux Kustomization whose `path` is not known (fluxSourceIn). */
  anywhere: GitOpsSource[];
}

// Rules ask once per resource with the same list (the visible kustomizations of one evaluation): the index is
// built once per list, so resolving every file of a repository stays linear in its kustomizations.
const indices = new WeakMap<readonly PlacingObject[], KustomizationIndex>();
// Which GitOps sources deploy this repository's files, by list (placingObjects): a list without one has none.
const repositories = new WeakMap<readonly PlacingObject[], GitOpsRepository>();

/** The kinds of the objects that place manifests (placingObjects): kustomizations, Argo CD's, Flux's GitRepositories. */
export const PLACING_KINDS = ['Kustomization', 'Application', 'ApplicationSet', 'GitRepository'] as const;

/**
 * The objects that place manifests in namespaces, as one list for kustomizedNamespaces: the kustomizations, and the
 * GitOps objects whose sources from `isThisRepository` deploy its folders (Argo CD Applications and ApplicationSets,
 * Flux Kustomizations with the GitRepositories they name, among `gitOps`).
 */
export function placingObjects<T extends PlacingObject>(kustomizations: readonly T[], gitOps: readonly T[], repository: GitOpsRepository): readonly T[] {
  const list = [...kustomizations, ...gitOps];
  repositories.set(list, repository);
  return list;
}

/** Which URLs are the repository's, and how the reviewed files name its root (its sources' paths are below it). */
export interface GitOpsRepository {
  isThisRepository: (url: string) => boolean;
  root: string;
}

/** Marks what Argo CD gives (a fallback) apart from what Kustomize sets, in a chain's namespaces. */
const FALLBACK = '\0';
const isFallback = (namespace: string | undefined) => namespace?.startsWith(FALLBACK) === true;

/** How many levels of Flux Kustomizations deploying Flux Kustomizations are read as deployed (below, as the last level reads them). */
const MAX_NESTING = 3;

function indexOf(resources: readonly PlacingObject[]): KustomizationIndex {
  let index = indices.get(resources);
  if (index) return index;
  const repository = repositories.get(resources);
  index = buildIndex(resources, repository, null);
  // A Flux Kustomization (or GitRepository) that another deploys is deployed with that one's post-build variables put
  // into it: each level is read again with the sources of the level above as deployed.
  if (repository && resources.some((r) => (isFluxKustomization(r) || r.kind === 'GitRepository') && holdsVariables(r.body))) {
    for (let level = 0; level < MAX_NESTING; level++) {
      const above = index;
      index = buildIndex(resources, repository, (file) => sourcesDeployingIn(above, file));
    }
  }
  indices.set(resources, index);
  return index;
}

/** An object as a source deploying it puts its variables in, and where it could not. */
interface DeployedObject {
  resource: PlacingObject;
  notPut: readonly { path: Path; what: NotPut }[];
  /** The source that put them in; none: as written. */
  by?: string;
}

/**
 * A Flux object (a Kustomization, a GitRepository) as each of `sources` deploying its file puts its variables in
 * (keys too: a Kustomization's `substitute` names are keys), and as written where one puts none in.
 */
function deployedObjects(resource: PlacingObject, sources: readonly GitOpsSource[]): DeployedObject[] {
  if (!holdsVariables(resource.body) || optsOut(resource.body)) return [{ resource, notPut: [] }];
  const found = new Map<string, DeployedObject>();
  for (const source of sources) {
    // A Kustomization that may deploy its own file (its path not known) is not read as putting its values into itself.
    if (source.kustomization?.resource === resource) continue;
    const notPut: { path: Path; what: NotPut }[] = [];
    const body = source.substitution ? (putVariablesIn(resource.body, source.substitution, [], (path, what) => notPut.push({ path, what }), true) as Record<string, unknown>) : resource.body;
    const metadata = isRecord(body.metadata) ? body.metadata : {};
    const deployed = { ...resource, body, ...(typeof metadata.name === 'string' ? { name: metadata.name } : {}), ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}) };
    const key = JSON.stringify([body, notPut.map((n) => n.path)]);
    if (!found.has(key)) found.set(key, { resource: deployed, notPut, ...(source.substitution ? { by: source.kustomization?.name ?? source.by } : {}) });
  }
  return found.size > 0 ? [...found.values()] : [{ resource, notPut: [] }];
}

function buildIndex(resources: readonly PlacingObject[], repository: GitOpsRepository | undefined, deployersOf: ((file: string) => readonly GitOpsSource[]) | null): KustomizationIndex {
  const includers = new Map<string, Kustomization[]>();
  const gitOps = new Map<string, GitOpsSource[]>();
  const byDir = new Map<string, Kustomization>();
  const anywhere: GitOpsSource[] = [];
  const asDeployed = (resource: PlacingObject): DeployedObject[] => (deployersOf ? deployedObjects(resource, deployersOf(resource.file)) : [{ resource, notPut: [] }]);
  const gitRepositories = repository ? resources.filter((r) => r.kind === 'GitRepository').flatMap(asDeployed) : [];
  for (const resource of resources) {
    const sources = !repository ? [] : isFluxKustomization(resource) ? asDeployed(resource).flatMap((deployed) => fluxSourceIn(resource, deployed, gitRepositories, repository.isThisRepository)) : argoSourcesIn(resource, repository.isThisRepository);
    for (const [folder, source] of sources) {
      if (folder === null) {
        anywhere.push(source);
        continue;
      }
      // A source's folder as the reviewed files are named.
      const named = posix.normalize(posix.join(repository!.root, folder));
      gitOps.set(named, [...(gitOps.get(named) ?? []), source]);
    }
    const k = kustomizationOf(resource);
    if (!k) continue;
    byDir.set(k.dir, k);
    for (const path of new Set(k.includes)) {
      const list = includers.get(path);
      if (list) list.push(k);
      else includers.set(path, [k]);
    }
  }
  return { includers, chains: new Map(), gitOps, kustomized: new Set(byDir.keys()), byDir, deployers: new Map(), anywhere };
}

/** An Argo CD Application's (or ApplicationSet's) sources of this repository that deploy a folder as written, by the folder. */
function argoSourcesIn(resource: PlacingObject, isThisRepository: (url: string) => boolean): [string, GitOpsSource][] {
  if ((resource.kind !== 'Application' && resource.kind !== 'ApplicationSet') || !String(resource.apiVersion ?? '').startsWith('argoproj.io/')) return [];
  const destination = argoDestinationNamespace(resource.kind, resource.body) ?? undefined;
  return argoSourcesOf(resource.kind, resource.body).flatMap(([, source]): [string, GitOpsSource][] => {
    const folder = typeof source.path === 'string' ? argoFolder(source.path) : null;
    if (folder === null || !deploysFolderAsWritten(source) || !isThisRepository(String(source.repoURL ?? ''))) return [];
    const kustomize = isRecord(source.kustomize) && typeof source.kustomize.namespace === 'string' && source.kustomize.namespace !== '' ? source.kustomize.namespace : undefined;
    const recurse = isRecord(source.directory) && source.directory.recurse === true;
    return [[folder, { destination, kustomized: kustomize, recurse, by: objectName(resource), substitution: null, commonMetadata: null }]];
  });
}

/**
 * The namespaces kustomize gives the resources of `file`, from the kustomizations among `resources`; null
 * when no kustomization builds the file. Each call follows only the chains above the file (the list is indexed
 * once), so a repository of thousands of resources and kustomizations costs linear time, not their product.
 */
export function kustomizedNamespaces(file: string, resources: readonly PlacingObject[]): KustomizedNamespaces | null {
  if (resources.length === 0) return null;
  const index = indexOf(resources);
  const path = posix.normalize(file.replace(/\\/g, '/'));
  const direct = index.includers.get(path) ?? [];
  // GitOps reading the file's folder (or one above it, recursing) as plain manifests: what it gives.
  const read = gitOpsReading(path, index);
  if (direct.length === 0 && read.length === 0) return null;
  // Each chain's namespace: the outermost kustomization that sets one wins.
  const chains = overChains(index, index.chains, (k, above) => {
    const found = new Set<string | undefined>();
    // The outermost namespace Kustomize sets wins; what Argo CD gives only where none is set.
    for (const namespaces of above) for (const outer of namespaces) found.add(outer === undefined || isFallback(outer) ? (k.namespace ?? outer) : outer);
    // Argo CD building this kustomization: its source's `kustomize.namespace` as an outermost one, else its destination.
    for (const source of index.gitOps.get(k.dir) ?? []) found.add(source.kustomized ?? k.namespace ?? (source.destination === undefined ? undefined : `${FALLBACK}${source.destination}`));
    if (found.size === 0) found.add(k.namespace);
    return found;
  });
  const found = new Set([...direct.flatMap((k) => [...chains(k)]), ...read]);
  return {
    namespaces: [...found].filter((n): n is string => n !== undefined && !isFallback(n)).sort(),
    unset: found.has(undefined),
    fallback: [...found].filter((n): n is string => isFallback(n)).map((n) => n.slice(FALLBACK.length)).sort(),
  };
}

/**
 * Every namespace an object of `file` whose own namespace is `own` (null: it names none) is deployed to, by the
 * objects among `resources` (placingObjects): those the kustomizations building its file give it (an overlay per
 * environment gives several), and its own where a kustomization sets none; an Argo CD Application's destination where
 * it deploys an object that names none. Empty when none can be known.
 */
export function deployedNamespaces(file: string, own: string | null, resources: readonly PlacingObject[]): string[] {
  const kustomized = kustomizedNamespaces(file, resources);
  if (!kustomized) return own === null ? [] : [own];
  // Where Argo CD gives a namespace, only to what names none.
  const argo = kustomized.fallback.length === 0 ? [] : own !== null ? [own] : kustomized.fallback;
  return [...new Set([...kustomized.namespaces, ...(kustomized.unset && own !== null ? [own] : []), ...argo])];
}

/**
 * A value of each kustomization made from its parents' (those that build its folder), resolved once from whichever
 * file it is reached and kept in `known`: a parent already on the way up is a cycle and not followed, and a value cut
 * by one depends on the way in, so it is not kept.
 */
function overChains<T>(index: KustomizationIndex, known: Map<Kustomization, T>, make: (k: Kustomization, above: readonly T[]) => T): (k: Kustomization) => T {
  const onPath = new Set<Kustomization>();
  const resolve = (k: Kustomization): { value: T; cut: boolean } => {
    const kept = known.get(k);
    if (kept !== undefined) return { value: kept, cut: false };
    onPath.add(k);
    let cut = false;
    const above: T[] = [];
    for (const parent of index.includers.get(k.dir) ?? []) {
      if (onPath.has(parent)) {
        cut = true;
        continue;
      }
      const resolved = resolve(parent);
      cut ||= resolved.cut;
      above.push(resolved.value);
    }
    onPath.delete(k);
    const value = make(k, above);
    if (!cut) known.set(k, value);
    return { value, cut };
  };
  return (k) => resolve(k).value;
}

/**
 * A Flux Kustomization's folder, when it deploys from a GitRepository of this repository: all below it, `targetNamespace`
 * over all. Deployed by another that puts its variables in (`deployed`), it is read as deployed; where they could not
 * be put in, fail closed: a GitRepository whose `url` (or a `sourceRef`) is not known may be this repository; a
 * `path` not known may be any folder (folder null: what may deploy anything), which then deploys what it deploys with
 * values not known (its variables, and its `commonMetadata`, not reviewed where read) rather than with its own; a
 * `substitute` name not known leaves every value of it not known.
 */
function fluxSourceIn(written: PlacingObject, deployed: DeployedObject, gitRepositories: readonly DeployedObject[], isThisRepository: (url: string) => boolean): [string | null, GitOpsSource][] {
  const { resource, notPut } = deployed;
  const kustomization = { resource: written, name: objectName(written) };
  const unknownBelow = (...prefix: Path) => notPut.filter((n) => prefix.every((key, i) => n.path[i] === key));
  const by = deployed.by && notPut.length > 0 ? `${objectName(resource)} (as ${deployed.by} deploys it)` : objectName(resource);
  const ref = fluxSourceRef(resource);
  const refUnknown = unknownBelow('spec', 'sourceRef').length > 0 || (ref !== null && ref.namespace === resource.namespace && unknownBelow('metadata', 'namespace').length > 0);
  const repositories = ref === null ? [] : gitRepositories.filter((g) => g.resource.name === ref.name && (g.resource.namespace ?? null) === ref.namespace);
  const ofThis =
    refUnknown ||
    repositories.some((g) => {
      const url = isRecord(g.resource.body.spec) ? g.resource.body.spec.url : undefined;
      return g.notPut.some((n) => n.path[0] === 'spec' && n.path[1] === 'url') || (typeof url === 'string' && isThisRepository(url));
    });
  const spec = isRecord(resource.body.spec) ? resource.body.spec : {};
  const folder = argoFolder(typeof spec.path === 'string' ? spec.path : '.');
  if (!ofThis || (folder === null && unknownBelow('spec', 'path').length === 0)) return [];
  const target = typeof spec.targetNamespace === 'string' && spec.targetNamespace !== '' ? spec.targetNamespace : undefined;
  let substitution = substitutionOf(resource.body);
  let commonMetadata = commonMetadataOf(resource.body);
  // A name not put in is kept as written (its value, holding a variable, is not read: substitutionOf).
  const names = isRecord(spec.postBuild) && isRecord(spec.postBuild.substitute) ? spec.postBuild.substitute : {};
  const namesUnknown = unknownBelow('spec', 'postBuild', 'substitute').some((n) => n.path.length === 4 && typeof n.path[3] === 'string' && mayHoldVariables(n.path[3]) && Object.hasOwn(names, n.path[3]));
  const metadataUnknown = unknownBelow('spec', 'commonMetadata').map((n) => n.path.slice(2)).filter((p) => p[0] === 'labels' || p[0] === 'annotations');
  const why = `${deployed.by ?? 'another Kustomization'} puts variables into ${objectName(resource)} that Warden cannot put in`;
  if (unknownBelow('spec', 'path').length > 0) {
    // Deploys some folder, which Warden does not know: whatever it deploys may take its values, none known.
    const unknown = `${why}, at its \`path\`: it may deploy any folder`;
    return [
      [
        null,
        {
          destination: undefined,
          kustomized: undefined,
          recurse: true,
          by,
          substitution: substitution ? { ...substitution, unknown } : null,
          commonMetadata: commonMetadata ? { ...commonMetadata, unknown: { paths: [...Object.keys(commonMetadata.labels).map((k) => ['labels', k]), ...Object.keys(commonMetadata.annotations).map((k) => ['annotations', k])], why: unknown } } : null,
          kustomization,
        },
      ],
    ];
  }
  if (substitution && namesUnknown) substitution = { ...substitution, unknown: `${why}, in a name of its \`postBuild.substitute\`` };
  if (commonMetadata && metadataUnknown.length > 0) commonMetadata = { ...commonMetadata, unknown: { paths: metadataUnknown, why: `${why}, in its \`commonMetadata\`` } };
  return [[folder, { destination: undefined, kustomized: target, recurse: true, by, substitution, commonMetadata, kustomization }]];
}

const objectName = (resource: PlacingObject) => `${resource.kind} \`${resource.name}\` in \`${resource.file}\``;

/**
 * The GitOps sources of this repository among `resources` (placingObjects) that deploy a file as a plain manifest:
 * its folder's, or one above it that recurses, when no kustomization there is built instead. Each named as its object.
 */
export function gitOpsSourcesReading(file: string, resources: readonly PlacingObject[]): string[] {
  if (resources.length === 0) return [];
  const index = indexOf(resources);
  const path = posix.normalize(file.replace(/\\/g, '/'));
  const found = new Set<string>();
  forEachSourceReading(path, index, (source) => found.add(source.by));
  return [...found].sort();
}

/**
 * The GitOps sources of this repository among `resources` (placingObjects) that deploy a file: building a
 * kustomization that builds it (however many overlays up), or reading its folder as plain manifests.
 */
export function gitOpsSourcesDeploying(file: string, resources: readonly PlacingObject[]): readonly GitOpsSource[] {
  if (resources.length === 0) return [];
  return sourcesDeployingIn(indexOf(resources), file);
}

function sourcesDeployingIn(index: KustomizationIndex, file: string): readonly GitOpsSource[] {
  if (index.gitOps.size === 0 && index.anywhere.length === 0) return [];
  const path = posix.normalize(file.replace(/\\/g, '/'));
  const found = new Set<GitOpsSource>(index.anywhere);
  forEachSourceReading(path, index, (source) => found.add(source));
  const deployers = overChains(index, index.deployers, (k, above) => [...new Set([...(index.gitOps.get(k.dir) ?? []), ...above.flat()])]);
  // A kustomization file is built by what deploys its folder; any other file, by the kustomizations that list it.
  const own = isKustomizationFile(path) ? index.byDir.get(posix.dirname(path)) : undefined;
  for (const k of [...(own ? [own] : []), ...(index.includers.get(path) ?? [])]) for (const source of deployers(k)) found.add(source);
  return [...found];
}

/**
 * What GitOps gives a file it reads as a plain manifest (its folder has no kustomization): each source of its folder,
 * or of one above it that recurses, gives its namespace over all (Flux's `targetNamespace`), else its destination
 * as a fallback (a source without either: none, undefined).
 */
function gitOpsReading(path: string, index: KustomizationIndex): (string | undefined)[] {
  const given: (string | undefined)[] = [];
  forEachSourceReading(path, index, (source) => given.push(source.kustomized ?? (source.destination === undefined ? undefined : `${FALLBACK}${source.destination}`)));
  return given;
}

/** Each GitOps source reading a file as a plain manifest: its folder's, or one above it that recurses (not a kustomized folder's). */
function forEachSourceReading(path: string, index: KustomizationIndex, each: (source: GitOpsSource) => void): void {
  if (index.gitOps.size === 0) return;
  const own = posix.dirname(path);
  for (let dir = own; ; dir = posix.dirname(dir)) {
    if (!index.kustomized.has(dir)) {
      for (const source of index.gitOps.get(dir) ?? []) if (dir === own || source.recurse) each(source);
    }
    if (dir === '.' || dir === posix.dirname(dir)) break;
  }
}
