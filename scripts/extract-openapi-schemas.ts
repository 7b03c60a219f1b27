// Extract the request-body schemas of the GitHub endpoints Warden writes to from @octokit/openapi into a small
// committed fixture (test/fixtures/github-request-schemas.json). The package is 385 MB, so it is never a
// dependency: install it only to run this script, e.g.
//   npm i --no-save @octokit/openapi && npm run build && node dist/scripts/extract-openapi-schemas.js
// or point at a copy installed elsewhere: `node dist/scripts/extract-openapi-schemas.js --from <package dir>`.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every endpoint whose request body Warden sends (reads have no body to check). */
export const ENDPOINTS = [
  { id: 'checks/create', method: 'post', path: '/repos/{owner}/{repo}/check-runs' },
  { id: 'checks/update', method: 'patch', path: '/repos/{owner}/{repo}/check-runs/{check_run_id}' },
  { id: 'pulls/create-review', method: 'post', path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews' },
] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Drop prose and close every object that lists its properties, so a misspelt field fails validation. */
export function closeSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(closeSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'example' || key === 'examples') continue;
    // `properties` maps field names to schemas: recurse into the schemas, keep every name.
    out[key] = key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, closeSchema(schema)]))
      : closeSchema(value);
  }
  if (out.properties && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

function packageDir(argv: readonly string[]): string {
  const at = argv.indexOf('--from');
  if (at >= 0 && argv[at + 1]) return resolve(argv[at + 1]!);
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@octokit/openapi/package.json'));
}

function main(argv: readonly string[]): void {
  const dir = packageDir(argv);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  const spec = JSON.parse(readFileSync(join(dir, 'generated', 'api.github.com.deref.json'), 'utf8')) as {
    info: { version: string };
    paths: Record<string, Record<string, { operationId: string; requestBody?: { content: Record<string, { schema: Json }> } }>>;
  };
  const schemas: Record<string, { method: string; path: string; schema: Json }> = {};
  for (const endpoint of ENDPOINTS) {
    const operation = spec.paths[endpoint.path]?.[endpoint.method];
    const schema = operation?.requestBody?.content['application/json']?.schema;
    if (!operation || !schema) throw new Error(`${endpoint.method.toUpperCase()} ${endpoint.path} not found in @octokit/openapi ${pkg.version}`);
    if (operation.operationId !== endpoint.id) throw new Error(`${endpoint.path}: operationId is ${operation.operationId}, expected ${endpoint.id}`);
    schemas[endpoint.id] = { method: endpoint.method.toUpperCase(), path: endpoint.path, schema: closeSchema(schema) };
  }
  const fixture = {
    source: `@octokit/openapi@${pkg.version} generated/api.github.com.deref.json (GitHub API description ${spec.info.version})`,
    note: 'Request-body schemas of the endpoints Warden writes to, closed with additionalProperties: false. Regenerate with scripts/extract-openapi-schemas.ts.',
    schemas,
  };
  const here = dirname(fileURLToPath(import.meta.url));
  // From scripts/ (source) or dist/scripts/ (built): the fixture sits under the package root's test/.
  const root = here.includes(`${join('dist', 'scripts')}`) ? resolve(here, '../..') : resolve(here, '..');
  const out = join(root, 'test', 'fixtures', 'github-request-schemas.json');
  writeFileSync(out, JSON.stringify(fixture, null, 2) + '\n');
  console.log(`wrote ${out} from @octokit/openapi@${pkg.version}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
