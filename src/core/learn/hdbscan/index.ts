/**
 * HDBSCAN* with the hdbscan library's conventions (../shared/specs/hdbscan.md), exact MST.
 *
 *   const model = await fitHdbscan({ x, n, dim }, { minClusterSize: 80 }, { signal, onProgress });
 *   model.labels / model.probabilities / model.outlierScores        // hard results (§8-§10)
 *   const M = softMembership(model);      // n x K row-major, all_points_membership_vectors (§12)
 *   const soft = softLabels(model);       // argmax of M per row: every point, noise included
 *   approximatePredict(model, pts); membershipVector(model, pts);   // new points (§13)
 *   const run = await runHdbscan(d, params, { mode: 'auto' });     // exact, or subsample-then-predict (§14)
 *
 * Progress stages, in order: 'kd-tree', 'core distances', 'mst', 'tree'.
 */
import { checkpoint, type RunOptions } from '../../progress.ts';
import { buildKdTree, KD_LEAF_SIZE } from './kd-tree.ts';
import { boruvkaMst, coreDistancesTree, primMst, type MstEdges } from './mst.ts';
import {
  allPointsMembership, approximatePredictPoints, buildPredictionData, membershipVectorPoints, rowArgmax,
  type PredictionData,
} from './soft.ts';
import {
  clusterPersistence, clusterTreeOf, condenseTree, labelPoints, outlierScores, selectClusters, singleLinkage,
  type CondensedTree,
} from './tree.ts';

export type { KdTree } from './kd-tree.ts';
export type { MstEdges } from './mst.ts';
export type { PredictionData } from './soft.ts';
export type { CondensedTree } from './tree.ts';

/** Row-major float64 points. */
export interface Dataset {
  x: Float64Array;
  n: number;
  dim: number;
}

/** hdbscan.md §0; defaults are the library's. */
export interface HdbscanParams {
  /** >= 2; default 5 */
  minClusterSize?: number;
  /** default = minClusterSize; clipped to n - 1 */
  minSamples?: number;
  /** default 1 */
  alpha?: number;
  /** default 'eom' */
  clusterSelectionMethod?: 'eom' | 'leaf';
  /** default false */
  allowSingleCluster?: boolean;
  /** default 0 (off) */
  clusterSelectionEpsilon?: number;
  /** default 0 (no limit), EOM only */
  maxClusterSize?: number;
  /** §1: 'hdbscan-lib' (default, k = minSamples + 1 counting the point) or 'include-self' */
  coreDistanceConvention?: 'hdbscan-lib' | 'include-self';
  /** 'boruvka' (default, kd-tree, any n) or 'prim' (O(n^2), exact, for small n / cross-checks) */
  mstAlgorithm?: 'boruvka' | 'prim';
}

export interface ResolvedHdbscanParams {
  minClusterSize: number;
  minSamples: number;
  alpha: number;
  clusterSelectionMethod: 'eom' | 'leaf';
  allowSingleCluster: boolean;
  clusterSelectionEpsilon: number;
  maxClusterSize: number;
  coreDistanceConvention: 'hdbscan-lib' | 'include-self';
  mstAlgorithm: 'boruvka' | 'prim';
}

export interface HdbscanModel {
  n: number;
  dim: number;
  params: ResolvedHdbscanParams;
  /** the fitted points (row-major, original order; the caller's array, not copied) */
  x: Float64Array;
  /** §1 core distance per row */
  coreDistances: Float64Array;
  /** §3 MST edges over rows, sorted by weight ascending */
  mst: MstEdges;
  /** §4 scipy linkage, (n-1) x 4 row-major */
  singleLinkage: Float64Array;
  /** §5 */
  condensedTree: CondensedTree;
  /** §6 S(C) per cluster id - n, before selection */
  stability: Float64Array;
  /** selected cluster ids ascending; label c = selected[c] */
  selectedClusters: Int32Array;
  nClusters: number;
  labels: Int32Array;
  probabilities: Float64Array;
  outlierScores: Float64Array;
  /** per label */
  clusterPersistence: Float64Array;
  prediction: PredictionData;
}

function resolveParams(p: HdbscanParams, n: number): ResolvedHdbscanParams {
  const mcs = p.minClusterSize ?? 5;
  if (!Number.isInteger(mcs) || mcs < 2) throw new RangeError(`minClusterSize must be an integer >= 2, got ${mcs}`);
  let ms = p.minSamples ?? mcs;
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`minSamples must be a non-negative integer, got ${ms}`);
  ms = Math.min(ms, n - 1);
  if (ms === 0) ms = 1;
  const alpha = p.alpha ?? 1;
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be a positive number, got ${alpha}`);
  const method = p.clusterSelectionMethod ?? 'eom';
  if (method !== 'eom' && method !== 'leaf') throw new RangeError(`clusterSelectionMethod must be "eom" or "leaf", got ${String(method)}`);
  const eps = p.clusterSelectionEpsilon ?? 0;
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new RangeError(`clusterSelectionEpsilon must be >= 0, got ${eps}`);
  const maxcs = p.maxClusterSize ?? 0;
  if (!Number.isInteger(maxcs) || maxcs < 0) throw new RangeError(`maxClusterSize must be an integer >= 0, got ${maxcs}`);
  const conv = p.coreDistanceConvention ?? 'hdbscan-lib';
  if (conv !== 'hdbscan-lib' && conv !== 'include-self') throw new RangeError(`unknown coreDistanceConvention ${String(conv)}`);
  const alg = p.mstAlgorithm ?? 'boruvka';
  if (alg !== 'boruvka' && alg !== 'prim') throw new RangeError(`unknown mstAlgorithm ${String(alg)}`);
  return {
    minClusterSize: mcs, minSamples: ms, alpha, clusterSelectionMethod: method,
    allowSingleCluster: p.allowSingleCluster ?? false, clusterSelectionEpsilon: eps, maxClusterSize: maxcs,
    coreDistanceConvention: conv, mstAlgorithm: alg,
  };
}

function checkDataset(d: Dataset, what: string): void {
  if (!Number.isInteger(d.n) || d.n < 0 || !Number.isInteger(d.dim) || d.dim < 1) {
    throw new RangeError(`${what}: n must be >= 0 and dim >= 1, got n=${d.n}, dim=${d.dim}`);
  }
  if (d.x.length < d.n * d.dim) throw new RangeError(`${what}: x has ${d.x.length} values, need n*dim = ${d.n * d.dim}`);
  for (let i = 0, e = d.n * d.dim; i < e; i++) {
    if (!Number.isFinite(d.x[i])) {
      throw new RangeError(`${what}: value at row ${Math.floor(i / d.dim)}, column ${i % d.dim} is ${d.x[i]} (must be finite)`);
    }
  }
}

/**
 * Fits HDBSCAN* on n points (row-major float64). Exact MST (kd-tree Boruvka by default).
 * Throws RangeError for bad parameters or non-finite data, CancelledError when aborted.
 */
export async function fitHdbscan(d: Dataset, p: HdbscanParams = {}, o?: RunOptions): Promise<HdbscanModel> {
  checkDataset(d, 'fitHdbscan');
  const { n, dim } = d;
  if (n < 2) throw new RangeError(`fitHdbscan needs at least 2 points, got ${n}`);
  const x = d.x.length === n * dim ? d.x : d.x.subarray(0, n * dim);
  const params = resolveParams(p, n);

  o?.onProgress?.({ stage: 'kd-tree', done: 0, total: n });
  const tree = buildKdTree(x, n, dim, KD_LEAF_SIZE);
  o?.onProgress?.({ stage: 'kd-tree', done: n, total: n });
  if (o) await checkpoint(o);

  o?.onProgress?.({ stage: 'core distances', done: 0, total: n });
  const ct = await coreDistancesTree(tree, params.minSamples, params.coreDistanceConvention === 'include-self', o);
  const coreDistances = new Float64Array(n), predCore = new Float64Array(n);
  for (let i = 0; i < n; i++) { coreDistances[tree.perm[i]] = ct.core[i]; predCore[tree.perm[i]] = ct.predCore[i]; }

  let mst: MstEdges;
  o?.onProgress?.({ stage: 'mst', done: 0, total: n - 1 });
  if (params.mstAlgorithm === 'prim') {
    mst = primMst(x, n, dim, coreDistances, params.alpha);
    o?.onProgress?.({ stage: 'mst', done: n - 1, total: n - 1 });
  } else {
    mst = await boruvkaMst(tree, ct.core, params.alpha, o);
  }
  if (o) await checkpoint(o);

  o?.onProgress?.({ stage: 'tree', done: 0, total: 1 });
  const slt = singleLinkage(mst, n);
  const sortedMst = sortEdges(mst);
  const condensed = condenseTree(slt, n, params.minClusterSize);
  const c = clusterTreeOf(condensed, n);
  const { selected, eomStability } = selectClusters(c, n, {
    method: params.clusterSelectionMethod, allowSingleCluster: params.allowSingleCluster,
    clusterSelectionEpsilon: params.clusterSelectionEpsilon, maxClusterSize: params.maxClusterSize,
  });
  const lab = labelPoints(c, n, selected, params.allowSingleCluster, params.clusterSelectionEpsilon);
  const scores = outlierScores(c, n);
  const persistence = clusterPersistence(c, selected, eomStability, lab.labels, n);
  const prediction = buildPredictionData(tree, predCore, params.minSamples, c, selected, lab.clusterLabel, n);
  o?.onProgress?.({ stage: 'tree', done: 1, total: 1 });

  return {
    n, dim, params, x, coreDistances, mst: sortedMst, singleLinkage: slt, condensedTree: condensed,
    stability: c.stability, selectedClusters: selected, nClusters: selected.length,
    labels: lab.labels, probabilities: lab.probabilities, outlierScores: scores, clusterPersistence: persistence,
    prediction,
  };
}

function sortEdges(m: MstEdges): MstEdges {
  const k = m.w.length;
  const idx = Array.from({ length: k }, (_, i) => i);
  idx.sort((p, q) => m.w[p] - m.w[q] || p - q);
  const a = new Int32Array(k), b = new Int32Array(k), w = new Float64Array(k);
  for (let i = 0; i < k; i++) { const e = idx[i]; a[i] = m.a[e]; b[i] = m.b[e]; w[i] = m.w[e]; }
  return { a, b, w };
}

/**
 * all_points_membership_vectors (§12): n x K row-major, column c = label c. Rows sum to the
 * "probability of being in some cluster", not to 1. Zeros when no cluster was selected.
 */
export function softMembership(model: HdbscanModel): Float64Array {
  return allPointsMembership(model.prediction, model.x, model.n);
}

/**
 * The paper's label: argmax of each membership row (numpy: first index on ties, first NaN),
 * so every point, noise included, gets a cluster. -1 only when there are no clusters.
 */
export function softLabels(model: HdbscanModel, membership?: Float64Array): Int32Array {
  const m = membership ?? softMembership(model);
  return rowArgmax(m, model.n, model.nClusters);
}

function checkPoints(model: HdbscanModel, pts: Dataset, what: string): void {
  checkDataset(pts, what);
  if (pts.dim !== model.dim) throw new RangeError(`${what}: points have dim ${pts.dim}, the model ${model.dim}`);
}

/** §13.2 approximate_predict: hard label (-1 = noise) and probability for each new point. */
export function approximatePredict(model: HdbscanModel, pts: Dataset): { labels: Int32Array; probabilities: Float64Array } {
  checkPoints(model, pts, 'approximatePredict');
  return approximatePredictPoints(model.prediction, pts.x, pts.n, model.n);
}

/**
 * §13.3 membership_vector for new points: m x K row-major. These are "approximate" soft labels
 * (a different outlier term than §12) and must be reported as such.
 */
export function membershipVector(model: HdbscanModel, pts: Dataset): Float64Array {
  checkPoints(model, pts, 'membershipVector');
  return membershipVectorPoints(model.prediction, model.x, pts.x, pts.n, model.n);
}

export { rowArgmax } from './soft.ts';
export {
  DEFAULT_SAMPLE_SIZE, runHdbscan, sampleRows, SUBSAMPLE_ABOVE, type HdbscanRun, type HdbscanRunOptions,
} from './subsample.ts';
