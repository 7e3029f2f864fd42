/**
 * An independent dscribe reference: dynsight's own SOAP of its 7-particle toy system
 * (../shared/data/reference_toy_dynsight/soap.npy: dscribe SOAP, r_cut 10, n_max = l_max = 8,
 * periodic, defaults; data/README.md says it was not checked there).
 */
import { describe, expect, it } from 'vitest';
import { computeSoap } from '../../../../src/core/descriptors/soap/soap.ts';
import { openTrajectory } from '../../../../src/core/io/index.ts';
import { fileSource } from '../../../../src/cli/node-source.ts';
import { readSharedNpy, sharedPath } from '../../../helpers/shared.ts';
import { compareRows } from './_fixtures.ts';

// The toy's coordinates come from an XTC (float32 nm). fixtures/soap/README.md "Input precision":
// float32-rounded positions change compact spectra by 1.9e-7..3.7e-7 relative, so 1e-6 per row.
const TOL_FLOAT32_INPUT_ROW_REL = 1e-6;

describe('SOAP against dynsight/dscribe on the 7-particle toy (r_cut 10)', () => {
  it('every 10th frame, all atoms', async () => {
    const ref = readSharedNpy('data', 'reference_toy_dynsight', 'soap.npy');
    expect(ref.shape).toEqual([7, 201, 324]);
    const xtc = await fileSource(sharedPath('data', 'reference_toy_dynsight', 'balls_7_nvt.xtc'));
    const gro = await fileSource(sharedPath('data', 'reference_toy_dynsight', 'balls_7_nvt.gro'));
    try {
      const traj = await openTrajectory([xtc, gro]);
      expect(traj.nFrames).toBe(201);
      let worst = 0;
      for (let fi = 0; fi < 201; fi += 10) {
        const f = await traj.readFrame(fi);
        const got = computeSoap(f.positions, traj.species, f.cell, traj.pbc, { rCut: 10, nMax: 8, lMax: 8, species: ['C'] });
        const want = new Float64Array(7 * 324);
        for (let a = 0; a < 7; a++) want.set(ref.data.subarray((a * 201 + fi) * 324, (a * 201 + fi + 1) * 324), a * 324);
        worst = Math.max(worst, compareRows(got, want, 324, true).worst);
      }
      expect(worst).toBeLessThanOrEqual(TOL_FLOAT32_INPUT_ROW_REL);
      expect(worst).toBeGreaterThan(0); // float32 input: an exact match would mean the test compares nothing
    } finally {
      await xtc.close();
      await gro.close();
    }
  }, 60_000);
});
