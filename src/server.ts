// The server. Configured by Probot's environment variables (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH,
// WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, WEBHOOK_PATH, HOST, PORT, LOG_LEVEL, REDIS_URL), with Warden's Octokit so
// secondary rate limits are retried a bounded number of times. Unconfigured, it is Probot's own `run`, serving
// the setup page that registers the App.
//
// Configured, it is Warden's own HTTP server in front of Probot's webhook middleware: Probot's server buffers a
// webhook body whole before it checks the signature and logs a failed one with its payload, so a large unsigned
// request cost memory and log. Here a body is read only up to WEBHOOK_BODY_LIMIT (413 beyond, without reading the
// rest) and its signature checked before Probot sees it.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';
import { createNodeMiddleware, createProbot, run } from 'probot';
import getRawBody from 'raw-body';
import app from './index.js';
import { WardenOctokit } from './github/octokit.js';
import { registerWebhookPath } from './setup.js';

/**
 * Largest webhook body read. The events Warden handles (pull_request, check_run, merge_group) are far smaller
 * even with a 65,536-character pull request description; GitHub caps every payload at 25 MB.
 */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';

export interface WardenServer {
  port: number;
  stop(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: string, close = false): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(close ? { connection: 'close' } : {}) }).end(`${body}\n`);
}

/** `.env` in the working directory over the process's environment, as Probot's `run` applies it. */
function applyDotEnv(): void {
  let text: string;
  try {
    text = readFileSync(join(process.cwd(), '.env'), 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return;
    throw error;
  }
  Object.assign(process.env, parseEnv(text));
}

/** Started by `npm start` without arguments: the process's environment and `.env`. Tests pass their own. */
export async function start(env?: NodeJS.ProcessEnv): Promise<WardenServer> {
  if (!env) {
    applyDotEnv();
    env = process.env;
  }
  if (!env.APP_ID || !(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) {
    const webhookPath = env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH;
    const registers = await registerWebhookPath(webhookPath);
    const server = await run(app, { Octokit: WardenOctokit, env });
    if (!registers) console.warn(`warden: this Probot version's setup page could not be taught Warden's webhook path: after registering, set the App's webhook URL to <your server>${webhookPath} in its settings`);
    return { port: server.port, stop: () => server.stop() };
  }
  const probot = createProbot({ env, overrides: { Octokit: WardenOctokit } });
  const webhookPath = env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH;
  const webhooks = await createNodeMiddleware(app, { probot, webhooksPath: webhookPath });
  const log = probot.log;
  if (env.WEBHOOK_PROXY_URL) {
    log.warn(`WEBHOOK_PROXY_URL is not used by Warden's server: forward webhooks with \`npx smee-client --url ${env.WEBHOOK_PROXY_URL} --target http://localhost:${env.PORT || 3000}${webhookPath}\``);
  }

  const receive = async (req: IncomingMessage, res: ServerResponse) => {
    let body: string;
    try {
      body = await getRawBody(req, { length: req.headers['content-length'], limit: WEBHOOK_BODY_LIMIT, encoding: 'utf-8' });
    } catch (error) {
      const status = (error as { status?: number }).status ?? 400;
      log.warn(`webhook refused (${status}): ${(error as Error).message}`);
      // Close the connection: what the client still sends is never read.
      answer(res, status, status === 413 ? `Payload too large: the limit is ${WEBHOOK_BODY_LIMIT} bytes` : 'Bad request', true);
      res.on('finish', () => req.destroy());
      return;
    }
    const signature = req.headers['x-hub-signature-256'];
    if (typeof signature !== 'string' || !(await probot.webhooks.verify(body, signature))) {
      log.warn(`webhook refused: ${typeof signature === 'string' ? 'wrong' : 'no'} signature (delivery ${String(req.headers['x-github-delivery']).slice(0, 64)}, ${Buffer.byteLength(body)} bytes)`);
      answer(res, 401, 'Signature missing or wrong');
      return;
    }
    // Probot's middleware takes a body read already as a string.
    req.body = body;
    await webhooks(req, res);
  };

  const server: HttpServer = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/ping') return answer(res, 200, 'PONG');
    if (req.method === 'POST' && path === webhookPath) {
      receive(req, res).catch((error) => {
        log.error(`webhook failed: ${(error as Error).message}`);
        if (!res.headersSent) answer(res, 500, 'Internal error');
      });
      return;
    }
    answer(res, 404, 'Not found');
  });
  // PORT=0: any free port (the benchmark's).
  const port = env.PORT ? Number(env.PORT) : 3000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, env.HOST, () => resolve());
  });
  log.info(`Warden listening on port ${(server.address() as AddressInfo).port}`);
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

// Started directly (`npm start`, `node dist/src/server.js`), not when imported by a test.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await start();
