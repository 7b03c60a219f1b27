// Blob texts remembered across runs of one replica: content-addressed, per repository, bounded.
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobTexts } from '../../src/github/blob-texts.js';
import type { GitHub } from '../../src/github/octokit.js';
import { BlobCache } from '../../src/github/repository.js';
import { FakeGitHub } from './fake-github.js';
import { fakeState, makeProbot, pullRequestEvent, serveWithNock } from './helpers.js';
import { deployment } from './manifests.js';

afterEach(() => nock.cleanAll());

/** An Octokit that answers getBlob from a map and counts the calls per repository. */
function octokit(blobs: Record<string, string>) {
  const calls: string[] = [];
  const client = {
    rest: {
      git: {
        getBlob: async ({ owner, repo, file_sha }: { owner: string; repo: string; file_sha: string }) => {
          calls.push(`${owner}/${repo}@${file_sha}`);
          const text = blobs[file_sha];
          if (text === undefined) throw Object.assign(new Error('Not Found'), { status: 404 });
          return { data: { content: Buffer.from(text).toString('base64'), encoding: 'base64', size: text.length } };
        },
      },
    },
  };
  return { client: client as unknown as GitHub, calls };
}

describe('BlobTexts', () => {
  it('keeps the most recently used texts within its capacity, per repository', () => {
    const texts = new BlobTexts(10);
    texts.set('a/r', '1', 'aaaa');
    texts.set('a/r', '2', 'bbbb');
    expect(texts.get('a/r', '1')).toBe('aaaa'); // now the most recent
    texts.set('a/r', '3', 'cccc'); // 12 chars: the least recent (2) goes
    expect([texts.get('a/r', '1'), texts.get('a/r', '2'), texts.get('a/r', '3')]).toEqual(['aaaa', undefined, 'cccc']);
    expect(texts.get('b/r', '1')).toBeUndefined();
    texts.set('a/r', '4', 'x'.repeat(11)); // larger than the whole cache: not kept, nothing evicted for it
    expect([texts.get('a/r', '4'), texts.size]).toEqual([undefined, 2]);
  });
});

describe('BlobCache across runs', () => {
  it('a later run reads from GitHub only the blobs no earlier run of this replica read', async () => {
    const { client, calls } = octokit({ s1: 'kind: A\n', s2: 'kind: B\n' });
    const shared = new BlobTexts();
    const first = new BlobCache(client, { owner: 'o', repo: 'r' }, shared);
    expect(await first.read('s1')).toEqual({ text: 'kind: A\n' });
    expect(await first.read('s1')).toEqual({ text: 'kind: A\n' });
    const second = new BlobCache(client, { owner: 'o', repo: 'r' }, shared);
    expect(await second.read('s1')).toEqual({ text: 'kind: A\n' });
    expect(await second.read('s2')).toEqual({ text: 'kind: B\n' });
    expect([first.requests, second.requests]).toEqual([1, 1]);
    // Another repository never gets this one's reads; a blob GitHub does not have is not remembered.
    const other = new BlobCache(client, { owner: 'o', repo: 'other' }, shared);
    await other.read('s1');
    expect(await other.read('gone')).toMatchObject({ missing: true });
    expect(await new BlobCache(client, { owner: 'o', repo: 'other' }, shared).read('gone')).toMatchObject({ missing: true });
    expect(calls).toEqual(['o/r@s1', 'o/r@s2', 'o/other@s1', 'o/other@gone', 'o/other@gone']);
  });
});

describe('a second push to a pull request', () => {
  it('reads from GitHub only the blob the push changed', async () => {
    const HEAD2 = '4444444444444444444444444444444444444444';
    const files = [
      { path: 'k8s/a.yaml', head: deployment('a') },
      { path: 'k8s/b.yaml', head: deployment('b') },
      { path: 'k8s/c.yaml', head: deployment('c') },
    ];
    const first = new FakeGitHub(fakeState({ files }));
    serveWithNock(first);
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened', { delivery: 'delivery-1' }));
    expect(first.count('GET', /\/git\/blobs\//)).toBe(3);

    nock.cleanAll();
    const second = new FakeGitHub(fakeState({ headSha: HEAD2, files: files.map((f) => (f.path === 'k8s/b.yaml' ? { ...f, head: deployment('b', 'privileged: false') } : f)) }));
    serveWithNock(second);
    await probot.receive(pullRequestEvent('synchronize', { head: HEAD2, delivery: 'delivery-2' }));
    expect(second.count('GET', /\/git\/blobs\//)).toBe(1);
    expect(second.checkRun).toMatchObject({ status: 'completed' });
  });
});
