// `kustomize build`, for the subset real repositories use, on parsed data: resources (files and nested
// kustomizations), components, strategic-merge and JSON 6902 patches (files and inline, with targets), the
// legacy patchesStrategicMerge / patchesJson6902 / bases, namespace, namePrefix / nameSuffix, labels,
// commonLabels and commonAnnotations, replicas, images, replacements, and the built-in configMapGenerator and
// secretGenerator (with the env files and files they read), and `helmCharts` whose chart is in the repository
// (inflated by the hook a build is given: src/render/kustomize-charts.ts renders them with Warden's Helm renderer). Nothing is run or fetched: a remote base, a
// chart to pull or a generator plugin is an uncomposed part (UNSEEN), and the fields it does not apply are notes
// (UNAPPLIED). Every value keeps its origin (src/compose/provenance.ts), and every object the lines that built it.
import { posix } from 'node:path';
import { CLUSTER_SCOPED_KINDS } from '../common/cluster-scoped.js';
import rfdc from 'rfdc';
import type { Path, Range } from '../model.js';
import type { UnreadDocuments } from '../formats/unread-documents.js';
import { getIn, isRecord } from '../common/path.js';
import { deployedObjects } from '../formats/listed-objects.js';
import { applyJsonPatch } from './json6902.js';
import { below, explicitChild, materialize, ownerOf, shadowOf, type Origin, type Shadow } from './provenance.js';
import { resolveFieldPath, splitFieldPath } from './field-paths.js';
import { Sources, type DocumentCache } from './sources.js';
import { hasBuiltInSchema, strategicMerge } from './strategic-merge.js';
import { dataSources, envFileLines, fileSource, GENERATORS, invalidDataKey, literalPair, type DataSource } from './generators.js';
import { identity, matchesTarget, nameOf, namespaceOf, replacementTargets, sameNamespace, selectedById, selectorText, targetPatterns } from './selection.js';
import { imageMatcher, imagePaths, replaceImage } from './images.js';
import { chartFolder, type ChartInflation, type Inflated } from './helm-charts.js';

/** The names kustomize reads a kustomization from, in its order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** Bounds on one composition: past them the rest is a note, never unbounded work. */
export const COMPOSE_LIMITS = { maxObjects: 20_000, maxKustomizations: 2_000, maxDepth: 50 };

export interface ComposedObject {
  body: Record<string, unknown>;
  shadow: Shadow;
  /** Its name as its manifest wrote it (patches and replicas name it so). */
  originalName: string;
  /** Its namespace as its manifest wrote it ('' for none): a generator's `behavior: merge` finds it so. */
  originalNamespace: string;
  /**
   * Read only as far as its `apiVersion`, `kind` and `metadata` (a CustomResourceDefinition, whose schema no rule
   * reads): a build that selects it for a patch, a replacement or `replicas` is composed again, reading it whole.
   */
  partial?: boolean;
  /**
   * Every place that contributed to it: its manifest, patches, kustomization entries (the same entry is the
   * same object, so repeats cost nothing). Turned into line ranges only when asked (src/compose/resources.ts).
   */
  contributors: Origin[];
}

export interface CompositionNote {
  file: string;
  message: string;
}

/**
 * What a kustomization adds that the build could not compose: a resource, component, patch or replacement file that
 * is not there (kustomize itself would stop there), a remote base or component, a chart to pull (or one Warden cannot
 * inflate exactly) or a generator plugin (Warden fetches and runs nothing), or a build cut at a bound. What it adds is not reviewed. `lines`: the
 * entry that adds it in `file`; null for the whole file (a bound).
 */
export interface UncomposedPart extends CompositionNote {
  lines: Range | null;
  /** The path that is not there (a file, or a folder without a kustomization), repository-relative. */
  missing?: string;
  /**
   * Set when `file` is not the kustomization but what an uncomposed part reads (a transformer config, a chart's
   * values file: `'file'`; a chart or config folder, every file below it: `'folder'`), or a changed file behind a
   * cut build: a change to it is not reviewed (the whole file); untouched, it says nothing (the entry says it).
   */
  input?: 'file' | 'folder';
}

/** A file's text, or null when there is none (a folder, a missing file). */
export type ReadText = (path: string) => Promise<string | null>;

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^git@|^(github|gitlab|bitbucket)\.(com|org)\//i;

export function isRemote(entry: string): boolean {
  return REMOTE.test(entry);
}

/** Workload kinds whose selector and pod template get `commonLabels`. */
const SELECTING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

type Kustomization = Record<string, unknown>;

interface Built {
  objects: ComposedObject[];
}

/** One `kustomize build` of each root folder, sharing the reads and the builds of common bases. */
export class Composer {
  readonly sources: Sources;
  readonly notes: CompositionNote[] = [];
  /** Never capped as notes are: each is a finding when the change touches it (src/review.ts). */
  readonly uncomposed: UncomposedPart[] = [];
  private readonly uncomposedKeys = new Set<string>();
  readonly read = new Set<string>();
  readonly consumed = new Set<string>();
  /** Patch files whose `$patch: delete` removed a whole object: reviewed as that removal. */
  readonly deleting = new Set<string>();
  private readonly texts = new Map<string, Promise<string | null>>();
  private readonly built = new Map<string, Promise<Built | null>>();
  private objects = 0;
  private kustomizations = 0;
  private stopped = false;
  /**
   * Builds cut at a bound: the folder (or file) not composed, or null when everything after was cut (the object and
   * kustomization bounds). The changed files behind a cut are found in the layout (src/compose/index.ts).
   */
  readonly cuts: { path: string | null; message: string }[] = [];

  /** A partly read object was selected by something that may read or write the rest of it: compose again, whole. */
  selectedPartial = false;

  constructor(
    private readonly readText: ReadText,
    documents: DocumentCache = new Map(),
    /** How `helmCharts` are inflated; null: they are not (each entry is not composed). */
    private readonly charts: ChartInflation | null = null,
    /** Kinds no rule reads, whose documents are read only as far as their identity (none: every document whole). */
    private readonly unread?: UnreadDocuments,
  ) {
    this.sources = new Sources(documents, unread);
  }

  /** The objects something selected, noting whether one of them was read only in part. */
  private selecting(objects: ComposedObject[]): ComposedObject[] {
    if (objects.some((o) => o.partial)) this.selectedPartial = true;
    return objects;
  }

  private text(path: string): Promise<string | null> {
    let text = this.texts.get(path);
    if (!text) {
      // A read that fails rejects the build (fail closed), never taken for a file that is not there.
      text = this.readText(path);
      this.texts.set(path, text);
    }
    return text;
  }

  private note(file: string, message: string): void {
    if (this.notes.length < 200 && !this.notes.some((n) => n.file === file && n.message === message)) this.notes.push({ file, message });
  }

  /** Something the kustomization in `file` adds was not composed: at the entry `at` that adds it (null: anywhere in it). */
  private notComposed(file: string, message: string, at: Origin | null, missing?: string): void {
    const key = `${file}\0${message}`;
    if (this.uncomposedKeys.has(key)) return;
    this.uncomposedKeys.add(key);
    const lines = at ? this.sources.locate(at.source, at.path) : null;
    this.uncomposed.push({ file, message, lines: lines && { startLine: lines.startLine, endLine: lines.endLine }, ...(missing !== undefined ? { missing } : {}) });
  }

  /** A file (or every file below a folder) that an uncomposed part reads: a change to it was not reviewed. */
  private inputNotComposed(path: string, input: 'file' | 'folder', message: string): void {
    const key = `${path}\0${input}\0${message}`;
    if (this.uncomposedKeys.has(key)) return;
    this.uncomposedKeys.add(key);
    this.uncomposed.push({ file: path, message, lines: null, input });
  }

  /** The kustomization file of a folder, with its text. */
  async kustomizationOf(dir: string): Promise<{ file: string; text: string } | null> {
    for (const name of KUSTOMIZATION_NAMES) {
      const file = dir === '.' || dir === '' ? name : `${dir}/${name}`;
      const text = await this.text(file);
      if (text !== null) return { file, text };
    }
    return null;
  }

  /**
   * Build a root folder: its objects, or null when it holds no readable kustomization. They are the build's own
   * (not copies): nothing changes them after, and an overlay that includes the folder copies them as it does any base.
   */
  async build(dir: string): Promise<ComposedObject[] | null> {
    const built = await this.buildDir(normalize(dir), []);
    return built && built.objects;
  }

  private buildDir(dir: string, stack: readonly string[]): Promise<Built | null> {
    // A folder already being built further up is a cycle: never entered again, so this terminates.
    if (stack.includes(dir)) return Promise.resolve(null);
    let built = this.built.get(dir);
    if (!built) {
      built = this.apply(dir, [], [...stack, dir]).then((objects) => objects && { objects });
      this.built.set(dir, built);
    }
    return built;
  }

  /**
   * Apply the kustomization of `dir` to `accumulated` (empty for a kustomization; what is built so far for a
   * component): add its resources, apply its components, then its transformers, in kustomize's order.
   */
  private async apply(dir: string, accumulated: ComposedObject[], stack: readonly string[]): Promise<ComposedObject[] | null> {
    const found = await this.kustomizationOf(dir);
    if (!found) return null;
    if (this.stopped) return accumulated;
    if (++this.kustomizations > COMPOSE_LIMITS.maxKustomizations) {
      this.stop(found.file, `more than ${COMPOSE_LIMITS.maxKustomizations} kustomizations in one build: the rest were not composed`);
      return accumulated;
    }
    this.read.add(found.file);
    const docs = this.sources.documents(found.file, found.text);
    const k = docs.values[0];
    if (!isRecord(k)) {
      this.note(found.file, docs.errors[0] ? `cannot be read as a kustomization: ${docs.errors[0].message}` : 'is not a kustomization (not a mapping): nothing composed from it');
      return accumulated;
    }
    const self = this.sources.add(found.file, found.text, docs, 0);
    const entries = new Map<string, Origin>();
    const entry = (path: Path): Origin => {
      const key = path.join('\0');
      let line = entries.get(key);
      if (!line) entries.set(key, (line = { source: self, path }));
      return line;
    };
    const objects = accumulated;

    for (const key of ['resources', 'bases'] as const) {
      for (const [i, item] of listOf(k[key]).entries()) {
        if (typeof item !== 'string') continue;
        if (isRemote(item)) {
          this.notComposed(found.file, `remote base \`${item}\` is not fetched (Warden fetches nothing): what it adds was not composed`, entry([key, i]));
          continue;
        }
        const added = await this.resource(posix.join(dir, item), { file: found.file, at: entry([key, i]) }, stack);
        if (!added) continue;
        const line = entry([key, i]);
        for (const object of added) {
          object.contributors.push(line);
          objects.push(object);
        }
      }
    }
    await this.generators({ file: found.file, dir, self, k, objects, entry });
    await this.helmCharts({ file: found.file, dir, self, k, objects, entry });
    if (!this.admit(found.file)) return objects;

    for (const [i, item] of listOf(k.components).entries()) {
      if (typeof item !== 'string' || isRemote(item)) {
        if (typeof item === 'string') this.notComposed(found.file, `remote component \`${item}\` is not fetched (Warden fetches nothing): what it changes was not composed`, entry(['components', i]));
        continue;
      }
      const componentDir = normalize(posix.join(dir, item));
      if (stack.includes(componentDir)) {
        this.note(found.file, `includes itself through \`${item}\`: that cycle is not followed`);
        continue;
      }
      const after = await this.apply(componentDir, objects, [...stack, componentDir]);
      if (after === null) this.notComposed(found.file, `component \`${item}\` has no kustomization that Warden can read (where there is none, kustomize stops the build): what it changes was not composed`, entry(['components', i]), componentDir);
      else for (const object of objects) object.contributors.push(entry(['components', i]));
    }

    const context: Transform = { file: found.file, dir, self, k, objects, entry };
    await this.strategicMergePatches(context);
    await this.patches(context);
    this.namespace(context);
    this.prefixSuffix(context);
    this.labels(context);
    this.annotations(context);
    await this.json6902Patches(context);
    this.replicas(context);
    this.images(context);
    await this.replacements(context);
    for (const [key, consequence] of Object.entries(UNAPPLIED)) if (k[key] !== undefined && k[key] !== null) this.note(found.file, `\`${key}\` ${consequence}`);
    for (const [key, consequence] of Object.entries(UNSEEN)) if (k[key] !== undefined && k[key] !== null) this.notComposed(found.file, `\`${key}\` ${consequence}`, entry([key]));
    await this.unseenInputs(context);
    return objects;
  }

  private stop(file: string, message: string): void {
    if (!this.stopped) {
      this.notComposed(file, message, null);
      this.cuts.push({ path: null, message: `${file} ${message}` });
    }
    this.stopped = true;
  }

  /**
   * The local files and folders the UNSEEN fields read (kustomize reads them; Warden applies none of them): a change
   * to one is not reviewed. Without this, a change to a transformer config alone is silent.
   */
  private async unseenInputs(t: Transform): Promise<void> {
    // A chart's inputs are said by its own entry when it is not inflated (helmCharts below).
    for (const { key, path, folder } of unseenInputPaths(t.k).filter((input) => input.key !== 'helmCharts')) {
      const target = normalize(posix.join(t.dir, path));
      // An entry without a dot may be a file too (kustomize reads what is there); a folder's every file counts.
      const isFile = folder === false || (folder === 'maybe' && (await this.text(target)) !== null);
      const what = isFile ? `\`${target}\`` : `the files below \`${target}\``;
      this.inputNotComposed(target, isFile ? 'file' : 'folder', `${what} ${isFile ? 'is' : 'are'} read by \`${key}\` of ${t.file}, which Warden does not apply: \`${key}\` ${UNSEEN[key]!.replace(/:.*$/, '')}`);
    }
  }

  private admit(file: string): boolean {
    if (this.objects <= COMPOSE_LIMITS.maxObjects) return true;
    this.stop(file, `builds more than ${COMPOSE_LIMITS.maxObjects} objects: the rest were not composed`);
    return false;
  }

  /** A `resources:` entry (`from`: the kustomization and the entry): a manifest file's objects, or a folder's build. */
  private async resource(path: string, from: { file: string; at: Origin }, stack: readonly string[]): Promise<ComposedObject[] | null> {
    const target = normalize(path);
    if (stack.length > COMPOSE_LIMITS.maxDepth) {
      const message = `nests kustomizations deeper than ${COMPOSE_LIMITS.maxDepth}: \`${target}\` was not composed`;
      this.notComposed(from.file, message, from.at);
      this.cuts.push({ path: target, message: `${from.file} ${message}` });
      return null;
    }
    // Kustomize reads any file an entry names as YAML, whatever its name (`pod.txt`); a name without a dot is a folder.
    const text = /\.[^/.]+$/.test(target) ? await this.text(target) : null;
    if (text !== null && !/\.(ya?ml|json)$/i.test(target)) {
      this.note(from.file, `\`${target}\` is read as YAML whatever its name, as kustomize reads it; but a change to it is not reviewed as a manifest's is (it fails closed): name it \`.yaml\``);
    }
    if (text !== null) return this.manifest(target, text);
    if (stack.includes(target)) {
      this.note(from.file, `includes itself (\`${target}\` is already being built): that cycle is not followed`);
      return null;
    }
    const built = await this.buildDir(target, stack);
    if (!built) {
      if (!stack.includes(target)) this.notComposed(from.file, `\`${target}\` is neither a file nor a folder with a kustomization that Warden can read (where there is none, kustomize stops the build): what it adds was not composed`, from.at, target);
      return null;
    }
    this.objects += built.objects.length;
    return built.objects.map(cloneObject);
  }

  private manifest(file: string, text: string): ComposedObject[] {
    const out = this.manifestObjects(file, text);
    this.objects += out.length;
    return out;
  }

  /** A manifest's objects, read (and consumed: reviewed through what they compose into), not yet counted. */
  private manifestObjects(file: string, text: string): ComposedObject[] {
    this.read.add(file);
    this.consumed.add(file);
    const docs = this.sources.documents(file, text);
    const out: ComposedObject[] = [];
    docs.values.forEach((value, doc) => {
      // A List among the resources is its items (src/formats/listed-objects.ts), each its own source.
      for (const { body: object, at } of deployedObjects(value)) {
        if (typeof object.kind !== 'string') continue;
        const source = this.sources.add(file, text, docs, doc, null, at);
        const body = clone(object);
        const meta = isRecord(body.metadata) ? body.metadata : {};
        out.push({
          body,
          shadow: shadowOf({ source, path: [] }),
          originalName: typeof meta.name === 'string' ? meta.name : '',
          originalNamespace: typeof meta.namespace === 'string' ? meta.namespace : '',
          contributors: [{ source, path: [] }],
          ...(docs.partial && this.unread?.unread(object.kind) ? { partial: true } : {}),
        });
      }
    });
    return out;
  }

  // ---- generators ----

  /**
   * `configMapGenerator` and `secretGenerator`, as kustomize runs them (src/compose/generators.ts reads their
   * sources): the pairs of their env files (`envs`, legacy `env`), `literals` and `files`, each value's origin its
   * env file line, its `KEY=value` literal or the file it reads whole (so a finding on it goes there); the name and
   * namespace given, `options` over `generatorOptions` (labels, annotations, `immutable`), a Secret's `type` (Opaque)
   * and base64 `data`. No hash suffix is added to the name: kustomize adds one and rewrites every reference to the
   * object with it, and Warden resolves references by the name as written, so leaving both out resolves them alike.
   * `behavior: merge` or `replace` changes the one object of that kind, name and namespace built so far, as
   * kustomize does. What kustomize would stop on (a file it cannot read or will not read, outside the
   * kustomization's folder; a bad or repeated key; nothing, or an object already there, to merge with), and a key
   * an env file takes from the environment (which Warden cannot know) are not composed: not reviewed where the change
   * touches them.
   */
  private async generators(t: Transform): Promise<void> {
    for (const [key, kind] of GENERATORS) {
      for (const [i, item] of listOf(t.k[key]).entries()) {
        if (!isRecord(item)) continue;
        if (typeof item.name !== 'string' || item.name === '') {
          this.notComposed(t.file, `\`${key}\` entry ${i + 1} has no name (kustomize stops the build there): what it generates was not composed`, t.entry([key, i]));
          continue;
        }
        const generated = await this.generate(t, key, kind, i, item);
        this.absorb(t, key, kind, i, item, generated);
      }
    }
  }

  /** The object one generator item makes, before it meets what the kustomization built so far. */
  private async generate(t: Transform, key: string, kind: 'ConfigMap' | 'Secret', i: number, item: Record<string, unknown>): Promise<ComposedObject> {
    const name = item.name as string;
    const where = `${key} \`${name}\` of ${t.file}`;
    const at: Origin = { source: t.self, path: [key, i] };
    const object: ComposedObject = { body: { apiVersion: 'v1', kind }, shadow: shadowOf(at), originalName: name, originalNamespace: typeof item.namespace === 'string' ? item.namespace : '', contributors: [t.entry([key, i])] };
    setWithOrigin(object, ['metadata', 'name'], name, below(at, 'name'));
    if (typeof item.namespace === 'string' && item.namespace !== '') setWithOrigin(object, ['metadata', 'namespace'], item.namespace, below(at, 'namespace'));
    const local = isRecord(item.options) ? item.options : {};
    const global = isRecord(t.k.generatorOptions) ? t.k.generatorOptions : {};
    // An entry's own labels and annotations win over the kustomization's `generatorOptions`.
    for (const field of ['labels', 'annotations'] as const) {
      for (const [options, path] of [[global, ['generatorOptions', field]], [local, [key, i, 'options', field]]] as const) {
        if (!isRecord(options[field])) continue;
        for (const [k, v] of Object.entries(options[field])) setWithOrigin(object, ['metadata', field, k], String(v), { source: t.self, path: [...path, k] });
      }
    }
    if (kind === 'Secret') setWithOrigin(object, ['type'], typeof item.type === 'string' && item.type !== '' ? item.type : 'Opaque', typeof item.type === 'string' ? below(at, 'type') : at);
    const immutable = local.immutable === true ? [key, i, 'options', 'immutable'] : global.immutable === true ? ['generatorOptions', 'immutable'] : null;
    if (immutable) setWithOrigin(object, ['immutable'], true, { source: t.self, path: immutable });

    // Pairs in kustomize's order: env files, literals, files. A key given twice stops kustomize: the first is kept.
    const pairs: { key: string; value: string; origin: Origin; file: string }[] = [];
    const { envs, files } = dataSources(item);
    for (const source of envs) {
      const read = await this.dataFile(t, where, source, [key, i, ...source.at], source.entry);
      if (!read) continue;
      object.contributors.push({ source: read.source, path: [] });
      for (const line of envFileLines(read.text)) {
        const origin: Origin = { source: read.source, path: [line.line] };
        if ('error' in line) this.notComposed(read.file, `${where} reads ${line.error}: kustomize stops the build there`, origin);
        // The key is not quoted back: a line without `=` may be a credential pasted alone.
        else if ('fromEnvironment' in line) this.notComposed(read.file, `${where} reads line ${line.line + 1}, a key without \`=\`: kustomize takes its value from the environment it runs in (older kustomize) or leaves it empty (newer), so its value is not known, and was not composed`, origin);
        else pairs.push({ key: line.key, value: line.value, origin, file: read.file });
      }
    }
    for (const [j, literal] of listOf(item.literals).entries()) {
      const origin: Origin = { source: t.self, path: [key, i, 'literals', j] };
      const pair = literalPair(literal);
      if ('error' in pair) this.notComposed(t.file, `${where}: ${pair.error} (kustomize stops the build there)`, origin);
      else pairs.push({ ...pair, origin, file: t.file });
    }
    for (const source of files) {
      const parsed = typeof source.entry === 'string' ? fileSource(source.entry) : { error: 'a `files` entry that is not a path' };
      const entryAt: Path = [key, i, ...source.at];
      if ('error' in parsed) {
        this.notComposed(t.file, `${where}: ${parsed.error} (kustomize stops the build there)`, { source: t.self, path: entryAt });
        continue;
      }
      const read = await this.dataFile(t, where, source, entryAt, parsed.path);
      if (!read) continue;
      object.contributors.push({ source: read.source, path: [] });
      pairs.push({ key: parsed.key, value: read.text, origin: { source: read.source, path: [] }, file: read.file });
    }
    const seen = new Set<string>();
    for (const pair of pairs) {
      const invalid = invalidDataKey(pair.key) ?? (seen.has(pair.key) ? `\`${pair.key}\` is given twice` : null);
      if (invalid !== null) {
        this.notComposed(pair.file, `${where}: ${invalid} (kustomize stops the build there): not composed`, pair.origin);
        continue;
      }
      seen.add(pair.key);
      // The data as a whole (a Secret's committed values) is the item's first source: where its author edits.
      if (!Object.hasOwn(object.body, 'data')) setWithOrigin(object, ['data'], {}, below(at, ['literals', 'envs', 'env', 'files'].find((field) => item[field] !== undefined && item[field] !== null) ?? 'name'));
      setWithOrigin(object, ['data', pair.key], kind === 'Secret' ? Buffer.from(pair.value).toString('base64') : pair.value, pair.origin);
    }
    return object;
  }

  /**
   * A file a generator reads (`entry`: its path, relative to the kustomization), or null when it is not read, which
   * fails closed at the item's entry: it is not there or not readable, or it is where kustomize's default load
   * restrictor refuses to read (outside the kustomization's folder, an absolute path), or remote (not fetched).
   */
  private async dataFile(t: Transform, where: string, source: DataSource, at: Path, entry: unknown): Promise<{ file: string; text: string; source: number } | null> {
    const origin = t.entry(at);
    if (typeof entry !== 'string' || entry.trim() === '') {
      this.notComposed(t.file, `${where}: \`${source.field}\` names no file (kustomize stops the build there): what it generates was not composed`, origin);
      return null;
    }
    if (isRemote(entry) || /^https?:\/\//i.test(entry)) {
      this.notComposed(t.file, `${where} reads \`${entry}\`, which Warden does not fetch: what it generates was not composed`, origin);
      return null;
    }
    const file = normalize(posix.join(t.dir, entry));
    if (posix.isAbsolute(entry) || !insideFolder(file, t.dir)) {
      this.notComposed(t.file, `${where} reads \`${entry}\`, outside the kustomization's folder: kustomize refuses it by default (its load restrictor) and reads it only when run with \`--load-restrictor LoadRestrictionsNone\`, so what it generates is not known and was not composed`, origin);
      return null;
    }
    const text = await this.text(file);
    if (text === null) {
      this.notComposed(t.file, `${where} reads \`${file}\`, which Warden cannot read (where there is none, kustomize stops the build): what it generates was not composed`, origin, file);
      return null;
    }
    this.read.add(file);
    this.consumed.add(file);
    return { file, text, source: this.sources.addData(file, text) };
  }

  /**
   * A generated object into what the kustomization built so far, by its `behavior`: `create` (the default) adds it,
   * `merge` and `replace` change the one object of its kind, name and namespace (as first written, else as now):
   * its name, namespace, labels and annotations stay, the generated ones winning; `merge` keeps its data too.
   */
  private absorb(t: Transform, key: string, kind: string, i: number, item: Record<string, unknown>, generated: ComposedObject): void {
    const behavior = item.behavior ?? 'create';
    const where = `${key} \`${String(item.name)}\``;
    if (behavior !== 'create' && behavior !== 'merge' && behavior !== 'replace') {
      this.notComposed(t.file, `${where} has \`behavior\` \`${String(behavior)}\`, which kustomize does not know (it stops the build there): what it generates was not composed`, t.entry([key, i, 'behavior']));
      return;
    }
    const name = generated.originalName;
    const namespace = generated.originalNamespace;
    const same = (o: ComposedObject, n: string, ns: string) => o.body.kind === kind && o.body.apiVersion === 'v1' && n === name && sameNamespace(ns, namespace);
    const byOriginal = t.objects.filter((o) => same(o, o.originalName, o.originalNamespace));
    const existing = byOriginal.length > 0 ? byOriginal : t.objects.filter((o) => same(o, nameOf(o), namespaceOf(o)));
    if (behavior === 'create') {
      if (existing.length > 0) {
        this.notComposed(t.file, `${where} generates a ${kind} this kustomization already builds (kustomize stops the build there: it takes \`behavior: merge\` or \`replace\` to change it): what it generates was not composed`, t.entry([key, i]));
        return;
      }
      t.objects.push(generated);
      this.objects++;
      return;
    }
    if (existing.length !== 1) {
      this.notComposed(t.file, `${where} has \`behavior: ${behavior}\`, but ${existing.length === 0 ? 'no' : existing.length} ${kind} of that name and namespace ${existing.length === 0 ? 'is' : 'are'} built before it (kustomize stops the build there): what it generates was not composed`, t.entry([key, i, 'behavior']));
      return;
    }
    const old = existing[0]!;
    const keep = (path: Path) => setWithOrigin(generated, path, clone(getIn(old.body, path)), ownerOf(old.shadow, old.body, path).origin);
    keep(['metadata', 'name']);
    if (typeof getIn(old.body, ['metadata', 'namespace']) === 'string') keep(['metadata', 'namespace']);
    else removeWithOrigin(generated, ['metadata', 'namespace']);
    const kept: Path[] = [['metadata', 'labels'], ['metadata', 'annotations'], ...(behavior === 'merge' ? [['data'], ['binaryData']] : [])];
    for (const map of kept) {
      const before = getIn(old.body, map);
      const after = getIn(generated.body, map);
      if (!isRecord(before)) continue;
      for (const field of Object.keys(before)) if (!isRecord(after) || !Object.hasOwn(after, field)) keep([...map, field]);
    }
    generated.originalName = old.originalName;
    generated.originalNamespace = old.originalNamespace;
    generated.contributors = [...old.contributors, ...generated.contributors];
    t.objects[t.objects.indexOf(old)] = generated;
  }

  // ---- helm charts ----

  /**
   * `helmCharts` whose chart is in the repository, inflated as `kustomize build --enable-helm` inflates them (after the
   * built-in generators, before components and transformers): the objects the chart renders join the resources, so
   * the overlay's patches, namespace and images apply to them. An entry Warden cannot follow exactly (a chart to pull,
   * a field its renderer does not honour, a render that fails) is not composed, at the entry, with why; and a change to
   * a file it reads (its values files, the chart) is not reviewed.
   */
  private async helmCharts(t: Transform): Promise<void> {
    for (const [i, item] of listOf(t.k.helmCharts).entries()) {
      if (!isRecord(item)) continue;
      const name = typeof item.name === 'string' && item.name !== '' ? `\`${item.name}\`` : `entry ${i + 1}`;
      const inflated: Inflated = this.charts
        ? await this.charts.inflate({ file: t.file, dir: t.dir, k: t.k, text: this.sources.all[t.self]!.text, index: i, chart: item, entry: t.entry(['helmCharts', i]), paths: this.charts.paths, read: (path) => this.text(path), reads: (path) => this.read.add(path), sources: this.sources, manifest: (file, text) => this.manifestObjects(file, text) })
        : { refused: 'this build was composed without a Helm renderer' };
      if ('refused' in inflated) {
        const message = `\`helmCharts\` chart ${name} is not inflated: ${inflated.refused}; the objects it deploys were not composed`;
        this.notComposed(t.file, message, t.entry(['helmCharts', i, ...(inflated.field ? [inflated.field] : [])]));
        for (const { path, folder } of helmChartInputPaths(t.k, item)) {
          const target = normalize(posix.join(t.dir, path));
          const what = folder ? `the files below \`${target}\` are` : `\`${target}\` is`;
          this.inputNotComposed(target, folder ? 'folder' : 'file', `${what} read by \`helmCharts\` of ${t.file}, whose chart ${name} is not inflated: ${inflated.refused}`);
        }
        continue;
      }
      // kustomize stops the build on an object it already has: nothing of the chart is taken for deployed then.
      const clash = inflated.objects.find((object) => t.objects.some((o) => o.body.apiVersion === object.body.apiVersion && identity(o) === identity(object) && sameNamespace(namespaceOf(o), namespaceOf(object))));
      if (clash) {
        this.notComposed(t.file, `\`helmCharts\` chart ${name} renders ${identity(clash)}, which the kustomization already builds (kustomize stops the build there): the objects it deploys were not composed`, t.entry(['helmCharts', i]));
        continue;
      }
      t.objects.push(...inflated.objects);
      this.objects += inflated.objects.length;
    }
  }

  // ---- patches ----

  /** The documents of a patch given as a file path (relative to the kustomization) or inline text. */
  private async patchDocuments(t: Transform, path: Path, spec: { path?: unknown; patch?: unknown }): Promise<{ source: number; value: unknown }[] | null> {
    if (typeof spec.patch === 'string') {
      const inline = spec.patch;
      const docs = this.sources.documents(`${t.file}#${pathText(path)}`, inline);
      const at = { source: t.self, path: path.concat('patch'), block: inline.includes('\n') };
      if (docs.errors.length > 0) this.note(t.file, `inline patch at \`${pathText(path)}\` cannot be read: ${docs.errors[0]!.message}`);
      return docs.values.map((value, doc) => ({ source: this.sources.add(t.file, this.sources.all[t.self]!.text, docs, doc, at), value }));
    }
    if (typeof spec.path !== 'string') {
      this.note(t.file, `patch at \`${pathText(path)}\` gives neither \`path\` nor \`patch\`: skipped`);
      return null;
    }
    const file = normalize(posix.join(t.dir, spec.path));
    const text = await this.text(file);
    if (text === null) {
      this.notComposed(t.file, `patch file \`${file}\` cannot be read by Warden (where there is none, kustomize stops the build): what it changes was not applied`, { source: t.self, path }, file);
      return null;
    }
    this.read.add(file);
    this.consumed.add(file);
    const docs = this.sources.documents(file, text);
    if (docs.errors.length > 0) this.note(file, `patch cannot be read: ${docs.errors[0]!.message}`);
    return docs.values.map((value, doc) => ({ source: this.sources.add(file, text, docs, doc), value }));
  }

  private async strategicMergePatches(t: Transform): Promise<void> {
    for (const [i, item] of listOf(t.k.patchesStrategicMerge).entries()) {
      // An entry is a file path, or (rarely) the patch itself written inline.
      const spec = typeof item === 'string' && item.includes('\n') ? { patch: item } : { path: item };
      const docs = await this.patchDocuments(t, ['patchesStrategicMerge', i], spec);
      for (const doc of docs ?? []) this.applyPatch(t, ['patchesStrategicMerge', i], doc, null);
    }
  }

  private async patches(t: Transform): Promise<void> {
    for (const [i, item] of listOf(t.k.patches).entries()) {
      if (!isRecord(item)) continue;
      const docs = await this.patchDocuments(t, ['patches', i], item);
      // A patch allowed to change an object's kind (a ConfigMap made a privileged Pod) is not composed: its file
      // then reaches nothing (it fails closed where changed), and the entry is not reviewed where touched.
      if (isRecord(item.options) && item.options.allowKindChange === true) {
        this.notComposed(t.file, `patch at \`patches[${i}]\` may change the kind of what it patches (\`allowKindChange\`), which Warden does not compose: what it changes was not applied`, t.entry(['patches', i]));
        continue;
      }
      for (const doc of docs ?? []) this.applyPatch(t, ['patches', i], doc, isRecord(item.target) ? item.target : null);
    }
  }

  private async json6902Patches(t: Transform): Promise<void> {
    for (const [i, item] of listOf(t.k.patchesJson6902).entries()) {
      if (!isRecord(item)) continue;
      const docs = await this.patchDocuments(t, ['patchesJson6902', i], item);
      if (!isRecord(item.target)) {
        this.note(t.file, `patchesJson6902 entry ${i + 1} has no \`target\`: skipped`);
        continue;
      }
      for (const doc of docs ?? []) this.applyPatch(t, ['patchesJson6902', i], doc, item.target);
    }
  }

  /**
   * A patch that Warden matches to no object. Kustomize may match one (an earlier name or namespace): a patch file
   * then reaches nothing and fails closed where changed (src/fail-closed.ts); an inline patch is not composed, at its
   * own lines, the same way.
   */
  private matchesNothing(t: Transform, path: Path, doc: { source: number }, selector: string): void {
    const message = `patch at \`${pathText(path)}\` targets ${selector}, which nothing this kustomization builds is as Warden matches it: not applied`;
    if (this.sources.all[doc.source]!.file === t.file) this.notComposed(t.file, `inline ${message}`, { source: t.self, path: path.concat('patch') });
    else this.note(t.file, message);
  }

  /**
   * The objects a patch's target (or, `targeted` false, the object its own kind and name name) selects; null when a
   * pattern in it cannot be matched as kustomize matches it (Go): the patch is then not composed, at that pattern.
   */
  private patchTargets(t: Transform, path: Path, selector: Record<string, unknown>, targeted: boolean): ComposedObject[] | null {
    const compiled = targetPatterns(selector);
    if ('patterns' in compiled) return this.selecting(t.objects.filter((o) => matchesTarget(o, selector, compiled.patterns)));
    const field = compiled.unknown;
    this.notComposed(
      t.file,
      `patch at \`${pathText(path)}\` targets ${field} \`${String(selector[field])}\`: kustomize matches it as a Go regular expression, and this one does not compile or Warden cannot match it exactly as Go does: what it patches is not known, and it was not applied`,
      t.entry(targeted ? [...path, 'target', field] : path),
    );
    return null;
  }

  /** One patch document: a list of JSON 6902 operations, or a strategic-merge object. */
  private applyPatch(t: Transform, path: Path, doc: { source: number; value: unknown }, target: Record<string, unknown> | null): void {
    const where = `${t.file} \`${pathText(path)}\``;
    const patchLine: Origin = { source: doc.source, path: [] };
    if (doc.value === null || doc.value === undefined) return;
    if (Array.isArray(doc.value)) {
      if (!target) {
        this.note(t.file, `JSON 6902 patch at \`${pathText(path)}\` has no \`target\`: skipped`);
        return;
      }
      const matched = this.patchTargets(t, path, target, true);
      if (matched === null) return;
      if (matched.length === 0) this.matchesNothing(t, path, doc, selectorText(target));
      const operations = doc.value.map((op, index) => ({ op, at: { source: doc.source, path: [index] } }));
      for (const object of matched) {
        const failed = applyJsonPatch(object.body, object.shadow, operations);
        if (failed) this.note(this.sources.all[doc.source]!.file, `JSON 6902 patch on ${identity(object)} (from ${where}) stops at ${failed}`);
        object.contributors.push(t.entry(path), patchLine);
      }
      return;
    }
    if (!isRecord(doc.value)) return;
    const patch = doc.value;
    const meta = isRecord(patch.metadata) ? patch.metadata : {};
    const selector = target ?? {
      kind: patch.kind,
      name: meta.name,
      ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
      ...(typeof patch.apiVersion === 'string' ? { apiVersion: patch.apiVersion } : {}),
    };
    const matched = this.patchTargets(t, path, selector, target !== null);
    if (matched === null) return;
    if (matched.length === 0) {
      this.matchesNothing(t, path, doc, selectorText(selector));
      return;
    }
    const at: Origin = { source: doc.source, path: [] };
    // The patch names its object; that identity is not merged (a targeted patch applies to other names too).
    const { metadata, kind, apiVersion, ...rest } = patch;
    const merged = { ...rest, ...(isRecord(metadata) ? { metadata: withoutIdentity(metadata) } : {}) };
    void kind;
    void apiVersion;
    for (const object of matched) {
      const kept = strategicMerge(object.body, object.shadow, object.shadow.o!, merged, at, { mergeLists: hasBuiltInSchema(object.body.apiVersion) });
      object.contributors.push(t.entry(path), patchLine);
      if (kept) continue;
      t.objects.splice(t.objects.indexOf(object), 1);
      // A deletion changes the build (a NetworkPolicy gone leaves its pods open): what remains of it was built
      // by that patch too, so a change to the patch puts the rest of the build under review.
      this.deleting.add(this.sources.all[doc.source]!.file);
      for (const rest of t.objects) rest.contributors.push(t.entry(path), patchLine);
    }
  }

  // ---- transformers ----

  private namespace(t: Transform): void {
    if (typeof t.k.namespace !== 'string' || t.k.namespace === '') return;
    const origin: Origin = { source: t.self, path: ['namespace'] };
    for (const object of t.objects) {
      if (CLUSTER_SCOPED_KINDS.has(String(object.body.kind))) continue;
      setWithOrigin(object, ['metadata', 'namespace'], t.k.namespace, origin);
      object.contributors.push(t.entry(['namespace']));
    }
  }

  private prefixSuffix(t: Transform): void {
    const prefix = typeof t.k.namePrefix === 'string' ? t.k.namePrefix : '';
    const suffix = typeof t.k.nameSuffix === 'string' ? t.k.nameSuffix : '';
    if (!prefix && !suffix) return;
    const origin: Origin = { source: t.self, path: [prefix ? 'namePrefix' : 'nameSuffix'] };
    for (const object of t.objects) {
      const kind = String(object.body.kind);
      if (kind === 'Namespace' || kind === 'CustomResourceDefinition') continue;
      const name = (object.body.metadata as Record<string, unknown> | undefined)?.name;
      if (typeof name !== 'string') continue;
      setWithOrigin(object, ['metadata', 'name'], prefix + name + suffix, origin);
      object.contributors.push(t.entry(origin.path));
    }
  }

  private labels(t: Transform): void {
    const sets: { pairs: Record<string, unknown>; path: Path; selectors: boolean; templates: boolean }[] = [];
    if (isRecord(t.k.commonLabels)) sets.push({ pairs: t.k.commonLabels, path: ['commonLabels'], selectors: true, templates: true });
    for (const [i, item] of listOf(t.k.labels).entries()) {
      if (!isRecord(item) || !isRecord(item.pairs)) continue;
      const selectors = item.includeSelectors === true;
      sets.push({ pairs: item.pairs, path: ['labels', i, 'pairs'], selectors, templates: selectors || item.includeTemplates === true });
    }
    for (const set of sets) {
      for (const object of t.objects) {
        const kind = String(object.body.kind);
        for (const [key, value] of Object.entries(set.pairs)) {
          const origin: Origin = { source: t.self, path: [...set.path, key] };
          const label = String(value);
          setWithOrigin(object, ['metadata', 'labels', key], label, origin);
          if (set.templates && SELECTING_KINDS.has(kind)) setWithOrigin(object, ['spec', 'template', 'metadata', 'labels', key], label, origin);
          if (set.selectors && SELECTING_KINDS.has(kind) && kind !== 'Job') setWithOrigin(object, ['spec', 'selector', 'matchLabels', key], label, origin);
          if (set.selectors && kind === 'Service') setWithOrigin(object, ['spec', 'selector', key], label, origin);
        }
        object.contributors.push(t.entry(set.path));
      }
    }
  }

  /** `commonAnnotations`: on every object, and on the pods its workloads make (rules read some: AppArmor, ingress snippets, load balancers). */
  private annotations(t: Transform): void {
    if (!isRecord(t.k.commonAnnotations)) return;
    for (const object of t.objects) {
      const kind = String(object.body.kind);
      const templates: Path[] = [['metadata']];
      if (SELECTING_KINDS.has(kind) || kind === 'ReplicationController') templates.push(['spec', 'template', 'metadata']);
      if (kind === 'CronJob') templates.push(['spec', 'jobTemplate', 'metadata'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata']);
      for (const [key, value] of Object.entries(t.k.commonAnnotations)) {
        const origin: Origin = { source: t.self, path: ['commonAnnotations', key] };
        for (const at of templates) setWithOrigin(object, [...at, 'annotations', key], String(value), origin);
      }
      object.contributors.push(t.entry(['commonAnnotations']));
    }
  }

  private replicas(t: Transform): void {
    for (const [i, item] of listOf(t.k.replicas).entries()) {
      if (!isRecord(item) || typeof item.name !== 'string' || typeof item.count !== 'number') continue;
      const origin: Origin = { source: t.self, path: ['replicas', i, 'count'] };
      // A partly read object has no `spec` to tell by: one of the name is read whole.
      const named = this.selecting(t.objects.filter((o) => o.originalName === item.name || nameOf(o) === item.name));
      const matched = named.filter((o) => isRecord(o.body.spec));
      if (matched.length === 0) this.note(t.file, `replicas for \`${item.name}\`: nothing this kustomization builds has that name`);
      for (const object of matched) {
        setWithOrigin(object, ['spec', 'replicas'], item.count, origin);
        object.contributors.push(t.entry(['replicas', i]));
      }
    }
  }

  private images(t: Transform): void {
    const named = listOf(t.k.images).flatMap((item, i) => (isRecord(item) && typeof item.name === 'string' ? [{ item, i, matcher: imageMatcher(item.name) }] : []));
    // A name kustomize reads as a regular expression Warden cannot match as Go does: which images it changes is
    // not known, so the entry is not composed (not reviewed where the change touches it), never taken literally.
    for (const { item, i, matcher } of named) {
      if (matcher === null) this.notComposed(t.file, `\`images\` entry \`${String(item.name)}\`: kustomize matches the name as a Go regular expression, and this one does not compile or Warden cannot match it exactly as Go does: which images it changes is not known`, t.entry(['images', i, 'name']));
    }
    const entries = named.flatMap(({ item, i, matcher }) => (matcher === null ? [] : [{ item, i, matcher }]));
    if (entries.length === 0) return;
    for (const object of t.objects) {
      // Found once per object for all entries: most objects hold one or two images in a large body.
      const paths = imagePaths(object.body);
      for (const { item, i, matcher } of entries) {
        const field = typeof item.digest === 'string' ? 'digest' : item.newTag !== undefined ? 'newTag' : 'newName';
        const origin: Origin = { source: t.self, path: ['images', i, field] };
        let touched = false;
        for (const path of paths) {
          const image = path.reduce<unknown>((node, seg) => (node as Record<string | number, unknown>)[seg], object.body) as string;
          const replaced = replaceImage(image, item, matcher);
          if (replaced === null) continue;
          setWithOrigin(object, path, replaced, origin);
          touched = true;
        }
        if (touched) object.contributors.push(t.entry(['images', i]));
      }
    }
  }

  // ---- replacements ----

  /** `replacements`, inline or from files: each copies a value (a source object's field, or a literal) into fields of the targets. */
  private async replacements(t: Transform): Promise<void> {
    for (const [i, item] of listOf(t.k.replacements).entries()) {
      if (!isRecord(item)) continue;
      const entry = t.entry(['replacements', i]);
      if (typeof item.path !== 'string') {
        this.replace(t, item, entry, entry);
        continue;
      }
      const file = normalize(posix.join(t.dir, item.path));
      const text = await this.text(file);
      if (text === null) {
        this.notComposed(t.file, `replacement file \`${file}\` cannot be read by Warden (where there is none, kustomize stops the build): what it changes was not applied`, entry, file);
        continue;
      }
      this.read.add(file);
      const docs = this.sources.documents(file, text);
      const source = this.sources.add(file, text, docs, 0);
      const value = docs.values[0];
      // A file holds one replacement or a list of them.
      const specs: [unknown, Path][] = Array.isArray(value) ? value.map((spec, j) => [spec, [j]]) : [[value, []]];
      for (const [spec, path] of specs) if (isRecord(spec)) this.replace(t, spec, { source, path }, entry);
    }
  }

  /** One replacement, written at `at`; `entry`: the kustomization's entry, which contributes to every target. */
  private replace(t: Transform, spec: Record<string, unknown>, at: Origin, entry: Origin): void {
    const where = `replacement at \`${pathText(entry.path)}\``;
    const copied = this.replacementValue(t, spec, at, where);
    if (!copied) return;
    for (const target of listOf(spec.targets)) {
      if (!isRecord(target) || !isRecord(target.select)) {
        this.note(t.file, `${where}: a target without \`select\` is skipped`);
        continue;
      }
      const rejects = listOf(target.reject).filter(isRecord);
      const selected = this.selecting(t.objects.filter((o) => replacementTargets(o, target.select as Record<string, unknown>, rejects)));
      const fieldPaths = listOf(target.fieldPaths).filter((p): p is string => typeof p === 'string');
      const options = isRecord(target.options) ? target.options : {};
      for (const object of selected) {
        for (const fieldPath of fieldPaths.length > 0 ? fieldPaths : ['metadata.name']) {
          const paths = resolveFieldPath(object.body, splitFieldPath(fieldPath), options.create === true);
          // kustomize stops the whole build here: nothing of it deploys, and nothing here is reviewed wrongly.
          if (paths.length === 0) this.note(t.file, `${where}: \`${fieldPath}\` is not in ${identity(object)} (kustomize stops the build there): not applied to it`);
          for (const path of paths) {
            // An empty delimiter is none: kustomize replaces the whole value.
            const value = typeof options.delimiter === 'string' && options.delimiter !== '' ? replacedPart(getIn(object.body, path), copied.value, options.delimiter, options.index) : clone(copied.value);
            if (value === undefined) {
              this.note(t.file, `${where}: its \`index\` ${String(options.index)} is not a whole number (kustomize stops the build there): not applied to ${identity(object)}`);
              continue;
            }
            setWithOrigin(object, path, value, { ...copied.origin, copiedBy: entry });
          }
          if (paths.length > 0) object.contributors.push(entry, copied.origin);
        }
      }
    }
  }

  /** What a replacement copies: its `sourceValue`, or the field of the one object its `source` selects. */
  private replacementValue(t: Transform, spec: Record<string, unknown>, at: Origin, where: string): { value: unknown; origin: Origin } | null {
    // kustomize stops the build on each of these: its targets would deploy nothing, yet reviewed as written they
    // would pass for what deploys. Not composed: not reviewed where the change touches the replacement.
    const unresolved = (why: string) => {
      this.notComposed(this.sources.all[at.source]!.file, `${where}: ${why} (kustomize stops the build there): what it copies is not known, and its targets were not composed with it`, at);
      return null;
    };
    if (typeof spec.sourceValue === 'string') return { value: spec.sourceValue, origin: below(at, 'sourceValue') };
    if (!isRecord(spec.source)) return unresolved('it has neither `source` nor `sourceValue`');
    const source = spec.source;
    const selected = this.selecting(t.objects.filter((o) => selectedById(o, source)));
    if (selected.length !== 1) return unresolved(`its source ${selectorText(source)} selects ${selected.length} objects, not one`);
    const object = selected[0]!;
    const fieldPath = typeof source.fieldPath === 'string' ? source.fieldPath : 'metadata.name';
    const [path] = resolveFieldPath(object.body, splitFieldPath(fieldPath));
    if (!path) return unresolved(`its source field \`${fieldPath}\` is not in ${identity(object)}`);
    const origin = ownerOf(object.shadow, object.body, path).origin;
    const whole = getIn(object.body, path);
    const options = isRecord(source.options) ? source.options : {};
    if (typeof options.delimiter !== 'string' || options.delimiter === '') return { value: whole, origin };
    const part = String(whole).split(options.delimiter)[typeof options.index === 'number' ? options.index : 0];
    if (part === undefined) return unresolved(`its source field \`${fieldPath}\` has no part ${String(options.index)} split by \`${options.delimiter}\``);
    return { value: part, origin };
  }
}

/**
 * Fields of a kustomization that change what it deploys and that Warden does not apply, each with what follows.
 * Nothing is fetched and no plugin is run, ever: these are said, once per kustomization, with the review's notes.
 */
const UNAPPLIED: Record<string, string> = {
  vars: 'are not substituted: `$(VAR)` references are reviewed as written',
  configurations: 'is not read: transformers change only the fields they change by default',
};

/**
 * Fields that add objects Warden cannot see (it fetches no chart and runs no plugin): what they add is not composed,
 * an uncomposed part of the kustomization (not reviewed where the change touches it).
 */
const UNSEEN: Record<string, string> = {
  helmChartInflationGenerator: 'is not run (Warden fetches no chart and runs no helm): the objects it deploys were not composed',
  generators: 'are not run (Warden runs no generator config, built-in or plugin): the objects they add were not composed',
  // Built-in configs (`apiVersion: builtin`, `kind: PatchTransformer`, …) run without any plugin flag.
  transformers: 'are not applied (Warden applies no transformer config, built-in or plugin): the objects were composed without what they change',
  validators: 'are not run (Warden runs no validator config, built-in or plugin): what they change or reject was not composed',
  // A schema gives kinds merge keys: strategic-merge patches of them merge their lists otherwise than composed here.
  openapi: 'is not read (Warden reads no schema): patches of the kinds it describes were composed without its merge keys',
  crds: 'are not read (Warden reads no schema): patches of the kinds they describe were composed without their merge keys',
};

/**
 * The local files and folders an UNSEEN field reads: transformer, generator and validator configs given by path
 * (`folder: 'maybe'`: a file or a kustomization's folder), `crds` and `openapi.path`, the values files of
 * `helmCharts` and the charts a chart home holds (`helmGlobals.chartHome`, `charts` by default), and those of
 * `helmChartInflationGenerator`. Inline entries read nothing else. Shared with src/compose/layout.ts, so that a
 * change to one alone builds the kustomization that reads it.
 */
export function unseenInputPaths(k: Kustomization): { key: string; path: string; folder: boolean | 'maybe' }[] {
  const out: { key: string; path: string; folder: boolean | 'maybe' }[] = [];
  const add = (key: string, path: unknown, folder: boolean | 'maybe') => {
    if (isLocalPath(path)) out.push({ key, path, folder });
  };
  const dotted = (path: unknown) => (typeof path === 'string' && /\.(ya?ml|json)$/i.test(path) ? false : 'maybe');
  for (const key of ['transformers', 'generators', 'validators', 'crds']) for (const entry of listOf(k[key])) add(key, entry, dotted(entry));
  if (isRecord(k.openapi)) add('openapi', k.openapi.path, false);
  for (const chart of listOf(k.helmCharts)) if (isRecord(chart)) for (const { path, folder } of helmChartInputPaths(k, chart)) out.push({ key: 'helmCharts', path, folder });
  for (const generator of listOf(k.helmChartInflationGenerator)) {
    if (!isRecord(generator)) continue;
    add('helmChartInflationGenerator', generator.values, false);
    const home = typeof generator.chartHome === 'string' ? generator.chartHome : 'charts';
    if (typeof generator.chartName === 'string') add('helmChartInflationGenerator', posix.join(home, generator.chartName), true);
  }
  return out;
}

/**
 * What one `helmCharts` entry reads, relative to the kustomization's folder: its values files, and the folder its
 * chart is read from (a chart with a repo is pulled there, maybe already there).
 */
function helmChartInputPaths(k: Kustomization, chart: Record<string, unknown>): { path: string; folder: boolean }[] {
  const files = [chart.valuesFile, ...listOf(chart.additionalValuesFiles)].map((path) => ({ path, folder: false }));
  return [...files, { path: chartFolder(k, chart), folder: true }].filter((input): input is { path: string; folder: boolean } => isLocalPath(input.path));
}

/** A path of the repository an entry names (not a URL, not text that spans lines). */
function isLocalPath(path: unknown): path is string {
  return typeof path === 'string' && path.trim() !== '' && !path.includes('\n') && !isRemote(path);
}

/** Whether a path is in a folder or below it (kustomize's default load restrictor allows nothing else). */
export function insideFolder(file: string, dir: string): boolean {
  return dir === '.' ? file !== '..' && !file.startsWith('../') && !posix.isAbsolute(file) : file === dir || file.startsWith(`${dir}/`);
}

/**
 * `current` with its delimited part `index` replaced by `value` (kustomize's `delimiter` and `index`): a negative
 * index puts the value before the first part, one past the parts after the last, as kustomize does. Undefined for an
 * index that is not a whole number (kustomize refuses it).
 */
function replacedPart(current: unknown, value: unknown, delimiter: string, index: unknown): string | undefined {
  const parts = String(current ?? '').split(delimiter);
  const at = index === undefined || index === null ? 0 : index;
  if (typeof at !== 'number' || !Number.isInteger(at)) return undefined;
  if (at < 0) parts.unshift(String(value));
  else if (at >= parts.length) parts.push(String(value));
  else parts[at] = String(value);
  return parts.join(delimiter);
}

interface Transform {
  file: string;
  dir: string;
  self: number;
  k: Kustomization;
  objects: ComposedObject[];
  entry(path: Path): Origin;
}

export function normalize(path: string): string {
  const normalized = posix.normalize(path.replace(/\\/g, '/')).replace(/\/$/, '');
  return normalized === '' ? '.' : normalized;
}

export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function pathText(path: Path): string {
  return path.map((seg) => (typeof seg === 'number' ? `[${seg}]` : seg)).join('.').replace(/\.\[/g, '[');
}

const clone = rfdc();

/** An object as a base built it, for an overlay to change: every overlay gets its own copy. */
function cloneObject(object: ComposedObject): ComposedObject {
  return { body: clone(object.body), shadow: clone(object.shadow), originalName: object.originalName, originalNamespace: object.originalNamespace, contributors: [...object.contributors], ...(object.partial ? { partial: true } : {}) };
}

function withoutIdentity(metadata: Record<string, unknown>): Record<string, unknown> {
  const { name, namespace, ...rest } = metadata;
  void name;
  void namespace;
  return rest;
}

/** Set a value at a path of a composed object, creating maps on the way, all owned by `origin`. */
export function setWithOrigin(object: ComposedObject, path: Path, value: unknown, origin: Origin): void {
  let node: Record<string | number, unknown> = object.body;
  let shadow = object.shadow;
  let owner = object.shadow.o!;
  // A field named `__proto__` is no field of a Kubernetes object; written, it would be every object's prototype.
  if (path.includes('__proto__')) return;
  path.forEach((seg, i) => {
    const last = i === path.length - 1;
    if (last || !Object.hasOwn(node, seg) || node[seg] === null || typeof node[seg] !== 'object') {
      node[seg] = last ? value : {};
      materialize(shadow, owner, node);
      const created = shadowOf(origin);
      if (Array.isArray(shadow.c)) shadow.c[seg as number] = created;
      else shadow.c![String(seg)] = created;
      shadow = created;
      owner = origin;
    } else ({ shadow, origin: owner } = explicitChild(shadow, owner, node, seg));
    node = node[seg] as Record<string | number, unknown>;
  });
}

/** Remove the value at a path of a composed object, with its origin (nothing when it is not there). */
function removeWithOrigin(object: ComposedObject, path: Path): void {
  const parent = getIn(object.body, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (!isRecord(parent) || !Object.hasOwn(parent, last)) return;
  delete parent[last];
  let shadow: Shadow | undefined = object.shadow;
  for (const seg of path.slice(0, -1)) shadow = shadow?.c && !Array.isArray(shadow.c) ? shadow.c[String(seg)] : undefined;
  if (shadow?.c && !Array.isArray(shadow.c)) delete shadow.c[String(last)];
}
