// The App's RepositoryReader: the head tree through the git trees API (walking subtrees when GitHub truncates
// it), blobs in GraphQL batches, each blob fetched once per run.
import nock from 'nock';
import { afterEach, expect, test } from 'vitest';
import { GitTreeReader, MAX_BLOB_BYTES, PREFETCH_MAX_BYTES } from '../../src/github/repository.js';
import type { GitHub } from '../../src/github/octokit.js';
import { gitBlobSha } from './fake-github.js';
import { TestOctokit } from './helpers.js';

afterEach(() => nock.cleanAll());

const octokit = () => new TestOctokit({ auth: 'test-token' }) as unknown as GitHub;
const repo = { owner: 'o', repo: 'r' };
const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: models\n';

test('lists the recursive tree once and reads each blob once, cached by SHA', async () => {
  const sha = gitBlobSha(ns);
  const api = nock('https://api.github.com')
    .get('/repos/o/r/git/trees/head').query({ recursive: 'true' })
    .reply(200, { sha: 'head', truncated: false, tree: [
      { path: 'k8s', type: 'tree', sha: 't1' },
      { path: 'k8s/ns.yaml', type: 'blob', sha, size: ns.length },
      { path: 'k8s/copy.yaml', type: 'blob', sha, size: ns.length },
      { path: 'big.yaml', type: 'blob', sha: 'b'.repeat(40), size: MAX_BLOB_BYTES + 1 },
    ] })
    .post('/graphql', (body: { variables: Record<string, string> }) => body.variables.b0 === sha && body.variables.b1 === undefined)
    .reply(200, { data: { repository: { b0: { oid: sha, byteSize: ns.length, isBinary: false, isTruncated: false, text: ns } } } });
  const reader = new GitTreeReader(octokit(), repo, 'head');
  expect((await reader.paths()).sort()).toEqual(['big.yaml', 'k8s/copy.yaml', 'k8s/ns.yaml']);
  expect(await reader.read('k8s/ns.yaml')).toBe(ns);
  expect(await reader.read('k8s/copy.yaml')).toBe(ns);
  // Too large: not fetched at all, and never taken for a file that is not there.
  await expect(reader.read('big.yaml')).rejects.toMatchObject({ name: 'UnreadableFile', path: 'big.yaml', reason: expect.stringMatching(/^too large to review/) });
  expect(await reader.read('missing.yaml')).toBeNull();
  expect(await reader.complete()).toBe(true);
  expect(api.isDone()).toBe(true);
  expect(reader.blobs.requests).toEqual({ graphql: 1, rest: 0 });
});

test('a symbolic link is read as the file it leads to inside the repository; one that leads nowhere there is not read, and says why', async () => {
  const entry = (path: string, text: string, link: boolean) => ({ path, type: 'blob', mode: link ? '120000' : '100644', sha: gitBlobSha(text), size: Buffer.byteLength(text) });
  nock('https://api.github.com')
    .get('/repos/o/r/git/trees/head').query({ recursive: 'true' })
    .reply(200, { sha: 'head', truncated: false, tree: [
      entry('common/ns.yaml', ns, false),
      // k8s/link.yaml → ../common/ns.yaml; k8s/chain.yaml → link.yaml → the file.
      entry('k8s/link.yaml', '../common/ns.yaml', true),
      entry('k8s/chain.yaml', 'link.yaml', true),
      entry('k8s/out.yaml', '../../etc/passwd', true),
      entry('k8s/dangling.yaml', 'gone.yaml', true),
    ] })
    .post('/graphql').times(5)
    .reply(200, (_uri, body) => {
      const variables = (body as { variables: Record<string, string> }).variables;
      const keys = Object.keys(variables).filter((k) => /^b\d+$/.test(k));
      const text = (sha: string) => [ns, '../common/ns.yaml', 'link.yaml', '../../etc/passwd', 'gone.yaml'].find((t) => gitBlobSha(t) === sha)!;
      return { data: { repository: Object.fromEntries(keys.map((k) => [k, { oid: variables[k], byteSize: Buffer.byteLength(text(variables[k]!)), isBinary: false, isTruncated: false, text: text(variables[k]!) }])) } };
    });
  const reader = new GitTreeReader(octokit(), repo, 'head');
  expect(await reader.read('k8s/link.yaml')).toBe(ns);
  expect(await reader.read('k8s/chain.yaml')).toBe(ns);
  await expect(reader.read('k8s/out.yaml')).rejects.toMatchObject({ name: 'UnreadableFile', reason: expect.stringContaining('a symbolic link out of the repository') });
  await expect(reader.read('k8s/dangling.yaml')).rejects.toMatchObject({ name: 'UnreadableFile', reason: expect.stringContaining('`k8s/gone.yaml`, which is not a file at this commit') });
  // What is at hand is a file's text, never a link's target path.
  expect(await reader.readAtHand('k8s/link.yaml')).toBeUndefined();
});

test('a truncated tree is walked subtree by subtree', async () => {
  nock('https://api.github.com')
    .get('/repos/o/r/git/trees/head').query({ recursive: 'true' })
    .reply(200, { sha: 'head', truncated: true, tree: [{ path: 'a', type: 'tree', sha: 'ta' }] })
    .get('/repos/o/r/git/trees/head')
    .reply(200, { sha: 'head', truncated: false, tree: [{ path: 'a', type: 'tree', sha: 'ta' }, { path: 'b', type: 'tree', sha: 'tb' }, { path: 'root.tf', type: 'blob', sha: '1'.repeat(40), size: 3 }] })
    .get('/repos/o/r/git/trees/ta').query({ recursive: 'true' })
    .reply(200, { sha: 'ta', truncated: false, tree: [{ path: 'x.yaml', type: 'blob', sha: '2'.repeat(40), size: 3 }, { path: 'deep', type: 'tree', sha: 'td' }, { path: 'deep/y.yaml', type: 'blob', sha: '3'.repeat(40), size: 3 }] })
    .get('/repos/o/r/git/trees/tb').query({ recursive: 'true' })
    .reply(200, { sha: 'tb', truncated: false, tree: [{ path: 'z.yaml', type: 'blob', sha: '4'.repeat(40), size: 3 }] });
  const reader = new GitTreeReader(octokit(), repo, 'head');
  expect((await reader.paths()).sort()).toEqual(['a/deep/y.yaml', 'a/x.yaml', 'b/z.yaml', 'root.tf']);
  expect(await reader.complete()).toBe(true);
});

test('prefetch: the files asked for in one query, one by one afterwards at no request; a large one left to be read when asked', async () => {
  const texts = ['a: 1\n', 'b: 2\n', 'c: 3\n'];
  const shas = texts.map((t) => gitBlobSha(t));
  const asked: string[][] = [];
  nock('https://api.github.com')
    .get('/repos/o/r/git/trees/head').query({ recursive: 'true' })
    .reply(200, { sha: 'head', truncated: false, tree: [
      ...texts.map((t, i) => ({ path: `k8s/${i}.yaml`, type: 'blob', sha: shas[i], size: t.length })),
      { path: 'k8s/large.yaml', type: 'blob', sha: 'c'.repeat(40), size: PREFETCH_MAX_BYTES + 1 },
    ] })
    .post('/graphql')
    .reply(200, (_uri, body) => {
      const variables = (body as { variables: Record<string, string> }).variables;
      const keys = Object.keys(variables).filter((k) => /^b\d+$/.test(k));
      asked.push(keys.map((k) => variables[k]!));
      const repository = Object.fromEntries(keys.map((k) => [k, { oid: variables[k], byteSize: texts[shas.indexOf(variables[k]!)]!.length, isBinary: false, isTruncated: false, text: texts[shas.indexOf(variables[k]!)] }]));
      return { data: { repository } };
    });
  const reader = new GitTreeReader(octokit(), repo, 'head');
  await reader.prefetch(['k8s/0.yaml', 'k8s/1.yaml', 'k8s/2.yaml', 'k8s/large.yaml', 'k8s/missing.yaml']);
  expect(asked).toEqual([shas]);
  expect(await Promise.all(['k8s/0.yaml', 'k8s/1.yaml', 'k8s/2.yaml'].map((p) => reader.read(p)))).toEqual(texts);
  expect(reader.blobs.requests).toEqual({ graphql: 1, rest: 0 });
});

test('an archive read as bytes: checked against its SHA and size (sent again once, then refused), bounded, read once per run', async () => {
  const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x01]);
  const good = gitBlobSha(bytes);
  const altered = gitBlobSha(Buffer.from('another archive'));
  const api = nock('https://api.github.com')
    .get('/repos/o/r/git/trees/head').query({ recursive: 'true' })
    .reply(200, { sha: 'head', truncated: false, tree: [
      { path: 'charts/a/charts/x-1.0.0.tgz', type: 'blob', sha: good, size: bytes.length },
      { path: 'charts/a/charts/y-1.0.0.tgz', type: 'blob', sha: altered, size: bytes.length },
      { path: 'charts/a/charts/z-1.0.0.tgz', type: 'blob', sha: 'c'.repeat(40), size: 10 * 1024 * 1024 },
    ] })
    .get(`/repos/o/r/git/blobs/${good}`).once()
    .reply(200, { sha: good, size: bytes.length, encoding: 'base64', content: bytes.toString('base64') })
    // Bytes that are not the blob named (cut short, altered): asked twice, then refused.
    .get(`/repos/o/r/git/blobs/${altered}`).twice()
    .reply(200, { sha: altered, size: bytes.length, encoding: 'base64', content: bytes.toString('base64') });
  const reader = new GitTreeReader(octokit(), repo, 'head');
  expect(Buffer.from((await reader.readBytes('charts/a/charts/x-1.0.0.tgz', 4096))!)).toEqual(bytes);
  expect(Buffer.from((await reader.readBytes('charts/a/charts/x-1.0.0.tgz', 4096))!)).toEqual(bytes);
  await expect(reader.readBytes('charts/a/charts/y-1.0.0.tgz', 4096)).rejects.toThrow(/did not match its size and SHA \(read twice\)/);
  await expect(reader.readBytes('charts/a/charts/z-1.0.0.tgz', 4096)).rejects.toThrow('10.0 MiB, over the 4 KiB read');
  expect(await reader.readBytes('charts/a/charts/none.tgz', 4096)).toBeNull();
  expect(api.isDone()).toBe(true);
});
