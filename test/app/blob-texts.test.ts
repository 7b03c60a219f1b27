// Blob texts remembered across runs of one replica: content-addressed, per repository, bounded.
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobTexts } from '../../src/repository/blob-texts.js';
import type { GitHub } from '../../src/github/octokit.js';
import { BlobCache } from '../../src/github/repository.js';
import { FakeGitHub, gitBlobSha } from './fake-github.js';
import { checkRunRerequestedEvent, fakeState, makeProbot, pullRequestEvent, serveWithNock } from './helpers.js';
import { deployment } from './manifests.js';

afterEach(() => nock.cleanAll());

/**
 * An Octokit that answers blob queries (GraphQL) and getBlob (REST) from a list of texts, and records each blob
 * asked for: `o/r@sha` through GraphQL, `rest o/r@sha` through REST. `cut`: answers cut short, by SHA.
 */
function octokit(texts: string[], cut: Record<string, number> = {}) {
  const blobs = new Map(texts.map((t) => [gitBlobSha(t), Buffer.from(t)]));
  const calls: string[] = [];
  const sent = (sha: string, bytes: Buffer) => ((cut[sha] ?? 0) > 0 ? (cut[sha]!--, bytes.subarray(0, bytes.length >> 1)) : bytes);
  const client = {
    graphql: async (_query: string, vars: Record<string, string>) => {
      const repository: Record<string, unknown> = {};
      for (const [key, sha] of Object.entries(vars)) {
        if (!/^b\d+$/.test(key)) continue;
        calls.push(`${vars.owner}/${vars.name}@${sha.slice(0, 7)}`);
        const bytes = blobs.get(sha);
        repository[key] = bytes ? { oid: sha, byteSize: bytes.length, isBinary: false, isTruncated: false, text: sent(sha, bytes).toString() } : null;
      }
      return { repository };
    },
    rest: {
      git: {
        getBlob: async ({ owner, repo, file_sha }: { owner: string; repo: string; file_sha: string }) => {
          calls.push(`rest ${owner}/${repo}@${file_sha.slice(0, 7)}`);
          const bytes = blobs.get(file_sha);
          if (bytes === undefined) throw Object.assign(new Error('Not Found'), { status: 404 });
          return { data: { sha: file_sha, content: sent(file_sha, bytes).toString('base64'), encoding: 'base64', size: bytes.length } };
        },
      },
    },
  };
  return { client: client as unknown as GitHub, calls };
}

const A = 'kind: A\n';
const B = 'kind: B\n';
const [a, b, gone] = [gitBlobSha(A), gitBlobSha(B), '0'.repeat(40)];

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
    const { client, calls } = octokit([A, B]);
    const shared = new BlobTexts();
    const first = new BlobCache(client, { owner: 'o', repo: 'r' }, shared);
    expect(await first.read(a)).toEqual({ text: A });
    expect(await first.read(a)).toEqual({ text: A });
    const second = new BlobCache(client, { owner: 'o', repo: 'r' }, shared);
    expect(await second.read(a)).toEqual({ text: A });
    expect(await second.read(b)).toEqual({ text: B });
    expect([first.requests, second.requests]).toEqual([{ graphql: 1, rest: 0 }, { graphql: 1, rest: 0 }]);
    // Another repository never gets this one's reads; a blob GitHub does not have is not remembered.
    const other = new BlobCache(client, { owner: 'o', repo: 'other' }, shared);
    await other.read(a);
    expect(await other.read(gone)).toMatchObject({ missing: true });
    expect(await new BlobCache(client, { owner: 'o', repo: 'other' }, shared).read(gone)).toMatchObject({ missing: true });
    expect(calls).toEqual(['o/r@' + a.slice(0, 7), 'o/r@' + b.slice(0, 7), 'o/other@' + a.slice(0, 7), 'o/other@0000000', 'rest o/other@0000000', 'o/other@0000000', 'rest o/other@0000000']);
  });

  it('reads asked for together go in one query', async () => {
    const { client, calls } = octokit([A, B]);
    const blobs = new BlobCache(client, { owner: 'o', repo: 'r' }, new BlobTexts());
    expect(await Promise.all([blobs.read(a), blobs.read(b), blobs.read(a)])).toEqual([{ text: A }, { text: B }, { text: A }]);
    expect(blobs.requests).toEqual({ graphql: 1, rest: 0 });
    expect(calls).toHaveLength(2);
  });
});

describe('an answer cut short by the network (issue 10)', () => {
  it('does not match the SHA GitHub listed: read again through REST, and once more, then used', async () => {
    const { client, calls } = octokit([A], { [a]: 2 });
    const shared = new BlobTexts();
    expect(await new BlobCache(client, { owner: 'o', repo: 'r' }, shared).read(a)).toEqual({ text: A });
    expect(calls).toEqual([`o/r@${a.slice(0, 7)}`, `rest o/r@${a.slice(0, 7)}`, `rest o/r@${a.slice(0, 7)}`]);
    expect(shared.get('o/r', a)).toBe(A);
  });

  it('cut short every time: not read (a reason, no text), and nothing kept, so the next run reads it again', async () => {
    const { client, calls } = octokit([A], { [a]: 3 });
    const shared = new BlobTexts();
    expect(await new BlobCache(client, { owner: 'o', repo: 'r' }, shared).read(a)).toEqual({
      skipped: `GitHub's answer for blob ${a.slice(0, 7)} did not match its size and SHA (read twice): not reviewed`,
    });
    expect(shared.size).toBe(0);
    expect(await new BlobCache(client, { owner: 'o', repo: 'r' }, shared).read(a)).toEqual({ text: A });
    expect(calls).toHaveLength(4);
  });

  it('an empty answer is not an empty file', async () => {
    const { client } = octokit([A], { [a]: 3 });
    const cut = { ...client, graphql: async () => ({ repository: { b0: { oid: a, byteSize: A.length, isBinary: false, isTruncated: false, text: '' } } }) } as unknown as GitHub;
    expect(await new BlobCache(cut, { owner: 'o', repo: 'r' }, new BlobTexts()).read(a)).toMatchObject({ skipped: expect.stringContaining('did not match') });
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
    expect(first.blobsAsked).toBe(3);

    nock.cleanAll();
    const second = new FakeGitHub(fakeState({ headSha: HEAD2, files: files.map((f) => (f.path === 'k8s/b.yaml' ? { ...f, head: deployment('b', 'privileged: false') } : f)) }));
    serveWithNock(second);
    await probot.receive(pullRequestEvent('synchronize', { head: HEAD2, delivery: 'delivery-2' }));
    expect(second.blobsAsked).toBe(1);
    expect(second.checkRun).toMatchObject({ status: 'completed' });
  });
});

describe('a pull request whose blob answer is cut short (issue 10)', () => {
  it('is retried, then the file is not reviewed, named with the reason; nothing is kept, so Re-run reads it again and reviews it', async () => {
    const head = deployment('cut-short');
    const fake = new FakeGitHub(fakeState({ files: [{ path: 'k8s/cut.yaml', head }], cutShort: { [gitBlobSha(head)]: 3 } }));
    serveWithNock(fake);
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened', { delivery: 'delivery-cut' }));
    // GraphQL, then REST twice: every answer half the blob.
    expect(fake.blobsAsked).toBe(3);
    expect(fake.reviews).toEqual([]);
    const first = fake.checkRunCreates[0]!;
    // Not reviewed is a finding that fails the run (fail closed), listed first with its reason.
    expect(first).toMatchObject({ conclusion: 'failure' });
    expect((first.output as { summary: string }).summary).toContain(`| \`k8s/cut.yaml\` | 1 | Warden could not review this file, so nothing in it was checked: GitHub's answer for blob ${gitBlobSha(head).slice(0, 7)} did not match its size and SHA (read twice)`);
    expect((first.output as { summary: string }).summary).not.toContain('No Kubernetes or Terraform changes');

    await probot.receive(checkRunRerequestedEvent({ pulls: [2], delivery: 'delivery-rerun-cut' }));
    expect(fake.blobsAsked).toBe(4);
    // Created in progress (it has comments to post), then completed with the findings.
    expect(fake.checkRunCreates[1]).toMatchObject({ status: 'in_progress' });
    expect(fake.checkRunUpdates.at(-1)).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '2 findings at or above high' } });
  });
});

describe('blobs read in batches (issue 15)', () => {
  it('150 files in two queries; one over GraphQL\'s inline text size is read through REST and reviewed whole', async () => {
    // 600 KB of annotation before the container: a finding at the end of the file proves it was read whole.
    const padding = 'x'.repeat(600 * 1024);
    const large = deployment('large').replace('  namespace: models\n', `  namespace: models\n  annotations:\n    notes: "${padding}"\n`);
    const files = [
      ...Array.from({ length: 149 }, (_, i) => ({ path: `k8s/m-${String(i).padStart(3, '0')}.yaml`, head: deployment(`batch-${i}`, 'privileged: false') })),
      { path: 'k8s/z-large.yaml', head: large },
    ];
    const fake = new FakeGitHub(fakeState({ files }));
    serveWithNock(fake);
    await (await makeProbot()).receive(pullRequestEvent('opened', { delivery: 'delivery-batches' }));
    expect(fake.blobQueries.map((q) => Object.keys((q.body as { variables: object }).variables).filter((k) => /^b\d+$/.test(k)).length)).toEqual([100, 50]);
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/git/blobs/')).map((r) => r.path)).toEqual([`/repos/Codertocat/Hello-World/git/blobs/${gitBlobSha(large)}`]);
    const comments = fake.reviews[0]!.comments as { path: string; line: number; body: string }[];
    expect(comments.find((c) => c.path === 'k8s/z-large.yaml' && c.body.includes('`k8s/privileged`'))?.line).toBe(16);
  });
});
