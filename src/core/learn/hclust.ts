/**
 * Hierarchical clustering of transition-matrix rows into macro-clusters (pipeline.md §9), with
 * scipy 1.10 conventions (fixtures/learn/hclust/README.md):
 * - `pdistCorrelation`: 1 - Pearson correlation between rows, condensed upper-triangle order;
 * - `linkage`: scipy linkage matrix (n-1 rows [a, b, height, size], a < b, row i creates cluster
 *   n + i, rows in non-decreasing height). 'average', 'complete' and 'ward' use the nearest-neighbour
 *   chain algorithm and 'single' the minimum spanning tree, as scipy does, then a stable sort by
 *   height and a union-find relabelling, so merge pairs and tie order match scipy;
 * - `fcluster`: flat clusters at a distance cut (cophenetic distance <= t) with scipy's numbering;
 * - `dendrogramLeaves`: leaf order with scipy's distance_sort rule.
 * `macroClusters` runs the paper's recipe and handles zero-variance rows as the hclust README
 * proposes (left out of the linkage, each its own macro-cluster, with a warning).
 */

export type LinkageMethod = 'single' | 'complete' | 'average' | 'ward';

/** Index of pair (i, j), i != j, in a condensed distance vector of n points (scipy order). */
export function condensedIndex(n: number, i: number, j: number): number {
  if (i > j) { const t = i; i = j; j = t; }
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

/**
 * Correlation distances between the n rows of m columns of `rows` (row-major), condensed
 * (n (n-1) / 2 values). A pair involving a zero-variance row gives NaN (as scipy's pdist).
 */
export function pdistCorrelation(rows: Float64Array, n: number, m: number): Float64Array {
  if (rows.length < n * m) throw new RangeError(`pdistCorrelation: ${n} x ${m} needs ${n * m} values, got ${rows.length}`);
  const centred = new Float64Array(n * m);
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let mean = 0;
    for (let c = 0; c < m; c++) mean += rows[i * m + c];
    mean /= m;
    let s = 0;
    for (let c = 0; c < m; c++) { const v = rows[i * m + c] - mean; centred[i * m + c] = v; s += v * v; }
    norm[i] = Math.sqrt(s);
  }
  const out = new Float64Array((n * (n - 1)) / 2);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      for (let c = 0; c < m; c++) dot += centred[i * m + c] * centred[j * m + c];
      let r = dot / (norm[i] * norm[j]); // 0/0 -> NaN for a constant row
      if (r > 1) r = 1; else if (r < -1) r = -1;
      out[p++] = 1 - r;
    }
  }
  return out;
}

/**
 * Agglomerative clustering of n points from condensed distances (not modified). Returns the
 * (n-1) x 4 linkage matrix, row-major, in scipy's format and tie order. Distances must be finite.
 */
export function linkage(condensed: Float64Array, n: number, method: LinkageMethod = 'average'): Float64Array {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`linkage: need at least 2 observations, got ${n}`);
  if (condensed.length !== (n * (n - 1)) / 2) throw new RangeError(`linkage: ${n} points need ${(n * (n - 1)) / 2} distances, got ${condensed.length}`);
  for (let i = 0; i < condensed.length; i++) {
    if (!Number.isFinite(condensed[i])) throw new RangeError('linkage: the condensed distance matrix must contain only finite values');
  }
  const z = method === 'single' ? mstSingle(condensed, n) : nnChain(condensed, n, method);
  // Stable sort by height, then relabel representatives into cluster ids (scipy `label`).
  const rows = Array.from({ length: n - 1 }, (_, i) => i).sort((a, b) => z[a * 4 + 2] - z[b * 4 + 2] || a - b);
  const out = new Float64Array((n - 1) * 4);
  const parent = new Int32Array(2 * n - 1);
  const size = new Int32Array(2 * n - 1).fill(1);
  for (let i = 0; i < 2 * n - 1; i++) parent[i] = i;
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    while (parent[x] !== r) { const nx = parent[x]; parent[x] = r; x = nx; }
    return r;
  };
  let next = n;
  for (let q = 0; q < n - 1; q++) {
    const s = rows[q];
    const xr = find(z[s * 4]), yr = find(z[s * 4 + 1]);
    out[q * 4] = Math.min(xr, yr);
    out[q * 4 + 1] = Math.max(xr, yr);
    out[q * 4 + 2] = z[s * 4 + 2];
    parent[xr] = next; parent[yr] = next;
    size[next] = size[xr] + size[yr];
    out[q * 4 + 3] = size[next];
    next++;
  }
  return out;
}

/** Lance-Williams update of the distance from cluster i to the union of x and y. */
function updated(method: LinkageMethod, dxi: number, dyi: number, dxy: number, nx: number, ny: number, ni: number): number {
  switch (method) {
    case 'average': return (nx * dxi + ny * dyi) / (nx + ny);
    case 'complete': return dxi > dyi ? dxi : dyi;
    case 'ward': {
      const t = 1 / (nx + ny + ni);
      return Math.sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * dxy * dxy);
    }
    default: throw new RangeError(`linkage: method ${method} does not use the chain algorithm`);
  }
}

/**
 * Nearest-neighbour chain: merges reciprocal nearest neighbours; returns unsorted rows
 * [x, y, height, size] with x < y the representatives (original indices) of the merged clusters.
 * Ties keep the previous chain element, then the lowest index, as scipy's `nn_chain`.
 */
function nnChain(condensed: Float64Array, n: number, method: LinkageMethod): Float64Array {
  const d = Float64Array.from(condensed);
  const z = new Float64Array((n - 1) * 4);
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  let len = 0;
  for (let k = 0; k < n - 1; k++) {
    if (len === 0) {
      for (let i = 0; i < n; i++) if (size[i] > 0) { chain[0] = i; break; }
      len = 1;
    }
    let x = 0, y = 0, best = Infinity;
    for (;;) {
      x = chain[len - 1];
      if (len > 1) { y = chain[len - 2]; best = d[condensedIndex(n, x, y)]; } else best = Infinity;
      for (let i = 0; i < n; i++) {
        if (size[i] === 0 || i === x) continue;
        const v = d[condensedIndex(n, x, i)];
        if (v < best) { best = v; y = i; }
      }
      if (len > 1 && y === chain[len - 2]) break;
      chain[len++] = y;
    }
    len -= 2;
    if (x > y) { const t = x; x = y; y = t; }
    const nx = size[x], ny = size[y];
    z[k * 4] = x; z[k * 4 + 1] = y; z[k * 4 + 2] = best; z[k * 4 + 3] = nx + ny;
    size[x] = 0;
    size[y] = nx + ny;
    for (let i = 0; i < n; i++) {
      const ni = size[i];
      if (ni === 0 || i === y) continue;
      const ix = condensedIndex(n, i, x), iy = condensedIndex(n, i, y);
      d[iy] = updated(method, d[ix], d[iy], best, nx, ny, ni);
    }
  }
  return z;
}

/** Single linkage by Prim's minimum spanning tree over the condensed matrix (scipy `mst_single_linkage`). */
function mstSingle(condensed: Float64Array, n: number): Float64Array {
  const z = new Float64Array((n - 1) * 4);
  const merged = new Uint8Array(n);
  const dist = new Float64Array(n).fill(Infinity);
  let x = 0;
  for (let k = 0; k < n - 1; k++) {
    merged[x] = 1;
    let best = Infinity, y = -1;
    for (let i = 0; i < n; i++) {
      if (merged[i]) continue;
      const v = condensed[condensedIndex(n, x, i)];
      if (dist[i] > v) dist[i] = v;
      if (dist[i] < best || y < 0) { best = dist[i]; y = i; }
    }
    z[k * 4] = x; z[k * 4 + 1] = y; z[k * 4 + 2] = best;
    x = y;
  }
  return z;
}

/**
 * Flat clusters with scipy's fcluster(Z, t, criterion='distance') semantics and numbering:
 * leaves joined by merges of height <= t share a cluster. Ids are 1-based, assigned by a
 * depth-first walk from the root (hclust README "fcluster numbering").
 */
export function fcluster(z: Float64Array, n: number, t: number): Int32Array {
  const out = new Int32Array(n);
  if (n === 1) { out[0] = 1; return out; }
  if (z.length < (n - 1) * 4) throw new RangeError(`fcluster: linkage of ${n} points needs ${(n - 1) * 4} values`);
  // Largest merge height inside each node (heights are monotone for these methods, but do not rely on it).
  const maxDist = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    let m = z[i * 4 + 2];
    for (const c of [z[i * 4], z[i * 4 + 1]]) if (c >= n && maxDist[c - n] > m) m = maxDist[c - n];
    maxDist[i] = m;
  }
  const visited = new Uint8Array(2 * n - 1);
  const stack = new Int32Array(n);
  let k = 0, leader = -1, nCluster = 0;
  stack[0] = 2 * n - 2;
  while (k >= 0) {
    const node = stack[k] - n;
    const lc = z[node * 4], rc = z[node * 4 + 1];
    if (leader === -1 && maxDist[node] <= t) { leader = node; nCluster++; }
    if (lc >= n && !visited[lc]) { visited[lc] = 1; stack[++k] = lc; continue; }
    if (rc >= n && !visited[rc]) { visited[rc] = 1; stack[++k] = rc; continue; }
    if (lc < n) { if (leader === -1) nCluster++; out[lc] = nCluster; }
    if (rc < n) { if (leader === -1) nCluster++; out[rc] = nCluster; }
    if (leader === node) leader = -1;
    k--;
  }
  return out;
}

/**
 * Dendrogram leaf order, left to right (scipy `dendrogram(...)['leaves']`). With 'ascending' the
 * child with the larger merge height (a leaf counts 0) goes right; 'descending' the reverse;
 * 'none' keeps Z[i,0] left of Z[i,1].
 */
export function dendrogramLeaves(z: Float64Array, n: number, distanceSort: 'ascending' | 'descending' | 'none' = 'ascending'): Int32Array {
  const out = new Int32Array(n);
  if (n === 1) return out;
  const height = (c: number) => (c >= n ? z[(c - n) * 4 + 2] : 0);
  let p = 0;
  const stack: number[] = [2 * n - 2];
  while (stack.length) {
    const c = stack.pop() as number;
    if (c < n) { out[p++] = c; continue; }
    let left = z[(c - n) * 4], right = z[(c - n) * 4 + 1];
    if ((distanceSort === 'ascending' && height(left) > height(right)) ||
        (distanceSort === 'descending' && height(left) < height(right))) {
      const t = left; left = right; right = t;
    }
    stack.push(right, left); // left is visited first
  }
  return out;
}

export interface MacroParams {
  /** Linkage method; the paper: 'average'. */
  method?: LinkageMethod;
  /** Cut height t; rows whose cophenetic distance is <= t are merged (scipy). The paper: 1. */
  cut?: number;
  /** Columns per row; default k (a square transition matrix). */
  columns?: number;
}

export interface MacroClustering {
  /** Number of micro-clusters (rows). */
  n: number;
  /** Rows with variance (the dendrogram's leaves), ascending. */
  keptRows: Int32Array;
  /** Zero-variance rows (all zeros, or constant): no correlation defined, each its own macro-cluster. */
  excludedRows: Int32Array;
  /** Condensed correlation distances between kept rows (indices within keptRows). */
  distances: Float64Array;
  /** scipy linkage of the kept rows (indices within keptRows); empty if fewer than 2 rows are kept. */
  linkage: Float64Array;
  /** Dendrogram leaves (distance_sort ascending) as original row numbers. */
  leaves: Int32Array;
  /** The cut used. */
  cut: number;
  /**
   * Per row, scipy's fcluster id (1-based) for kept rows and, after them, one new id per excluded
   * row in row order (hclust README "proposed project behaviour").
   */
  fclusterIds: Int32Array;
  /** Per row, 0-based macro label numbered by the smallest micro label it contains (pipeline.md §9). */
  macroLabels: Int32Array;
  nMacro: number;
  warnings: string[];
}

/**
 * The paper's micro -> macro step on a k x k row-normalised transition matrix P (row-major;
 * pipeline.md §9): correlation distances between rows, linkage (default average), cut at t
 * (default 1). Scaling P (e.g. x 100) does not change the result beyond rounding.
 */
export function macroClusters(p: Float64Array, k: number, params: MacroParams = {}): MacroClustering {
  const method = params.method ?? 'average';
  const cut = params.cut ?? 1;
  const cols = params.columns ?? k;
  if (!Number.isInteger(k) || k < 1 || !Number.isInteger(cols) || cols < 1) throw new RangeError(`macroClusters: bad matrix size ${k} x ${cols}`);
  if (p.length < k * cols) throw new RangeError(`macroClusters: ${k} x ${cols} needs ${k * cols} values, got ${p.length}`);
  if (!Number.isFinite(cut)) throw new RangeError(`macroClusters: cut must be finite, got ${cut}`);
  const kept: number[] = [], excluded: number[] = [];
  for (let a = 0; a < k; a++) {
    let mn = Infinity, mx = -Infinity;
    for (let b = 0; b < cols; b++) {
      const v = p[a * cols + b];
      if (!Number.isFinite(v)) throw new RangeError(`macroClusters: non-finite entry at [${a}, ${b}]`);
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    (mx === mn ? excluded : kept).push(a);
  }
  const warnings: string[] = [];
  if (excluded.length) {
    warnings.push(`rows ${excluded.join(', ')} have no transition statistics (constant row): each is its own macro-cluster`);
  }
  const nk = kept.length;
  const sub = new Float64Array(nk * cols);
  kept.forEach((r, i) => sub.set(p.subarray(r * cols, r * cols + cols), i * cols));
  const fclusterIds = new Int32Array(k);
  let distances: Float64Array = new Float64Array(0), z: Float64Array = new Float64Array(0), leaves: Int32Array = new Int32Array(0);
  let nextId = 1;
  if (nk >= 2) {
    distances = pdistCorrelation(sub, nk, cols);
    z = linkage(distances, nk, method);
    const ids = fcluster(z, nk, cut);
    kept.forEach((r, i) => { fclusterIds[r] = ids[i]; if (ids[i] >= nextId) nextId = ids[i] + 1; });
    leaves = dendrogramLeaves(z, nk, 'ascending').map((i) => kept[i]);
  } else {
    if (nk === 1) warnings.push('fewer than 2 rows with transition statistics: no dendrogram');
    kept.forEach((r) => { fclusterIds[r] = nextId++; });
    leaves = Int32Array.from(kept);
  }
  for (const r of excluded) fclusterIds[r] = nextId++;
  // Canonical numbering: by the smallest row (micro label) each macro-cluster contains.
  const macroOf = new Map<number, number>();
  const macroLabels = new Int32Array(k);
  for (let a = 0; a < k; a++) {
    let m = macroOf.get(fclusterIds[a]);
    if (m === undefined) { m = macroOf.size; macroOf.set(fclusterIds[a], m); }
    macroLabels[a] = m;
  }
  return { n: k, keptRows: Int32Array.from(kept), excludedRows: Int32Array.from(excluded), distances, linkage: z, leaves, cut,
    fclusterIds, macroLabels, nMacro: macroOf.size, warnings };
}

/** Geometry of a dendrogram, independent of orientation and drawing (scipy's icoord/dcoord idea). */
export interface DendrogramLayout {
  /** Position of each original point along the leaf axis: leaf order index (0..n-1). */
  leafPosition: Float64Array;
  /** Per linkage row i (cluster n + i): position along the leaf axis (mean of its children) and height. */
  nodePosition: Float64Array;
  nodeHeight: Float64Array;
  /**
   * Per linkage row, the four points of its "U" link as (position, height) pairs:
   * (left child, its height), (left, h), (right, h), (right child, its height); 8 numbers per row.
   * Left/right follow `leaves` (the same distance_sort as the leaf order).
   */
  links: Float64Array;
}

/**
 * Lays out the dendrogram of linkage `z` (n points) with the leaf order `leaves` (from
 * dendrogramLeaves): leaves at positions 0..n-1, each node centred over its two children.
 */
export function dendrogramLayout(z: Float64Array, n: number, leaves: Int32Array): DendrogramLayout {
  if (leaves.length !== n) throw new RangeError(`dendrogramLayout: ${leaves.length} leaves for ${n} points`);
  const leafPosition = new Float64Array(n);
  leaves.forEach((leaf, q) => { leafPosition[leaf] = q; });
  const m = Math.max(0, n - 1);
  const nodePosition = new Float64Array(m), nodeHeight = new Float64Array(m), links = new Float64Array(m * 8);
  const pos = (c: number) => (c < n ? leafPosition[c] : nodePosition[c - n]);
  const hgt = (c: number) => (c < n ? 0 : nodeHeight[c - n]);
  for (let i = 0; i < m; i++) { // children always precede their parent in a linkage matrix
    let a = z[i * 4], b = z[i * 4 + 1];
    if (pos(a) > pos(b)) { const t = a; a = b; b = t; }
    const h = z[i * 4 + 2];
    nodeHeight[i] = h;
    nodePosition[i] = (pos(a) + pos(b)) / 2;
    links.set([pos(a), hgt(a), pos(a), h, pos(b), h, pos(b), hgt(b)], i * 8);
  }
  return { leafPosition, nodePosition, nodeHeight, links };
}
