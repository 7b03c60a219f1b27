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
});
