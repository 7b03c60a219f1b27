// Seeded fuzzing: real manifests and Terraform files (the shared corpus, read at run time; the hostile-test
// files when it is absent), mutated a bounded number of times. No mutation may make the engine throw, make a
// parser fail in a way it does not report, or take unbounded time.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config.js';
import { applyEdits } from '../src/engine/edits.js';
import { scanFiles } from '../src/engine/run.js';
import { RULES } from '../rules/index.js';
import { HEALTHY, HEALTHY_TF } from './hostile/helpers.js';

const SEED = 0x5eed_2026;
const ITERATIONS = 300;
/** A ceiling only a hang reaches (a file here parses in milliseconds). */
const PER_FILE_CEILING_MS = 10_000;

/** mulberry32: small, seeded, and the same sequence on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ya?ml|tf)$/.test(name)) out.push(path);
  }
  return out;
}

const CORPUS = join(import.meta.dirname, '..', '..', 'shared', 'corpus');
function seeds(): { path: string; text: string }[] {
  const own = [
    { path: 'seed/healthy.yaml', text: HEALTHY },
    { path: 'seed/healthy.tf', text: HEALTHY_TF },
  ];
  if (!existsSync(CORPUS)) return own;
  return [...own, ...walk(CORPUS).map((file) => ({ path: relative(CORPUS, file), text: readFileSync(file, 'utf8') }))];
}

/** Fragments that trouble YAML and HCL parsers and writers. */
const TOKENS = ['{', '}', '[', ']', '"', "'", ':', '- ', '&a ', '*a', '!!binary ', '!Ref ', '\t', '---\n', '...\n', '#', '${', '<<EOF\n', 'EOF\n', '\\', '\u0000', '\uFEFF', '\r\n', '%YAML 1.2\n', '? ', '|\n', '>-\n', '= ', '/*', '*/', '//', 'true', '0x1F', '1e400', '\u2028'];

function mutate(text: string, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const lines = text.split('\n');
  const at = Math.floor(random() * lines.length);
  switch (Math.floor(random() * 8)) {
    case 0: // delete a line
      lines.splice(at, 1);
      return lines.join('\n');
    case 1: // duplicate a line
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    case 2: {
      // swap two lines
      const other = Math.floor(random() * lines.length);
      [lines[at], lines[other]] = [lines[other] ?? '', lines[at] ?? ''];
      return lines.join('\n');
    }
    case 3: {
      // insert a troublesome token at a random offset
      const offset = Math.floor(random() * (text.length + 1));
      return text.slice(0, offset) + pick(TOKENS) + text.slice(offset);
    }
    case 4: // truncate
      return text.slice(0, Math.floor(random() * text.length));
    case 5: // re-indent a line
      lines[at] = ' '.repeat(Math.floor(random() * 9)) + (lines[at] ?? '').trimStart();
      return lines.join('\n');
    case 6: {
      // delete a random span
      const from = Math.floor(random() * text.length);
      return text.slice(0, from) + text.slice(from + Math.floor(random() * 40));
    }
    default: {
      // several token insertions at once
      let out = text;
      for (let i = 0; i < 3; i++) {
        const offset = Math.floor(random() * (out.length + 1));
        out = out.slice(0, offset) + pick(TOKENS) + out.slice(offset);
      }
      return out;
    }
  }
}

describe('fuzzing the engine with mutated real files', () => {
  it(`survives ${ITERATIONS} seeded mutations (seed ${SEED.toString(16)})`, async () => {
    const random = rng(SEED);
    const pool = seeds();
    expect(pool.length).toBeGreaterThan(1);
    let reviewed = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const seed = pool[Math.floor(random() * pool.length)]!;
      let text = seed.text;
      const rounds = 1 + Math.floor(random() * 3);
      for (let r = 0; r < rounds; r++) text = mutate(text, random);
      const label = `iteration ${i}: ${seed.path} (${rounds} mutations)`;

      const started = performance.now();
      const result = await scanFiles([{ path: seed.path, text }], { config: DEFAULT_CONFIG, rules: RULES });
      expect(performance.now() - started, label).toBeLessThan(PER_FILE_CEILING_MS);
      // A parser that throws is a bug: every failure must come back as a parse error at a line.
      expect(result.errors, label).toEqual([]);
      const lineCount = text.split('\n').length;
      for (const finding of result.findings) {
        expect(finding.line, `${label}: ${finding.ruleId}`).toBeGreaterThanOrEqual(1);
        expect(finding.line, `${label}: ${finding.ruleId}`).toBeLessThanOrEqual(lineCount);
        // Every rendered edit applies cleanly to the text it was made for.
        for (const edit of finding.fix?.edits ?? []) {
          expect(edit.startLine, label).toBeGreaterThanOrEqual(1);
          expect(edit.endLine, label).toBeLessThanOrEqual(lineCount);
          expect(() => applyEdits(text, [edit])).not.toThrow();
        }
      }
      if (result.parsed[0]?.resources.length) reviewed++;
    }
    // The mutations leave many files parseable, so rules and fixes were exercised too, not only parse errors.
    expect(reviewed).toBeGreaterThan(ITERATIONS / 4);
  });
});
