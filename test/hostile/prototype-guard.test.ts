// Every thread that reads pull-request content refuses a field added to Object.prototype (src/common/prototype-guard.ts):
// a scan worker from its start, the main thread once the command line runs, the server starts or Probot loads the App.
// Each is checked in a process or thread of its own, started without the guard.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const source = (path: string) => JSON.stringify(pathToFileURL(join(ROOT, path)).href);

/** What a fresh Node process prints after `body` (an ES module's code, run through tsx) and a try to extend Object.prototype. */
async function afterIn(body: string): Promise<{ before: boolean; refused: string }> {
  const code = `const before = Object.isExtensible(Object.prototype);
${body}
let refused = 'no';
try { Object.prototype.wardenProbe = 1; } catch (error) { refused = error.constructor.name; }
process.stdout.write('\\n' + JSON.stringify({ before, refused }) + '\\n');
process.exit(0);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, env: { ...process.env, WARDEN_WORKERS: '0' } });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { before: boolean; refused: string };
}

describe('Object.prototype refuses new fields', () => {
  it('in a scan worker', async () => {
    // Started as the pool starts it from the sources (src/worker/scheduler.ts), then asked after it has loaded.
    const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(tsx)})
        .then((api) => api.tsImport(${source('src/worker/scan-worker.ts')}, ${source('src/worker/scan-worker.ts')}))
        .then(() => parentPort.postMessage({ probe: Reflect.defineProperty(Object.prototype, 'wardenProbe', { value: 1 }) }));`,
      { eval: true },
    );
    try {
      const answer = await new Promise<{ probe: boolean }>((resolve, reject) => {
        worker.on('message', (message: { probe?: boolean }) => message.probe !== undefined && resolve(message as { probe: boolean }));
        worker.on('error', reject);
      });
      expect(answer.probe).toBe(false);
    } finally {
      await worker.terminate();
    }
  });

  it('on the main thread of the command line, once it runs', async () => {
    expect(await afterIn(`const { main } = await import(${source('src/cli.ts')});\nawait main(['--version']);`)).toEqual({ before: true, refused: 'TypeError' });
  });

  it('on the main thread of the server, once it starts', async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const env = { HOST: '127.0.0.1', PORT: '0', APP_ID: '1', PRIVATE_KEY: key, WEBHOOK_SECRET: 'secret', LOG_LEVEL: 'silent' };
    expect(await afterIn(`const { start } = await import(${source('src/server.ts')});\nconst server = await start(${JSON.stringify(env)});\nawait server.stop();`)).toEqual({ before: true, refused: 'TypeError' });
  });

  it('on the main thread of a Probot that loads the App, however it was started', async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const body = `const { Probot } = await import('probot');
const { warden } = await import(${source('src/index.ts')});
const probot = new Probot({ appId: 1, privateKey: ${JSON.stringify(key)}, logLevel: 'fatal' });
await probot.load(warden());`;
    expect(await afterIn(body)).toEqual({ before: true, refused: 'TypeError' });
  });

  it('and the command line still works under it: a scan in the same process reports as before', async () => {
    const body = `const { main } = await import(${source('src/cli.ts')});
const { mkdtempSync, writeFileSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const dir = mkdtempSync((await import('node:path')).join(tmpdir(), 'warden-guard-'));
writeFileSync(dir + '/pod.yaml', 'apiVersion: v1\\nkind: Pod\\nmetadata:\\n  name: p\\nspec:\\n  containers:\\n  - name: c\\n    image: busybox:1.36\\n    securityContext:\\n      privileged: true\\n');
const code = await main(['scan', dir, '--format', 'json']);
if (code !== 1) throw new Error('exit ' + code);`;
    const { refused } = await afterIn(body);
    expect(refused).toBe('TypeError');
  });
});
