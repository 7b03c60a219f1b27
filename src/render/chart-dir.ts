// A chart read from a local folder (CLI and tests): every text file under it, by chart-relative path.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ChartSource } from './helm.js';
import { MAX_FILE_BYTES } from '../engine/limits.js';

/** Reads the chart at `path`; `dir` is how origins name it (defaults to `path`). Oversized files are read as empty. */
export function readChartDir(path: string, dir = path): ChartSource {
  const files = new Map<string, string>();
  const visit = (folder: string, depth: number): void => {
    if (depth > 20) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) visit(full, depth + 1);
      else if (entry.isFile()) {
        const rel = relative(path, full).split(sep).join('/');
        // An oversized file is kept (the renderer reports it) without holding more than the limit plus one byte.
        files.set(rel, statSync(full).size > MAX_FILE_BYTES ? 'x'.repeat(MAX_FILE_BYTES + 1) : readFileSync(full, 'utf8'));
      }
    }
  };
  visit(path, 0);
  return { dir, files };
}
