// The files of the local modules that changed Terraform files call (`source = "./modules/bucket"`), read from the
// repository so that each call is reviewed with the caller's inputs (src/engine/terraform/local-modules.ts). Bounded in
// files and depth; a cycle, a source outside the repository or a limit reached is a note. Never remote: a registry
// module is read from the table beside the rules, any other remote source not at all.
import { posix } from 'node:path';
import type { Note } from '../../model.js';
import { skipUnreadable, type RepositoryReader } from '../repository.js';

export const MODULE_LIMITS = {
  /** Module files read for one review, in all. */
  maxFiles: 100,
  /** Calls followed from a changed file: a module that calls a module that calls … */
  maxDepth: 4,
};

interface TextFile {
  path: string;
  text: string;
}

/**
 * The local sources a Terraform text names: which folders to read. Only candidates: the parse decides what is a
 * `module` block (a `source` elsewhere only costs a read).
 */
export function localSources(text: string): string[] {
  return [...text.matchAll(/^[ \t]*source[ \t]*=[ \t]*"(\.{1,2}\/[^"\n]*)"/gm)].map((m) => m[1]!);
}

/** The folder a local source names from the file at `path`. Terraform cleans the path: `./modules/bucket/` is `modules/bucket`. */
export function sourceFolder(path: string, source: string): string {
  return posix.normalize(posix.join(posix.dirname(path), source)).replace(/(?<=[^/])\/+$/, '');
}

/** Other Terraform files read at most to find the callers of changed modules: a repository's roots and modules. */
export const MAX_CALLER_CANDIDATES = 1_000;

/**
 * The files that call one of `modules` (folders) as a local module, among `candidates` (the repository's other
 * Terraform files): what a caller deploys with its inputs changes with the module. Read from the repository at head,
 * in path order; past the bound, or for a file Warden does not read, a note says which callers may be unseen. A
 * read that fails rejects (fail closed), as for a module's own files.
 */
export async function moduleCallers(
  modules: ReadonlySet<string>,
  candidates: readonly string[],
  reader: RepositoryReader,
  limit = MAX_CALLER_CANDIDATES,
): Promise<{ files: TextFile[]; notes: Note[] }> {
  const notes: Note[] = [];
  if (modules.size === 0 || candidates.length === 0) return { files: [], notes };
  const sorted = [...candidates].sort();
  const reading = sorted.slice(0, limit);
  const cut = sorted.slice(limit);
  const named = [...modules].sort().map((m) => `\`${m}\``).join(', ');
  if (cut.length > 0) notes.push({ file: cut[0]!, message: `more than ${limit} other Terraform files: ${cut.length} not read (from this one on) for calls of the changed module${modules.size === 1 ? '' : 's'} ${named}, so what a caller among them deploys with the change is not reviewed` });
  const unread = (path: string, why: string) => notes.push({ file: path, message: `not read (${why}): if it calls the changed module${modules.size === 1 ? '' : 's'} ${named}, what it deploys with the change is not reviewed` });
  const texts = await Promise.all(reading.map((path) => reader.read(path).catch(skipUnreadable((error) => unread(path, error.reason)))));
  const files = reading.flatMap((path, i) => {
    const text = texts[i];
    return typeof text === 'string' && localSources(text).some((source) => modules.has(sourceFolder(path, source))) ? [{ path, text }] : [];
  });
  return { files, notes };
}

/**
 * Read the module folders the given files call, and those their files call in turn (breadth first: the nearest
 * calls are read first when a limit cuts). `terraform`: the paths that are Terraform files a module is made of.
 * Each level is read with concurrent reads, which the App's reader batches into few requests.
 */
export async function localModuleFiles(
  callers: readonly TextFile[],
  reader: RepositoryReader,
  terraform: (path: string) => boolean,
  limits: typeof MODULE_LIMITS = MODULE_LIMITS,
): Promise<{ files: TextFile[]; notes: Note[] }> {
  const notes: Note[] = [];
  const files: TextFile[] = [];
  if (!callers.some((f) => localSources(f.text).length > 0)) return { files, notes };
  const byFolder = new Map<string, string[]>();
  for (const path of (await reader.paths()).filter(terraform).sort()) {
    const folder = posix.dirname(path);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), path]);
  }
  // A folder the listing leaves out (`warden scan live/` lists only below `live/`, though it reads the whole
  // repository) is listed on its own: a call of `../modules/bucket` must not pass with nothing of its module read.
  // Its files named from where the command line runs (`../modules/bucket/main.tf`) are matched as from below it: no
  // glob matches a path that leads out with `..`.
  const isTerraform = (path: string) => terraform(path) || terraform(path.replace(/^(?:\.\.\/)+/, ''));
  const filesOf = async (folder: string) => byFolder.get(folder) ?? (reader.list ? (await reader.list(folder)).filter((p) => posix.dirname(p) === folder && isTerraform(p)).sort() : []);
  const have = new Set(callers.map((f) => f.path));
  const followed = new Set<string>();
  // Each file read with the chain of module folders that led to it (for cycles and depth).
  let frontier = callers.map((file) => ({ file, chain: [posix.dirname(file.path)] }));
  while (frontier.length > 0) {
    const wanted: { path: string; chain: string[] }[] = [];
    for (const { file, chain } of frontier) {
      for (const source of localSources(file.text)) {
        const folder = sourceFolder(file.path, source);
        if (chain.includes(folder)) {
          if (folder !== chain[chain.length - 1]) notes.push({ file: file.path, message: `module source \`${source}\` calls back into a module that calls it (a cycle): not followed again` });
        } else if (chain.length > limits.maxDepth) {
          notes.push({ file: file.path, message: `module source \`${source}\` is more than ${limits.maxDepth} module calls deep: not followed` });
        } else if (!followed.has(folder)) {
          followed.add(folder);
          // Whether a folder is in the repository is the reader's to say: the command line names files from where
          // it runs (`../modules/bucket`, `/abs/path/modules/bucket`), the App from the repository's root.
          const found = await filesOf(folder);
          if (found.length === 0 && (folder === '..' || folder.startsWith('../') || posix.isAbsolute(folder))) notes.push({ file: file.path, message: `module source \`${source}\` is outside the repository: its resources are not reviewed with this call's inputs` });
          for (const path of found) if (!have.has(path)) wanted.push({ path, chain: [...chain, folder] });
        }
      }
    }
    const room = Math.max(0, limits.maxFiles - files.length);
    if (wanted.length > room) {
      const cut = [...new Set(wanted.slice(room).map((w) => w.chain[w.chain.length - 1]!))];
      notes.push({ file: callers[0]!.path, message: `more than ${limits.maxFiles} module files: ${cut.map((f) => `\`${f}\``).join(', ')} not read whole, so calls of it may be reviewed without some of its resources` });
    }
    const reading = wanted.slice(0, room);
    // A read that fails rejects (fail closed): a call reviewed without its module's resources would pass them unseen.
    const unread = (path: string, why: string) => notes.push({ file: path, message: `not read (${why}): calls of its module are reviewed without what it holds` });
    const texts = await Promise.all(reading.map((w) => reader.read(w.path).catch(skipUnreadable((error) => unread(w.path, error.reason)))));
    frontier = [];
    reading.forEach((w, i) => {
      const text = texts[i];
      have.add(w.path);
      if (text === null || text === undefined) return;
      const file = { path: w.path, text };
      files.push(file);
      frontier.push({ file, chain: w.chain });
    });
  }
  return { files, notes };
}
