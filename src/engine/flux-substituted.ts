// What Flux deploys of an object its post-build variables reach (src/common/flux-variables.ts): the object as each
// Flux Kustomization deploying it puts its values in, for the rules to judge, and the values Warden cannot put in
// (one from the cluster's ConfigMaps, a form it does not follow), said where they are written.
import type { Path, Resource } from '../model.js';
import { isRecord, pathKey } from '../common/path.js';
import { commonMetadataOf, holdsVariables, mayHoldVariables, optsOut, putVariablesIn, substitutionOf, withCommonMetadata, type NotPut } from '../common/flux-variables.js';
import { isFluxKustomization } from '../common/argo.js';
import { gitOpsSourcesDeploying, PLACING_KINDS, type GitOpsSource } from './kustomize.js';
import type { RepositoryIndex } from './repository.js';
import { visible } from './visible.js';

export interface Substituted {
  /** The object as deployed, once per distinct way its deployers put their values in (as written, when none does). */
  variants: readonly Resource[];
  /**
   * Values Warden could not put in: where each is written, and why. One no rule reads does not change what the rules
   * say of the object (src/engine/run.ts tracks what they read): only one `always` counts whatever they read (a
   * variable in a key moves a value elsewhere; a ConfigMap's data goes into other objects).
   */
  unresolved: readonly Unput[];
}

export interface Unput {
  path: Path;
  reason: string;
  always?: true;
  /**
   * What the object is at all is not known (its kind or apiVersion, or a reference that may reach past its value):
   * not reviewed wherever the change touches the object, said at this path's line.
   */
  whole?: true;
}

const PLACING: ReadonlySet<string> = new Set(PLACING_KINDS);

const NONE: readonly Resource[] = [];

/**
 * The objects that deploy the repository's folders, among what an evaluation sees (src/engine/visible.ts). Scanned
 * files without any (a proof's one file, most often) see the repository's, found once per repository.
 */
export function deployingObjects(scanned: readonly Resource[], repository: RepositoryIndex): readonly Resource[] {
  let own = holdsPlacers.get(scanned);
  if (own === undefined) holdsPlacers.set(scanned, (own = scanned.some((r) => PLACING.has(r.kind))));
  return visible({ scanned: own ? scanned : NONE, repository, lookups: PLACING }).placers();
}

const holdsPlacers = new WeakMap<readonly Resource[], boolean>();


/**
 * Whether a resource may be deployed otherwise than written through a Flux Kustomization (its variables put in, its
 * common metadata set), or give its variables values.
 */
export function maySubstitute(resource: Resource, fileHoldsVariables: boolean, scanned: readonly Resource[], repository: RepositoryIndex): boolean {
  return !resource.terraform && (fileHoldsVariables || VARIABLE_SOURCES.has(resource.kind) || setsCommonMetadata(scanned) || setsCommonMetadata(repository.resources));
}

const settingMetadata = new WeakMap<readonly Resource[], boolean>();

/** Whether any Flux Kustomization among `resources` sets common metadata (asked for every object: kept per list). */
function setsCommonMetadata(resources: readonly Resource[]): boolean {
  let found = settingMetadata.get(resources);
  if (found === undefined) settingMetadata.set(resources, (found = resources.some((r) => isFluxKustomization(r) && commonMetadataOf(r.body) !== null)));
  return found;
}

/** Distinct ways of putting values in that one object is judged with. */
export const MAX_VARIANTS = 16;

/**
 * The resource as the GitOps sources among `placers` that deploy it (as the file `deployedAs`: a composed object's,
 * the kustomization whose build it is) put Flux's variables in, and set their common metadata on. A ConfigMap or Secret a
 * Flux Kustomization takes variables from (`substituteFrom`) gives values Warden does not follow: its data is said.
 */
/**
 * Why a Flux Kustomization Warden did not read may deploy any file, when one may: the repository index holds only part
 * of the repository (its tree too large to list whole, or more candidate files than it reads). Null when it is whole,
 * or when there is none at all (a scan without one knows no deployer: documented, as without the repository's URLs).
 */
export function unseenDeployers(repository: RepositoryIndex): string | null {
  if (repository.complete || !(repository.unread ?? []).some((u) => u.file === '(repository)')) return null;
  return 'the repository index holds only part of the repository, so a Flux Kustomization Warden did not read may deploy this file and put its variables in';
}

export function substituted(resource: Resource, placers: readonly Resource[], deployedAs: string = resource.file, unseen: string | null = null): Substituted {
  if (resource.terraform) return { variants: [resource], unresolved: [] };
  // Each place and reason once, whichever ways of deploying it say it.
  const unresolved = new Map<string, Unput>();
  const say = (path: Path, reason: string, always: boolean, whole = false) =>
    unresolved.set(`${JSON.stringify(path)}\0${reason}`, { path, reason, ...(always ? { always: true as const } : {}), ...(whole ? { whole: true as const } : {}) });
  if (VARIABLE_SOURCES.has(resource.kind)) for (const given of givenVariables(resource, placers)) say(given.path, given.reason, true);
  const substitutes = holdsVariables(resource.body) && !optsOut(resource.body);
  const sources = [...gitOpsSourcesDeploying(deployedAs, placers), ...(unseen && substitutes ? [unseenSource(unseen)] : [])];
  if (!sources.some((s) => s.commonMetadata !== null || (substitutes && s.substitution !== null))) return { variants: [resource], unresolved: [...unresolved.values()] };
  const variants = new Map<string, Resource>();
  for (const source of sources) {
    const substitution = substitutes ? source.substitution : null;
    const common = source.commonMetadata;
    if (!substitution && !common) {
      variants.set(JSON.stringify(resource.body), resource);
      continue;
    }
    // Flux builds the folder and puts its variables in, then sets its common metadata as it applies each object (over
    // what was put in there, and not put into itself).
    const overridden = (path: Path) => common !== null && path.length === 3 && path[0] === 'metadata' && typeof path[2] === 'string' && ((path[1] === 'labels' && Object.hasOwn(common.labels, path[2])) || (path[1] === 'annotations' && Object.hasOwn(common.annotations, path[2])));
    const put = substitution
      ? putVariablesIn(resource.body, substitution, [], (path, what) => {
          // Which rules judge the object at all follows its kind and apiVersion (a key at its top may be either): one
          // not known leaves it all unjudged.
          const whole = what.why === 'extent' || isTypeField(path) || (what.why === 'key' && path.length === 1);
          if (!overridden(path)) say(path, reasonFor(what, path, source), what.why === 'key' || whole, whole);
        })
      : resource.body;
    const body = common ? withCommonMetadata(put as Record<string, unknown>, common) : put;
    // Labels or annotations it sets that Warden does not know: not reviewed where a rule reads them, wherever the change
    // touches the object (the object does not say them).
    for (const path of common?.unknown?.paths ?? []) say(['metadata', ...path], `what ${source.by} sets at \`metadata.${path.join('.')}\` on this object (its \`commonMetadata\`): ${common!.unknown!.why}`, false, true);
    const key = JSON.stringify(body);
    if (variants.has(key)) continue;
    // Each way is judged whole: past a bound, the values written with variables are not reviewed instead.
    if (variants.size >= MAX_VARIANTS) {
      for (const { path, text, key: inKey } of pathsWithVariables(resource.body)) {
        say(path, `what Flux puts in for ${code(text)} at ${code(path.join('.'))}: more than ${MAX_VARIANTS} Flux Kustomizations deploy this object with values of their own, and Warden judges it with the first ${MAX_VARIANTS}`, inKey === true || isTypeField(path), isTypeField(path));
      }
      // Labels and annotations it sets differ from those judged: the object is not reviewed where touched.
      if (common) say([], `what ${source.by} sets on this object (its \`commonMetadata\`): more than ${MAX_VARIANTS} Flux Kustomizations deploy it, each with its own, and Warden judges it with the first ${MAX_VARIANTS}`, true);
      continue;
    }
    const deployed = asDeployed(resource, body as Record<string, unknown>);
    // A kind or apiVersion put in as other than text: Warden does not know which object that is.
    for (const field of TYPE_FIELDS) {
      if (typeof resource.body[field] === 'string' && typeof deployed.body[field] !== 'string') say([field], `what Flux deploys of ${code(String(resource.body[field]))} at \`${field}\`: ${source.by} puts its post-build variables into what it deploys, and the value put in is not text`, true, true);
    }
    variants.set(key, deployed);
  }
  return { variants: [...variants.values()], unresolved: [...unresolved.values()] };
}

/** A Flux Kustomization not read: it may put variables into what it deploys, none of their values known. */
function unseenSource(why: string): GitOpsSource {
  return { destination: undefined, kustomized: undefined, recurse: true, by: 'a Flux Kustomization Warden did not read', substitution: { values: new Map(), unreadable: new Set(), from: [], unknown: why }, commonMetadata: null };
}

/** The kinds `substituteFrom` names. */
const VARIABLE_SOURCES: ReadonlySet<string> = new Set(['ConfigMap', 'Secret']);

/** Where a ConfigMap or Secret some Flux Kustomization takes its variables from gives them (any Kustomization: it reads the cluster's). */
function givenVariables(resource: Resource, placers: readonly Resource[]): { path: Path; reason: string }[] {
  const takers = placers.filter((k) => {
    if (!isFluxKustomization(k)) return false;
    const from = substitutionOf(k.body)?.from ?? [];
    // Its namespace is the Kustomization's; one not written on either side may be it.
    return from.some((f) => f.kind === resource.kind && f.name === resource.name) && (!k.namespace || !resource.namespace || k.namespace === resource.namespace);
  });
  if (takers.length === 0) return [];
  const reason = (key: string) => `what Flux puts in with the values ${resource.kind} ${code(resource.name)} gives in \`${key}\`: Kustomization ${takers.map((k) => code(k.name)).join(', ')} puts its post-build variables from it (\`substituteFrom\`) into what it deploys, and Warden does not follow values from there (set them in \`substitute\`, Warden puts them in)`;
  return ['data', 'stringData', 'binaryData'].filter((key) => resource.body[key] !== undefined).map((key) => ({ path: [key], reason: reason(key) }));
}

/** The fields that say which object it is, and so which rules judge it. */
const TYPE_FIELDS = ['kind', 'apiVersion'] as const;
const isTypeField = (path: Path) => path.length === 1 && (TYPE_FIELDS as readonly unknown[]).includes(path[0]);

/** The resource with this body, of the kind and named as it is deployed (its id stays: findings and fixes know it by that). */
function asDeployed(resource: Resource, body: Record<string, unknown>): Resource {
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  return {
    ...resource,
    body,
    ...(typeof body.kind === 'string' ? { kind: body.kind } : {}),
    ...(typeof body.apiVersion === 'string' ? { apiVersion: body.apiVersion } : {}),
    ...(typeof metadata.name === 'string' ? { name: metadata.name } : {}),
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
  };
}


/** Where the values (and keys) that may hold variables are, and what they are. */
function pathsWithVariables(value: unknown, path: Path = []): { path: Path; text: string; key?: true }[] {
  if (typeof value === 'string') return mayHoldVariables(value) ? [{ path, text: value }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => pathsWithVariables(item, [...path, i]));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => [...(mayHoldVariables(key) ? [{ path: [...path, key], text: key, key: true as const }] : []), ...pathsWithVariables(item, [...path, key])]);
}

/**
 * The resource with a body that records each value read from it (by its path), for telling whether the rules'
 * verdict on it can depend on a value Warden could not put in. Keys listed are not values; a value read through a
 * property descriptor is read too.
 */
export function trackingReads(resource: Resource): { resource: Resource; read: (path: Path) => boolean } {
  const reads = new Set<string>();
  const wrap = (value: unknown, path: Path): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const at = (key: string) => [...path, Array.isArray(value) && /^\d+$/.test(key) ? Number(key) : key];
    return new Proxy(value, {
      get(target, key, receiver) {
        const found: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || !Object.hasOwn(target, key)) return found;
        reads.add(pathKey(at(key)));
        return wrap(found, at(key));
      },
      getOwnPropertyDescriptor(target, key) {
        const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
        if (typeof key !== 'string' || !descriptor || !('value' in descriptor)) return descriptor;
        if (!descriptor.configurable) {
          reads.add(pathKey(at(key)));
          return descriptor;
        }
        // Listing keys (Object.keys, a spread) asks each key's descriptor for whether it is enumerable, which reads
        // no value: the value is recorded as read when it is got, through the descriptor or the object.
        const { enumerable, value } = descriptor;
        return { enumerable, configurable: true, get: () => (reads.add(pathKey(at(key))), wrap(value, at(key))) };
      },
    });
  };
  return { resource: { ...resource, body: wrap(resource.body, []) as Record<string, unknown> }, read: (path) => reads.has(pathKey(path)) };
}

/** A value read through trackingReads, as plain data again (a fix's op may carry one out of the rule that read it). */
export function plainValue(value: unknown): unknown {
  return value === null || typeof value !== 'object' ? value : (JSON.parse(JSON.stringify(value)) as unknown);
}

const code = (text: string) => `\`${text.length > 80 ? `${text.slice(0, 80)}…` : text}\``;

/** Said of each place on its own (a part not reviewed is known by its reason: acknowledging one must not hide another). */
function reasonFor({ reference, why }: NotPut, path: Path, source: GitOpsSource): string {
  const at = `${code(reference)} at ${code(path.join('.'))}`;
  const by = `${source.by} puts its post-build variables into what it deploys`;
  switch (why) {
    case 'from-cluster':
      return `what Flux puts in for ${at}: ${by}, and takes this one from its \`substituteFrom\` (a ConfigMap or Secret of the cluster), which Warden does not read (set it in \`substitute\`, Warden puts it in)`;
    case 'unreadable':
      return `what Flux puts in for ${at}: ${by}, and its \`substitute\` gives this one as other than plain text (not a string, or holding a variable another Kustomization may fill in)`;
    case 'syntax':
      return `what Flux puts in for ${at}: ${by}, and Warden follows \`\${NAME}\` and its defaults (\`:=\`, \`:-\`, \`=\`) only`;
    case 'unknown':
      return `what Flux puts in for ${at}: ${by}, and its values are not known (${source.substitution?.unknown ?? 'another Kustomization puts variables into it'})`;
    case 'extent':
      return `what Flux deploys of this object, for ${at}: ${by}, into the object's whole text, and this reference has no end Warden can be sure of (Flux reads it up to the first \`}\` after it, which may lie past this value)`;
    case 'structure':
      return `what Flux deploys of ${at}: ${by}, and the value put in would read as more than one value`;
    case 'key':
      return `what Flux deploys under the key ${at}: ${by}, and Warden does not follow variables in keys`;
  }
}

export { holdsVariables } from '../common/flux-variables.js';
