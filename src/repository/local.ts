// The working tree as a RepositoryReader, for the command line: walks a folder, skips dependency and
// VCS folders, and lists only the files the config's path globs select.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readlinkSync, realpathSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathGlobs, type Config } from '../config.js';
import { currentLimits, formatBytes } from '../engine/limits.js';
import { UnreadableFile, type RepositoryReader } from '../engine/repository.js';
import { decodeText, type Decoded } from '../formats/text.js';

/** A file's bytes, or why it was not read (`absent`: there is no file there, or a folder). */
export type ReadInside = { bytes: Uint8Array } | { refused: string; absent?: true };

/** Whether `path` is `root` or below it (both absolute; real paths where links matter). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

// The real path of each root a process reads below (a scan reads thousands of files below one root), by its absolute
// path: a relative root names another folder once the working folder changes.
const realRoots = new Map<string, string>();
function realRoot(root: string): string {
  const absolute = resolve(root);
  let real = realRoots.get(absolute);
  if (real === undefined) {
    if (realRoots.size >= 64) realRoots.clear();
    real = realpathSync(absolute);
    realRoots.set(absolute, real);
  }
  return real;
}

/**
 * Read `path` (relative to `root`, or as given) without leaving `root`: a symbolic link anywhere on the way that
 * leads out of it is reported, never read through; anything but a regular file (a FIFO, a device such as /dev/zero,
 * a socket) is refused; and no more than `maxBytes` are read, whatever the file claims.
 *
 * Synchronous: only the command line reads the working tree, its main thread has nothing else to serve meanwhile
 * (the workers run on), and a synchronous read costs a tenth of the CPU of one through the thread pool (thousands
 * of files: 0.4 s against 0.04 s).
 */
export async function readInside(root: string, path: string, maxBytes = currentLimits().maxFileBytes): Promise<ReadInside> {
  return readInsideNow(root, path, maxBytes);
}

function readInsideNow(root: string, path: string, maxBytes: number): ReadInside {
  const full = resolve(root, path);
  let real: string;
  try {
    real = realpathSync(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && isLink(full)) return { refused: `a symbolic link to ${linkTarget(full) ?? '?'}, which does not exist: not followed` };
    return code === 'ENOENT' || code === 'ENOTDIR' ? { ...couldNotRead(error), absent: true } : couldNotRead(error);
  }
  let inside: boolean;
  try {
    inside = isInside(realRoot(root), real);
  } catch (error) {
    return couldNotRead(error);
  }
  if (!inside) {
    // A path that leaves the root as written (`../../base` from the folder scanned) is no link: said so, with the remedy.
    if (!isInside(resolve(root), full)) return { refused: `outside the folder Warden reviews (${resolve(root)}); review a folder that holds it too, such as the repository's root` };
    return { refused: `a symbolic link out of the repository (to ${linkTarget(full) ?? real}): not followed` };
  }
  // O_NONBLOCK: opening a FIFO must not wait for a writer; what was opened is checked before a byte is read.
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    return couldNotRead(error);
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) return { refused: 'a folder, not a file', absent: true };
    if (!info.isFile()) return { refused: 'not a regular file (a FIFO, device or socket): not read' };
    if (info.size > maxBytes) return { refused: `too large to review (${formatBytes(info.size)}; the limit is ${formatBytes(maxBytes)})` };
    // One byte past the limit tells a file that grew while read.
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > info.size) return { refused: 'it changed while it was read: not read' };
    return { bytes: buffer.subarray(0, length) };
  } catch (error) {
    return couldNotRead(error);
  } finally {
    closeSync(fd);
  }
}

/** A refusal naming why a read failed: the system's error code, else its message. */
function couldNotRead(error: unknown): ReadInside {
  return { refused: `it could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function linkTarget(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/** A working-tree file decoded as text (src/formats/text.ts), or why it was not read. */
export async function readTextInside(root: string, path: string): Promise<Decoded> {
  const read = await readInside(root, path);
  return 'bytes' in read ? decodeText(read.bytes) : { skipped: read.refused };
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn']);

export interface LocalReaderOptions {
  /** Stop listing after this many files (a guard against walking a home directory). */
  maxFiles?: number;
  /**
   * The folder (relative to the root) `paths()` lists; default: the whole root. Reads and `list` still reach the whole
   * root: outside git, `warden scan` reads a Kustomize base beside the folder it scans without walking their parent.
   */
  listBelow?: string;
}

/**
 * Every file below `root`, as a `/`-separated path relative to it, in name order. Dependency and VCS folders are
 * skipped, and symbolic links are not followed: they can loop or leave the repository. A link, FIFO or device is
 * listed like a file, so that reading it (readInside) reports it rather than it vanishing. A folder that cannot be
 * listed is skipped, and passed to `unlisted` with the reason.
 */
export async function filesBelow(root: string, options: { maxFiles?: number; unlisted?: (dir: string, reason: string) => void } = {}): Promise<string[]> {
  const maxFiles = options.maxFiles ?? Infinity;
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      options.unlisted?.(relative(root, dir).split(sep).join('/') || '.', `the folder could not be listed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (out.length >= maxFiles) return;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else {
        out.push(relative(root, full).split(sep).join('/'));
      }
    }
  };
  await walk(root);
  return out;
}

/** Paths are relative to `root`, with `/` separators, as the App's reader gives them. */
export function localRepositoryReader(root: string, config: Config, options: LocalReaderOptions = {}): RepositoryReader {
  const wanted = pathGlobs(config);
  const maxFiles = options.maxFiles ?? 200_000;
  const below = options.listBelow && options.listBelow !== '.' ? options.listBelow : null;
  const walked = () => (below ? filesBelow(join(root, below), { maxFiles }).then((all) => all.map((p) => `${below}/${p}`)) : filesBelow(root, { maxFiles }));
  // Walked once per reader: a review asks for the listing several times (charts, their dependents, templates).
  let all: Promise<string[]> | null = null;
  let listed: Promise<string[]> | null = null;
  return {
    // The cap counts every file walked (a guard against walking a home directory), wanted or not.
    paths: async () => [...(await (listed ??= (all ??= walked()).then((files) => files.filter(wanted))))],
    // A walk stopped at the cap is only part of the folder: the index and the review say so rather than take it whole.
    complete: async () => (await (all ??= walked())).length < maxFiles,
    // Unfiltered: a chart's helpers and files are read with its templates.
    list: async (dir) => (await filesBelow(isAbsolute(dir) ? dir : join(root, dir), { maxFiles })).map((p) => (dir === '.' ? p : `${dir}/${p}`)),
    async read(path) {
      const read = await readInside(root, path);
      if ('absent' in read) return null;
      const decoded: Decoded = 'bytes' in read ? decodeText(read.bytes) : { skipped: read.refused };
      if ('skipped' in decoded) throw new UnreadableFile(path, decoded.skipped);
      return decoded.text;
    },
    async readBytes(path, maxBytes) {
      const read = await readInside(root, path, maxBytes);
      if ('bytes' in read) return read.bytes;
      if ('absent' in read) return null;
      throw new UnreadableFile(path, read.refused);
    },
  };
}
