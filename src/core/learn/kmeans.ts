/**
 * KMeans (Lloyd) with scikit-learn 1.2 semantics (fixtures/learn/gmm_kmeans/README.md "KMeans"),
 * k-means++ seeding (greedy, 2 + floor(ln k) local trials, as scikit-learn), several seeded
 * restarts, and an exact optimal 1-D k-means with the paper's LENS thresholds (pipeline.md §7.3).
 */
import type { Dataset } from './dataset.ts';
import { checkpoint, createReporter, type RunOptions } from '../progress.ts';
import { seededRng, type Rng } from './rng.ts';

export interface KMeansParams {
  k: number;
  /** Initial centres (k x dim row-major) or 'k-means++' (default). */
  init?: 'k-means++' | Float64Array;
  /** Restarts; the lowest inertia wins. Default 10 for k-means++, 1 for given centres (scikit-learn 1.2). */
  nInit?: number;
  /** Default 300 (scikit-learn). */
  maxIter?: number;
  /** Relative tolerance: stop when sum of squared centre shifts <= tol * mean column variance. Default 1e-4. */
  tol?: number;
  /** Seed of the k-means++ stream; required for k-means++. */
  seed?: number;
}

export interface KMeansModel {
  k: number;
  dim: number;
  /** k x dim row-major. */
  centres: Float64Array;
  /** Label of every training row (0..k-1). */
  labels: Int32Array;
  /** Sum of squared distances to the assigned centres. */
  inertia: number;
  /** Lloyd iterations of the winning run (scikit-learn n_iter_). */
  nIter: number;
  /** True if the run stopped before maxIter (labels unchanged or shift below tol). */
  converged: boolean;
}

const DEFAULT_MAX_ITER = 300;
const DEFAULT_TOL = 1e-4;
const DEFAULT_N_INIT_PP = 10;

function checkParams(d: Dataset, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`KMeans: k must be a positive integer, got ${k}`);
  if (d.n < k) throw new RangeError(`KMeans: ${d.n} rows cannot make ${k} clusters`);
  if (d.x.length < d.n * d.dim) throw new RangeError(`KMeans: dataset needs ${d.n * d.dim} values, got ${d.x.length}`);
}

/** scikit-learn `_tolerance`: tol times the mean over columns of the (biased) column variance. */
export function scaledTolerance(d: Dataset, tol: number): number {
  if (tol === 0) return 0;
  const { x, n, dim } = d;
  let total = 0;
  for (let c = 0; c < dim; c++) {
    let m = 0;
    for (let r = 0; r < n; r++) m += x[r * dim + c];
    m /= n;
    let v = 0;
    for (let r = 0; r < n; r++) { const t = x[r * dim + c] - m; v += t * t; }
    total += v / n;
  }
  return (total / dim) * tol;
}

/**
 * Nearest centre of every row (ties: the lowest index), written into `labels`; returns the inertia.
 * If `dist2` is given, each row's squared distance to its centre is stored there.
 */
export function assignNearest(d: Dataset, centres: Float64Array, k: number, labels: Int32Array, dist2?: Float64Array): number {
  const { x, n, dim } = d;
  let inertia = 0;
  for (let r = 0; r < n; r++) {
    const off = r * dim;
    let best = Infinity, arg = 0;
    for (let c = 0; c < k; c++) {
      const co = c * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) { const t = x[off + j] - centres[co + j]; s += t * t; }
      if (s < best) { best = s; arg = c; }
    }
    labels[r] = arg;
    if (dist2) dist2[r] = best;
    inertia += best;
  }
  return inertia;
}

/**
 * One Lloyd run from `init` (k x dim, not modified), scikit-learn `_kmeans_single_lloyd` semantics:
 * each iteration labels every row with the current centres, then moves the centres to the means;
 * stop when the labels repeat ("strict convergence") or when the summed squared shift <= tolAbs
 * (then relabel once with the final centres). Empty clusters take the rows farthest from their
 * centres, as scikit-learn does.
 */
export function lloyd(d: Dataset, init: Float64Array, k: number, maxIter: number, tolAbs: number): KMeansModel {
  const { x, n, dim } = d;
  checkParams(d, k);
  if (init.length < k * dim) throw new RangeError(`KMeans: initial centres need ${k * dim} values, got ${init.length}`);
  let centres = Float64Array.from(init.subarray(0, k * dim));
  let next = new Float64Array(k * dim);
  const labels = new Int32Array(n);
  const previous = new Int32Array(n).fill(-1);
  const counts = new Float64Array(k);
  const dist2 = new Float64Array(n);
  let strict = false, iter = 0, stoppedOnTol = false;
  for (iter = 0; iter < maxIter; iter++) {
    assignNearest(d, centres, k, labels, dist2);
    next.fill(0);
    counts.fill(0);
    for (let r = 0; r < n; r++) {
      const c = labels[r], co = c * dim, off = r * dim;
      counts[c]++;
      for (let j = 0; j < dim; j++) next[co + j] += x[off + j];
    }
    relocateEmpty(d, labels, dist2, next, counts, k);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const co = c * dim;
      if (counts[c] > 0) for (let j = 0; j < dim; j++) next[co + j] /= counts[c];
      for (let j = 0; j < dim; j++) { const t = next[co + j] - centres[co + j]; shift += t * t; }
    }
    const t = centres; centres = next; next = t;
    let same = true;
    for (let r = 0; r < n; r++) if (labels[r] !== previous[r]) { same = false; break; }
    if (same) { strict = true; break; }
    if (shift <= tolAbs) { stoppedOnTol = true; break; }
    previous.set(labels);
  }
  const nIter = Math.min(iter + 1, maxIter);
  // Relabel with the final centres unless the labels already agree with them (strict convergence).
  const inertia = strict ? inertiaOf(d, centres, labels) : assignNearest(d, centres, k, labels);
  return { k, dim, centres, labels, inertia, nIter, converged: strict || stoppedOnTol };
}

function inertiaOf(d: Dataset, centres: Float64Array, labels: Int32Array): number {
  const { x, n, dim } = d;
  let s = 0;
  for (let r = 0; r < n; r++) {
    const co = labels[r] * dim, off = r * dim;
    for (let j = 0; j < dim; j++) { const t = x[off + j] - centres[co + j]; s += t * t; }
  }
  return s;
}

/** scikit-learn `_relocate_empty_clusters`: sums in `sums` (not yet divided), counts per cluster. */
function relocateEmpty(d: Dataset, labels: Int32Array, dist2: Float64Array, sums: Float64Array, counts: Float64Array, k: number): void {
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const { x, n, dim } = d;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => dist2[b] - dist2[a] || a - b);
  for (let q = 0; q < empty.length; q++) {
    const r = order[q], off = r * dim, from = labels[r], to = empty[q];
    for (let j = 0; j < dim; j++) { sums[from * dim + j] -= x[off + j]; sums[to * dim + j] = x[off + j]; }
    counts[to] = 1;
    counts[from] -= 1;
  }
}

/**
 * Greedy k-means++ seeding (scikit-learn `_kmeans_plusplus`): first centre uniform; then, for
 * each further centre, 2 + floor(ln k) candidates drawn with probability proportional to the
 * squared distance to the nearest chosen centre, keeping the one that lowers the potential most.
 */
export function kmeansPlusPlus(d: Dataset, k: number, rng: Rng): Float64Array {
  checkParams(d, k);
  const { x, n, dim } = d;
  const centres = new Float64Array(k * dim);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.min(n - 1, Math.floor(rng() * n));
  centres.set(x.subarray(first * dim, first * dim + dim), 0);
  let closest = new Float64Array(n);
  let pot = 0;
  for (let r = 0; r < n; r++) { closest[r] = sqDist(x, r * dim, x, first * dim, dim); pot += closest[r]; }
  const cum = new Float64Array(n);
  let cand = new Float64Array(n), best = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let run = 0;
    for (let r = 0; r < n; r++) { run += closest[r]; cum[r] = run; }
    let bestPot = Infinity, bestId = -1;
    for (let t = 0; t < trials; t++) {
      const id = Math.min(n - 1, searchSortedLeft(cum, rng() * pot));
      let p = 0;
      for (let r = 0; r < n; r++) {
        const dd = sqDist(x, r * dim, x, id * dim, dim);
        const m = dd < closest[r] ? dd : closest[r];
        cand[r] = m;
        p += m;
      }
      if (p < bestPot) { bestPot = p; bestId = id; const tmp = best; best = cand; cand = tmp; }
    }
    centres.set(x.subarray(bestId * dim, bestId * dim + dim), c * dim);
    const tmp = closest; closest = best; best = tmp;
    pot = bestPot;
  }
  return centres;
}

function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) { const t = a[ao + j] - b[bo + j]; s += t * t; }
  return s;
}

/** First index i with a[i] >= v (numpy searchsorted side 'left'), a ascending. */
function searchSortedLeft(a: Float64Array, v: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * KMeans fit: given centres (one Lloyd run by default) or seeded k-means++ with nInit restarts,
 * keeping the run with the lowest inertia (first on ties). Deterministic for a given seed.
 */
export async function fitKMeans(d: Dataset, p: KMeansParams, o?: RunOptions): Promise<KMeansModel> {
  checkParams(d, p.k);
  const maxIter = p.maxIter ?? DEFAULT_MAX_ITER;
  const tol = p.tol ?? DEFAULT_TOL;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`KMeans: maxIter must be a positive integer, got ${maxIter}`);
  if (!(tol >= 0)) throw new RangeError(`KMeans: tol must be >= 0, got ${tol}`);
  const tolAbs = scaledTolerance(d, tol);
  const given = p.init instanceof Float64Array ? p.init : null;
  const nInit = p.nInit ?? (given ? 1 : DEFAULT_N_INIT_PP);
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`KMeans: nInit must be a positive integer, got ${nInit}`);
  if (!given && p.seed === undefined) throw new RangeError('KMeans: k-means++ needs a seed');
  const rng = seededRng(p.seed ?? 0);
  const report = createReporter(o, 'kmeans', nInit);
  let best: KMeansModel | null = null;
  for (let run = 0; run < nInit; run++) {
    if (o) await checkpoint(o);
    const init = given ?? kmeansPlusPlus(d, p.k, rng);
    const m = lloyd(d, init, p.k, maxIter, tolAbs);
    if (!best || m.inertia < best.inertia) best = m;
    report(run + 1);
  }
  return best as KMeansModel;
}

/** Labels of new rows: nearest centre, ties to the lowest index. */
export function predictKMeans(m: KMeansModel, d: Dataset, out = new Int32Array(d.n)): Int32Array {
  if (d.dim !== m.dim) throw new RangeError(`KMeans predict: model has ${m.dim} columns, data ${d.dim}`);
  assignNearest(d, m.centres, m.k, out);
  return out;
}

// ----------------------------------------------------------------------------------------------
// 1-D: exact optimum and the LENS thresholds (pipeline.md §7.3)

export interface KMeans1d {
  k: number;
  /** Centres ascending (cluster c = c-th lowest). */
  centres: Float64Array;
  /** Per-cluster minimum and maximum, ascending with the cluster index. */
  min: Float64Array;
  max: Float64Array;
  counts: Float64Array;
  /** Label of every input value, 0 = lowest cluster. */
  labels: Int32Array;
  /** Sum of squared deviations from the cluster means (computed two-pass on the final partition). */
  inertia: number;
}

/**
 * The globally optimal k-means partition of 1-D values (clusters are contiguous in sorted order),
 * by dynamic programming with divide-and-conquer on the monotone split points: O(k n log n).
 * Clusters are numbered by ascending value. Equal values always share a cluster.
 */
export function kmeans1dOptimal(values: Float64Array, k: number): KMeans1d {
  const n = values.length;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`kmeans1d: k must be a positive integer, got ${k}`);
  if (n < k) throw new RangeError(`kmeans1d: ${n} values cannot make ${k} clusters`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) throw new RangeError(`kmeans1d: non-finite value at ${i}`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  const s = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  for (let i = 0; i < n; i++) s[i] = values[order[i]] - mean; // shifted: smaller prefix sums, less cancellation
  const p1 = new Float64Array(n + 1), p2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) { p1[i + 1] = p1[i] + s[i]; p2[i + 1] = p2[i] + s[i] * s[i]; }
  // cost of sorted[i..j) as one cluster
  const cost = (i: number, j: number): number => {
    const m = j - i;
    if (m <= 0) return 0;
    const a = p1[j] - p1[i];
    const c = p2[j] - p2[i] - (a * a) / m;
    return c > 0 ? c : 0;
  };
  // prev[j] = best cost of sorted[0..j) in q clusters; split[q][j] = start of the last cluster.
  let prev = new Float64Array(n + 1), cur = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = cost(0, j);
  const splits: Int32Array[] = [new Int32Array(n + 1)];
  for (let q = 1; q < k; q++) {
    const sp = new Int32Array(n + 1);
    // Fill cur[j] for j in [lo, hi] knowing the optimal split lies in [optLo, optHi].
    const stack: number[] = [q + 1, n, q, n - 1];
    while (stack.length) {
      const optHi = stack.pop() as number, optLo = stack.pop() as number, hi = stack.pop() as number, lo = stack.pop() as number;
      if (lo > hi) continue;
      const mid = (lo + hi) >>> 1;
      let best = Infinity, arg = optLo;
      const top = Math.min(optHi, mid - 1);
      for (let i = optLo; i <= top; i++) {
        const v = prev[i] + cost(i, mid);
        if (v < best) { best = v; arg = i; }
      }
      cur[mid] = best;
      sp[mid] = arg;
      stack.push(lo, mid - 1, optLo, arg, mid + 1, hi, arg, optHi);
    }
    for (let j = 0; j <= q; j++) cur[j] = Infinity;
    splits.push(sp);
    const t = prev; prev = cur; cur = t;
  }
  // Backtrack the boundaries, then move each boundary off runs of equal values.
  const starts = new Int32Array(k + 1);
  starts[k] = n;
  let j = n;
  for (let q = k - 1; q >= 1; q--) { j = splits[q][j]; starts[q] = j; }
  starts[0] = 0;
  const sortedVal = (i: number) => values[order[i]];
  for (let q = 1; q < k; q++) {
    while (starts[q] > starts[q - 1] + 1 && starts[q] < n && sortedVal(starts[q]) === sortedVal(starts[q] - 1)) starts[q]--;
  }
  const labels = new Int32Array(n);
  const centres = new Float64Array(k), min = new Float64Array(k), max = new Float64Array(k), counts = new Float64Array(k);
  let inertia = 0;
  for (let q = 0; q < k; q++) {
    const a = starts[q], b = starts[q + 1];
    let m = 0;
    for (let i = a; i < b; i++) { m += sortedVal(i); labels[order[i]] = q; }
    m /= b - a;
    let v = 0;
    for (let i = a; i < b; i++) { const t = sortedVal(i) - m; v += t * t; }
    centres[q] = m; min[q] = sortedVal(a); max[q] = sortedVal(b - 1); counts[q] = b - a;
    inertia += v;
  }
  return { k, centres, min, max, counts, labels, inertia };
}

/** Per-label maxima (the paper's thresholds) of `values` under `labels` (0..k-1). */
export function clusterMaxima(values: Float64Array, labels: Int32Array, k: number): Float64Array {
  const max = new Float64Array(k).fill(-Infinity);
  for (let i = 0; i < values.length; i++) if (values[i] > max[labels[i]]) max[labels[i]] = values[i];
  return max;
}

export interface ThresholdOptions {
  /**
   * With ascending thresholds theta_0 < ... < theta_{k-1} (the cluster maxima):
   * - 'paper': the notebook's `classifying`: label = the first q with x < theta_q; values >= every
   *   threshold get `overflowLabel` (the notebook leaves them at the raw label K-1). Each cluster's
   *   own maximum moves to the next cluster.
   * - 'rank' (pipeline.md §7.3 "recommended"): label = #{q <= k-2 : theta_q <= x}, the paper rule
   *   except that the global maximum lands in the top bin.
   * - 'inclusive' (fixtures/learn/gmm_kmeans/README.md): the first q with x <= theta_q (top bin if
   *   none), which reproduces the 1-D KMeans partition exactly.
   */
  rule: 'paper' | 'rank' | 'inclusive';
  /** Label to write for bin q (default q, i.e. 0 = least dynamic). */
  ids?: Int32Array;
  /** 'paper' rule only: label of values >= the largest threshold (default k - 1). */
  overflowLabel?: number;
}

/**
 * Classifies 1-D values by strictly ascending thresholds (the cluster maxima), pipeline.md §7.3.
 * Returns ids[bin] per value (in `out`, caller-owned, or a new array).
 */
export function thresholdLabels(values: Float64Array, thresholds: Float64Array, opt: ThresholdOptions,
  out = new Int32Array(values.length)): Int32Array {
  const k = thresholds.length;
  if (k < 1) throw new RangeError('thresholdLabels: need at least one threshold');
  for (let q = 1; q < k; q++) {
    if (!(thresholds[q] > thresholds[q - 1])) throw new RangeError('thresholdLabels: thresholds must be strictly ascending');
  }
  const ids = opt.ids ?? Int32Array.from({ length: k }, (_, q) => q);
  if (ids.length < k) throw new RangeError(`thresholdLabels: ${k} thresholds need ${k} ids`);
  const overflow = opt.overflowLabel ?? k - 1;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    let q = 0;
    if (opt.rule === 'rank') {
      while (q < k - 1 && thresholds[q] <= x) q++;
      out[i] = ids[q];
    } else if (opt.rule === 'inclusive') {
      while (q < k - 1 && thresholds[q] < x) q++;
      out[i] = ids[q];
    } else {
      while (q < k && !(x < thresholds[q])) q++;
      out[i] = q < k ? ids[q] : overflow;
    }
  }
  return out;
}

/**
 * Manual thresholds (pipeline.md §7.3): cut points c_1 < c_2 < ... give bins [min, c_1),
 * [c_1, c_2), ..., [c_last, max]; label = number of cuts <= x.
 */
export function binByCuts(values: Float64Array, cuts: Float64Array, out = new Int32Array(values.length)): Int32Array {
  for (let q = 1; q < cuts.length; q++) if (!(cuts[q] > cuts[q - 1])) throw new RangeError('binByCuts: cuts must be strictly ascending');
  for (let i = 0; i < values.length; i++) {
    let q = 0;
    while (q < cuts.length && cuts[q] <= values[i]) q++;
    out[i] = q;
  }
  return out;
}
