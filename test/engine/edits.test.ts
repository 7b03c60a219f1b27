import { expect, it } from 'vitest';
import { applyEdits, lineEdit } from '../../src/engine/edits.js';
// Random edits: the windowed edit applies back exactly, and covers at least one line.
it('a line edit applied as GitHub applies a suggestion gives the new text, for random edits of small files', () => {
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let k = 0; k < 3000; k++) {
    const lines = Array.from({ length: 1 + rnd(12) }, () => ['a', 'b', 'c', '', '  x: 1'][rnd(5)]!);
    const before = lines.join('\n') + (rnd(2) ? '\n' : '');
    const b2 = [...lines];
    const op = rnd(3); const at = rnd(b2.length + 1);
    if (op === 0) b2.splice(at, 0, ...Array.from({ length: 1 + rnd(3) }, () => ['q', 'a', ''][rnd(3)]!));
    else if (op === 1 && b2.length > 1) b2.splice(Math.min(at, b2.length - 1), 1 + rnd(2));
    else b2[Math.min(at, b2.length - 1)] = 'z' + rnd(9);
    const after = b2.join('\n') + (before.endsWith('\n') ? '\n' : '');
    const edit = lineEdit('f', before, after);
    if (before === after) { expect(edit).toBeNull(); continue; }
    expect(edit!.endLine).toBeGreaterThanOrEqual(edit!.startLine);
    expect(applyEdits(before, [edit!]), JSON.stringify({ before, after, edit })).toBe(after);
  }
});
