// An Argo CD source of this repository's manifests that a change adds, or points at another folder, deploys that
// folder's files anew: they are reviewed whole where they are written, every finding new, whatever the change does
// to them. What Argo CD would render another way, or what the config leaves out, is not reviewed at the source.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig, type Config } from '../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../src/engine/repository-index.js';
import { UnreadableFile } from '../src/engine/repository.js';
import { LOOKED_UP_KINDS } from '../rules/index.js';
import { review } from '../src/review.js';
import { githubPatch } from './app/fake-github.js';

const PRIVILEGED = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: models
spec:
  containers:
  - name: shell
    image: busybox@sha256:${'a'.repeat(64)}
    securityContext:
      privileged: true
`;
const OURS = ['https://github.com/example/platform'];
/** This repository as the review knows it without an index: by its URLs. */
const KNOWN = { resources: [], complete: false, urls: OURS };

const application = (path: string, directory = '', repoURL = 'https://github.com/example/platform.git') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: serving
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${repoURL}
    targetRevision: main
    path: ${path}${directory}
  destination:
    namespace: models
`;

/** A change of `apps/serving.yaml` from `before` (null: added) to `after`, in a repository of `files` at head. */
function change(before: string | null, after: string, files: Record<string, string>, config: Config = DEFAULT_CONFIG) {
  const head = { ...files, 'apps/serving.yaml': after };
  return review({ files: [{ path: 'apps/serving.yaml', headText: after, baseText: before, patch: githubPatch(before ?? '', after) }], config, reader: memoryReader(head), repository: KNOWN });
}

const privilegedIn = (result: Awaited<ReturnType<typeof review>>) => result.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => [f.file, f.line, f.preExisting]);

describe('an Argo CD source of this repository deployed anew', () => {
  it('a new Application: the folder it selects is reviewed whole, every finding new and gating, with a note saying why', async () => {
    const result = await change(null, application('examples/debug'), { 'examples/debug/pod.yaml': PRIVILEGED, 'examples/other/pod.yaml': PRIVILEGED });
    expect(privilegedIn(result)).toEqual([['examples/debug/pod.yaml', 11, false]]);
    expect(result.gating.some((f) => f.ruleId === 'k8s/privileged')).toBe(true);
    expect(result.notes).toContainEqual({ file: 'examples/debug/pod.yaml', message: 'deployed anew by Application `serving` in `apps/serving.yaml`, which this change adds or points at `examples/debug`: reviewed whole, every finding new (none is on a line this change wrote)' });
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
  });

  it('an Application written as a JSON manifest is followed the same', async () => {
    const json = JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'serving' }, spec: { source: { repoURL: OURS[0], path: 'examples/debug' }, destination: { namespace: 'models' } } }, null, 2);
    const result = await review({ files: [{ path: 'apps/serving.json', headText: json, baseText: null, patch: githubPatch('', json) }], config: DEFAULT_CONFIG, reader: memoryReader({ 'apps/serving.json': json, 'examples/debug/pod.yaml': PRIVILEGED }), repository: KNOWN });
    expect(privilegedIn(result)).toEqual([['examples/debug/pod.yaml', 11, false]]);
  });

  it('pointed at another folder: that folder is reviewed, and the edit is no longer a part not seen', async () => {
    const files = { 'k8s/serving/pod.yaml': PRIVILEGED.replace('privileged: true', 'privileged: false'), 'examples/debug/pod.yaml': PRIVILEGED };
    const moved = await change(application('k8s/serving'), application('./examples/debug/'), files);
    expect(privilegedIn(moved)).toEqual([['examples/debug/pod.yaml', 11, false]]);
    expect(moved.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    // A revision moved on, the same folder spelled otherwise, or an edit elsewhere, deploys nothing anew.
    expect(privilegedIn(await change(application('examples/debug'), application('./examples/debug/'), files))).toEqual([]);
    const promoted = await change(application('examples/debug'), application('examples/debug').replace('targetRevision: main', 'targetRevision: v2'), files);
    expect(privilegedIn(promoted)).toEqual([]);
  });

  it('files the change adds there keep their lines; one Warden does not read there is not reviewed', async () => {
    const app = application('k8s/new');
    const files = { 'k8s/new/pod.yaml': PRIVILEGED, 'k8s/new/big.yaml': 'x' };
    const head = { ...files, 'apps/serving.yaml': app };
    const reader = { ...memoryReader(head), read: async (path: string) => (path === 'k8s/new/big.yaml' ? Promise.reject(new UnreadableFile(path, 'too large to review')) : (head as Record<string, string>)[path] ?? null) };
    const result = await review({
      files: [
        { path: 'apps/serving.yaml', headText: app, baseText: null, patch: githubPatch('', app) },
        { path: 'k8s/new/pod.yaml', headText: PRIVILEGED, baseText: null, patch: githubPatch('', PRIVILEGED) },
      ],
      config: DEFAULT_CONFIG,
      reader,
      repository: KNOWN,
    });
    // Added by the change: its patch is kept, so its finding is on a line the change wrote (commented inline in the App).
    expect(result.patches.has('k8s/new/pod.yaml')).toBe(true);
    expect(privilegedIn(result)).toEqual([['k8s/new/pod.yaml', 11, false]]);
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => [f.file, f.message.includes('too large to review')])).toEqual([['k8s/new/big.yaml', true]]);
  });

  it('only the top of the folder unless it recurses; include and exclude as Argo CD matches them', async () => {
    const files = { 'examples/a.yaml': PRIVILEGED, 'examples/deep/b.yaml': PRIVILEGED, 'examples/deep/c.json': '{"kind": "x"}', 'examples/README.md': '# x\n' };
    expect(privilegedIn(await change(null, application('examples'), files))).toEqual([['examples/a.yaml', 11, false]]);
    const recursed = await change(null, application('examples', '\n    directory:\n      recurse: true'), files);
    expect(privilegedIn(recursed)).toEqual([['examples/a.yaml', 11, false], ['examples/deep/b.yaml', 11, false]]);
    const included = await change(null, application('examples', "\n    directory:\n      recurse: true\n      include: 'deep/*'\n      exclude: '*.json'"), files);
    expect(privilegedIn(included)).toEqual([['examples/deep/b.yaml', 11, false]]);
  });

  it('a folder with a kustomization is built: what it deploys is reviewed as composed', async () => {
    const files = { 'deploy/prod/kustomization.yaml': 'resources:\n- ../base\nnamespace: models\n', 'deploy/base/kustomization.yaml': 'resources:\n- pod.yaml\n', 'deploy/base/pod.yaml': PRIVILEGED };
    const result = await change(null, application('deploy/prod'), files);
    expect(privilegedIn(result)).toEqual([['deploy/base/pod.yaml', 11, false]]);
    expect(result.gating.some((f) => f.ruleId === 'k8s/privileged')).toBe(true);
  });

  it('a folder with a kustomization and a chart is built with Kustomize, as Argo CD detects it: the kustomization\'s build is reviewed, not the chart', async () => {
    const chart = { 'deploy/prod/Chart.yaml': 'apiVersion: v2\nname: prod\nversion: 0.1.0\n', 'deploy/prod/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' };
    const files = { ...chart, 'deploy/prod/kustomization.yaml': 'resources:\n- ../base\nnamespace: models\n', 'deploy/base/kustomization.yaml': 'resources:\n- pod.yaml\n', 'deploy/base/pod.yaml': PRIVILEGED };
    const result = await change(null, application('deploy/prod'), files);
    expect(privilegedIn(result)).toEqual([['deploy/base/pod.yaml', 11, false]]);
  });

  it('what Argo CD evaluates another way, or the config leaves out, is not reviewed at the source', async () => {
    const jsonnet = await change(null, application('jsonnet'), { 'jsonnet/main.jsonnet': '{}\n' });
    expect(jsonnet.findings[0]!.message).toContain('`jsonnet/main.jsonnet`, Jsonnet that Argo CD evaluates');
    const excluded = await change(null, application('examples/debug'), { 'examples/debug/pod.yaml': PRIVILEGED }, resolveConfig({ paths: { exclude: ['examples/**'] } }));
    expect(excluded.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['warden/not-reviewed', 'apps/serving.yaml', 8]]);
    expect(excluded.findings[0]!.message).toContain("`examples/debug/pod.yaml`, which the config's paths leave out, so what it deploys is unseen");
    const partial = { ...memoryReader({ 'examples/debug/pod.yaml': PRIVILEGED, 'apps/serving.yaml': application('examples/debug') }), complete: async () => false };
    const unlisted = await review({ files: [{ path: 'apps/serving.yaml', headText: application('examples/debug'), baseText: null, patch: githubPatch('', application('examples/debug')) }], config: DEFAULT_CONFIG, reader: partial, repository: KNOWN });
    expect(unlisted.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 8]]);
    expect(unlisted.findings[0]!.message).toContain('too large to list whole');
  });

  it('an ApplicationSet deploys the folders its git directory or list generator gives; another generator is not followed', async () => {
    const set = (generators: string, path: string, goTemplate = false) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: models
  namespace: argocd
spec:
${goTemplate ? '  goTemplate: true\n' : ''}  generators:
${generators}
  template:
    metadata:
      name: 'model'
    spec:
      project: default
      source:
        repoURL: https://github.com/example/platform
        path: '${path}'
      destination:
        namespace: models
`;
    const files = { 'models/a/pod.yaml': PRIVILEGED, 'models/b/pod.yaml': PRIVILEGED, 'models/skip/pod.yaml': PRIVILEGED, 'examples/pod.yaml': PRIVILEGED };
    const git = '  - git:\n      repoURL: git@github.com:example/platform.git\n      revision: HEAD\n      directories:\n      - path: models/*\n      - path: models/skip\n        exclude: true';
    expect(privilegedIn(await change(null, set(git, '{{path}}'), files)).map(([file]) => file)).toEqual(['models/a/pod.yaml', 'models/b/pod.yaml']);
    expect(privilegedIn(await change(null, set(git, 'models/{{.path.basename}}', true), files)).map(([file]) => file)).toEqual(['models/a/pod.yaml', 'models/b/pod.yaml']);
    const list = '  - list:\n      elements:\n      - env: a\n      - env: skip';
    expect(privilegedIn(await change(null, set(list, 'models/{{env}}'), files)).map(([file]) => file)).toEqual(['models/a/pod.yaml', 'models/skip/pod.yaml']);
    // Unchanged: nothing anew, though its folders hold findings.
    expect(privilegedIn(await change(set(list, 'models/{{env}}'), set(list, 'models/{{env}}').replace("name: 'model'", "name: 'm'"), files))).toEqual([]);
    const clusters = await change(null, set('  - clusters: {}', 'models/{{name}}'), files);
    expect(clusters.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['warden/not-reviewed', 'apps/serving.yaml', 14]]);
    expect(clusters.findings[0]!.message).toContain('which Warden follows only for a git directory generator of this repository and a list generator');
    // A selector keeps the folders Argo CD keeps; one naming a parameter Warden does not give as Argo CD does is not followed.
    const selected = `${git}\n    selector:\n      matchLabels:\n        path.basename: b`;
    expect(privilegedIn(await change(null, set(selected, '{{path}}'), files)).map(([file]) => file)).toEqual(['models/b/pod.yaml']);
    const normalized = await change(null, set(selected.replace('path.basename:', 'path.basenameNormalized:'), '{{path}}'), files);
    expect(normalized.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['warden/not-reviewed', 'apps/serving.yaml', 23]]);
  });

  it('a Flux Kustomization from a GitRepository of this repository deploys all below its path anew; the GitRepository found in the change or the index', async () => {
    const gitRepository = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: platform\n  namespace: flux-system\nspec:\n  url: ssh://git@github.com/example/platform\n';
    const flux = (path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: serving\n  namespace: flux-system\nspec:\n  interval: 10m\n  sourceRef:\n    kind: GitRepository\n    name: platform\n  path: ${path}\n`;
    const files = { 'examples/debug/pod.yaml': PRIVILEGED, 'examples/debug/deep/pod.yaml': PRIVILEGED, 'examples/other.yaml': PRIVILEGED };
    const together = await change(null, `${gitRepository}---\n${flux('./examples/debug')}`, files);
    expect(privilegedIn(together).map(([file]) => file)).toEqual(['examples/debug/deep/pod.yaml', 'examples/debug/pod.yaml']);
    // Its GitRepository elsewhere in the repository, read by the index; pointed at another folder by an edit.
    const after = flux('./examples/debug');
    const head = { ...files, 'clusters/prod/source.yaml': gitRepository, 'apps/serving.yaml': after };
    const repository = { ...(await buildRepositoryIndex(memoryReader(head), DEFAULT_CONFIG, { kinds: LOOKED_UP_KINDS })), urls: OURS };
    const moved = await review({ files: [{ path: 'apps/serving.yaml', headText: after, baseText: flux('./k8s'), patch: githubPatch(flux('./k8s'), after) }], config: DEFAULT_CONFIG, reader: memoryReader(head), repository });
    expect(privilegedIn(moved).map(([file]) => file)).toEqual(['examples/debug/deep/pod.yaml', 'examples/debug/pod.yaml']);
    expect(moved.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    // A path with a variable another Kustomization fills in (Flux's post-build variables) is not followed: not reviewed.
    const filled = flux('./examples/${ENV}');
    const variable = await review({ files: [{ path: 'apps/serving.yaml', headText: filled, baseText: flux('./k8s'), patch: githubPatch(flux('./k8s'), filled) }], config: DEFAULT_CONFIG, reader: memoryReader({ ...head, 'apps/serving.yaml': filled }), repository });
    expect(variable.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 11]]);
    // Without its GitRepository, the source is not known to be this repository: the edit is not reviewed, as before.
    const unknown = await change(flux('./k8s'), flux('./examples/debug'), files);
    expect(unknown.findings.map((f) => [f.ruleId, f.line])).toEqual([['warden/not-reviewed', 11]]);
  });

  it('nothing for another repository\'s source (not reviewed as such), a templated path, or a whole-file scan', async () => {
    const files = { 'examples/debug/pod.yaml': PRIVILEGED };
    const theirs = await change(null, application('examples/debug', '', 'https://github.com/someone-else/platform'), files);
    expect(privilegedIn(theirs)).toEqual([]);
    expect(theirs.findings.map((f) => f.ruleId)).toEqual(['warden/not-reviewed']);
    expect(privilegedIn(await change(null, application("'{{path}}'"), files))).toEqual([]);
    const scanned = await review({ files: [{ path: 'apps/serving.yaml', headText: application('examples/debug') }], config: DEFAULT_CONFIG, selected: true, reader: memoryReader(files), repository: KNOWN });
    expect(scanned.findings).toEqual([]);
  });
});
