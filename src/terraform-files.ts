// The files Terraform's `file("policy.json")` and `templatefile("trust.json.tpl", {…})` read, read before the scan:
// evaluation is synchronous and runs in the workers, so what a literal path names (with or without
// `${path.module}/`, relative to the module's folder) is read here and handed to the scan by repository path
// (src/formats/hcl-eval.ts). A path built otherwise, or a file not read, stays unknown: never judged.
import { posix } from 'node:path';
import { skipUnreadable, type RepositoryReader } from './engine/repository.js';
import { fileKind } from './formats/index.js';
import { MAX_HCL_BYTES, formatBytes } from './common/limits.js';
import { fileReadsIn } from './engine/terraform/references.js';

/** How many such files one review reads (each a request in the App). */
export const MAX_TERRAFORM_FILES = 100;

/** The repository paths the literal `file()` and `templatefile()` calls of these Terraform files name. */
export function filesReadBy(terraform: readonly { path: string; text: string }[]): string[] {
  const paths = new Set<string>();
  for (const { path, text } of terraform) {
    if (fileKind(path) !== 'hcl') continue;
    for (const relative of fileReadsIn(text)) paths.add(posix.normalize(posix.join(posix.dirname(path), relative)));
  }
  return [...paths];
}

/** How many folders above a written file may hold the module that reads it (`${path.module}/policies/x.json`). */
const MODULE_LEVELS = 3;

/**
 * For the files a change writes that Terraform could read with `file()`: the folders above each that may hold the
 * module reading it, and the touched keys (`<module>\0file:<path from there>`, src/engine/data-reads.ts) that make
 * what reads it judged again.
 */
export function readByTerraform(written: readonly string[]): { folders: string[]; touched: string[] } {
  const folders = new Set<string>();
  const touched: string[] = [];
  for (const path of written) {
    if (fileKind(path) !== null && fileKind(path) !== 'yaml' && fileKind(path) !== 'json') continue; // Terraform's own
    let folder = posix.dirname(path);
    for (let level = 0; level < MODULE_LEVELS; level++) {
      folders.add(folder);
      touched.push(`${folder}\0file:${posix.relative(folder, path)}`);
      if (folder === '.') break;
      folder = posix.dirname(folder);
    }
  }
  return { folders: [...folders], touched };
}

/**
 * Of those keys, the ones a file among the Terraform files scanned names with a literal `file()` in its folder: no
 * other key can reach a resource (src/engine/terraform/references.ts namesIn), and each key is weighed for every file
 * scanned, so a change writing thousands of YAML files beside no Terraform would cost thousands times thousands.
 */
export function keysReadBy(touched: readonly string[], terraform: readonly { path: string; headText: string }[]): string[] {
  const named = new Set<string>();
  for (const { path, headText } of terraform) {
    const kind = fileKind(path);
    if (kind !== 'hcl' && kind !== 'tfjson' && kind !== 'terragrunt') continue;
    for (const relative of fileReadsIn(headText)) named.add(`${posix.dirname(path)}\0file:${relative}`);
  }
  return touched.filter((key) => named.has(key));
}

/**
 * The texts of what the Terraform files read with `file()` (at most MAX_TERRAFORM_FILES, each within the HCL size
 * limit): from `known` (the change's own texts) first, else through the reader. `unread`: each one there that was
 * not read, with why (what reads it is then unknown); a read that fails otherwise stops the review (fail closed).
 * One not there (Terraform would stop on it) or unreadable in the change (said where the change is read) is neither.
 */
export async function readTerraformFiles(
  terraform: readonly { path: string; text: string }[],
  reader: Pick<RepositoryReader, 'read'> | undefined,
  known: ReadonlyMap<string, string | null>,
): Promise<{ texts: Record<string, string>; unread: { path: string; reason: string }[] }> {
  const texts: Record<string, string> = {};
  const named = filesReadBy(terraform);
  const unread = named.slice(MAX_TERRAFORM_FILES).map((path) => ({ path, reason: `more than ${MAX_TERRAFORM_FILES} files are read with \`file()\` in this review` }));
  await Promise.all(
    named.slice(0, MAX_TERRAFORM_FILES).map(async (path) => {
      const skipped = skipUnreadable((error) => unread.push({ path, reason: error.reason }));
      const text = known.has(path) ? known.get(path)! : reader ? await reader.read(path).catch(skipped) : null;
      if (text === null) return;
      if (text.length <= MAX_HCL_BYTES) texts[path] = text;
      else unread.push({ path, reason: `larger than ${formatBytes(MAX_HCL_BYTES)}` });
    }),
  );
  return { texts, unread };
}
