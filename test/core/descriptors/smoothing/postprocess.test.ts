import { describe, expect, it } from 'vitest';
import {
  clipInPlace, lensForward, selectAlignedFrames, smoothLens, trimRange,
} from '../../../../src/core/descriptors/smoothing/postprocess.ts';
import { readSharedJson, readSharedNpy } from '../../../helpers/shared.ts';

// Issue 4: Savitzky-Golay within 1e-12 absolute (fixtures/savgol/README.md suggests 1e-10);
// lens-tsoap-smoothing.md §8: "clip + trim shapes and index alignment | exact".
const TOL_SAVGOL_ABS = 1e-12;

interface Arr { shape: number[]; data: number[] }
interface SeedPipeline {
  input: { atoms: number[] };
  params: { window_length: number; polyorder: number; trim: [number, number] };
  lens_without_frame0: Arr; filtered: Arr; filtered_clipped: Arr; filtered_clipped_trimmed: Arr;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) { const d = Math.abs(a[i] - b[i]); m = Number.isNaN(d) ? Infinity : Math.max(m, d); }
  return m;
}

describe('the seed paper\'s LENS post-processing (fixtures/savgol/savgol_seed_pipeline_lens_cu211.json)', () => {
  const fx = readSharedJson<SeedPipeline>('fixtures', 'savgol', 'savgol_seed_pipeline_lens_cu211.json');
  const lens = readSharedNpy('fixtures', 'lens', 'lens_cu211_rc6_100frames_lens.npy'); // (2400, 100)
  const atoms = fx.input.atoms;
  const rows = new Float64Array(atoms.length * 100);
  atoms.forEach((a, r) => rows.set(lens.data.subarray(a * 100, (a + 1) * 100), r * 100));
  const W = fx.params.window_length;

  it('drops the frame-0 placeholder column (lens[:, 1:])', () => {
    const fw = lensForward(rows, atoms.length, 100);
    expect(fx.lens_without_frame0.shape).toEqual([5, 99]);
    expect(Array.from(fw)).toEqual(fx.lens_without_frame0.data);
  });
  it('filtered, filtered_clipped and trimmed match scipy/numpy (the clip bites on atom 651)', () => {
    const fw = lensForward(rows, atoms.length, 100);
    const raw = smoothLens(fw, 5, 99, { window: W, polyorder: fx.params.polyorder, clip: false, trim: false });
    expect(maxAbsDiff(raw.values, fx.filtered.data)).toBeLessThanOrEqual(TOL_SAVGOL_ABS);
    const clipped = smoothLens(fw, 5, 99, { window: W, polyorder: 2, trim: false });
    expect(maxAbsDiff(clipped.values, fx.filtered_clipped.data)).toBeLessThanOrEqual(TOL_SAVGOL_ABS);
    let clippedCount = 0;
    for (let i = 0; i < raw.values.length; i++) if (raw.values[i] !== clipped.values[i]) clippedCount++;
    expect(clippedCount).toBeGreaterThan(0);
    const full = smoothLens(fw, 5, 99, { window: W, polyorder: 2 });
    expect([full.rows, full.count]).toEqual(fx.filtered_clipped_trimmed.shape);
    expect(full.firstFrame).toBe(fx.params.trim[0]);
    expect(full.frames[0]).toBe(10);
    expect(full.frames[full.count - 1]).toBe(88);
    expect(maxAbsDiff(full.values, fx.filtered_clipped_trimmed.data)).toBeLessThanOrEqual(TOL_SAVGOL_ABS);
  });
});

describe('trim and alignment (lens-tsoap-smoothing.md §7, pipeline.md §4)', () => {
  it('[W//2 : -W//2] for even and odd windows', () => {
    expect(trimRange(20, 501)).toEqual({ start: 10, end: 491, count: 481 });
    expect(trimRange(21, 100)).toEqual({ start: 10, end: 89, count: 79 });
    expect(trimRange(20, 15).count).toBe(0);
  });
  it('Cu(211): F = 502, W = 20 keeps 481 SOAP frames 10..490, paired with LENS over (t, t+1)', () => {
    const f = selectAlignedFrames(502, 20);
    expect(f.length).toBe(481);
    expect(f[0]).toBe(10);
    expect(f[480]).toBe(490);
    // The LENS side: 501 forward columns trimmed the same way start at the same frame.
    const lensSide = smoothLens(new Float64Array(501), 1, 501, { window: 20 });
    expect(Array.from(lensSide.frames)).toEqual(Array.from(f));
  });
  it('clip maps to [0, 1] only', () => {
    expect(Array.from(clipInPlace(new Float64Array([-3e-4, 0, 0.5, 1, 1.2])))).toEqual([0, 0, 0.5, 1, 1]);
  });
  it('forward alignment with a delay: column k = lens[:, k + delay]', () => {
    const x = Float64Array.from([0, 0, 0.1, 0.2, 0.3, /* row 1 */ 0, 0, 0.4, 0.5, 0.6]);
    expect(Array.from(lensForward(x, 2, 5, 2))).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(() => lensForward(x, 2, 5, 5)).toThrow(RangeError);
  });
});
