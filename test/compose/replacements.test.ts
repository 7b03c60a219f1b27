// Kustomize `replacements`: a value copied from a source object's field (or a literal) into fields of the targets is
// what deploys, so rules judge the copy, and a finding sits where the value is written: the source's line, or the
// literal's. Its fix is shown, not offered (written at the source it would change every target). Fields Warden does
// not apply are said in notes.
import { describe, expect, it } from 'vitest';
import hostNamespaces from '../../rules/k8s/host-namespaces.js';
import imageTagPinned from '../../rules/k8s/image-tag-pinned.js';
import { resolveFieldPath, splitFieldPath } from '../../src/compose/field-paths.js';
import { readLayout, rootsReaching } from '../../src/compose/layout.js';
import { getIn } from '../../src/engine/path.js';
import { HARDENED_DEPLOYMENT, compose, composedFindings } from './helpers.js';

const IMAGE = 'nvcr.io/nvidia/tritonserver:24.05-py3@sha256:4d1bb0e4bd0d3bd7bb4e0d6a0a5c0b1d3c2a7f6e9b8d7c6a5f4e3d2c1b0a9f8e';
const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  image: nvcr.io/nvidia/tritonserver:latest\n';

function layout(kustomization: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'serving/kustomization.yaml': `namespace: models\nresources:\n- deployment.yaml\n- config.yaml\n${kustomization}`,
    'serving/deployment.yaml': HARDENED_DEPLOYMENT,
    'serving/config.yaml': CONFIG,
    ...Object.fromEntries(Object.entries(extra).map(([name, text]) => [`serving/${name}`, text])),
  };
}

const IMAGE_FROM_CONFIG = `replacements:
- source:
    kind: ConfigMap
    name: settings
    fieldPath: data.image
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=triton].image
`;

describe('replacements', () => {
  it('copy a source field into the targets: the finding on the copied value sits on the source line, its fix shown, not offered', async () => {
    const files = layout(IMAGE_FROM_CONFIG);
    const { findings, composed } = await composedFindings(files, [imageTagPinned]);
    const deployment = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'Deployment')!;
    expect(getIn(deployment.body, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('nvcr.io/nvidia/tritonserver:latest');
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.resource}`)).toEqual(['serving/config.yaml:6 k8s/image-tag-pinned Deployment/models/triton']);
    expect(findings[0]!.fix?.edits ?? []).toEqual([]);
    expect(composed.notes).toEqual([]);
  });

  it('a literal sourceValue into one delimited part of the target (the tag of the image): the finding on the literal', async () => {
    const kustomization = `replacements:
- sourceValue: latest
  targets:
  - select:
      kind: Deployment
      name: triton
    fieldPaths:
    - spec.template.spec.containers.*.image
    options:
      delimiter: '@'
      index: 0
`;
    const { findings, composed } = await composedFindings(layout(kustomization), [imageTagPinned]);
    const deployment = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'Deployment')!;
    expect(getIn(deployment.body, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe(`latest@${IMAGE.split('@')[1]}`);
    expect(findings.map((f) => `${f.file}:${f.line}`)).toEqual([]);
    // The digest still pins it; without a digest the literal is what is judged, on its own line.
    const unpinned = layout(kustomization.replace("delimiter: '@'", "delimiter: ':'").replace('index: 0', 'index: 1'), {});
    unpinned['serving/deployment.yaml'] = HARDENED_DEPLOYMENT.replace(IMAGE, 'nvcr.io/nvidia/tritonserver:24.05-py3');
    const again = await composedFindings(unpinned, [imageTagPinned]);
    expect(again.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/kustomization.yaml:6 k8s/image-tag-pinned']);
  });

  it('into a part past the last (appended) or before the first (a negative index), or with an empty delimiter (the whole value), as kustomize does', async () => {
    const tagged = (options: string) => `replacements:
- sourceValue: latest
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.*.image
    options:
${options}`;
    const image = async (options: string) => {
      const files = layout(tagged(options));
      files['serving/deployment.yaml'] = HARDENED_DEPLOYMENT.replace(IMAGE, 'nvcr.io/nvidia/tritonserver');
      const composed = await compose(files);
      expect(composed.notes).toEqual([]);
      return getIn(composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'Deployment')!.body, ['spec', 'template', 'spec', 'containers', 0, 'image']);
    };
    expect(await image("      delimiter: ':'\n      index: 1\n")).toBe('nvcr.io/nvidia/tritonserver:latest');
    expect(await image("      delimiter: ':'\n      index: 7\n")).toBe('nvcr.io/nvidia/tritonserver:latest');
    expect(await image("      delimiter: '/'\n      index: -1\n")).toBe('latest/nvcr.io/nvidia/tritonserver');
    expect(await image("      delimiter: ''\n")).toBe('latest');
  });

  it('from a file (`path:`), creating the field: a host namespace copied from another object is found on that object\'s line', async () => {
    const debug = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: debug\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers: []\n';
    const replacement = `source:
  kind: Deployment
  name: debug
  fieldPath: spec.template.spec.hostNetwork
targets:
- select:
    kind: Deployment
  reject:
  - name: debug
  fieldPaths:
  - spec.template.spec.hostNetwork
  options:
    create: true
`;
    const files = layout('- debug.yaml\nreplacements:\n- path: copy-host-network.yaml\n', { 'debug.yaml': debug, 'copy-host-network.yaml': replacement });
    const { findings, composed } = await composedFindings(files, [hostNamespaces]);
    const triton = composed.files.flatMap((f) => f.resources).find((r) => r.id === 'Deployment/models/triton')!;
    expect(getIn(triton.body, ['spec', 'template', 'spec', 'hostNetwork'])).toBe(true);
    // One finding for the value, where it is written (both Deployments deploy it from that line).
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/debug.yaml:8 k8s/host-namespaces']);
    expect(composed.read.has('serving/copy-host-network.yaml')).toBe(true);
    // A change to the replacement file alone reaches the kustomization that reads it.
    const layoutRead = await readLayout(Object.keys(files), async (path) => files[path] ?? null);
    expect(rootsReaching(layoutRead, new Set(['serving/copy-host-network.yaml'])).roots).toEqual(['serving']);
  });

  it('that kustomize would stop on, and a chart to inflate, are not composed; fields Warden does not apply are notes', async () => {
    const kustomization = `${IMAGE_FROM_CONFIG.replace('    name: settings\n', '')}- source:
    kind: ConfigMap
    name: other
    fieldPath: data.missing
  targets: []
- targets:
  - select: {kind: Deployment}
helmCharts:
- name: minecraft
  repo: https://itzg.github.io/minecraft-server-charts
transformers:
- plugin.yaml
vars: []
`;
    const files = layout(kustomization, { 'second.yaml': CONFIG.replace('name: settings', 'name: other') });
    files['serving/kustomization.yaml'] = files['serving/kustomization.yaml']!.replace('- config.yaml\n', '- config.yaml\n- second.yaml\n');
    const composed = await compose(files);
    expect(composed.notes.map((n) => n.message)).toEqual(['`vars` are not substituted: `$(VAR)` references are reviewed as written']);
    // A replacement kustomize stops on leaves its targets as written, which is not what deploys: not composed, at its
    // entry. Transformer configs (built-in ones too) are not applied: not composed, as a chart is.
    const stops = ' (kustomize stops the build there): what it copies is not known, and its targets were not composed with it';
    expect(composed.uncomposed.filter((n) => n.input === undefined).map((n) => [n.message, n.lines?.startLine])).toEqual([
      // Inflated with the generators, before replacements: at its `repo`, which kustomize would pull it from.
      ['`helmCharts` chart `minecraft` is not inflated: no chart is at `serving/charts/minecraft`, so kustomize pulls it from `https://itzg.github.io/minecraft-server-charts` (Warden fetches nothing); the objects it deploys were not composed', 24],
      [`replacement at \`replacements[0]\`: its source kind \`ConfigMap\` selects 2 objects, not one${stops}`, 7],
      [`replacement at \`replacements[1]\`: its source field \`data.missing\` is not in ConfigMap/other${stops}`, 15],
      [`replacement at \`replacements[2]\`: it has neither \`source\` nor \`sourceValue\`${stops}`, 20],
      ['`transformers` are not applied (Warden applies no transformer config, built-in or plugin): the objects were composed without what they change', 25],
    ]);
  });
});

describe('kustomize field paths', () => {
  const body = { spec: { containers: [{ name: 'a', image: 'x', ports: [80, 443] }, { name: 'b.c', image: 'y' }] } };

  it('split on dots outside brackets', () => {
    expect(splitFieldPath('spec.containers.[name=b.c].image')).toEqual(['spec', 'containers', '[name=b.c]', 'image']);
  });

  it('name items by field, by scalar value, by index or all of them', () => {
    expect(resolveFieldPath(body, splitFieldPath('spec.containers.[name=b.c].image'))).toEqual([['spec', 'containers', 1, 'image']]);
    expect(resolveFieldPath(body, splitFieldPath('spec.containers.*.image'))).toEqual([
      ['spec', 'containers', 0, 'image'],
      ['spec', 'containers', 1, 'image'],
    ]);
    expect(resolveFieldPath(body, splitFieldPath('spec.containers.0.ports.[=443]'))).toEqual([['spec', 'containers', 0, 'ports', 1]]);
    expect(resolveFieldPath(body, splitFieldPath('spec.containers.[name=z].image'))).toEqual([]);
  });

  it('create missing keys only when asked, and never through a selector', () => {
    expect(resolveFieldPath(body, splitFieldPath('spec.containers.[name=a].securityContext.privileged'))).toEqual([]);
    expect(resolveFieldPath(body, splitFieldPath('spec.containers.[name=a].securityContext.privileged'), true)).toEqual([['spec', 'containers', 0, 'securityContext', 'privileged']]);
    expect(resolveFieldPath(body, splitFieldPath('spec.volumes.[name=a].emptyDir'), true)).toEqual([]);
  });
});

describe('a field named __proto__', () => {
  const UNHARDENED = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bare\nspec:\n  template:\n    spec:\n      containers:\n      - name: bare\n        image: registry.example.com/bare@sha256:' + 'a'.repeat(64) + '\n';
  const HARDENING = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hardening\n  annotations:\n    config.kubernetes.io/local-config: "true"\nsc:\n  runAsNonRoot: true\n  allowPrivilegeEscalation: false\n';

  it('is never written, by a replacement or a patch: nothing but the object itself gets what they set, and the rest is judged', async () => {
    const kustomization = `replacements:
- source: {kind: ConfigMap, name: hardening, fieldPath: sc}
  targets:
  - select: {kind: ConfigMap, name: hardening}
    fieldPaths: [__proto__.securityContext]
    options: {create: true}
patches:
- path: proto.yaml
`;
    const files = {
      'serving/kustomization.yaml': `namespace: models\nresources:\n- bare.yaml\n- hardening.yaml\n${kustomization}`,
      'serving/bare.yaml': UNHARDENED,
      'serving/hardening.yaml': HARDENING,
      'serving/proto.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hardening\n__proto__:\n  runAsNonRoot: true\nsc:\n  __proto__:\n    privileged: false\n',
    };
    const { findings } = await composedFindings(files);
    expect(({} as Record<string, unknown>).securityContext).toBeUndefined();
    expect(({} as Record<string, unknown>).runAsNonRoot).toBeUndefined();
    expect(findings.filter((f) => f.resource === 'Deployment/models/bare').map((f) => f.ruleId)).toEqual(expect.arrayContaining(['k8s/allow-privilege-escalation', 'k8s/run-as-non-root']));
  });
});
