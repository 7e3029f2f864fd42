import { describe, expect, it } from 'vitest';
import { dendrogramLeaves, fcluster, linkage, macroClusters, pdistCorrelation, type LinkageMethod } from '../../../src/core/learn/hclust.ts';
import { seededRng } from '../../../src/core/learn/rng.ts';
import { readSharedJson } from '../../helpers/shared.ts';

// fixtures/learn/hclust/README.md "Linkage format": heights abs 1e-12; merge pairs identical.
// pipeline.md §15: correlation distances, linkage heights <= 1e-12; macro partition identical.
const TOL_DIST_ABS = 1e-12;
const TOL_HEIGHT_ABS = 1e-12;

interface Case {
  name: string; matrix: number[][]; pdist_correlation: (number | null)[]; linkage: number[][] | null;
  fcluster_t1_distance?: number[]; dendrogram_leaves_distance_sort_ascending?: number[]; dendrogram_leaves_default?: number[];
  proposed_project_behaviour?: { zero_variance_rows: number[]; kept_rows: number[]; linkage_of_kept_rows: number[][];
    macro_labels: number[]; dendrogram_leaves_of_kept_rows_distance_sort_ascending: number[] };
}
const fx = readSharedJson<{ cases: Case[]; extra_checks: { 'H3_fcluster_t_1_minus_1e-12': number[] } }>('fixtures/learn/hclust/hclust_cases.json');

const flat = (m: number[][]) => Float64Array.from(m.flat());

function expectLinkage(z: Float64Array, ref: number[][]): void {
  expect(z.length).toBe(ref.length * 4);
  ref.forEach((row, i) => {
    expect([z[i * 4], z[i * 4 + 1], z[i * 4 + 3]], `row ${i}`).toEqual([row[0], row[1], row[3]]);
    expect(Math.abs(z[i * 4 + 2] - row[2]), `height ${i}`).toBeLessThanOrEqual(TOL_HEIGHT_ABS);
  });
}

/** Same partition up to numbering. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]); ba.set(b[i], a[i]);
  }
  return true;
}

describe('hierarchical clustering against scipy 1.10.1 (fixtures/learn/hclust)', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const n = c.matrix.length;
      const m = flat(c.matrix);
      const d = pdistCorrelation(m, n, c.matrix[0].length);
      c.pdist_correlation.forEach((v, i) => {
        if (v === null) expect(Number.isNaN(d[i]), `pdist ${i} NaN`).toBe(true);
        else expect(Math.abs(d[i] - v), `pdist ${i}`).toBeLessThanOrEqual(TOL_DIST_ABS);
      });
      const macro = macroClusters(m, n, { method: 'average', cut: 1, columns: c.matrix[0].length });
      if (c.linkage) {
        const z = linkage(d, n, 'average');
        expectLinkage(z, c.linkage);
        expect(Array.from(fcluster(z, n, 1))).toEqual(c.fcluster_t1_distance);
        expect(Array.from(dendrogramLeaves(z, n, 'ascending'))).toEqual(c.dendrogram_leaves_distance_sort_ascending);
        expect(Array.from(dendrogramLeaves(z, n, 'none'))).toEqual(c.dendrogram_leaves_default);
        expect(Array.from(macro.fclusterIds)).toEqual(c.fcluster_t1_distance);
        expect(Array.from(macro.leaves)).toEqual(c.dendrogram_leaves_distance_sort_ascending);
        expect(macro.excludedRows.length).toBe(0);
        expect(macro.warnings).toEqual([]);
      } else {
        // scipy fails; the README's proposed behaviour.
        const pb = c.proposed_project_behaviour!;
        expect(() => linkage(d, n, 'average')).toThrow(RangeError);
        expect(Array.from(macro.excludedRows)).toEqual(pb.zero_variance_rows);
        expect(Array.from(macro.keptRows)).toEqual(pb.kept_rows);
        expectLinkage(macro.linkage, pb.linkage_of_kept_rows);
        expect(Array.from(macro.fclusterIds)).toEqual(pb.macro_labels);
        expect(Array.from(macro.leaves)).toEqual(pb.dendrogram_leaves_of_kept_rows_distance_sort_ascending);
        expect(macro.warnings.length).toBe(1);
      }
      // canonical 0-based numbering: same partition, numbered by smallest member
      expect(samePartition(macro.macroLabels, macro.fclusterIds)).toBe(true);
      let next = 0;
      for (let a = 0; a < n; a++) { if (macro.macroLabels[a] === next) next++; else expect(macro.macroLabels[a]).toBeLessThan(next); }
      expect(macro.nMacro).toBe(next);
    });
  }

  it('H3: the cut includes t (cophenetic distance <= t)', () => {
    const h3 = fx.cases.find((c) => c.name === 'hand_H3_exact_distance_one')!;
    const z = linkage(pdistCorrelation(flat(h3.matrix), 3, 4), 3, 'average');
    expect(z[2]).toBe(1);
    expect(Array.from(fcluster(z, 3, 1 - 1e-12))).toEqual(fx.extra_checks['H3_fcluster_t_1_minus_1e-12']);
  });

  it('single row and all-constant matrices give one macro-cluster per row', () => {
    const one = macroClusters(new Float64Array([1]), 1);
    expect(Array.from(one.fclusterIds)).toEqual([1]);
    expect(one.nMacro).toBe(1);
    const flatRows = macroClusters(new Float64Array([0.5, 0.5, 0.5, 0.5]), 2);
    expect(Array.from(flatRows.macroLabels)).toEqual([0, 1]);
    expect(flatRows.linkage.length).toBe(0);
    const oneKept = macroClusters(new Float64Array([0.9, 0.1, 0, 0]), 2);
    expect(Array.from(oneKept.fclusterIds)).toEqual([1, 2]);
    expect(oneKept.warnings.length).toBe(2);
  });
});

describe('Cu(211) pipeline dendrograms from the stored probabilities (fixtures/learn/cu211_pipeline)', () => {
  interface Hc { linkage: number[][]; fcluster_t1_distance: number[]; dendrogram_leaves_distance_sort_ascending: number[] }
  const pj = readSharedJson<{ hdbscan: Record<'joint' | 'soap', { transition_probabilities_soft: number[][];
    hierarchical_clustering_of_soft_probabilities: Hc; n_macro_clusters: number }> }>('fixtures/learn/cu211_pipeline/pipeline.json');
  for (const which of ['joint', 'soap'] as const) {
    it(`${which}: linkage, fcluster and leaves`, () => {
      const ref = pj.hdbscan[which];
      const k = ref.transition_probabilities_soft.length;
      const p100 = flat(ref.transition_probabilities_soft).map((v) => v * 100); // the notebook's P x 100
      const macro = macroClusters(p100, k);
      const hc = ref.hierarchical_clustering_of_soft_probabilities;
      expectLinkage(macro.linkage, hc.linkage);
      expect(Array.from(macro.fclusterIds)).toEqual(hc.fcluster_t1_distance);
      expect(Array.from(macro.leaves)).toEqual(hc.dendrogram_leaves_distance_sort_ascending);
      expect(macro.nMacro).toBe(ref.n_macro_clusters);
      // unscaled P gives the same tree to rounding
      const plain = macroClusters(flat(ref.transition_probabilities_soft), k);
      expectLinkage(plain.linkage, hc.linkage);
    });
  }
});

/** Textbook O(n^3) agglomeration on the full matrix: merge heights only (an independent check). */
function naiveHeights(dist: number[][], method: LinkageMethod): number[] {
  const n = dist.length;
  let clusters = Array.from({ length: n }, (_, i) => [i]);
  const cd = (a: number[], b: number[]): number => {
    const ds = a.flatMap((i) => b.map((j) => dist[i][j]));
    if (method === 'single') return Math.min(...ds);
    if (method === 'complete') return Math.max(...ds);
    if (method === 'average') return ds.reduce((s, v) => s + v, 0) / ds.length;
    return Number.NaN;
  };
  const heights: number[] = [];
  while (clusters.length > 1) {
    let best = Infinity, bi = 0, bj = 1;
    for (let i = 0; i < clusters.length; i++) for (let j = i + 1; j < clusters.length; j++) {
      const v = cd(clusters[i], clusters[j]);
      if (v < best) { best = v; bi = i; bj = j; }
    }
    heights.push(best);
    const merged = [...clusters[bi], ...clusters[bj]];
    clusters = clusters.filter((_, q) => q !== bi && q !== bj).concat([merged]);
  }
  return heights.sort((a, b) => a - b);
}

describe('linkage methods against a naive agglomeration', () => {
  const rng = seededRng(42);
  const n = 12, dim = 3;
  const pts = Array.from({ length: n }, () => Array.from({ length: dim }, () => rng()));
  const dist = pts.map((p) => pts.map((q) => Math.hypot(...p.map((v, i) => v - q[i]))));
  const condensed: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) condensed.push(dist[i][j]);
  for (const method of ['single', 'complete', 'average'] as const) {
    it(`${method}: same merge heights, scipy format invariants`, () => {
      const z = linkage(Float64Array.from(condensed), n, method);
      const heights = Array.from({ length: n - 1 }, (_, i) => z[i * 4 + 2]);
      const ref = naiveHeights(dist, method);
      heights.forEach((h, i) => expect(Math.abs(h - ref[i])).toBeLessThan(1e-12));
      for (let i = 0; i < n - 1; i++) {
        expect(z[i * 4]).toBeLessThan(z[i * 4 + 1]);
        expect(z[i * 4 + 1]).toBeLessThan(n + i);
        if (i > 0) expect(z[i * 4 + 2]).toBeGreaterThanOrEqual(z[(i - 1) * 4 + 2]);
      }
      expect(z[(n - 2) * 4 + 3]).toBe(n);
    });
  }

  it('ward: heights equal sqrt(2 * increase of the within-cluster sum of squares) (Euclidean input)', () => {
    const z = linkage(Float64Array.from(condensed), n, 'ward');
    const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
    const sse = (ix: number[]) => {
      const mean = Array.from({ length: dim }, (_, c) => ix.reduce((s, i) => s + pts[i][c], 0) / ix.length);
      return ix.reduce((s, i) => s + pts[i].reduce((t, v, c) => t + (v - mean[c]) ** 2, 0), 0);
    };
    for (let i = 0; i < n - 1; i++) {
      const a = members[z[i * 4]], b = members[z[i * 4 + 1]];
      const u = [...a, ...b];
      members.push(u);
      expect(Math.abs(z[i * 4 + 2] - Math.sqrt(2 * (sse(u) - sse(a) - sse(b))))).toBeLessThan(1e-12);
    }
  });

  it('rejects non-finite distances and bad sizes', () => {
    expect(() => linkage(new Float64Array([Number.NaN]), 2)).toThrow(/finite/);
    expect(() => linkage(new Float64Array(2), 3)).toThrow(RangeError);
    expect(() => linkage(new Float64Array(0), 1)).toThrow(RangeError);
  });
});
