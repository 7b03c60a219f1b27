// The working tree as a RepositoryReader, for the command line: walks a folder, skips dependency and
// VCS folders, and lists only the files the config's path globs select.
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathGlobs, type Config } from '../config.js';
import { currentLimits, formatBytes } from '../engine/limits.js';
import type { RepositoryReader } from '../engine/repository.js';
import { decodeText, type Decoded } from '../formats/text.js';

/** A file's bytes, or why it was not read. */
export type ReadInside = { bytes: Uint8Array } | { refused: string };

/** Whether `path` is `root` or below it (both real paths). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

// The real path of each root a process reads below (a scan reads thousands of files below one root).
const realRoots = new Map<string, Promise<string>>();
function realRoot(root: string): Promise<string> {
  let real = realRoots.get(root);
  if (!real) {
    if (realRoots.size >= 64) realRoots.clear();
    real = realpath(root);
    real.catch(() => realRoots.delete(root));
    realRoots.set(root, real);
  }
  return real;
}

/**
 * Read `path` (relative to `root`, or as given) without leaving `root`: a symbolic link anywhere on the way that
 * leads out of it is reported, never read through; anything but a regular file (a FIFO, a device such as /dev/zero,
 * a socket) is refused; and no more than `maxBytes` are read, whatever the file claims.
 */
export async function readInside(root: string, path: string, maxBytes = currentLimits().maxFileBytes): Promise<ReadInside> {
  const full = resolve(root, path);
  let real: string;
  try {
    real = await realpath(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && (await lstat(full).then((l) => l.isSymbolicLink(), () => false))) return { refused: `a symbolic link to ${await readlink(full).catch(() => '?')}, which does not exist: not followed` };
    return { refused: `it could not be read (${code ?? (error as Error).message})` };
  }
  if (!isInside(await realRoot(root), real)) {
    const target = await readlink(full).catch(() => real);
    return { refused: `a symbolic link out of the repository (to ${target}): not followed` };
  }
  // O_NONBLOCK: opening a FIFO must not wait for a writer; what was opened is checked before a byte is read.
  let handle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    return { refused: `it could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { refused: 'not a regular file (a FIFO, device or socket): not read' };
    if (info.size > maxBytes) return { refused: `too large to review (${formatBytes(info.size)}; the limit is ${formatBytes(maxBytes)})` };
    // One byte past the limit tells a file that grew while read.
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > info.size) return { refused: 'it changed while it was read: not read' };
    return { bytes: buffer.subarray(0, length) };
  } finally {
    await handle.close();
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
  return {
    // The cap counts every file walked (a guard against walking a home directory), wanted or not.
    paths: async () => (await filesBelow(root, { maxFiles })).filter(wanted),
    // Unfiltered: a chart's helpers and files are read with its templates.
    list: async (dir) => (await filesBelow(isAbsolute(dir) ? dir : join(root, dir), { maxFiles })).map((p) => (dir === '.' ? p : `${dir}/${p}`)),
    async read(path) {
      const decoded = await readTextInside(root, path);
      return 'text' in decoded ? decoded.text : null;
    },
  };
}
