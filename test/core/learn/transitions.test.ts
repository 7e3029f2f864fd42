import { gunzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { relabel, residenceTimes, transitionMatrix } from '../../../src/core/learn/transitions.ts';
import { thresholdLabels } from '../../../src/core/learn/kmeans.ts';
import { readShared, readSharedJson, readSharedNpy } from '../../helpers/shared.ts';
import { cuLensValues } from './learn-fixtures.ts';

// pipeline.md §15: transition counts exact, probabilities <= 1e-15.
const TOL_PROB_ABS = 1e-15;

interface PipelineJson {
  hdbscan: Record<'joint' | 'soap', { transition_counts_soft: number[][]; transition_probabilities_soft: number[][] }>;
  lens_kmeans: { transition_counts: number[][]; transition_probabilities: number[][]; thresholds_cluster_max_ascending: number[]; labels_sorted_by_max: number[] };
}
const pj = readSharedJson<PipelineJson>('fixtures/learn/cu211_pipeline/pipeline.json');

function expectMatrix(got: Float64Array, ref: number[][], tol: number): void {
  const k = ref.length;
  expect(got.length).toBe(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
    const e = Math.abs(got[a * k + b] - ref[a][b]);
    if (tol === 0) expect(got[a * k + b], `[${a},${b}]`).toBe(ref[a][b]);
    else expect(e, `[${a},${b}]`).toBeLessThanOrEqual(tol);
  }
}

describe('transition matrices (pipeline.md §8)', () => {
  for (const which of ['joint', 'soap'] as const) {
    it(`Cu(211) ${which} soft labels give the reference counts and probabilities`, () => {
      const labels = readSharedNpy(`fixtures/learn/cu211_pipeline/${which}_hdbscan_soft_labels.npy`).data as Int32Array;
      const t = transitionMatrix(labels, { nAtoms: 900 });
      expect(t.pairs).toBe(478 * 900);
      expectMatrix(t.counts, pj.hdbscan[which].transition_counts_soft, 0);
      expectMatrix(t.probabilities, pj.hdbscan[which].transition_probabilities_soft, TOL_PROB_ABS);
    });
  }

  it('Cu(211) LENS labels from the paper thresholds give the reference LENS matrix', () => {
    const lk = pj.lens_kmeans;
    const labels = thresholdLabels(cuLensValues(), new Float64Array(lk.thresholds_cluster_max_ascending),
      { rule: 'paper', ids: new Int32Array(lk.labels_sorted_by_max), overflowLabel: 2 });
    const t = transitionMatrix(labels, { nAtoms: 900 });
    expectMatrix(t.counts, lk.transition_counts, 0);
    expectMatrix(t.probabilities, lk.transition_probabilities, TOL_PROB_ABS);
  });

  it('worked example: published TIP4P LENS labels (pipeline.md §8)', () => {
    const text = new TextDecoder().decode(gunzipSync(readShared('data/lens_reference_labels/LENS_TIP4P_cl_dt.dat.gz')));
    const labels = Int32Array.from(text.trim().split('\n'), Number);
    expect(labels.length).toBe(2048 * 400);
    const pop = [0, 0, 0, 0];
    for (const l of labels) pop[l]++;
    expect(pop).toEqual([455870, 70088, 114517, 178725]);
    const t = transitionMatrix(labels, { nAtoms: 2048 });
    expectMatrix(t.counts, [[454006, 918, 0, 0], [918, 67787, 1219, 0], [0, 1196, 110549, 2543], [0, 0, 2494, 175522]], 0);
    const ref100 = [[99.8, 0.2, 0, 0], [1.31, 96.94, 1.74, 0], [0, 1.05, 96.73, 2.23], [0, 0, 1.4, 98.6]];
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) expect(Math.round(t.probabilities[a * 4 + b] * 1e4) / 100).toBe(ref100[a][b]);
  });

  it('window and stride pick pairs (j - w, j) for j = w, w + s, ...', () => {
    // 1 atom, labels over 6 frames: 0 1 2 0 1 2
    const l = new Int32Array([0, 1, 2, 0, 1, 2]);
    const w2 = transitionMatrix(l, { nAtoms: 1, window: 2, stride: 1 }); // pairs (0,2) (1,3) (2,4) (3,5) -> 0->2, 1->0, 2->1, 0->2
    expect(Array.from(w2.counts)).toEqual([0, 0, 2, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(transitionMatrix(l, { nAtoms: 1, window: 2 }).counts)).toEqual(Array.from(w2.counts)); // stride defaults to 1
    const w2s2 = transitionMatrix(l, { nAtoms: 1, stride: 2 }); // window defaults to stride (SOAPify): pairs (0,2), (2,4)
    expect(Array.from(w2s2.counts)).toEqual([0, 0, 1, 0, 0, 0, 0, 1, 0]);
    expect(w2s2.pairs).toBe(2);
    expect(() => transitionMatrix(l, { nAtoms: 1, window: 1, stride: 2 })).toThrow(/window/);
    // a class with no outgoing pairs keeps an all-zero probability row
    const z = transitionMatrix(new Int32Array([0, 0, 1]), { nAtoms: 1 });
    expect(Array.from(z.probabilities)).toEqual([0.5, 0.5, 0, 0]);
  });

  it('noise labels are an error unless counted as the last class', () => {
    const l = new Int32Array([0, -1, 1, 1]);
    expect(() => transitionMatrix(l, { nAtoms: 2 })).toThrow(RangeError);
    const t = transitionMatrix(l, { nAtoms: 2, noise: 'last' });
    expect(t.k).toBe(3);
    expect(Array.from(t.counts)).toEqual([0, 1, 0, 0, 0, 0, 0, 1, 0]);
    expect(() => transitionMatrix(new Int32Array(3), { nAtoms: 2 })).toThrow(RangeError);
    expect(Array.from(relabel(new Int32Array([0, 2, -1, 1]), new Int32Array([1, 0, 1])))).toEqual([1, 1, -1, 0]);
  });

  it('residence runs: interior runs positive, runs touching either end negative (pipeline.md §13)', () => {
    // 2 atoms x 6 frames, frame-major; atom 0: 0 0 1 1 1 0, atom 1: 2 2 2 2 2 2
    const l = new Int32Array([0, 2, 0, 2, 1, 2, 1, 2, 1, 2, 0, 2]);
    const r = residenceTimes(l, 2);
    expect(Array.from(r.atom)).toEqual([0, 0, 0, 1]);
    expect(Array.from(r.label)).toEqual([0, 1, 0, 2]);
    expect(Array.from(r.length)).toEqual([-2, 3, -1, -6]);
    expect(() => residenceTimes(new Int32Array(3), 2)).toThrow(RangeError);
  });
});
