/**
 * Prediction data, soft clustering of the fitted points and prediction for new points
 * (hdbscan.md §11-§13, hdbscan 0.8.43 semantics).
 */
import { buildKdTree, createKnnScratch, drainSorted, knnQuery, type KdTree, type KnnScratch } from './kd-tree.ts';
import type { ClusterTree } from './tree.ts';

/** Everything §11-§13 need, as typed arrays (cluster arrays indexed by cluster id - n). */
export interface PredictionData {
  /** the fitted data's kd-tree (points in tree order; perm maps back to rows) */
  tree: KdTree;
  /** §11 pred_core per fitted row: distance to the minSamples-th nearest, counting itself */
  predCore: Float64Array;
  minSamples: number;
  /** per point: direct parent cluster id and lambda of its row */
  pointParent: Int32Array;
  pointLambda: Float64Array;
  /** per cluster: parent id (-1 root), birth lambda, leaf_lmax, sel_lmax (-1 where no label), label map */
  clusterParent: Int32Array;
  clusterBirth: Float64Array;
  leafLmax: Float64Array;
  selLmax: Float64Array;
  clusterLabel: Int32Array;
  /** selected cluster ids ascending (column c = label c) */
  selected: Int32Array;
  /** exemplar rows of label c: exemplars[exemplarOffsets[c] .. exemplarOffsets[c + 1]) */
  exemplars: Int32Array;
  exemplarOffsets: Int32Array;
}

export function buildPredictionData(tree: KdTree, predCore: Float64Array, minSamples: number, c: ClusterTree,
  selected: Int32Array, clusterLabel: Int32Array, n: number): PredictionData {
  const m = c.parent.length;
  const K = selected.length;
  const selLmax = new Float64Array(m).fill(-1);
  const ownSel = new Int32Array(m).fill(-1);
  for (let i = 0; i < K; i++) ownSel[selected[i] - n] = i;
  for (let k = 0; k < m; k++) {
    if (ownSel[k] >= 0) selLmax[k] = c.leafLmax[k];
    else if (k > 0) selLmax[k] = selLmax[c.parent[k] - n];
  }
  // Exemplars: points of leaf clusters at or below a selected cluster with lambda == leaf_lmax(leaf).
  const counts = new Int32Array(K + 1);
  const isLeaf = (k: number) => c.firstChild[k] < 0;
  for (let x = 0; x < n; x++) {
    const P = c.pointParent[x] - n;
    if (P < 0 || !isLeaf(P)) continue;
    const lab = clusterLabel[P];
    if (lab >= 0 && c.pointLambda[x] === c.leafLmax[P]) counts[lab + 1]++;
  }
  for (let i = 0; i < K; i++) counts[i + 1] += counts[i];
  const exemplars = new Int32Array(counts[K]);
  const fill = counts.slice(0, K);
  for (let x = 0; x < n; x++) {
    const P = c.pointParent[x] - n;
    if (P < 0 || !isLeaf(P)) continue;
    const lab = clusterLabel[P];
    if (lab >= 0 && c.pointLambda[x] === c.leafLmax[P]) exemplars[fill[lab]++] = x;
  }
  return {
    tree, predCore, minSamples, pointParent: c.pointParent, pointLambda: c.pointLambda,
    clusterParent: c.parent, clusterBirth: c.birth, leafLmax: c.leafLmax, selLmax, clusterLabel,
    selected, exemplars, exemplarOffsets: counts,
  };
}

/**
 * §12.2 merge height of cluster P with every selected cluster, precomputed per cluster:
 * out[(P - n) * K + c] is the split lambda, or NaN where the answer is the point's own lambda
 * (one or neither side climbed).
 */
function mergeHeights(pd: PredictionData, n: number): Float64Array {
  const m = pd.clusterParent.length, K = pd.selected.length;
  const out = new Float64Array(m * K);
  for (let P = 0; P < m; P++) {
    for (let c = 0; c < K; c++) {
      let left = P + n, right = pd.selected[c];
      let tookLeft = false, tookRight = false, last = -1;
      while (left !== right) {
        if (left > right) { tookLeft = true; last = left; left = pd.clusterParent[left - n]; }
        else { tookRight = true; last = right; right = pd.clusterParent[right - n]; }
      }
      out[P * K + c] = tookLeft && tookRight ? pd.clusterBirth[last - n] : NaN;
    }
  }
  return out;
}

const DBL_MAX = Number.MAX_VALUE;

/**
 * Nearest-exemplar search per cluster: one small kd-tree over each cluster's exemplars, built per
 * call (a few hundred points), so §12.1 costs O(K log E) per point instead of O(E). The minimum is
 * the same number as a full scan's.
 */
interface ExemplarIndex {
  trees: KdTree[];
  scratch: KnnScratch;
}

function exemplarIndex(pd: PredictionData, x: Float64Array): ExemplarIndex {
  const K = pd.selected.length, dim = pd.tree.dim;
  const trees: KdTree[] = [];
  for (let c = 0; c < K; c++) {
    const s = pd.exemplarOffsets[c], e = pd.exemplarOffsets[c + 1];
    const ex = new Float64Array((e - s) * dim);
    for (let i = s; i < e; i++) ex.set(x.subarray(pd.exemplars[i] * dim, pd.exemplars[i] * dim + dim), (i - s) * dim);
    trees.push(buildKdTree(ex, e - s, dim, EXEMPLAR_LEAF_SIZE));
  }
  return { trees, scratch: createKnnScratch(1) };
}

/** Leaf size of the exemplar trees (small trees; any value 4-16 performs alike). */
const EXEMPLAR_LEAF_SIZE = 8;

/** §12.1 distance term for point q (offset qo in q) into out[oo..oo+K), normalised to sum 1. */
function distanceTerm(ix: ExemplarIndex, K: number, q: Float64Array, qo: number, out: Float64Array, oo: number): void {
  let sum = 0;
  for (let c = 0; c < K; c++) {
    const t = ix.trees[c];
    const best = t.n > 0 && knnQuery(t, q, qo, ix.scratch) > 0 ? ix.scratch.heap[0] : Infinity;
    const dist = Math.sqrt(best);
    const v = dist === 0 ? DBL_MAX / K : 1 / dist;
    out[oo + c] = v;
    sum += v;
  }
  for (let c = 0; c < K; c++) out[oo + c] /= sum;
}

/**
 * §12 all_points_membership_vectors: n x K row-major (K = number of selected clusters, columns =
 * labels). `x` is the fitted data in original row order. All zeros when nothing is selected.
 */
export function allPointsMembership(pd: PredictionData, x: Float64Array, n: number): Float64Array {
  const K = pd.selected.length;
  const out = new Float64Array(n * K);
  if (K === 0) return out;
  const mh = mergeHeights(pd, n);
  const ix = exemplarIndex(pd, x);
  const h = new Float64Array(K), o = new Float64Array(K);
  for (let p = 0; p < n; p++) {
    const oo = p * K;
    distanceTerm(ix, K, x, p * pd.tree.dim, out, oo);
    const P = pd.pointParent[p] - n, lam = pd.pointLambda[p];
    let hMax = -Infinity, cStar = 0;
    for (let c = 0; c < K; c++) {
      const v = mh[P * K + c];
      h[c] = v !== v ? lam : v;
      if (h[c] > hMax) { hMax = h[c]; cStar = c; }
    }
    const mlam = pd.leafLmax[P] + 1e-8;
    let oMax = -Infinity;
    for (let c = 0; c < K; c++) { o[c] = Math.exp(-mlam / h[c]); if (o[c] > oMax) oMax = o[c]; }
    let oSum = 0;
    for (let c = 0; c < K; c++) { o[c] = Math.exp(o[c] - oMax); oSum += o[c]; }
    const lc = pd.leafLmax[pd.selected[cStar] - n];
    const pi = hMax / (lc > lam ? lc : lam);
    let s = 0;
    for (let c = 0; c < K; c++) { const v = out[oo + c] * (o[c] / oSum); out[oo + c] = v; s += v; }
    for (let c = 0; c < K; c++) out[oo + c] = (out[oo + c] / s) * pi;
  }
  return out;
}

/** Reusable buffers for §13 queries. */
interface QueryScratch {
  knn: ReturnType<typeof createKnnScratch>;
  d: Float64Array;
  idx: Int32Array;
}

/** §13.1: nearest fitted point under the prediction mutual reachability, and lambda. */
function nearestMr(pd: PredictionData, q: Float64Array, qo: number, s: QueryScratch): { nn: number; lambda: number } {
  const found = knnQuery(pd.tree, q, qo, s.knn);
  drainSorted(pd.tree, s.knn, found, s.d, s.idx);
  const ms = pd.minSamples;
  const coreNew = s.d[Math.min(ms, found - 1)];
  let nn = -1, best = Infinity;
  for (let j = 0; j < found; j++) {
    const row = s.idx[j];
    let m = pd.predCore[row];
    if (coreNew > m) m = coreNew;
    if (s.d[j] > m) m = s.d[j];
    if (m < best) { best = m; nn = row; }
  }
  return { nn, lambda: best > 0 ? 1 / best : DBL_MAX };
}

function queryScratch(pd: PredictionData): QueryScratch {
  const k = Math.min(2 * pd.minSamples, pd.tree.n);
  return { knn: createKnnScratch(k), d: new Float64Array(k), idx: new Int32Array(k) };
}

/** §13.2 approximate_predict for m new points (row-major m x dim): labels and probabilities. */
export function approximatePredictPoints(pd: PredictionData, q: Float64Array, m: number, n: number):
  { labels: Int32Array; probabilities: Float64Array } {
  const labels = new Int32Array(m).fill(-1), probabilities = new Float64Array(m);
  if (pd.selected.length === 0) return { labels, probabilities };
  const s = queryScratch(pd), dim = pd.tree.dim;
  for (let i = 0; i < m; i++) {
    const { nn, lambda } = nearestMr(pd, q, i * dim, s);
    let P = pd.pointParent[nn];
    if (pd.pointLambda[nn] > lambda) {
      while (P !== n && pd.clusterBirth[P - n] >= lambda) P = pd.clusterParent[P - n];
    }
    const lab = pd.clusterLabel[P - n];
    labels[i] = lab;
    if (lab < 0) { probabilities[i] = 0; continue; }
    const sl = pd.selLmax[P - n];
    probabilities[i] = sl === 0 ? 1 : (lambda < sl ? lambda : sl) / sl;
  }
  return { labels, probabilities };
}

/** §13.3 membership_vector for m new points: m x K row-major (approximate soft labels). */
export function membershipVectorPoints(pd: PredictionData, x: Float64Array, q: Float64Array, m: number, n: number): Float64Array {
  const K = pd.selected.length;
  const out = new Float64Array(m * K);
  if (K === 0) return out;
  const mh = mergeHeights(pd, n);
  const ix = exemplarIndex(pd, x);
  const s = queryScratch(pd), dim = pd.tree.dim;
  const h = new Float64Array(K), o = new Float64Array(K);
  for (let i = 0; i < m; i++) {
    let { nn, lambda } = nearestMr(pd, q, i * dim, s);
    if (pd.pointLambda[nn] <= lambda) lambda = pd.pointLambda[nn];
    const P = pd.pointParent[nn] - n;
    const oo = i * K;
    distanceTerm(ix, K, q, i * dim, out, oo);
    let hMax = -Infinity, cStar = 0;
    for (let c = 0; c < K; c++) {
      const v = mh[P * K + c];
      h[c] = v !== v ? lambda : v;
      if (h[c] > hMax) { hMax = h[c]; cStar = c; }
    }
    const ll = pd.leafLmax[P];
    // parity: hdbscan 0.8.43 passes lambda to its per-cluster outlier score as a C float (float32)
    const lam32 = Math.fround(lambda);
    let oMax = -Infinity;
    for (let c = 0; c < K; c++) {
      const v = mh[P * K + c];
      let den = ll - (v !== v ? lam32 : v);
      if (den <= 0) den = 1e-8;
      o[c] = ll / den;
      if (o[c] > oMax) oMax = o[c];
    }
    let oSum = 0;
    for (let c = 0; c < K; c++) { o[c] = Math.exp(o[c] - oMax); oSum += o[c]; }
    const lc = pd.leafLmax[pd.selected[cStar] - n];
    const pi = hMax / ((lambda > lc ? lambda : lc) + 1e-8);
    let sum = 0;
    for (let c = 0; c < K; c++) {
      const oc = o[c] / oSum;
      const v = Math.sqrt(out[oo + c]) * oc * oc;
      out[oo + c] = v; sum += v;
    }
    for (let c = 0; c < K; c++) out[oo + c] = (out[oo + c] / sum) * pi;
  }
  return out;
}

/** Row argmax of an m x K matrix, numpy semantics: first index on ties, first NaN if any. -1 if K = 0. */
export function rowArgmax(mat: Float64Array, m: number, K: number): Int32Array {
  const out = new Int32Array(m).fill(-1);
  if (K === 0) return out;
  for (let i = 0; i < m; i++) {
    const o = i * K;
    let best = 0, bv = mat[o];
    if (bv !== bv) { out[i] = 0; continue; }
    for (let c = 1; c < K; c++) {
      const v = mat[o + c];
      if (v !== v) { best = c; break; }
      if (v > bv) { bv = v; best = c; }
    }
    out[i] = best;
  }
  return out;
}
