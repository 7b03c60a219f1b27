// The App's registration through Probot's setup page (`npm start` unconfigured) registers the webhook URL Warden
// listens on. Probot's page builds the manifest GitHub receives with `hook_attributes.url: ${baseUrl}/`, where
// Warden answers 404 (it listens on /api/github/webhooks), so every delivery of a freshly registered App would fail.
//
// Of the ways to change that, wrapping Probot's ManifestCreation.getManifest is the least fragile: the page, the smee
// channel, the code exchange and the `.env` it writes all stay Probot's, and only one field of the JSON it returns is
// changed, from the same request base URL Probot derived. Serving our own setup page instead would copy Probot's page
// and code exchange, or proxy to them. The class is not among Probot's exports, so it is loaded from the file Probot's
// own setup page imports (Node then shares one module); if a Probot upgrade moves it, start-up says so, and
// test/setup.test.ts fails.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface ManifestCreationClass {
  prototype: { getManifest(options: { baseUrl: string } & Record<string, unknown>): string };
}

const WRAPPED = Symbol.for('warden.manifestWebhookPath');
/** The path the wrapped getManifest registers: the last server started sets it (tests start several). */
let registeredPath = '/api/github/webhooks';

/**
 * Make Probot's setup page register `${baseUrl}${webhookPath}` as the App's webhook URL. A URL Probot did not make
 * from the base URL (a smee.io channel from WEBHOOK_PROXY_URL, or `hook_attributes` set in app.yml) is kept.
 * Returns false, and the caller says what to do, when Probot's manifest code is not where this version expects it.
 */
export async function registerWebhookPath(webhookPath: string): Promise<boolean> {
  let creation: ManifestCreationClass | undefined;
  try {
    const file = join(dirname(createRequire(import.meta.url).resolve('probot')), 'manifest-creation.js');
    creation = ((await import(pathToFileURL(file).href)) as { ManifestCreation?: ManifestCreationClass }).ManifestCreation;
  } catch {
    return false;
  }
  const proto = creation?.prototype as (ManifestCreationClass['prototype'] & { [WRAPPED]?: true }) | undefined;
  if (typeof proto?.getManifest !== 'function') return false;
  registeredPath = webhookPath;
  if (proto[WRAPPED]) return true;
  const original = proto.getManifest;
  proto.getManifest = function (this: unknown, options) {
    const manifest = JSON.parse(original.call(this, options)) as { hook_attributes?: { url?: string } };
    if (manifest.hook_attributes?.url === `${options.baseUrl}/`) manifest.hook_attributes.url = `${options.baseUrl}${registeredPath}`;
    return JSON.stringify(manifest);
  };
  proto[WRAPPED] = true;
  return true;
}
