// Flux's post-build variables: what a Flux Kustomization deploying a folder of this repository puts into its
// manifests is judged, and what Warden cannot put in is not reviewed where a change touches it.
import { describe, expect, it } from 'vitest';
import hostNamespaces from '../../rules/k8s/host-namespaces.js';
import runAsRootUser from '../../rules/k8s/run-as-root-user.js';
import namespacePss from '../../rules/k8s/namespace-pss-enforce.js';
import { resolveConfig } from '../../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../../src/engine/repository-index.js';
import { scanFiles } from '../../src/engine/run.js';
import { planFixes } from '../../src/fixes.js';
import { applyEdits } from '../../src/common/edits.js';
import { review } from '../../src/review.js';
import { MAX_VARIANTS, trackingReads } from '../../src/engine/flux-substituted.js';
import { RULES } from '../../rules/index.js';
import { githubPatch } from '../app/fake-github.js';

const config = resolveConfig({});
const urls = ['https://github.com/example/platform.git'];

const pod = (hostNetwork: string, metadata = '') => `apiVersion: v1
kind: Pod
metadata:
  name: triton${metadata}
spec:
  hostNetwork: ${hostNetwork}
  containers:
  - name: triton
    image: triton:1
`;

/** A GitRepository of this repository and a Flux Kustomization deploying `path` from it, with these postBuild lines. */
const flux = (postBuild: string, { name = 'serving', path = './k8s', url = 'ssh://git@github.com/example/platform' } = {}) =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: platform-${name}\n  namespace: flux-system\nspec:\n  url: ${url}\n---\n` +
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  sourceRef:\n    kind: GitRepository\n    name: platform-${name}\n  path: ${path}\n  postBuild:\n${postBuild}`;

async function scan(changed: Record<string, string>, repo: Record<string, string>, lines?: Record<string, number[]>, rules = [hostNamespaces]) {
  const repository = { ...(await buildRepositoryIndex(memoryReader({ ...repo, ...changed }), config)), urls };
  const files = Object.entries(changed).map(([path, text]) => ({ path, text, ...(lines?.[path] ? { changed: new Set(lines[path]) } : {}) }));
  return { repository, ...(await scanFiles(files, { config, rules, repository })) };
}

const summary = (findings: readonly { ruleId: string; line: number; message: string }[]) => findings.map((f) => `${f.ruleId} ${f.line}`);

describe('Flux post-build variables', () => {
  it('judges a manifest with the values its Flux Kustomization puts in, typed as Flux reads them again', async () => {
    const changed = { 'k8s/pod.yaml': pod('${HOST_NETWORK}') };
    const on = await scan(changed, { 'clusters/prod/sync.yaml': flux('    substitute:\n      HOST_NETWORK: "true"\n') });
    expect(summary(on.findings)).toEqual(['k8s/host-namespaces 6']);
    // Named as deployed.
    const named = await scan({ 'k8s/pod.yaml': pod('${HOST_NETWORK}').replace('name: triton', 'name: triton-${ENV}') }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      HOST_NETWORK: "true"\n      ENV: prod\n') });
    expect(named.findings.map((f) => f.message)).toEqual([expect.stringContaining('Pod `triton-prod`')]);
    // Quoted in the manifest: Flux's build writes it unquoted, so it is the boolean all the same.
    expect(summary((await scan({ 'k8s/pod.yaml': pod('"${HOST_NETWORK}"') }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      HOST_NETWORK: "true"\n') })).findings)).toEqual(['k8s/host-namespaces 6']);
    // A default used when the value is empty or not given; `on` read as YAML 1.1 reads it.
    expect(summary((await scan({ 'k8s/pod.yaml': pod('${HOST_NETWORK:=on}') }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      OTHER: x\n') })).findings)).toEqual(['k8s/host-namespaces 6']);
    for (const [written, values] of [
      ['${HOST_NETWORK}', '    substitute:\n      HOST_NETWORK: "false"\n'],
      // `$${…}` is written out as `${…}`; an object may opt out; a value that is text stays text.
      ['$${HOST_NETWORK}', '    substitute:\n      HOST_NETWORK: "true"\n'],
      ['${HOST_NETWORK}-x', '    substitute:\n      HOST_NETWORK: "true"\n'],
    ] as const) {
      expect((await scan({ 'k8s/pod.yaml': pod(written) }, { 'clusters/prod/sync.yaml': flux(values) })).findings).toEqual([]);
    }
    const optedOut = pod('${HOST_NETWORK}', '\n  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled');
    expect((await scan({ 'k8s/pod.yaml': optedOut }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      HOST_NETWORK: "true"\n') })).findings).toEqual([]);
    // Deployed by no Flux Kustomization of this repository: reviewed as written.
    expect((await scan(changed, { 'clusters/prod/sync.yaml': flux('    substitute:\n      HOST_NETWORK: "true"\n', { url: 'https://github.com/someone/else' }) })).findings).toEqual([]);
  });

  it('judges each way the Kustomizations deploying a folder put their values in, through the kustomizations that build it', async () => {
    const repo = {
      'k8s/base/kustomization.yaml': 'resources:\n- pod.yaml\n',
      'k8s/prod/kustomization.yaml': 'resources:\n- ../base\n',
      'clusters/staging/sync.yaml': flux('    substitute:\n      HOST_NETWORK: "false"\n', { name: 'staging', path: './k8s/prod' }),
      'clusters/prod/sync.yaml': flux('    substitute:\n      HOST_NETWORK: "yes"\n', { name: 'prod', path: './k8s/prod' }),
    };
    expect(summary((await scan({ 'k8s/base/pod.yaml': pod('${HOST_NETWORK}') }, repo)).findings)).toEqual(['k8s/host-namespaces 6']);
    // Judged with a bounded number of ways; past it, what holds a variable is not reviewed.
    const many = Object.fromEntries(Array.from({ length: MAX_VARIANTS + 1 }, (_, i) => [`clusters/c${i}/sync.yaml`, flux(`    substitute:\n      HOST_NETWORK: "false"\n      ZONE: z${i}\n`, { name: `c${i}`, path: './k8s/prod' })]));
    const bounded = await scan({ 'k8s/base/pod.yaml': pod('${HOST_NETWORK}').replace('name: triton', 'name: triton-${ZONE}') }, { ...repo, 'clusters/staging/sync.yaml': '', 'clusters/prod/sync.yaml': '', ...many });
    // (Its name is read by no rule: nothing said of it.)
    expect(summary(bounded.findings)).toEqual(['warden/not-reviewed 6']);
  });

  it('offers a fix that writes the value where the variable was, proven with the values put in', async () => {
    const text = pod('${HOST_NETWORK}');
    const { findings, repository } = await scan({ 'k8s/pod.yaml': text }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      HOST_NETWORK: "true"\n') });
    const [group] = await planFixes(findings, new Map([['k8s/pod.yaml', text]]), { config, rules: [hostNamespaces], repository });
    expect(group?.edit).not.toBeNull();
    expect(applyEdits(text, [group!.edit!])).toBe(pod('false'));
  });

  it('does not review a value Flux takes from the cluster, or puts in otherwise than Warden follows, where a change touches it', async () => {
    const fromCluster = flux('    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n');
    const changed = { 'k8s/pod.yaml': pod('${HOST_NETWORK}') };
    const { findings } = await scan(changed, { 'clusters/prod/sync.yaml': fromCluster });
    expect(summary(findings)).toEqual(['warden/not-reviewed 6']);
    expect(findings[0]!.message).toContain('`${HOST_NETWORK}` at `spec.hostNetwork`');
    // The same variable in two places: each said on its own line (acknowledging one does not acknowledge the other).
    const twice = await scan({ 'k8s/pod.yaml': pod('${HOST_NETWORK}').replace('  containers:', '  hostPID: ${HOST_NETWORK}\n  containers:') }, { 'clusters/prod/sync.yaml': fromCluster });
    expect(summary(twice.findings)).toEqual(['warden/not-reviewed 6', 'warden/not-reviewed 7']);
    expect(findings[0]!.message).toContain('`substituteFrom`');
    // A line the change does not touch: nothing said.
    expect((await scan(changed, { 'clusters/prod/sync.yaml': fromCluster }, { 'k8s/pod.yaml': [8] })).findings).toEqual([]);
    // A value given in `substitute` wins over the cluster's: followed.
    const both = flux('    substitute:\n      HOST_NETWORK: "true"\n    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n');
    expect(summary((await scan(changed, { 'clusters/prod/sync.yaml': both })).findings)).toEqual(['k8s/host-namespaces 6']);
    // Forms Warden does not follow, and a value that would read as more than one.
    for (const [written, values] of [
      ['${HOST_NETWORK^^}', '    substitute:\n      HOST_NETWORK: "true"\n'],
      ['${HOST_NETWORK}', '    substitute:\n      HOST_NETWORK: "false\\n  hostPID: true"\n'],
      ['${HOST_NETWORK}', '    substitute:\n      HOST_NETWORK: true\n'],
    ] as const) {
      expect(summary((await scan({ 'k8s/pod.yaml': pod(written) }, { 'clusters/prod/sync.yaml': flux(values) })).findings)).toEqual(['warden/not-reviewed 6']);
    }
  });

  it('does not review what a ConfigMap or Secret a Flux Kustomization takes its variables from gives, where a change touches it', async () => {
    const vars = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  HOST_NETWORK: "true"\n';
    const taker = flux('    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n');
    const { findings } = await scan({ 'clusters/prod/vars.yaml': vars }, { 'clusters/prod/sync.yaml': taker });
    expect(summary(findings)).toEqual(['warden/not-reviewed 6']);
    expect(findings[0]!.message).toContain('ConfigMap `cluster-vars` gives in `data`: Kustomization `serving` puts its post-build variables from it');
    // Its metadata alone changed, another name, another namespace, a Secret of that name: nothing.
    expect((await scan({ 'clusters/prod/vars.yaml': vars }, { 'clusters/prod/sync.yaml': taker }, { 'clusters/prod/vars.yaml': [4] })).findings).toEqual([]);
    for (const other of [vars.replace('name: cluster-vars', 'name: app-config'), vars.replace('namespace: flux-system', 'namespace: models'), vars.replace('kind: ConfigMap', 'kind: Secret')]) {
      expect((await scan({ 'clusters/prod/vars.yaml': other }, { 'clusters/prod/sync.yaml': taker })).findings).toEqual([]);
    }
  });

  it('gates a pull request on a value it cannot put in, however that line read before', async () => {
    const repo = { 'clusters/prod/sync.yaml': flux('    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n') };
    const before = pod('${HOST_NETWORK}');
    const after = pod('${HOST_NETWORK} # node metrics');
    const repository = { ...(await buildRepositoryIndex(memoryReader({ ...repo, 'k8s/pod.yaml': after }), config)), urls };
    const result = await review({ files: [{ path: 'k8s/pod.yaml', headText: after, baseText: before, patch: githubPatch(before, after) }], config, repository });
    expect(result.gating.map((f) => [f.ruleId, f.line, f.preExisting])).toEqual([['warden/not-reviewed', 6, false]]);
  });

  it('judges a composed object as its deployers put their values in, at the line a person edits', async () => {
    const repo = {
      'k8s/base/kustomization.yaml': 'resources:\n- pod.yaml\n',
      'k8s/prod/kustomization.yaml': 'namespace: models\nresources:\n- ../base\n',
      'clusters/prod/sync.yaml': flux('    substitute:\n      HOST_NETWORK: "true"\n', { path: './k8s/prod' }),
    };
    const before = pod('false');
    const after = pod('${HOST_NETWORK}');
    const repository = { ...(await buildRepositoryIndex(memoryReader({ ...repo, 'k8s/base/pod.yaml': after }), config)), urls };
    const reader = memoryReader({ ...repo, 'k8s/base/pod.yaml': after });
    const result = await review({ files: [{ path: 'k8s/base/pod.yaml', headText: after, baseText: before, patch: githubPatch(before, after) }], config, repository, reader, rules: [hostNamespaces] });
    expect(result.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['k8s/host-namespaces', 'k8s/base/pod.yaml', 6]]);
  });

  it('a Flux Kustomization a change adds deploys its folder anew, with its values put in', async () => {
    const sync = flux('    substitute:\n      HOST_NETWORK: "true"\n');
    const files = { 'k8s/pod.yaml': pod('${HOST_NETWORK}'), 'clusters/prod/sync.yaml': sync };
    const repository = { ...(await buildRepositoryIndex(memoryReader(files), config)), urls };
    const result = await review({ files: [{ path: 'clusters/prod/sync.yaml', headText: sync, baseText: null, patch: githubPatch('', sync) }], config, repository, reader: memoryReader(files), rules: [hostNamespaces] });
    expect(result.findings.map((f) => [f.ruleId, f.file, f.line, f.preExisting])).toEqual([['k8s/host-namespaces', 'k8s/pod.yaml', 6, false]]);
  });

  it('says nothing of a value from the cluster that no rule reads: what the rules say of the object does not depend on it', async () => {
    const fromCluster = flux('    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n');
    const deployment = (labels: string, image = 'registry.example.com/triton:1') =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: triton\n  namespace: models\n  labels:\n${labels}spec:\n  template:\n    spec:\n      containers:\n      - name: triton\n        image: ${image}\n        env:\n        - name: DOMAIN\n          value: \${DOMAIN}\n`;
    const notReviewed = async (text: string) => {
      const repository = { ...(await buildRepositoryIndex(memoryReader({ 'k8s/triton.yaml': text, 'clusters/prod/sync.yaml': fromCluster }), config)), urls };
      const { findings } = await scanFiles([{ path: 'k8s/triton.yaml', text }], { config, rules: RULES, repository });
      return findings.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => f.line);
    };
    // A label of the Deployment, an environment variable's value (the rules on what is committed judge it as written).
    expect(await notReviewed(deployment('    cluster: ${CLUSTER}\n'))).toEqual([]);
    // Its image, which the rules read: not reviewed; a variable in a key, whatever the rules read.
    expect(await notReviewed(deployment('    cluster: prod\n', '${REGISTRY}/triton:1'))).toEqual([13]);
    expect(await notReviewed(deployment('    ${TEAM}: ml\n'))).toEqual([7]);
    // Rules that look for some keys of a map list its keys and read only theirs: a pod's own annotation (AppArmor's
    // rule), an Ingress's (the snippet and rate-limit rules).
    const annotated = deployment('    cluster: prod\n').replace('    spec:\n', '    metadata:\n      annotations:\n        prometheus.io/port: ${PORT}\n    spec:\n');
    expect(await notReviewed(annotated)).toEqual([]);
    expect(await notReviewed(annotated.replace('${PORT}', 'x').replace('prometheus.io/port', 'container.apparmor.security.beta.kubernetes.io/triton').replace(': x', ': ${PROFILE}'))).toEqual([12]);
    const ingress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: triton\n  namespace: models\n  annotations:\n    cert-manager.io/cluster-issuer: ${ISSUER}\nspec:\n  rules:\n  - host: triton.example.com\n';
    expect(await notReviewed(ingress)).toEqual([]);
  });

  it('with the repository indexed only in part, a variable a rule reads is not reviewed: an unread Flux Kustomization may put it in', async () => {
    const text = pod('${HOST_NETWORK}');
    const partial = { resources: [], complete: false, unread: [{ file: '(repository)', reason: 'too large to list whole', kinds: [] }], urls };
    const { findings } = await scanFiles([{ path: 'k8s/pod.yaml', text }], { config, rules: [hostNamespaces], repository: partial });
    expect(summary(findings)).toEqual(['warden/not-reviewed 6']);
    expect(findings[0]!.message).toContain('a Flux Kustomization Warden did not read');
    // Indexed whole, no Flux Kustomization deploys it: judged as written (a `${…}` value no rule judges).
    expect((await scanFiles([{ path: 'k8s/pod.yaml', text }], { config, rules: [hostNamespaces], repository: { resources: [], complete: true, urls } })).findings).toEqual([]);
  });

  it('records a value as read when a rule gets it, not when it lists the keys beside it', () => {
    const resource = { body: { metadata: { annotations: { a: '1', b: { c: '2' } } } } } as unknown as Parameters<typeof trackingReads>[0];
    const { resource: tracked, read } = trackingReads(resource);
    const annotations = (tracked.body.metadata as { annotations: Record<string, unknown> }).annotations;
    expect(Object.keys(annotations)).toEqual(['a', 'b']);
    expect([read(['metadata', 'annotations', 'a']), read(['metadata', 'annotations', 'b'])]).toEqual([false, false]);
    expect(Object.getOwnPropertyDescriptor(annotations, 'a')!.get!()).toBe('1');
    expect(read(['metadata', 'annotations', 'a'])).toBe(true);
    expect(Object.entries(annotations.b as object)).toEqual([['c', '2']]);
    expect([read(['metadata', 'annotations', 'b']), read(['metadata', 'annotations', 'b', 'c'])]).toEqual([true, true]);
  });

  it('judges an object with the labels and annotations its Flux Kustomization sets on every object (commonMetadata), over its own', async () => {
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: models\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n';
    const common = (level: string) =>
      flux('    substitute:\n      ZONE: a\n').replace('  postBuild:', `  commonMetadata:\n    labels:\n      pod-security.kubernetes.io/enforce: ${level}\n  postBuild:`);
    const judged = async (sync: string) => {
      const repository = { ...(await buildRepositoryIndex(memoryReader({ 'k8s/namespace.yaml': namespace, 'clusters/prod/sync.yaml': sync }), config)), urls };
      return (await scanFiles([{ path: 'k8s/namespace.yaml', text: namespace }], { config, rules: [namespacePss], repository })).findings.map((f) => f.message);
    };
    expect(await judged(common('privileged'))).toEqual([expect.stringContaining('enforces only `privileged`')]);
    expect(await judged(common('restricted'))).toEqual([]);
    expect(await judged(flux('    substitute:\n      ZONE: a\n'))).toEqual([]);
    // Set as each object is applied: over a value put in there (a `baseline` over `${LEVEL}` of `restricted`), and not
    // put into itself (`${LEVEL}` set as written, a value Warden does not judge, over the `privileged` put in).
    const variable = namespace.replace('enforce: restricted', 'enforce: ${LEVEL}');
    const applied = async (commonLevel: string, level: string) => {
      const sync = common(commonLevel).replace('      ZONE: a\n', `      LEVEL: ${level}\n`);
      const repository = { ...(await buildRepositoryIndex(memoryReader({ 'k8s/namespace.yaml': variable, 'clusters/prod/sync.yaml': sync }), config)), urls };
      return (await scanFiles([{ path: 'k8s/namespace.yaml', text: variable }], { config, rules: [namespacePss], repository })).findings.map((f) => f.message);
    };
    expect(await applied('baseline', 'restricted')).toEqual([expect.stringContaining('enforces only `baseline`')]);
    expect(await applied("'${LEVEL}'", 'privileged')).toEqual([]);
  });

  it('judges an object of the kind and apiVersion Flux puts in; one not known is not reviewed wherever the change touches it', async () => {
    const typed = (kind: string, apiVersion = 'v1') => pod('true').replace('apiVersion: v1\nkind: Pod', `apiVersion: ${apiVersion}\nkind: ${kind}`);
    const values = flux('    substitute:\n      KIND: Pod\n      API: v1\n');
    expect(summary((await scan({ 'k8s/pod.yaml': typed('${KIND}') }, { 'clusters/prod/sync.yaml': values })).findings)).toEqual(['k8s/host-namespaces 6']);
    expect(summary((await scan({ 'k8s/pod.yaml': typed('Pod', '${API}') }, { 'clusters/prod/sync.yaml': values })).findings)).toEqual(['k8s/host-namespaces 6']);
    // Escaped in a quoted value, a kind is put in all the same.
    expect(summary((await scan({ 'k8s/pod.yaml': typed('"\\x24{KIND}"') }, { 'clusters/prod/sync.yaml': values })).findings)).toEqual(['k8s/host-namespaces 6']);
    // From the cluster: not reviewed, even where the change touches only another line of the object.
    const fromCluster = flux('    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n');
    expect(summary((await scan({ 'k8s/pod.yaml': typed('${KIND}') }, { 'clusters/prod/sync.yaml': fromCluster })).findings)).toEqual(['warden/not-reviewed 2']);
    expect(summary((await scan({ 'k8s/pod.yaml': typed('${KIND}') }, { 'clusters/prod/sync.yaml': fromCluster }, { 'k8s/pod.yaml': [6] })).findings)).toEqual(['warden/not-reviewed 2']);
    // A Namespace's Pod Security level.
    const namespace = 'apiVersion: v1\nkind: ${K}\nmetadata:\n  name: models\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n';
    const judged = await scan({ 'k8s/namespace.yaml': namespace }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      K: Namespace\n') }, undefined, [namespacePss]);
    expect(judged.findings.map((f) => f.ruleId)).toEqual(['k8s/namespace-pss-enforce']);
  });

  it('finds a variable YAML escapes hide in the text (`\\x24`, `\\u0024`, a line continuation), in values and keys', async () => {
    const values = flux('    substitute:\n      HOST_NETWORK: "true"\n');
    for (const written of ['"\\x24{HOST_NETWORK}"', '"\\u0024{HOST_NETWORK}"', '"$\\\n    {HOST_NETWORK}"']) {
      expect(summary((await scan({ 'k8s/pod.yaml': pod(written) }, { 'clusters/prod/sync.yaml': values })).findings), written).toEqual(['k8s/host-namespaces 6']);
    }
    const key = pod('false').replace('  hostNetwork: false', '  "\\x24{KEY}": true');
    expect(summary((await scan({ 'k8s/pod.yaml': key }, { 'clusters/prod/sync.yaml': values })).findings)).toEqual(['warden/not-reviewed 6']);
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: models\n  labels:\n    pod-security.kubernetes.io/enforce: "\\x24{LEVEL}"\n';
    const judged = await scan({ 'k8s/namespace.yaml': namespace }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      LEVEL: privileged\n') }, undefined, [namespacePss]);
    expect(judged.findings.map((f) => f.ruleId)).toEqual(['k8s/namespace-pss-enforce']);
  });

  it('types a value put in as Flux reads it again (go-yaml): `0o0` and `-0` are the integer 0', async () => {
    const user = (written: string) => pod('false').replace('    image: triton:1\n', `    image: triton:1\n    securityContext:\n      runAsUser: ${written}\n`);
    for (const [written, uid] of [
      ['${UID}', '0o0'],
      ['${UID}', '0O0'],
      ['${UID}', '0X0'],
      ['${UID}', '0B0'],
      ['${UID}', '+0o0'],
      ['-${UID}', '0'],
      ['"-${UID}"', '0'],
    ] as const) {
      const { findings } = await scan({ 'k8s/pod.yaml': user(written) }, { 'clusters/prod/sync.yaml': flux(`    substitute:\n      UID: "${uid}"\n`) }, undefined, [runAsRootUser]);
      expect(findings.map((f) => f.ruleId), `${written} ${uid}`).toEqual(['k8s/run-as-root-user']);
    }
    const { findings } = await scan({ 'k8s/pod.yaml': user('${UID}') }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      UID: "1000"\n') }, undefined, [runAsRootUser]);
    expect(findings).toEqual([]);
  });

  it('does not review an object holding a reference without a sure end, whatever the rules read: Flux may read past the value', async () => {
    const swallowing = pod('false').replace('    image: triton:1\n', '    image: triton:1\n    ports:\n    - name: ${X:=\n      containerPort: 80\n    workingDir: /app}\n');
    const { findings } = await scan({ 'k8s/pod.yaml': swallowing }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      OTHER: x\n') });
    expect(summary(findings)).toEqual(['warden/not-reviewed 11']);
    expect(findings[0]!.message).toContain('no end Warden can be sure of');
    // In a key too.
    const inKey = pod('false').replace('    image: triton:1\n', '    image: triton:1\n    env:\n    - ${X:=: a\n      value: b}\n');
    expect((await scan({ 'k8s/pod.yaml': inKey }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      OTHER: x\n') }, { 'k8s/pod.yaml': [6] })).findings.map((f) => f.message)).toEqual([expect.stringContaining('no end Warden can be sure of')]);
    // Wherever the change touches the object.
    expect(summary((await scan({ 'k8s/pod.yaml': swallowing }, { 'clusters/prod/sync.yaml': flux('    substitute:\n      OTHER: x\n') }, { 'k8s/pod.yaml': [6] })).findings)).toEqual(['warden/not-reviewed 11']);
  });

  it('reads a Flux Kustomization another deploys as that one puts its variables in, and fails closed where it cannot', async () => {
    const parent = (values: string) => flux(values, { name: 'apps', path: './clusters/prod/apps' });
    /** A child Kustomization (and its GitRepository) in the folder the parent deploys. */
    const child = ({ path = './k8s', url = 'https://github.com/example/platform', postBuild = '    substitute:\n      HOST_NETWORK: "true"\n', extra = '' } = {}) =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: serving\n  namespace: flux-system\nspec:\n  url: ${url}\n---\n` +
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: serving\n  namespace: flux-system\nspec:\n  sourceRef:\n    kind: GitRepository\n    name: serving\n  path: ${path}\n${extra}  postBuild:\n${postBuild}`;
    const known = parent('    substitute:\n      K: HOST_NETWORK\n      ENV: prod\n      REPO: platform\n      LEVEL: privileged\n');
    const changed = (file = 'k8s/pod.yaml') => ({ [file]: pod('${HOST_NETWORK}') });
    const judged = async (repo: Record<string, string>, file = 'k8s/pod.yaml') => summary((await scan(changed(file), repo)).findings);
    // As today: a child written without variables, under a parent that puts some in.
    expect(await judged({ 'clusters/prod/sync.yaml': known, 'clusters/prod/apps/serving.yaml': child() })).toEqual(['k8s/host-namespaces 6']);
    expect(await judged({ 'clusters/prod/sync.yaml': known, 'clusters/prod/apps/serving.yaml': child({ postBuild: '    substitute:\n      HOST_NETWORK: "false"\n' }) })).toEqual([]);
    // A name, a path, a GitRepository's URL the parent puts in.
    expect(await judged({ 'clusters/prod/sync.yaml': known, 'clusters/prod/apps/serving.yaml': child({ postBuild: '    substitute:\n      ${K}: "true"\n' }) })).toEqual(['k8s/host-namespaces 6']);
    expect(await judged({ 'clusters/prod/sync.yaml': known, 'clusters/prod/apps/serving.yaml': child({ path: './apps/${ENV}' }) }, 'apps/prod/pod.yaml')).toEqual(['k8s/host-namespaces 6']);
    expect(await judged({ 'clusters/prod/sync.yaml': known, 'clusters/prod/apps/serving.yaml': child({ url: 'https://github.com/example/${REPO}' }) })).toEqual(['k8s/host-namespaces 6']);
    // Not put in by the parent (it takes its values from the cluster): a name not known leaves every value not known;
    // a path not known, any folder's variables; a URL not known may be this repository.
    const fromCluster = parent('    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n');
    expect(await judged({ 'clusters/prod/sync.yaml': fromCluster, 'clusters/prod/apps/serving.yaml': child({ postBuild: '    substitute:\n      ${K}: "true"\n' }) })).toEqual(['warden/not-reviewed 6']);
    const anywhere = await scan(changed('apps/other/pod.yaml'), { 'clusters/prod/sync.yaml': fromCluster, 'clusters/prod/apps/serving.yaml': child({ path: './apps/${ENV}' }) });
    expect(summary(anywhere.findings)).toEqual(['warden/not-reviewed 6']);
    expect(anywhere.findings[0]!.message).toContain('it may deploy any folder');
    expect(await judged({ 'clusters/prod/sync.yaml': fromCluster, 'clusters/prod/apps/serving.yaml': child({ url: 'https://github.com/example/${REPO}' }) })).toEqual(['k8s/host-namespaces 6']);
    // A manifest without variables is judged as written, whatever such a child deploys.
    expect(summary((await scan({ 'apps/other/pod.yaml': pod('false') }, { 'clusters/prod/sync.yaml': fromCluster, 'clusters/prod/apps/serving.yaml': child({ path: './apps/${ENV}' }) })).findings)).toEqual([]);

    // Common metadata the parent puts a value into: a Namespace's Pod Security level.
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: models\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n';
    const common = child({ extra: '  commonMetadata:\n    labels:\n      pod-security.kubernetes.io/enforce: ${LEVEL}\n' });
    const level = async (sync: string, serving = common) => (await scan({ 'k8s/namespace.yaml': namespace }, { 'clusters/prod/sync.yaml': sync, 'clusters/prod/apps/serving.yaml': serving }, undefined, [namespacePss])).findings.map((f) => f.ruleId);
    expect(await level(known)).toEqual(['k8s/namespace-pss-enforce']);
    expect(await level(fromCluster)).toEqual(['warden/not-reviewed']);
    // Set by a child whose path is not known: the label it sets is not reviewed where read.
    expect(await level(fromCluster, child({ path: './apps/${ENV}', extra: '  commonMetadata:\n    labels:\n      pod-security.kubernetes.io/enforce: privileged\n' }))).toContain('warden/not-reviewed');
  });
});
