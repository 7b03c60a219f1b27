// `configMapGenerator` and `secretGenerator` as kustomize runs them: env files, literals and files, options and
// behavior. What they generate is judged, each value at the env line or the file it came from; what Warden cannot
// compose exactly (a key from the environment, a file it will not read) fails closed where the change touches it.
import { describe, expect, it } from 'vitest';
import credentialLiteral from '../../rules/k8s/credential-literal.js';
import imageTagPinned from '../../rules/k8s/image-tag-pinned.js';
import secretCommitted from '../../rules/k8s/secret-committed.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { readLayout, rootsReaching } from '../../src/compose/layout.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { getIn } from '../../src/common/path.js';
import { review, type ChangedFile } from '../../src/review.js';
import { HARDENED_DEPLOYMENT, compose, composedFindings } from './helpers.js';

const AWS_KEY = 'AKIAQ2Z7EXAMPLE4KEYS';
const APP_ENV = `# settings of the model server
LOG_LEVEL=info

AWS_ACCESS_KEY_ID=${AWS_KEY}
  MODEL_NAME=resnet # not a comment: kept
`;

function layout(kustomization: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'serving/kustomization.yaml': `namespace: models\nresources:\n- deployment.yaml\n${kustomization}`,
    'serving/deployment.yaml': HARDENED_DEPLOYMENT,
    ...Object.fromEntries(Object.entries(extra).map(([name, text]) => [name.startsWith('/') ? name.slice(1) : `serving/${name}`, text])),
  };
}

async function composedObject(files: Record<string, string>, kind: string) {
  const composed = await compose(files);
  return { body: composed.files.flatMap((f) => f.resources).find((r) => r.kind === kind)?.body, composed };
}

/** A unified diff that adds `added` (1-based head lines) to a file whose other lines are unchanged. */
function adding(head: string, added: readonly number[]): string {
  const lines = head.trimEnd().split('\n');
  const before = lines.length - added.length;
  return `@@ -1,${before} +1,${lines.length} @@\n${lines.map((l, i) => `${added.includes(i + 1) ? '+' : ' '}${l}`).join('\n')}`;
}

/**
 * A pull request that changes only `path` (a file the review does not read as a manifest) from `base` to `head`,
 * as the App sees it: the path among the written ones, its texts read from the trees of both revisions.
 */
function reviewAppChange(head: Record<string, string>, base: Record<string, string>, path: string) {
  return review({ files: [], written: [path], config: DEFAULT_CONFIG, reader: memoryReader(head), baseReader: memoryReader(base) });
}

describe('env files', () => {
  it('are read as kustomize reads them: a credential in one is found on its line, in the env file', async () => {
    const files = layout('configMapGenerator:\n- name: settings\n  envs:\n  - app.env\n', { 'app.env': APP_ENV });
    const { findings, composed } = await composedFindings(files, [credentialLiteral]);
    const configMap = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'ConfigMap')!;
    // Comments and blank lines skipped, leading space trimmed, the value verbatim (kustomize removes no quotes or comments).
    expect(configMap.body).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'models' }, data: { LOG_LEVEL: 'info', AWS_ACCESS_KEY_ID: AWS_KEY, MODEL_NAME: 'resnet # not a comment: kept' } });
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/app.env:4 k8s/credential-literal']);
    expect(findings[0]!.fix?.edits ?? []).toEqual([]);
    expect(composed.notes).toEqual([]);
    expect(composed.uncomposed).toEqual([]);
  });

  it('a Secret generated from one commits its values: base64 data, its type, the values found at the generator', async () => {
    const files = layout('secretGenerator:\n- name: storage\n  type: kubernetes.io/basic-auth\n  env: creds.env\n', { 'creds.env': 'username=triton\npassword=hunter2\n' });
    const { findings, composed } = await composedFindings(files, [secretCommitted]);
    const secret = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'Secret')!;
    expect(secret.body).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'storage', namespace: 'models' }, type: 'kubernetes.io/basic-auth', data: { username: Buffer.from('triton').toString('base64'), password: Buffer.from('hunter2').toString('base64') } });
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/kustomization.yaml:7 k8s/secret-committed']);
  });

  it('a line without `=` takes its value from the environment kustomize runs in: that key is not composed, not reviewed where changed', async () => {
    const env = 'LOG_LEVEL=info\nHF_TOKEN\n';
    const files = layout('configMapGenerator:\n- name: settings\n  envs:\n  - app.env\n', { 'app.env': env });
    const { body, composed } = await composedObject(files, 'ConfigMap');
    expect(getIn(body, ['data'])).toEqual({ LOG_LEVEL: 'info' });
    expect(composed.uncomposed.map((p) => [p.file, p.lines?.startLine, p.message])).toEqual([['serving/app.env', 2, expect.stringContaining('reads line 2, a key without `=`: kustomize takes its value from the environment')]]);
    // The change writes that line: not reviewed there; one writing only the other line is reviewed (a note says it).
    const change = (added: number[]): ChangedFile => ({ path: 'serving/app.env', headText: env, baseText: 'LOG_LEVEL=debug\n', patch: adding(env, added) });
    const touched = await review({ files: [change([2])], written: ['serving/app.env'], config: DEFAULT_CONFIG, reader: memoryReader(files) });
    expect(touched.gating.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => `${f.file}:${f.line}`)).toEqual(['serving/app.env:2']);
    const elsewhere = await review({ files: [change([1])], written: ['serving/app.env'], config: DEFAULT_CONFIG, reader: memoryReader(files) });
    expect(elsewhere.gating.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    expect(elsewhere.notes.map((n) => n.message)).toContainEqual(expect.stringContaining('reads line 2, a key without `=`'));
  });

  it('a key kustomize refuses, or one given twice, is not composed at its line', async () => {
    const files = layout('configMapGenerator:\n- name: settings\n  envs:\n  - app.env\n  literals:\n  - LOG_LEVEL=debug\n  - hf_pastedAloneAbcdefghijklmnop\n', { 'app.env': `LOG_LEVEL=info\nBAD KEY=x\n${AWS_KEY} x\n` });
    const { body, composed } = await composedObject(files, 'ConfigMap');
    expect(getIn(body, ['data'])).toEqual({ LOG_LEVEL: 'info' });
    expect(composed.uncomposed.map((p) => [p.file, p.lines?.startLine])).toEqual([
      ['serving/app.env', 2],
      ['serving/app.env', 3],
      ['serving/kustomization.yaml', 10],
      ['serving/kustomization.yaml', 9],
    ]);
    // What may be a credential pasted alone is never quoted back in what Warden posts.
    for (const part of composed.uncomposed) expect(part.message).not.toMatch(/AKIA|hf_/);
  });
});

describe('files', () => {
  it('each file is a key (its name, or the key given), its value the whole file, reported in that file', async () => {
    const files = layout('configMapGenerator:\n- name: settings\n  files:\n  - config.ini\n  - token.txt=secrets/hf.txt\n', { 'config.ini': '[server]\nport=8000\n', 'secrets/hf.txt': 'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\n' });
    const { findings, composed } = await composedFindings(files, [credentialLiteral]);
    const configMap = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'ConfigMap')!;
    expect(getIn(configMap.body, ['data'])).toEqual({ 'config.ini': '[server]\nport=8000\n', 'token.txt': 'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\n' });
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/secrets/hf.txt:1 k8s/credential-literal']);
  });

  it('a file that is not there, outside the kustomization\'s folder or absolute is not read: not composed at its entry', async () => {
    const files = layout('configMapGenerator:\n- name: settings\n  files:\n  - missing.txt\n  - ../shared/ca.pem\n  - /etc/passwd\n  envs:\n  - ../shared/app.env\n', { '/shared/ca.pem': 'x', '/shared/app.env': 'A=b\n' });
    const { composed } = await composedObject(files, 'ConfigMap');
    const outside = expect.stringContaining("outside the kustomization's folder: kustomize refuses it by default (its load restrictor)");
    // In kustomize's order: env files first.
    expect(composed.uncomposed.map((p) => [p.lines?.startLine, p.missing ?? null, p.message])).toEqual([
      [11, null, outside],
      [7, 'serving/missing.txt', expect.stringContaining('reads `serving/missing.txt`, which Warden cannot read (where there is none, kustomize stops the build)')],
      [8, null, outside],
      [9, null, outside],
    ]);
    // Not read: a change to it alone is not reviewed (the kustomization that names it is built, and reads nothing from it).
    const result = await reviewAppChange(files, files, 'shared/app.env');
    expect(result.gating.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => f.file)).toEqual(['shared/app.env']);
  });
});

describe('options and behavior', () => {
  it('options over generatorOptions: labels, annotations and immutable; no hash suffix on the name', async () => {
    const kustomization = 'generatorOptions:\n  disableNameSuffixHash: false\n  immutable: true\n  labels:\n    team: ml\n    tier: base\nconfigMapGenerator:\n- name: settings\n  literals:\n  - A=b\n  options:\n    labels:\n      tier: serving\n    annotations:\n      note: x\n';
    const { body } = await composedObject(layout(kustomization), 'ConfigMap');
    expect(body).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'models', labels: { team: 'ml', tier: 'serving' }, annotations: { note: 'x' } }, immutable: true, data: { A: 'b' } });
  });

  const BASE = {
    'serving/base/kustomization.yaml': 'namespace: models\nresources:\n- deployment.yaml\nconfigMapGenerator:\n- name: settings\n  envs:\n  - app.env\n  options:\n    labels:\n      from: base\n',
    'serving/base/deployment.yaml': HARDENED_DEPLOYMENT,
    'serving/base/app.env': 'LOG_LEVEL=info\nREGION=eu\n',
  };
  const overlay = (generator: string, extra: Record<string, string> = {}) => ({ ...BASE, 'serving/prod/kustomization.yaml': `namePrefix: prod-\nresources:\n- ../base\nconfigMapGenerator:\n${generator}`, ...extra });

  it('merge changes the base\'s object: its name, namespace and data stay unless given, each value from where it was set', async () => {
    const files = overlay('- name: settings\n  behavior: merge\n  envs:\n  - prod.env\n', { 'serving/prod/prod.env': `LOG_LEVEL=warn\nAWS_ACCESS_KEY_ID=${AWS_KEY}\n` });
    const { findings, composed } = await composedFindings(files, [credentialLiteral]);
    const configMaps = composed.files.flatMap((f) => f.resources).filter((r) => r.kind === 'ConfigMap' && r.file.startsWith('serving/prod'));
    expect(configMaps.map((r) => r.body)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prod-settings', namespace: 'models', labels: { from: 'base' } }, data: { LOG_LEVEL: 'warn', AWS_ACCESS_KEY_ID: AWS_KEY, REGION: 'eu' } }]);
    expect(configMaps[0]!.source.locate(['data', 'REGION']).origin?.file).toBe('serving/base/app.env');
    expect(findings.map((f) => `${f.file}:${f.line}`)).toEqual(['serving/prod/prod.env:2']);
    expect(composed.uncomposed).toEqual([]);
  });

  it('replace keeps only the name, namespace, labels and annotations of the base\'s object', async () => {
    const { composed } = await composedObject(overlay('- name: settings\n  behavior: replace\n  literals:\n  - ONLY=this\n'), 'ConfigMap');
    const replaced = composed.files.find((f) => f.file === 'serving/prod/kustomization.yaml')!.resources.find((r) => r.kind === 'ConfigMap')!;
    expect(replaced.body).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prod-settings', namespace: 'models', labels: { from: 'base' } }, data: { ONLY: 'this' } });
  });

  it('merge with nothing to merge with, create over an object already built, or an unknown behavior: not composed (kustomize stops)', async () => {
    const cases: [string, number, string][] = [
      ['- name: other\n  behavior: merge\n  literals:\n  - A=b\n', 6, 'but no ConfigMap of that name and namespace is built before it'],
      ['- name: settings\n  literals:\n  - A=b\n', 5, 'generates a ConfigMap this kustomization already builds'],
      ['- name: settings\n  behavior: upsert\n  literals:\n  - A=b\n', 6, 'which kustomize does not know'],
    ];
    for (const [generator, line, message] of cases) {
      const composed = await compose(overlay(generator));
      expect(composed.uncomposed.map((p) => [p.file, p.lines?.startLine, p.message]), generator).toEqual([['serving/prod/kustomization.yaml', line, expect.stringContaining(message)]]);
    }
  });
});

describe('a replacement whose source is a generated ConfigMap', () => {
  const REPLACE_TAG = `configMapGenerator:
- name: release
  envs:
  - release.env
replacements:
- source:
    kind: ConfigMap
    name: release
    fieldPath: data.IMAGE_TAG
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=triton].image
    options:
      delimiter: ':'
      index: 1
`;
  const UNPINNED = HARDENED_DEPLOYMENT.replace(/image: \S+/, 'image: nvcr.io/nvidia/tritonserver:placeholder');

  it('finds it: the tag an env file feeds the Deployment is judged, on the env file\'s line', async () => {
    const files = { ...layout(REPLACE_TAG, { 'release.env': 'IMAGE_TAG=latest\n' }), 'serving/deployment.yaml': UNPINNED };
    const { findings, composed } = await composedFindings(files, [imageTagPinned]);
    const deployment = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'Deployment')!;
    expect(getIn(deployment.body, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('nvcr.io/nvidia/tritonserver:latest');
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/release.env:1 k8s/image-tag-pinned']);
  });

  it('whose key is gone: the replacement is not composed (its targets are not what deploys), not reviewed where the change touches it', async () => {
    const files: Record<string, string> = { ...layout(REPLACE_TAG, { 'release.env': 'OTHER=1\n' }), 'serving/deployment.yaml': UNPINNED };
    const composed = await compose(files);
    expect(composed.uncomposed.map((p) => [p.file, p.lines?.startLine, p.message])).toEqual([['serving/kustomization.yaml', 9, expect.stringContaining('its source field `data.IMAGE_TAG` is not in ConfigMap/release (kustomize stops the build there)')]]);
    const text = files['serving/kustomization.yaml']!;
    const result = await review({ files: [{ path: 'serving/kustomization.yaml', headText: text, baseText: null, patch: adding(text, text.trimEnd().split('\n').map((_, i) => i + 1)) }], config: DEFAULT_CONFIG, reader: memoryReader(files) });
    expect(result.gating.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => `${f.file}:${f.line}`)).toContain('serving/kustomization.yaml:9');
  });
});

describe('a change to a file only a generator reads', () => {
  const head = layout('configMapGenerator:\n- name: settings\n  envs:\n  - app.env\n', { 'app.env': `LOG_LEVEL=info\nAWS_ACCESS_KEY_ID=${AWS_KEY}\n` });
  const base = { ...head, 'serving/app.env': 'LOG_LEVEL=info\n' };

  it('builds the kustomizations that read it', async () => {
    const found = await readLayout(Object.keys(head), async (path) => head[path] ?? null);
    expect(rootsReaching(found, new Set(['serving/app.env'])).roots).toEqual(['serving']);
  });

  it('in the App (only its path listed): what it generates is reviewed, the new credential gates at its line', async () => {
    const result = await reviewAppChange(head, base, 'serving/app.env');
    expect(result.gating.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/app.env:2 k8s/credential-literal']);
    // Unchanged since base, it is not new.
    const same = await reviewAppChange(head, head, 'serving/app.env');
    expect(same.gating).toEqual([]);
    expect(same.findings.map((f) => [f.ruleId, f.preExisting])).toEqual([['k8s/credential-literal', true]]);
  });

  it('from the command line (its texts and patch at hand): the finding is on the line the change wrote', async () => {
    const text = head['serving/app.env']!;
    const result = await review({ files: [{ path: 'serving/app.env', headText: text, baseText: base['serving/app.env']!, patch: adding(text, [2]) }], written: ['serving/app.env'], config: DEFAULT_CONFIG, reader: memoryReader(head) });
    expect(result.gating.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/app.env:2 k8s/credential-literal']);
    expect(result.patches.get('serving/app.env')?.changed).toEqual(new Set([2]));
  });

  it('acknowledged by a suppression comment above its line in the env file', async () => {
    const text = `LOG_LEVEL=info\n# warden:ignore k8s/credential-literal -- a documented test key\nAWS_ACCESS_KEY_ID=${AWS_KEY}\n`;
    const result = await reviewAppChange({ ...head, 'serving/app.env': text }, base, 'serving/app.env');
    expect(result.gating).toEqual([]);
    expect(result.findings.map((f) => f.suppressed?.reason)).toEqual(['a documented test key']);
  });

  it('that cannot be read, or from which nothing was generated: not reviewed', async () => {
    const unread = await reviewAppChange({ ...head, 'serving/app.env': 'A=b\0\0binary' }, base, 'serving/app.env');
    expect(unread.gating.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => f.file)).toEqual(['serving/app.env']);
  });

  it('that no kustomization reads is left to the rest of the review (nothing composed for it)', async () => {
    const result = await reviewAppChange({ ...head, 'docs/notes.env': 'A=b\n' }, head, 'docs/notes.env');
    expect(result.findings).toEqual([]);
  });
});
