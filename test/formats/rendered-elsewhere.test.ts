// Objects that deploy what only Argo CD or Flux renders (a Helm chart, a plugin's output): marked where they are
// written, and not reviewed where the change touches them.
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/formats/index.js';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import { review } from '../../src/review.js';
import { githubPatch } from '../app/fake-github.js';

const APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: triton
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://helm.ngc.nvidia.com/nvidia
    chart: triton-inference-server
    targetRevision: 2.3.0
    helm:
      valuesObject:
        securityContext:
          privileged: true
  destination:
    server: https://kubernetes.default.svc
    namespace: models
  syncPolicy:
    automated: {}
`;

/** A repository of no resources Warden read, known by these URLs. */
const knownBy = (...urls: string[]) => ({ resources: [], complete: false, urls });

async function unseen(text: string, path = 'apps/app.yaml') {
  return (await parseFile(path, text))!.unseen ?? [];
}

describe('what another tool renders', () => {
  it('an Argo CD Application of a Helm chart: its source, from its key to its last line', async () => {
    expect(await unseen(APPLICATION)).toEqual([
      { lines: { startLine: 8, endLine: 15 }, reason: 'what Application `triton` deploys: the Helm chart `triton-inference-server` `2.3.0` of `https://helm.ngc.nvidia.com/nvidia`, which Argo CD renders' },
    ]);
  });

  it('each of several sources that Argo CD renders with Helm, a plugin or Kustomize patches written there; a directory of manifests, a values reference or an images override is not one (only what selects its folder, for an edit)', async () => {
    const sources = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: serving
spec:
  sources:
  - repoURL: https://github.com/example/platform.git
    path: charts/model-server
    helm:
      valueFiles: [$values/envs/prod/values.yaml]
  - repoURL: https://github.com/example/values.git
    ref: values
  - repoURL: https://github.com/example/platform.git
    path: k8s/models
  - repoURL: https://github.com/example/platform.git
    path: k8s/generated
    plugin:
      name: jsonnet
  - repoURL: https://github.com/example/platform.git
    path: k8s/overlays/prod
    kustomize:
      images: [registry.example.com/triton:2.3.0]
  - repoURL: https://github.com/example/platform.git
    path: k8s/overlays/gpu
    kustomize:
      patches:
      - target: { kind: Deployment }
        patch: '[{"op": "add", "path": "/spec/template/spec/hostNetwork", "value": true}]'
`;
    const parts = await unseen(sources);
    expect(parts.filter((p) => !p.whenEdited && p.from === undefined).map((p) => [p.lines.startLine, p.reason])).toEqual([
      [7, 'what Application `serving` deploys: the Helm chart at `charts/model-server` of `https://github.com/example/platform.git`, which Argo CD renders'],
      [15, 'what Application `serving` deploys: what a config management plugin makes of `k8s/generated` of `https://github.com/example/platform.git`, which Argo CD renders'],
      [23, 'what Application `serving` deploys: the Kustomize build of `k8s/overlays/gpu` of `https://github.com/example/platform.git` with the patches written here, which Argo CD renders'],
    ]);
    // The folders of manifests and of a Kustomize build without patches: their repoURL and path, for an edit (not
    // the values reference, which deploys nothing of its own).
    expect(parts.filter((p) => p.whenEdited).map((p) => [p.lines.startLine, p.from])).toEqual([13, 14, 19, 20].map((line) => [line, { url: 'https://github.com/example/platform.git' }]));
    // And each source whole, unseen when its repository is another than the one reviewed (src/review.ts tells).
    expect(parts.filter((p) => !p.whenEdited && p.from !== undefined).map((p) => [p.lines, p.reason.split(': ')[1]])).toEqual([
      [{ startLine: 13, endLine: 14 }, 'manifests of a repository other than this one, which Argo CD fetches and Warden does not read'],
      [{ startLine: 19, endLine: 22 }, 'manifests of a repository other than this one, which Argo CD fetches and Warden does not read'],
    ]);
  });

  it('an ApplicationSet\'s template and a Flux HelmRelease; not an Application of another API group', async () => {
    const set = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: models
spec:
  generators:
  - list:
      elements: [{ env: prod }]
  template:
    metadata:
      name: 'models-{{env}}'
    spec:
      project: default
      source:
        repoURL: https://charts.example.com
        chart: model-server
        targetRevision: 1.4.0
      destination:
        namespace: models
`;
    expect((await unseen(set)).map((p) => p.lines)).toEqual([{ startLine: 14, endLine: 17 }]);
    const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: triton
  namespace: models
spec:
  interval: 10m
  chart:
    spec:
      chart: triton-inference-server
      sourceRef:
        kind: HelmRepository
        name: nvidia
  values:
    replicaCount: 2
`;
    expect(await unseen(release)).toEqual([{ lines: { startLine: 6, endLine: 15 }, reason: 'what HelmRelease `triton` deploys: a Helm chart Flux fetches and renders with the values written here' }]);
    expect(await unseen(APPLICATION.replace('argoproj.io/v1alpha1', 'app.k8s.io/v1beta1'))).toEqual([]);
  });

  it('Terraform: a helm_release, and a kubectl_manifest whose YAML interpolates values (one that reads a file of the repository is reviewed there)', async () => {
    const text = `resource "helm_release" "triton" {
  name       = "triton"
  repository = "https://helm.ngc.nvidia.com/nvidia"
  chart      = "triton-inference-server"
  set {
    name  = "securityContext.privileged"
    value = "true"
  }
}

resource "kubectl_manifest" "templated" {
  yaml_body = <<-YAML
    apiVersion: v1
    kind: Pod
    metadata:
      name: \${var.name}
  YAML
}

resource "kubectl_manifest" "from_file" {
  yaml_body = file("manifests/deployment.yaml")
}
`;
    expect(await unseen(text, 'serving.tf')).toEqual([
      { lines: { startLine: 1, endLine: 9 }, reason: "what helm_release `triton` deploys: the Helm chart `triton-inference-server` of `https://helm.ngc.nvidia.com/nvidia`, which Terraform's Helm provider renders" },
      {
        lines: { startLine: 11, endLine: 18 },
        reason: 'what kubectl_manifest `templated` applies: its `yaml_body`, which Warden could not make known as one object (it reads a heredoc, a `file(…)` or a `templatefile(…)` whose values it knows, of one YAML document)',
        resource: 'kubectl_manifest.templated',
      },
    ]);
  });

  it('Terraform: a manifest read from a file of another name, or from a template, is not reviewed; one read from a manifest file is reviewed there', async () => {
    const text = `resource "kubernetes_manifest" "from_text" {
  manifest = yamldecode(file("\${path.module}/pod.txt"))
}

resource "kubernetes_manifest" "from_template" {
  manifest = yamldecode(templatefile("\${path.module}/pod.yaml.tpl", { image = var.image }))
}

resource "kubernetes_manifest" "from_yaml" {
  manifest = yamldecode(file("\${path.module}/pod.yaml"))
}

resource "kubernetes_manifest" "from_json" {
  manifest = jsondecode(file("\${path.module}/pod.json"))
}

resource "kubectl_manifest" "from_text" {
  yaml_body = file("pod.txt")
}

resource "kubernetes_manifest" "written" {
  manifest = {
    apiVersion = "v1"
    kind       = "ConfigMap"
    metadata   = { name = "settings", namespace = "models" }
  }
}
`;
    expect((await unseen(text, 'serving.tf')).map((p) => [p.lines.startLine, p.reason.split(':')[0]])).toEqual([
      [1, 'what kubernetes_manifest `from_text` deploys'],
      [5, 'what kubernetes_manifest `from_template` deploys'],
      [17, 'what kubectl_manifest `from_text` applies'],
    ]);
  });

  it('Terraform: a helm_release of a chart in the repository is reviewed where the chart is, unless it sets values of its own', async () => {
    const release = (extra: string) => `resource "helm_release" "server" {\n  name  = "server"\n  chart = "\${path.module}/charts/model-server"\n${extra}}\n`;
    expect(await unseen(release(''), 'serving.tf')).toEqual([]);
    expect((await unseen(release('  set {\n    name  = "securityContext.privileged"\n    value = "true"\n  }\n'), 'serving.tf')).map((p) => p.reason)).toEqual([
      "what helm_release `server` deploys: the chart at `${path.module}/charts/model-server` with the values it sets here, which Terraform's Helm provider renders (the chart is reviewed where it is written, these values are not)",
    ]);
  });

  it('Terraform: what a dynamic block makes inside a kubernetes_* object is not reviewed there; one written out is', async () => {
    const deployment = (containers: string) => `resource "kubernetes_deployment_v1" "serving" {
  metadata {
    name = "serving"
  }
  spec {
    template {
      spec {
${containers}
      }
    }
  }
}
`;
    const dynamic = `        dynamic "container" {
          for_each = var.containers
          content {
            name  = container.key
            image = container.value
          }
        }`;
    expect((await unseen(deployment(dynamic), 'serving.tf')).map((p) => [p.lines.startLine, p.lines.endLine, p.reason.split(':')[0]])).toEqual([
      [8, 14, 'what the `dynamic "container"` block of kubernetes_deployment_v1 `serving` makes'],
    ]);
    expect(await unseen(deployment('        container {\n          name  = "srv"\n          image = "reg/srv:1"\n        }'), 'serving.tf')).toEqual([]);
    // A changed line there is not reviewed: a privileged container it makes is never passed unseen.
    const text = deployment(dynamic);
    const result = await review({ files: [{ path: 'serving.tf', headText: text, baseText: null, patch: undefined }], config: DEFAULT_CONFIG });
    expect(result.gating.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => f.line)).toEqual([8]);
    // Once its for_each is known, what it makes is reviewed (in the workers, which answer what evaluation saw).
    const known = `variable "containers" {\n  default = { srv = "reg/srv:1" }\n}\n\n${deployment(dynamic.replace('name  = container.key', 'name  = container.key\n            security_context {\n              privileged = true\n            }'))}`;
    const reviewed = await review({ files: [{ path: 'serving.tf', headText: known, baseText: null, patch: undefined }], config: DEFAULT_CONFIG });
    expect(reviewed.gating.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    expect(reviewed.gating.filter((f) => f.ruleId === 'k8s/privileged').map((f) => f.line)).toEqual([17]);
  });

  it('Terraform JSON: a helm_release, and every module it calls (modules are not followed from JSON)', async () => {
    const json = JSON.stringify({ resource: { helm_release: { triton: { name: 'triton', chart: 'triton-inference-server', repository: 'https://helm.ngc.nvidia.com/nvidia' } } }, module: { buckets: { source: './modules/bucket' } } }, null, 2);
    expect((await unseen(json, 'main.tf.json')).map((p) => [p.lines.startLine, p.reason])).toEqual([
      [4, "what helm_release `triton` deploys: the Helm chart `triton-inference-server` of `https://helm.ngc.nvidia.com/nvidia`, which Terraform's Helm provider renders"],
      [12, 'what module `buckets` (`./modules/bucket`) creates: Warden does not follow modules called from Terraform JSON'],
    ]);
  });

  it('a change to the chart it deploys is not reviewed there; a change elsewhere in the Application leaves it a note', async () => {
    const before = APPLICATION.replace('2.3.0', '2.2.0');
    const bumped = await review({ files: [{ path: 'apps/triton.yaml', headText: APPLICATION, baseText: before, patch: githubPatch(before, APPLICATION) }], config: DEFAULT_CONFIG });
    expect(bumped.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['warden/not-reviewed', 'apps/triton.yaml', 8]]);
    expect(bumped.gating).toHaveLength(1);
    const synced = APPLICATION.replace('automated: {}', 'automated:\n      prune: true');
    const elsewhere = await review({ files: [{ path: 'apps/triton.yaml', headText: synced, baseText: APPLICATION, patch: githubPatch(APPLICATION, synced) }], config: DEFAULT_CONFIG });
    expect(elsewhere.findings).toEqual([]);
    expect(elsewhere.notes).toContainEqual({ file: 'apps/triton.yaml', message: expect.stringMatching(/^line 8: not reviewed, what Application `triton` deploys: the Helm chart/) });
  });

  it('an Argo CD source of a folder of manifests pointed elsewhere is not reviewed there; added, or edited elsewhere, it is nothing', async () => {
    const app = (path: string, sync = 'automated: {}') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: serving
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example/platform.git
    targetRevision: main
    path: ${path}
  destination:
    server: https://kubernetes.default.svc
    namespace: models
  syncPolicy:
    ${sync}
`;
    const repository = knownBy('https://github.com/example/platform', 'git@github.com:example/platform.git');
    const change = (before: string | null, after: string) => review({ files: [{ path: 'apps/serving.yaml', headText: after, baseText: before, patch: githubPatch(before ?? '', after) }], config: DEFAULT_CONFIG, repository });
    const moved = await change(app('k8s/serving'), app('examples/debug'));
    expect(moved.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 11]]);
    expect(moved.findings[0]!.message).toContain('deploys from `examples/debug` of `https://github.com/example/platform.git`: this change points it there');
    expect(moved.gating).toHaveLength(1);
    // A release promoted (its revision moved on) deploys what was reviewed on its way there.
    expect((await change(app('k8s/serving'), app('k8s/serving').replace('targetRevision: main', 'targetRevision: v1.4.0'))).findings).toEqual([]);
    // What a new Application selects is reviewed where it is written; an edit elsewhere selects nothing new.
    expect((await change(null, app('k8s/serving'))).findings).toEqual([]);
    const synced = await change(app('k8s/serving'), app('k8s/serving', 'automated:\n      prune: true'));
    expect([synced.findings, synced.notes]).toEqual([[], []]);
    // In a whole-file scan it is nothing.
    expect((await review({ files: [{ path: 'apps/serving.yaml', headText: app('examples/debug') }], config: DEFAULT_CONFIG, repository })).findings).toEqual([]);
  });

  it('an Argo CD source of another repository\'s manifests is not reviewed where the change touches it, as a chart is; one of this repository is', async () => {
    const app = (repoURL: string, path = 'k8s/serving') =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: serving\nspec:\n  source:\n    repoURL: ${repoURL}\n    path: ${path}\n  destination:\n    namespace: models\n`;
    const change = (before: string | null, after: string, repositoryUrls: string[] = []) =>
      review({ files: [{ path: 'apps/serving.yaml', headText: after, baseText: before, patch: githubPatch(before ?? '', after) }], config: DEFAULT_CONFIG, repository: knownBy(...repositoryUrls) });
    const ours = ['https://github.com/example/platform'];
    // Added: what it deploys is another repository's, which Warden does not read.
    const added = await change(null, app('https://github.com/elsewhere/manifests.git'), ours);
    expect(added.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 6]]);
    expect(added.findings[0]!.message).toContain('deploys from `k8s/serving` of `https://github.com/elsewhere/manifests.git`: manifests of a repository other than this one');
    expect(added.gating).toHaveLength(1);
    // Of this repository (by another of its URLs): its manifests are reviewed where they are written.
    expect((await change(null, app('git@github.com:Example/platform.git'), ours)).findings).toEqual([]);
    // Pointed from this repository to another: one finding, the source's, not one per key as well.
    const moved = await change(app('https://github.com/example/platform'), app('https://github.com/elsewhere/manifests'), ours);
    expect(moved.findings.map((f) => [f.ruleId, f.line, f.message.includes('other than this one')])).toEqual([['warden/not-reviewed', 6, true]]);
    // Untouched by the change: a note; in a whole-file scan, not reviewed; with no URL known, no repository is this one.
    const labelled = app('https://github.com/elsewhere/manifests').replace('name: serving', 'name: serving\n  labels: {team: ml}');
    const elsewhere = await change(app('https://github.com/elsewhere/manifests'), labelled, ours);
    expect(elsewhere.findings).toEqual([]);
    expect(elsewhere.notes).toContainEqual({ file: 'apps/serving.yaml', message: expect.stringMatching(/^line 7: not reviewed, what Application `serving` deploys from/) });
    expect((await review({ files: [{ path: 'apps/serving.yaml', headText: app('https://github.com/elsewhere/manifests') }], config: DEFAULT_CONFIG, repository: knownBy(...ours) })).findings.map((f) => f.ruleId)).toEqual(['warden/not-reviewed']);
    expect((await change(null, app('https://github.com/example/platform'))).findings.map((f) => f.ruleId)).toEqual(['warden/not-reviewed']);
  });

  it('what an Argo CD source or a Flux Kustomization applies over its folder’s build (labels, components, an image renamed, patches) is not reviewed where the change touches it; another tag or a namespace is reviewed', async () => {
    const app = (kustomize: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: serving\nspec:\n  source:\n    repoURL: https://github.com/example/platform.git\n    path: k8s/serving\n    kustomize:\n${kustomize.replace(/^/gm, '      ')}\n  destination:\n    namespace: models\n`;
    const ours = knownBy('https://github.com/example/platform');
    const change = (before: string | null, after: string) => review({ files: [{ path: 'apps/serving.yaml', headText: after, baseText: before, patch: githubPatch(before ?? '', after) }], config: DEFAULT_CONFIG, repository: ours });
    const tag = app('images:\n- registry.example.com/triton:2.3.0');
    const renamed = app('images:\n- registry.example.com/triton=docker.io/someone/triton:latest');
    const edited = await change(tag, renamed);
    expect(edited.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 10]]);
    expect(edited.findings[0]!.message).toContain('its build with the `kustomize.images` the source sets, which Argo CD applies and Warden does not');
    // Another tag of the same image, a digest, a namespace: nothing.
    expect((await change(tag, tag.replace('2.3.0', '2.4.0'))).findings).toEqual([]);
    expect((await change(tag, app('images:\n- registry.example.com/triton=registry.example.com/triton@sha256:' + 'a'.repeat(64)))).findings).toEqual([]);
    expect((await change(tag, app('namespace: models-gpu'))).findings).toEqual([]);
    // A new Application with labels over every object (a Namespace's Pod Security labels) or components.
    const labelled = await change(null, app('commonLabels:\n  pod-security.kubernetes.io/enforce: privileged\ncomponents:\n- ../../components/debug'));
    expect(labelled.findings.map((f) => [f.ruleId, f.line])).toEqual([
      ['warden/not-reviewed', 10],
      ['warden/not-reviewed', 12],
    ]);
    // Of another repository, the source is unseen whole: said once.
    const theirs = await change(null, renamed.replace('example/platform', 'someone/else'));
    expect(theirs.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 6]]);
    // Untouched by the change: a note.
    const untouched = await change(renamed, renamed.replace('namespace: models', 'namespace: serving'));
    expect(untouched.findings).toEqual([]);
    expect(untouched.notes).toContainEqual({ file: 'apps/serving.yaml', message: expect.stringMatching(/^line 10: not reviewed, .*kustomize\.images/) });

    const flux = (extra: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: serving\n  namespace: flux-system\nspec:\n  sourceRef:\n    kind: GitRepository\n    name: platform\n  path: ./k8s/serving\n${extra}`;
    const patched = flux('  patches:\n  - patch: |\n      - op: add\n        path: /spec/template/spec/hostNetwork\n        value: true\n    target:\n      kind: Deployment\n');
    const fluxChange = await review({ files: [{ path: 'clusters/serving.yaml', headText: patched, baseText: flux(''), patch: githubPatch(flux(''), patched) }], config: DEFAULT_CONFIG });
    expect(fluxChange.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 11]]);
    expect(fluxChange.findings[0]!.message).toContain('its build with the `patches` it sets, which Flux applies and Warden does not');
    const substituted = flux('  postBuild:\n    substitute:\n      privileged: "true"\n');
    const variablesEdited = await review({ files: [{ path: 'clusters/serving.yaml', headText: substituted, baseText: flux(''), patch: githubPatch(flux(''), substituted) }], config: DEFAULT_CONFIG });
    expect(variablesEdited.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 11]]);
    expect(variablesEdited.findings[0]!.message).toContain('the post-build variables this change edits, which Flux puts into the folder\'s manifests');
    // Warden puts them into the manifests it reviews (src/engine/flux-substituted.ts): as they were, nothing is said.
    const kept = substituted.replace('name: serving', 'name: serving\n  labels:\n    team: ml');
    expect((await review({ files: [{ path: 'clusters/serving.yaml', headText: kept, baseText: substituted, patch: githubPatch(substituted, kept) }], config: DEFAULT_CONFIG })).findings).toEqual([]);
    // Its common metadata the same: set on what Warden reviews, its edit not reviewed.
    const commonLabelled = flux('  commonMetadata:\n    labels:\n      pod-security.kubernetes.io/enforce: privileged\n');
    const metadataEdited = await review({ files: [{ path: 'clusters/serving.yaml', headText: commonLabelled, baseText: flux(''), patch: githubPatch(flux(''), commonLabelled) }], config: DEFAULT_CONFIG });
    expect(metadataEdited.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 11]]);
    expect(metadataEdited.findings[0]!.message).toContain('the common labels and annotations this change edits, which Flux sets on the folder\'s manifests');
  });

  it('a Flux Kustomization pointed at another folder is not reviewed there', async () => {
    const flux = (path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: serving
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: platform
  path: ${path}
  prune: true
`;
    const before = flux('./k8s/serving');
    const after = flux('./examples/debug');
    const moved = await review({ files: [{ path: 'clusters/prod/serving.yaml', headText: after, baseText: before, patch: githubPatch(before, after) }], config: DEFAULT_CONFIG });
    expect(moved.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 11]]);
    expect(moved.findings[0]!.message).toContain('deploys from `./examples/debug` of GitRepository `platform`: this change points it there');
    // Its GitRepository fetching another repository (here beside it): unseen, as an Argo CD source of one is.
    const source = (url: string) => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: platform\n  namespace: flux-system\nspec:\n  url: ${url}\n---\n`;
    const added = (url: string) => review({ files: [{ path: 'clusters/prod/serving.yaml', headText: source(url) + after, baseText: null, patch: githubPatch('', source(url) + after) }], config: DEFAULT_CONFIG, repository: knownBy('https://github.com/example/platform') });
    const theirs = await added('https://github.com/someone/else');
    expect(theirs.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 14]]);
    expect(theirs.findings[0]!.message).toContain('of GitRepository `platform`: manifests of a repository other than this one, which Flux fetches');
    expect((await added('ssh://git@github.com/example/platform')).findings).toEqual([]);
    // A Kustomize kustomization is no Flux Kustomization.
    expect(await unseen('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n', 'k8s/kustomization.yaml')).toEqual([]);
  });

  it('acknowledged with a reason above its line, under the policy of any suppression the change adds', async () => {
    const acknowledged = APPLICATION.replace('  source:\n', '  # warden:ignore warden/not-reviewed -- the chart is reviewed where it is built\n  source:\n');
    const before = acknowledged.replace('2.3.0', '2.2.0');
    const change = [{ path: 'apps/triton.yaml', headText: acknowledged, baseText: before, patch: githubPatch(before, acknowledged) }];
    const held = await review({ files: change, config: DEFAULT_CONFIG });
    expect(held.findings.map((f) => [f.ruleId, f.line, f.suppressed?.reason])).toEqual([['warden/not-reviewed', 9, 'the chart is reviewed where it is built']]);
    expect(held.gating).toEqual([]);
    // Written by this change and `deny`: it holds only once on the default branch.
    const unacknowledged = APPLICATION.replace('2.3.0', '2.2.0');
    const fresh = [{ path: 'apps/triton.yaml', headText: acknowledged, baseText: unacknowledged, patch: githubPatch(unacknowledged, acknowledged) }];
    const denied = await review({ files: fresh, config: resolveConfig({ suppressions: { in_pull_request: 'deny' } }) });
    expect(denied.gating.map((f) => [f.ruleId, f.suppressed?.inPullRequest])).toEqual([['warden/not-reviewed', true]]);
  });

  it('each part of a file is its own finding: acknowledging one does not hide another', async () => {
    const release = (name: string, version: string) => `resource "helm_release" "${name}" {\n  name       = "${name}"\n  repository = "https://charts.example.com"\n  chart      = "${name}"\n  version    = "${version}"\n}\n`;
    const before = `${release('triton', '1.0.0')}\n${release('vllm', '1.0.0')}`;
    const after = `# warden:ignore warden/not-reviewed -- built and reviewed upstream\n${release('triton', '1.1.0')}\n${release('vllm', '1.1.0')}`;
    const result = await review({ files: [{ path: 'serving.tf', headText: after, baseText: before, patch: githubPatch(before, after) }], config: DEFAULT_CONFIG });
    const parts = result.findings.filter((f) => f.ruleId === 'warden/not-reviewed');
    expect(parts.map((f) => [f.line, f.suppressed?.reason ?? null])).toEqual([
      [2, 'built and reviewed upstream'],
      [9, null],
    ]);
    expect(new Set(parts.map((f) => f.fingerprint)).size).toBe(2);
    expect(result.gating.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 9]]);
  });
});

