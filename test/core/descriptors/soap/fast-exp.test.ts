import { describe, expect, it } from 'vitest';
import { fastExp, FAST_EXP_MIN } from '../../../../src/core/descriptors/common/fast-exp.ts';

describe('fastExp', () => {
  it('agrees with Math.exp to 1e-15 relative on [-700, 0]', () => {
    let worst = 0;
    for (let i = 0; i <= 200000; i++) {
      const x = -700 * (i / 200000) ** 2; // dense near 0, where SOAP's arguments live
      const a = fastExp(x), b = Math.exp(x);
      worst = Math.max(worst, Math.abs(a - b) / b);
    }
    expect(worst).toBeLessThan(1e-15);
    expect(fastExp(0)).toBe(1);
    expect(fastExp(FAST_EXP_MIN - 1)).toBe(0);
  });
});
