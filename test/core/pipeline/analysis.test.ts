import { describe, expect, it } from 'vitest';
import { analyseLabels, analyseScores, macroStep } from '../../../src/core/pipeline/analysis.ts';
import { clustererFor, fixedLabels } from '../../../src/core/pipeline/clusterers.ts';
import { CU211_PRESET, ICE_PRESET } from '../../../src/core/pipeline/recipe.ts';
import { rowIndex, rowLocation, summarise, transferablesOf, type Results } from '../../../src/core/pipeline/results.ts';
import { thresholdLabels } from '../../../src/core/learn/kmeans.ts';
import { seededRng } from '../../../src/core/learn/rng.ts';
import { readSharedJson, readSharedNpy } from '../../helpers/shared.ts';
import { cuLensValues } from '../learn/learn-fixtures.ts';

// fixtures/learn/cu211_pipeline/README.md: counts exact from the stored labels; linkage heights
// abs 1e-12 from the stored probabilities; fcluster and leaves identical.
const TOL_HEIGHT_ABS = 1e-12;
// fixtures/learn/gmm_kmeans/README.md (1-D KMeans): thresholds 1e-12.
const TOL_THRESHOLD_ABS = 1e-12;

interface Hc { linkage: number[][]; fcluster_t1_distance: number[]; dendrogram_leaves_distance_sort_ascending: number[] }
interface Side { transition_counts_soft: number[][]; hierarchical_clustering_of_soft_probabilities: Hc; n_macro_clusters: number; n_clusters: number }
const pj = readSharedJson<{ hdbscan: Record<'joint' | 'soap', Side>;
  lens_kmeans: { transition_counts: number[][]; thresholds_cluster_max_ascending: number[]; labels_sorted_by_max: number[];
    deterministic_variant: { cluster_max_per_label: number[] } } }>('fixtures/learn/cu211_pipeline/pipeline.json');
const hclust = readSharedJson<{ cases: { name: string; linkage: number[][]; fcluster_t1_distance: number[] }[] }>('fixtures/learn/hclust/hclust_cases.json');
const params = { transitions: CU211_PRESET.transitions, macro: CU211_PRESET.macro };
const N_ATOMS = 900, N_FRAMES = 479;

function expectTree(z: Float64Array, ref: number[][]): void {
  expect(z.length).toBe(ref.length * 4);
  ref.forEach((row, i) => {
    expect([z[i * 4], z[i * 4 + 1], z[i * 4 + 3]]).toEqual([row[0], row[1], row[3]]);
    expect(Math.abs(z[i * 4 + 2] - row[2])).toBeLessThanOrEqual(TOL_HEIGHT_ABS);
  });
}

describe('scores -> labels -> transitions -> macro-clusters on the Cu(211) pipeline', () => {
  for (const which of ['joint', 'soap'] as const) {
    it(`${which}: stored soft labels reproduce the reference matrices and macro-clusters`, async () => {
      const ref = pj.hdbscan[which];
      const labels = readSharedNpy(`fixtures/learn/cu211_pipeline/${which}_hdbscan_soft_labels.npy`).data as Int32Array;
      const k = ref.transition_counts_soft.length;
      // The scores only set the row count here; the labels come from the reference.
      const scores = new Float64Array(N_ATOMS * N_FRAMES);
      const a = await analyseScores({ scores, dim: 1, nAtoms: N_ATOMS, nFrames: N_FRAMES }, params, fixedLabels(labels, k, 'reference soft labels'));
      expect(Array.from(a.transitions.counts)).toEqual(ref.transition_counts_soft.flat());
      const hc = ref.hierarchical_clustering_of_soft_probabilities;
      expectTree(a.macro.tree.linkage, hc.linkage);
      expect(Array.from(a.macro.tree.fclusterIds)).toEqual(hc.fcluster_t1_distance);
      expect(Array.from(a.macro.tree.leaves)).toEqual(hc.dendrogram_leaves_distance_sort_ascending);
      expect(a.macro.nMacro).toBe(ref.n_macro_clusters);
      // macro transitions are the micro counts summed over merged classes
      const m = a.macro.microToMacro, K = a.macro.nMacro;
      const summed = new Float64Array(K * K);
      ref.transition_counts_soft.forEach((row, i) => row.forEach((v, j) => { summed[m[i] * K + m[j]] += v; }));
      expect(Array.from(a.macro.transitions.counts)).toEqual(Array.from(summed));
      let pop = 0;
      for (const v of a.populations) pop += v;
      expect(pop).toBe(N_ATOMS * N_FRAMES);
      expect(a.warnings).toEqual([]);
    });
  }

  it('joint hard labels: noise becomes the last class of the reference matrix (transition_counts_hard_noise_last)', () => {
    const hard = readSharedNpy('fixtures/learn/cu211_pipeline/joint_hdbscan_labels.npy').data as Int32Array;
    const ref = readSharedJson<{ hdbscan: { joint: { transition_counts_hard_noise_last: number[][] } } }>('fixtures/learn/cu211_pipeline/pipeline.json');
    const a = analyseLabels({ labels: hard, nClusters: 6, description: 'reference hard labels' }, N_ATOMS, N_FRAMES, params);
    expect(a.transitions.k).toBe(7);
    expect(Array.from(a.transitions.counts)).toEqual(ref.hdbscan.joint.transition_counts_hard_noise_last.flat());
    expect(a.populations[6]).toBe(29882); // pipeline.json n_noise
    expect(a.warnings[0]).toMatch(/noise/);
    expect(a.macro.labels.every((l) => l >= 0 && l < a.macro.nMacro)).toBe(true);
  });

  it('SOAP-only: micro-clusters 5 and 6 merge at the cut 1, and dragging the cut below 0.9644 separates them', () => {
    const labels = readSharedNpy('fixtures/learn/cu211_pipeline/soap_hdbscan_soft_labels.npy').data as Int32Array;
    const a = analyseLabels({ labels, nClusters: 7, description: 'ref' }, N_ATOMS, N_FRAMES, params);
    expect(a.macro.microToMacro[5]).toBe(a.macro.microToMacro[6]);
    expect(new Set(a.macro.microToMacro).size).toBe(6);
    const lower = macroStep(labels, a.transitions, N_ATOMS, { ...params, macro: { ...params.macro, cut: 0.96 } });
    expect(lower.nMacro).toBe(7);
    const higher = macroStep(labels, a.transitions, N_ATOMS, { ...params, macro: { ...params.macro, cut: 1.18 } });
    expect(higher.nMacro).toBe(2); // heights 0.9644 ... 1.1739 merge, the last (1.1872) stays apart
  });

  it('LENS-only with the paper thresholds gives the reference LENS matrix and its dendrogram', () => {
    const lk = pj.lens_kmeans;
    const v = cuLensValues();
    const labels = thresholdLabels(v, new Float64Array(lk.thresholds_cluster_max_ascending),
      { rule: 'paper', ids: new Int32Array(lk.labels_sorted_by_max), overflowLabel: 2 });
    const a = analyseLabels({ labels, nClusters: 3, description: 'paper LENS thresholds' }, N_ATOMS, N_FRAMES, params);
    expect(Array.from(a.transitions.counts)).toEqual(lk.transition_counts.flat());
    const hc = hclust.cases.find((c) => c.name === 'cu211_lens_kmeans_tmat')!;
    expectTree(a.macro.tree.linkage, hc.linkage);
    expect(Array.from(a.macro.tree.fclusterIds)).toEqual(hc.fcluster_t1_distance);
  });

  it('LENS-only clusterer (exact 1-D k-means, inclusive rule) finds the converged thresholds', async () => {
    const v = cuLensValues();
    const out = await clustererFor({ method: 'lens-kmeans', k: 3, rule: 'inclusive' }, 1)({ x: v, n: v.length, dim: 1 });
    const th = out.figures!.thresholds as number[];
    pj.lens_kmeans.deterministic_variant.cluster_max_per_label.forEach((t, i) => expect(Math.abs(th[i] - t)).toBeLessThanOrEqual(TOL_THRESHOLD_ABS));
    expect(out.nClusters).toBe(3);
  });
});

describe('clusterers from recipes', () => {
  it('GMM (the ice preset settings) is deterministic per seed', async () => {
    const x = readSharedNpy('fixtures/learn/hdbscan/cu_joint_sample20k_5d.npy').data as Float64Array;
    const scores = x.subarray(0, 100 * 30 * 5); // 30 frames x 100 "atoms"
    const input = { scores, dim: 5, nAtoms: 100, nFrames: 30 };
    const run = () => analyseScores(input, { transitions: ICE_PRESET.transitions, macro: ICE_PRESET.macro }, clustererFor(ICE_PRESET.cluster, 666));
    const a = await run(), b = await run();
    expect(Array.from(a.cluster.labels)).toEqual(Array.from(b.cluster.labels));
    expect(a.cluster.nClusters).toBe(3);
    expect(Array.from(a.macro.microToMacro)).toEqual([0, 1, 2]); // ice: not merged (pipeline.md §7.2)
    expect(a.macro.tree.linkage.length).toBe(2 * 4);              // ... but the dendrogram exists
  });

  it('HDBSCAN* exact and subsample modes find three separated blobs', async () => {
    const rng = seededRng(3);
    const nA = 60, nF = 10, n = nA * nF;
    const x = new Float64Array(n * 2);
    for (let r = 0; r < n; r++) {
      const c = r % 3; // atom a stays in blob a % 3
      const g = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      x[2 * r] = 10 * c + 0.5 * g(); x[2 * r + 1] = 0.5 * g();
    }
    const input = { scores: x, dim: 2, nAtoms: nA, nFrames: nF };
    const exact = await analyseScores(input, params, clustererFor({ method: 'hdbscan', params: { minClusterSize: 20 }, soft: 'argmax-all', mode: 'exact' }, 1));
    expect(exact.cluster.nClusters).toBe(3);
    const counts = Array.from(exact.populations).sort();
    expect(counts).toEqual([200, 200, 200]);
    // atoms never change blob: a diagonal transition matrix, no merge below the cut
    for (let i = 0; i < 3; i++) expect(exact.transitions.probabilities[i * 3 + i]).toBe(1);
    const sub = await analyseScores(input, params, clustererFor({ method: 'hdbscan', params: { minClusterSize: 20 }, soft: 'argmax-all', mode: 'subsample', subsample: 300 }, 1));
    expect(sub.cluster.nClusters).toBe(3);
    expect(sub.cluster.description).toMatch(/subsample of 300 rows, 300 predicted/);
    let predicted = 0;
    for (const v of sub.cluster.predicted!) predicted += v;
    expect(predicted).toBe(300);
    expect(exact.cluster.predicted!.every((v) => v === 0)).toBe(true);
    expect(Array.from(sub.populations).sort()).toEqual([200, 200, 200]);
  });
});

describe('results helpers', () => {
  it('row <-> (frame, atom) and the summary', () => {
    const labels = new Int32Array([0, 1, 0, 1, 1, 1]);
    const analysis = analyseLabels({ labels, nClusters: 2, description: 'toy' }, 2, 3, params);
    const r: Results = { version: 1, recipe: CU211_PRESET, atoms: new Int32Array([5, 9]), frames: new Int32Array([10, 11, 12]),
      nAtoms: 2, nFrames: 3, lens: null, pca: null, scores: new Float64Array(6), scoreDim: 1, analysis,
      timings: [{ stage: 'clustering', ms: 1500 }], warnings: [] };
    expect(rowIndex(r, 2, 1)).toBe(5);
    expect(rowLocation(r, 5)).toEqual({ j: 2, a: 1, frame: 12, atom: 9 });
    expect(() => rowLocation(r, 6)).toThrow(RangeError);
    const s = summarise(r);
    expect(s).toMatch(/rows: 3 frames x 2 atoms = 6/);
    expect(s).toMatch(/time clustering: 1\.50 s/);
    // every typed array's buffer, once each; structured clone with them transferred keeps the data
    const bufs = transferablesOf(r);
    expect(bufs).toContain(r.atoms.buffer);
    expect(bufs).toContain(analysis.macro.tree.linkage.buffer);
    expect(new Set(bufs).size).toBe(bufs.length);
    const copy = structuredClone(r, { transfer: bufs });
    expect(Array.from(copy.frames)).toEqual([10, 11, 12]);
    expect(r.frames.length).toBe(0); // detached: moved, not copied
  });

  it('a clustering that found nothing (all noise) still gives a 1 x 1 matrix and one macro-cluster', () => {
    const a = analyseLabels({ labels: new Int32Array(6).fill(-1), nClusters: 0, description: 'no clusters' }, 2, 3, params);
    expect(a.transitions.k).toBe(1);
    expect(Array.from(a.transitions.counts)).toEqual([4]);
    expect(a.macro.nMacro).toBe(1);
    expect(Array.from(a.macro.labels)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects inconsistent shapes and labels', async () => {
    await expect(analyseScores({ scores: new Float64Array(5), dim: 1, nAtoms: 2, nFrames: 3 }, params, fixedLabels(new Int32Array(6), 1))).rejects.toThrow(RangeError);
    expect(() => analyseLabels({ labels: new Int32Array([0, 2]), nClusters: 2, description: '' }, 1, 2, params)).toThrow(/nClusters/);
  });
});
