// The committed rule docs are generated from the rules: this fails when they are stale (run `npm run docs`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCS_URL, docsUrl, renderAllDocs } from '../src/engine/docs.js';
import { RULES } from '../rules/index.js';

const ROOT = join(import.meta.dirname, '..');

function committed(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.md')) out.push(relative(ROOT, full).split(sep).join('/'));
    }
  };
  walk(join(ROOT, 'docs', 'rules'));
  return out.sort();
}

describe('rule docs', () => {
  const expected = renderAllDocs(RULES);

  it('has one committed page per rule, and no page for a rule that is gone (run `npm run docs`)', () => {
    expect(committed()).toEqual([...expected.keys()].sort());
  });

  it('every committed page matches its rule\'s metadata (run `npm run docs`)', () => {
    const stale = [...expected].filter(([path, content]) => !existsSync(join(ROOT, path)) || readFileSync(join(ROOT, path), 'utf8') !== content).map(([path]) => path);
    expect(stale).toEqual([]);
  });

  it('every rule has docs and references to render', () => {
    for (const rule of RULES) {
      expect(rule.docs.why.length, rule.id).toBeGreaterThan(40);
      expect(rule.docs.fix.length, rule.id).toBeGreaterThan(20);
    }
  });

  it('links to the page of a rule, overridable by WARDEN_DOCS_URL', () => {
    expect(docsUrl('k8s/probes', {})).toBe(`${DEFAULT_DOCS_URL}/k8s/probes.md`);
    expect(docsUrl('k8s/probes', { WARDEN_DOCS_URL: 'https://ghe.example.com/sec/warden/blob/v1/docs/rules/' })).toBe('https://ghe.example.com/sec/warden/blob/v1/docs/rules/k8s/probes.md');
  });
});
