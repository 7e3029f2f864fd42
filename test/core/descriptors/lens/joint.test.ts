import { describe, expect, it } from 'vitest';
import { DEFAULT_LENS_WEIGHT, jointFrame, jointRows } from '../../../../src/core/descriptors/lens/joint.ts';

describe('joint SOAP&LENS rows (pipeline.md §5)', () => {
  const soap = Float64Array.from([0.6, 0.8, 0, /* atom 1 */ 0, 0, 1]); // 2 atoms, D = 3, normalised
  // smoothed LENS (2 atoms x 3 kept frames)
  const lens = Float64Array.from([0.1, 0.2, 0.3, /* atom 1 */ 0.4, 0.5, 0.6]);
  it('appends w * lens~ to each normalised SOAP row; w defaults to 1 (the paper)', () => {
    expect(DEFAULT_LENS_WEIGHT).toBe(1);
    const out = jointFrame(soap, 2, 3, lens, 3, 1);
    expect(Array.from(out)).toEqual([0.6, 0.8, 0, 0.2, 0, 0, 1, 0.5]);
    const w = jointFrame(soap, 2, 3, lens, 3, 2, 10);
    expect(w[3]).toBe(3);
    expect(w[7]).toBe(6);
  });
  it('normalises raw SOAP rows on request and keeps zero rows zero', () => {
    const raw = Float64Array.from([3, 4, 0, 0, 0, 0]);
    const out = new Float64Array(9);
    jointRows(raw, 0, 2, 3, [0.5, 0.25], 0, 1, out, 1, 2, true);
    expect(Array.from(out)).toEqual([0, 0.6, 0.8, 0, 1, 0, 0, 0, 0.5]);
  });
  it('rejects a column outside the kept frames and non-finite weights', () => {
    expect(() => jointFrame(soap, 2, 3, lens, 3, 3)).toThrow(RangeError);
    expect(() => jointFrame(soap, 2, 3, lens, 3, 0, Number.NaN)).toThrow(RangeError);
  });
});
