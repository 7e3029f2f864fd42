/**
 * Comparing two labellings (fixtures/learn/README.md "Common conventions": label numbers are not
 * canonical; compare partitions with the adjusted Rand index, or match clusters first with the
 * Hungarian algorithm on the confusion matrix).
 */

/** Confusion matrix of two labellings; negative labels (noise) form their own last row/column. */
export interface Confusion {
  /** rows: labels of `a` (0..ka-1, then noise if present); columns: labels of `b`. */
  counts: Float64Array;
  ka: number;
  kb: number;
}

export function confusion(a: Int32Array, b: Int32Array): Confusion {
  if (a.length !== b.length) throw new RangeError(`confusion: ${a.length} vs ${b.length} labels`);
  let ma = -1, mb = -1, na = false, nb = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 0) na = true; else if (a[i] > ma) ma = a[i];
    if (b[i] < 0) nb = true; else if (b[i] > mb) mb = b[i];
  }
  const ka = ma + 1 + (na ? 1 : 0), kb = mb + 1 + (nb ? 1 : 0);
  const counts = new Float64Array(ka * kb);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] < 0 ? ka - 1 : a[i], y = b[i] < 0 ? kb - 1 : b[i];
    counts[x * kb + y]++;
  }
  return { counts, ka, kb };
}

/** Adjusted Rand index (Hubert and Arabie); 1 for identical partitions; noise is one more class. */
export function adjustedRandIndex(a: Int32Array, b: Int32Array): number {
  const { counts, ka, kb } = confusion(a, b);
  const n = a.length;
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let sumCells = 0;
  const rows = new Float64Array(ka), cols = new Float64Array(kb);
  for (let i = 0; i < ka; i++) for (let j = 0; j < kb; j++) {
    const v = counts[i * kb + j];
    sumCells += c2(v); rows[i] += v; cols[j] += v;
  }
  let sumRows = 0, sumCols = 0;
  for (const v of rows) sumRows += c2(v);
  for (const v of cols) sumCols += c2(v);
  const expected = (sumRows * sumCols) / c2(n);
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return 1; // both partitions trivial (one cluster, or all singletons)
  return (sumCells - expected) / (max - expected);
}

/**
 * Assignment maximising the total weight of an r x c matrix (row-major), r <= c or not:
 * returns for each row the matched column (-1 if unmatched when r > c). Hungarian algorithm with
 * potentials, O(max(r, c)^3).
 */
export function maxWeightMatching(w: Float64Array, r: number, c: number): Int32Array {
  const n = Math.max(r, c);
  let big = 0;
  for (let i = 0; i < r * c; i++) if (w[i] > big) big = w[i];
  // Minimise cost = big - weight on the square n x n matrix padded with `big` (zero weight).
  const cost = (i: number, j: number) => (i < r && j < c ? big - w[i * c + j] : big);
  const u = new Float64Array(n + 1), v = new Float64Array(n + 1);
  const match = new Int32Array(n + 1); // match[j] = row (1-based) assigned to column j
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    match[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = match[j0];
      let delta = Infinity, j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
        if (minv[j] < delta) { delta = minv[j]; j1 = j; }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) { u[match[j]] += delta; v[j] -= delta; } else minv[j] -= delta;
      }
      j0 = j1;
    } while (match[j0] !== 0);
    do { const j1 = way[j0]; match[j0] = match[j1]; j0 = j1; } while (j0 !== 0);
  }
  const out = new Int32Array(r).fill(-1);
  for (let j = 1; j <= n; j++) {
    const i = match[j] - 1;
    if (i >= 0 && i < r && j - 1 < c) out[i] = j - 1;
  }
  return out;
}

/**
 * Renumbers `labels` to agree best with `reference` (maximum total overlap, Hungarian). Returns the
 * map old -> new (labels without a partner get fresh numbers after the reference's). Noise (-1)
 * is left alone.
 */
export function matchLabels(labels: Int32Array, reference: Int32Array): Int32Array {
  let ka = 0, kb = 0;
  for (let i = 0; i < labels.length; i++) { if (labels[i] + 1 > ka) ka = labels[i] + 1; if (reference[i] + 1 > kb) kb = reference[i] + 1; }
  if (labels.length !== reference.length) throw new RangeError(`matchLabels: ${labels.length} vs ${reference.length} labels`);
  const w = new Float64Array(ka * kb);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0 && reference[i] >= 0) w[labels[i] * kb + reference[i]]++;
  const m = maxWeightMatching(w, ka, kb);
  let next = kb;
  return m.map((j) => (j >= 0 ? j : next++));
}
