import { describe, expect, it } from 'vitest';
import {
  buildNeighbourSets, createLensFrameOut, createLensScratch, createLensState, createNeighbourSets, lensFrame, planLens,
  type LensConvention, type NeighbourSets,
} from '../../../../src/core/descriptors/lens/lens.ts';
import { buildLensSets, createLensSetsWork, lensFrameFromPositions } from '../../../../src/core/descriptors/lens/lens-sets.ts';
import { buildNeighbourList, createNeighbourList } from '../../../../src/core/geometry/neighbours.ts';
import { cellFromParameters } from '../../../../src/core/geometry/cell.ts';

// buildLensSets must give, per centre, exactly the set of the existing path
// (buildNeighbourList with radius = cutoff, then buildNeighbourSets): no tolerance, sets compared as sorted lists.

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

function sorted(s: NeighbourSets, c: number): number[] {
  return Array.from(s.members.subarray(s.offsets[c], s.offsets[c + 1])).sort((a, b) => a - b);
}

interface Case { name: string; cell: Float64Array | null; pbc: [boolean, boolean, boolean]; n: number; rc: number; spread: number }

const CASES: Case[] = [
  { name: 'no cell', cell: null, pbc: [true, true, true], n: 150, rc: 3, spread: 14 },
  { name: 'orthogonal, heights > 2 cutoff (unique-image path)', cell: new Float64Array([14, 0, 0, 0, 13, 0, 0, 0, 15]), pbc: [true, true, true], n: 200, rc: 3.2, spread: 14 },
  { name: 'orthogonal, small (cutoff > half a side)', cell: new Float64Array([9, 0, 0, 0, 8, 0, 0, 0, 10]), pbc: [true, true, true], n: 60, rc: 4.6, spread: 9 },
  { name: 'triclinic, large (unique-image path)', cell: cellFromParameters(16, 15, 17, 70, 110, 60), pbc: [true, true, true], n: 200, rc: 3.4, spread: 16 },
  { name: 'triclinic, skewed and small', cell: cellFromParameters(9, 8.5, 9.5, 70, 110, 50), pbc: [true, true, true], n: 50, rc: 4, spread: 9 },
  { name: 'small cell (several images of one atom, self images)', cell: new Float64Array([5, 0, 0, 1, 5.5, 0, -1, 0.5, 6]), pbc: [true, true, true], n: 40, rc: 3.2, spread: 6 },
  { name: 'slab: periodic in x, y only', cell: new Float64Array([13, 0, 0, 2, 14, 0, 0, 0, 30]), pbc: [true, true, false], n: 150, rc: 3.5, spread: 14 },
];

function positions(c: Case, seed: number): Float64Array {
  const rnd = lcg(seed);
  const pos = new Float64Array(3 * c.n);
  for (let k = 0; k < 3 * c.n; k++) pos[k] = (rnd() * 1.6 - 0.3) * c.spread; // some atoms far outside the cell
  return pos;
}

function existing(conv: LensConvention, c: Case, pos: Float64Array, centres: Int32Array | null, universe: Uint8Array | null): NeighbourSets {
  const plan = planLens({ cutoff: c.rc, convention: conv });
  const nl = buildNeighbourList(createNeighbourList(), pos, c.n, c.cell, c.pbc, plan.cutoff, centres, false);
  return buildNeighbourSets(plan, nl, centres, c.n, createNeighbourSets(), createLensScratch(c.n), universe);
}

function expectSameSets(got: NeighbourSets, want: NeighbourSets): number {
  expect(got.n).toBe(want.n);
  expect(got.count).toBe(want.count);
  for (let c = 0; c < want.n; c++) expect(sorted(got, c), `centre ${c}`).toEqual(sorted(want, c));
  return want.count;
}

describe('buildLensSets equals buildNeighbourList + buildNeighbourSets', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const work = createLensSetsWork(); // one work object reused across conventions and selections
      const pos = positions(c, c.n * 31 + 7);
      const centres = Int32Array.from({ length: Math.floor(c.n / 3) }, (_, k) => (k * 7) % c.n);
      const universe = new Uint8Array(c.n);
      for (let j = 0; j < c.n; j++) universe[j] = j % 3 === 0 || j === centres[1] ? 1 : 0;
      let total = 0;
      for (const conv of ['soapify', 'dynsight'] as LensConvention[]) {
        const plan = planLens({ cutoff: c.rc, convention: conv });
        for (const [cs, u] of [[null, null], [centres, null], [centres, universe], [null, universe]] as [Int32Array | null, Uint8Array | null][]) {
          const got = buildLensSets(plan, pos, c.n, c.cell, c.pbc, cs, createNeighbourSets(4), work, u);
          total += expectSameSets(got, existing(conv, c, pos, cs, u));
        }
      }
      expect(total).toBeGreaterThan(4 * c.n); // not trivially empty
    });
  }

  it('lattice with pairs exactly at the cutoff: inclusive keeps them, strict (dynsight) drops them, as the existing path', () => {
    // Simple cubic, spacing 1.5 Å, 8 x 8 x 8 in a 12 Å box: cutoff 3 hits the (2,0,0) shell exactly.
    const n = 512, pos = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) { pos[3 * i] = 1.5 * (i % 8); pos[3 * i + 1] = 1.5 * ((i >> 3) % 8); pos[3 * i + 2] = 1.5 * (i >> 6); }
    const c: Case = { name: 'sc', cell: new Float64Array([12, 0, 0, 0, 12, 0, 0, 0, 12]), pbc: [true, true, true], n, rc: 3, spread: 12 };
    const work = createLensSetsWork(n);
    const soap = buildLensSets(planLens({ cutoff: 3 }), pos, n, c.cell, c.pbc, null, createNeighbourSets(), work);
    expectSameSets(soap, existing('soapify', c, pos, null, null));
    // Shells within 3 Å: 6 (1.5) + 12 (2.12) + 8 (2.60) + 6 (3.0, exactly) = 32.
    expect(soap.offsets[1] - soap.offsets[0]).toBe(32);
    const dyn = buildLensSets(planLens({ cutoff: 3, convention: 'dynsight' }), pos, n, c.cell, c.pbc, null, createNeighbourSets(), work);
    expectSameSets(dyn, existing('dynsight', c, pos, null, null));
    expect(dyn.offsets[1] - dyn.offsets[0]).toBe(26);
  });

  it('a squared distance exactly equal to the threshold: kept when inclusive, dropped when strict', () => {
    const x = 4 - 1e-6; // dynsight's shrunk cutoff for rc = 4: r2Cut = x * x exactly (planLens)
    expect(planLens({ cutoff: 4, convention: 'dynsight' }).r2Cut).toBe(x * x);
    const pos = new Float64Array([0, 0, 0, x, 0, 0, 0, 3.9, 0]);
    const c: Case = { name: 'pair', cell: null, pbc: [false, false, false], n: 3, rc: 4, spread: 4 };
    const w = createLensSetsWork();
    const dyn = buildLensSets(planLens({ cutoff: 4, convention: 'dynsight' }), pos, 3, null, c.pbc, Int32Array.of(0), createNeighbourSets(), w);
    expect(sorted(dyn, 0)).toEqual([2]);
    expectSameSets(dyn, existing('dynsight', c, pos, Int32Array.of(0), null));
    const incl = buildLensSets(planLens({ cutoff: x }), pos, 3, null, c.pbc, Int32Array.of(0), createNeighbourSets(), w);
    expect(sorted(incl, 0)).toEqual([1, 2]);
  });

  it('work reused across frames of different sizes; lensFrameFromPositions = lensFrame over a NeighbourList', () => {
    const c = CASES[1];
    const plan = planLens({ cutoff: c.rc, delay: 2 });
    const a = createLensState(plan, c.n), b = createLensState(plan, c.n);
    const oa = createLensFrameOut(c.n), ob = createLensFrameOut(c.n);
    const work = createLensSetsWork(3); // grows on the first frame
    const nl = createNeighbourList();
    const rnd = lcg(11);
    const pos = positions(c, 5);
    for (let t = 0; t < 5; t++) {
      for (let k = 0; k < pos.length; k++) pos[k] += (rnd() - 0.5) * 1.2;
      const ha = lensFrameFromPositions(a, pos, c.cell, c.pbc, null, oa, work);
      buildNeighbourList(nl, pos, c.n, c.cell, c.pbc, plan.cutoff, null, false);
      const hb = lensFrame(b, nl, null, ob);
      expect(ha).toBe(hb);
      expect(Array.from(oa.counts)).toEqual(Array.from(ob.counts));
      expect(Array.from(oa.numerator)).toEqual(Array.from(ob.numerator));
      expect(Array.from(oa.denominator)).toEqual(Array.from(ob.denominator));
      expect(Array.from(oa.lens)).toEqual(Array.from(ob.lens));
      if (t >= 2) expect(oa.numerator.some((x) => x > 0)).toBe(true);
    }
  });

  it('rejects bad input like buildNeighbourList', () => {
    const plan = planLens({ cutoff: 2 });
    const w = createLensSetsWork();
    expect(() => buildLensSets(plan, new Float64Array(5), 2, null, [false, false, false], null, createNeighbourSets(), w)).toThrow(RangeError);
    expect(() => buildLensSets(plan, new Float64Array(6), 2, null, [false, false, false], Int32Array.of(2), createNeighbourSets(), w)).toThrow(RangeError);
    expect(() => buildLensSets(plan, Float64Array.of(0, 0, 0, Number.NaN, 0, 0), 2, null, [false, false, false], null, createNeighbourSets(), w)).toThrow(RangeError);
    expect(() => buildLensSets(planLens({ cutoff: 100 }), new Float64Array(6), 2, new Float64Array([0.01, 0, 0, 0, 0.01, 0, 0, 0, 0.01]),
      [true, true, true], null, createNeighbourSets(), w)).toThrow(RangeError);
    const empty = buildLensSets(plan, new Float64Array(0), 0, null, [false, false, false], null, createNeighbourSets(), w);
    expect([empty.n, empty.count]).toEqual([0, 0]);
  });
});
