// `npm run corpus`: Warden against the public test data in ../shared/corpus.
// Each part prints its own table and returns whether every expectation held.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { corpusPss } from './corpus/pss.js';
import { corpusKicsK8s } from './corpus/kics-k8s.js';
import { corpusKicsTerraform } from './corpus/kics-terraform.js';

const root = resolve(process.env.WARDEN_CORPUS ?? '../shared/corpus');
if (!existsSync(root)) {
  console.error(`corpus folder not found: ${root}`);
  process.exit(1);
}
const parts = [corpusPss, corpusKicsK8s, corpusKicsTerraform];
let ok = true;
for (const part of parts) ok = (await part(root)) && ok;
process.exit(ok ? 0 : 1);
