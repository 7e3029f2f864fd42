import { describe, expect, it } from 'vitest';
import { chordLayout, pieceOrder, ribbonPath, polarToSvg, CHORD_GAP_DEG, CHORD_R_RIBBON } from '../../../src/app/views/layout/chord-layout.ts';
import { heatmapLayout, macroOrder, microOrder } from '../../../src/app/views/layout/heatmap-layout.ts';
import { dendrogramGeometry, macroCountAtCut, cutToPixel, pixelToCut } from '../../../src/app/views/layout/dendrogram-layout.ts';
import { gaussianKernel, histogram2d, reflectIndex, smooth, logDensity, densityContours } from '../../../src/app/views/layout/density.ts';
import { doaneBinCount, histogram } from '../../../src/app/views/layout/timeseries-layout.ts';
import { macroClusters } from '../../../src/core/learn/hclust.ts';
import { macroAtCut } from '../../../src/app/views/views-slice.ts';
import { cuJson, cuResults } from './views-fixtures.ts';

/** pipeline.md §8 worked example (TIP4P LENS labels). */
const TIP4P_T = [454006, 918, 0, 0, 918, 67787, 1219, 0, 0, 1196, 110549, 2543, 0, 0, 2494, 175522];
/** Angles are sums of a few doubles: 1e-9 degrees. */
const DEG_TOL = 1e-9;

describe('chord layout (pipeline.md §10)', () => {
  it('2 x 2 by hand: arcs, pieces, ribbon ends and dominant colour', () => {
    const l = chordLayout([1, 1, 2, 0], 2);
    // span 360 - 2 * 1.8 = 356.4; both rows sum to 2 of 4 -> 178.2 each
    expect(l.arcs[0].start).toBe(0);
    expect(l.arcs[0].end).toBeCloseTo(178.2, 9);
    expect(l.arcs[1].start).toBeCloseTo(180, 9);
    expect(l.arcs[1].end).toBeCloseTo(358.2, 9);
    expect(l.pieces[0 * 2 + 1].start).toBeCloseTo(89.1, 9);
    expect(l.pieces[1 * 2 + 0].end).toBeCloseTo(358.2, 9);
    expect(l.ribbons).toHaveLength(1);
    const r = l.ribbons[0];
    expect([r.aStart, r.aEnd, r.bStart, r.bEnd].map((v) => +v.toFixed(9))).toEqual([89.1, 178.2, 180, 358.2]);
    expect([r.ab, r.ba, r.colour]).toEqual([1, 2, 1]);
  });

  it('TIP4P counts: arc lengths proportional to row sums, gap 1.8 deg after each arc', () => {
    const l = chordLayout(TIP4P_T, 4);
    const rows = [454006 + 918, 918 + 67787 + 1219, 1196 + 110549 + 2543, 2494 + 175522];
    const total = rows.reduce((s, v) => s + v, 0);
    let s = 0;
    for (let a = 0; a < 4; a++) {
      const len = ((360 - 4 * CHORD_GAP_DEG) * rows[a]) / total;
      expect(Math.abs(l.arcs[a].start - s)).toBeLessThan(DEG_TOL);
      expect(Math.abs(l.arcs[a].end - (s + len))).toBeLessThan(DEG_TOL);
      s += len + 1.8;
    }
    expect(Math.abs(l.arcs[3].end + 1.8 - 360)).toBeLessThan(DEG_TOL);
    // pairs with no exchange at all (0-2, 0-3, 1-3) are skipped at theta = 0.01
    expect(l.ribbons.map((r) => [r.a, r.b])).toEqual([[0, 1], [1, 2], [2, 3]]);
    // dominant side: 0<->1 tie (918 both) -> larger index 1; 1->2 1219 > 1196 -> 1; 2->3 2543 > 2494 -> 2
    expect(l.ribbons.map((r) => r.colour)).toEqual([1, 1, 2]);
    // piece widths: T[a, b] / r_a of the arc length
    const p12 = l.pieces[1 * 4 + 2];
    expect(Math.abs(p12.end - p12.start - ((360 - 7.2) * 1219) / total)).toBeLessThan(DEG_TOL);
  });

  it('piece orderings', () => {
    const t = [5, 1, 1, 3, 0, 2, 4, 6, 7];
    expect(pieceOrder(t, 3, 0, 'matrix')).toEqual([0, 1, 2]);
    expect(pieceOrder(t, 3, 0, 'weight')).toEqual([0, 2, 1]); // 5, then the 1-1 tie: larger b first
    expect(pieceOrder(t, 3, 0, 'weightr')).toEqual([1, 2, 0]); // tie: smaller b first
    expect(pieceOrder(t, 3, 1, 'position')).toEqual([0, 1, 2]); // (1 + q - 1) mod 3: self central
    expect(pieceOrder(t, 3, 0, 'position')).toEqual([2, 0, 1]);
  });

  it('threshold skips pairs below theta in both directions; a one-way flux tapers to a point', () => {
    const t = [10, 3, 0, 0, 10, 0.5, 0, 0.2, 10];
    expect(chordLayout(t, 3, { threshold: 1 }).ribbons.map((r) => [r.a, r.b])).toEqual([[0, 1]]);
    const l = chordLayout(t, 3, { threshold: 0.1 });
    expect(l.ribbons.map((r) => [r.a, r.b])).toEqual([[0, 1], [1, 2]]);
    const r01 = l.ribbons[0];
    expect(r01.bEnd - r01.bStart).toBe(0); // T[1, 0] = 0
  });

  it('ribbon paths start on the ribbon circle at the §10 angle (y flipped for SVG)', () => {
    const l = chordLayout(TIP4P_T, 4);
    for (const r of l.ribbons) {
      const m = /^M([-\d.e]+),([-\d.e]+)/.exec(ribbonPath(r, 100));
      expect(m).not.toBeNull();
      const [x, y] = polarToSvg(r.aEnd, CHORD_R_RIBBON, 100);
      expect(Number(m![1])).toBeCloseTo(x, 6);
      expect(Number(m![2])).toBeCloseTo(y, 6);
    }
  });

  it('bad input', () => {
    expect(() => chordLayout([1, 2, 3], 2)).toThrow(RangeError);
    expect(() => chordLayout([1, -2, 3, 4], 2)).toThrow(RangeError);
  });
});

describe('heatmap layout (pipeline.md §8)', () => {
  it('TIP4P: row percentages as published (2 decimals), zero row stays zero', () => {
    const l = heatmapLayout(TIP4P_T, 4, [0, 1, 2, 3]);
    const pct = l.cells.map((c) => +c.percent.toFixed(2));
    expect(pct).toEqual([99.8, 0.2, 0, 0, 1.31, 96.94, 1.74, 0, 0, 1.05, 96.73, 2.23, 0, 0, 1.4, 98.6]);
    expect(l.cells[5].text).toBe('96.9');
    const z = heatmapLayout([0, 0, 1, 1], 2, [0, 1]);
    expect(z.cells.slice(0, 2).map((c) => c.percent)).toEqual([0, 0]);
  });
  it('rows and columns follow the order; hidden diagonal rescales to the off-diagonal maximum', () => {
    const l = heatmapLayout(TIP4P_T, 4, [2, 3, 1, 0], true);
    expect(l.cells[0]).toMatchObject({ row: 0, col: 0, from: 2, to: 2, text: '' });
    expect(Number.isNaN(l.cells[0].shade)).toBe(true);
    expect(l.cells[1]).toMatchObject({ from: 2, to: 3, count: 2543 });
    expect(l.scaleMax).toBeCloseTo((100 * 2543) / 114288, 10);
    expect(l.cells[1].shade).toBe(1);
    expect(() => heatmapLayout(TIP4P_T, 4, [0, 0, 1, 2])).toThrow(RangeError);
  });
  it('Cu(211) micro order is the reference dendrogram leaf order; macro order follows it', () => {
    const ref = cuJson().hdbscan.joint.hierarchical_clustering_of_soft_probabilities.dendrogram_leaves_distance_sort_ascending;
    const r = cuResults();
    expect(Array.from(microOrder(r.analysis.macro.tree.leaves, 6))).toEqual(ref);
    expect(Array.from(macroOrder([2, 3, 1, 5, 0, 4], Int32Array.from([0, 1, 2, 2, 0, 1]), 3))).toEqual([2, 1, 0]);
    expect(Array.from(microOrder([3, 1], 4))).toEqual([3, 1, 0, 2]);
  });
});

describe('dendrogram layout and cut (pipeline.md §9)', () => {
  const r = cuResults();
  const hc = cuJson().hdbscan.joint.hierarchical_clustering_of_soft_probabilities;
  const heights = hc.linkage.map((row) => row[2]);
  it('macro count at a cut from the reference merge heights, and the live re-merge agrees', () => {
    // heights 1.1720, 1.1746, 1.1894, 1.2007, 1.2076 (README table)
    const cases: Array<[number, number]> = [[1, 6], [1.18, 4], [1.19, 3], [1.201, 2], [1.21, 1]];
    for (const [t, n] of cases) {
      expect(macroCountAtCut(heights, 6, 0, t)).toBe(n);
      expect(macroAtCut(r, t).nMacro).toBe(n);
    }
    expect(macroCountAtCut([0.5], 2, 1, 0.6)).toBe(2); // a constant row stays alone
  });
  it('leaf positions bottom to top in leaf order; link corners at the merge heights', () => {
    const g = dendrogramGeometry(r.analysis.macro.tree, 50, 10, 400, 300, 1.5);
    expect(g.leaves.map((l) => l.micro)).toEqual(hc.dendrogram_leaves_distance_sort_ascending);
    const slot = 300 / 6;
    g.leaves.forEach((l, q) => expect(l.y).toBeCloseTo(10 + 300 - (q + 0.5) * slot, 9));
    expect(g.links).toHaveLength(5);
    // first merge: micro 1 (leaf position 2) with micro 5 (position 3) at 1.17204
    const first = g.links[0];
    const xh = 50 + (1.1720430955072794 / 1.5) * 400;
    expect(Array.from(first).map((v) => +v.toFixed(6))).toEqual([50, g.leaves[2].y, xh, g.leaves[2].y, xh, g.leaves[3].y, 50, g.leaves[3].y].map((v) => +v.toFixed(6)));
    expect(pixelToCut(g, cutToPixel(g, 1.1))).toBeCloseTo(1.1, 12);
    expect(pixelToCut(g, -100)).toBe(0);
  });
  it('TIP4P worked example: merges at 1.304668, 1.327404, 1.341907; 4 macro at t = 1', () => {
    const p = new Float64Array(16);
    for (let a = 0; a < 4; a++) { let s = 0; for (let b = 0; b < 4; b++) s += TIP4P_T[a * 4 + b]; for (let b = 0; b < 4; b++) p[a * 4 + b] = TIP4P_T[a * 4 + b] / s; }
    const tree = macroClusters(p, 4, { cut: 1 });
    const g = dendrogramGeometry(tree, 0, 0, 100, 100);
    expect(Array.from(g.heights).map((h) => +h.toFixed(6))).toEqual([1.304668, 1.327404, 1.341907]);
    expect(macroCountAtCut(g.heights, 4, 0, 1)).toBe(4);
    expect(macroCountAtCut(g.heights, 4, 0, 1.33)).toBe(2);
  });
});

describe('density grid (pipeline.md §11)', () => {
  it('reflect boundary is half-sample symmetric', () => {
    expect([-3, -2, -1, 0, 3, 4, 5, 6, 7].map((i) => reflectIndex(i, 4))).toEqual([2, 1, 0, 0, 3, 3, 2, 1, 0]);
  });
  it('9-tap kernel, sigma 1, normalised', () => {
    const k = gaussianKernel();
    expect(k).toHaveLength(9);
    let s = 0;
    for (let i = -4; i <= 4; i++) s += Math.exp(-(i * i) / 2);
    expect(k[4]).toBeCloseTo(1 / s, 15);
    expect(k[0]).toBeCloseTo(Math.exp(-8) / s, 15);
    expect(smooth(new Float64Array(25).fill(3), 5).every((v) => Math.abs(v - 3) < 1e-12)).toBe(true);
  });
  it('histogram: all points counted, the maximum in the last bin', () => {
    const x = Float32Array.from([0, 1, 2, 3, 4]), y = Float32Array.from([0, 0, 0, 0, 10]);
    const h = histogram2d({ x, y, n: 5 }, 4);
    expect(h.values.reduce((s, v) => s + v, 0)).toBe(5);
    expect(h.values[3 * 4 + 3]).toBe(1);
    // bins of width 1 (x) and 2.5 (y): x = 0, 1, 2, 3 at y = 0 fill the first row; x = 4 is in the closed last bin
    expect(Array.from(h.values.subarray(0, 4))).toEqual([1, 1, 1, 1]);
  });
  it('contours of the Cu(211) PC1/PC2 density lie inside the data range', () => {
    const r = cuResults();
    const x = new Float32Array(r.nAtoms * r.nFrames), y = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) { x[i] = r.scores[4 * i]; y[i] = r.scores[4 * i + 1]; }
    const g = logDensity({ x, y, n: x.length });
    const c = densityContours(g);
    expect(c.length).toBeGreaterThanOrEqual(5);
    for (const line of c) for (const ring of line.rings) for (let i = 0; i < ring.length; i += 2) {
      expect(ring[i]).toBeGreaterThanOrEqual(g.x0 - 1e-9); expect(ring[i]).toBeLessThanOrEqual(g.x1 + 1e-9);
    }
  });
});

describe('time series helpers', () => {
  it('Doane bin count and histogram', () => {
    // symmetric data: g1 = 0 -> ceil(1 + log2 n)
    expect(doaneBinCount([1, 2, 3, 4, 5, 6, 7, 8])).toBe(4);
    const h = histogram([0, 0.5, 1, 1, 2], 2);
    expect(Array.from(h.counts)).toEqual([2, 3]);
    expect(Array.from(h.edges)).toEqual([0, 1, 2]);
  });
});

describe('contour lines are not drawn along the grid border', () => {
  it('a density peaked at a corner gives open lines, none running along the border', () => {
    // points crowded towards (0, 0): the level lines cross the border instead of following it
    const n = 4000;
    const x = new Float32Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) { const t = (i % 97) / 97, u = Math.floor(i / 97) / (n / 97); x[i] = t * t; y[i] = u * u; }
    const g = logDensity({ x, y, n });
    const lines = densityContours(g);
    expect(lines.length).toBeGreaterThan(0);
    const wx = (g.x1 - g.x0) / g.bins, wy = (g.y1 - g.y0) / g.bins;
    for (const l of lines) for (const ring of l.rings) for (let i = 2; i < ring.length; i += 2) {
      const alongX = ring[i] === ring[i - 2] && (Math.abs(ring[i] - g.x0) < 1e-12 * wx || Math.abs(ring[i] - g.x1) < 1e-9 * wx);
      const alongY = ring[i + 1] === ring[i - 1] && (Math.abs(ring[i + 1] - g.y0) < 1e-12 * wy || Math.abs(ring[i + 1] - g.y1) < 1e-9 * wy);
      expect(alongX || alongY).toBe(false);
    }
  });
});
