/**
 * The transition-matrix heatmap (pipeline.md §8): row-normalised percentages (a zero row stays
 * zero), rows and columns in the dendrogram's leaf order, greyscale 0..100, annotations to one
 * decimal; optionally the diagonal hidden (then the grey scale spans the off-diagonal maximum).
 */

export interface HeatCell {
  /** Position in the displayed order. */
  row: number;
  col: number;
  /** Cluster labels. */
  from: number;
  to: number;
  count: number;
  /** 100 * P[from, to]. */
  percent: number;
  /** 0 (white) .. 1 (black); NaN for a hidden cell. */
  shade: number;
  text: string;
}

export interface HeatmapLayout {
  k: number;
  order: Int32Array;
  cells: HeatCell[];
  /** Value mapped to black. */
  scaleMax: number;
}

/** Checks that `order` is a permutation of 0..k-1. */
export function checkOrder(order: ArrayLike<number>, k: number): void {
  if (order.length !== k) throw new RangeError(`order has ${order.length} entries for ${k} clusters`);
  const seen = new Uint8Array(k);
  for (let i = 0; i < k; i++) {
    const v = order[i];
    if (!(v >= 0 && v < k) || seen[v]) throw new RangeError(`order is not a permutation of 0..${k - 1}`);
    seen[v] = 1;
  }
}

export function heatmapLayout(counts: ArrayLike<number>, k: number, order: ArrayLike<number>, hideDiagonal = false): HeatmapLayout {
  if (counts.length !== k * k) throw new RangeError(`heatmap: ${counts.length} counts for ${k} x ${k}`);
  checkOrder(order, k);
  const cells: HeatCell[] = [];
  let scaleMax = 100;
  const pct = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += counts[a * k + b];
    for (let b = 0; b < k; b++) pct[a * k + b] = s > 0 ? (100 * counts[a * k + b]) / s : 0;
  }
  if (hideDiagonal) {
    scaleMax = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) if (a !== b) scaleMax = Math.max(scaleMax, pct[a * k + b]);
    if (scaleMax === 0) scaleMax = 1;
  }
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const from = order[r], to = order[c];
      const hidden = hideDiagonal && from === to;
      const percent = pct[from * k + to];
      cells.push({ row: r, col: c, from, to, count: counts[from * k + to], percent,
        shade: hidden ? NaN : Math.min(1, percent / scaleMax), text: hidden ? '' : percent.toFixed(1) });
    }
  }
  return { k, order: Int32Array.from(order), cells, scaleMax };
}

/**
 * Order of macro-clusters following the micro leaf order: each macro-cluster where its first
 * micro member appears among `leaves` (micro rows missing from `leaves` come after, in order).
 */
export function macroOrder(leaves: ArrayLike<number>, microToMacro: ArrayLike<number>, nMacro: number): Int32Array {
  const out: number[] = [];
  const seen = new Uint8Array(nMacro);
  const visit = (micro: number) => {
    const m = microToMacro[micro];
    if (m >= 0 && m < nMacro && !seen[m]) { seen[m] = 1; out.push(m); }
  };
  for (let i = 0; i < leaves.length; i++) visit(leaves[i]);
  for (let i = 0; i < microToMacro.length; i++) visit(i);
  for (let m = 0; m < nMacro; m++) if (!seen[m]) out.push(m);
  return Int32Array.from(out);
}

/** Micro order: the dendrogram leaves, then rows left out of the dendrogram (constant rows), ascending. */
export function microOrder(leaves: ArrayLike<number>, k: number): Int32Array {
  const seen = new Uint8Array(k);
  const out: number[] = [];
  for (let i = 0; i < leaves.length; i++) if (leaves[i] < k && !seen[leaves[i]]) { seen[leaves[i]] = 1; out.push(leaves[i]); }
  for (let a = 0; a < k; a++) if (!seen[a]) out.push(a);
  return Int32Array.from(out);
}
