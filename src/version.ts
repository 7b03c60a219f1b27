// Warden's version, from package.json: the one place it is written.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function readVersion(): string {
  // From src/ (tests) or dist/src/ (built): package.json sits at the package root.
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'warden' && pkg.version) return pkg.version;
    } catch {
      // try the next
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
