/**
 * From the MST to labels (hdbscan.md §4-§10): single-linkage tree, condensed tree, stability,
 * EOM / leaf selection, labels, membership probabilities and GLOSH outlier scores.
 * All arrays are indexed as the spec says: points 0..n-1, linkage nodes n..2n-2, condensed
 * clusters n..n+nClusters-1 (root n). Everything is O(n) after the sort, with array-based trees.
 */
import type { MstEdges } from './mst.ts';

/**
 * scipy linkage format, (n-1) x 4 row-major: [left, right, distance, size]; row k creates node n+k.
 * Edges are sorted by weight ascending, ties by their order in `mst` (hdbscan.md §4).
 */
export function singleLinkage(mst: MstEdges, n: number): Float64Array {
  const m = mst.w.length;
  const idx = Array.from({ length: m }, (_, i) => i);
  const w = mst.w;
  idx.sort((p, q) => w[p] - w[q] || p - q);
  const out = new Float64Array(m * 4);
  const parent = new Int32Array(2 * n - 1 > 0 ? 2 * n - 1 : 1);
  const size = new Int32Array(parent.length);
  for (let i = 0; i < parent.length; i++) { parent[i] = i; size[i] = i < n ? 1 : 0; }
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    while (parent[x] !== r) { const nx = parent[x]; parent[x] = r; x = nx; }
    return r;
  };
  for (let k = 0; k < m; k++) {
    const e = idx[k];
    const ra = find(mst.a[e]), rb = find(mst.b[e]);
    const node = n + k;
    parent[ra] = node; parent[rb] = node;
    size[node] = size[ra] + size[rb];
    out[4 * k] = ra; out[4 * k + 1] = rb; out[4 * k + 2] = w[e]; out[4 * k + 3] = size[node];
  }
  return out;
}

/** Condensed tree rows (parent, child, lambda, childSize); child < n is a point (§5). */
export interface CondensedTree {
  parent: Int32Array;
  child: Int32Array;
  lambda: Float64Array;
  childSize: Int32Array;
  /** number of condensed clusters, root included (ids n .. n + nClusters - 1) */
  nClusters: number;
}

/** §5: breadth-first from the root; new cluster ids in traversal order, left before right. */
export function condenseTree(slt: Float64Array, n: number, minClusterSize: number): CondensedTree {
  const cap = 2 * n;
  const rp = new Int32Array(cap), rc = new Int32Array(cap), rs = new Int32Array(cap);
  const rl = new Float64Array(cap);
  let nr = 0;
  if (n < 2) return { parent: rp.slice(0, 0), child: rc.slice(0, 0), lambda: rl.slice(0, 0), childSize: rs.slice(0, 0), nClusters: 1 };
  const root = 2 * n - 2;
  const relabel = new Int32Array(2 * n - 1);
  relabel[root] = n;
  let nextLabel = n + 1;
  const queue = new Int32Array(2 * n - 1);
  let qh = 0, qt = 0;
  queue[qt++] = root;
  const sub = new Int32Array(2 * n - 1); // stack for falling-out subtrees
  const sizeOf = (node: number) => (node < n ? 1 : slt[4 * (node - n) + 3]);
  const emitPoints = (from: number, parentLabel: number, lam: number) => {
    let sp = 0;
    sub[sp++] = from;
    while (sp > 0) {
      const v = sub[--sp];
      if (v < n) {
        rp[nr] = parentLabel; rc[nr] = v; rl[nr] = lam; rs[nr] = 1; nr++;
      } else {
        const r = 4 * (v - n);
        sub[sp++] = slt[r + 1];
        sub[sp++] = slt[r];
      }
    }
  };
  while (qh < qt) {
    const node = queue[qh++];
    if (node < n) continue;
    const r = 4 * (node - n);
    const left = slt[r], right = slt[r + 1], dist = slt[r + 2];
    const lam = dist > 0 ? 1 / dist : Infinity;
    const sl = sizeOf(left), sr = sizeOf(right);
    const label = relabel[node];
    if (sl >= minClusterSize && sr >= minClusterSize) {
      relabel[left] = nextLabel++;
      rp[nr] = label; rc[nr] = relabel[left]; rl[nr] = lam; rs[nr] = sl; nr++;
      relabel[right] = nextLabel++;
      rp[nr] = label; rc[nr] = relabel[right]; rl[nr] = lam; rs[nr] = sr; nr++;
      queue[qt++] = left; queue[qt++] = right;
    } else if (sl < minClusterSize && sr < minClusterSize) {
      emitPoints(left, label, lam);
      emitPoints(right, label, lam);
    } else if (sl < minClusterSize) {
      relabel[right] = label;
      emitPoints(left, label, lam);
      queue[qt++] = right;
    } else {
      relabel[left] = label;
      emitPoints(right, label, lam);
      queue[qt++] = left;
    }
  }
  return {
    parent: rp.slice(0, nr), child: rc.slice(0, nr), lambda: rl.slice(0, nr), childSize: rs.slice(0, nr),
    nClusters: nextLabel - n,
  };
}

/** Per-cluster structure derived from the condensed tree (index = cluster id - n). */
export interface ClusterTree {
  /** parent cluster id (-1 for the root) */
  parent: Int32Array;
  /** birth lambda (0 for the root) */
  birth: Float64Array;
  /** number of points (n for the root) */
  size: Int32Array;
  /** first child cluster id or -1; children of a split are consecutive ids (left, left + 1) */
  firstChild: Int32Array;
  /** max lambda over rows whose parent is the cluster (§11 leaf_lmax, §9 lmax) */
  leafLmax: Float64Array;
  /** max lambda over all rows in the cluster's subtree (§10) */
  subtreeLmax: Float64Array;
  /** S(C) of §6 */
  stability: Float64Array;
  /** per point: direct parent cluster and lambda of its row */
  pointParent: Int32Array;
  pointLambda: Float64Array;
}

export function clusterTreeOf(ct: CondensedTree, n: number): ClusterTree {
  const m = ct.nClusters;
  const parent = new Int32Array(m).fill(-1), birth = new Float64Array(m), size = new Int32Array(m);
  const firstChild = new Int32Array(m).fill(-1), leafLmax = new Float64Array(m), stability = new Float64Array(m);
  const pointParent = new Int32Array(n).fill(-1), pointLambda = new Float64Array(n);
  size[0] = n;
  const R = ct.parent.length;
  for (let i = 0; i < R; i++) {
    const c = ct.child[i];
    if (ct.childSize[i] > 1 || c >= n) {
      const k = c - n;
      parent[k] = ct.parent[i]; birth[k] = ct.lambda[i]; size[k] = ct.childSize[i];
      const p = ct.parent[i] - n;
      if (firstChild[p] < 0 || c < firstChild[p]) firstChild[p] = c;
    } else {
      pointParent[c] = ct.parent[i]; pointLambda[c] = ct.lambda[i];
    }
  }
  for (let i = 0; i < R; i++) {
    const p = ct.parent[i] - n, lam = ct.lambda[i];
    if (lam > leafLmax[p]) leafLmax[p] = lam;
    stability[p] += (lam - birth[p]) * ct.childSize[i];
  }
  const subtreeLmax = leafLmax.slice();
  for (let k = m - 1; k > 0; k--) {
    const p = parent[k] - n;
    if (subtreeLmax[k] > subtreeLmax[p]) subtreeLmax[p] = subtreeLmax[k];
  }
  return { parent, birth, size, firstChild, leafLmax, subtreeLmax, stability, pointParent, pointLambda };
}

export interface SelectionParams {
  method: 'eom' | 'leaf';
  allowSingleCluster: boolean;
  clusterSelectionEpsilon: number;
  maxClusterSize: number;
}

/**
 * §7: selected cluster ids, ascending. Also returns the stabilities after the EOM pass
 * (for cluster_persistence_).
 */
export function selectClusters(c: ClusterTree, n: number, p: SelectionParams): { selected: Int32Array; eomStability: Float64Array } {
  const m = c.parent.length;
  const mark = new Uint8Array(m);
  const stab = c.stability.slice();
  const hasSplit = m > 1;
  if (p.method === 'eom') {
    const lowest = p.allowSingleCluster ? 0 : 1;
    for (let k = m - 1; k >= lowest; k--) {
      const fc = c.firstChild[k];
      // parity: hdbscan sums the children's stabilities in a C float (fixtures README, EOM note)
      let sub = 0;
      // the root's size for max_cluster_size is the sum of its child clusters' sizes (§7)
      let size = k === 0 ? 0 : c.size[k];
      if (fc >= 0) {
        sub = Math.fround(Math.fround(sub + stab[fc - n]) + stab[fc - n + 1]);
        if (k === 0) size = c.size[fc - n] + c.size[fc - n + 1];
      }
      if (sub > stab[k] || (p.maxClusterSize > 0 && size > p.maxClusterSize)) {
        mark[k] = 0;
        stab[k] = sub;
      } else {
        mark[k] = 1;
      }
    }
  } else {
    if (hasSplit) {
      for (let k = 1; k < m; k++) if (c.firstChild[k] < 0) mark[k] = 1;
    } else if (p.allowSingleCluster) {
      mark[0] = 1;
    }
  }
  // A marked cluster with a marked ancestor is dropped (EOM: "all its descendants are deselected").
  dropCovered(c, n, mark);
  if (p.clusterSelectionEpsilon > 0 && hasSplit) {
    // hdbscan 0.8.x: with EOM, a root-only selection skips the epsilon search
    if (p.method === 'eom' && mark[0] === 1) {
      // root alone (it covers everything): keep as is
    } else {
      epsilonSearch(c, n, mark, p.clusterSelectionEpsilon, p.allowSingleCluster);
      dropCovered(c, n, mark);
    }
  }
  let count = 0;
  for (let k = 0; k < m; k++) if (mark[k]) count++;
  const selected = new Int32Array(count);
  let j = 0;
  for (let k = 0; k < m; k++) if (mark[k]) selected[j++] = k + n;
  return { selected, eomStability: stab };
}

function dropCovered(c: ClusterTree, n: number, mark: Uint8Array): void {
  const m = mark.length;
  const covered = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    if (k > 0 && covered[c.parent[k] - n] === 1) { covered[k] = 1; mark[k] = 0; continue; }
    if (mark[k]) covered[k] = 1;
  }
}

/** §7 epsilon: replace selected clusters born below distance epsilon by a suitable ancestor. */
function epsilonSearch(c: ClusterTree, n: number, mark: Uint8Array, eps: number, allowSingle: boolean): void {
  const m = mark.length;
  const out = new Uint8Array(m);
  const processed = new Uint8Array(m);
  const isDesc = (k: number, anc: number) => {
    let v = k;
    while (v > anc) v = c.parent[v] - n;
    return v === anc;
  };
  for (let k = 0; k < m; k++) {
    if (!mark[k]) continue;
    const birthDist = c.birth[k] > 0 ? 1 / c.birth[k] : Infinity;
    if (birthDist < eps) {
      if (processed[k]) continue;
      let leaf = k, target = -1;
      for (;;) {
        const par = c.parent[leaf] - n;
        if (par <= 0) { target = allowSingle ? 0 : leaf; break; }
        const parDist = c.birth[par] > 0 ? 1 / c.birth[par] : Infinity;
        if (parDist > eps) { target = par; break; }
        leaf = par;
      }
      out[target] = 1;
      for (let d = target + 1; d < m; d++) if (isDesc(d, target)) processed[d] = 1;
    } else {
      out[k] = 1;
    }
  }
  mark.set(out);
}

export interface Labelling {
  labels: Int32Array;
  probabilities: Float64Array;
  /** label per cluster id - n: the label of the selected cluster at or above it, else -1 (§11 label map) */
  clusterLabel: Int32Array;
}

/** §8 labels and §9 probabilities. */
export function labelPoints(c: ClusterTree, n: number, selected: Int32Array, allowSingleCluster: boolean,
  clusterSelectionEpsilon: number): Labelling {
  const m = c.parent.length;
  const clusterLabel = new Int32Array(m).fill(-1);
  const own = new Int32Array(m).fill(-1);
  for (let i = 0; i < selected.length; i++) own[selected[i] - n] = i;
  for (let k = 0; k < m; k++) {
    if (own[k] >= 0) clusterLabel[k] = own[k];
    else if (k > 0) clusterLabel[k] = clusterLabel[c.parent[k] - n];
  }
  // the selected cluster a label belongs to, for lmax (§9)
  const labels = new Int32Array(n), probabilities = new Float64Array(n);
  const rootOnly = selected.length === 1 && selected[0] === n;
  const rootThreshold = clusterSelectionEpsilon > 0 ? 1 / clusterSelectionEpsilon : c.leafLmax[0];
  for (let x = 0; x < n; x++) {
    const P = c.pointParent[x] - n;
    let lab = clusterLabel[P];
    const lam = c.pointLambda[x];
    // hdbscan 0.8.x do_labelling: when the root is the only selected cluster every point's
    // union-find root is the root, so the lambda test applies to all points (the spec words it
    // for points whose parent is the root; the library's reading is kept).
    if (rootOnly && allowSingleCluster && !(lam >= rootThreshold)) lab = -1;
    labels[x] = lab;
    if (lab < 0) { probabilities[x] = 0; continue; }
    const lmax = c.leafLmax[selected[lab] - n];
    if (lmax === 0 || lam === Infinity) probabilities[x] = 1;
    else probabilities[x] = (lam < lmax ? lam : lmax) / lmax;
  }
  return { labels, probabilities, clusterLabel };
}

/** §10 GLOSH outlier scores. */
export function outlierScores(c: ClusterTree, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    const dmax = c.subtreeLmax[c.pointParent[x] - n];
    const lam = c.pointLambda[x];
    out[x] = dmax === 0 || lam === Infinity ? 0 : (dmax - lam) / dmax;
  }
  return out;
}

/**
 * cluster_persistence_ (fixtures README): S(c) / (points labelled c x max lambda of the tree),
 * 1 where that max is infinite.
 */
export function clusterPersistence(c: ClusterTree, selected: Int32Array, eomStability: Float64Array,
  labels: Int32Array, n: number): Float64Array {
  const K = selected.length;
  const counts = new Float64Array(K);
  for (let x = 0; x < labels.length; x++) if (labels[x] >= 0) counts[labels[x]]++;
  let maxL = 0;
  for (let k = 0; k < c.leafLmax.length; k++) if (c.leafLmax[k] > maxL) maxL = c.leafLmax[k];
  const out = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    out[i] = maxL === Infinity ? 1 : eomStability[selected[i] - n] / (counts[i] * maxL);
  }
  return out;
}
