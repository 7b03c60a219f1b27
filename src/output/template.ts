// The Markdown Warden writes lives in templates/: `{{name}}` placeholders filled with rendered parts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// From src/output (tests) or dist/src/output (built): templates/ sits at the package root.
const ROOTS = ['../../templates/', '../../../templates/'].map((rel) => new URL(rel, import.meta.url));
const cache = new Map<string, string>();

export function loadTemplate(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  for (const root of ROOTS) {
    try {
      const text = readFileSync(fileURLToPath(new URL(name, root)), 'utf8');
      cache.set(name, text);
      return text;
    } catch {
      // try the next root
    }
  }
  throw new Error(`template not found: templates/${name}`);
}

export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
