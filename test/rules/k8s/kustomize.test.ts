// Kustomize layouts: manifests name no namespace, kustomizations (and their overlays) give it.
import { describe, expect, it } from 'vitest';
import automount from '../../../rules/k8s/automount-service-account-token.js';
import defaultNamespace from '../../../rules/k8s/default-namespace.js';
import networkPolicyMissing from '../../../rules/k8s/network-policy-missing.js';
import { resolveConfig } from '../../../src/config.js';
import type { AnyRule } from '../../../src/engine/define-rule.js';
import { kustomizedNamespaces, placingObjects } from '../../../src/engine/kustomize.js';
import { sameRepository } from '../../../src/common/repository-url.js';
import { buildRepositoryIndex, memoryReader } from '../../../src/engine/repository-index.js';
import { scanFiles } from '../../../src/engine/run.js';
import { parseFile } from '../../../src/formats/index.js';

const config = resolveConfig({});

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: triton
        image: triton:1
`;
const denyAll = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
`;
// A base without a namespace, built by a prod overlay (namespace models-prod) and a dev overlay (models-dev).
const layout = {
  'serving/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - https://github.com/example/policies//base?ref=v1\n',
  'serving/overlays/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: models-prod\nresources:\n  - ../../base\n  - deny.yaml\n',
  'serving/overlays/prod/deny.yaml': denyAll,
  'serving/overlays/dev/kustomization.yml': 'namespace: models-dev\nresources:\n- ../../base/\n',
};

async function scan(rule: AnyRule, changed: Record<string, string>, repo: Record<string, string>) {
  const repository = await buildRepositoryIndex(memoryReader({ ...repo, ...changed }), config);
  const result = await scanFiles(Object.entries(changed).map(([path, text]) => ({ path, text })), { config, rules: [rule], repository });
  return result.findings;
}

async function kustomizations(files: Record<string, string>) {
  const parsed = await Promise.all(Object.entries(files).map(([path, text]) => parseFile(path, text)));
  return parsed.flatMap((p) => p?.resources ?? []).filter((r) => r.kind === 'Kustomization');
}

describe('kustomizedNamespaces', () => {
  it('gives each overlay chain its namespace, the outermost one winning', async () => {
    const all = await kustomizations({ ...layout, 'serving/base/kustomization.yaml': 'namespace: base-ns\nresources:\n- deployment.yaml\n' });
    expect(kustomizedNamespaces('serving/base/deployment.yaml', all)).toEqual({ namespaces: ['models-dev', 'models-prod'], unset: false, fallback: [] });
    expect(kustomizedNamespaces('serving/overlays/prod/deny.yaml', all)).toEqual({ namespaces: ['models-prod'], unset: false, fallback: [] });
  });

  it('says when a chain sets none, and knows nothing of files no kustomization builds', async () => {
    const all = await kustomizations({ 'a/kustomization.yaml': 'resources: [x.yaml]\n', 'b/kustomization.yaml': 'namespace: b\nresources: [../a]\n', 'c/kustomization.yaml': 'resources: [../a]\n' });
    expect(kustomizedNamespaces('a/x.yaml', all)).toEqual({ namespaces: ['b'], unset: true, fallback: [] });
    expect(kustomizedNamespaces('a/y.yaml', all)).toBeNull();
    expect(kustomizedNamespaces('a/x.yaml', [])).toBeNull();
  });

  it('survives kustomizations that build each other', async () => {
    const all = await kustomizations({ 'a/kustomization.yaml': 'namespace: a\nresources: [../b, x.yaml]\n', 'b/kustomization.yaml': 'namespace: b\nresources: [../a]\n' });
    expect(kustomizedNamespaces('a/x.yaml', all)).toEqual({ namespaces: ['b'], unset: false, fallback: [] });
  });

  it('resolves each kustomization once: layers that each build both folders below do not multiply the work', async () => {
    // 30 layers of two kustomizations, each building both of the layer below: 2^30 chains, 60 kustomizations.
    const files: Record<string, string> = { 'l0/a/kustomization.yaml': 'resources: [x.yaml]\n', 'l0/b/kustomization.yaml': 'resources: [../a]\n' };
    for (let layer = 1; layer <= 30; layer++) {
      const below = `[../../l${layer - 1}/a, ../../l${layer - 1}/b]`;
      files[`l${layer}/a/kustomization.yaml`] = `${layer === 30 ? 'namespace: top\n' : ''}resources: ${below}\n`;
      files[`l${layer}/b/kustomization.yaml`] = `resources: ${below}\n`;
    }
    const all = await kustomizations(files);
    const started = performance.now();
    expect(kustomizedNamespaces('l0/a/x.yaml', all)).toEqual({ namespaces: ['top'], unset: true, fallback: [] });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('indexes the kustomizations once per list: thousands of files and kustomizations cost linear time (generous bound)', async () => {
    // 1,000 bases and 1,000 overlays over them; each base's manifest asked for, as a rule asks per resource.
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) {
      files[`bases/b${i}/kustomization.yaml`] = 'resources: [deployment.yaml]\n';
      files[`overlays/o${i}/kustomization.yaml`] = `namespace: ns-${i}\nresources: [../../bases/b${i}]\n`;
    }
    const all = await kustomizations(files);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) expect(kustomizedNamespaces(`bases/b${i}/deployment.yaml`, all)).toEqual({ namespaces: [`ns-${i}`], unset: false, fallback: [] });
    // Reading every kustomization again for each file (as it once did) took seconds here; indexed, milliseconds.
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('a kustomization file is read without kind or apiVersion, and no rule reads it as a workload', async () => {
    const [k] = await kustomizations({ 'k/kustomization.yaml': 'namespace: ml\nresources: [d.yaml]\n' });
    expect(k).toMatchObject({ kind: 'Kustomization', apiVersion: 'kustomize.config.k8s.io/v1beta1', file: 'k/kustomization.yaml' });
    expect(await kustomizations({ 'k/other.yaml': 'namespace: ml\nresources: [d.yaml]\n' })).toEqual([]);
  });
});

describe('k8s/default-namespace under kustomize', () => {
  it('is silent on a manifest every kustomization building it gives a namespace', async () => {
    expect(await scan(defaultNamespace, { 'serving/base/deployment.yaml': deployment }, layout)).toEqual([]);
  });

  it('still flags it when one chain leaves it without a namespace, or puts it in default', async () => {
    const unset = { ...layout, 'serving/overlays/dev/kustomization.yml': 'resources:\n- ../../base/\n' };
    expect((await scan(defaultNamespace, { 'serving/base/deployment.yaml': deployment }, unset)).map((f) => f.message)).toEqual([
      'Deployment `triton` names no namespace, so it lands in whatever namespace the deploy uses, often `default`. Set `metadata.namespace`.',
    ]);
    const toDefault = { ...layout, 'serving/overlays/dev/kustomization.yml': 'namespace: default\nresources:\n- ../../base/\n' };
    expect((await scan(defaultNamespace, { 'serving/base/deployment.yaml': deployment }, toDefault)).map((f) => f.message)).toEqual([
      'Deployment `triton` is put in the `default` namespace by a kustomization that builds it. Set that kustomization\'s `namespace:` to the model-serving namespace.',
    ]);
  });

  it('without the kustomizations (another layout), a namespace-less manifest is flagged as before', async () => {
    expect(await scan(defaultNamespace, { 'serving/base/deployment.yaml': deployment }, {})).toHaveLength(1);
  });
});

describe('k8s/network-policy-missing under kustomize', () => {
  it('checks every namespace the overlays deploy to, with the policies the overlays put there', async () => {
    // prod has its default-deny (namespace from the overlay); dev has none.
    const findings = await scan(networkPolicyMissing, { 'serving/base/deployment.yaml': deployment }, layout);
    expect(findings.map((f) => f.message.slice(0, f.message.indexOf(' but ')))).toEqual(['Deployment `triton` is deployed to `models-dev`']);
    const covered = { ...layout, 'serving/overlays/dev/kustomization.yml': 'namespace: models-dev\nresources:\n- ../../base/\n- ../prod/deny.yaml\n' };
    expect(await scan(networkPolicyMissing, { 'serving/base/deployment.yaml': deployment }, covered)).toEqual([]);
  });
});

describe('k8s/automount-service-account-token under kustomize', () => {
  const account = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: false\n';
  it('the pod inherits the setting only when every overlay it lands in has the ServiceAccount that turns it off', async () => {
    const prodOnly = { ...layout, 'serving/overlays/prod/kustomization.yaml': layout['serving/overlays/prod/kustomization.yaml'] + '  - account.yaml\n', 'serving/overlays/prod/account.yaml': account };
    expect((await scan(automount, { 'serving/base/deployment.yaml': deployment }, prodOnly)).map((f) => f.ruleId)).toEqual(['k8s/automount-service-account-token']);
    const both = { ...prodOnly, 'serving/overlays/dev/kustomization.yml': 'namespace: models-dev\nresources:\n- ../../base/\n- ../prod/account.yaml\n' };
    expect(await scan(automount, { 'serving/base/deployment.yaml': deployment }, both)).toEqual([]);
  });
});

describe('an Argo CD Application of this repository gives namespaces too', () => {
  const urls = ['https://github.com/example/platform'];
  const application = (path: string, destination: string, extra = '', repoURL = 'https://github.com/example/platform.git') =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: serving\n  namespace: argocd\nspec:\n  source:\n    repoURL: ${repoURL}\n    path: ${path}${extra}\n  destination:\n    namespace: ${destination}\n`;
  async function scanIn(rule: AnyRule, changed: Record<string, string>, repo: Record<string, string>, repositoryUrls = urls) {
    const repository = { ...(await buildRepositoryIndex(memoryReader({ ...repo, ...changed }), config)), urls: repositoryUrls };
    return (await scanFiles(Object.entries(changed).map(([path, text]) => ({ path, text })), { config, rules: [rule], repository })).findings;
  }

  it('to what names none in the folder it deploys: not namespace-less, and `default` only when that is its destination', async () => {
    const changed = { 'k8s/serving/deployment.yaml': deployment };
    expect(await scanIn(defaultNamespace, changed, { 'apps/serving.yaml': application('k8s/serving', 'models') })).toEqual([]);
    const toDefault = await scanIn(defaultNamespace, changed, { 'apps/serving.yaml': application('k8s/serving', 'default') });
    expect(toDefault.map((f) => f.message)).toEqual(['Deployment `triton` names no namespace, and an Argo CD Application deploys it to `default` (its `destination.namespace`). Set `metadata.namespace`, or the Application\'s destination, to the model-serving namespace.']);
    // Another repository's source, a folder above without `recurse`, or no URL known for this repository: no such namespace.
    for (const [repo, repositoryUrls] of [
      [{ 'apps/serving.yaml': application('k8s/serving', 'models', '', 'https://github.com/someone/else') }, urls],
      [{ 'apps/serving.yaml': application('k8s', 'models') }, urls],
      [{ 'apps/serving.yaml': application('k8s/serving', 'models') }, []],
    ] as const) {
      expect((await scanIn(defaultNamespace, changed, repo, [...repositoryUrls])).map((f) => f.ruleId)).toEqual(['k8s/default-namespace']);
    }
    expect(await scanIn(defaultNamespace, changed, { 'apps/serving.yaml': application('k8s', 'models', '\n    directory:\n      recurse: true') })).toEqual([]);
  });

  it('the NetworkPolicies of its destination cover what it deploys', async () => {
    const changed = { 'k8s/serving/deployment.yaml': deployment };
    const policy = { 'k8s/policies/deny.yaml': denyAll.replace('name: default-deny-all', 'name: default-deny-all\n  namespace: models') };
    expect(await scanIn(networkPolicyMissing, changed, { ...policy, 'apps/serving.yaml': application('k8s/serving', 'models') })).toEqual([]);
    expect((await scanIn(networkPolicyMissing, changed, policy)).map((f) => f.message.split(' but ')[0])).toEqual(['Deployment `triton` is deployed to `default` (it names no namespace)']);
  });

  it('a Flux Kustomization deploying from a GitRepository of this repository puts all below its path in its targetNamespace', async () => {
    const flux = (url: string, target = '\n  targetNamespace: models') =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: platform\n  namespace: flux-system\nspec:\n  url: ${url}\n---\n` +
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: serving\n  namespace: flux-system\nspec:\n  sourceRef:\n    kind: GitRepository\n    name: platform\n  path: ./k8s${target}\n`;
    const changed = { 'k8s/serving/deployment.yaml': deployment };
    expect(await scanIn(defaultNamespace, changed, { 'clusters/prod/sync.yaml': flux('ssh://git@github.com/example/platform') })).toEqual([]);
    // Of another repository, or with no targetNamespace: the pod keeps naming none.
    expect((await scanIn(defaultNamespace, changed, { 'clusters/prod/sync.yaml': flux('https://github.com/else/where') })).map((f) => f.ruleId)).toEqual(['k8s/default-namespace']);
    expect((await scanIn(defaultNamespace, changed, { 'clusters/prod/sync.yaml': flux('https://github.com/example/platform', '') })).map((f) => f.ruleId)).toEqual(['k8s/default-namespace']);
  });

  it('after Kustomize: its destination where the build sets no namespace, the source\'s `kustomize.namespace` over all', async () => {
    const files = {
      'deploy/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'deploy/prod/kustomization.yaml': 'namespace: models-prod\nresources:\n- ../base\n',
      'deploy/plain/kustomization.yaml': 'resources:\n- ../base\n',
      'apps/a.yaml': application('deploy/prod', 'ignored'),
      'apps/b.yaml': application('deploy/plain', 'models-plain'),
    };
    const parsed = await Promise.all(Object.entries(files).map(([path, text]) => parseFile(path, text)));
    const resources = parsed.flatMap((p) => p?.resources ?? []);
    const placing = placingObjects(resources.filter((r) => r.kind === 'Kustomization'), resources.filter((r) => r.kind === 'Application'), { isThisRepository: sameRepository(urls), root: '.' });
    expect(kustomizedNamespaces('deploy/base/deployment.yaml', placing)).toEqual({ namespaces: ['models-prod'], unset: false, fallback: ['models-plain'] });
    const overriding = placingObjects([], [], { isThisRepository: sameRepository(urls), root: '.' });
    expect(kustomizedNamespaces('deploy/base/deployment.yaml', overriding)).toBeNull();
    const parsedOverride = (await parseFile('apps/c.yaml', application('deploy/plain', 'models-plain', '\n    kustomize:\n      namespace: forced')))!.resources;
    const forced = placingObjects(resources.filter((r) => r.kind === 'Kustomization'), parsedOverride, { isThisRepository: sameRepository(urls), root: '.' });
    expect(kustomizedNamespaces('deploy/base/deployment.yaml', forced)).toEqual({ namespaces: ['forced', 'models-prod'], unset: false, fallback: [] });
  });
});
