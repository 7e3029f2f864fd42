/**
 * Partition metrics for comparing cluster labels with the fixtures (fixtures/learn/README.md:
 * "Compare partitions with the adjusted Rand index (ARI), or match clusters first (Hungarian
 * algorithm on the confusion matrix)"). Written independently of the code under test.
 */

/** Adjusted Rand index of two labelings (any integer labels; -1 is an ordinary label here). */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new Error(`ARI: lengths differ (${n} vs ${b.length})`);
  const ia = denseIds(a), ib = denseIds(b);
  const ka = ia.k, kb = ib.k;
  const table = new Float64Array(ka * kb), ra = new Float64Array(ka), rb = new Float64Array(kb);
  for (let i = 0; i < n; i++) { table[ia.ids[i] * kb + ib.ids[i]]++; ra[ia.ids[i]]++; rb[ib.ids[i]]++; }
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let sij = 0, sa = 0, sb = 0;
  for (let i = 0; i < table.length; i++) sij += c2(table[i]);
  for (let i = 0; i < ka; i++) sa += c2(ra[i]);
  for (let j = 0; j < kb; j++) sb += c2(rb[j]);
  const expected = (sa * sb) / c2(n);
  const max = (sa + sb) / 2;
  if (max === expected) return 1; // both partitions trivial and equal
  return (sij - expected) / (max - expected);
}

function denseIds(a: ArrayLike<number>): { ids: Int32Array; k: number; values: number[] } {
  const map = new Map<number, number>();
  const ids = new Int32Array(a.length);
  const values: number[] = [];
  for (let i = 0; i < a.length; i++) {
    let v = map.get(a[i]);
    if (v === undefined) { v = map.size; map.set(a[i], v); values.push(a[i]); }
    ids[i] = v;
  }
  return { ids, k: map.size, values };
}

/**
 * Best one-to-one matching of labels 0..ka-1 of `a` to labels 0..kb-1 of `b` (negative labels are
 * ignored) maximising the overlap: Hungarian algorithm on the negated confusion matrix.
 * Returns map[la] = lb or -1.
 */
export function matchLabels(a: ArrayLike<number>, b: ArrayLike<number>, ka: number, kb: number): Int32Array {
  const size = Math.max(ka, kb);
  const cost: number[][] = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let i = 0; i < a.length; i++) if (a[i] >= 0 && b[i] >= 0) cost[a[i]][b[i]] -= 1;
  const assign = hungarian(cost);
  const map = new Int32Array(ka).fill(-1);
  for (let i = 0; i < ka; i++) if (assign[i] < kb) map[i] = assign[i];
  return map;
}

/** Minimum-cost assignment for a square matrix (O(n^3) potentials). Returns column per row. */
function hungarian(cost: number[][]): Int32Array {
  const n = cost.length;
  const u = new Float64Array(n + 1), v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1), way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity, j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
        if (minv[j] < delta) { delta = minv[j]; j1 = j; }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) { u[p[j]] += delta; v[j] -= delta; } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do { const j1 = way[j0]; p[j0] = p[j1]; j0 = j1; } while (j0);
  }
  const ans = new Int32Array(n);
  for (let j = 1; j <= n; j++) ans[p[j] - 1] = j - 1;
  return ans;
}

/** Fraction of points whose label in `a`, mapped by matchLabels, equals the label in `b`. */
export function matchedAgreement(a: ArrayLike<number>, b: ArrayLike<number>, ka: number, kb: number): number {
  const map = matchLabels(a, b, ka, kb);
  let same = 0;
  for (let i = 0; i < a.length; i++) {
    const m = a[i] >= 0 ? map[a[i]] : a[i];
    if (m === b[i]) same++;
  }
  return same / a.length;
}
