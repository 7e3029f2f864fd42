import { describe, expect, it } from 'vitest';
import { computeLode, type LodeParams } from '../../../../src/core/descriptors/lode/lode.ts';
import { createLodeJobs, lodeOnPool, type LodeFrameData } from '../../../../workers/lode-jobs.ts';
import { createNodePool } from '../../../../workers/node-pool.ts';
import { cellOf, flat, loadLode, type LodeFixture } from './fixture.ts';

const fx = loadLode<LodeFixture>('pylode_box4_NaCl_gto.json');
const Z = fx.structure.atomic_numbers;
const POS = flat(fx.structure.positions);
const CELL = cellOf(fx.structure)!;
const PARAMS: LodeParams = { exponent: 1, smearing: 1, cutoff: 2, maxRadial: 3, maxAngular: 2, species: [11, 17], output: 'power-spectrum' };

function frames(): LodeFrameData[] {
  // three frames: the fixture, a translated copy, and an open-boundary frame
  return [
    { positions: Float64Array.from(POS), cell: CELL, pbc: [true, true, true] },
    { positions: POS.map((v) => v + 1.25), cell: CELL, pbc: [true, true, true] },
    { positions: Float64Array.from(POS), cell: null, pbc: [false, false, false] },
  ];
}

describe('LODE worker jobs', () => {
  it('a job returns the rows of computeLode; a bad request comes back as data', async () => {
    const jobs = createLodeJobs();
    const req = { frame: frames()[0], atomicNumbers: Int32Array.from(Z), centres: null, params: PARAMS };
    const reply = await jobs.lodeFrame(1, req);
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const ref = computeLode(POS, Z, CELL, [true, true, true], PARAMS).values;
    expect(Array.from(reply.rows)).toEqual(Array.from(ref));
    const bad = await jobs.lodeFrame(2, { ...req, params: { ...PARAMS, exponent: 9 } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(JSON.stringify(bad.error)).toMatch(/exponent p must be an integer 1\.\.6/);
  });

  it('lodeOnPool on real worker threads streams frames in order with the in-thread values', async () => {
    const pool = createNodePool(1);
    try {
      const got: Float64Array[] = [];
      const n = await lodeOnPool(pool, frames(), { atomicNumbers: Int32Array.from(Z), centres: Int32Array.from([0, 3]), params: PARAMS },
        (k, rows) => { expect(k).toBe(got.length); got.push(Float64Array.from(rows)); });
      expect(n).toBe(3);
      frames().forEach((f, k) => {
        const ref = computeLode(f.positions, Z, f.cell, f.pbc, PARAMS, Int32Array.from([0, 3])).values;
        expect(Array.from(got[k])).toEqual(Array.from(ref));
      });
    } finally {
      await pool.dispose();
    }
  });
});
