/**
 * The LENS panel (pipeline.md §11): every analysed atom's LENS against time, a horizontal
 * histogram with Doane bins, and the time cursor. Pure helpers for both the canvas view and the
 * SVG figure.
 */

/** Number of bins by Doane's rule (as numpy 'doane'): ceil(1 + log2 n + log2(1 + |g1| / sigma_g1)). */
export function doaneBinCount(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 3) return 1;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let m2 = 0, m3 = 0;
  for (let i = 0; i < n; i++) { const d = values[i] - mean; m2 += d * d; m3 += d * d * d; }
  m2 /= n; m3 /= n;
  const g1 = m2 > 0 ? m3 / m2 ** 1.5 : 0;
  const sg = Math.sqrt((6 * (n - 2)) / ((n + 1) * (n + 3)));
  return Math.max(1, Math.ceil(1 + Math.log2(n) + Math.log2(1 + Math.abs(g1) / sg)));
}

export interface Histogram { edges: Float64Array; counts: Float64Array }

/** Equal-width histogram over [min, max] (last bin closed), `bins` bins. */
export function histogram(values: ArrayLike<number>, bins: number): Histogram {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) { const v = values[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!(hi >= lo)) { lo = 0; hi = 1; }
  if (hi === lo) hi = lo + 1;
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = lo + ((hi - lo) * b) / bins;
  const counts = new Float64Array(bins);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
  }
  return { edges, counts };
}

/** Range of the values (finite ones). */
export function valueRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) { const v = values[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
  return hi >= lo ? (hi > lo ? [lo, hi] : [lo, lo + 1]) : [0, 1];
}

/** Series of analysed atom a (frame-major rows): value per analysed frame. */
export function atomSeries(values: ArrayLike<number>, nAtoms: number, nFrames: number, a: number): Float64Array {
  const out = new Float64Array(nFrames);
  for (let j = 0; j < nFrames; j++) out[j] = values[j * nAtoms + a];
  return out;
}
