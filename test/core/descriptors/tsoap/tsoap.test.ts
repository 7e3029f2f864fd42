import { describe, expect, it } from 'vitest';
import {
  computeTsoap, createTsoapState, diffRows, planTsoap, tsoapPush, tsoapTranspose,
} from '../../../../src/core/descriptors/tsoap/tsoap.ts';
import { readSharedJson, readSharedNpy } from '../../../helpers/shared.ts';

// Issue 4 "Accuracy": timeSOAP within 1e-12 absolute (lens-tsoap-smoothing.md §8 allows 1e-10).
const TOL_TSOAP_ABS = 1e-12;
// data/README.md, reference_toy_dynsight tsoap: "Reproduced exactly from soap.npy". Summing in numpy's
// pairwise order with a true division reproduces it bit for bit (values go down to 0, where
// sqrt(2 - 2cos) amplifies any rounding difference, so 1e-12 would need it anyway).
const TOL_TSOAP_DYNSIGHT = 0;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) { const d = Math.abs(a[i] - b[i]); m = Number.isNaN(d) ? Infinity : Math.max(m, d); }
  return m;
}

interface Arr { shape: number[]; data: number[] }

describe('timeSOAP, SOAPify convention (fixtures/lens/timesoap_cu211_rc6_64centres_20frames.json)', () => {
  const fx = readSharedJson<{ input: { centers: number[] }; arrays: { timesoap: Arr; timesoap_diff: Arr } }>(
    'fixtures', 'lens', 'timesoap_cu211_rc6_64centres_20frames.json');
  // fixtures/lens/README.md: "Frames 0-4 of x are identical to fixtures/soap/cu211_rc6_n8l8_s1_gto_filled_normalized",
  // so rows 0-3 of `timesoap` follow from those vectors alone (the 20-frame run needs the SOAP engine).
  const x = readSharedNpy('fixtures', 'soap', 'cu211_rc6_n8l8_s1_gto_filled_normalized.npy');
  const soapMeta = readSharedJson<{ input: { centers: number[] } }>('fixtures', 'soap', 'cu211_rc6_n8l8_s1_gto_filled_normalized.json');
  it('uses the same 64 centres', () => {
    expect(soapMeta.input.centers).toEqual(fx.input.centers);
    expect(x.shape).toEqual([5, 64, 576]);
  });
  it('frames 1-4 from the dscribe spectra: timesoap rows 0-3 within 1e-12', () => {
    const plan = planTsoap({ width: 576 });
    const atomMajor = computeTsoap(plan, x.data, 5, 64); // (64 x 4)
    const frameMajor = tsoapTranspose(atomMajor, 64, 4); // SOAPify order (4 x 64)
    expect(maxAbsDiff(frameMajor, fx.arrays.timesoap.data.slice(0, 4 * 64))).toBeLessThanOrEqual(TOL_TSOAP_ABS);
  });
  it('timesoap_diff = diff(timesoap.T) on the stored values (shape (64, 18))', () => {
    const ts = Float64Array.from(fx.arrays.timesoap.data); // (19 x 64)
    const d = diffRows(tsoapTranspose(ts, 19, 64), 64, 19);
    expect(fx.arrays.timesoap_diff.shape).toEqual([64, 18]);
    expect(maxAbsDiff(d, fx.arrays.timesoap_diff.data)).toBeLessThanOrEqual(TOL_TSOAP_ABS);
  });
  it('normalises its input and keeps zero spectra at zero (distance 1 to a unit vector)', () => {
    const plan = planTsoap({ width: 3 });
    const spectra = new Float64Array([3, 0, 4, /* frame 1 */ 0, 0, 0, /* frame 2 */ 0, 2, 0]);
    const out = computeTsoap(plan, spectra, 3, 1);
    expect(Array.from(out)).toEqual([1, 1]);
  });
});

describe('timeSOAP, dynsight convention (reference_toy_dynsight tsoap.npy from soap.npy)', () => {
  const soap = readSharedNpy('data', 'reference_toy_dynsight', 'soap.npy'); // (7, 201, 324), atom-major
  const ref = readSharedNpy('data', 'reference_toy_dynsight', 'tsoap.npy'); // (7, 200)
  it('all 7 x 200 values exactly', () => {
    expect(soap.shape).toEqual([7, 201, 324]);
    const plan = planTsoap({ width: 324, convention: 'dynsight' });
    const got = new Float64Array(7 * 200);
    for (let i = 0; i < 7; i++) got.set(computeTsoap(plan, soap.data.subarray(i * 201 * 324, (i + 1) * 201 * 324), 201, 1), i * 200);
    expect(maxAbsDiff(got, ref.data)).toBeLessThanOrEqual(TOL_TSOAP_DYNSIGHT);
  });
  it('delay 2 streams with a ring of 3 frames and equals the direct definition', () => {
    const plan = planTsoap({ width: 324, delay: 2 });
    const st = createTsoapState(plan, 1);
    const out = new Float64Array(1);
    const row = (t: number) => Float64Array.from(soap.data.subarray(t * 324, (t + 1) * 324)); // atom 0
    const unit = (v: Float64Array) => { let s = 0; for (const a of v) s += a * a; return v.map((a) => a / Math.sqrt(s)); };
    for (let t = 0; t < 10; t++) {
      const have = tsoapPush(st, soap.data, t * 324, out);
      expect(have).toBe(t >= 2);
      if (have) {
        const a = unit(row(t - 2)), b = unit(row(t));
        let s = 0; for (let k = 0; k < 324; k++) s += (a[k] - b[k]) ** 2;
        expect(Math.abs(out[0] - Math.sqrt(s))).toBeLessThanOrEqual(TOL_TSOAP_ABS);
      }
    }
  });
  it('rejects bad parameters', () => {
    expect(() => planTsoap({ width: 0 })).toThrow(RangeError);
    expect(() => planTsoap({ width: 4, delay: 1.5 })).toThrow(RangeError);
  });
});
