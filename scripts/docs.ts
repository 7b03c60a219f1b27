// `npm run docs`: write docs/rules/<domain>/<slug>.md for every rule of rules/index.ts, from the
// rules' own metadata, and remove pages of rules that no longer exist.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { renderAllDocs } from '../src/engine/docs.js';
import { RULES } from '../rules/index.js';

const root = resolve(process.argv[2] ?? '.');
const docs = renderAllDocs(RULES);
const folder = join(root, 'docs', 'rules');

const existing: string[] = [];
const walk = (dir: string) => {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.md')) existing.push(relative(root, full).split(sep).join('/'));
  }
};
walk(folder);

let written = 0;
for (const [path, content] of docs) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  written++;
}
const stale = existing.filter((path) => !docs.has(path));
for (const path of stale) rmSync(join(root, path));
console.log(`docs: ${written} pages written under docs/rules${stale.length ? `, ${stale.length} stale removed` : ''}`);
