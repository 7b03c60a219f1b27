// The working tree as a RepositoryReader, for the command line: walks a folder, skips dependency and
// VCS folders, and lists only the files the config's path globs select.
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pathGlobs, type Config } from '../config.js';
import type { RepositoryReader } from '../engine/repository.js';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn']);

export interface LocalReaderOptions {
  /** Stop listing after this many files (a guard against walking a home directory). */
  maxFiles?: number;
}

/**
 * Every file below `root`, as a `/`-separated path relative to it, in name order. Dependency and VCS
 * folders are skipped, and symbolic links are not followed: they can loop or leave the repository. An
 * unreadable folder is skipped, or, with `strict`, an error.
 */
export async function filesBelow(root: string, options: { maxFiles?: number; strict?: boolean } = {}): Promise<string[]> {
  const maxFiles = options.maxFiles ?? Infinity;
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (options.strict) throw error;
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (out.length >= maxFiles) return;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile()) {
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
      try {
        const full = isAbsolute(path) ? path : join(root, path);
        if (!(await stat(full)).isFile()) return null;
        return await readFile(full, 'utf8');
      } catch {
        return null;
      }
    },
  };
}
