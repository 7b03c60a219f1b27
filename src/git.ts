// The command line's git: commands run with their arguments (never a shell), a ref's tree listed once and its blobs
// read by SHA, bounded, through the repository's one `git cat-file --batch` (src/repository/git-batch.ts), and a ref
// or the working tree read as a RepositoryReader, its symbolic links told as the App tells them.
import { execFile } from 'node:child_process';
import { lstat, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { skipUnreadable, UnreadableFile, type RepositoryReader } from './engine/repository.js';
import { currentLimits, formatBytes } from './engine/limits.js';
import { decodeText, type Decoded } from './formats/text.js';
import { entryLinks, LINK_MODE, fileEntry, linkedFile, mayBeLinkTarget, type LinkTree } from './repository/links.js';
import { UsageError } from './usage-error.js';
import { BlobTexts } from './repository/blob-texts.js';
import type { GitBlobReader } from './repository/git-batch.js';

const run = promisify(execFile);

export async function git(args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { maxBuffer: 512 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new UsageError(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * A path as git writes it in a patch's header when the name needs quoting (a `"`, a `\`, a control character; any
 * byte past ASCII unless `core.quotePath` is off): the quotes are gone once the patch is parsed, its C-style escapes
 * are not. A name git did not quote holds no backslash, so one that does is unescaped (octal escapes are UTF-8 bytes).
 */
export function unquotedPath(name: string): string {
  if (!name.includes('\\')) return name;
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = name[i + 1] ?? '';
    const octal = /^[0-3][0-7]{2}/.exec(name.slice(i + 1, i + 4))?.[0];
    if (octal) {
      bytes.push(parseInt(octal, 8));
      i += 3;
    } else if (Object.hasOwn(C_ESCAPES, next)) {
      bytes.push(C_ESCAPES[next]!);
      i += 1;
    } else bytes.push(92);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The URLs of the remotes of the repository holding `dir` (none outside git, or without remotes). */
export async function remoteUrls(dir: string): Promise<string[]> {
  const listed = await git(['-C', dir, 'remote', '-v']).catch(() => '');
  return [...new Set(listed.split('\n').map((line) => line.split(/\s+/)[1]).filter((url): url is string => !!url))];
}

/** A git ref's tree, path to mode and blob, and its submodules' paths (`git ls-tree -r`), listed once when first asked. */
function refTree(top: string, ref: string): () => Promise<{ entries: Map<string, { mode: string; sha: string }>; submodules: string[] }> {
  let listed: Promise<{ entries: Map<string, { mode: string; sha: string }>; submodules: string[] }> | null = null;
  return () =>
    (listed ??= git(['-C', top, 'ls-tree', '-r', '-z', ref]).then((out) => {
      const entries = new Map<string, { mode: string; sha: string }>();
      const submodules: string[] = [];
      for (const line of out.split('\0')) {
        const tab = line.indexOf('\t');
        const [mode, type, sha] = line.slice(0, tab).split(' ');
        if (tab > 0 && type === 'blob' && mode && sha) entries.set(line.slice(tab + 1), { mode, sha });
        else if (tab > 0 && type === 'commit') submodules.push(line.slice(tab + 1));
      }
      return { entries, submodules };
    }));
}

/** The submodules of the working tree's index (mode 160000 in `git ls-files --stage`). */
export async function workingTreeSubmodules(top: string): Promise<string[]> {
  const out = await git(['-C', top, 'ls-files', '--stage', '-z']);
  return out.split('\0').flatMap((line) => (line.startsWith('160000 ') && line.includes('\t') ? [line.slice(line.indexOf('\t') + 1)] : []));
}

/** A ref of the repository at `top`: its tree, listed once when first asked, and its blobs, read through `blobs`. */
export interface GitRef {
  top: string;
  ref: string;
  tree: ReturnType<typeof refTree>;
  blobs: GitBlobReader;
}

export function gitRef(top: string, ref: string, blobs: GitBlobReader): GitRef {
  return { top, ref, tree: refTree(top, ref), blobs };
}

/** The bytes of the blob `sha` of `path` at `at`; UnreadableFile past `maxBytes` (not read whole). */
async function refBlob(at: GitRef, path: string, sha: string, maxBytes: number): Promise<Buffer> {
  const read = await at.blobs.read(sha, maxBytes);
  if (read === null) throw new Error(`git has no blob ${sha} for ${at.ref}:${path}`);
  if (read === 'too large') throw new UnreadableFile(path, `over the ${formatBytes(maxBytes)} read`);
  return read;
}

/** A symbolic link's target: a path no longer than a system allows (4096 bytes), else UnreadableFile. */
async function linkTarget(at: GitRef, path: string, entry: { sha: string }): Promise<string> {
  return (await refBlob(at, path, entry.sha, 4096)).toString('utf8');
}

/** A file's text at a ref (a symbolic link's: its target), or why it is not reviewed; null when there is none. */
export async function refText(at: GitRef, path: string): Promise<Decoded | null> {
  const entry = (await at.tree()).entries.get(path);
  if (!entry) return null;
  const maxBytes = currentLimits().maxFileBytes;
  const read = await at.blobs.read(entry.sha, maxBytes);
  if (read === 'too large') return { skipped: `too large to review (over the limit of ${formatBytes(maxBytes)})` };
  return read && decodeText(read);
}

/**
 * A file's text at a git ref; for a symbolic link, the file it leads to (`linksTo`), or why it is not reviewed
 * (src/repository/links.ts). A link is told by its mode in the ref's tree, looked up only for a text that may be a
 * link's target.
 */
export async function gitHeadText(at: GitRef, path: string, reviewed: (path: string) => boolean): Promise<Decoded | { linksTo: string } | null> {
  const head = await refText(at, path);
  if (!head || !('text' in head) || !mayBeLinkTarget(head.text)) return head;
  const { entries } = await at.tree();
  if (entries.get(path)?.mode !== LINK_MODE) return head;
  // A link on the way whose target is not read leads nowhere: the changed link is not reviewed.
  const links = entryLinks(entries, (linkPath, found) => linkTarget(at, linkPath, found).catch(skipUnreadable(() => {})));
  const linked = await linkedFile(path, head.text, links, reviewed);
  return 'file' in linked ? { linksTo: linked.file } : { skipped: linked.refused };
}

/**
 * A changed path of the working tree that is a symbolic link: the file it leads to inside the repository (`linksTo`),
 * or why it is not reviewed (src/repository/links.ts); null when it is no link.
 */
export async function workingTreeLink(top: string, path: string, reviewed: (path: string) => boolean): Promise<{ linksTo: string } | { skipped: string } | null> {
  const linkAt = async (at: string) => ((await lstat(join(top, at)).catch(() => null))?.isSymbolicLink() ? readlink(join(top, at)) : null);
  const target = await linkAt(path);
  if (target === null) return null;
  const tree: LinkTree = {
    kind: async (at) => {
      const next = await linkAt(at);
      if (next !== null) return { link: next };
      return (await stat(join(top, at)).catch(() => null))?.isFile() ? 'file' : null;
    },
  };
  const linked = await linkedFile(path, target, tree, reviewed);
  return 'file' in linked ? { linksTo: linked.file } : { skipped: linked.refused };
}

/**
 * The tree of a git ref as a RepositoryReader, for `warden diff --head <ref>` and the merge base: a file is read by
 * its blob, a symbolic link as the file it leads to inside the repository (as the working tree is read).
 */
export function gitRefReader(at: GitRef): RepositoryReader {
  // What the repository index read is not read again for what a review reads after it.
  const texts = new BlobTexts();
  const file = async (path: string) => fileEntry(path, (await at.tree()).entries, (linkPath, entry) => linkTarget(at, linkPath, entry));
  return {
    paths: async () => [...(await at.tree()).entries.keys()],
    read: async (path) => {
      const entry = await file(path);
      if (!entry) return null;
      const known = texts.get(at.top, entry.sha);
      if (known !== undefined) return known;
      const decoded = decodeText(await refBlob(at, path, entry.sha, currentLimits().maxFileBytes));
      if ('skipped' in decoded) throw new UnreadableFile(path, decoded.skipped);
      texts.set(at.top, entry.sha, decoded.text);
      return decoded.text;
    },
    readBytes: async (path, maxBytes) => {
      const entry = await file(path);
      return entry ? refBlob(at, path, entry.sha, maxBytes) : null;
    },
  };
}
