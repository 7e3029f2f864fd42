/**
 * Core distances (hdbscan.md §1) and exact minimum spanning trees of the mutual-reachability graph
 * (§2, §3): a kd-tree Boruvka for any n and a matrix-free Prim for small n (tests' cross-check).
 */
import { checkpoint, createReporter, type RunOptions } from '../../progress.ts';
import { boxDist2, createKnnScratch, kthDist2, KD_STACK, type KdTree } from './kd-tree.ts';

/** An MST as parallel arrays of n - 1 edges over original row indices. */
export interface MstEdges {
  a: Int32Array;
  b: Int32Array;
  w: Float64Array;
}

/** Queries between two checkpoints (cancel + progress) in the long loops. */
const CHUNK = 16384;

/**
 * Core distances in TREE order (index = tree position).
 * - `core`: distance to the (minSamples + 1)-th nearest point counting the point itself (hdbscan
 *   library, §1), or to the minSamples-th with `includeSelf` (Campello / scikit-learn convention).
 * - `predCore`: distance to the minSamples-th nearest counting itself (§11, prediction quirk).
 * `minSamples` must already be clipped to n - 1.
 */
export async function coreDistancesTree(t: KdTree, minSamples: number, includeSelf: boolean,
  o?: RunOptions): Promise<{ core: Float64Array; predCore: Float64Array }> {
  const n = t.n, k = minSamples + 1;
  const core = new Float64Array(n), predCore = new Float64Array(n);
  const s = createKnnScratch(k);
  const report = createReporter(o, 'core distances', n);
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    for (let i = start; i < end; i++) {
      kthDist2(t, t.pts, i * t.dim, s);
      const h = s.heap;
      // The heap holds exactly k entries: h[0] is the k-th distance, the larger of h[1], h[2] the (k-1)-th.
      const kth = h[0];
      const km1 = k === 2 ? h[1] : (h[1] > h[2] ? h[1] : h[2]);
      predCore[i] = Math.sqrt(km1);
      core[i] = includeSelf ? predCore[i] : Math.sqrt(kth);
    }
    report(end);
    if (o) await checkpoint(o);
  }
  return { core, predCore };
}

/** Union-find with path halving and union by size over 0..n-1. */
function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/**
 * Exact MST of the mutual-reachability graph by Boruvka rounds over the kd-tree.
 *
 * Each round finds, for every component, its cheapest outgoing edge; components merge (cycle edges
 * of equal weight skipped), so the tree weight is minimal and the multiset of weights is the one
 * every exact MST has. Per-point state makes later rounds cheap:
 * - `nbr/nbrW`: a point's exact cheapest outgoing edge; it stays valid while the neighbour is in
 *   another component, because a point's set of outgoing edges only shrinks as components merge;
 * - `lb`: a lower bound on that edge (monotone for the same reason), so a point whose bound is not
 *   below its component's best candidate is not searched at all.
 * Searches prune nodes that lie entirely in the query's component, and nodes whose lower bound
 * max(core(q), minCore(node), boxDist(q, node)/alpha) is not below the component's best.
 * `core` is in tree order. Returns edges over original rows, in the order found.
 */
export async function boruvkaMst(t: KdTree, core: Float64Array, alpha: number, o?: RunOptions): Promise<MstEdges> {
  const n = t.n, dim = t.dim, pts = t.pts, nNodes = t.nNodes;
  const nodeL = t.nodeLeft, nodeR = t.nodeRight, nodeS = t.nodeStart, nodeE = t.nodeEnd;
  const invAlpha = 1 / alpha;
  const outA = new Int32Array(Math.max(0, n - 1)), outB = new Int32Array(Math.max(0, n - 1));
  const outW = new Float64Array(Math.max(0, n - 1));
  if (n < 2) return { a: outA, b: outB, w: outW };

  // Minimum core distance per node (nodes are pre-order: children after parents).
  const minCore = new Float64Array(nNodes);
  for (let node = nNodes - 1; node >= 0; node--) {
    const l = nodeL[node];
    if (l < 0) {
      let m = Infinity;
      for (let i = nodeS[node]; i < nodeE[node]; i++) if (core[i] < m) m = core[i];
      minCore[node] = m;
    } else {
      const a = minCore[l], b = minCore[nodeR[node]];
      minCore[node] = a < b ? a : b;
    }
  }
  // Points in ascending core distance: low-core points give tight component bounds early.
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const orderArr = Array.from(order);
  orderArr.sort((p, q) => core[p] - core[q] || p - q);
  for (let i = 0; i < n; i++) order[i] = orderArr[i];

  const uf = new Int32Array(n), ufSize = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) uf[i] = i;
  const comp = new Int32Array(n);
  const nodeComp = new Int32Array(nNodes);
  const nbr = new Int32Array(n).fill(-1);
  const nbrW = new Float64Array(n);
  const lb = new Float64Array(n);
  for (let i = 0; i < n; i++) lb[i] = core[i];
  const bestW = new Float64Array(n).fill(Infinity);
  const bestA = new Int32Array(n).fill(-1), bestB = new Int32Array(n).fill(-1);
  const stN = new Int32Array(KD_STACK), stD = new Float64Array(KD_STACK);

  let nEdges = 0;
  const report = createReporter(o, 'mst', n - 1);
  let round = 0;
  while (nEdges < n - 1) {
    round++;
    for (let i = 0; i < n; i++) comp[i] = find(uf, i);
    for (let node = nNodes - 1; node >= 0; node--) {
      const l = nodeL[node];
      if (l < 0) {
        let c = comp[nodeS[node]];
        for (let i = nodeS[node] + 1; i < nodeE[node]; i++) if (comp[i] !== c) { c = -1; break; }
        nodeComp[node] = c;
      } else {
        const a = nodeComp[l];
        nodeComp[node] = a === nodeComp[nodeR[node]] ? a : -1;
      }
    }
    for (let i = 0; i < n; i++) {
      if (comp[i] === i) { bestW[i] = Infinity; bestA[i] = -1; bestB[i] = -1; }
    }
    // Cached exact edges that still leave their component.
    for (let i = 0; i < n; i++) {
      const j = nbr[i];
      if (j < 0) continue;
      const c = comp[i];
      if (comp[j] === c) { nbr[i] = -1; continue; }
      if (nbrW[i] < bestW[c]) { bestW[c] = nbrW[i]; bestA[c] = i; bestB[c] = j; }
    }
    for (let start = 0; start < n; start += CHUNK) {
      const end = Math.min(n, start + CHUNK);
      for (let oi = start; oi < end; oi++) {
        const q = order[oi];
        if (nbr[q] >= 0) continue;
        const cq = comp[q];
        let bound = bestW[cq];
        const cqCore = core[q];
        if (lb[q] >= bound) continue;
        const qo = q * dim;
        let found = -1;
        let sp = 0;
        stN[sp] = 0; stD[sp] = 0; sp++;
        while (sp > 0) {
          sp--;
          const node = stN[sp];
          if (nodeComp[node] === cq) continue;
          // lower bound of the mutual reachability to any point of the node
          let lbn = Math.sqrt(stD[sp]) * invAlpha;
          if (lbn < cqCore) lbn = cqCore;
          if (lbn < minCore[node]) lbn = minCore[node];
          if (lbn >= bound) continue;
          const l = nodeL[node];
          if (l < 0) {
            for (let j = nodeS[node], e = nodeE[node]; j < e; j++) {
              const cj = core[j];
              if (cj >= bound || comp[j] === cq) continue;
              const jo = j * dim;
              let d2 = 0;
              for (let d = 0; d < dim; d++) { const u = pts[jo + d] - pts[qo + d]; d2 += u * u; }
              let w = Math.sqrt(d2) * invAlpha;
              if (w < cqCore) w = cqCore;
              if (w < cj) w = cj;
              if (w < bound) { bound = w; found = j; }
            }
            if (bound <= cqCore) break; // nothing can beat core(q)
            continue;
          }
          const r = nodeR[node];
          const dl = boxDist2(t, l, pts, qo), dr = boxDist2(t, r, pts, qo);
          if (dl <= dr) {
            stN[sp] = r; stD[sp] = dr; sp++;
            stN[sp] = l; stD[sp] = dl; sp++;
          } else {
            stN[sp] = l; stD[sp] = dl; sp++;
            stN[sp] = r; stD[sp] = dr; sp++;
          }
        }
        if (found >= 0) {
          nbr[q] = found; nbrW[q] = bound; lb[q] = bound;
          bestW[cq] = bound; bestA[cq] = q; bestB[cq] = found;
        } else if (bound > lb[q]) {
          lb[q] = bound;
        }
      }
      if (o) await checkpoint(o);
    }
    // Merge along every component's cheapest edge, in a fixed order (component root ascending).
    let added = 0;
    for (let c = 0; c < n; c++) {
      if (comp[c] !== c || bestA[c] < 0) continue;
      const a = bestA[c], b = bestB[c];
      let ra = find(uf, a), rb = find(uf, b);
      if (ra === rb) continue;
      if (ufSize[ra] < ufSize[rb]) { const tmp = ra; ra = rb; rb = tmp; }
      uf[rb] = ra; ufSize[ra] += ufSize[rb];
      outA[nEdges] = t.perm[a]; outB[nEdges] = t.perm[b]; outW[nEdges] = bestW[c];
      nEdges++; added++;
    }
    report(nEdges);
    if (added === 0) throw new Error(`boruvka: no progress in round ${round} (non-finite distances?)`);
  }
  return { a: outA, b: outB, w: outW };
}

/**
 * Exact MST by Prim without a matrix: O(n^2 dim) time, O(n) memory (hdbscan.md §3). Inputs in
 * original order; `core` per original row. For small n and as an independent cross-check.
 */
export function primMst(x: Float64Array, n: number, dim: number, core: Float64Array, alpha: number): MstEdges {
  const a = new Int32Array(Math.max(0, n - 1)), b = new Int32Array(Math.max(0, n - 1));
  const w = new Float64Array(Math.max(0, n - 1));
  if (n < 2) return { a, b, w };
  const inTree = new Uint8Array(n);
  const dist = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n).fill(-1);
  let cur = 0;
  inTree[0] = 1;
  for (let e = 0; e < n - 1; e++) {
    const co = cur * dim, cc = core[cur];
    let next = -1, nextD = Infinity;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const jo = j * dim;
      let d2 = 0;
      for (let d = 0; d < dim; d++) { const u = x[jo + d] - x[co + d]; d2 += u * u; }
      let m = Math.sqrt(d2) / alpha;
      if (m < cc) m = cc;
      if (m < core[j]) m = core[j];
      if (m < dist[j]) { dist[j] = m; from[j] = cur; }
      if (dist[j] < nextD) { nextD = dist[j]; next = j; }
    }
    inTree[next] = 1;
    a[e] = from[next]; b[e] = next; w[e] = nextD;
    cur = next;
  }
  return { a, b, w };
}
