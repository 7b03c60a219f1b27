// Imports flow one way (DESIGN.md): common helpers ← formats ← compose ← engine and rules ← review ← App/CLI.
// A module may import only from its own layer and the layers below it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/** The folders of src/ each layer may import from (besides its own and src/model.ts). */
const BELOW: Record<string, string[]> = {
  common: [],
  formats: ['common'],
  compose: ['common', 'formats'],
};

function importsOf(folder: string): { file: string; target: string }[] {
  return readdirSync(join(SRC, folder))
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => {
      const text = readFileSync(join(SRC, folder, name), 'utf8');
      return [...text.matchAll(/^(?:import|export)[^;]*?from '(\.\.?\/[^']+)'/gm)].map((m) => ({ file: `${folder}/${name}`, target: m[1]! }));
    });
}

describe('layering', () => {
  for (const [folder, allowed] of Object.entries(BELOW)) {
    it(`src/${folder} imports only ${allowed.length ? allowed.map((f) => `src/${f}`).join(', ') : 'nothing of Warden'} and src/model.ts`, () => {
      const imports = importsOf(folder);
      expect(imports.length).toBeGreaterThan(0);
      const outside = imports.filter(({ target }) => {
        if (target.startsWith('./')) return false;
        const up = /^\.\.\/([^/]+)(\/|\.js$)/.exec(target);
        const into = up?.[1]?.replace(/\.js$/, '');
        return !(into === 'model' || (into !== undefined && allowed.includes(into)));
      });
      expect(outside.map(({ file, target }) => `${file} → ${target}`)).toEqual([]);
    });
  }
});
