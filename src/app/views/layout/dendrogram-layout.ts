/**
 * Dendrogram drawing geometry (pipeline.md §9: orientation right, leaves in distance_sort
 * ascending order, a tick at the cut): the "U" links of core `dendrogramLayout` mapped to pixels,
 * leaves along y (first leaf at the bottom, as scipy), heights along x from 0 at the leaves.
 * The cut line converts between pixels and heights, and the number of macro-clusters at a cut
 * follows from the merge heights (<= t merges, as fcluster 'distance').
 */
import { dendrogramLayout, type MacroClustering } from '../../../core/learn/hclust.ts';

export interface DendroGeometry {
  /** Polylines (4 points, x/y pixels, 8 numbers) per merge. */
  links: Float64Array[];
  /** Leaves (micro labels, original rows) with their y pixel, bottom to top. */
  leaves: Array<{ micro: number; y: number }>;
  /** Micro rows left out (constant rows), listed under the tree. */
  excluded: number[];
  /** Merge heights (linkage column 2). */
  heights: Float64Array;
  maxHeight: number;
  /** Plot area. */
  left: number; top: number; width: number; height: number;
}

export function dendrogramGeometry(tree: MacroClustering, left: number, top: number, width: number, height: number, maxHeight?: number): DendroGeometry {
  const nk = tree.keptRows.length;
  const heights = new Float64Array(Math.max(0, nk - 1));
  for (let i = 0; i < heights.length; i++) heights[i] = tree.linkage[i * 4 + 2];
  let mh = maxHeight ?? 0;
  if (maxHeight === undefined) { for (const h of heights) mh = Math.max(mh, h); mh = Math.max(mh * 1.1, tree.cut * 1.1, 1e-9); }
  const slot = nk > 0 ? height / nk : height;
  const yOf = (pos: number) => top + height - (pos + 0.5) * slot;
  const xOf = (h: number) => left + (h / mh) * width;
  const links: Float64Array[] = [];
  const leaves: Array<{ micro: number; y: number }> = [];
  if (nk >= 2) {
    // core layout works in kept-row indices; tree.leaves holds original rows
    const keptIndex = new Map<number, number>();
    tree.keptRows.forEach((r, i) => keptIndex.set(r, i));
    const leafKept = Int32Array.from(tree.leaves, (r) => keptIndex.get(r) as number);
    const lay = dendrogramLayout(tree.linkage, nk, leafKept);
    for (let i = 0; i < nk - 1; i++) {
      const l = lay.links.subarray(i * 8, i * 8 + 8);
      const out = new Float64Array(8);
      for (let p = 0; p < 4; p++) { out[2 * p] = xOf(l[2 * p + 1]); out[2 * p + 1] = yOf(l[2 * p]); }
      links.push(out);
    }
    tree.leaves.forEach((micro, q) => leaves.push({ micro, y: yOf(q) }));
  } else {
    tree.leaves.forEach((micro, q) => leaves.push({ micro, y: yOf(q) }));
  }
  return { links, leaves, excluded: Array.from(tree.excludedRows), heights, maxHeight: mh, left, top, width, height };
}

export function cutToPixel(g: DendroGeometry, t: number): number {
  return g.left + (t / g.maxHeight) * g.width;
}

export function pixelToCut(g: DendroGeometry, x: number): number {
  return Math.min(g.maxHeight, Math.max(0, ((x - g.left) / g.width) * g.maxHeight));
}

/**
 * Macro-clusters after cutting at t: every merge at height <= t joins two groups (average
 * linkage heights are monotone), constant rows stay alone.
 */
export function macroCountAtCut(heights: ArrayLike<number>, nKept: number, nExcluded: number, t: number): number {
  let merged = 0;
  for (let i = 0; i < heights.length; i++) if (heights[i] <= t) merged++;
  return nKept - merged + nExcluded;
}
