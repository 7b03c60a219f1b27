// The raw parse of a folder, for `npm run bench` to set `warden scan` against: every YAML file through `yaml`
// (all documents, YAML 1.1, as Kubernetes reads them) and every Terraform file through `@cdktf/hcl2json`, in a
// fresh process that loads nothing else. `node dist/scripts/raw-parse.js <dir>` prints the files and bytes parsed.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

async function filesBelow(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesBelow(path)));
    else if (/\.(ya?ml|tf)$/.test(entry.name)) found.push(path);
  }
  return found;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: raw-parse <dir>');
const files = await filesBelow(dir);
let bytes = 0;
let hcl2json: typeof import('@cdktf/hcl2json') | null = null;
for (const path of files) {
  const text = await readFile(path, 'utf8');
  bytes += text.length;
  if (path.endsWith('.tf')) {
    hcl2json ??= await import('@cdktf/hcl2json');
    await hcl2json.parse(path, text).catch(() => null);
  } else {
    for (const doc of parseAllDocuments(text, { version: '1.1' })) {
      try {
        doc.toJS({ maxAliasCount: 100 });
      } catch {
        // A document that does not parse (a chart's template) cost its parse all the same.
      }
    }
  }
}
console.log(JSON.stringify({ files: files.length, bytes }));
