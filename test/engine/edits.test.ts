import { expect, it } from 'vitest';
import { applyEdits, lineEdit } from '../../src/engine/edits.js';

// Random edits: the windowed edit applies back exactly, and covers at least one line. Short lines, and long
// ones so that texts span many of the 64-character blocks lineEdit compares at once.
const SHORT = ['a', 'b', 'c', '', '  x: 1'];
const LONG = ['a', '', `  image: ${'r'.repeat(60)}`, `  - ${'s'.repeat(63)}`, `${'t'.repeat(64)}`, `  args: [${'u'.repeat(130)}]`];

for (const [label, pool, maxLines] of [['short lines', SHORT, 12], ['long lines', LONG, 40]] as const) {
  it(`a line edit applied as GitHub applies a suggestion gives the new text, for random edits (${label})`, () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 3000; k++) {
      const lines = Array.from({ length: 1 + rnd(maxLines) }, () => pool[rnd(pool.length)]!);
      const before = lines.join('\n') + (rnd(2) ? '\n' : '');
      const changed = [...lines];
      const op = rnd(3);
      const at = rnd(changed.length + 1);
      if (op === 0) changed.splice(at, 0, ...Array.from({ length: 1 + rnd(3) }, () => ['q', pool[rnd(pool.length)]!, ''][rnd(3)]!));
      else if (op === 1 && changed.length > 1) changed.splice(Math.min(at, changed.length - 1), 1 + rnd(2));
      else changed[Math.min(at, changed.length - 1)] = (pool[rnd(pool.length)] ?? '') + rnd(9);
      const after = changed.join('\n') + (before.endsWith('\n') ? '\n' : '');
      const edit = lineEdit('f', before, after);
      if (before === after) {
        expect(edit).toBeNull();
        continue;
      }
      expect(edit!.endLine).toBeGreaterThanOrEqual(edit!.startLine);
      expect(applyEdits(before, [edit!]), JSON.stringify({ before, after, edit })).toBe(after);
    }
  });
}
