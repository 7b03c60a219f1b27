// What a change deploys through a path of a name Warden does not read: a file a kustomization lists under another
// name (`pod.txt`), a git submodule it deploys from, a chart's archived subchart, a file a Terraform manifest reads
// (`yamldecode(file(…))`, a template), a values file a Terraform release installs a chart with. No manifest line
// changes, yet what is deployed does: each such path is not reviewed.
import { posix } from 'node:path';
import { skipUnreadable, type RepositoryReader } from './engine/repository.js';
import type { Note } from './model.js';
import { kustomizationDir, layoutNaming } from './compose/layout.js';
import type { ReadText } from './compose/kustomize.js';
import { fileKind } from './formats/index.js';
import { manifestFileReads, mayDeployFiles } from './formats/manifest-files.js';
import { NOT_REVIEWED } from './engine/meta-findings.js';
import { Suppressions, suppressionLapse } from './engine/suppressions.js';
import { getIn, isRecord } from './common/path.js';
import { pacer } from './common/pace.js';
import { chartDependencies, readChartYaml } from './render/chart-file.js';
import { isChartArchive } from './formats/templates.js';
import { readYamlDocuments } from './formats/yaml-documents.js';
import { escapeRegExp } from './common/reg-exp.js';
import { argoOverrides } from './render/gitops-installs.js';
import { helmReleaseName } from './common/argo.js';
import { dataSources, GENERATORS } from './compose/generators.js';

/**
 * A changed path whose change is not reviewed, with why; `line`: only what that line holds (a dependency's entry),
 * and `text`, that file's text, where an acknowledgement above the line is read when the change does not touch it.
 */
export interface Unreviewed {
  file: string;
  reason: string;
  line?: number;
  text?: string;
  /**
   * The Terraform resource that deploys what the file holds (`kubernetes_manifest.x` in `infra/main.tf`): when the
   * review's evaluation made that known and judged it (the file's part no longer unseen there), the file was reviewed.
   */
  reader?: { file: string; resource: string };
}

/** The changed paths still to place: those of names Warden does not read, and YAML or JSON that may be values. */
interface Changed {
  unnamed: ReadonlySet<string>;
  values: ReadonlySet<string>;
}

/** A changed path a step found deployed: not reviewed, with why; or (null) acknowledged where it is deployed. */
interface Placed {
  path: string;
  unreviewed: Unreviewed | null;
}

/** What each step looks with: the repository's listing, its reads (and what is at hand), and the change. */
interface Lookup {
  paths: readonly string[];
  read: ReadText;
  /** Texts the reader holds already (the App's, at no request); undefined: a reader that reads at no such cost. */
  atHand: ReadText | undefined;
  written: ReadonlySet<string>;
  now: Date;
}

/**
 * The changed paths of names Warden does not read that are deployed, with why: a file a kustomization lists
 * (`pod.txt`: kustomize reads a file its entry names as YAML whatever the name), a git submodule whose commit the
 * change moves and that a kustomization deploys from (its files are another repository's: Warden reads none, as it
 * fetches no remote base), an archive a chart installs as a subchart, a file a Terraform manifest reads; and a
 * values file (YAML, so read, but of no object) a Terraform helm_release installs a chart with. Each change deploys
 * what nobody reviewed. Composition reads such a file when its kustomization is built, but not as a changed
 * file: its change fails closed instead.
 */
export async function unreadDeployed(
  written: readonly string[],
  reader: RepositoryReader,
  reviewed: {
    /** Values files a chart's review renders (those `helm.charts` names outside its folder): reviewed there. */
    renderedValues?: ReadonlySet<string>;
    /** Dependency archives a chart's review compared with those at base (src/render/charts.ts): reviewed there. */
    reviewedArchives?: ReadonlySet<string>;
    /**
     * Whether the review reads a path as a manifest by its name (config's `paths.include`; default: any name of a
     * format Warden reads). One it does not (`pod.YAML`: the globs match names as written) is read by kustomize all the same.
     */
    readsByName?: (path: string) => boolean;
  } = {},
  now: Date = new Date(),
): Promise<{ notReviewed: Unreviewed[]; notes: Note[] }> {
  const readsByName = reviewed.readsByName ?? ((path: string) => fileKind(path) !== null);
  const unnamed = new Set(written.filter((path) => fileKind(path) === null || !readsByName(path)));
  // A YAML file outside any chart may be the values a Terraform helm_release installs a chart with.
  const renderedValues = reviewed.renderedValues ?? new Set<string>();
  const values = new Set(written.filter((path) => (fileKind(path) === 'yaml' || fileKind(path) === 'json') && !renderedValues.has(path) && !unnamed.has(path)));
  for (const path of reviewed.reviewedArchives ?? []) unnamed.delete(path);
  if (unnamed.size === 0 && values.size === 0) return { notReviewed: [], notes: [] };
  // Fail closed: a listing or a read that fails stops the review (the App's check fails, to be re-run) rather
  // than let a change whose deployment could not be learned pass.
  const [paths, submodules] = await Promise.all([
    failing(reader.paths(), 'the repository could not be listed'),
    failing(reader.submodules?.() ?? Promise.resolve(new Set<string>()), 'the repository’s git submodules could not be listed'),
  ]);
  const whole = reader.complete ? await failing(reader.complete(), 'the repository could not be listed') : true;
  const notes: Note[] = whole
    ? []
    : [{ file: '(repository)', message: `the repository's tree is too large to list whole (${paths.length} file${paths.length === 1 ? '' : 's'} listed): whether something outside that part deploys the ${unnamed.size + values.size} changed files Warden does not review as manifests (a kustomization entry, a Terraform file, a GitOps release) was not learned` }];
  // A file Warden does not read (too large, binary, a link out of the repository) is read as none, and said.
  const unreadable = new Set<string>();
  const unread = (path: string, why: string) => {
    if (!unreadable.has(path) && unreadable.add(path)) notes.push({ file: path, message: `not read (${why}): whether it deploys a changed file Warden does not review as a manifest was not learned` });
  };
  const read = (path: string) => failing(reader.read(path).catch(skipUnreadable((error) => unread(path, error.reason))), `\`${path}\` could not be read`);
  const lookup: Lookup = {
    paths,
    read,
    // What the reader holds already (the App's texts read earlier, at no request); a reader without it reads.
    atHand: reader.readAtHand ? (path: string) => failing(reader.readAtHand!(path), `\`${path}\` could not be read`).then((t) => t ?? null) : undefined,
    written: new Set(written),
    now,
  };
  // In order of precedence: a path is placed where it is first found (acknowledged there, or not reviewed), and the
  // steps after look only for those still unplaced.
  const steps = [argoSourceOverrides, chartArchives, deployedByTerraform, installedByGitOps, (changed: Changed, on: Lookup) => listedByKustomizations(changed, on, submodules)];
  const found: Unreviewed[] = [];
  for (const step of steps) {
    for (const { path, unreviewed } of await step({ unnamed, values }, lookup)) {
      const unplaced = unnamed.delete(path) || values.delete(path);
      if (unplaced && unreviewed) found.push(unreviewed);
    }
  }
  return { notReviewed: found, notes };
}

/**
 * The changed paths among `unnamed` a kustomization lists (kustomize reads an entry as YAML whatever its name), and
 * the git submodules among them it deploys from.
 */
async function listedByKustomizations({ unnamed }: Changed, { paths, read }: Lookup, submodules: ReadonlySet<string>): Promise<Placed[]> {
  if (unnamed.size === 0) return [];
  const moved = [...unnamed].filter((path) => submodules.has(path));
  const inMoved = (path: string) => moved.find((module) => path === module || path.startsWith(`${module}/`));
  // Only the kustomizations that may name such a path are parsed (here, on the main thread): its name in the text,
  // or an escape that could spell it; the rest are read, not parsed.
  const layout = await layoutNaming(paths, unnamed, read);
  const found: Placed[] = [];
  for (const node of layout.kustomizations.values()) {
    const folders = new Set(node.dirs);
    for (const path of [...node.files, ...node.dirs]) {
      const module = inMoved(path);
      if (module !== undefined) {
        found.push({ path: module, unreviewed: { file: module, reason: `\`${node.file}\` deploys from this git submodule (\`${path}\`), whose files are another repository's and not read: the change of its commit is not reviewed` } });
      } else if (unnamed.has(path)) {
        // An entry without a dot names a folder; a changed path there is a file or a symbolic link in its place.
        // A name Warden reads that the config's `paths.include` leaves out: naming it `.yaml` would not help.
        const leftOut = fileKind(path) !== null;
        const what = folders.has(path) && !node.files.includes(path) ? 'this path, which Warden does not read (a file without a manifest’s name, or a symbolic link)' : leftOut ? 'this file, which `paths.include` leaves out' : 'this file, whose name Warden does not read as a manifest';
        found.push({ path, unreviewed: { file: path, reason: `\`${node.file}\` deploys ${what}: its change is not reviewed (${leftOut ? 'add it to `paths.include`' : 'name a manifest `.yaml`'})` } });
      }
    }
  }
  return found;
}

/**
 * The changed Argo CD parameter overrides kept in git among `values`: `.argocd-source.yaml`, or
 * `.argocd-source-<application>.yaml`, which Argo CD merges into the source of an Application that deploys their
 * folder (a Helm parameter, values, an image: what an image updater writes back). A chart's review renders those
 * it follows (src/render/argo-overrides.ts: they are not among `values`); a change to any other is not reviewed,
 * whatever deploys the folder.
 */
async function argoSourceOverrides({ values }: Changed): Promise<Placed[]> {
  return [...values]
    .filter((path) => argoOverrides([posix.basename(path)], '*') !== null)
    .map((path) => ({ path, unreviewed: { file: path, reason: 'Argo CD merges this file into the source of an Application that deploys its folder (parameter overrides kept in git: Helm parameters or values, images), which Warden follows only in the folder of a chart an Application of the repository installs, named for that Application, setting only `helm.parameters`: its change is not reviewed' } }));
}

/**
 * The changed archives among `unnamed` under a chart's `charts/` (`helm dependency build` writes a dependency
 * there as `<name>-<version>.tgz`; Helm installs every archive there as a subchart): a chart's review renders the
 * archives as they are, but a new one in its place is not compared with the old, so its change is not reviewed.
 * It is said at the `Chart.yaml` entry of the dependency it is, where a person edits (and may acknowledge it, above
 * that entry: a dependency bumped on purpose); one no dependency names, on the archive.
 */
async function chartArchives({ unnamed }: Changed, { read }: Lookup): Promise<Placed[]> {
  const archives = [...unnamed].filter(isChartArchive);
  const found: Placed[] = [];
  for (const path of archives) {
    const chart = posix.dirname(posix.dirname(path));
    const metadata = await chartMetadata(chart, read);
    if (!metadata) continue;
    // The dependency whose archive (`<name>-<version>.tgz`) this is.
    const entry = chartDependencies(metadata.text).find((dep) => posix.basename(path).startsWith(`${dep.name}-`));
    if (entry) {
      found.push({ path, unreviewed: { file: metadata.file, line: entry.lines[0], text: metadata.text, reason: `dependency \`${entry.name}\` is the archive \`${path}\`, which this change writes: Warden renders an archive with its chart's values, but does not compare one with the archive it replaces, so what the new one adds is not reviewed (acknowledge it above this entry when the dependency is bumped on purpose)` } });
    } else {
      found.push({ path, unreviewed: { file: path, reason: `chart \`${chart}\` installs this archive as a subchart, and no dependency of its \`Chart.yaml\` names it: its change is not reviewed` } });
    }
  }
  return found;
}

/**
 * The changed files among `unnamed` that a Terraform file's manifest reads (`yamldecode(file("pod.txt"))`, a
 * `templatefile(…)`), and those among `values` (YAML) that a helm_release installs a chart with. Looked for in the Terraform files that name it and a resource that deploys a file: those of the folders
 * above each (where `path.module` leads down to it), and any other at hand (a path that climbs out with `..`). A
 * chart's own values files are rendered with it.
 */
async function deployedByTerraform({ unnamed, values }: Changed, { paths, read, atHand, written, now }: Lookup): Promise<Placed[]> {
  const changed = [...unnamed, ...values];
  // The folders above the changed files (a set: a pull request of thousands of files in a repository of thousands).
  const folders = new Set<string>(['.']);
  for (const path of changed) for (let dir = posix.dirname(path); dir !== '.' && !folders.has(dir); dir = posix.dirname(dir)) folders.add(dir);
  // Those of the folders above are read (the App reads them in one batch); the others only as already read (in the
  // App, the index's and earlier runs': reading every Terraform file of a large repository would cost requests),
  // for a path that climbs out of its module (`${path.module}/../k8s/pod.txt`).
  const candidates = paths.filter((p) => fileKind(p) === 'hcl');
  const texts = await Promise.all(candidates.map((tf) => (folders.has(posix.dirname(tf)) || !atHand ? read(tf) : atHand(tf))));
  const found: Placed[] = [];
  for (const [i, tf] of candidates.entries()) {
    const text = texts[i]!;
    if (text === null || !mayDeployFiles(text) || !changed.some((path) => text.includes(posix.basename(path)))) continue;
    for (const { resource, path, line } of await failing(manifestFileReads(tf, text), `\`${tf}\` could not be read as HCL`)) {
      // What the resource deploys acknowledged as reviewed elsewhere (a suppression above its block, before this
      // change and not expired): so is what its files hold.
      if (!written.has(tf) && acknowledged(text, line, now)) {
        found.push({ path, unreviewed: null });
      } else if (resource.startsWith('helm_release.')) {
        if ((!values.has(path) && !unnamed.has(path)) || (await holdsChart(posix.dirname(path), read))) continue;
        found.push({ path, unreviewed: { file: path, reason: `\`${tf}\` installs a Helm chart with the values in this file (\`${resource}\` reads it), and Warden does not render a chart with the values a Terraform release gives it: its change is not reviewed (for a chart in this repository, name the file in \`helm.charts\`)` } });
      } else if (unnamed.has(path)) {
        found.push({ path, unreviewed: { file: path, reason: `\`${tf}\` deploys what this file holds (\`${resource}\` reads it), whose name Warden does not read as a manifest, and the review could not make it known there (a value it is given that is not known, a template that is not one YAML document, a resource it was not evaluated with): its change is not reviewed (read a \`.yaml\` manifest whole, with \`file(…)\`, or give it known values)`, reader: { file: tf, resource } } });
      }
    }
  }
  return found;
}

/**
 * The changed files among `values` that an Argo CD Application (`helm.valueFiles`, from the source's `path`, or
 * `$ref/…` from the repository's root) or a Flux HelmRelease (`chart.spec.valuesFiles`, from the root) of this
 * repository installs a chart with; and the changed files among both that a
 * kustomization generates a ConfigMap or Secret from that a HelmRelease's `valuesFrom` names. Only manifests that
 * name such a list and the file (or the generated object) are parsed.
 */
async function installedByGitOps({ unnamed, values }: Changed, { paths, read, atHand, written, now }: Lookup): Promise<Placed[]> {
  if (values.size === 0 && unnamed.size === 0) return [];
  // In the App, only the manifests already read (the pull request's, the repository index's, those kept from
  // earlier runs): reading every manifest of a large repository on every pull request would cost tens of requests.
  const manifests = paths.filter((p) => fileKind(p) === 'yaml');
  const texts = await Promise.all(manifests.map(atHand ?? read));
  const generated = generatedFrom(new Set([...unnamed, ...values]), manifests, texts);
  const names = [...values].map((path) => posix.basename(path));
  const found: Placed[] = [];
  const pause = pacer();
  for (const [i, file] of manifests.entries()) {
    await pause();
    const text = texts[i]!;
    if (text === null) continue;
    // A templated entry (an ApplicationSet's `envs/{{env}}/values.yaml`, `envs/$ARGOCD_APP_NAME.yaml`) may name any of them.
    const listsValues = values.size > 0 && /valueFiles|valuesFiles/.test(text) && (names.some((name) => text.includes(name)) || text.includes('{{') || text.includes('$'));
    const readsGenerated = text.includes('valuesFrom') && [...generated.keys()].some((key) => text.includes(key.slice(key.indexOf('/') + 1)));
    if (!listsValues && !readsGenerated) continue;
    const docs = readYamlDocuments(text);
    for (const [index, doc] of docs.values.entries()) {
      for (const use of valuesFromUses(doc, generated)) {
        const line = docs.locate(index, use.at)?.startLine ?? 1;
        const covered = !written.has(file) && acknowledged(text, line, now);
        for (const path of use.files) {
          if (!unnamed.has(path) && !values.has(path)) continue;
          found.push({ path, unreviewed: covered ? null : { file: path, reason: `\`${file}\` installs a Helm chart with the values in this file (${use.what}), and Warden does not render a chart with the values Flux gives it: its change is not reviewed` } });
        }
      }
      for (const use of valuesFileUses(doc)) {
        for (const listed of use.files) {
          for (const resolved of listedValues(listed, use.from, values)) {
            if (await holdsChart(posix.dirname(resolved), read)) continue;
            const line = docs.locate(index, use.at)?.startLine ?? 1;
            const covered = !written.has(file) && acknowledged(text, line, now);
            found.push({ path: resolved, unreviewed: covered ? null : { file: resolved, reason: `\`${file}\` installs a Helm chart with the values in this file (${use.what} lists it), and Warden does not render a chart with the values ${use.by} gives it: its change is not reviewed (${use.advice})` } });
          }
        }
      }
    }
  }
  return found;
}

/**
 * The changed values files among `values` a listed values file names: from the source's folder `from`, or `$ref/…`
 * from the root. Templated (an ApplicationSet's `envs/{{env}}/values.yaml`, or a templated folder) or naming a
 * variable of Argo CD's build environment (`envs/$ARGOCD_APP_NAME.yaml`), every changed file it may name once
 * filled: a parameter may stand for any part of a path, so more is taken, never less (a leading `$name/` read both
 * as a `ref` and as a variable).
 */
function listedValues(listed: string, from: string, values: ReadonlySet<string>): string[] {
  const ref = /^\$[^/]*\//.test(listed);
  const paths = ref ? [listed.replace(/^\$[^/]*\//, ''), ...(/^\$(ARGOCD_|\{)/.test(listed) ? [posix.join(from, listed)] : [])] : [posix.join(from, listed)];
  return [...new Set(paths.flatMap((path) => {
    if (!templated(path)) {
      const resolved = posix.normalize(path);
      return values.has(resolved) ? [resolved] : [];
    }
    // `..` after a templated folder cannot be resolved: then only the file's own name is matched, in any folder.
    const templatedFrom = !ref && templated(from);
    const pattern = templatedFrom && listed.includes('..') ? `(?:.*/)?${templatePattern(posix.basename(listed))}` : templatePattern(posix.normalize(path));
    const matches = new RegExp(`^${pattern}$`);
    return [...values].filter((file) => matches.test(file));
  }))];
}

const templated = (path: string) => path.includes('{{') || path.includes('$');

/** A templated path as a pattern: each `{{ … }}`, and each of Argo CD's build variables (`$NAME`, `${NAME}`), any text; the rest literal. */
function templatePattern(path: string): string {
  return path.split(/\{\{.*?\}\}|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/).map(escapeRegExp).join('.*');
}

/**
 * The ConfigMaps and Secrets kustomizations generate from the changed files (`configMapGenerator` and
 * `secretGenerator`, their `files` and `envs`), by `Kind/name`: the paths each is generated from.
 */
function generatedFrom(changed: ReadonlySet<string>, manifests: readonly string[], texts: readonly (string | null)[]): Map<string, string[]> {
  const generated = new Map<string, string[]>();
  if (changed.size === 0) return generated;
  const names = [...changed].map((path) => posix.basename(path));
  for (const [i, file] of manifests.entries()) {
    const dir = kustomizationDir(file);
    const text = texts[i];
    if (dir === null || !text || !/Generator/.test(text) || !names.some((name) => text.includes(name))) continue;
    const k = readYamlDocuments(text).values[0];
    if (!isRecord(k)) continue;
    for (const [key, kind] of GENERATORS) {
      for (const item of Array.isArray(k[key]) ? k[key] : []) {
        if (!isRecord(item) || typeof item.name !== 'string') continue;
        const { envs, files } = dataSources(item);
        const sources = [...files, ...envs].map((source) => source.entry);
        // `files` entries may name their key: `values.yaml=envs/prod/values.yaml`.
        const from = sources.filter((s): s is string => typeof s === 'string').map((s) => posix.normalize(posix.join(dir, s.slice(s.indexOf('=') + 1))));
        const hit = from.filter((path) => changed.has(path));
        if (hit.length > 0) generated.set(`${kind}/${item.name}`, [...(generated.get(`${kind}/${item.name}`) ?? []), ...hit]);
      }
    }
  }
  return generated;
}

/** A Flux HelmRelease's `valuesFrom` entries that name a ConfigMap or Secret generated from changed files. */
function valuesFromUses(doc: unknown, generated: ReadonlyMap<string, string[]>): { what: string; at: (string | number)[]; files: string[] }[] {
  if (generated.size === 0 || !isRecord(doc) || typeof doc.apiVersion !== 'string' || !doc.apiVersion.startsWith('helm.toolkit.fluxcd.io/') || doc.kind !== 'HelmRelease') return [];
  const name = isRecord(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : '';
  const from = getIn(doc, ['spec', 'valuesFrom']);
  return (Array.isArray(from) ? from : []).flatMap((entry) => {
    if (!isRecord(entry) || typeof entry.kind !== 'string' || typeof entry.name !== 'string') return [];
    const files = generated.get(`${entry.kind}/${entry.name}`);
    return files ? [{ what: `HelmRelease \`${name}\` reads it through its \`valuesFrom\`, the ${entry.kind} \`${entry.name}\` a kustomization generates from it`, at: ['spec', 'valuesFrom'], files }] : [];
  });
}

/** The values files an Argo CD Application (or ApplicationSet's template) or a Flux HelmRelease installs a chart with. */
function valuesFileUses(doc: unknown): { what: string; by: string; at: (string | number)[]; from: string; files: string[]; advice: string }[] {
  if (!isRecord(doc) || typeof doc.apiVersion !== 'string') return [];
  const name = isRecord(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : '';
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) : []);
  if (doc.apiVersion.startsWith('argoproj.io/') && (doc.kind === 'Application' || doc.kind === 'ApplicationSet')) {
    const at = doc.kind === 'ApplicationSet' ? ['spec', 'template', 'spec'] : ['spec'];
    const spec = getIn(doc, at);
    if (!isRecord(spec)) return [];
    const sources: [(string | number)[], unknown][] = [[[...at, 'source'], spec.source], ...(Array.isArray(spec.sources) ? spec.sources.map((s, i): [(string | number)[], unknown] => [[...at, 'sources', i], s]) : [])];
    return sources.flatMap(([path, source]) => {
      if (!isRecord(source) || !isRecord(source.helm)) return [];
      const files = strings(source.helm.valueFiles);
      const from = typeof source.path === 'string' ? source.path : '.';
      return files.length > 0 ? [{ what: `${doc.kind} \`${name}\``, by: 'Argo CD', at: path, from, files, advice: argoAdvice(source) }] : [];
    });
  }
  if (doc.apiVersion.startsWith('helm.toolkit.fluxcd.io/') && doc.kind === 'HelmRelease') {
    const chart = getIn(doc, ['spec', 'chart', 'spec']);
    if (!isRecord(chart)) return [];
    const files = [...strings(chart.valuesFiles), ...(typeof chart.valuesFile === 'string' ? [chart.valuesFile] : [])];
    return files.length > 0 ? [{ what: `HelmRelease \`${name}\``, by: 'Flux', at: ['spec', 'chart'], from: '.', files, advice: 'for a chart in this repository, name the file in `helm.charts`' }] : [];
  }
  return [];
}

/**
 * What would have Warden render an Argo CD source's chart with its values files (src/common/argo.ts
 * argoChartInstall), said to whoever reads why a change to one is not reviewed.
 */
function argoAdvice(source: Record<string, unknown>): string {
  const helm = isRecord(source.helm) ? source.helm : {};
  if (source.chart !== undefined) return 'the chart is fetched from a Helm repository, which Warden does not do';
  const settings = ['namespace', 'kubeVersion', 'apiVersions'].filter((key) => helm[key] !== undefined && helm[key] !== '');
  if (settings.length > 0) return `Argo CD renders the chart with ${settings.map((key) => `\`helm.${key}\``).join(', ')}, which Warden renders with only as a \`namespace\` that is the destination's`;
  if (typeof helm.releaseName === 'string' && helm.releaseName !== '' && !helm.releaseName.includes('{{') && helmReleaseName(helm.releaseName) === null) return '`helm.releaseName` is not a name Helm takes for a release (lower-case letters, digits, `-` and `.`, at most 53 characters), so Argo CD renders nothing';
  const inline = ['values', 'valuesObject', 'parameters', 'fileParameters'].filter((key) => helm[key] !== undefined);
  if (inline.length > 0) return `the source sets values itself too (${inline.map((key) => `\`${key}\``).join(', ')}), which Warden renders with the chart only as one \`values\` text, one \`valuesObject\`, or plain \`parameters\` (no list index; no backslash, comma or leading \`{\` in a value), not \`fileParameters\`: move them into a values file of this repository, or \`valuesObject\`, to have the chart rendered with its files`;
  if (JSON.stringify(source).includes('{{')) return 'its source is a template, followed only when every generator of the ApplicationSet is a list generator';
  const files = Array.isArray(helm.valueFiles) ? helm.valueFiles : [];
  if (files.some((file) => typeof file === 'string' && file.replace(/^\$[^/]*\//, '').includes('$'))) return 'a values file it lists names a variable of Argo CD\'s build environment (`$ARGOCD_APP_NAME`), which Warden does not put in: name the file as it is';
  return 'Warden renders a chart with the values files an Application lists when the chart is a folder of this repository and they are files of it; else name the file in `helm.charts`';
}

/** Whether a `warden:ignore warden/not-reviewed` above `line` holds now (no expiry, or one not past). */
function acknowledged(text: string, line: number, now: Date): boolean {
  const found = Suppressions.of(text).above(line, NOT_REVIEWED);
  return found !== null && suppressionLapse(found.reason, now) === null;
}

/**
 * Whether a folder holds a chart (its values files are rendered with it; its `charts/` are its subcharts).
 */
async function holdsChart(dir: string, read: ReadText): Promise<boolean> {
  return (await chartMetadata(dir, read)) !== null;
}

/** A folder's chart metadata file and its text, or null when it holds no chart. */
async function chartMetadata(dir: string, read: ReadText): Promise<{ file: string; text: string } | null> {
  const text = await readChartYaml(dir, read);
  if (text === null) return null;
  const file = posix.join(dir, 'Chart.yaml');
  return { file: (await read(file)) === text ? file : posix.join(dir, 'Chart.yml'), text };
}

/** `work`'s value; its failure as an error that says what could not be learned, and of what. */
export async function failing<T>(work: Promise<T>, what: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const { message, status } = error as { message?: string; status?: number };
    throw new Error(`${what}, to learn what deploys the changed files of names Warden does not read: ${message ?? String(error)}${status ? ` (status ${status})` : ''}`);
  }
}
