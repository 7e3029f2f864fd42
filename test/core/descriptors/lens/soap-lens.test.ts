import { describe, expect, it } from 'vitest';
import { computeTsoap, diffRows, planTsoap, tsoapTranspose } from '../../../../src/core/descriptors/tsoap/tsoap.ts';
import { createLensJobs, soapLensOnPool, type SoapLensFrameRequest } from '../../../../workers/lens-jobs.ts';
import { readSharedJson, readSharedNpy } from '../../../helpers/shared.ts';
import { readCu211Frames } from './cu211-frames.ts';

// fixtures/soap/README.md "Tolerances": GTO filled-normalised, 1e-9 absolute.
const TOL_SOAP_FILLED_ABS = 1e-9;
// fixtures/lens/README.md: timeSOAP "1e-9 absolute (observed 3.8e-12 ...) for an independent SOAP implementation".
const TOL_TSOAP_WITH_OUR_SOAP = 1e-9;

describe('joint SOAP + LENS pass: one neighbour search per frame feeds both', () => {
  it('Cu(211) frames 0-19, the 64 fixture centres: SOAP = fixtures/soap case a (frames 0-4), LENS = fixtures/lens case a, timeSOAP = fixtures/lens timesoap', async () => {
    const meta = readSharedJson<{ input: { centers: number[] } }>('fixtures', 'soap', 'cu211_rc6_n8l8_s1_gto_filled_normalized.json');
    const soapRef = readSharedNpy('fixtures', 'soap', 'cu211_rc6_n8l8_s1_gto_filled_normalized.npy'); // (5, 64, 576)
    const lensRef = readSharedNpy('fixtures', 'lens', 'lens_cu211_rc6_100frames_lens_exact.npy'); // (2400, 100)
    const nRef = readSharedNpy('fixtures', 'lens', 'lens_cu211_rc6_100frames_n_neighbours_exact.npy');
    const centres = Int32Array.from(meta.input.centers);
    const F = 20;
    const cu = await readCu211Frames(F);
    const jobs = createLensJobs({ open: () => Promise.reject(new Error('not used')) });
    let job = 0;
    const all = new Float64Array(F * 64 * 576);
    let worstSoap = 0, lensFrames = 0;
    const n = await soapLensOnPool((req: SoapLensFrameRequest) => jobs.soapLensFrame(++job, req),
      cu.frames.map((f) => ({ positions: f.positions, cell: f.cell, pbc: cu.pbc })),
      {
        species: new Array<string>(cu.nAtoms).fill('Cu'), centres,
        soap: { rCut: 6, nMax: 8, lMax: 8, sigma: 1, species: ['Cu'], periodic: true, layout: 'filled' },
        lens: { cutoff: 6 },
      },
      (k, rows, width, lens) => {
        expect(width).toBe(576);
        all.set(rows, k * 64 * 576);
        if (k < 5) for (let i = 0; i < rows.length; i++) worstSoap = Math.max(worstSoap, Math.abs(rows[i] - soapRef.data[k * 64 * 576 + i]));
        centres.forEach((a, c) => {
          expect(lens === null ? nRef.data[a * 100 + k] : lens.counts[c]).toBe(nRef.data[a * 100 + k]);
          if (lens) expect(lens.lens[c]).toBe(lensRef.data[a * 100 + k]);
        });
        if (lens) lensFrames++; else expect(k).toBe(0);
      }, { maxInFlight: 2 });
    expect(n).toBe(F);
    expect(lensFrames).toBe(F - 1);
    expect(worstSoap).toBeLessThanOrEqual(TOL_SOAP_FILLED_ABS);
    // timeSOAP (19 x 64, SOAPify frame-major) and its derivative (64 x 18) from these rows.
    const ts = readSharedJson<{ arrays: { timesoap: { data: number[] }; timesoap_diff: { data: number[] } } }>(
      'fixtures', 'lens', 'timesoap_cu211_rc6_64centres_20frames.json');
    const atomMajor = computeTsoap(planTsoap({ width: 576 }), all, F, 64);
    const got = tsoapTranspose(atomMajor, 64, F - 1);
    expect(got.length).toBe(ts.arrays.timesoap.data.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - ts.arrays.timesoap.data[i]));
    expect(worst).toBeLessThanOrEqual(TOL_TSOAP_WITH_OUR_SOAP);
    const d = diffRows(atomMajor, 64, F - 1);
    let worstD = 0;
    for (let i = 0; i < d.length; i++) worstD = Math.max(worstD, Math.abs(d[i] - ts.arrays.timesoap_diff.data[i]));
    expect(worstD).toBeLessThanOrEqual(2 * TOL_TSOAP_WITH_OUR_SOAP);
  });
});
