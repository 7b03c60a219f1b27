// GitOps objects as several parts of Warden read them: the sources of an Argo CD Application (or of an
// ApplicationSet's template), which of them deploy a folder as it is written, and that folder, or a chart Warden
// renders as Argo CD does and its values files; the repository a Flux Kustomization deploys from.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import picomatch from 'picomatch';
import type { Path } from '../model.js';
import { argoHelmParameters } from './helm-parameters.js';
import { buildEnvironment, putIn, type BuildEnvironment } from './argo-environment.js';
import { referencesVariable } from './flux-variables.js';
import { isRecord } from './path.js';
import { ownValue } from './own-key.js';
import { repositoryKey } from './repository-url.js';

/**
 * The sources of an Argo CD Application (or of an ApplicationSet's template), each with its path in the object: its
 * `sources` when that is a non-empty list (Argo CD then ignores `source`), else its `source`.
 */
export function argoSourcesOf(kind: string, body: Record<string, unknown>): [Path, Record<string, unknown>][] {
  const at = kind === 'ApplicationSet' ? ['spec', 'template', 'spec'] : ['spec'];
  const spec = at.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), body);
  if (!isRecord(spec)) return [];
  const sources: [Path, unknown][] = Array.isArray(spec.sources) && spec.sources.length > 0 ? spec.sources.map((s, i): [Path, unknown] => [[...at, 'sources', i], s]) : [[[...at, 'source'], spec.source]];
  return sources.filter((entry): entry is [Path, Record<string, unknown>] => isRecord(entry[1]));
}

/**
 * Whether an Argo CD source deploys a folder as it is written there (plain manifests, or a Kustomize build without
 * patches in the source), rather than what Argo CD renders with settings of the source (a chart, a plugin, patches).
 * A source of values files only (a `ref` with no path) deploys nothing of its own.
 */
export function deploysFolderAsWritten(source: Record<string, unknown>): boolean {
  if (source.path === undefined && source.directory === undefined) return false;
  return source.chart === undefined && source.helm === undefined && source.plugin === undefined && !(isRecord(source.kustomize) && source.kustomize.patches !== undefined);
}

/** A source's `path` as a folder of the repository (`.`: its root), or null: a template, or out of the repository. */
export function argoFolder(path: string): string | null {
  if (path.includes('{{') || path.includes('$')) return null;
  const folder = posix.normalize(path.replace(/^\/+/, '')).replace(/\/+$/, '') || '.';
  return folder === '..' || folder.startsWith('../') ? null : folder;
}

/** The namespace an Application (or an ApplicationSet's template) deploys to, when it is written as a literal. */
export function argoDestinationNamespace(kind: string, body: Record<string, unknown>): string | null {
  const at = kind === 'ApplicationSet' ? ['spec', 'template', 'spec', 'destination', 'namespace'] : ['spec', 'destination', 'namespace'];
  const namespace = at.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), body);
  return typeof namespace === 'string' && namespace !== '' && !namespace.includes('{{') ? namespace : null;
}

/**
 * Whether an Argo CD destination is the cluster Argo CD runs in (`server: https://kubernetes.default.svc`, `name:
 * in-cluster`, or neither written), where the repository's other objects are taken to be deployed.
 */
export function inClusterDestination(destination: unknown): boolean {
  const { server, name } = isRecord(destination) ? destination : {};
  if (server !== undefined && name !== undefined) return false; // Argo CD refuses both.
  return (server === undefined || server === 'https://kubernetes.default.svc') && (name === undefined || name === 'in-cluster');
}

/** Whether an object is a Flux Kustomization (not a kustomize `kustomization.yaml`, which shares its kind). */
export function isFluxKustomization(resource: { kind: string; apiVersion?: string }): boolean {
  return resource.kind === 'Kustomization' && String(resource.apiVersion ?? '').startsWith('kustomize.toolkit.fluxcd.io/');
}

/**
 * The GitRepository a Flux Kustomization deploys from: its `sourceRef`'s name, and namespace (its own when the
 * reference names none). Null when its source is of another kind (a Bucket, an OCIRepository) or unnamed.
 */
export function fluxSourceRef(kustomization: { namespace?: string | null; body: Record<string, unknown> }): { name: string; namespace: string | null } | null {
  const spec = isRecord(kustomization.body.spec) ? kustomization.body.spec : {};
  const ref = isRecord(spec.sourceRef) ? spec.sourceRef : {};
  if ((ref.kind ?? 'GitRepository') !== 'GitRepository' || typeof ref.name !== 'string') return null;
  return { name: ref.name, namespace: typeof ref.namespace === 'string' ? ref.namespace : (kustomization.namespace ?? null) };
}

/** The URL of the GitRepository of that name and namespace among `gitRepositories`, or null when it is none of them. */
export function gitRepositoryUrl(
  ref: { name: string; namespace: string | null },
  gitRepositories: readonly { kind: string; name: string; namespace?: string | null; body: Record<string, unknown> }[],
): string | null {
  const source = gitRepositories.find((r) => r.kind === 'GitRepository' && r.name === ref.name && (r.namespace ?? null) === ref.namespace);
  const url = source && isRecord(source.body.spec) ? source.body.spec.url : undefined;
  return typeof url === 'string' ? url : null;
}

/** The URL of the git repository a Flux Kustomization deploys from (fluxSourceRef, found among `gitRepositories`). */
export function fluxSourceUrl(
  kustomization: { namespace?: string | null; body: Record<string, unknown> },
  gitRepositories: readonly { kind: string; name: string; namespace?: string | null; body: Record<string, unknown> }[],
): string | null {
  const ref = fluxSourceRef(kustomization);
  return ref === null ? null : gitRepositoryUrl(ref, gitRepositories);
}

/** Helm settings of a source that set values other than by files of the repository. */
const INLINE_VALUES = ['values', 'valuesObject', 'parameters', 'fileParameters'];
/**
 * Those Warden renders with the chart, read where they are written (src/render/inline-values.ts), by how they are
 * written: a YAML text, a block mapping, or Helm parameters (src/common/helm-parameters.ts); one of the first two,
 * and parameters over it.
 */
const INLINE_FOLLOWED = { values: 'text', valuesObject: 'block', parameters: 'parameters' } as const;
export type InlineForm = (typeof INLINE_FOLLOWED)[keyof typeof INLINE_FOLLOWED];

/**
 * What an Argo CD source installs when it is a Helm source Warden renders as Argo CD does: the chart folder (a path
 * of its repository), the values files (paths of the repository, in order; none: values.yaml alone), and the values
 * it sets itself over them (one `values` text or one `valuesObject`, and plain `parameters` over it). Null for another
 * source, or one setting values another way (`fileParameters`, parameters not followed, both a text and an object), or naming a values
 * file that is templated, remote, out of the repository, or of a `ref` source of another repository than its own, or
 * whose release name (of `application`, the Application's name, by default) Helm does not take, or is not known where
 * its namespace is. Whether the repository is this one is the caller's to ask (of `repoURL`).
 */
export function argoChartInstall(source: Record<string, unknown>, siblings: readonly Record<string, unknown>[], environment: BuildEnvironment = {}, application?: string): ArgoChartInstall | null {
  const helm = source.helm;
  // With the settings of another type too (Kustomize's, a directory's), Argo CD renders nothing: not a chart install.
  if (!isRecord(helm) || typeof source.path !== 'string' || source.chart !== undefined || source.plugin !== undefined || source.kustomize !== undefined || source.directory !== undefined) return null;
  if (!rendersAsWarden(helm, environment)) return null;
  const releaseName = argoReleaseName(helm, application);
  // Rendered for its namespace with its release's name only: one Helm refuses deploys nothing, one unknown is unknown.
  if (releaseName === null || (releaseName === undefined && environment.ARGOCD_APP_NAMESPACE !== undefined && environment.ARGOCD_APP_NAMESPACE !== '')) return null;
  const inline = INLINE_VALUES.filter((key) => helm[key] !== undefined);
  if (!inline.every((key) => Object.hasOwn(INLINE_FOLLOWED, key)) || (helm.values !== undefined && helm.valuesObject !== undefined)) return null;
  // Parameters alone are its inline values; over a text or an object, they are its parameters (Helm's --set, last).
  const key = inline[0] as keyof typeof INLINE_FOLLOWED | undefined;
  if (key === 'values' && typeof helm.values !== 'string') return null;
  if (key === 'valuesObject' && !isRecord(helm.valuesObject)) return null;
  const value = key === 'parameters' ? argoHelmParameters(helm.parameters, environment) : key ? helm[key] : undefined;
  const parameters = key !== 'parameters' && helm.parameters !== undefined ? argoHelmParameters(helm.parameters, environment) : undefined;
  if (value === null || parameters === null) return null;
  const folder = argoFolder(source.path);
  if (folder === null) return null;
  const listed = helm.valueFiles ?? [];
  if (!Array.isArray(listed)) return null;
  // `$name/…` is read from the root of the source whose `ref` is `name`: followed when it is of the same repository.
  const own = repositoryKey(String(source.repoURL ?? ''));
  const refs = new Set(siblings.filter((s) => typeof s.ref === 'string' && own !== null && repositoryKey(String(s.repoURL ?? '')) === own).map((s) => s.ref as string));
  const values = listed.map((file) => valuesFile(file, folder, refs, environment));
  if (!values.every((file): file is string => file !== null)) return null;
  return {
    repoURL: String(source.repoURL ?? ''),
    folder,
    values,
    ...(helm.ignoreMissingValueFiles === true ? { ignoreMissing: true } : {}),
    ...(key ? { inline: { key, form: INLINE_FOLLOWED[key], value } } : {}),
    ...(parameters !== undefined ? { parameters: { value: parameters } } : {}),
    // What the parameters' values were put in with, to read them again where they are written.
    ...(helm.parameters !== undefined ? { environment } : {}),
    // Argo CD installs the release in the destination's namespace.
    ...(environment.ARGOCD_APP_NAMESPACE !== undefined && environment.ARGOCD_APP_NAMESPACE !== '' ? { namespace: environment.ARGOCD_APP_NAMESPACE } : {}),
    ...(releaseName !== undefined ? { releaseName } : {}),
  };
}

/**
 * The name Argo CD renders a Helm source's release by (`.Release.Name`): its `helm.releaseName`, else the name of the
 * Application (without the namespace Argo CD prefixes it with outside its own); undefined when neither is known, null
 * when it is not a name Helm takes (Helm then renders nothing).
 */
function argoReleaseName(helm: Record<string, unknown>, application: string | undefined): string | null | undefined {
  const named = helm.releaseName;
  if (named !== undefined && named !== '' && typeof named !== 'string') return null;
  const name = typeof named === 'string' && named !== '' ? named : application;
  if (name === undefined || name === '' || name.includes('{{')) return undefined;
  return helmReleaseName(name);
}

/** Helm's longest release name, and the names it takes (Helm's chartutil.ValidateReleaseName). */
const MAX_RELEASE_NAME = 53;
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The name, if Helm takes it as a release's; else null (`helm template` and an install refuse it). */
export function helmReleaseName(name: string): string | null {
  return name.length <= MAX_RELEASE_NAME && RELEASE_NAME.test(name) ? name : null;
}

/**
 * The name Flux installs a HelmRelease's release by: its `releaseName`, else `[<targetNamespace>-]<name>`, one longer
 * than Helm takes shortened as Flux shortens it (helm-controller's release.ShortenName: its first 40 characters, `-`,
 * and the first 12 hexadecimal digits of its SHA-256); null when it is not a name Helm takes.
 */
export function fluxReleaseName(name: string, spec: Record<string, unknown>): string | null {
  if (typeof spec.releaseName === 'string' && spec.releaseName !== '') return helmReleaseName(spec.releaseName);
  if (spec.releaseName !== undefined && spec.releaseName !== '') return null;
  const composed = typeof spec.targetNamespace === 'string' && spec.targetNamespace !== '' ? `${spec.targetNamespace}-${name}` : name;
  // Counted and cut in bytes, as Go does.
  const bytes = Buffer.from(composed, 'utf8');
  const hashLength = 12;
  const shortened = bytes.length <= MAX_RELEASE_NAME ? composed : `${bytes.subarray(0, MAX_RELEASE_NAME - hashLength - 1).toString('utf8')}-${createHash('sha256').update(bytes).digest('hex').slice(0, hashLength)}`;
  return helmReleaseName(shortened);
}

/**
 * Whether Argo CD renders a Helm source's chart as Warden does: `.Release.Namespace` the destination's (`helm.namespace`
 * renders it as another, while what names none is still applied in the destination), and `.Capabilities` those of
 * `helm template` (`helm.kubeVersion`, `helm.apiVersions` give others). Else what a template prints there is unknown.
 */
function rendersAsWarden(helm: Record<string, unknown>, environment: BuildEnvironment): boolean {
  const namespace = helm.namespace;
  const sameNamespace = namespace === undefined || namespace === '' || (typeof namespace === 'string' && namespace === environment.ARGOCD_APP_NAMESPACE);
  return sameNamespace && helm.kubeVersion === undefined && helm.apiVersions === undefined;
}

/** A chart an Argo CD source installs: of which repository, its folder there, its values files (argoChartInstall). */
export interface ArgoChartInstall {
  repoURL: string;
  folder: string;
  values: string[];
  /** `ignoreMissingValueFiles`: a listed file that is not there is left out (else the render fails). */
  ignoreMissing?: true;
  /**
   * Values the source sets itself, over its files: `values` (a YAML text), `valuesObject`, or `parameters` (their
   * value the values tree they set).
   */
  inline?: { key: keyof typeof INLINE_FOLLOWED; form: InlineForm; value: unknown };
  /** Helm parameters it sets over a `values` text or a `valuesObject` (its `inline`): the values tree they set. */
  parameters?: { value: Record<string, unknown> };
  /** The parameters an ApplicationSet's generator filled its template with, when the source sets values itself. */
  filledBy?: Readonly<Record<string, string>>;
  /** The name of the Application an ApplicationSet makes with it, when its template's name fills in. */
  application?: string;
  /** The build environment its parameters' values were put in with. */
  environment?: BuildEnvironment;
  /** The namespace the release is installed in (the destination's), when the source says it. */
  namespace?: string;
  /** Its release's name (argoReleaseName), when known: always, when its namespace is. */
  releaseName?: string;
  /** Installed in another cluster than Argo CD's own (inClusterDestination): may not run where the rest is deployed. */
  mayNotRunHere?: true;
}

/**
 * Each source of an Application (or of an ApplicationSet's template), with the charts it installs (argoChartInstall),
 * or null when it is not a Helm source Warden follows. An ApplicationSet's templated source installs one chart per
 * Application its generators make (generatorParameterSets: list generators, and git directory generators given the
 * repository's listing in `context`): each filled in; null when any is not followed, or when a filled source is
 * still templated or not followed.
 */
export function argoSourceInstalls(kind: string, body: Record<string, unknown>, context?: GeneratorContext): { path: Path; source: Record<string, unknown>; installs: ArgoChartInstall[] | null }[] {
  const sources = argoSourcesOf(kind, body);
  const plain = sources.map(([, source]) => source);
  const templated = kind === 'ApplicationSet' && JSON.stringify(plain).includes('{{');
  const spec = isRecord(body.spec) ? body.spec : {};
  const sets = templated ? generatorParameterSets(Array.isArray(spec.generators) ? spec.generators : [], spec.goTemplate === true, context) : null;
  // A `templatePatch` may change any source of any Application the set makes: none is followed.
  const patched = kind === 'ApplicationSet' && spec.templatePatch !== undefined;
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  const template = isRecord(spec.template) ? spec.template : {};
  const named = isRecord(template.metadata) ? template.metadata.name : undefined;
  const destination = isRecord(template.spec) && isRecord(template.spec.destination) ? template.spec.destination.namespace : undefined;
  return sources.map(([path, source], i) => {
    if (patched) return { path, source, installs: null };
    if (!templated) {
      // An ApplicationSet's Applications are named by its template, each its own: not known here.
      const environment = kind === 'Application' ? buildEnvironment(metadata.name, metadata.namespace, isRecord(spec.destination) ? spec.destination.namespace : undefined, source) : {};
      const install = argoChartInstall(source, plain, environment, kind === 'Application' && typeof metadata.name === 'string' ? metadata.name : undefined);
      const elsewhere = !inClusterDestination(kind === 'Application' ? spec.destination : isRecord(template.spec) ? template.spec.destination : undefined);
      return { path, source, installs: install ? [{ ...install, ...(elsewhere ? { mayNotRunHere: true as const } : {}) }] : null };
    }
    if (sets === null) return { path, source, installs: null };
    const installs: ArgoChartInstall[] = [];
    for (const parameters of sets) {
      const filled = plain.map((s) => fillTemplate(s, parameters) as Record<string, unknown>);
      const application = typeof named === 'string' ? (fillTemplate(named, parameters) as string) : '';
      const environment = buildEnvironment(application, metadata.namespace, fillTemplate(destination, parameters), filled[i]!);
      const found = JSON.stringify(filled).includes('{{') ? null : argoChartInstall(filled[i]!, filled, environment, application);
      if (found === null) return { path, source, installs: null };
      // Values the template sets itself are read where they are written, filled in as this Application's.
      const cluster = isRecord(template.spec) ? fillTemplate(template.spec.destination, parameters) : undefined;
      const install = { ...found, ...(found.inline ? { filledBy: parameters } : {}), ...(application !== '' && !application.includes('{{') ? { application } : {}), ...(inClusterDestination(cluster) ? {} : { mayNotRunHere: true as const }) };
      if (!installs.some((known) => JSON.stringify(known) === JSON.stringify(install))) installs.push(install);
    }
    return { path, source, installs };
  });
}

/**
 * The repository every chart a source installs is of (an ApplicationSet's Applications may each fill in another),
 * as its first spells it; null when they are of several, or there is none.
 */
export function installsRepository(installs: readonly ArgoChartInstall[] | null): string | null {
  const keys = new Set((installs ?? []).map((install) => repositoryKey(install.repoURL)));
  return keys.size === 1 && !keys.has(null) ? installs![0]!.repoURL : null;
}

/** What a git directory generator needs to be followed: the repository's listing, and which URLs are this repository's. */
export interface GeneratorContext {
  listed: readonly string[];
  isThisRepository: (url: string) => boolean;
}

/**
 * The parameters of each Application an ApplicationSet's generators make, named as its template names them (`env`,
 * `path`, or `.env`, `.path.path` with `goTemplate`): a list generator's literal elements, a git directory generator's
 * folders of this repository (with `context`: its listing), a matrix generator's pairs of two such children's; each
 * generator's `selector` applied (selectedSets). Null when any generator is another, a git generator cannot be
 * followed, or a selector cannot be applied exactly.
 */
export function generatorParameterSets(generators: readonly unknown[], goTemplate: boolean, context?: GeneratorContext): Record<string, string>[] | null {
  if (generators.length === 0) return null;
  const sets: Record<string, string>[] = [];
  for (const generator of generators) {
    const made = generatedSets(generator, goTemplate, context);
    const kept = made && isRecord(generator) && generator.selector !== undefined && generator.selector !== null ? selectedSets(made, generator.selector, goTemplate) : made?.sets;
    if (!kept) return null;
    sets.push(...kept);
  }
  return sets;
}

/**
 * One generator's parameter sets, before its selector, and whether Warden gives a parameter (by its flat name, as a
 * selector names it) exactly as Argo CD does: there with the same value, or absent, in every set.
 */
interface GeneratedSets {
  sets: Record<string, string>[];
  exact: (key: string) => boolean;
}

function generatedSets(generator: unknown, goTemplate: boolean, context?: GeneratorContext): GeneratedSets | null {
  if (!isRecord(generator)) return null;
  if (isRecord(generator.list) && Array.isArray(generator.list.elements) && generator.list.template === undefined) {
    const elements = generator.list.elements;
    if (!elements.every(isRecord)) return null;
    // Argo CD's parameters are an element's strings; another value it prints its own way, or flattens (a mapping).
    const strings = elements.every((element) => Object.values(element).every((value) => typeof value === 'string'));
    return { sets: elements.map((element) => elementParameters(element, goTemplate)), exact: () => strings };
  }
  if (context && isRecord(generator.git) && Array.isArray(generator.git.directories) && generator.git.template === undefined && context.isThisRepository(String(generator.git.repoURL ?? ''))) {
    const prefix = typeof generator.git.pathParamPrefix === 'string' ? generator.git.pathParamPrefix : '';
    const name = (key: string) => (prefix ? `${prefix}.${key}` : key);
    const sets = gitDirectories(generator.git.directories, context.listed).map((dir) => directoryParameters(dir, goTemplate, prefix));
    // The folder's path and base name as Argo CD gives them; its other path parameters (its normalized name, its
    // segments) and `values` not, or not the same; any other parameter, absent in both.
    const given = new Set([name(goTemplate ? 'path.path' : 'path'), name('path.basename')]);
    const values = generator.git.values !== undefined;
    const exact = (key: string) => given.has(key) || (!key.startsWith(name('path')) && !(values && key.startsWith('values')));
    return { sets, exact };
  }
  if (isRecord(generator.matrix) && Array.isArray(generator.matrix.generators) && generator.matrix.generators.length === 2 && generator.matrix.template === undefined) {
    // Every pair of its two children's parameters (each child's selector applied); a child filled in from the
    // other's, or one naming a parameter the other names too, is not followed.
    if (JSON.stringify(generator.matrix.generators).includes('{{')) return null;
    const children = generator.matrix.generators.map((child: unknown) => {
      const made = generatedSets(child, goTemplate, context);
      const kept = made && isRecord(child) && child.selector !== undefined && child.selector !== null ? selectedSets(made, child.selector, goTemplate) : made?.sets;
      return made && kept ? { sets: kept, exact: made.exact } : null;
    });
    const [first, second] = children;
    if (!first || !second) return null;
    const sets: Record<string, string>[] = [];
    for (const a of first.sets) {
      for (const b of second.sets) {
        if (Object.keys(b).some((key) => Object.hasOwn(a, key))) return null;
        sets.push({ ...a, ...b });
      }
    }
    return { sets, exact: (key) => first.exact(key) && second.exact(key) };
  }
  return null;
}

/** A label key or value as Kubernetes validates it (Argo CD refuses a selector with another). */
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const isLabelKey = (key: string) => {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? null : key.slice(0, slash);
  return LABEL_NAME.test(key.slice(slash + 1)) && (prefix === null || (prefix.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix)));
};
const isLabelValue = (value: string) => value === '' || LABEL_NAME.test(value);

/**
 * The sets a generator's `selector` keeps, as Argo CD applies it to each set's parameters by their flat names
 * (`env`, `path.basename`; a Go template's without its leading dot): `matchLabels`, and `matchExpressions` with `In`,
 * `NotIn`, `Exists`, `DoesNotExist`. Null when it is written otherwise (Argo CD then makes no Application) or names
 * a parameter Warden does not give exactly as Argo CD does.
 */
function selectedSets(made: GeneratedSets, selector: unknown, goTemplate: boolean): Record<string, string>[] | null {
  if (!isRecord(selector) || Object.keys(selector).some((key) => key !== 'matchLabels' && key !== 'matchExpressions')) return null;
  const { matchLabels = {}, matchExpressions = [] } = selector;
  if (!isRecord(matchLabels) || !Array.isArray(matchExpressions)) return null;
  const requirements: { key: string; operator: string; values: string[] }[] = Object.entries(matchLabels).map(([key, value]) => ({ key, operator: 'In', values: [value as string] }));
  if (!Object.values(matchLabels).every((value) => typeof value === 'string')) return null;
  for (const expression of matchExpressions) {
    if (!isRecord(expression) || typeof expression.key !== 'string' || typeof expression.operator !== 'string') return null;
    const values = expression.values ?? [];
    if (!Array.isArray(values) || !values.every((value): value is string => typeof value === 'string')) return null;
    requirements.push({ key: expression.key, operator: expression.operator, values });
  }
  for (const { key, operator, values } of requirements) {
    const listed = operator === 'In' || operator === 'NotIn';
    if (!listed && operator !== 'Exists' && operator !== 'DoesNotExist') return null;
    if (listed ? values.length === 0 || !values.every(isLabelValue) : values.length > 0) return null;
    if (!isLabelKey(key) || !made.exact(key)) return null;
  }
  const flat = (key: string) => (goTemplate ? `.${key}` : key);
  return made.sets.filter((set) =>
    requirements.every(({ key, operator, values }) => {
      const value = ownValue(set, flat(key));
      if (operator === 'In') return value !== undefined && values.includes(value);
      if (operator === 'NotIn') return value === undefined || !values.includes(value);
      return (value !== undefined) === (operator === 'Exists');
    }),
  );
}

/** A list generator's element as the parameters a template names (`env`, or `.env` with `goTemplate`): its scalars. */
export function elementParameters(element: Record<string, unknown>, goTemplate: boolean): Record<string, string> {
  const scalars = Object.entries(element).filter(([, value]) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean');
  return Object.fromEntries(scalars.map(([key, value]) => [goTemplate ? `.${key}` : key, String(value)]));
}

/** Every string of a value with the parameters put in (`{{env}}`, `{{ .env }}`); what names none stays as written. */
export function fillTemplate(value: unknown, parameters: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return value.replace(/\{\{-?\s*([^{}]+?)\s*-?\}\}/g, (whole, name: string) => ownValue(parameters, name) ?? whole);
  if (Array.isArray(value)) return value.map((item) => fillTemplate(item, parameters));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillTemplate(item, parameters)]));
  return value;
}

/**
 * A listed values file as a path of the repository, or null: templated, remote, out of the repository, of a `ref`
 * not followed, or naming a variable of Argo CD's build environment (`$ARGOCD_APP_NAME`, put in before it is read)
 * that `environment` does not hold.
 */
function valuesFile(file: unknown, folder: string, refs: ReadonlySet<string>, environment: BuildEnvironment): string | null {
  if (typeof file !== 'string' || file === '' || file.includes('{{') || /^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return null;
  const ref = /^\$([^/]+)\/(.+)$/.exec(file);
  // A `$name/` of a ref source is that source's root; the variables are put in after.
  const fromRef = ref !== null && refs.has(ref[1]!);
  const put = putIn(fromRef ? ref[2]! : file.startsWith('$') ? null : file, environment);
  if (put === null) return null;
  const path = posix.normalize(fromRef ? put : posix.join(folder, put));
  return path === '..' || path.startsWith('../') || posix.isAbsolute(path) ? null : path;
}

/** A chart a Flux HelmRelease installs from a folder of a GitRepository (fluxChartInstall). */
export interface FluxChartInstall {
  /** The GitRepository, by name and namespace (its own when the reference names none). */
  source: { name: string; namespace: string | null };
  folder: string;
  /** Paths of that repository, merged in order in place of the chart's values.yaml (none: values.yaml). */
  values: string[];
  /** `spec.values`, merged over them. */
  inline?: { value: Record<string, unknown> };
  /** The namespace the release is installed in: its `targetNamespace`, else its own. */
  namespace?: string;
  /** Its release's name (fluxReleaseName). */
  releaseName: string;
  /** Suspended, or installed through a `kubeConfig` in another cluster: may not run where the rest is deployed. */
  mayNotRunHere?: true;
}

/**
 * What a Flux HelmRelease installs when Warden renders it as Flux does: a chart that is a folder of a GitRepository
 * (`spec.chart.spec.chart`, from the repository's root), its `valuesFile` and `valuesFiles` (from the root too,
 * read in place of the chart's values.yaml: Flux packages the chart with them as its values), and `spec.values`
 * over them. Null for another chart (a HelmRepository's, `chartRef`), values from ConfigMaps or Secrets
 * (`valuesFrom`), post-renderers, a path out of the repository, or a release name Helm does not take.
 */
export function fluxChartInstall(release: { namespace?: string | null; body: Record<string, unknown> }): FluxChartInstall | null {
  const spec = isRecord(release.body.spec) ? release.body.spec : {};
  // Post-renderers (Kustomize patches over the render) change what it deploys after Helm: not followed.
  if (spec.chartRef !== undefined || spec.valuesFrom !== undefined || spec.postRenderers !== undefined) return null;
  const chart = isRecord(spec.chart) && isRecord(spec.chart.spec) ? spec.chart.spec : null;
  const ref = chart && isRecord(chart.sourceRef) ? chart.sourceRef : null;
  if (!chart || !ref || ref.kind !== 'GitRepository' || typeof ref.name !== 'string' || typeof chart.chart !== 'string') return null;
  const folder = argoFolder(chart.chart);
  if (folder === null) return null;
  const listed = [...(chart.valuesFile !== undefined ? [chart.valuesFile] : []), ...(Array.isArray(chart.valuesFiles) ? chart.valuesFiles : chart.valuesFiles === undefined ? [] : [null])];
  const values = listed.map((file) => (typeof file === 'string' ? argoFolder(file) : null));
  if (!values.every((file): file is string => file !== null && file !== '.')) return null;
  if (spec.values !== undefined && !isRecord(spec.values)) return null;
  // Values with Flux's post-build variables (`${NAME}`) are deployed with them put in, which the render does not do.
  if (spec.values !== undefined && referencesVariable(JSON.stringify(spec.values))) return null;
  const metadata = isRecord(release.body.metadata) ? release.body.metadata : {};
  const releaseName = typeof metadata.name === 'string' ? fluxReleaseName(metadata.name, spec) : null;
  if (releaseName === null) return null;
  return {
    source: { name: ref.name, namespace: typeof ref.namespace === 'string' ? ref.namespace : (release.namespace ?? null) },
    folder,
    values,
    ...(isRecord(spec.values) ? { inline: { value: spec.values } } : {}),
    ...(typeof spec.targetNamespace === 'string' && spec.targetNamespace !== '' ? { namespace: spec.targetNamespace } : release.namespace ? { namespace: release.namespace } : {}),
    releaseName,
    ...(spec.suspend === true || spec.kubeConfig !== undefined ? { mayNotRunHere: true as const } : {}),
  };
}

/** The folders of the repository a git directory generator's `directories` select (Go's `path.Match` globs). */
export function gitDirectories(entries: readonly unknown[], listed: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const path of listed) for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) folders.add(dir);
  const globs = (exclude: boolean) => entries.filter((e): e is Record<string, unknown> => isRecord(e) && typeof e.path === 'string' && (e.exclude === true) === exclude).map((e) => picomatch(String(e.path)));
  const [included, excluded] = [globs(false), globs(true)];
  return [...folders].filter((dir) => included.some((match) => match(dir)) && !excluded.some((match) => match(dir))).sort();
}

/** The parameters a git directory generator gives for a folder, as a template names them. */
function directoryParameters(dir: string, goTemplate: boolean, prefix: string): Record<string, string> {
  const segments = dir.split('/');
  const basename = segments.at(-1)!;
  const normalized = basename.replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase();
  const name = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (goTemplate) return { [`.${name('path.path')}`]: dir, [`.${name('path.basename')}`]: basename, [`.${name('path.basenameNormalized')}`]: normalized };
  return { [name('path')]: dir, [name('path.basename')]: basename, [name('path.basenameNormalized')]: normalized, ...Object.fromEntries(segments.map((segment, i) => [`${name('path')}[${i}]`, segment])) };
}
