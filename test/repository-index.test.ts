// The repository index cross-resource rules read, and the working-tree reader of the command line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { buildRepositoryIndex, INDEXED_KINDS, memoryReader } from '../src/engine/repository-index.js';
import { LOOKED_UP_KINDS, RULES } from '../rules/index.js';
import { localRepositoryReader } from '../src/repository/local.js';

const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: models\nspec:\n  podSelector: {}\n';
const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: models\n';

describe('buildRepositoryIndex', () => {
  it('keeps the kinds it is asked for (NetworkPolicies, Namespaces, ServiceAccounts, kubernetes_labels here), and nothing else', async () => {
    const files = {
      'a.yaml': `${policy}---\n${deployment}`,
      'b.yml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: models\n',
      'c.tf': 'resource "kubernetes_service_account_v1" "sa" {\n  metadata {\n    name = "sa"\n  }\n  automount_service_account_token = false\n}\n',
      'd.yaml': deployment,
      'e.tf.json': '{"resource": {"kubernetes_namespace_v1": {"ml": {"metadata": {"name": "ml"}}}, "aws_s3_bucket": {"b": {}}}}\n',
      'README.md': 'kind: NetworkPolicy',
    };
    const kinds = new Set(['NetworkPolicy', 'Namespace', 'ServiceAccount', 'kubernetes_labels']);
    const index = await buildRepositoryIndex(memoryReader(files), resolveConfig({}), { kinds });
    expect(index.complete).toBe(true);
    expect(index.resources.map((r) => r.id)).toEqual(['NetworkPolicy/models/deny', 'Namespace/models', 'kubernetes_service_account_v1.sa', 'kubernetes_namespace_v1.ml']);
    expect(index.resources.at(-1)).toMatchObject({ kind: 'Namespace', name: 'ml', format: 'tfjson' });
    expect(index.stats).toEqual({ candidates: 5, read: 5, parsed: 4 });
  });

  it('keeps every kind the rules declare they look up', () => {
    const declared = new Set(RULES.flatMap((rule) => rule.lookups ?? []));
    expect([...LOOKED_UP_KINDS].sort()).toEqual([...declared].sort());
    for (const kind of LOOKED_UP_KINDS) expect(INDEXED_KINDS.has(kind), kind).toBe(true);
  });

  it('lists a file it cannot read, or that may hide a policy it cannot parse, and stays complete; a failed listing makes it incomplete', async () => {
    const unreadable = { paths: async () => ['a.yaml'], read: async () => null };
    expect(await buildRepositoryIndex(unreadable, resolveConfig({}))).toMatchObject({
      complete: true,
      unread: [{ file: 'a.yaml', reason: 'it could not be read', kinds: [...INDEXED_KINDS].sort() }],
    });
    const broken = await buildRepositoryIndex(memoryReader({ 'np.yaml': `${policy}  bad: [\n`, 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: m\n' }), resolveConfig({}));
    expect(broken.complete).toBe(true);
    expect(broken.resources.map((r) => r.id)).toEqual(['Namespace/m']);
    expect(broken.unread).toEqual([{ file: 'np.yaml', reason: expect.stringContaining('Flow sequence'), kinds: ['NetworkPolicy'] }]);
    const listing = { paths: async () => { throw new Error('API down'); }, read: async () => null };
    expect(await buildRepositoryIndex(listing, resolveConfig({}))).toMatchObject({ complete: false, resources: [], unread: [{ file: '(repository)', reason: 'the repository could not be listed: API down' }] });
    // A listing of only part of the tree (the App's walk of a huge one stopped at its bound): what it read is kept,
    // and the index is incomplete, saying why.
    const partial = await buildRepositoryIndex({ ...memoryReader({ 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: m\n' }), complete: async () => false }, resolveConfig({}));
    expect(partial).toMatchObject({ complete: false, unread: [{ file: '(repository)', reason: "the repository's tree is too large to list whole: only 1 file of it were listed" }] });
    expect(partial.resources.map((r) => r.id)).toEqual(['Namespace/m']);
  });

  it('honours the config path globs and bounds the work', async () => {
    const config = resolveConfig({ paths: { exclude: ['vendor/**'] } });
    const index = await buildRepositoryIndex(memoryReader({ 'vendor/np.yaml': policy, 'k8s/np.yaml': policy.replace('deny', 'deny2') }), config);
    expect(index.resources.map((r) => r.file)).toEqual(['k8s/np.yaml']);
    const bounded = await buildRepositoryIndex(memoryReader({ 'a.yaml': policy, 'b.yaml': policy }), resolveConfig({}), { maxFiles: 1 });
    expect(bounded.complete).toBe(false);
  });

  it('reads JSON after the manifests, never the JSON its own tools define, and names what the budget left out without silencing the rules', async () => {
    const jsonPolicy = JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'json-deny', namespace: 'models' }, spec: { podSelector: {} } });
    const files: Record<string, string> = { 'z.yaml': policy, 'a/np.json': jsonPolicy, 'package.json': '{"name":"x"}', 'node_modules/x/np.json': jsonPolicy };
    for (let i = 0; i < 5; i++) files[`dash/${i}.json`] = '{"panels":[]}';
    const read: string[] = [];
    const reader = memoryReader(files);
    const counting = { paths: reader.paths, read: async (path: string) => (read.push(path), reader.read(path)) };
    const index = await buildRepositoryIndex(counting, resolveConfig({}), { maxFiles: 3, concurrency: 1 });
    expect(read).toEqual(['z.yaml', 'a/np.json', 'dash/0.json']);
    expect(index.complete).toBe(true);
    expect(index.resources.map((r) => r.id).sort()).toEqual(['NetworkPolicy/models/deny', 'NetworkPolicy/models/json-deny'].sort());
    expect(index.unread).toEqual([{ file: '(repository)', reason: '4 JSON files beyond the 3 files read', kinds: [...INDEXED_KINDS].sort() }]);
  });
});

describe('localRepositoryReader', () => {
  const root = mkdtempSync(join(tmpdir(), 'warden-repo-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it('walks the tree with / paths, skipping node_modules, .git and excluded globs', async () => {
    write('k8s/np.yaml', policy);
    write('infra/main.tf', 'resource "kubernetes_namespace" "m" {\n  metadata {\n    name = "m"\n  }\n}\n');
    write('node_modules/pkg/np.yaml', policy);
    write('.git/np.yaml', policy);
    write('docs/readme.md', '# docs');
    write('generated/np.yaml', policy);
    const config = resolveConfig({ paths: { exclude: ['generated/**'] } });
    const reader = localRepositoryReader(root, config);
    expect(await reader.paths()).toEqual(['infra/main.tf', 'k8s/np.yaml']);
    expect(await reader.read('k8s/np.yaml')).toBe(policy);
    expect(await reader.read('missing.yaml')).toBeNull();
    const index = await buildRepositoryIndex(reader, config);
    expect(index.resources.map((r) => r.id)).toEqual(['kubernetes_namespace.m', 'NetworkPolicy/models/deny']);
  });

  it('says a walk stopped at its cap is only part of the folder, and the index is then incomplete', async () => {
    const config = resolveConfig({ paths: { exclude: ['generated/**'] } });
    const capped = localRepositoryReader(root, config, { maxFiles: 3 });
    expect(await capped.paths()).toEqual(['infra/main.tf']);
    expect(await capped.complete!()).toBe(false);
    const index = await buildRepositoryIndex(capped, config);
    expect(index.complete).toBe(false);
    expect(index.unread?.[0]?.file).toBe('(repository)');
    expect(await localRepositoryReader(root, config).complete!()).toBe(true);
  });
});
