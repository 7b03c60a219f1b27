// The server: Probot's own `run`, configured only by Probot's environment variables (APP_ID, PRIVATE_KEY or
// PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, PORT, LOG_LEVEL, REDIS_URL), with Warden's Octokit
// so secondary rate limits are retried a bounded number of times. Unconfigured, it serves Probot's setup page.
import { pathToFileURL } from 'node:url';
import { run } from 'probot';
import app from './index.js';
import { WardenOctokit } from './github/octokit.js';

export function start(env?: NodeJS.ProcessEnv) {
  return run(app, { Octokit: WardenOctokit, ...(env ? { env } : {}) });
}

// Started directly (`npm start`, `node dist/src/server.js`), not when imported by a test.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await start();
