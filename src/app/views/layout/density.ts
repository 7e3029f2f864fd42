/**
 * Log-density contours on the PCA map (pipeline.md §11): 100 x 100 histogram over [min, max] of
 * each displayed component (last bin closed), L = ln(H / max H), empty bins -> min of L over
 * non-empty bins, Gaussian smoothing sigma = 1 bin (9 taps, reflect boundary) along both axes,
 * contour levels at "nice" values spanning the smoothed range, grid at bin centres.
 */
import { contours } from 'd3-contour';
import { scaleLinear } from 'd3-scale';
import type { MapPoints } from './map-layout.ts';

export const DENSITY_BINS = 100;

export interface DensityGrid {
  /** bins x bins, row-major by y bin then x bin (values[iy * bins + ix]). */
  values: Float64Array;
  bins: number;
  x0: number; x1: number; y0: number; y1: number;
}

/** 2-D histogram counts, bins equal over [min, max] of each axis, the last bin closed. */
export function histogram2d(p: MapPoints, bins = DENSITY_BINS): DensityGrid {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < p.n; i++) {
    x0 = Math.min(x0, p.x[i]); x1 = Math.max(x1, p.x[i]);
    y0 = Math.min(y0, p.y[i]); y1 = Math.max(y1, p.y[i]);
  }
  const values = new Float64Array(bins * bins);
  const wx = x1 > x0 ? (x1 - x0) / bins : 1, wy = y1 > y0 ? (y1 - y0) / bins : 1;
  for (let i = 0; i < p.n; i++) {
    const ix = Math.min(bins - 1, Math.floor((p.x[i] - x0) / wx));
    const iy = Math.min(bins - 1, Math.floor((p.y[i] - y0) / wy));
    values[iy * bins + ix]++;
  }
  return { values, bins, x0, x1, y0, y1 };
}

/** Normalised 9-tap Gaussian kernel for sigma = 1 (truncate 4 sigma). */
export function gaussianKernel(): Float64Array {
  const k = new Float64Array(9);
  let s = 0;
  for (let i = -4; i <= 4; i++) { k[i + 4] = Math.exp(-(i * i) / 2); s += k[i + 4]; }
  for (let i = 0; i < 9; i++) k[i] /= s;
  return k;
}

/** Half-sample symmetric reflection of index i into 0..n-1 (d c b a | a b c d | d c b a). */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let m = ((i % period) + period) % period;
  if (m >= n) m = period - 1 - m;
  return m;
}

/** Gaussian smoothing (sigma 1 bin, reflect) along both axes of a bins x bins grid. */
export function smooth(values: Float64Array, bins: number): Float64Array {
  const k = gaussianKernel();
  const tmp = new Float64Array(values.length), out = new Float64Array(values.length);
  for (let y = 0; y < bins; y++) {
    for (let x = 0; x < bins; x++) {
      let s = 0;
      for (let t = -4; t <= 4; t++) s += k[t + 4] * values[y * bins + reflectIndex(x + t, bins)];
      tmp[y * bins + x] = s;
    }
  }
  for (let y = 0; y < bins; y++) {
    for (let x = 0; x < bins; x++) {
      let s = 0;
      for (let t = -4; t <= 4; t++) s += k[t + 4] * tmp[reflectIndex(y + t, bins) * bins + x];
      out[y * bins + x] = s;
    }
  }
  return out;
}

/** The smoothed log-density grid: ln(H / max H), empty bins at the smallest non-empty value. */
export function logDensity(p: MapPoints, bins = DENSITY_BINS): DensityGrid {
  const h = histogram2d(p, bins);
  let max = 0;
  for (const v of h.values) if (v > max) max = v;
  const l = new Float64Array(h.values.length);
  let minL = Infinity;
  for (let i = 0; i < l.length; i++) {
    if (h.values[i] > 0) { l[i] = Math.log(h.values[i] / max); if (l[i] < minL) minL = l[i]; }
  }
  if (!Number.isFinite(minL)) minL = 0;
  for (let i = 0; i < l.length; i++) if (!(h.values[i] > 0)) l[i] = minL;
  return { ...h, values: smooth(l, bins) };
}

export interface ContourLine {
  level: number;
  /** Lines in data coordinates (rings opened where they ran along the grid border): x0, y0, x1, y1, ... */
  rings: Float64Array[];
}

/** Contour lines at ~10 nice levels spanning the grid's range, in data coordinates. */
export function densityContours(g: DensityGrid, nLevels = 10): ContourLine[] {
  let lo = Infinity, hi = -Infinity;
  for (const v of g.values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!(hi > lo)) return [];
  const levels = scaleLinear().domain([lo, hi]).ticks(nLevels + 1).filter((t) => t > lo && t < hi);
  const gen = contours().size([g.bins, g.bins]).thresholds(levels);
  // grid value i sits at the centre of bin i: contour coordinate c -> x0 + c * binWidth
  const wx = (g.x1 - g.x0) / g.bins, wy = (g.y1 - g.y0) / g.bins;
  return gen(Array.from(g.values)).map((mp) => {
    const rings: Float64Array[] = [];
    for (const poly of mp.coordinates) for (const ring of poly) rings.push(...openAtBorder(ring, g.bins, g.x0, g.y0, wx, wy));
    return { level: mp.value, rings };
  });
}

/**
 * d3-contour closes every polygon along the grid border; a contour plot draws only the level
 * lines, so each ring is split into polylines wherever it runs along the border.
 */
function openAtBorder(ring: number[][], bins: number, x0: number, y0: number, wx: number, wy: number): Float64Array[] {
  const onEdge = (a: number[], b: number[]) =>
    (a[0] === b[0] && (a[0] <= 0 || a[0] >= bins)) || (a[1] === b[1] && (a[1] <= 0 || a[1] >= bins));
  const out: Float64Array[] = [];
  let cur: number[] = [];
  const flush = () => { if (cur.length >= 4) out.push(Float64Array.from(cur)); cur = []; };
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    if (i > 0 && onEdge(ring[i - 1], p)) flush();
    cur.push(x0 + p[0] * wx, y0 + p[1] * wy);
  }
  flush();
  return out;
}
