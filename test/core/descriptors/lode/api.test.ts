import { describe, expect, it } from 'vitest';
import { computeLode, createLodeScratch, lodeFrame, planLode, speciesChannels, type LodeParams } from '../../../../src/core/descriptors/lode/lode.ts';

const BASE: LodeParams = { exponent: 1, smearing: 1, cutoff: 2, maxRadial: 2, maxAngular: 1, species: [1, 8] };
const POS = Float64Array.from([0, 0, 0, 0.96, 0, 0, -0.24, 0.93, 0]);
const Z = [8, 1, 1];

describe('LODE parameters and input checks', () => {
  it('refuses bad hyperparameters with RangeError', () => {
    expect(() => planLode({ ...BASE, exponent: 0 })).toThrow(RangeError);
    expect(() => planLode({ ...BASE, exponent: 2.5 })).toThrow(RangeError);
    expect(() => planLode({ ...BASE, exponent: 7 })).toThrow(RangeError);
    expect(() => planLode({ ...BASE, smearing: 0 })).toThrow(RangeError);
    expect(() => planLode({ ...BASE, cutoff: -1 })).toThrow(RangeError);
    expect(() => planLode({ ...BASE, maxRadial: 0 })).toThrow(RangeError);
    expect(() => planLode({ ...BASE, maxAngular: -1 })).toThrow(RangeError);
    expect(() => planLode({ ...BASE, species: [8, 1] })).toThrow(RangeError);
    expect(() => planLode({ ...BASE, species: [] })).toThrow(RangeError);
    expect(() => planLode({ ...BASE, kCutoff: 0 })).toThrow(RangeError);
  });

  it('documents its defaults: k_c = 1.2 pi/sigma, w = 1, GTO, coefficients', () => {
    const plan = planLode({ ...BASE, smearing: 1.5 });
    expect(plan.params.kCutoff).toBe((1.2 * Math.PI) / 1.5);
    expect(plan.params.centerAtomWeight).toBe(1);
    expect(plan.params.radialBasis).toBe('gto');
    expect(plan.params.output).toBe('coefficients');
    expect(plan.width).toBe(2 * 2 * 4);
  });

  it('refuses unknown species, mixed periodicity, bad centres and non-finite positions', () => {
    expect(() => computeLode(POS, [8, 1, 6], null, [false, false, false], BASE)).toThrow(RangeError);
    const cell = Float64Array.from([10, 0, 0, 0, 10, 0, 0, 0, 10]);
    expect(() => computeLode(POS, Z, cell, [true, true, false], BASE)).toThrow(/mixed periodicity/);
    expect(() => computeLode(POS, Z, null, [false, false, false], BASE, Int32Array.from([3]))).toThrow(RangeError);
    const bad = Float64Array.from(POS); bad[4] = Number.NaN;
    expect(() => computeLode(bad, Z, null, [false, false, false], BASE)).toThrow(/non-finite/);
  });

  it('a centre listed twice gets the same row twice (open and periodic)', () => {
    const cell = Float64Array.from([10, 0, 0, 0, 10, 0, 0, 0, 10]);
    for (const [c, pbc] of [[null, [false, false, false]], [cell, [true, true, true]]] as const) {
      const { values, plan } = computeLode(POS, Z, c, pbc, BASE, Int32Array.from([1, 0, 1]));
      const w = plan.width;
      expect(Array.from(values.subarray(0, w))).toEqual(Array.from(values.subarray(2 * w, 3 * w)));
      const single = computeLode(POS, Z, c, pbc, BASE, Int32Array.from([1])).values;
      expect(Array.from(values.subarray(0, w))).toEqual(Array.from(single));
    }
  });
});

describe('LODE k-space budget', () => {
  it('refuses a k-set too large for a worker with a RangeError naming the remedy', () => {
    const cell = Float64Array.from([100, 0, 0, 0, 100, 0, 0, 0, 100]);
    expect(() => computeLode(POS, Z, cell, [true, true, true], { ...BASE, smearing: 0.3, maxRadial: 6, maxAngular: 4 }))
      .toThrow(/larger smearing or a smaller kCutoff/);
  });
});

describe('LODE atoms of species outside the channels', () => {
  it('are left out of the potential (open and periodic), as if absent', () => {
    // water plus one extra "virtual site" atom (Z = 0, not a channel) between the hydrogens
    const withVs = Float64Array.from([...POS, 0.2, 0.3, 0]);
    const zVs = [...Z, 0];
    const cell = Float64Array.from([9, 0, 0, 0, 9.5, 0, 1, 0, 10]);
    for (const [c, pbc] of [[null, [false, false, false]], [cell, [true, true, true]]] as const) {
      const plan = planLode(BASE);
      const centres = Int32Array.from([0, 1, 2]);
      const a = new Float64Array(3 * plan.width), b = new Float64Array(3 * plan.width);
      lodeFrame(plan, { positions: POS, cell: c, pbc, speciesIndex: speciesChannels(plan, Z) }, centres, a, 0, createLodeScratch(plan));
      const idx = speciesChannels(plan, zVs, true);
      expect(idx[3]).toBe(-1);
      lodeFrame(plan, { positions: withVs, cell: c, pbc, speciesIndex: idx }, centres, b, 0, createLodeScratch(plan));
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(a[i])));
    }
  });
});
