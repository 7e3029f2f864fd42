/**
 * A static kd-tree over row-major float64 points, built once per fit (hdbscan.md §1, §3, §13).
 *
 * Layout: the points are copied in tree order into `pts` (row-major, `dim` values per point), so a
 * leaf's points are contiguous in memory; `perm[treePos]` is the original row. Nodes are stored in
 * pre-order (a parent before its children), with tight bounding boxes `lo`/`hi` (`nNodes x dim`).
 * Splits are at the median position of the widest box side, so leaves hold between
 * ceil(leafSize/2) and leafSize points and the depth is about log2(n / leafSize).
 * Everything is plain typed arrays, so a tree can be cloned, transferred and saved with a model.
 */
export interface KdTree {
  n: number;
  dim: number;
  leafSize: number;
  nNodes: number;
  /** points in tree order, row-major (n x dim) */
  pts: Float64Array;
  /** perm[treePos] = original row index */
  perm: Int32Array;
  /** nodeStart[i] <= treePos < nodeEnd[i] are the points of node i */
  nodeStart: Int32Array;
  nodeEnd: Int32Array;
  /** child node indices; -1 for a leaf (both children exist or neither) */
  nodeLeft: Int32Array;
  nodeRight: Int32Array;
  /** tight bounding boxes, nNodes x dim */
  lo: Float64Array;
  hi: Float64Array;
}

/** Default leaf size: measured on the cu20k sample (16 to 40 are within 10 % of each other). */
export const KD_LEAF_SIZE = 24;

/**
 * Stack depth bound for traversals: a node with more than leafSize points splits into halves, so
 * the depth is at most log2(n) + 1 <= 33 for n < 2^32; a depth-first walk that pushes both
 * children holds at most depth + 1 entries. 128 leaves a wide margin.
 */
export const KD_STACK = 128;

/** Builds the tree. `x` is row-major (n x dim) and is not modified. */
export function buildKdTree(x: Float64Array, n: number, dim: number, leafSize = KD_LEAF_SIZE): KdTree {
  if (leafSize < 2) throw new RangeError(`kd-tree leaf size must be >= 2, got ${leafSize}`);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  // Each leaf of a split node has >= leafSize/2 points, so there are <= 2n/leafSize leaves.
  const maxNodes = 4 * Math.ceil(n / leafSize) + 4;
  const nodeStart = new Int32Array(maxNodes);
  const nodeEnd = new Int32Array(maxNodes);
  const nodeLeft = new Int32Array(maxNodes).fill(-1);
  const nodeRight = new Int32Array(maxNodes).fill(-1);
  const lo = new Float64Array(maxNodes * dim);
  const hi = new Float64Array(maxNodes * dim);
  let nNodes = 1;
  nodeStart[0] = 0;
  nodeEnd[0] = n;
  // Pre-order construction with an explicit stack of node ids.
  const stack = new Int32Array(KD_STACK);
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const node = stack[--sp];
    const s = nodeStart[node], e = nodeEnd[node];
    const bo = node * dim;
    for (let d = 0; d < dim; d++) { lo[bo + d] = Infinity; hi[bo + d] = -Infinity; }
    for (let i = s; i < e; i++) {
      const r = perm[i] * dim;
      for (let d = 0; d < dim; d++) {
        const v = x[r + d];
        if (v < lo[bo + d]) lo[bo + d] = v;
        if (v > hi[bo + d]) hi[bo + d] = v;
      }
    }
    if (e - s <= leafSize) continue;
    let sd = 0, spread = -1;
    for (let d = 0; d < dim; d++) {
      const w = hi[bo + d] - lo[bo + d];
      if (w > spread) { spread = w; sd = d; }
    }
    const mid = (s + e) >> 1;
    selectNth(x, dim, perm, s, e - 1, mid, sd);
    const l = nNodes++, r = nNodes++;
    nodeStart[l] = s; nodeEnd[l] = mid;
    nodeStart[r] = mid; nodeEnd[r] = e;
    nodeLeft[node] = l; nodeRight[node] = r;
    // Push right first so the left subtree gets the lower ids (pre-order).
    stack[sp++] = r;
    stack[sp++] = l;
  }
  const pts = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    const r = perm[i] * dim, o = i * dim;
    for (let d = 0; d < dim; d++) pts[o + d] = x[r + d];
  }
  return {
    n, dim, leafSize, nNodes, pts, perm,
    nodeStart: nodeStart.slice(0, nNodes), nodeEnd: nodeEnd.slice(0, nNodes),
    nodeLeft: nodeLeft.slice(0, nNodes), nodeRight: nodeRight.slice(0, nNodes),
    lo: lo.slice(0, nNodes * dim), hi: hi.slice(0, nNodes * dim),
  };
}

/**
 * Rearranges perm[left..right] so that perm[k] holds the point whose coordinate `d` ranks k-th,
 * smaller-or-equal ones before it and larger-or-equal after (Hoare partition, median-of-three
 * pivot; deterministic).
 */
function selectNth(x: Float64Array, dim: number, perm: Int32Array, left: number, right: number, k: number, d: number): void {
  while (right > left) {
    const m = (left + right) >> 1;
    const a = x[perm[left] * dim + d], b = x[perm[m] * dim + d], c = x[perm[right] * dim + d];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    let i = left, j = right;
    while (i <= j) {
      while (x[perm[i] * dim + d] < pivot) i++;
      while (x[perm[j] * dim + d] > pivot) j--;
      if (i <= j) {
        const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        i++; j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/** Squared distance from point q (offset qo in `q`) to the box of node `node`. */
export function boxDist2(t: KdTree, node: number, q: Float64Array, qo: number): number {
  const dim = t.dim, lo = t.lo, hi = t.hi, bo = node * dim;
  let s = 0;
  for (let d = 0; d < dim; d++) {
    const v = q[qo + d];
    const a = lo[bo + d] - v;
    if (a > 0) { s += a * a; continue; }
    const b = v - hi[bo + d];
    if (b > 0) s += b * b;
  }
  return s;
}

/** Reusable buffers of a k-nearest-neighbour query (one per caller; not re-entrant). */
export interface KnnScratch {
  k: number;
  /** max-heap of squared distances (heap[0] = largest kept) */
  heap: Float64Array;
  /** tree positions of the heap entries */
  heapIdx: Int32Array;
  stackNode: Int32Array;
  stackD2: Float64Array;
}

export function createKnnScratch(k: number): KnnScratch {
  return {
    k, heap: new Float64Array(k), heapIdx: new Int32Array(k),
    stackNode: new Int32Array(KD_STACK), stackD2: new Float64Array(KD_STACK),
  };
}

/**
 * The k nearest tree points of q (offset qo in q, which may be t.pts itself), counting a point at
 * distance 0 like any other. Fills s.heap/s.heapIdx as a max-heap of squared distances and returns
 * the number found (min(k, n)). No allocation.
 */
export function knnQuery(t: KdTree, q: Float64Array, qo: number, s: KnnScratch): number {
  const k = s.k, heap = s.heap, hidx = s.heapIdx, dim = t.dim, pts = t.pts, lo = t.lo, hi = t.hi;
  const nodeL = t.nodeLeft, nodeR = t.nodeRight, nodeS = t.nodeStart, nodeE = t.nodeEnd;
  const stN = s.stackNode, stD = s.stackD2;
  let size = 0;
  let sp = 0;
  stN[sp] = 0; stD[sp] = boxDist2(t, 0, q, qo); sp++;
  while (sp > 0) {
    sp--;
    const node = stN[sp];
    if (size === k && stD[sp] >= heap[0]) continue;
    const l = nodeL[node];
    if (l < 0) {
      for (let i = nodeS[node], e = nodeE[node], o = i * dim; i < e; i++, o += dim) {
        let d2 = 0;
        for (let d = 0; d < dim; d++) { const u = pts[o + d] - q[qo + d]; d2 += u * u; }
        if (size < k) {
          // sift up
          let c = size++;
          while (c > 0) {
            const p = (c - 1) >> 1;
            if (heap[p] >= d2) break;
            heap[c] = heap[p]; hidx[c] = hidx[p]; c = p;
          }
          heap[c] = d2; hidx[c] = i;
        } else if (d2 < heap[0]) {
          siftDownReplace(heap, hidx, k, d2, i);
        }
      }
      continue;
    }
    const r = nodeR[node];
    // squared distances from q to both children's boxes (inlined boxDist2)
    let dl = 0, dr = 0;
    for (let d = 0, bl = l * dim, br = r * dim; d < dim; d++) {
      const v = q[qo + d];
      let a = lo[bl + d] - v;
      if (a > 0) dl += a * a; else { a = v - hi[bl + d]; if (a > 0) dl += a * a; }
      let b = lo[br + d] - v;
      if (b > 0) dr += b * b; else { b = v - hi[br + d]; if (b > 0) dr += b * b; }
    }
    // Push the farther child first so the nearer one is visited next; skip a hopeless one.
    const full = size === k, bound = heap[0];
    if (dl <= dr) {
      if (!full || dr < bound) { stN[sp] = r; stD[sp] = dr; sp++; }
      stN[sp] = l; stD[sp] = dl; sp++;
    } else {
      if (!full || dl < bound) { stN[sp] = l; stD[sp] = dl; sp++; }
      stN[sp] = r; stD[sp] = dr; sp++;
    }
  }
  return size;
}

/**
 * The squared distance to the k-th nearest tree point of q (a point at distance 0 counts) and, in
 * s.heap, the k nearest squared distances as a max-heap. Like knnQuery without indices (the core
 * distance pass needs distances only, hdbscan.md §15), so the heap moves half the data.
 */
export function kthDist2(t: KdTree, q: Float64Array, qo: number, s: KnnScratch): number {
  const k = s.k, heap = s.heap, dim = t.dim, pts = t.pts, lo = t.lo, hi = t.hi;
  const nodeL = t.nodeLeft, nodeR = t.nodeRight, nodeS = t.nodeStart, nodeE = t.nodeEnd;
  const stN = s.stackNode, stD = s.stackD2;
  let size = 0;
  let top = Infinity; // heap[0] once the heap is full
  let sp = 0;
  stN[sp] = 0; stD[sp] = boxDist2(t, 0, q, qo); sp++;
  while (sp > 0) {
    sp--;
    if (stD[sp] >= top) continue;
    const node = stN[sp];
    const l = nodeL[node];
    if (l < 0) {
      for (let i = nodeS[node], e = nodeE[node], o = i * dim; i < e; i++, o += dim) {
        let d2 = 0;
        for (let d = 0; d < dim; d++) { const u = pts[o + d] - q[qo + d]; d2 += u * u; }
        if (size < k) {
          let c = size++;
          while (c > 0) {
            const p = (c - 1) >> 1;
            if (heap[p] >= d2) break;
            heap[c] = heap[p]; c = p;
          }
          heap[c] = d2;
          if (size === k) top = heap[0];
        } else if (d2 < top) {
          // replace the root and sift down
          let c = 0;
          for (;;) {
            const a = 2 * c + 1;
            if (a >= k) break;
            const b = a + 1;
            const m = b < k && heap[b] > heap[a] ? b : a;
            if (heap[m] <= d2) break;
            heap[c] = heap[m]; c = m;
          }
          heap[c] = d2;
          top = heap[0];
        }
      }
      continue;
    }
    const r = nodeR[node];
    let dl = 0, dr = 0;
    for (let d = 0, bl = l * dim, br = r * dim; d < dim; d++) {
      const v = q[qo + d];
      let a = lo[bl + d] - v;
      if (a > 0) dl += a * a; else { a = v - hi[bl + d]; if (a > 0) dl += a * a; }
      let b = lo[br + d] - v;
      if (b > 0) dr += b * b; else { b = v - hi[br + d]; if (b > 0) dr += b * b; }
    }
    if (dl <= dr) {
      if (dr < top) { stN[sp] = r; stD[sp] = dr; sp++; }
      stN[sp] = l; stD[sp] = dl; sp++;
    } else {
      if (dl < top) { stN[sp] = l; stD[sp] = dl; sp++; }
      stN[sp] = r; stD[sp] = dr; sp++;
    }
  }
  return top;
}

function siftDownReplace(heap: Float64Array, hidx: Int32Array, k: number, d2: number, id: number): void {
  let c = 0;
  for (;;) {
    const a = 2 * c + 1;
    if (a >= k) break;
    const b = a + 1;
    const m = b < k && heap[b] > heap[a] ? b : a;
    if (heap[m] <= d2) break;
    heap[c] = heap[m]; hidx[c] = hidx[m]; c = m;
  }
  heap[c] = d2; hidx[c] = id;
}

/**
 * Sorts the first `size` heap entries ascending by distance (ties by tree position) into
 * outD (distances, not squared) and outIdx (original rows). Destroys the heap.
 */
export function drainSorted(t: KdTree, s: KnnScratch, size: number, outD: Float64Array, outIdx: Int32Array): void {
  const heap = s.heap, hidx = s.heapIdx;
  for (let m = size - 1; m >= 0; m--) {
    // heap[0] is the largest among heap[0..m]; in case of equal distances take the largest position
    // so that equal distances come out in ascending tree position.
    const d2 = heap[0], id = hidx[0];
    outD[m] = Math.sqrt(d2);
    outIdx[m] = id;
    const lastD = heap[m], lastI = hidx[m];
    if (m > 0) siftDownReplace(heap, hidx, m, lastD, lastI);
  }
  // Stable order for exact ties: insertion sort by (distance, tree position); ties are rare.
  for (let i = 1; i < size; i++) {
    const d = outD[i], id = outIdx[i];
    let j = i - 1;
    while (j >= 0 && outD[j] === d && outIdx[j] > id) { outD[j + 1] = outD[j]; outIdx[j + 1] = outIdx[j]; j--; }
    outD[j + 1] = d; outIdx[j + 1] = id;
  }
  for (let i = 0; i < size; i++) outIdx[i] = t.perm[outIdx[i]];
}
