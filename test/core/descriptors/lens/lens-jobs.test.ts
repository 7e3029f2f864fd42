import { proxy } from 'comlink';
import { describe, expect, it } from 'vitest';
import {
  computeLens, computeLensChunk, lensAtFrame, mergeLensChunks, splitFrames, type FrameSource,
} from '../../../../src/core/descriptors/lens/compute-lens.ts';
import type { FrameData } from '../../../../src/core/trajectory.ts';
import { createLensJobs, lensForFiles, lensOnPool, type LensPoolLike } from '../../../../workers/lens-jobs.ts';
import { createNodePool } from '../../../../workers/node-pool.ts';
import { readSharedJson, readSharedNpy, sharedPath } from '../../../helpers/shared.ts';

interface WaterFixture {
  input: { oxygen_positions_per_frame: number[][][]; cell_matrix_dcdcell_per_frame: number[][][] };
  arrays: Record<string, { data: number[] }>;
}

// fixtures/lens/lens_water_tric_oxygens_rc35.json (125 oxygens, 10 triclinic frames) as a frame source.
const fx = readSharedJson<WaterFixture>('fixtures', 'lens', 'lens_water_tric_oxygens_rc35.json');
const frames: FrameData[] = fx.input.oxygen_positions_per_frame.map((p, t) => ({
  positions: Float64Array.from(p.flat()), cell: Float64Array.from(fx.input.cell_matrix_dcdcell_per_frame[t].flat()),
}));
const water: FrameSource = { nAtoms: 125, nFrames: 10, pbc: [true, true, true], readFrame: (i) => Promise.resolve(frames[i]) };

describe('LENS split into frame chunks (worker jobs) equals the whole run', () => {
  it('splitFrames covers every frame once', () => {
    expect(splitFrames(10, 3)).toEqual([{ first: 0, count: 3 }, { first: 3, count: 3 }, { first: 6, count: 4 }]);
    expect(splitFrames(2, 8)).toEqual([{ first: 0, count: 1 }, { first: 1, count: 1 }]);
  });
  for (const [convention, delay] of [['soapify', 1], ['soapify', 2], ['dynsight', 1], ['dynsight', 3]] as const) {
    it(`${convention}, delay ${delay}: 4 chunks merged = one pass`, async () => {
      const params = { cutoff: 3.5, convention, delay };
      const whole = await computeLens(frames, 125, 10, water.pbc, params);
      const chunks = await Promise.all(splitFrames(10, 4).map((r) => computeLensChunk(water, r.first, r.count, params)));
      const merged = mergeLensChunks(chunks, 10, params);
      expect(merged.columns).toBe(whole.columns);
      expect(Array.from(merged.lens)).toEqual(Array.from(whole.lens));
      expect(Array.from(merged.numerator)).toEqual(Array.from(whole.numerator));
      expect(Array.from(merged.denominator)).toEqual(Array.from(whole.denominator));
      expect(Array.from(merged.counts)).toEqual(Array.from(whole.counts));
    });
  }
  it('through createLensJobs + lensOnPool: the fixture target *_exact_dcdcell', async () => {
    const jobs = createLensJobs({ open: () => Promise.resolve(water) });
    let job = 0;
    const seen: number[] = [];
    const res = await lensOnPool((r, onProgress) => jobs.lensChunk(++job, { sources: ['water'], ...r, params: { cutoff: 3.5 } }, onProgress),
      10, 3, { cutoff: 3.5 }, { onProgress: (p) => { expect(p.stage).toBe('lens'); seen.push(p.done); } });
    expect(seen[seen.length - 1]).toBe(10);
    expect(Array.from(res.lens)).toEqual(fx.arrays.lens_exact_dcdcell.data);
    expect(Array.from(res.counts)).toEqual(fx.arrays.n_neighbours_exact_dcdcell.data);
  });
  it('a failing or cancelled job comes back as data, and lensOnPool rejects', async () => {
    const jobs = createLensJobs({ open: () => Promise.resolve(water) });
    const bad = await jobs.lensChunk(1, { sources: ['water'], first: 8, count: 5, params: { cutoff: 3.5 } });
    expect(bad.ok).toBe(false);
    const slow: FrameSource = { ...water, readFrame: (i) => new Promise((r) => setTimeout(() => r(frames[i]), 5)) };
    const jobs2 = createLensJobs({ open: () => Promise.resolve(slow) });
    const p = jobs2.lensChunk(7, { sources: ['slow'], first: 0, count: 10, params: { cutoff: 3.5 } });
    jobs2.cancelLens(7);
    const r = await p;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('Cancelled');
    await expect(lensOnPool(() => Promise.resolve(bad), 10, 2, { cutoff: 3.5 })).rejects.toThrow(/frames 8/);
  });
});

describe('LENS on real worker threads (Node compute pool)', () => {
  it('lensForFiles on the dynsight toy (GRO + XTC paths) equals reference_toy_dynsight lens.npy; lensAtFrame picks a column', async () => {
    const pool = createNodePool(2);
    const pl: LensPoolLike = pool; // the real pool satisfies the slice lens-jobs needs
    try {
      const files = [sharedPath('data', 'reference_toy_dynsight', 'balls_7_nvt.xtc'), sharedPath('data', 'reference_toy_dynsight', 'balls_7_nvt.gro')];
      let last = 0;
      const res = await lensForFiles(pl, files, 201, { cutoff: 15, convention: 'dynsight' }, proxy, { onProgress: (p) => { last = p.done; } });
      const ref = readSharedNpy('data', 'reference_toy_dynsight', 'lens.npy');
      expect(res.columns).toBe(200);
      expect(Array.from(res.lens)).toEqual(Array.from(ref.data));
      expect(last).toBe(201);
      const at = lensAtFrame(res, 5, 7);
      for (let i = 0; i < 7; i++) expect(at[i]).toBe(ref.data[i * 200 + 5]);
      expect(Number.isNaN(lensAtFrame(res, 200, 7)[0])).toBe(true); // no (200 -> 201) change
    } finally {
      await pool.dispose();
    }
  });
});
