import { describe, expect, it } from 'vitest';
import { memoByIdentity } from '../../src/common/memo.js';

describe('memoByIdentity', () => {
  it('computes once per combination of the same objects', () => {
    let calls = 0;
    const sum = memoByIdentity((a: readonly number[], b: readonly number[]) => {
      calls++;
      return [...a, ...b].reduce((n, x) => n + x, 0);
    });
    const a = [1, 2];
    const b = [3];
    expect(sum(a, b)).toBe(6);
    expect(sum(a, b)).toBe(6);
    expect(calls).toBe(1);
  });

  it('tells lists apart by identity, not by content, and by position', () => {
    let calls = 0;
    const first = memoByIdentity((a: readonly number[], b: readonly number[]) => {
      calls++;
      return a[0]! * 10 + b[0]!;
    });
    const a = [1];
    const b = [2];
    expect(first(a, b)).toBe(12);
    expect(first([1], b)).toBe(12);
    expect(first(b, a)).toBe(21);
    expect(calls).toBe(3);
  });

  it('remembers a result that is undefined or null', () => {
    let calls = 0;
    const nothing = memoByIdentity((_: object) => {
      calls++;
      return undefined;
    });
    const key = {};
    nothing(key);
    nothing(key);
    expect(calls).toBe(1);
  });
});
