/**
 * The paper's LENS post-processing (pipeline.md §3-4, lens-tsoap-smoothing.md §7):
 * forward alignment (drop the placeholder columns), Savitzky-Golay along time, clip to [0, 1],
 * trim floor(W/2) columns at the start and ceil(W/2) at the end (Python `[W//2 : -W//2]`), and the
 * matching selection of SOAP frames. All arrays are atom-major (rows x columns) row-major.
 */
import { planSavgol, savgolRows, type SavgolMode } from './savgol.ts';

/** Clamps every value to [lo, hi] in place (numpy.clip); NaN stays NaN. Returns x. */
export function clipInPlace(x: Float64Array, lo = 0, hi = 1): Float64Array {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < lo) x[i] = lo;
    else if (v > hi) x[i] = hi;
  }
  return x;
}

/** Kept column range [start, end) of a length-n series after the trim `[W//2 : -W//2]` (end <= start: nothing). */
export function trimRange(window: number, n: number): { start: number; end: number; count: number } {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`trim: window must be a positive integer, got ${window}`);
  const start = Math.floor(window / 2);
  const end = n - Math.ceil(window / 2);
  return { start, end: Math.max(start, end), count: Math.max(0, end - start) };
}

/** Columns [start, end) of a (rows x cols) array, as a new (rows x (end - start)) array. */
export function sliceColumns(x: ArrayLike<number>, rows: number, cols: number, start: number, end: number): Float64Array {
  if (!(start >= 0 && end <= cols && start <= end)) throw new RangeError(`columns [${start}, ${end}) outside 0..${cols}`);
  const w = end - start;
  const out = new Float64Array(rows * w);
  for (let r = 0; r < rows; r++) for (let k = 0; k < w; k++) out[r * w + k] = x[r * cols + start + k];
  return out;
}

/**
 * Forward-aligned LENS from the SOAPify layout (rows x F, placeholder zeros in the first `delay`
 * columns): column k = change from frame k to k + delay, k = 0..F-delay-1 (the paper's lens[:, 1:]).
 */
export function lensForward(lens: ArrayLike<number>, rows: number, nFrames: number, delay = 1): Float64Array {
  if (!Number.isInteger(delay) || delay < 1 || delay >= nFrames) throw new RangeError(`delay must be an integer in 1..${nFrames - 1}, got ${delay}`);
  return sliceColumns(lens, rows, nFrames, delay, nFrames);
}

export interface LensSmoothingParams {
  /** Savitzky-Golay window W (the paper: 20 for Cu(211), 100 for Au and ice). */
  window: number;
  /** Polynomial order (the paper: 2). */
  polyorder?: number;
  /** Default "interp" (scipy's default, the paper's). */
  mode?: SavgolMode;
  /** Clip to [0, 1] after smoothing (default true). */
  clip?: boolean;
  /** Trim [W//2 : -W//2] (default true). */
  trim?: boolean;
}

export interface SmoothedLens {
  /** (rows x count) smoothed (clipped, trimmed) forward LENS. */
  values: Float64Array;
  rows: number;
  count: number;
  /** Trajectory frame of column j: frames[j] = firstFrame + j; the value there is the change (t_j -> t_j + delay). */
  firstFrame: number;
  frames: Int32Array;
}

/**
 * pipeline.md §4 on forward-aligned LENS (rows x cols, column k = change k -> k + delay, e.g. from
 * lensForward or a dynsight-layout result): smooth, clip, trim. Column j of the result belongs to
 * trajectory frame t_j = floor(W/2) + j (without trim: t_j = j), which is also the SOAP frame the
 * joint vector pairs it with (selectAlignedFrames).
 */
export function smoothLens(fw: ArrayLike<number>, rows: number, cols: number, p: LensSmoothingParams): SmoothedLens {
  const plan = planSavgol({ window: p.window, polyorder: p.polyorder ?? 2, mode: p.mode ?? 'interp' });
  const sm = savgolRows(plan, fw, rows, cols);
  if (p.clip ?? true) clipInPlace(sm, 0, 1);
  const { start, end, count } = (p.trim ?? true) ? trimRange(p.window, cols) : { start: 0, end: cols, count: cols };
  const values = start === 0 && end === cols ? sm : sliceColumns(sm, rows, cols, start, end);
  const frames = new Int32Array(count);
  for (let j = 0; j < count; j++) frames[j] = start + j;
  return { values, rows, count, firstFrame: start, frames };
}

/**
 * The trajectory frames whose SOAP rows enter the joint dataset (pipeline.md §4 steps 3-4):
 * SOAP frames 0..F-1-delay (the last `delay` dropped, no LENS for them) trimmed like LENS.
 * For Cu(211): F = 502, W = 20 -> frames 10..490 (481 frames).
 */
export function selectAlignedFrames(nFrames: number, window: number, delay = 1, trim = true): Int32Array {
  const n = Math.max(0, nFrames - delay);
  const { start, count } = trim ? trimRange(window, n) : { start: 0, count: n };
  const out = new Int32Array(count);
  for (let j = 0; j < count; j++) out[j] = start + j;
  return out;
}
