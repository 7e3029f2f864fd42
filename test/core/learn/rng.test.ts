import { describe, expect, it } from 'vitest';
import { randomInt, randomPermutation, seededRng } from '../../../src/core/learn/rng.ts';

describe('seededRng', () => {
  it('is deterministic per seed and independent between generators', () => {
    const a = seededRng(666), b = seededRng(666), c = seededRng(667);
    const xa = Array.from({ length: 100 }, () => a());
    const xb = Array.from({ length: 100 }, () => b());
    const xc = Array.from({ length: 100 }, () => c());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('gives values in [0, 1) with roughly uniform moments', () => {
    const r = seededRng(1);
    const n = 200_000;
    let s = 0, s2 = 0, min = 1, max = 0;
    for (let i = 0; i < n; i++) {
      const x = r();
      s += x; s2 += x * x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // mean 1/2 and variance 1/12, each within ~5 standard errors
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
  });

  it('randomInt stays in range and randomPermutation is a permutation', () => {
    const r = seededRng(3);
    for (let i = 0; i < 1000; i++) {
      const k = randomInt(r, 7);
      expect(k >= 0 && k < 7 && Number.isInteger(k)).toBe(true);
    }
    const p = Array.from(randomPermutation(r, 50)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects a non-finite seed', () => {
    expect(() => seededRng(Number.NaN)).toThrow(RangeError);
  });
});
