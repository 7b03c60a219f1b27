import { expect, it } from 'vitest';
import { applyEdits, lineEdit, spliceEdit, textLines } from '../../src/engine/edits.js';

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

// spliceEdit renders a one-splice change from the lines around it alone: it must give exactly lineEdit's edit of the
// whole texts, also where repeated and blank lines make the change's place ambiguous, near the text's ends, and for
// large texts (the cached line index).
it('a splice edit is the line edit of the whole texts, for random splices', () => {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
  const lines = ['', 'a: 1', '  b: 2', '- x', '    containers:', 'same', 'same', '', '  - name: c', `  image: ${'r'.repeat(70)}`];
  for (let trial = 0; trial < 20_000; trial++) {
    const count = 1 + Math.floor(rnd() * (rnd() < 0.3 ? 120 : rnd() < 0.05 ? 900 : 30));
    const text = Array.from({ length: count }, () => pick(lines)).join('\n') + (rnd() < 0.5 ? '\n' : '');
    const from = Math.floor(rnd() * (text.length + 1));
    const to = Math.min(text.length, from + Math.floor(rnd() * (rnd() < 0.2 ? 80 : 12)));
    const insert = Array.from({ length: Math.floor(rnd() * 3) }, () => pick(lines)).join('\n') + pick(['', '\n', 'x']);
    const expected = lineEdit('f.yaml', text, text.slice(0, from) + insert + text.slice(to));
    expect(spliceEdit('f.yaml', text, { from, to, insert }), JSON.stringify({ text: text.length, from, to, insert })).toEqual(expected);
  }
});

// applyEdits slices a large text between its edits where it can: the same text as replacing its lines one by one
// (the reference, written out here), for replacements, deletions at its start, middle and end, and several edits.
it('applying edits to a large text gives what replacing its lines gives, for random edits', () => {
  const byLines = (text: string, edits: readonly { startLine: number; endLine: number; replacement: string }[]) => {
    const lines = text.split('\n');
    for (const edit of [...edits].sort((x, y) => y.startLine - x.startLine)) lines.splice(edit.startLine - 1, edit.endLine - edit.startLine + 1, ...(edit.replacement === '' ? [] : edit.replacement.split('\n')));
    return lines.join('\n');
  };
  let seed = 4242;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let trial = 0; trial < 3000; trial++) {
    const count = 200 + rnd(400);
    const text = Array.from({ length: count }, (_, i) => (rnd(7) === 0 ? '' : `line ${i} ${'x'.repeat(rnd(20))}`)).join('\n') + (rnd(2) ? '\n' : '');
    const lineCount = text.split('\n').length;
    const edits: { file: string; startLine: number; endLine: number; replacement: string }[] = [];
    for (let k = 1 + rnd(4); k > 0; k--) {
      // Now and then right after the one before (two deletions that meet at the text's end among them).
      const previous = edits.at(-1);
      const startLine = previous && rnd(3) === 0 ? previous.endLine + 1 : rnd(5) === 0 ? (rnd(2) ? 1 : lineCount - rnd(3)) : 1 + rnd(lineCount);
      const endLine = Math.min(lineCount, startLine + rnd(4));
      if (startLine > lineCount) continue;
      edits.push({ file: 'f', startLine: Math.max(1, startLine), endLine: Math.max(1, endLine), replacement: rnd(3) === 0 ? '' : Array.from({ length: 1 + rnd(3) }, () => `new ${rnd(100)}`).join('\n') });
    }
    expect(applyEdits(text, edits), JSON.stringify(edits)).toBe(byLines(text, edits));
  }
});

it('the lines of a text are what splitting it gives, for any range of lines from the first on', () => {
  let seed = 3;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let trial = 0; trial < 5000; trial++) {
    const text = Array.from({ length: rnd(12) }, () => ['', 'a', 'bb'][rnd(3)]).join('\n') + (rnd(2) ? '\n' : '');
    const startLine = 1 + rnd(14);
    const endLine = rnd(15);
    expect(textLines(text, startLine, endLine), JSON.stringify({ text, startLine, endLine })).toBe(text.split('\n').slice(startLine - 1, endLine).join('\n'));
  }
});
