import { describe, expect, it } from 'vitest';
import { binByCuts, clusterMaxima, fitKMeans, kmeans1dOptimal, lloyd, predictKMeans, thresholdLabels } from '../../../src/core/learn/kmeans.ts';
import { readSharedJson, readSharedNpy } from '../../helpers/shared.ts';
import { cuLensValues } from './learn-fixtures.ts';

// fixtures/learn/gmm_kmeans/README.md, KMeans "Semantics": centres rel 1e-9, inertia rel 1e-12,
// labels identical, n_iter_ exact.
const TOL_CENTRES_REL = 1e-9;
const TOL_INERTIA_REL = 1e-12;
// pipeline.md §15: 1-D KMeans SSE <= 1e-9 rel of the reference optimum; thresholds <= 1e-12.
const TOL_SSE_REL = 1e-9;
const TOL_THRESHOLD_ABS = 1e-12;

interface KmJson {
  kmeans: Record<'tol1e-4' | 'tol0', { inertia_: number; n_iter_: number; label_counts: number[] }>;
  lens_kmeans_1d: {
    thresholds_cluster_max_ascending: number[]; labels_sorted_by_max: number[]; classified_counts: number[];
    points_where_threshold_rule_differs_from_kmeans_label: { row: number; value: number; kmeans_label: number; threshold_rule_label: number }[];
    deterministic_variant: { centers: number[]; inertia: number; n_iter: number; cluster_max_per_label: number[] };
    clusters: Record<string, { min: number; max: number; count: number }>;
  };
}
const fx = readSharedJson<KmJson>('fixtures/learn/gmm_kmeans/gmm_kmeans.json');

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return m;
}


describe('KMeans (Lloyd) from the given centres (fixtures/learn/gmm_kmeans)', () => {
  const x = readSharedNpy('fixtures/learn/hdbscan/cu_joint_sample20k_5d.npy').data as Float64Array;
  const d = { x, n: 20000, dim: 5 };
  const init = readSharedNpy('fixtures/learn/gmm_kmeans/kmeans_init_centres.npy').data as Float64Array;
  for (const [name, tol] of [['tol1e-4', 1e-4], ['tol0', 0]] as const) {
    it(`${name}: centres, inertia, labels and n_iter match scikit-learn`, async () => {
      const m = await fitKMeans(d, { k: 6, init, tol });
      const ref = fx.kmeans[name];
      const centres = readSharedNpy(`fixtures/learn/gmm_kmeans/kmeans_${name}_centres.npy`).data;
      const labels = readSharedNpy(`fixtures/learn/gmm_kmeans/kmeans_${name}_labels.npy`).data;
      expect(m.nIter).toBe(ref.n_iter_);
      expect(relErr(m.centres, centres)).toBeLessThanOrEqual(TOL_CENTRES_REL);
      expect(Math.abs(m.inertia - ref.inertia_) / ref.inertia_).toBeLessThanOrEqual(TOL_INERTIA_REL);
      let diff = 0;
      for (let i = 0; i < d.n; i++) if (m.labels[i] !== labels[i]) diff++;
      expect(diff).toBe(0);
      expect(Array.from(predictKMeans(m, d))).toEqual(Array.from(m.labels));
    });
  }

  it('k-means++ with restarts is deterministic per seed and no worse than the given-init optimum by much', async () => {
    const a = await fitKMeans(d, { k: 6, seed: 7, nInit: 3 });
    const b = await fitKMeans(d, { k: 6, seed: 7, nInit: 3 });
    expect(Array.from(a.centres)).toEqual(Array.from(b.centres));
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    // Any converged Lloyd solution on this data has inertia within a few % of the fixture's 10.82.
    expect(a.inertia).toBeLessThan(fx.kmeans.tol0.inertia_ * 1.1);
  });

  it('an empty cluster takes the point farthest from its centre (scikit-learn relocation)', () => {
    const m = lloyd({ x: new Float64Array([0, 1, 10, 11]), n: 4, dim: 1 }, new Float64Array([0, 100, 10.5]), 3, 300, 0);
    expect(Array.from(m.centres)).toEqual([0, 1, 10.5]);
    expect(Array.from(m.labels)).toEqual([0, 1, 2, 2]);
    expect(m.inertia).toBe(0.5);
    expect(m.converged).toBe(true);
  });

  it('rejects bad parameters', async () => {
    await expect(fitKMeans(d, { k: 0, seed: 1 })).rejects.toThrow(RangeError);
    await expect(fitKMeans(d, { k: 3 })).rejects.toThrow(RangeError); // k-means++ needs a seed
    await expect(fitKMeans({ x: new Float64Array(4), n: 2, dim: 2 }, { k: 3, seed: 1 })).rejects.toThrow(RangeError);
  });
});

describe('1-D KMeans and the LENS thresholds (pipeline.md §7.3)', () => {
  const v = cuLensValues();
  const lk = fx.lens_kmeans_1d;

  it('the deterministic Lloyd variant reproduces scikit-learn (47 iterations)', () => {
    const m = lloyd({ x: v, n: v.length, dim: 1 }, new Float64Array([0.01, 0.03, 0.06]), 3, 3000, 0);
    const dv = lk.deterministic_variant;
    expect(m.nIter).toBe(dv.n_iter);
    expect(relErr(m.centres, dv.centers)).toBeLessThanOrEqual(TOL_CENTRES_REL);
    expect(Math.abs(m.inertia - dv.inertia) / dv.inertia).toBeLessThanOrEqual(TOL_SSE_REL);
    const max = clusterMaxima(v, m.labels, 3);
    for (let c = 0; c < 3; c++) expect(Math.abs(max[c] - dv.cluster_max_per_label[c])).toBeLessThanOrEqual(TOL_THRESHOLD_ABS);
  });

  it('the exact optimum reaches the reference SSE and its maxima; inclusive thresholds reproduce its partition', () => {
    const opt = kmeans1dOptimal(v, 3);
    const dv = lk.deterministic_variant;
    expect(opt.inertia).toBeLessThanOrEqual(dv.inertia * (1 + TOL_SSE_REL));
    expect(opt.inertia).toBeGreaterThanOrEqual(dv.inertia * (1 - TOL_SSE_REL));
    for (let c = 0; c < 3; c++) expect(Math.abs(opt.max[c] - dv.cluster_max_per_label[c])).toBeLessThanOrEqual(TOL_THRESHOLD_ABS);
    // Inclusive thresholds reproduce the 1-D partition exactly.
    const ranked = thresholdLabels(v, opt.max, { rule: 'inclusive' });
    let diff = 0;
    for (let i = 0; i < v.length; i++) if (ranked[i] !== opt.labels[i]) diff++;
    expect(diff).toBe(0);
  });

  it("the paper's classification rule reproduces the notebook counts and its three odd points", () => {
    const th = new Float64Array(lk.thresholds_cluster_max_ascending);
    const ids = new Int32Array(lk.labels_sorted_by_max); // raw KMeans index of each ascending bin
    const lab = thresholdLabels(v, th, { rule: 'paper', ids, overflowLabel: 2 }); // notebook: start at K-1 = 2
    const counts = [0, 0, 0];
    for (let i = 0; i < lab.length; i++) counts[lab[i]]++;
    expect(counts).toEqual(lk.classified_counts);
    for (const p of lk.points_where_threshold_rule_differs_from_kmeans_label) {
      expect(v[p.row]).toBe(p.value);
      expect(lab[p.row]).toBe(p.threshold_rule_label);
    }
    // Inclusive thresholds give each of those points its KMeans cluster instead.
    const incl = thresholdLabels(v, th, { rule: 'inclusive', ids });
    for (const p of lk.points_where_threshold_rule_differs_from_kmeans_label) expect(incl[p.row]).toBe(p.kmeans_label);
    // The spec's rank rule equals the paper rule everywhere except at the global maximum.
    const rank = thresholdLabels(v, th, { rule: 'rank', ids });
    const gmax = lk.points_where_threshold_rule_differs_from_kmeans_label[2].row;
    let diff = 0;
    for (let i = 0; i < v.length; i++) if (rank[i] !== lab[i]) { diff++; expect(i).toBe(gmax); }
    expect(diff).toBe(1);
    expect(rank[gmax]).toBe(ids[2]);
  });

  it('manual cut points bin values as [min, c1), [c1, c2), [c2, max]', () => {
    expect(Array.from(binByCuts(new Float64Array([0, 0.1, 0.2, 0.25, 0.5]), new Float64Array([0.1, 0.25])))).toEqual([0, 1, 1, 2, 2]);
    expect(() => binByCuts(new Float64Array(1), new Float64Array([0.2, 0.1]))).toThrow(RangeError);
  });

  it('exact 1-D k-means on a tiny case with a known optimum and ties', () => {
    const r = kmeans1dOptimal(new Float64Array([5, 1, 1, 2, 9, 10, 5]), 3);
    expect(Array.from(r.labels)).toEqual([1, 0, 0, 0, 2, 2, 1]);
    expect(r.inertia).toBeCloseTo(2 / 3 + 0.5, 14);
    expect(() => kmeans1dOptimal(new Float64Array([1, Number.NaN]), 1)).toThrow(RangeError);
  });
});
