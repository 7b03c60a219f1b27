import { describe, expect, it } from 'vitest';
import { hunkHolding, patchLines } from '../src/diff.js';

describe('patch lines', () => {
  // Head lines: 1 a, 2 b2, 3 c, 4 d (deleted e after d), 5 f ... second hunk at 20.
  const patch = '@@ -1,6 +1,5 @@\n a\n-b\n+b2\n c\n d\n-e\n f\n@@ -20,2 +19,3 @@\n x\n+y\n z\n';
  const lines = patchLines(patch);

  it('marks added lines, and both neighbours of a deletion, as changed', () => {
    expect([...lines.changed].sort((a, b) => a - b)).toEqual([1, 2, 4, 5, 20]);
  });

  it('lets comments sit on every head-side line inside a hunk, and nowhere else', () => {
    expect([...lines.commentable].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 19, 20, 21]);
    expect(lines.hunks).toEqual([
      { start: 1, end: 5 },
      { start: 19, end: 21 },
    ]);
    expect(hunkHolding(lines, 2, 4)).toEqual({ start: 1, end: 5 });
    expect(hunkHolding(lines, 5, 19)).toBeNull();
  });

  it('keeps where lines were removed: between which head lines, and what they said', () => {
    expect(lines.removals).toEqual([
      { after: 1, lines: ['b'] },
      { after: 4, lines: ['e'] },
    ]);
  });

  it('keeps a run of removed lines together, and a removal at the top of the file before line 1', () => {
    const removed = patchLines('@@ -1,4 +1,2 @@\n-a\n-b\n c\n d\n@@ -10,3 +8,2 @@\n x\n-y\n-z\n\\ No newline at end of file\n+w\n');
    expect(removed.removals).toEqual([
      { after: 0, lines: ['a', 'b'] },
      { after: 8, lines: ['y', 'z'] },
    ]);
    // Removed lines take no head-side line: the comments sit on the lines around them.
    expect([...removed.commentable].sort((a, b) => a - b)).toEqual([1, 2, 8, 9]);
    expect(patchLines('@@ -1,2 +1,2 @@\n a\n-b\n+c\n').removals).toEqual([{ after: 1, lines: ['b'] }]);
  });
});
