// A file's resources of some kinds, parsed in a worker (what Fix all's companions read, src/companions.ts): every
// document read, none of another kind, and "none" told apart from "could not".
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ScanPool } from '../../src/worker/pool.js';
import { resourcesPooled } from '../../src/worker/pooled.js';
import { deployment, POLICY } from './manifests.js';

const pool = new ScanPool({ size: 1 });
afterAll(() => pool.close());

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: triton\n  namespace: serving\nspec:\n  selector:\n    app: triton\n  ports:\n  - port: 80\n';

describe('resources parsed in a worker', () => {
  it('of the kinds asked, or all, with the parse errors counted; null for a file that parses into nothing', async () => {
    const text = `${deployment('triton')}---\n${SERVICE}---\n${POLICY}`;
    const services = await pool.resources('k8s/app.yaml', text, ['Service']);
    expect(services?.parsed?.resources.map((r) => [r.kind, r.name, r.body.spec])).toEqual([['Service', 'triton', { selector: { app: 'triton' }, ports: [{ port: 80 }] }]]);
    expect(services?.parsed?.errors).toBe(0);
    const all = await pool.resources('k8s/app.yaml', text, null);
    expect(all?.parsed?.resources.map((r) => r.kind)).toEqual(['Deployment', 'Service', 'NetworkPolicy']);
    expect((await pool.resources('k8s/broken.yaml', `${SERVICE}---\nkind: [unclosed\n`, []))?.parsed?.errors).toBeGreaterThan(0);
    expect(await pool.resources('README.md', '# not a manifest\n', null)).toEqual({ parsed: null });
  });

  it('leaves a CustomResourceDefinition unparsed, as a scan does, unless its kind is asked for', async () => {
    // A nested line no YAML parser accepts: counted only where the document is parsed.
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: models.example.com\nspec:\n  group: example.com\n  names: {kind: Model\n';
    const text = `${SERVICE}---\n${crd}`;
    const inWorker = async (kinds: string[] | null) => (await pool.resources('k8s/bundle.yaml', text, kinds))?.parsed;
    // The fallback when no worker can parse it: in this thread, the same documents parsed.
    const inThread = async (kinds: string[] | null) => {
      vi.stubEnv('WARDEN_WORKERS', '0');
      try {
        return await resourcesPooled('k8s/bundle.yaml', text, kinds && new Set(kinds));
      } finally {
        vi.unstubAllEnvs();
      }
    };
    for (const resources of [inWorker, inThread]) {
      const services = await resources(['Service']);
      expect(services?.resources.map((r) => r.kind)).toEqual(['Service']);
      expect(services?.errors).toBe(0);
      expect((await resources([]))?.errors).toBe(0);
      expect((await resources(['CustomResourceDefinition']))?.errors).toBeGreaterThan(0);
      expect((await resources(null))?.errors).toBeGreaterThan(0);
    }
  });
});
