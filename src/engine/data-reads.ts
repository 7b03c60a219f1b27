// A Terraform resource reads the data blocks it references: `policy = data.aws_iam_policy_document.x.json`
// puts the data block's statements into the policy. So a change to the data block alone changes the resource,
// and the resource is reviewed as changed, wherever in the module (folder) the data block sits.
import { rangeTouches } from '../diff.js';
import type { ParsedFile, Resource } from '../model.js';
import { moduleOf, referencesIn } from './terraform/references.js';

/** How a data block is named across files: its module folder and its address. */
function dataKey(module: string, type: string, name: string): string {
  return `${module}\0data.${type}.${name}`;
}

/** The keys of the data blocks in `files` whose lines the change touches (files without a change set: none). */
export function touchedDataBlocks(files: readonly ParsedFile[], changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined>): string[] {
  const keys: string[] = [];
  for (const file of files) {
    const changed = changedOf.get(file.file);
    if (!changed) continue;
    for (const r of file.resources) {
      if (r.terraform?.block === 'data' && rangeTouches(r.range, changed)) keys.push(dataKey(moduleOf(r), r.terraform.type, r.terraform.name));
    }
  }
  return keys;
}

/** Whether the resource references one of the touched data blocks of its own module. */
export function readsTouchedData(resource: Resource, touched: ReadonlySet<string>): boolean {
  if (touched.size === 0 || !resource.terraform) return false;
  const module = moduleOf(resource);
  return referencesIn(resource.body).some((ref) => ref.block === 'data' && touched.has(dataKey(module, ref.type, ref.name)));
}
