// Objects that deploy what only another tool renders: an Argo CD Application (or ApplicationSet) whose source is a
// Helm chart, a config management plugin or a Kustomize build with patches written there, a Flux HelmRelease,
// Terraform's `helm_release` and a `kubectl_manifest` whose YAML Warden cannot read as one object. Warden reviews the
// object, not what it deploys: Argo CD, Flux or a Terraform provider fetches or renders that, with the values written
// here. Said where it is written, so that no finding there is taken for a review of what it deploys (src/review.ts
// fails closed on one the change touches). And what selects a folder of the repository to deploy (an Argo CD
// source of manifests, a Flux Kustomization): its manifests are reviewed where they are written, but an edit that
// points it at another folder deploys what the change did not review (said only then: `whenEdited`), and what it
// applies over the folder's build (labels, components, patches, a renamed image: `overFolder`) is unseen
// where written; an Argo CD source of another repository's manifests is unseen as a chart is (`from`: which it is,
// the review tells).
import type { DeploysFrom, Path, Range, Resource, UnseenPart } from '../model.js';
import { isRecord } from '../common/path.js';
import { argoSourceInstalls, deploysFolderAsWritten, fluxChartInstall, fluxSourceRef, installsRepository } from '../common/argo.js';

const code = (value: unknown) => `\`${String(value)}\``;

export function renderedElsewhere(resources: readonly Resource[]): UnseenPart[] {
  return resources.flatMap((resource) => {
    const apiVersion = String(resource.apiVersion ?? resource.body.apiVersion ?? '');
    if (apiVersion.startsWith('argoproj.io/') && (resource.kind === 'Application' || resource.kind === 'ApplicationSet')) {
      // What an ApplicationSet's `templatePatch` makes of its template (any source, per Application) is not followed.
      const patch = resource.kind === 'ApplicationSet' && isRecord(resource.body.spec) && resource.body.spec.templatePatch !== undefined;
      const patched = patch ? [part(resource, ['spec', 'templatePatch'], `what ApplicationSet ${code(resource.name)} deploys: the Applications its \`templatePatch\` makes of its template, which Warden does not follow`)] : [];
      return [...patched, ...argoSources(resource)];
    }
    if (apiVersion.startsWith('helm.toolkit.fluxcd.io/') && resource.kind === 'HelmRelease') return helmRelease(resource);
    if (apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') && resource.kind === 'Kustomization') return fluxKustomization(resource);
    return [];
  });
}

/** The sources of an Application (or of an ApplicationSet's template) that Argo CD renders with Helm, a plugin or patches. */
function argoSources(resource: Resource): UnseenPart[] {
  return argoSourceInstalls(resource.kind, resource.body).flatMap(({ path, source, installs }) => {
    // A chart of a folder with values files of the same repository: of this one, rendered as Argo CD renders it
    // (src/render/gitops-installs.ts), and only an edit of what it installs is reviewed anew (src/gitops-deployed.ts).
    // (An ApplicationSet's generated sources are of one repository each: unseen if any is of another.)
    const chartsOf = installsRepository(installs);
    if (chartsOf !== null) return chartOfFolder(resource, path, source, { url: chartsOf });
    const what =
      source.chart !== undefined
        ? `the Helm chart ${code(source.chart)}${source.targetRevision !== undefined ? ` ${code(source.targetRevision)}` : ''} of ${code(source.repoURL)}`
        : source.helm !== undefined
          ? `the Helm chart at ${code(source.path ?? '.')} of ${code(source.repoURL)}`
          : source.plugin !== undefined
            ? `what a config management plugin makes of ${code(source.path ?? '.')} of ${code(source.repoURL)}`
            : // Patches written here can change anything the build makes (its other settings: unappliedSettings).
              isRecord(source.kustomize) && source.kustomize.patches !== undefined
              ? `the Kustomize build of ${code(source.path ?? '.')} of ${code(source.repoURL)} with the patches written here`
              : null;
    if (what !== null) return [part(resource, path, `what ${resource.kind} ${code(resource.name)} deploys: ${what}, which Argo CD renders`)];
    if (!deploysFolderAsWritten(source)) return [];
    // Manifests (or a Kustomize build) of a folder. Of this repository: reviewed where they are written, and only an
    // edit pointing the source elsewhere deploys what this change did not review (an examples folder). Of another:
    // Warden reads none of it, as of a chart.
    const from = { url: String(source.repoURL ?? '') };
    const of = `${code(source.path ?? '.')} of ${code(source.repoURL)}`;
    const moved = `what ${resource.kind} ${code(resource.name)} deploys from ${of}: this change points it there, and Argo CD then deploys manifests Warden reviews where they are written, not as this source selects them`;
    const elsewhere = { ...part(resource, path, `what ${resource.kind} ${code(resource.name)} deploys from ${of}: manifests of a repository other than this one, which Argo CD fetches and Warden does not read`), from };
    // Its revision is not one: moving it on (a release promoted) deploys what was reviewed on its way there.
    const selecting = selectingPart(resource, path, ['repoURL', 'path', 'directory'].filter((key) => source[key] !== undefined), moved).map((p) => ({ ...p, from }));
    const kustomize = isRecord(source.kustomize) ? source.kustomize : {};
    const over = unappliedSettings(kustomize, ARGO_SETTINGS).map((key) => ({ ...part(resource, [...path, 'kustomize', key], `what ${resource.kind} ${code(resource.name)} deploys from ${of}: its build with the \`kustomize.${key}\` the source sets, which Argo CD applies and Warden does not (set in the folder's kustomization, Warden composes it)`), from, overFolder: true as const }));
    return [elsewhere, ...selecting, ...over];
  });
}

/** An Argo CD Helm source Warden renders when it is of this repository: unseen when it is of another, else its edits. */
function chartOfFolder(resource: Resource, path: Path, source: Record<string, unknown>, from: DeploysFrom): UnseenPart[] {
  const of = `the Helm chart at ${code(source.path)} of ${code(source.repoURL)}`;
  const elsewhere = { ...part(resource, path, `what ${resource.kind} ${code(resource.name)} deploys: ${of}, which Argo CD renders`), from };
  const moved = `what ${resource.kind} ${code(resource.name)} deploys: ${of}, which this change installs anew or with other values, and Argo CD renders`;
  return [elsewhere, ...selectingPart(resource, path, ['repoURL', 'path', 'helm'].filter((key) => source[key] !== undefined), moved).map((p) => ({ ...p, from }))];
}

/**
 * A Terraform resource that deploys what its provider renders: a `helm_release` (a chart and its values), a
 * `kubectl_manifest` whose `yaml_body` Warden could not read as one object (a file of the repository is reviewed
 * where it is).
 */
export function terraformRenderedElsewhere(type: string, name: string, body: Record<string, unknown>, lines: Range): UnseenPart | null {
  if (type === 'helm_release') {
    // A chart in the repository (a path, no repository) is reviewed where it is written: only values set here are not.
    const local = body.repository === undefined && typeof body.chart === 'string' && /^(\.\.?\/|\$\{path\.(module|root)\}\/)/.test(body.chart);
    const setsValues = ['values', 'set', 'set_sensitive', 'set_list'].some((key) => body[key] !== undefined);
    if (local && !setsValues) return null;
    if (local) return { lines, reason: `what helm_release ${code(name)} deploys: the chart at ${code(body.chart)} with the values it sets here, which Terraform's Helm provider renders (the chart is reviewed where it is written, these values are not)` };
    const from = body.repository !== undefined ? ` of ${code(body.repository)}` : '';
    return { lines, reason: `what helm_release ${code(name)} deploys: the Helm chart ${code(body.chart)}${from}, which Terraform's Helm provider renders` };
  }
  // One whose YAML is a heredoc with nothing interpolated is reviewed as its object (src/formats/kubectl-manifest.ts).
  if (type === 'kubectl_manifest' && !readsManifestFile(body.yaml_body, /^\$\{file\("([^"]+)"\)\}$/)) {
    return { lines, reason: `what kubectl_manifest ${code(name)} applies: its \`yaml_body\`, which Warden could not make known as one object (it reads a heredoc, a \`file(…)\` or a \`templatefile(…)\` whose values it knows, of one YAML document)` };
  }
  // An object written in HCL is reviewed as that object (src/formats/hcl.ts).
  if (type === 'kubernetes_manifest' && !isRecord(body.manifest) && !readsManifestFile(body.manifest, /^\$\{(?:yamldecode|jsondecode)\(file\("([^"]+)"\)\)\}$/)) {
    return { lines, reason: `what kubernetes_manifest ${code(name)} deploys: its \`manifest\`, which Warden could not make known as an object (it reads an object written in HCL, or a \`yamldecode\`/\`jsondecode\` of a \`file(…)\`, a \`templatefile(…)\` or a heredoc whose values it knows)` };
  }
  return null;
}

/**
 * Whether a value is the whole content of one file the expression reads, named as a manifest (`.yaml`, `.yml`,
 * `.json`): such a file is reviewed where it is, as every manifest of the repository is. One of another name
 * (`pod.txt`, `pod.yaml.tpl`) is not, nor is a template's output.
 */
function readsManifestFile(value: unknown, expression: RegExp): boolean {
  const path = typeof value === 'string' ? expression.exec(value)?.[1] : undefined;
  return path !== undefined && /\.(ya?ml|json)$/i.test(path);
}

/**
 * A Flux HelmRelease: a chart of a folder of a GitRepository Warden renders when that GitRepository is found to be
 * this repository (src/render/gitops-installs.ts), only an edit of what it installs then being reviewed anew
 * (src/gitops-deployed.ts); any other chart, unseen.
 */
function helmRelease(resource: Resource): UnseenPart[] {
  const install = fluxChartInstall(resource);
  const unseen = part(resource, ['spec'], `what HelmRelease ${code(resource.name)} deploys: a Helm chart Flux fetches and renders with the values written here`);
  if (install === null) return [unseen];
  const from: DeploysFrom = { gitRepository: install.source, strict: true };
  const moved = `what HelmRelease ${code(resource.name)} deploys: the Helm chart at ${code(install.folder)} of GitRepository ${code(install.source.name)}, which this change installs anew or with other values, and Flux renders`;
  const spec = isRecord(resource.body.spec) ? resource.body.spec : {};
  return [{ ...unseen, from }, ...selectingPart(resource, ['spec'], ['chart', 'values'].filter((key) => spec[key] !== undefined), moved).map((p) => ({ ...p, from }))];
}

/** A Flux Kustomization's folder and source: pointed elsewhere by an edit, it deploys what this change did not review. */
function fluxKustomization(resource: Resource): UnseenPart[] {
  const spec = isRecord(resource.body.spec) ? resource.body.spec : {};
  const source = isRecord(spec.sourceRef) ? `${String(spec.sourceRef.kind ?? '')} ${code(spec.sourceRef.name)}` : 'its source';
  const moved = `what Kustomization ${code(resource.name)} deploys from ${code(spec.path ?? '.')} of ${source}: this change points it there, and Flux then deploys manifests Warden reviews where they are written, not as this Kustomization selects them`;
  const applied = unappliedSettings(spec, FLUX_SETTINGS).map((key) => ({ ...part(resource, ['spec', key], `what Kustomization ${code(resource.name)} deploys from ${code(spec.path ?? '.')} of ${source}: its build with the \`${key}\` it sets, which Flux applies and Warden does not (set in the folder's kustomization, Warden composes it)`), overFolder: true as const }));
  // Its post-build variables and common metadata Warden puts into the manifests it reviews
  // (src/engine/flux-substituted.ts): an edit of them changes what the folder's other manifests deploy, which the
  // change leaves as they were.
  const put = (key: string) =>
    `what Kustomization ${code(resource.name)} deploys from ${code(spec.path ?? '.')} of ${source}: ${key === 'postBuild' ? 'the post-build variables this change edits, which Flux puts into' : 'the common labels and annotations this change edits, which Flux sets on'} the folder's manifests (Warden does so on the manifests a change touches, not on the rest)`;
  const edits = ['postBuild', 'commonMetadata'].filter((key) => spec[key] !== undefined).flatMap((key) => selectingPart(resource, ['spec'], [key], put(key)));
  const selecting = [...selectingPart(resource, ['spec'], ['sourceRef', 'path'].filter((key) => spec[key] !== undefined), moved), ...edits, ...applied];
  // Which repository its GitRepository fetches is known where that object is (the review looks it up): unseen
  // when it is another than this one, as an Argo CD source of one is.
  const from = fluxSourceReference(resource);
  if (from === null) return selecting;
  const elsewhere = { ...part(resource, ['spec'], `what Kustomization ${code(resource.name)} deploys from ${code(spec.path ?? '.')} of ${source}: manifests of a repository other than this one, which Flux fetches and Warden does not read`), from };
  return [elsewhere, ...selecting.map((p) => ({ ...p, from }))];
}

/** A Flux Kustomization's GitRepository, as a part's `from` names it until the review finds its URL. */
function fluxSourceReference(resource: Resource): DeploysFrom | null {
  const ref = fluxSourceRef(resource);
  return ref === null ? null : { gitRepository: ref, strict: false };
}

/**
 * Settings of a source that change what the build of its folder deploys, which Warden does not apply: labels and
 * annotations on every object (a Namespace's Pod Security labels, an AppArmor annotation), components, patches,
 * and an image given another name (its registry). (Flux's post-build variables and common metadata it does put in.)
 * Not among them: a namespace (src/engine/kustomize.ts follows it), a name prefix or suffix, replicas, a tool version,
 * and an image given only another tag or digest (the image reviewed, at another version).
 */
const ARGO_SETTINGS = ['commonLabels', 'commonAnnotations', 'components', 'images'];
const FLUX_SETTINGS = ['components', 'patches', 'patchesStrategicMerge', 'patchesJson6902', 'images'];

function unappliedSettings(settings: Record<string, unknown>, keys: readonly string[]): string[] {
  return keys.filter((key) => settings[key] !== undefined && settings[key] !== null && (key !== 'images' || renamesImage(settings.images)));
}

/**
 * Whether an images override gives an image another name: Argo CD's `[<name>=]<new name>[:<tag>|@<digest>]`, Flux's
 * `{ name, newName }`. Anything else it cannot read counts as one.
 */
function renamesImage(images: unknown): boolean {
  if (!Array.isArray(images)) return true;
  const bare = (image: string) => image.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
  return images.some((image) => {
    if (typeof image === 'string') {
      const at = image.indexOf('=');
      return at >= 0 && bare(image.slice(at + 1)) !== bare(image.slice(0, at));
    }
    return !isRecord(image) || typeof image.name !== 'string' || (image.newName !== undefined && image.newName !== image.name);
  });
}

/** Each of a source's settings that select what it deploys, for an edit of it. */
function selectingPart(resource: Resource, at: Path, keys: readonly string[], reason: string): UnseenPart[] {
  return keys.map((key) => ({ ...part(resource, [...at, key], reason), whenEdited: true }));
}

function part(resource: Resource, path: Path, reason: string): UnseenPart {
  const { startLine, endLine } = resource.source.locate(path);
  return { lines: { startLine, endLine }, reason };
}
