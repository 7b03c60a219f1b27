// End to end with no nock: the real server (Probot's `run` with Warden's Octokit) on a loopback port, configured
// as for GitHub Enterprise Server (GHE_HOST, GHE_PROTOCOL) against a local HTTP stand-in for the GitHub API.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { start } from '../../src/server.js';
import { FakeGitHub } from './fake-github.js';
import { fakeState, HEAD, PRIVATE_KEY, pullRequestEvent } from './helpers.js';
import { deployment } from './manifests.js';

const SECRET = 'e2e-webhook-secret';

function listen(server: HttpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Serve a FakeGitHub over real HTTP, mounted where GitHub Enterprise Server has its API. */
async function gitHubStandIn(fake: FakeGitHub): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const reply = fake.handle(req.method ?? 'GET', req.url ?? '/', raw ? JSON.parse(raw) : undefined);
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(text);
    });
  });
  const port = await listen(server);
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * POST `offered` bytes of filler in 64 KB chunks (as many as the server takes) and read the status it answers;
 * `sent`: bytes written before the answer came. Over a plain socket: nock's http interception buffers bodies.
 */
function rawPost(port: number, headers: Record<string, string>, offered: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const chunked = headers['transfer-encoding'] === 'chunked';
    let sent = 0;
    let done = false;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const frame = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (data: Buffer) => {
      reply += data.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(reply);
      if (status && !done) {
        done = true;
        resolve({ status: Number(status[1]), sent });
        socket.destroy();
      }
    });
    socket.on('error', (error) => (done ? undefined : reject(error)));
    const head = Object.entries({ host: '127.0.0.1', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`POST /api/github/webhooks HTTP/1.1\r\n${head}\r\n`);
    const write = () => {
      while (!done && sent < offered) {
        sent += chunk.length;
        if (!socket.write(frame)) return void socket.once('drain', write);
      }
      if (!done && chunked) socket.write('0\r\n\r\n');
    };
    write();
  });
}

function sign(body: string): string {
  return `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
}

describe('the server, end to end over loopback', () => {
  let fake: FakeGitHub;
  let github: { port: number; close: () => Promise<void> };
  let warden: Awaited<ReturnType<typeof start>>;
  let port: number;

  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    // The first review request hits a secondary rate limit: Probot 14.3 alone would give up; Warden's Octokit retries.
    fake = new FakeGitHub(fakeState({ files: [{ path: 'k8s/triton.yaml', head: deployment() }], secondaryLimitOnce: true }), '/api/v3');
    github = await gitHubStandIn(fake);
    port = await freePort();
    warden = await start({
      APP_ID: '123',
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: `127.0.0.1:${github.port}`,
      GHE_PROTOCOL: 'http',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
    });
  });

  afterAll(async () => {
    await warden?.stop();
    await github?.close();
    nock.disableNetConnect();
  });

  test('an unsigned or wrongly signed webhook is rejected and starts nothing', async () => {
    const body = JSON.stringify(pullRequestEvent('opened').payload);
    const headers = { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID() };
    const unsigned = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, { method: 'POST', headers, body });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    const forged = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: 'POST',
      headers: { ...headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      body,
    });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(fake.requests).toEqual([]);
  });

  test('an oversized body gets 413 without being read whole, announced or not, and reaches nothing', async () => {
    const headers = { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID() };
    // Announced: refused on its Content-Length, before a byte of it is read.
    const announced = await rawPost(port, { ...headers, 'content-length': String(64 * 1024 * 1024) }, 0);
    expect(announced.status).toBe(413);
    // Not announced (chunked): 64 MB offered, refused once the limit is passed; the rest is never read.
    const chunked = await rawPost(port, { ...headers, 'transfer-encoding': 'chunked' }, 64 * 1024 * 1024);
    expect(chunked.status).toBe(413);
    expect(chunked.sent).toBeLessThan(16 * 1024 * 1024);
    expect(fake.requests).toEqual([]);
  });

  test('/ping answers', async () => {
    const ping = await fetch(`http://127.0.0.1:${port}/ping`);
    expect(ping.status).toBe(200);
    expect(await ping.text()).toContain('PONG');
  });

  test('a signed pull_request webhook produces a completed check run and a review on the stand-in, retrying a secondary rate limit', async () => {
    const body = JSON.stringify(pullRequestEvent('opened').payload);
    const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sign(body) },
      body,
    });
    // Probot answers when the handler is done, or 202 after ~9 s (a loaded machine): wait for the completed run either way.
    expect([200, 202]).toContain(response.status);
    const completedRun = () => [...fake.checkRunCreates, ...fake.checkRunUpdates].some((b) => b.status === 'completed');
    for (let i = 0; i < 300 && !completedRun(); i++) await new Promise((r) => setTimeout(r, 100));

    expect(fake.schemaErrors).toEqual([]);
    expect(fake.unexpected).toEqual([]);
    // Everything went to the Enterprise Server API paths.
    expect(fake.requests.every((r) => r.path.startsWith('/api/v3/') || r.path === '/api/graphql')).toBe(true);
    const completed = [...fake.checkRunCreates, ...fake.checkRunUpdates].find((b) => b.status === 'completed')!;
    expect(completed).toMatchObject({ conclusion: 'failure' });
    expect(fake.checkRunCreates[0]).toMatchObject({ name: 'Warden', head_sha: HEAD });
    // The repository index for cross-resource rules listed the head tree once; the one blob was read once (cached by SHA).
    expect(fake.count('GET', new RegExp(`/git/trees/${HEAD}$`))).toBe(1);
    expect(fake.blobQueries).toHaveLength(1);
    expect(fake.blobsAsked).toBe(1);
    // Two review requests: the rate-limited one and its retry, which GitHub accepted.
    expect(fake.reviews).toHaveLength(2);
    expect(fake.reviews[1]).toEqual(fake.reviews[0]);
    const comments = fake.reviews[0]!.comments as { path: string; body: string }[];
    expect(comments.some((c) => c.path === 'k8s/triton.yaml' && c.body.includes('`k8s/privileged`') && c.body.includes('```suggestion'))).toBe(true);
  }, 60_000);
});

describe('the server, unconfigured', () => {
  test('serves Probot setup page (registering the App from app.yml)', async () => {
    const port = await freePort();
    const before = process.env.NO_SMEE_SETUP;
    // The setup page would otherwise open a smee.io channel: no network in tests.
    process.env.NO_SMEE_SETUP = 'true';
    nock.enableNetConnect('127.0.0.1');
    const server = await start({ HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'silent' });
    try {
      const page = await fetch(`http://127.0.0.1:${port}/probot`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Register GitHub App');
      // The manifest posted to GitHub carries app.yml's least privilege.
      expect(html).toContain('"default_events":["pull_request","check_run","merge_group"],"default_permissions":{"checks":"write","pull_requests":"write","contents":"read","metadata":"read","merge_queues":"read"}');
    } finally {
      await server.stop();
      nock.disableNetConnect();
      if (before === undefined) delete process.env.NO_SMEE_SETUP;
      else process.env.NO_SMEE_SETUP = before;
    }
  });
});
