// `npm start` unconfigured serves Probot's setup page, whose form posts the App's manifest to GitHub: the webhook URL
// it registers must be where Warden listens (/api/github/webhooks, or WEBHOOK_PATH), not Probot's `${baseUrl}/`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { start, type WardenServer } from '../src/server.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The form on the setup page: where the browser posts it, and the manifest it posts. */
async function setupForm(port: number, headers: Record<string, string> = {}): Promise<{ action: string; manifest: { hook_attributes: { url: string }; redirect_url: string } }> {
  const page = await fetch(`http://127.0.0.1:${port}/probot`, { headers });
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form action="([^"]+)" method="post"/.exec(html)?.[1];
  const manifest = /name="manifest" id="manifest" value='([^']*)'/.exec(html)?.[1];
  if (!action || !manifest) throw new Error(`no manifest form in the setup page:\n${html}`);
  return { action, manifest: JSON.parse(manifest) };
}

const saved: Record<string, string | undefined> = {};
let server: WardenServer | undefined;

beforeEach(() => {
  for (const key of ['NO_SMEE_SETUP', 'WEBHOOK_PROXY_URL']) saved[key] = process.env[key];
  // The setup page would otherwise open a smee.io channel: no network in tests.
  process.env.NO_SMEE_SETUP = 'true';
  delete process.env.WEBHOOK_PROXY_URL;
  nock.enableNetConnect('127.0.0.1');
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
  nock.disableNetConnect();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe("the setup page's manifest", () => {
  test('registers the webhook URL Warden listens on, from the URL the page was reached at', async () => {
    const port = await freePort();
    server = await start({ HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'silent' });
    const direct = await setupForm(port);
    expect(direct.action).toBe('https://github.com/settings/apps/new');
    expect(direct.manifest.hook_attributes.url).toBe(`http://127.0.0.1:${port}/api/github/webhooks`);
    expect(direct.manifest.redirect_url).toBe(`http://127.0.0.1:${port}/probot/setup`);

    // Behind a TLS-terminating proxy, as a deployed server is set up.
    const proxied = await setupForm(port, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'warden.example.com' });
    expect(proxied.manifest.hook_attributes.url).toBe('https://warden.example.com/api/github/webhooks');
  });

  test('follows WEBHOOK_PATH, and keeps a smee.io channel from WEBHOOK_PROXY_URL (it relays to the server)', async () => {
    const port = await freePort();
    server = await start({ HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'silent', WEBHOOK_PATH: '/hooks/warden' });
    expect((await setupForm(port)).manifest.hook_attributes.url).toBe(`http://127.0.0.1:${port}/hooks/warden`);

    process.env.WEBHOOK_PROXY_URL = 'https://smee.io/abc123';
    expect((await setupForm(port)).manifest.hook_attributes.url).toBe('https://smee.io/abc123');
  });
});
