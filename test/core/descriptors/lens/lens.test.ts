import { describe, expect, it } from 'vitest';
import { computeLens } from '../../../../src/core/descriptors/lens/compute-lens.ts';
import {
  buildNeighbourSets, createLensScratch, createNeighbourSets, lensCompare, planLens, type NeighbourSets,
} from '../../../../src/core/descriptors/lens/lens.ts';
import { buildNeighbourList, createNeighbourList } from '../../../../src/core/geometry/neighbours.ts';
import { cellFromParameters } from '../../../../src/core/geometry/cell.ts';
import type { FrameData } from '../../../../src/core/trajectory.ts';
import { readSharedJson, readSharedNpy } from '../../../helpers/shared.ts';
import { readCu211Frames } from './cu211-frames.ts';
import { readToyFrames } from './toy-frames.ts';

// lens-tsoap-smoothing.md §8 and issue 4: counts, num, den exact; LENS abs(delta) <= 1e-15
// (fixtures/lens/README.md: "numerator/denominator in float64 reproduces the stored values bit for bit",
// so we hold LENS to exact equality, which is stricter).
const TOL_LENS_EXACT = 0;

function countDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let c = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > TOL_LENS_EXACT || Number.isNaN(a[i])) c++;
  return c;
}

function setsFrom(lists: number[][]): NeighbourSets {
  const s = createNeighbourSets();
  s.n = lists.length;
  s.offsets = new Int32Array(lists.length + 1);
  const all = lists.flat();
  s.members = Int32Array.from(all);
  s.count = all.length;
  lists.forEach((l, c) => { s.offsets[c + 1] = s.offsets[c] + l.length; });
  return s;
}

describe('LENS worked example (lens-tsoap-smoothing.md §4)', () => {
  const t = [[[1, 2, 3]], [[2, 3, 4]], [[]], [[]]].map(setsFrom);
  it('pairwise values 1/3, 1, 0', () => {
    const sc = createLensScratch(8);
    const lens = new Float64Array(1), num = new Int32Array(1), den = new Int32Array(1);
    lensCompare(t[0], t[1], sc, lens, num, den); expect([lens[0], num[0], den[0]]).toEqual([1 / 3, 2, 6]);
    lensCompare(t[1], t[2], sc, lens, num, den); expect([lens[0], num[0], den[0]]).toEqual([1, 3, 3]);
    lensCompare(t[2], t[3], sc, lens, num, den); expect([lens[0], num[0], den[0]]).toEqual([0, 0, 0]);
  });
  it('through computeLens on positions: soapify [0, 1/3, 1, 0], dynsight [1/3, 1, 0], n = [3, 3, 0, 0]', async () => {
    // Atom 0 at the origin; atoms 1..4 at 1 Å when they are neighbours, 50 Å away otherwise.
    const near = [[1, 2, 3], [2, 3, 4], [], []];
    const frames: FrameData[] = near.map((nb) => {
      const p = new Float64Array(15);
      for (let j = 1; j <= 4; j++) p[3 * j] = nb.includes(j) ? 1 : 50 + 10 * j;
      // Keep 1..4 out of each other's range where they matter only for atom 0.
      for (let j = 1; j <= 4; j++) p[3 * j + 1] = nb.includes(j) ? 0 : 100 * j;
      return { positions: p, cell: null };
    });
    const centres = new Int32Array([0]);
    const s = await computeLens(frames, 5, 4, [false, false, false], { cutoff: 1.5, centres });
    expect(Array.from(s.lens)).toEqual([0, 1 / 3, 1, 0]);
    expect(Array.from(s.counts)).toEqual([3, 3, 0, 0]);
    const d = await computeLens(frames, 5, 4, [false, false, false], { cutoff: 1.5, centres, convention: 'dynsight' });
    expect(d.columns).toBe(3);
    expect(Array.from(d.lens)).toEqual([1 / 3, 1, 0]);
    // §3: without a box dynsight would invent a periodic bounding box; the result says so.
    expect(d.notes?.join(' ')).toMatch(/no cell/);
    expect(s.notes).toBeUndefined();
  });
});

/** Brute force: every j != i with some image (|n_k| <= 3) within the cutoff (test only). */
function bruteSets(pos: Float64Array, n: number, cell: Float64Array | null, rc: number, inclusive: boolean): number[][] {
  const out: number[][] = [];
  const R = cell ? 3 : 0;
  for (let i = 0; i < n; i++) {
    const s: number[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let hit = false;
      for (let a = -R; a <= R && !hit; a++) for (let b = -R; b <= R && !hit; b++) for (let c = -R; c <= R && !hit; c++) {
        const tx = cell ? a * cell[0] + b * cell[3] + c * cell[6] : 0;
        const ty = cell ? a * cell[1] + b * cell[4] + c * cell[7] : 0;
        const tz = cell ? a * cell[2] + b * cell[5] + c * cell[8] : 0;
        const dx = pos[3 * j] + tx - pos[3 * i], dy = pos[3 * j + 1] + ty - pos[3 * i + 1], dz = pos[3 * j + 2] + tz - pos[3 * i + 2];
        const d2 = dx * dx + dy * dy + dz * dz;
        if (inclusive ? d2 <= rc * rc : d2 < rc * rc) hit = true;
      }
      if (hit) s.push(j);
    }
    out.push(s);
  }
  return out;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

describe('neighbour sets from the shared neighbour list equal brute force', () => {
  const cases: [string, Float64Array | null][] = [
    ['no cell', null],
    ['orthogonal', new Float64Array([9, 0, 0, 0, 8, 0, 0, 0, 10])],
    ['triclinic, skewed', cellFromParameters(9, 8.5, 9.5, 70, 110, 50)],
    ['small cell (cutoff > half the cell: several images of one atom)', new Float64Array([5, 0, 0, 1, 5.5, 0, -1, 0.5, 6])],
  ];
  for (const [name, cell] of cases) {
    it(name, () => {
      const rnd = lcg(7);
      const n = 40, rc = 3.2;
      const pos = new Float64Array(3 * n);
      for (let k = 0; k < 3 * n; k++) pos[k] = (rnd() - 0.25) * 12; // some atoms outside the cell
      const plan = planLens({ cutoff: rc });
      const nl = buildNeighbourList(createNeighbourList(), pos, n, cell, [true, true, true], rc, null, false);
      const sets = buildNeighbourSets(plan, nl, null, n, createNeighbourSets(), createLensScratch(n));
      const want = bruteSets(pos, n, cell, rc, true);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const got = Array.from(sets.members.subarray(sets.offsets[i], sets.offsets[i + 1])).sort((a, b) => a - b);
        expect(got, `atom ${i}`).toEqual(want[i]);
        total += got.length;
      }
      expect(total).toBeGreaterThan(n); // the case is not trivially empty
    });
  }
  it('universe mask and centres subset: neighbours only from the universe, self excluded by identity', () => {
    const rnd = lcg(3);
    const n = 30, rc = 4;
    const pos = new Float64Array(3 * n);
    for (let k = 0; k < 3 * n; k++) pos[k] = rnd() * 10;
    const cell = new Float64Array([10, 0, 0, 0, 10, 0, 0, 0, 10]);
    const centres = new Int32Array([3, 7, 11, 20]);
    const universe = new Uint8Array(n); for (let j = 0; j < n; j += 2) universe[j] = 1; universe[7] = 1;
    const plan = planLens({ cutoff: rc });
    const nl = buildNeighbourList(createNeighbourList(), pos, n, cell, [true, true, true], rc, centres, false);
    const sets = buildNeighbourSets(plan, nl, centres, n, createNeighbourSets(), createLensScratch(n), universe);
    const want = bruteSets(pos, n, cell, rc, true);
    centres.forEach((ci, c) => {
      const got = Array.from(sets.members.subarray(sets.offsets[c], sets.offsets[c + 1])).sort((a, b) => a - b);
      expect(got).toEqual(want[ci].filter((j) => universe[j] === 1));
    });
  });
  it('cutoff tests: soapify d <= rc (inclusive), dynsight d^2 < (rc - 1e-6)^2 (§2, §3)', () => {
    // Atom 1 exactly at 4 Å, atom 2 at 4 - 5e-7 Å, atom 3 at 4 - 2e-6 Å from atom 0 (no cell).
    const pos = new Float64Array([0, 0, 0, 4, 0, 0, 0, 4 - 5e-7, 0, 0, 0, 4 - 2e-6]);
    const nl = buildNeighbourList(createNeighbourList(), pos, 4, null, [false, false, false], 4, new Int32Array([0]), false);
    const members = (convention: 'soapify' | 'dynsight') => {
      const sets = buildNeighbourSets(planLens({ cutoff: 4, convention }), nl, new Int32Array([0]), 4, createNeighbourSets(), createLensScratch(4));
      return Array.from(sets.members.subarray(0, sets.count)).sort();
    };
    expect(members('soapify')).toEqual([1, 2, 3]);
    expect(members('dynsight')).toEqual([3]);
  });
  it('rejects bad parameters', () => {
    expect(() => planLens({ cutoff: 0 })).toThrow(RangeError);
    expect(() => planLens({ cutoff: 6, delay: 0 })).toThrow(RangeError);
    expect(() => planLens({ cutoff: 6, convention: 'mdanalysis' as 'soapify' })).toThrow(RangeError);
  });
});

describe('fixtures/lens case (a): Cu(211), 2400 atoms, frames 0-99, cutoff 6 (SOAPify convention)', () => {
  // README: frames 0-99 of data/generated/cu211_600K_eam.lammpstrj.gz, all atoms, index = id - 1.
  const dumpP = readCu211Frames(100);
  const npy = (name: string) => readSharedNpy('fixtures', 'lens', `lens_cu211_rc6_100frames_${name}.npy`);
  it('float64 coordinates: LENS and counts equal the *_exact arrays', async () => {
    const dump = await dumpP;
    expect(dump.nAtoms).toBe(2400);
    expect(dump.pbc).toEqual([true, true, true]);
    const r = await computeLens(dump.frames, dump.nAtoms, 100, [true, true, true], { cutoff: 6 });
    expect(r.columns).toBe(100);
    expect(countDiff(r.lens, npy('lens_exact').data)).toBe(0);
    expect(countDiff(r.counts, npy('n_neighbours_exact').data)).toBe(0);
    // num/den equal the SOAPify arrays except at the 12 entries the README lists (3 near-cutoff pairs).
    expect(countDiff(r.numerator, npy('numerator').data)).toBe(12);
    expect(countDiff(r.denominator, npy('denominator').data)).toBe(12);
  });
  it('precision "mdanalysis-float32" (float32 coordinates shifted by the box origin): every SOAPify array exactly', async () => {
    const dump = await dumpP;
    // README "Precision": MDAnalysis reads the dump as float32 and shifts it by the box origin.
    const r = await computeLens(dump.frames, dump.nAtoms, 100, [true, true, true], { cutoff: 6, precision: 'mdanalysis-float32' });
    expect(countDiff(r.lens, npy('lens').data)).toBe(0);
    expect(countDiff(r.counts, npy('n_neighbours').data)).toBe(0);
    expect(countDiff(r.numerator, npy('numerator').data)).toBe(0);
    expect(countDiff(r.denominator, npy('denominator').data)).toBe(0);
  });
});

interface Arr { shape: number[]; data: number[] }
interface WaterFixture {
  input: { oxygen_positions_per_frame: number[][][]; cell_matrix_dcdcell_per_frame: number[][][]; cell_matrix_mdadims_per_frame: number[][][] };
  params: { cutoff: number };
  arrays: Record<string, Arr>;
}

describe('fixtures/lens case (b): 125 water oxygens, triclinic DCD cell, cutoff 3.5', () => {
  const fx = readSharedJson<WaterFixture>('fixtures', 'lens', 'lens_water_tric_oxygens_rc35.json');
  const framesWith = (cells: number[][][]): FrameData[] => fx.input.oxygen_positions_per_frame.map((p, t) => ({
    positions: Float64Array.from(p.flat()), cell: Float64Array.from(cells[t].flat()),
  }));
  it('the DCD box matrix (target): *_exact_dcdcell LENS, counts, numerator, denominator', async () => {
    const r = await computeLens(framesWith(fx.input.cell_matrix_dcdcell_per_frame), 125, 10, [true, true, true], { cutoff: fx.params.cutoff });
    expect(r.lens.length).toBe(1250);
    expect(countDiff(r.lens, fx.arrays.lens_exact_dcdcell.data)).toBe(0);
    expect(countDiff(r.counts, fx.arrays.n_neighbours_exact_dcdcell.data)).toBe(0);
    expect(countDiff(r.numerator, fx.arrays.numerator_exact_dcdcell.data)).toBe(0);
    expect(countDiff(r.denominator, fx.arrays.denominator_exact_dcdcell.data)).toBe(0);
  });
  it('the lattice rebuilt from a, b, c, angles: *_exact_mdadims', async () => {
    const r = await computeLens(framesWith(fx.input.cell_matrix_mdadims_per_frame), 125, 10, [true, true, true], { cutoff: fx.params.cutoff });
    expect(countDiff(r.lens, fx.arrays.lens_exact_mdadims.data)).toBe(0);
    expect(countDiff(r.counts, fx.arrays.n_neighbours_exact_mdadims.data)).toBe(0);
    const d = await computeLens(framesWith(fx.input.cell_matrix_mdadims_per_frame), 125, 10, [true, true, true], { cutoff: fx.params.cutoff, convention: 'dynsight' });
    expect(d.notes?.join(' ')).toMatch(/triclinic/);
  });
});

describe('reference_toy_dynsight: dynsight LENS (7, 200) and n_c (7, 201), cutoff 15, delay 1', () => {
  const toyP = readToyFrames();
  const lens = readSharedNpy('data', 'reference_toy_dynsight', 'lens.npy');
  const nc = readSharedNpy('data', 'reference_toy_dynsight', 'n_c.npy');
  it('reads 201 frames of 7 atoms (GRO + XTC, cubic 30 Å box)', async () => {
    const toy = await toyP;
    expect(toy.nAtoms).toBe(7);
    expect(toy.pbc).toEqual([true, true, true]);
    expect(toy.frames.length).toBe(201);
    expect(lens.shape).toEqual([7, 200]);
    expect(nc.shape).toEqual([7, 201]);
  });
  it('dynsight convention matches exactly', async () => {
    const toy = await toyP;
    const r = await computeLens(toy.frames, 7, 201, [true, true, true], { cutoff: 15, convention: 'dynsight', delay: 1 });
    expect(r.columns).toBe(200);
    expect(countDiff(r.lens, lens.data)).toBe(0);
    expect(countDiff(r.counts, nc.data)).toBe(0);
  });
  it('SOAPify convention drops to the same values after its placeholder column (README (c))', async () => {
    const toy = await toyP;
    const r = await computeLens(toy.frames, 7, 201, [true, true, true], { cutoff: 15 });
    for (let i = 0; i < 7; i++) {
      expect(r.lens[i * 201]).toBe(0);
      expect(countDiff(r.lens.subarray(i * 201 + 1, (i + 1) * 201), lens.data.subarray(i * 200, (i + 1) * 200))).toBe(0);
    }
  });
  it('delay 3: column k compares frames k and k + 3', async () => {
    const toy = await toyP;
    const r = await computeLens(toy.frames, 7, 201, [true, true, true], { cutoff: 15, convention: 'dynsight', delay: 3 });
    const s = await computeLens(toy.frames, 7, 201, [true, true, true], { cutoff: 15, delay: 3 });
    expect(r.columns).toBe(198);
    for (let i = 0; i < 7; i++) {
      for (let t = 0; t < 3; t++) expect(s.lens[i * 201 + t]).toBe(0);
      for (let k = 0; k < 198; k++) {
        expect(r.lens[i * 198 + k]).toBe(s.lens[i * 201 + k + 3]);
        expect(r.denominator[i * 198 + k]).toBe(r.counts[i * 201 + k] + r.counts[i * 201 + k + 3]);
      }
    }
  });
});
